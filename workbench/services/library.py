"""The engagement library and scores, computed from plain SQL reads (store/light.py): no SQLAlchemy needed.

`engagement_summaries(conn)` is what the start page and `workbench list` show; `score_card(conn, id)` is
an engagement's score, band and verdict. The services (engagements.list_engagements, score_in_session)
call these with their session's connection, the command line and the app's first frame with a
`store.light.reader`: one implementation of each.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbench.domain.coverage import Coverage, Share, checklist_share, compute_coverage, signoffs_wanted
from workbench.domain.enums import FindingStatus, Severity
from workbench.domain.framework import Framework, parse_framework_text
from workbench.domain.scoring import FindingFacts, ScoreCard, score_engagement
from workbench.store import light
from workbench.store.light import Rows

__all__ = ["EngagementSummary", "engagement_score", "engagement_summaries", "finding_facts", "framework_of_text",
           "score_card", "scored_coverage", "summaries_at"]
log = logging.getLogger(__name__)


@lru_cache(maxsize=32)
def framework_of_text(content: str) -> Framework:
    """A snapshot parsed once per distinct text: most engagements share a handful of frameworks.

    Keyed by the text itself (not the stored hash, which could be altered), and a Framework is
    frozen, so sharing one between engagements is safe.
    """
    return parse_framework_text(content)


@dataclass(frozen=True)
class EngagementSummary:
    uid: str
    ref: str
    title: str
    client: str
    status: str
    framework_id: str
    score: float | None
    band: str | None
    verdict: str | None
    provisional: bool
    updated_at: str
    archived: bool
    finding_count: int

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def finding_facts(conn: Rows, engagement_id: int | None = None) -> dict[int, list[FindingFacts]]:
    """The verdict's facts about findings, per engagement id (counted in SQL: light.finding_fact_rows)."""
    facts: dict[int, list[FindingFacts]] = {}
    kinds: dict[tuple[str, str, bool, bool], FindingFacts] = {}
    for eid, severity, status, recommended, due, count in light.finding_fact_rows(conn, engagement_id):
        key = (severity, status, recommended, due)
        if key not in kinds:
            kinds[key] = FindingFacts(Severity.parse(severity), FindingStatus.parse(status), recommended, due)
        facts.setdefault(eid, []).extend([kinds[key]] * count)
    return facts


def answers(conn: Rows, engagement_id: int | None = None) -> dict[int, dict[str, str]]:
    """Checklist answers by item id, per engagement id (what the coverage rule of the score counts)."""
    found: dict[int, dict[str, str]] = {}
    for eid, item_id, answer in light.answer_rows(conn, engagement_id):
        found.setdefault(eid, {})[item_id] = answer
    return found


def coverage(conn: Rows, engagement_id: int, framework: Framework, sections: bool = True) -> Coverage:
    """What `score --json` reports as coverage, from plain reads (the same figures as services.progress)."""
    health = dict(conn.execute("SELECT question_id, answer FROM health_check_answer WHERE engagement_id = ?",
                               (engagement_id,)).fetchall())
    given = set(conn.execute("SELECT role, scope FROM signoff WHERE engagement_id = ?", (engagement_id,)).fetchall())
    wanted = signoffs_wanted(framework, sections)
    return compute_coverage(framework, answers(conn, engagement_id).get(engagement_id, {}), health,
                            {dim: level for _, dim, level, _ in light.assessment_rows(conn, engagement_id)},
                            Share(sum(1 for w in wanted if w in given), len(wanted)))


def score_card(conn: Rows, engagement_id: int, framework: Framework | None = None) -> ScoreCard:
    """One engagement's score card (its frozen framework unless `framework` is given)."""
    if framework is None:
        framework = framework_of_text(light.snapshot_texts(conn, engagement_id)[engagement_id])
    rows = light.assessment_rows(conn, engagement_id)
    return score_engagement(framework, {dim: level for _, dim, level, _ in rows},
                            {dim: target for _, dim, _, target in rows},
                            finding_facts(conn, engagement_id).get(engagement_id, []),
                            checklist_share(framework, answers(conn, engagement_id).get(engagement_id, {})))


def engagement_score(conn: Rows, key: str) -> tuple[dict[str, Any], ScoreCard]:
    """(the engagement's fields, its score card) for ENG as the command line names it."""
    engagement_id = light.resolve_engagement_id(conn, key)
    return light.engagement_row(conn, engagement_id), score_card(conn, engagement_id)


def scored_coverage(conn: Rows, key: str, sections: bool = True) -> tuple[dict[str, Any], ScoreCard, Coverage]:
    """(the engagement's fields, its score card, its coverage) for ENG, as `score` reports them: its frozen
    framework read once. `sections`: the firm's gates ask for the preparer's per-section sign-offs."""
    engagement_id = light.resolve_engagement_id(conn, key)
    framework = framework_of_text(light.snapshot_texts(conn, engagement_id)[engagement_id])
    return (light.engagement_row(conn, engagement_id), score_card(conn, engagement_id, framework),
            coverage(conn, engagement_id, framework, sections))


def engagement_summaries(conn: Rows, *, include_archived: bool = True) -> list[EngagementSummary]:
    """Every engagement with its score, computed in a few set-based queries (fast on big workspaces)."""
    levels: dict[int, dict[str, int | None]] = {}
    for eid, dim, level, _target in light.assessment_rows(conn):
        levels.setdefault(eid, {})[dim] = level
    facts = finding_facts(conn)
    answered = answers(conn)
    frameworks = {eid: framework_of_text(content) for eid, content in light.shared_snapshot_texts(conn).items()}
    result = []
    for row in light.engagement_rows(conn):
        if row["archived"] and not include_archived:
            continue
        eid = row["id"]
        card = score_engagement(frameworks[eid], levels.get(eid, {}), findings=facts.get(eid, []),
                                checklist=checklist_share(frameworks[eid], answered.get(eid, {})))
        result.append(EngagementSummary(row["uid"], row["ref"], row["title"], row["client"], row["status"],
                                        row["framework_id"], card.overall, card.band, card.verdict,
                                        card.provisional, row["updated_at"], row["archived"],
                                        len(facts.get(eid, []))))
    return result


def summaries_at(path: Path | str) -> list[EngagementSummary] | None:
    """The library of the workspace at `path`, read at once without the database layer, or None when that
    cannot be done (no workspace yet, an older or newer schema, a damaged file): opening the workspace
    then says what is wrong, or upgrades it."""
    from workbench.store.location import is_server_url
    from workbench.store.migrate import head_revision

    if is_server_url(path):  # a team server's: read once it is open (its schema is checked then)
        return None
    try:
        if not Path(path).is_file():
            return None
        with light.reader(Path(path)) as conn:  # one connection (on an encrypted file, one keyed cipher setup)
            if conn.execute("SELECT version_num FROM alembic_version").fetchall() != [(head_revision(),)]:
                return None
            return engagement_summaries(conn)
    except Exception:  # whatever it is, the workspace's own opening reports it properly
        log.info("the library was not read before opening %s", path, exc_info=True)
        return None
