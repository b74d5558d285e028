"""indexes for speed: the number of finding and risk refs

An expression index per table on (engagement_id, CAST(substr(ref, 3) AS INTEGER)), so recording a
finding in an engagement that holds thousands finds the next free ref from the index instead of
reading every ref (tables.REF_NUMBER). Indexes only: no table is rebuilt, no row is touched, and the
downgrade drops the two indexes alone.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-23 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# spelled as workbench.store.tables.REF_NUMBER, frozen here as migrations must not follow later code
REF_NUMBER = "CAST(substr(ref, 3) AS INTEGER)"
# PostgreSQL's CAST refuses "F-12a" (SQLite's reads 12) and an index expression that fails refuses the row: there
# the number is NULL unless the ref ends in digits only, and NUMERIC never overflows (tables.ref_number)
SERVER_REF_NUMBER = "(CASE WHEN substr(ref, 3) ~ '^[0-9]+$' THEN CAST(substr(ref, 3) AS NUMERIC) END)"


def upgrade() -> None:
    # highest first, malformed (NULL) last: the order services.records asks for, read straight off the index
    number = f"{SERVER_REF_NUMBER} DESC NULLS LAST" if op.get_bind().dialect.name == "postgresql" else REF_NUMBER
    op.create_index('ix_finding_ref_number', 'finding', ['engagement_id', sa.text(number)], unique=False)
    op.create_index('ix_risk_ref_number', 'risk', ['engagement_id', sa.text(number)], unique=False)


def downgrade() -> None:
    op.drop_index('ix_risk_ref_number', table_name='risk')
    op.drop_index('ix_finding_ref_number', table_name='finding')
