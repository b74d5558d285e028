"""The columns of the engagement's tables as plain data, for reading records without SQLAlchemy.

store/tables.py defines the tables; reading an engagement in plain SQL (store.light.record_rows: `show
--json`, packages, the GUI's document) needs only each table's name, its record fields in column order
and which fields SQLAlchemy converts (BOOLEAN 0/1 → bool, JSON text → value). Importing the table
classes costs SQLAlchemy and SQLModel (about half a second), so the same facts are written out here;
tests/store/test_columns.py checks them against tables.py column by column, so they cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FINDING_FACTS", "SERVER_FINDING_FACTS", "TABLE_COLUMNS", "Columns", "WHITESPACE", "finding_facts"]

# what str.strip() removes, so SQL's trim() judges "has a recommendation" exactly as Python would
WHITESPACE = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())

# What the score needs of each finding (store.light.finding_fact_rows), as SQL expressions. The index
# ix_finding_facts (tables.Finding, migration 0012) holds exactly these, so counting findings by kind reads
# the small index alone, never the findings' texts: on an encrypted workspace each page read is decrypted.
FINDING_FACTS = ("engagement_id", "severity", "status",
                 f"length(trim(recommendation, char({', '.join(str(ord(c)) for c in WHITESPACE)}))) > 0",
                 "coalesce(due_date, '') != ''")
# the same on a team server (PostgreSQL has no char(...); the characters as one Unicode-escaped literal): the
# index of migration 0012 there holds these
_ESCAPED = "".join(f"\\{ord(c):04x}" for c in WHITESPACE)
SERVER_FINDING_FACTS = (*FINDING_FACTS[:3], f"(length(btrim(recommendation, U&'{_ESCAPED}')) > 0)",
                        f"({FINDING_FACTS[4]})")  # an index's expressions are parenthesised there


def finding_facts(dialect: str) -> tuple[str, ...]:
    """FINDING_FACTS in this SQL dialect ("sqlite" or "postgresql")."""
    return SERVER_FINDING_FACTS if dialect == "postgresql" else FINDING_FACTS


@dataclass(frozen=True)
class Columns:
    table: str
    fields: tuple[str, ...]  # in column order, without the workspace-internal ids (tables.INTERNAL_COLUMNS)
    booleans: frozenset[str] = frozenset()
    json: frozenset[str] = frozenset()
    # the table carries tables.ROW_VERSION (migrations 0014, 0015): local bookkeeping, not among `fields`
    versioned: bool = False


_CARRIED = frozenset({"carried_forward"})

# the engagement, its client, and each record kind of tables.RECORD_TABLES, in that order
TABLE_COLUMNS: dict[str, Columns] = {
    "engagement": Columns("engagement", (
        "uid", "ref", "title", "system_name", "use_cases", "ml_framework", "lead_auditor", "team", "start_date",
        "end_date", "scope", "status", "target_level", "framework_id", "framework_version", "previous_uid",
        "created_at", "updated_at", "locked_at", "finalised_by", "archived"), frozenset({"archived"}), versioned=True),
    "client": Columns("client", ("uid", "name", "sector", "contact_name", "contact_email")),
    "assessment": Columns("assessment", ("dimension_id", "current_level", "target_level", "justification"),
                          versioned=True),
    "checklist": Columns("checklist_response", ("item_id", "answer", "note", "target", "priority"), versioned=True),
    "health_check": Columns("health_check_answer", ("question_id", "answer", "note"), versioned=True),
    "finding": Columns("finding", (
        "uid", "ref", "title", "dimension_id", "item_id", "affected_assets", "severity", "impact", "description",
        "recommendation", "current_level", "recommended_level", "effort_hours", "cost_estimate", "currency", "owner",
        "due_date", "status", "carried_forward", "accepted_by", "accepted_reason", "accepted_at",
        "resolution_evidence"), _CARRIED, versioned=True),
    "model": Columns("model_asset", (
        "uid", "name", "version", "deployment", "latency_ms", "throughput_rps", "status", "last_updated", "owner",
        "risk_tier", "model_registry", "monitored", "notes", "model_card", "training_data", "code_commit", "approval",
        "approved_by"), frozenset({"monitored"}), versioned=True),
    "risk": Columns("risk", ("uid", "ref", "title", "category", "likelihood", "impact", "mitigation", "owner",
                             "status", "carried_forward"), _CARRIED, versioned=True),
    "cost": Columns("cost_item", ("uid", "kind", "name", "impact", "effort", "current_state", "target",
                                  "estimated_cost", "currency", "fte", "duration_weeks", "carried_forward"), _CARRIED,
                      versioned=True),
    "roadmap": Columns("roadmap_item", ("uid", "phase", "activity", "success_metric", "start_date", "end_date",
                                        "finding_refs", "carried_forward"), _CARRIED, frozenset({"finding_refs"}),
                         versioned=True),
    "matrix": Columns("matrix_row", ("uid", "kind", "data", "carried_forward"), _CARRIED, frozenset({"data"}),
                      versioned=True),
    "evidence": Columns("evidence", ("uid", "sha256", "file_name", "media_type", "size", "captured_at",
                                     "description"), versioned=True),
    "evidence_link": Columns("evidence_link", ("uid", "evidence_uid", "target_kind", "target_key")),
    "signoff": Columns("signoff", ("uid", "role", "name", "scope", "signed_at", "note", "identity_id",
                                   "fingerprint"), versioned=True),
    "review_note": Columns("review_note", ("uid", "target_kind", "target_key", "text", "status", "raised_by",
                                           "raised_at", "answer", "answered_by", "answered_at", "closed_at"),
                           versioned=True),
}
