"""team server: each record an auditor edits carries a version

Adds row_version (INTEGER NOT NULL DEFAULT 1) to finding, model_asset, risk, cost_item, roadmap_item and
matrix_row with ALTER TABLE ... ADD COLUMN, so no table is rebuilt and every existing row is kept, at version 1.
Every update through the services sets it one higher in the same UPDATE (… SET row_version = n + 1 WHERE id = …
AND row_version = n); an edit based on an older version is refused (optimistic concurrency on a team server and
between two windows). It is local bookkeeping: packages, the audit trail and JSON do not carry it. Runs alike on
SQLite and PostgreSQL. The downgrade drops the columns (SQLite's own DROP COLUMN: nothing rebuilt either way).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 09:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# frozen here, not read from the models
TABLES: tuple[str, ...] = ('finding', 'model_asset', 'risk', 'cost_item', 'roadmap_item', 'matrix_row')


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('row_version', sa.Integer(), nullable=False, server_default=sa.text('1')))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "row_version"')
