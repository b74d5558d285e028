"""indexes of what the library list reads: each finding's score facts, each engagement's framework

The score counts findings by engagement, severity, status, whether a recommendation is written and
whether a due date is set (store.light.finding_fact_rows). Those facts are indexed as expressions, so the
count reads this small index alone instead of every finding's texts; and which framework each engagement
froze (its SHA-256) is indexed, so the list tells them apart without reading each frozen text
(store.light.shared_snapshot_texts). The start page and `workbench list` on a workspace of thousands of
findings read a few pages instead of thousands, which matters most on an encrypted workspace, where each
page read is decrypted. Indexes only: no table is rebuilt, no row is touched, and the downgrade drops the
two indexes alone.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 05:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# spelled as workbench.store.columns.FINDING_FACTS, frozen here as migrations must not follow later code
# (trim's characters are those Python's str.strip() removes)
RECOMMENDED = ("length(trim(recommendation, char(9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 133, 160, 5760, 8192, 8193, "
               "8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288))) > 0")
DUE = "coalesce(due_date, '') != ''"
# on a team server (PostgreSQL: no char(...)): columns.SERVER_FINDING_FACTS, the same characters
SERVER_RECOMMENDED = ("(length(btrim(recommendation, U&'\\0009\\000a\\000b\\000c\\000d\\001c\\001d\\001e\\001f\\0020\\0085"
                      "\\00a0\\1680\\2000\\2001\\2002\\2003\\2004\\2005\\2006\\2007\\2008\\2009\\200a\\2028\\2029\\202f"
                      "\\205f\\3000')) > 0)")


def upgrade() -> None:
    server = op.get_bind().dialect.name == "postgresql"  # an index's expressions are parenthesised there
    recommended, due = (SERVER_RECOMMENDED, f"({DUE})") if server else (RECOMMENDED, DUE)
    op.create_index('ix_finding_facts', 'finding', ['engagement_id', 'severity', 'status', sa.text(recommended),
                                                    sa.text(due)], unique=False)
    op.create_index('ix_framework_snapshot_digest', 'framework_snapshot', ['engagement_id', 'sha256'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_framework_snapshot_digest', table_name='framework_snapshot')
    op.drop_index('ix_finding_facts', table_name='finding')
