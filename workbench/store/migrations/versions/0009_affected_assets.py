"""the assets a finding concerns

Adds one column (ALTER TABLE ... ADD COLUMN): finding.affected_assets, the models and systems a finding
concerns, one per line. No table is rebuilt; every existing finding keeps its values and takes the
default '' (what services.records gives a finding that leaves it out). The downgrade drops the column
with SQLite's own ALTER TABLE ... DROP COLUMN, so no table is rebuilt either way.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 19:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate emits sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('finding', sa.Column('affected_assets', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                       server_default=''))


def downgrade() -> None:
    op.execute('ALTER TABLE "finding" DROP COLUMN "affected_assets"')
