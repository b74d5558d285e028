"""where a merged audit event came from

Adds audit_event.origin (JSON, NULL for every event written in this workspace's own line): an event
brought in by a fieldwork merge is appended after the local chain head with a new seq, prev_hash and
hash, and keeps in `origin` the branch it was recorded on, its original seq, prev_hash and hash, so
the attestations made on that branch still verify against the chain they signed (docs/file-format.md).
The column is added with ALTER TABLE ADD COLUMN, so no table is rebuilt and every event is kept; the
hash of an event without an origin is computed exactly as before. The downgrade drops the column.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 01:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('audit_event', sa.Column('origin', sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column('audit_event', 'origin')
