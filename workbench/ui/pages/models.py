"""Model inventory: the client's ML models, edited inline or in the form beside the table."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from workbench.domain.enums import Deployment, ModelStatus, Rating
from workbench.ui.column_fit import KEY, MINOR, Fit
from workbench.ui.page_spec import FilterSpec, PageSpec
from workbench.ui.record_page import RecordPage
from workbench.ui.session import EngagementSession

MODELS_SPEC = PageSpec(
    kind="model", document_key="models", title="Models",
    columns=("name", "version", "deployment", "status", "latency_ms", "throughput_rps", "risk_tier", "monitored",
             "model_registry", "owner", "last_updated"),
    # a row just added is "development", not "production, not monitored" (a warning before anything is typed)
    new_values=lambda s: {"name": f"model-{len(s.records('models')) + 1}", "status": "development"},
    describe=lambda r: f"{r.get('name', '')} {r.get('version', '')}".strip(),
    filters=(
        FilterSpec("status", "Statuses", lambda _s: [(m.label, m.value) for m in ModelStatus]),
        FilterSpec("deployment", "Deployments", lambda _s: [(m.label, m.value) for m in Deployment]),
        FilterSpec("risk_tier", "Risk tiers", lambda _s: [(m.label, m.value) for m in Rating]),
    ),
    search_fields=("name", "version", "owner", "model_registry", "notes"),
    column_titles={"latency_ms": "Latency (ms)", "throughput_rps": "Throughput (rps)", "model_registry": "Registry",
                   "last_updated": "Updated"},
    fits={"name": Fit(1, minimum_chars=18, stretch=True), "version": KEY, "status": KEY, "monitored": KEY,
          "deployment": Fit(2, minimum_chars=8), "risk_tier": Fit(2, minimum_chars=6), "latency_ms": MINOR,
          "throughput_rps": MINOR, "model_registry": MINOR, "owner": MINOR, "last_updated": MINOR},
    empty_text="No models in the inventory yet. Add them one by one or import a spreadsheet.",
)


class ModelsPage(RecordPage):
    def __init__(self, session: EngagementSession, parent: QWidget | None = None) -> None:
        super().__init__(session, MODELS_SPEC, parent)
