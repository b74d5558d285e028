"""team server: the engagement's header, assessment answers, evidence, review notes and sign-offs carry a version

Adds row_version (INTEGER NOT NULL DEFAULT 1) to engagement, assessment, checklist_response, health_check_answer,
evidence, signoff and review_note, as 0014 did to the other records: ALTER TABLE ... ADD COLUMN, so no table is
rebuilt (nothing is dropped and re-created: no ON DELETE CASCADE can empty a child table) and every existing row is
kept, at version 1. An edit or a delete based on an older version is refused (services.record_versions). The
engagement's version counts changes of its header only (store.row_version). Runs alike on SQLite and PostgreSQL;
the downgrade drops the columns (SQLite's own DROP COLUMN: nothing rebuilt either way).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 13:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# frozen here, not read from the models
TABLES: tuple[str, ...] = ('engagement', 'assessment', 'checklist_response', 'health_check_answer', 'evidence',
                           'signoff', 'review_note')


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('row_version', sa.Integer(), nullable=False, server_default=sa.text('1')))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "row_version"')
