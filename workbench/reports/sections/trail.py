"""Audit-trail summary: how many events, when, by whom, the chain head hash and whether the chain verifies."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from workbench.reports import formatting as F
from workbench.reports import styles as S
from workbench.reports.context import Context
from workbench.reports.data import TrailInfo
from workbench.reports.sections import heading, intro
from workbench.reports.text import label, markup

TRAIL_GUARANTEE = (
    "Every change to this engagement was recorded as an event in an append-only log. Each event's hash covers the "
    "previous hash and the event itself, so an event altered, inserted or removed in the middle no longer fits the "
    "events after it. A hash chain has no key, though: whoever can rewrite the workspace can recompute every hash, "
    "or remove events from the end, without a trace in the chain itself. What anchors it are attestations: at "
    "every sign-off, finalisation, reopening and export, the signer's key signed the chain head as it then stood. "
    "No event up to the last attestation by a trusted identity can be changed, removed or added without that "
    "signature failing; events after it are protected only by the chain. A final engagement is attested through "
    "its last event. A package is imported only when its signature and every attestation in its trail hold; an "
    "unsigned package, or one whose signer is not trusted, only at the auditor's explicit choice, stated below. "
    "The head hash below fixes the state this report was produced from.")


def attested_text(trail: TrailInfo) -> str:
    """'Events 1 to 212 of 212, by Ana Preparer and Rui Reviewer' or what is not attested, in words; and
    whether the engagement came in as an untrusted package."""
    untrusted = "".join(f" It came in from a package that {reason} (imported as untrusted, as the trail "
                        "records)." for reason in dict.fromkeys(trail.untrusted_imports))
    return _covered_text(trail) + untrusted


def _covered_text(trail: TrailInfo) -> str:
    if not trail.attestations:
        return "No event is attested: nothing anchors this chain to a signer."
    if not trail.attested_through:
        return (f"{F.plural(trail.attestations, 'attestation')}, none by an identity trusted on the computer that "
                "made this report.")
    who = ", ".join(trail.attested_by)
    if trail.attested_through >= trail.events:
        return f"Every event (1 to {trail.events:,}), by {who}."
    one = trail.attested_through + 1 == trail.events
    rest = f"event {trail.events:,}" if one else f"events {trail.attested_through + 1:,} to {trail.events:,}"
    covered = f"Events 1 to {trail.attested_through:,} of {trail.events:,}, by {who}; {rest}"
    if trail.imported_after:
        return (f"{covered} only record{'s' if one else ''} its import into this workspace: nothing of the "
                "engagement changed after the last attestation.")
    return f"{covered} {'is' if one else 'are'} not attested yet."


def build(ctx: Context, number: str) -> list[Flowable]:
    data, st = ctx.data, ctx.styles
    trail = data.trail
    story: list[Flowable] = [heading(ctx, number, "Audit trail", "sec-trail")]
    story.append(intro(ctx, TRAIL_GUARANTEE))
    if trail.events == 0:
        return story + [ctx.empty("The audit trail of this engagement holds no events.")]
    fill = S.ANSWER_FILL["yes"] if trail.ok else S.ANSWER_FILL["no"]
    verdict = ctx.badge("Chain verified — intact" if trail.ok else "Chain BROKEN", fill, 60 * mm)
    pairs: list[tuple[str, Flowable]] = [
        ("Verification", verdict),
        ("Events", ctx.fixed(f"{trail.events:,}")),
        ("First event", ctx.fixed(F.datetime_text(trail.first_at))),
        ("Last event", ctx.fixed(F.datetime_text(trail.last_at))),
        ("Recorded by", ctx.cell(", ".join(trail.actors), limit=600)),
        ("Attested", ctx.cell(attested_text(trail), limit=800)),
        ("Chain head hash", ctx.raw(label(trail.head_hash), st.cell_mono)),
    ]
    if not trail.ok:
        pairs.insert(1, ("Problem", ctx.cell(trail.problem)))
    story.append(ctx.key_values(pairs, (0.22, 0.78)))
    if trail.actions:
        story.append(ctx.subhead("Events by action"))
        rows = [[ctx.raw(markup(action, limit=60), st.cell), ctx.fixed(f"{count:,}", st.cell_right)]
                for action, count in trail.actions]
        story.append(ctx.table(["Action", "Events"], rows, [0.8, 0.2], right=(1,)))
    return story
