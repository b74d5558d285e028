"""risk acceptance and resolution evidence on findings

Adds four columns to finding: who accepted the risk (accepted_by), why (accepted_reason), when
(accepted_at), and for a resolved finding what shows it (resolution_evidence). Columns are added
with ALTER TABLE ADD COLUMN and a default, so no table is rebuilt and every existing row is kept
with empty values; older audit events that lack these fields are read with the same defaults
(store.tables.column_defaults). The downgrade drops the four columns alone (SQLite 3.35+).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate emits sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_COLUMNS = ('accepted_by', 'accepted_reason', 'resolution_evidence')


def upgrade() -> None:
    for name in TEXT_COLUMNS:
        op.add_column('finding', sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                           server_default=''))
    op.add_column('finding', sa.Column('accepted_at', sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    op.drop_column('finding', 'accepted_at')
    for name in reversed(TEXT_COLUMNS):
        op.drop_column('finding', name)
