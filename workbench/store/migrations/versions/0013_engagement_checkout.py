"""engagements checked out of a team server for offline fieldwork

Adds the table engagement_checkout: on a team server, a row marks an engagement checked out to a laptop
(who, to which workspace, since when, the hand-out's branch), and every change to it is refused until it
is checked in or released (services/checkout.py); on the laptop, a row says which server its copy came
from. A new table only: no existing table is touched, every row is kept; the downgrade drops the table.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 09:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'engagement_checkout',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('engagement_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('holder', sa.String(), nullable=False),
        sa.Column('identity_id', sa.String(), nullable=False),
        sa.Column('place', sa.String(), nullable=False),
        sa.Column('since', sa.String(), nullable=False),
        sa.Column('branch', sa.String(), nullable=False),
        sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ondelete='CASCADE',
                                name=op.f('fk_engagement_checkout_engagement_id_engagement')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_checkout')),
        sa.UniqueConstraint('engagement_id', name=op.f('uq_engagement_checkout_engagement_id')),
    )


def downgrade() -> None:
    op.drop_table('engagement_checkout')
