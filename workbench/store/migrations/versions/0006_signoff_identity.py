"""sign-offs under a signing identity

Adds signoff.identity_id (the signing identity's 16-hex id) and signoff.fingerprint (the SHA-256 of its
certificate). Both are added in place with ALTER TABLE ... ADD COLUMN and a default of '': no table is
rebuilt, so no row is copied or at risk, and sign-offs given before identities keep their typed name with
an empty identity. The downgrade drops the two columns alone (ALTER TABLE ... DROP COLUMN, SQLite 3.35+).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('signoff', sa.Column('identity_id', sa.String(), nullable=False, server_default=''))
    op.add_column('signoff', sa.Column('fingerprint', sa.String(), nullable=False, server_default=''))


def downgrade() -> None:
    op.drop_column('signoff', 'fingerprint')
    op.drop_column('signoff', 'identity_id')
