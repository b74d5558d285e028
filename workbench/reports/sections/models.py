"""Model inventory: every model with its deployment, status, risk tier, performance, monitoring and owner, and
under its name the lineage recorded (model card, training data, code commit, approval)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from workbench.reports import formatting as F
from workbench.reports import styles as S
from workbench.reports.context import Context, fill_cell
from workbench.reports.sections import heading, intro
from workbench.reports.text import label, markup

TIER_FILL = {"high": S.severity_fill("High"), "medium": S.severity_fill("Medium"), "low": S.severity_fill("Low")}


def build(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    story: list[Flowable] = [heading(ctx, number, "Model inventory", "sec-models")]
    if not data.models:
        return story + [ctx.empty("No models were recorded in the inventory of this engagement, so there is "
                                  "nothing to list.")]
    production = [m for m in data.models if m.status == "production"]
    unmonitored = [m for m in production if not m.monitored]
    sentence = (f"{F.plural(len(data.models), 'model')} in the inventory, {len(production):,} in production"
                + (f"; {F.plural(len(unmonitored), 'production model')} not monitored." if unmonitored
                   else "; every production model is monitored." if production else "."))
    story.append(intro(ctx, sentence))
    rows, extra = [], []
    for row, model in enumerate(data.models, start=1):
        name = f"<b>{markup(model.name)}</b>"
        if model.version.strip():
            name += f" <font color='#5A5F66'>{markup(model.version, limit=40)}</font>"
        if model.notes.strip():
            name += f"<br/><font color='#5A5F66'>{markup(model.notes, limit=3000)}</font>"
        for what, value in model.lineage:
            name += f"<br/><font color='#5A5F66'>{label(what)}: {markup(value, limit=300)}</font>"
        performance = (f"{label(F.number(model.latency_ms) + ' ms' if model.latency_ms is not None else '—')}<br/>"
                       f"{label(F.number(model.throughput_rps) + ' rps' if model.throughput_rps is not None else '')}")
        tier_fill = TIER_FILL.get(model.risk_tier, S.FAINT)
        extra.append(fill_cell(3, row, tier_fill))
        monitored_fill = S.ANSWER_FILL["yes"] if model.monitored else (
            S.ANSWER_FILL["no"] if model.status == "production" else S.ANSWER_FILL["na"])
        extra.append(fill_cell(5, row, monitored_fill))
        owner = f"{markup(model.owner, limit=80, empty='—')}<br/><font color='#5A5F66'>" \
                f"{markup(model.registry, limit=80)}</font>"
        rows.append([ctx.raw(name, st.cell),
                     ctx.fixed(F.code_label(model.deployment, F.DEPLOYMENT_LABELS)),
                     ctx.raw(f"{label(F.code_label(model.status, F.STATUS_LABELS))}<br/>"
                             f"<font color='#5A5F66'>{label(F.date_text(model.last_updated))}</font>", st.cell),
                     ctx.pill(F.code_label(model.risk_tier), tier_fill),
                     ctx.raw(performance, st.cell_right),
                     ctx.pill("Yes" if model.monitored else "No", monitored_fill),
                     ctx.raw(owner, st.cell)])
    story.append(ctx.table(["Model", "Deployment", "Status, updated", "Risk tier", "Latency, throughput",
                            "Monitored", "Owner, registry"], rows, [0.25, 0.13, 0.12, 0.09, 0.12, 0.11, 0.18],
                           extra=extra, right=(4,)))
    return story
