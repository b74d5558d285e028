"""chart image cache

Adds the chart_image table: the bitmaps of report charts, keyed by a hash of the chart code and its
input data (workbench/charts/bitmap.py), so that rendering a report again after an edit that touched
no chart draws no chart. Derived data only: nothing references it, no existing table is rebuilt or
touched, and the downgrade drops chart_image alone. Kept inside the workspace (not in loose cache
files) because a chart shows the client's data.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('chart_image',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('used_at', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_chart_image'))
    )
    op.create_index(op.f('ix_chart_image_used_at'), 'chart_image', ['used_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_chart_image_used_at'), table_name='chart_image')
    op.drop_table('chart_image')
