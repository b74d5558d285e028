"""re-audit: risks, costs, roadmap activities and matrix rows can be carried forward

Adds one column to each of four tables (ALTER TABLE ... ADD COLUMN): risk.carried_forward,
cost_item.carried_forward, roadmap_item.carried_forward and matrix_row.carried_forward, NOT NULL with
the default false that services.records gives a record that leaves it out (findings have had the column
since 0001). No table is rebuilt and every existing row keeps its values. The downgrade drops the
columns with SQLite's own ALTER TABLE ... DROP COLUMN (3.35 or newer), so nothing is rebuilt either way.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 18:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES: tuple[str, ...] = ('risk', 'cost_item', 'roadmap_item', 'matrix_row')  # frozen here, not read from the models


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('carried_forward', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "carried_forward"')
