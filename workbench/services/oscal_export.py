"""An engagement as an OSCAL assessment-results document, built with compliance-trestle's models.

The models are generated from NIST's OSCAL schema and validate every field as it is set (extra
fields forbidden, ids and uuids checked against the schema's patterns), so a document that gets
written is a valid one. Mapping (docs/frameworks.md): the framework's checklist items are the
reviewed controls; each answered item is an observation and a finding on that control (an answer
whose declared score is 1, such as yes, → satisfied; below 1, such as no or partial, → not satisfied);
each dimension's level is an observation; each audit finding is a finding on its control (the
checklist item it was raised against) or, without one, on its dimension; each risk is an OSCAL risk
with likelihood and impact facets; evidence files are back-matter resources with their SHA-256. UUIDs
derive from the engagement's uid, so an export of the same engagement names the same things with the same uuids.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench.catalogs.provenance import provenance_line
from workbench.domain.costs import CostBasis
from workbench.domain.coverage import Coverage
from workbench.domain.framework import Framework
from workbench.domain.scales import UNANSWERED
from workbench.fs.files import atomic_output
from workbench.services.cost_rollup import finding_figure, open_total
from workbench.services.document import engagement_document
from workbench.services.engagements import score_in_session
from workbench.services.progress import engagement_coverage, firm_gates
from workbench.services.unit import reading, snapshot_of
from workbench.store.workspace import Workspace

NS = "urn:mlops-audit-workbench:oscal"  # namespace of the workbench's own props and facets
_TOKEN = re.compile(r"^[_A-Za-z][_A-Za-z0-9.-]*$")
RISK_STATUS = {"open": "open", "mitigating": "remediating", "accepted": "deviation-approved", "closed": "closed"}


def token(value: str, prefix: str = "c-") -> str:
    """An OSCAL token (starts with a letter or _): item ids such as "1.2" get a prefix."""
    cleaned = re.sub(r"[^_A-Za-z0-9.-]", "-", value)
    return cleaned if _TOKEN.match(cleaned) else f"{prefix}{cleaned}"


def line(text: str, fallback: str) -> str:
    """OSCAL titles are one line without surrounding spaces."""
    value = " ".join(str(text or "").split())
    return value or fallback


def _when(value: str | None, default: datetime) -> datetime:
    """A timestamp to the second: trestle writes milliseconds, so a time within a millisecond of a whole
    second would otherwise read back as a different value than it was written."""
    if not value:
        return default
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).replace(microsecond=0)


class _Builder:
    def __init__(self, document: dict[str, Any], framework: Framework, card: Any, basis: CostBasis) -> None:
        from trestle.oscal import common

        self.c = common
        self.doc, self.framework, self.card, self.basis = document, framework, card, basis
        self.uid = document["engagement"]["uid"]
        e = document["engagement"]
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.collected = _when(e.get("updated_at"), self.now)
        self.lead = self.id("party", "lead")

    def id(self, *key: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"mlaudit:{self.uid}:" + ":".join(key)))

    def prop(self, name: str, value: Any) -> Any:
        return self.c.Property(name=name, ns=NS, value=line(str(value), "-"))

    def control_ids(self) -> dict[str, str]:
        """Checklist item id → OSCAL control id (the catalog's own id for imported OSCAL catalogs)."""
        result = {}
        for dimension in self.framework.raw.get("dimensions", []):
            for item in dimension.get("items", []):
                result[item["id"]] = token(str(item.get("source_id") or item["id"]))
        return result

    def evidence(self) -> tuple[list[Any], dict[str, list[Any]]]:
        """Back-matter resources for evidence files and, per checklist item, its relevant-evidence entries."""
        resources: list[Any] = []
        per_item: dict[str, list[Any]] = {}
        for record in self.doc["evidence"]:
            rid = self.id("evidence", record["uid"])
            resources.append(self.c.Resource(
                uuid=rid, title=line(record["file_name"], "evidence file"),
                description=record.get("description") or None,
                rlinks=[self.c.Rlink(href=f"evidence/{record['sha256']}", media_type=record.get("media_type") or None,
                                     hashes=[self.c.Hash(algorithm="SHA-256", value=record["sha256"])])]))
            for link in record.get("links", []):
                if link["target_kind"] == "checklist_item":
                    described = f"Evidence file {record['file_name']} (SHA-256 {record['sha256']})"
                    per_item.setdefault(link["target_key"], []).append(
                        self.c.RelevantEvidence(href=f"#{rid}", description=described))
        return resources, per_item

    def checklist(self, evidence: dict[str, list[Any]], controls: dict[str, str]) -> tuple[list[Any], list[Any]]:
        """An observation per answered item; a finding on its control when the answer is scored.

        The item's declared score decides: 1 is satisfied, below 1 (No, Partial, Basic …) not satisfied;
        n/a and unscored answers (Required / Nice-to-have) are observations only.
        """
        observations, findings = [], []
        answers = {r["item_id"]: r for r in self.doc["checklist"]}
        for dimension in self.framework.dimensions:
            for item in dimension.items:
                response = answers.get(item.id)
                if not response or response["answer"] == UNANSWERED:
                    continue
                answer, note = response["answer"], response.get("note") or ""
                shown = item.scale.label(answer)
                heading = item.text.splitlines()[0] if item.text else item.id
                oid = self.id("observation", item.id)
                observations.append(self.c.Observation(
                    uuid=oid, title=line(f"{item.id}: {shown}", item.id),
                    description=f"Checklist item {item.id} ({heading}) answered {shown}."
                                + (f" Auditor's note: {note}" if note else ""),
                    methods=["EXAMINE", "INTERVIEW"], types=["control-objective"],
                    relevant_evidence=evidence.get(item.id), collected=self.collected))
                score = item.scale.score(answer)
                if score is None:
                    continue
                findings.append(self.c.Finding(
                    uuid=self.id("finding", "item", item.id), title=line(f"{item.id} {heading}", item.id),
                    description=f"{shown}: {item.text}",
                    props=[self.prop("answer-score", f"{score:g}")] if item.scale.graded else None,
                    target=self.c.FindingTarget(
                        type="objective-id", target_id=controls[item.id],
                        status=self.c.ObjectiveStatus(state="satisfied" if score >= 1 else "not-satisfied",
                                                      reason="pass" if score >= 1 else (
                                                          "fail" if score == 0 else "other"))),
                    related_observations=[self.c.RelatedObservation(observation_uuid=oid)]))
        return observations, findings

    def dimensions(self) -> list[Any]:
        assessments = {a["dimension_id"]: a for a in self.doc["assessments"]}
        result = []
        for dimension in self.framework.dimensions:
            row = assessments.get(dimension.id, {})
            level = row.get("current_level")
            if not level:
                continue
            result.append(self.c.Observation(
                uuid=self.id("observation", "dimension", dimension.id),
                title=line(f"{dimension.name}: level {level} ({dimension.level(level).name})", dimension.id),
                description=(row.get("justification") or dimension.level(level).descriptor),
                props=[self.prop("dimension", dimension.id), self.prop("maturity-level", level)],
                methods=["EXAMINE", "INTERVIEW"], types=["historic"], collected=self.collected))
        return result

    def audit_findings(self, controls: dict[str, str]) -> list[Any]:
        """Each audit finding targets its control (the checklist item it was raised against), else its dimension.

        A finding on a control also points at the observation of that item's answer, when there is one.
        """
        answered = {r["item_id"] for r in self.doc["checklist"] if r["answer"] != UNANSWERED}
        result = []
        for f in self.doc["findings"]:
            state = "satisfied" if f["status"] == "resolved" else "not-satisfied"
            item = f.get("item_id") or ""
            props = [self.prop("severity", f["severity"]), self.prop("status", f["status"])]
            figure = finding_figure(f, self.basis)
            if figure.hours is not None:  # the register's figures (services/cost_rollup.py)
                props += [self.prop("effort-hours", f"{figure.hours:g}"),
                          self.prop("remediation-cost", f"{figure.cost}"), self.prop("currency", figure.currency)]
            if f.get("dimension_id"):
                props.append(self.prop("dimension", f["dimension_id"]))
            target = controls[item] if item in controls else token(f.get("dimension_id") or "engagement", "d-")
            related = ([self.c.RelatedObservation(observation_uuid=self.id("observation", item))]
                       if item in controls and item in answered else None)
            result.append(self.c.Finding(
                uuid=self.id("finding", f["uid"]), title=line(f"{f['ref']} {f['title']}", f["ref"]),
                description=f.get("description") or f["title"], props=props,
                target=self.c.FindingTarget(type="objective-id", target_id=target,
                                            status=self.c.ObjectiveStatus(state=state)),
                related_observations=related,
                remarks=f"Recommendation: {f['recommendation']}" if f.get("recommendation") else None))
        return result

    def risks(self) -> list[Any]:
        origin = self.c.Origin(actors=[self.c.OriginActor(type="party", actor_uuid=self.lead)])
        result = []
        for r in self.doc["risks"]:
            facets = [self.c.Facet(name=name, system=NS, value=str(value)) for name, value in
                      (("likelihood", r["likelihood"]), ("impact", r["impact"]),
                       ("score", int(r["likelihood"]) * int(r["impact"])))]
            result.append(self.c.Risk(
                uuid=self.id("risk", r["uid"]), title=line(f"{r['ref']} {r['title']}", r["ref"]),
                description=f"{r['title']} (category: {r['category']})", statement=r.get("mitigation") or r["title"],
                props=[self.prop("owner", r["owner"])] if r.get("owner") else None,
                status=RISK_STATUS.get(r["status"], "open"),
                characterizations=[self.c.Characterization(origin=origin, facets=facets)]))
        return result


def _result_props(b: _Builder, coverage: Coverage | None) -> list[Any]:
    """Score, verdict, provisional with its reasons and the coverage (as the reports show them), and the
    open findings' remediation effort and cost (the reports' cost roll-up)."""
    card, framework = b.card, b.framework
    props = [b.prop("framework", f"{framework.id} {framework.version}")]
    if card.overall is not None:
        props += [b.prop("score", f"{card.overall:g}"), b.prop("band", card.band), b.prop("verdict", card.verdict),
                  b.prop("provisional", str(card.provisional).lower())]
        if card.provisional:
            props += [b.prop("provisional-reason", reason) for reason in card.provisional_reasons]
    if coverage is not None:
        props += [b.prop("coverage", coverage.sentence()),
                  b.prop("checklist-coverage", f"{coverage.checklist.done}/{coverage.checklist.total}")]
    total = open_total(b.doc, b.basis)
    props += [b.prop("open-remediation-hours", f"{total.hours:g}"),
              b.prop("open-remediation-cost", str(total.cost)), b.prop("currency", b.basis.currency)]
    return props


def build_assessment_results(document: dict[str, Any], framework: Framework, card: Any,
                             basis: CostBasis | None = None, coverage: Coverage | None = None) -> Any:
    """The trestle AssessmentResults model of an engagement document (validated as it is built).

    `basis` prices the findings (the auditor's day rate and currency; the defaults when None).
    """
    from trestle.oscal import OSCAL_VERSION
    from trestle.oscal import assessment_results as ar

    b = _Builder(document, framework, card, basis or CostBasis())
    c, e, client = b.c, document["engagement"], document["client"]
    controls = b.control_ids()
    resources, evidence = b.evidence()
    item_observations, item_findings = b.checklist(evidence, controls)
    observations = b.dimensions() + item_observations
    findings = item_findings + b.audit_findings(controls)
    risks = b.risks()
    plan = b.id("resource", "plan")
    resources[:0] = [
        c.Resource(uuid=plan, title=line(f"Assessment plan of engagement {e['ref']}", "assessment plan"),
                   description=f"Scope: {e.get('scope') or 'as agreed with the client'}. Framework: {framework.name} "
                               f"{framework.version}."),
        c.Resource(uuid=b.id("resource", "framework"), title=line(f"Framework: {framework.name}", "framework"),
                   description=provenance_line(framework.raw) or framework.source or framework.name)]
    client_party = b.id("party", "client")
    parties = [c.Parties(uuid=client_party, type="organization", name=line(client["name"], "client"))]
    responsible = []
    if e.get("lead_auditor"):
        parties.append(c.Parties(uuid=b.lead, type="person", name=line(e["lead_auditor"], "lead auditor")))
        responsible.append(c.ResponsibleParty(role_id="assessment-lead", party_uuids=[b.lead]))
    else:  # the risk origins name the lead: keep a party for them even when unnamed
        parties.append(c.Parties(uuid=b.lead, type="person", name="Lead auditor"))
    score = card.overall
    result_props = _result_props(b, coverage)
    selection: Any = (c.ControlSelections(include_controls=[c.SelectControlById(control_id=cid)
                                                            for cid in dict.fromkeys(controls.values())])
                      if controls else c.ControlSelectionsAll(include_all={}))
    start = _when(e.get("start_date") or e.get("created_at"), b.now)
    end = _when(e.get("end_date") or e.get("locked_at"), b.now) if (e.get("end_date") or e.get("locked_at")) else None
    return ar.AssessmentResults(
        uuid=b.id("assessment-results"),
        metadata=c.Metadata(
            title=line(f"Assessment results: {e['title']} ({e['ref']})", e["ref"]), last_modified=b.now,
            version=line(e.get("updated_at") or "1", "1"), oscal_version=OSCAL_VERSION,
            roles=[c.Role(id="assessment-lead", title="Assessment lead"), c.Role(id="client", title="Client")],
            parties=parties, responsible_parties=responsible or None,
            props=[b.prop("engagement-ref", e["ref"]), b.prop("engagement-uid", e["uid"])]),
        import_ap=ar.ImportAp(href=f"#{plan}"),
        results=[ar.Result(
            uuid=b.id("result"), title=line(f"{e['ref']}: {framework.name}", e["ref"]),
            description=(f"Assessment of {e.get('system_name') or 'the client’s ML operations'} for {client['name']} "
                         f"against {framework.name} {framework.version}."
                         + (f" Overall score {card.shown_text} ({card.band}), verdict {card.verdict}."
                            if score is not None else " Not scored yet.")),
            start=start, end=end if end is None or end >= start else start, props=result_props,
            reviewed_controls=c.ReviewedControls(control_selections=[selection]),
            observations=observations or None, findings=findings or None, risks=risks or None)],
        back_matter=c.BackMatter(resources=resources))


def export_assessment_results(ws: Workspace, engagement_key: str, output: Path,
                              basis: CostBasis | None = None) -> Path:
    """Write the engagement's OSCAL assessment results as JSON (atomically); returns the path written.

    `basis`: the auditor's day rate and currency that price the findings (the defaults when None).
    """
    with reading(ws, engagement_key) as (session, engagement):
        document = engagement_document(session, engagement, audit_log=False)
        framework = snapshot_of(session, engagement)
        card = score_in_session(session, engagement, framework)
    coverage = engagement_coverage(framework, document, firm_gates())
    model = build_assessment_results(document, framework, card, basis, coverage)
    output = Path(output)
    if output.is_dir():
        output = output / f"{document['engagement']['ref']}-assessment-results.json"
    with atomic_output(output) as handle:
        handle.write(model.oscal_serialize_json_bytes(pretty=True))
    return output
