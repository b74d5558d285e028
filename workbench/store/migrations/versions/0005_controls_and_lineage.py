"""findings per control, graded checklist targets, model lineage

Adds columns only (ALTER TABLE ... ADD COLUMN): finding.item_id (the checklist item a finding is
raised against); checklist_response.target and .priority (the target state and priority of a graded
item); model_asset.model_card, .training_data, .code_commit, .approval and .approved_by (lineage).
No table is rebuilt on upgrade and every existing row keeps its values, taking the new columns'
defaults, which are the values services.records would give a record that leaves them out. The
downgrade drops the columns again with SQLite's own ALTER TABLE ... DROP COLUMN (3.35 or newer), so no
table is rebuilt either way and the expression indexes of migration 0004 stay in place.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate emits sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, NOT NULL default or None for a nullable column); frozen here, not read from the models
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ('finding', 'item_id', ''),
    ('checklist_response', 'target', ''),
    ('checklist_response', 'priority', None),
    ('model_asset', 'model_card', ''),
    ('model_asset', 'training_data', ''),
    ('model_asset', 'code_commit', ''),
    ('model_asset', 'approval', 'not_recorded'),
    ('model_asset', 'approved_by', ''),
)


def upgrade() -> None:
    for table, name, default in COLUMNS:
        column = sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=default is None,
                           server_default=default)
        op.add_column(table, column)


def downgrade() -> None:
    for table, name, _default in reversed(COLUMNS):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{name}"')
