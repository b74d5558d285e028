"""Build a large, realistic workspace for benchmarks: many ordinary engagements and one big one.

Everything goes through the services (create_engagement, then one `change(...)` unit of work per
engagement with add_in_unit / set_assessment_in_unit / answer_in_unit ...), so every record has
its audit event and the hash chain of every engagement verifies. Content is random but seeded:
the same arguments always give the same records (uids and timestamps aside).

    .venv/bin/python bench/generate.py OUT.db [--engagements 50] [--findings 5000] [--models 1000]
                                              [--risks 500] [--seed 1] [--force]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from workbench.services.assessment import answer_in_unit, health_in_unit, set_assessment_in_unit
from workbench.services.engagements import create_engagement
from workbench.services.evidence import attach_in_unit
from workbench.services.records import add_in_unit
from workbench.services.unit import Unit, change
from workbench.store.workspace import Workspace

ACTOR = "bench-generator"
FRAMEWORKS = ("mlops-architecture", "aiml-infrastructure")

# -- vocabulary ------------------------------------------------------------------------------

CLIENTS = [
    ("Acme Analytics", "Retail"), ("Borealis Bank", "Financial services"), ("Cobalt Health", "Healthcare"),
    ("Delta Freight Logistics", "Logistics"), ("Emberline Energy", "Energy"), ("Fjord Insurance", "Insurance"),
    ("Granite Telecom", "Telecommunications"), ("Helix Pharma", "Life sciences"), ("Iris Media Group", "Media"),
    ("Juniper Public Transport", "Public sector"), ("Kestrel Aerospace", "Manufacturing"),
    ("Lumen Retail Partners", "Retail"), ("Meridian Credit Union", "Financial services"),
    ("Nordwind Wasser GmbH", "Utilities"), ("Orchard Agritech", "Agriculture"),
    ("Société Générale des Eaux", "Utilities"),
    ("Quartz Payments", "Fintech"), ("Ridgeway University Hospital", "Healthcare"), ("Saffron Foods", "FMCG"),
    ("Tessellate Games", "Gaming"),
]
SYSTEMS = ["Demand forecasting platform", "Credit decisioning engine", "Claims triage service",
           "Recommendation service", "Fraud detection pipeline", "Predictive maintenance platform",
           "Customer churn scoring", "Document understanding service", "Route optimisation engine",
           "Clinical risk stratification", "Dynamic pricing service", "Anti-money-laundering monitor"]
USE_CASES = ["next-best-offer ranking", "transaction fraud scoring", "sensor anomaly detection",
             "invoice OCR and extraction", "call-centre intent classification", "inventory demand forecasts",
             "patient readmission risk", "price elasticity estimation", "image defect detection",
             "credit limit recommendations", "search relevance ranking", "energy load forecasting"]
ML_FRAMEWORKS = ["PyTorch", "TensorFlow", "scikit-learn", "XGBoost", "LightGBM", "JAX", "Spark MLlib", "Hugging Face"]
AUDITORS = ["Amira Haddad", "Jonas Lindqvist", "Priya Raman", "Zoë Müller", "Tomás Ferreira", "Chen Wei",
            "Olusegun Adeyemi", "Hanna Kowalczyk", "Mateo García", "Sophie Dubois"]
OWNERS = ["ML platform team", "Data engineering", "Risk analytics", "SRE", "Data science guild", "Security office",
          "Model risk management", "Head of data", "Product analytics", "IT operations", "CISO office", "DPO"]

TOPICS = {  # keyed by dimension id (both shipped frameworks); fallback below
    "DP": ["ingestion jobs", "schema validation", "data freshness checks", "training data versioning", "lineage"],
    "DATA": ["feature pipelines", "data validation", "source lineage", "point-in-time joins", "data contracts"],
    "MD": ["notebook-to-production handover", "reproducible training", "hyperparameter search", "code review"],
    "DEV": ["training reproducibility", "GPU scheduling", "experiment hygiene", "peer review of models"],
    "MR": ["model registry", "stage transitions", "model cards", "approval workflow", "artifact signing"],
    "DEP": ["canary releases", "rollback procedure", "serving autoscaling", "shadow deployments", "blue/green"],
    "MON": ["drift detection", "prediction logging", "alert routing", "performance dashboards", "SLOs"],
    "CICD": ["pipeline tests", "model validation gates", "infrastructure as code", "release automation"],
    "OPS": ["continuous training", "pipeline tests", "release automation", "environment parity"],
    "EXP": ["experiment tracking", "metric logging", "run comparison", "artifact retention"],
    "FS": ["feature store", "online/offline skew", "feature ownership", "feature reuse", "backfills"],
    "INF": ["GPU capacity planning", "cluster quotas", "cost allocation", "spot instance usage"],
    "GOV": ["model inventory", "EU AI Act classification", "bias testing", "approval records", "retention policy"],
    "TEAM": ["on-call rota", "ML engineering skills", "knowledge transfer", "documentation culture"],
}
DEFAULT_TOPICS = ["documentation", "access control", "ownership", "testing"]
PROBLEMS = ["is performed manually and inconsistently", "has no named owner", "is not covered by automated tests",
            "is undocumented beyond a wiki page from {year}", "depends on a single engineer",
            "fails silently when upstream data is late", "is configured differently in each environment",
            "lacks an audit trail of who changed what", "was switched off after an incident and never restored",
            "relies on a deprecated library version", "is not monitored outside office hours",
            "has thresholds that nobody has reviewed since go-live"]
IMPACTS = ["Silent model degradation could go unnoticed for weeks.",
           "A failed release cannot be rolled back within the agreed RTO.",
           "Regulators could not be shown how a decision was reached.",
           "Retraining results cannot be reproduced, which blocks root-cause analysis.",
           "Cloud spend grows without a link to business value.",
           "Customer-facing predictions may be biased against protected groups.",
           "Outages of the serving layer would breach the 99.9 % availability SLA.",
           "Personal data could be used for training without a lawful basis."]
RECOMMENDATIONS = ["Automate {topic} in the orchestrator and fail the pipeline on violations.",
                   "Assign an accountable owner for {topic} and record it in the model inventory.",
                   "Add {topic} to the release checklist and enforce it as a CI gate.",
                   "Write a runbook for {topic}, rehearse it quarterly and keep evidence of the drills.",
                   "Introduce alerting on {topic} with an on-call route and a documented threshold review.",
                   "Replace the ad-hoc scripts for {topic} with a supported, versioned component."]
MODEL_WORDS = ["churn", "fraud", "demand", "pricing", "ranker", "ocr", "intent", "anomaly", "ltv", "credit",
               "eta", "defect", "readmit", "propensity", "nlu", "forecast"]
MODEL_ALGOS = ["xgb", "lgbm", "bert", "resnet", "lstm", "glm", "rf", "tft", "gbm", "t5"]
REGISTRIES = ["MLflow", "SageMaker Model Registry", "Vertex AI Model Registry", "Azure ML", "W&B Artifacts", ""]
RISK_TITLES = ["Undetected concept drift in {thing}", "Key-person dependency for {thing}",
               "Training data for {thing} contains personal data", "Vendor lock-in on {thing}",
               "Unpatched vulnerabilities in {thing} images", "Runaway inference cost of {thing}",
               "Regulatory non-compliance of {thing}", "Feedback loop bias in {thing}"]
MITIGATIONS = ["Quarterly review with the model risk committee; drift monitors on the top features.",
               "Cross-train a second engineer and document the operating procedure.",
               "Pseudonymise inputs and record the lawful basis in the DPIA.",
               "Abstract the serving interface and keep an exit plan with cost estimate.",
               "Weekly image rebuilds with dependency scanning in CI.", ""]
TOOLS = [("MLflow", "Experiment tracking"), ("Feast", "Feature store"), ("Evidently", "Monitoring"),
         ("Great Expectations", "Data quality"), ("Kubeflow", "Orchestration"), ("Seldon Core", "Serving"),
         ("DVC", "Data versioning"), ("Argo CD", "Deployment")]


@dataclass
class Generated:
    path: Path
    big_uid: str
    engagement_uids: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # uid -> kind -> number of records
    seconds: float = 0.0


# -- records ---------------------------------------------------------------------------------


def _dimension_ids(unit: Unit) -> list[str]:
    return [d.id for d in unit.framework.dimensions]


def finding_values(rng: random.Random, number: int, dimension_ids: list[str], today: date) -> dict[str, Any]:
    dimension = rng.choice(dimension_ids)
    topic = rng.choice(TOPICS.get(dimension, DEFAULT_TOPICS))
    problem = rng.choice(PROBLEMS).format(year=rng.randint(2017, 2024))
    severity = rng.choices(["Critical", "High", "Medium", "Low", "Info"], weights=[2, 10, 35, 35, 18])[0]
    has_recommendation = severity not in ("Critical",) or rng.random() < 0.8
    current = rng.randint(1, 4)
    values: dict[str, Any] = {
        "ref": f"F-{number:03d}",
        "title": f"{topic[0].upper()}{topic[1:]} {problem}"[:300],
        "dimension_id": dimension,
        "severity": severity,
        "impact": rng.choice(IMPACTS),
        "description": " ".join([
            f"During fieldwork we observed that {topic} {problem}.",
            rng.choice(["Interviews with the team confirmed this.", "Two of five sampled runs showed the gap.",
                        "The evidence provided covered only the staging environment.",
                        "No documentation was available for the period under review."]),
            rng.choice(IMPACTS)]),
        "recommendation": rng.choice(RECOMMENDATIONS).format(topic=topic) if has_recommendation else "",
        "current_level": current,
        "recommended_level": min(5, current + rng.randint(1, 2)),
        "effort_hours": rng.choice([4, 8, 16, 24, 40, 80, 120, 200]),
        "cost_estimate": round(rng.uniform(500, 90_000), 2),
        "currency": "EUR",
        "owner": rng.choice(OWNERS),
        "status": rng.choices(["open", "in_remediation", "resolved", "risk_accepted"], weights=[60, 20, 15, 5])[0],
    }
    if rng.random() < 0.85:
        values["due_date"] = (today + timedelta(days=rng.randint(14, 365))).isoformat()
    if values["status"] == "risk_accepted":  # who and why are required, as an auditor records them
        values.update(accepted_by=rng.choice(OWNERS), accepted_reason=rng.choice(IMPACTS))
    elif values["status"] == "resolved":
        values["resolution_evidence"] = "Retested during fieldwork: " + rng.choice(RECOMMENDATIONS).format(topic=topic)
    return values


def model_values(rng: random.Random, number: int, today: date) -> dict[str, Any]:
    name = f"{rng.choice(MODEL_WORDS)}-{rng.choice(MODEL_ALGOS)}-{number:04d}"
    deployment = rng.choice(["batch", "rest", "streaming", "edge", "embedded"])
    return {
        "name": name,
        "version": f"{rng.randint(0, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
        "deployment": deployment,
        "latency_ms": None if deployment == "batch" else round(rng.lognormvariate(3.5, 0.8), 1),
        "throughput_rps": None if deployment == "batch" else round(rng.uniform(1, 5000), 1),
        "status": rng.choices(["production", "staging", "development", "retired"], weights=[55, 20, 15, 10])[0],
        "last_updated": (today - timedelta(days=rng.randint(0, 900))).isoformat(),
        "owner": rng.choice(OWNERS),
        "risk_tier": rng.choice(["high", "medium", "low"]),
        "model_registry": rng.choice(REGISTRIES),
        "monitored": rng.random() < 0.6,
        "notes": rng.choice(["", "Retrained monthly.", "Owner left in Q2; handover pending.",
                             "Shadow model for the next release.", "Uses features from the shared store."]),
    }


def risk_values(rng: random.Random, number: int) -> dict[str, Any]:
    thing = rng.choice(SYSTEMS).lower()
    return {
        "ref": f"R-{number:02d}",
        "title": rng.choice(RISK_TITLES).format(thing=thing),
        "category": rng.choice(["technical", "operational", "security", "compliance", "financial",
                                "organisational"]),
        "likelihood": rng.randint(1, 5),
        "impact": rng.randint(1, 5),
        "mitigation": rng.choice(MITIGATIONS),
        "owner": rng.choice(OWNERS),
        "status": rng.choice(["open", "open", "mitigating", "accepted", "closed"]),
    }


def cost_values(rng: random.Random) -> dict[str, Any]:
    return {
        "kind": rng.choice(["optimisation", "budget", "resource", "remediation"]),
        "name": rng.choice(["Spot instances for training", "Consolidate GPU clusters", "Feature store licence",
                            "Monitoring platform", "MLOps engineer (contract)", "Remediation of critical findings"]),
        "impact": rng.choice(["high", "medium", "low"]),
        "effort": rng.choice(["high", "medium", "low"]),
        "estimated_cost": round(rng.uniform(5_000, 400_000), -2),
        "fte": round(rng.uniform(0, 3), 1),
        "duration_weeks": rng.choice([4, 8, 12, 26, 52]),
    }


def fill_engagement(unit: Unit, rng: random.Random, *, findings: int, models: int, risks: int,
                    assess_all: bool, evidence: int, today: date) -> dict[str, int]:
    """Add the records of one engagement inside its unit of work; returns how many of each kind."""
    framework = unit.framework
    dims = _dimension_ids(unit)
    counts = {"assessment": 0, "checklist": 0, "health_check": 0, "finding": 0, "model": 0, "risk": 0,
              "cost": 0, "roadmap": 0, "matrix": 0, "evidence": 0}
    for dimension in framework.dimensions:
        if not assess_all and rng.random() < 0.3:
            continue
        level = rng.choices([1, 2, 3, 4, 5], weights=[10, 30, 35, 20, 5])[0]
        descriptor = dimension.levels[level - 1].descriptor
        set_assessment_in_unit(unit, dimension.id, level=level, target=min(5, level + rng.randint(0, 2)),
                               justification=f"Observed: {descriptor} {rng.choice(IMPACTS)}")
        counts["assessment"] += 1
        for item in dimension.items:
            if not assess_all and rng.random() < 0.35:
                continue
            options = list(item.scale.values)  # yes / partial / no, or a graded item's own options
            answer = rng.choices([*options, "na"], weights=[*([95 / len(options)] * len(options)), 5])[0]
            note = "" if item.scale.score(answer) == 1 else f"See interview notes, {rng.choice(AUDITORS)}."
            answer_in_unit(unit, item.id, answer, note)
            counts["checklist"] += 1
    for question in framework.health_check:
        if assess_all or rng.random() < 0.8:
            health_in_unit(unit, question.id, rng.choice(["yes", "no"]))
            counts["health_check"] += 1
    refs = []
    for number in range(1, findings + 1):
        row = add_in_unit(unit, "finding", finding_values(rng, number, dims, today))
        refs.append(row.ref)
    model_names = []
    for number in range(1, models + 1):
        model_names.append(add_in_unit(unit, "model", model_values(rng, number, today)).name)
    for number in range(1, risks + 1):
        add_in_unit(unit, "risk", risk_values(rng, number))
    counts.update(finding=findings, model=models, risk=risks)
    for _ in range(max(2, findings // 200)):
        add_in_unit(unit, "cost", cost_values(rng))
        counts["cost"] += 1
    for phase_number, phase in enumerate(["Stabilise", "Standardise", "Scale"]):
        start = today + timedelta(days=90 * phase_number)
        add_in_unit(unit, "roadmap", {
            "phase": phase, "activity": f"{phase}: address {', '.join(rng.sample(refs, min(3, len(refs))))}",
            "success_metric": "All linked findings resolved and evidenced",
            "start_date": start.isoformat(), "end_date": (start + timedelta(days=89)).isoformat(),
            "finding_refs": rng.sample(refs, min(3, len(refs)))})
        counts["roadmap"] += 1
    for tool, category in rng.sample(TOOLS, 3):
        add_in_unit(unit, "matrix", {"kind": "tool", "data": {
            "tool": tool, "category": category, "ring": rng.choice(["adopt", "trial", "assess", "hold"]),
            "rationale": f"{tool} evaluated against the {category.lower()} requirements."}})
        counts["matrix"] += 1
    for number in range(evidence):
        lines = [f"{today.isoformat()}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z job={rng.choice(dims)} "
                 f"status={rng.choice(['ok', 'ok', 'ok', 'failed', 'retried'])} rows={rng.randint(0, 10**7)}"
                 for _ in range(rng.randint(20, 400))]
        links = [("finding", rng.choice(refs))] if refs else []
        if model_names and rng.random() < 0.5:
            links.append(("model", rng.choice(model_names)))
        attach_in_unit(unit, "\n".join(lines).encode("utf-8"), f"pipeline-run-log-{number + 1:03d}.txt",
                       description="Export of the orchestrator's run history", media_type="text/plain",
                       links=links)
        counts["evidence"] += 1
    return counts


# -- workspace -------------------------------------------------------------------------------


def _details(rng: random.Random, number: int, big: bool, today: date) -> dict[str, Any]:
    start = today - timedelta(days=rng.randint(10, 700))
    return {
        "ref": f"BENCH-{number:03d}" if not big else "BENCH-BIG",
        "system_name": rng.choice(SYSTEMS),
        "use_cases": "; ".join(rng.sample(USE_CASES, 3)),
        "ml_framework": rng.choice(ML_FRAMEWORKS),
        "lead_auditor": rng.choice(AUDITORS),
        "team": ", ".join(rng.sample(AUDITORS, 3)),
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=rng.randint(20, 90))).isoformat(),
        "scope": "Production ML systems, their data pipelines, deployment path and monitoring. "
                 "Out of scope: BI dashboards and ad-hoc analyses.",
        "status": rng.choice(["planning", "fieldwork", "fieldwork", "review"]),
        "target_level": rng.choice([3, 3, 4, 4, 5]),
    }


def _remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        candidate.unlink(missing_ok=True)


def generate_workspace(path: Path | str, *, engagements: int = 50, big_findings: int = 5000,
                       big_models: int = 1000, big_risks: int = 500, seed: int = 1,
                       ordinary_findings: int = 20, ordinary_models: int = 8, ordinary_risks: int = 10,
                       overwrite: bool = False) -> Generated:
    """Create a workspace at `path`: engagements-1 ordinary engagements and one big one (the last).

    Ordinary engagements get about `ordinary_findings` findings (±20 %), exactly `ordinary_models`
    models and `ordinary_risks` risks, some assessments, checklist answers and two evidence files;
    the big one exactly the big_* counts and every assessment, checklist and health-check answer.
    """
    if engagements < 1:
        raise ValueError("engagements must be at least 1 (the big one)")
    path = Path(path)
    if path.exists():
        if not overwrite:
            raise FileExistsError(f"{path} exists; pass overwrite=True (or --force) to replace it")
        _remove_database(path)
    rng = random.Random(seed)
    today = date(2026, 3, 2)  # fixed, so the content does not depend on the day it is generated
    started = time.perf_counter()
    result = Generated(path=path, big_uid="")
    with Workspace(path, actor=ACTOR) as ws:
        for number in range(1, engagements + 1):
            big = number == engagements
            client, sector = CLIENTS[(number - 1) % len(CLIENTS)]
            framework_id = FRAMEWORKS[0] if big or rng.random() < 0.7 else FRAMEWORKS[1]
            title = (f"{rng.choice(['Annual', 'Pre-launch', 'Follow-up', 'Regulatory'])} MLOps audit "
                     f"of the {rng.choice(SYSTEMS).lower()}")
            uid = create_engagement(ws, client={"name": client, "sector": sector,
                                                "contact_name": rng.choice(AUDITORS)},
                                    title=title, framework_id=framework_id,
                                    details=_details(rng, number, big, today))
            spread = max(1, ordinary_findings // 5)
            with change(ws, uid) as unit:
                counts = fill_engagement(
                    unit, rng,
                    findings=big_findings if big else max(1, ordinary_findings + rng.randint(-spread, spread)),
                    models=big_models if big else ordinary_models,
                    risks=big_risks if big else ordinary_risks,
                    assess_all=big, evidence=40 if big else 2, today=today)
            result.engagement_uids.append(uid)
            result.counts[uid] = counts
            if big:
                result.big_uid = uid
    result.seconds = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a large benchmark workspace through the services.")
    parser.add_argument("out", type=Path, help="workspace file to create (OUT.db)")
    parser.add_argument("--engagements", type=int, default=50)
    parser.add_argument("--findings", type=int, default=5000, help="findings of the big engagement")
    parser.add_argument("--models", type=int, default=1000, help="models of the big engagement")
    parser.add_argument("--risks", type=int, default=500, help="risks of the big engagement")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = parser.parse_args(argv)
    try:
        result = generate_workspace(args.out, engagements=args.engagements, big_findings=args.findings,
                                    big_models=args.models, big_risks=args.risks, seed=args.seed,
                                    overwrite=args.force)
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    total = sum(sum(c.values()) for c in result.counts.values())
    print(f"{result.path}: {len(result.engagement_uids)} engagements, {total:,} records, "
          f"big engagement {result.big_uid}, {result.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
