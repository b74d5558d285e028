"""Any text an auditor or client typed renders: markup characters, 5,000-character words, empty strings,
newlines, Greek, Cyrillic, right-to-left, CJK and emoji, in every user-entered field of an engagement.

Values go in through the services (so they are valid records), the report is rendered, and pdftotext must
give the Latin, Greek and Cyrillic words back.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports.conftest import pdf_text, requires_poppler, run, squash
from workbench.domain.fields import SHORT_TEXT
from workbench.services.assessment import answer_health_check, answer_item, set_assessment
from workbench.services.deliverables import render_report
from workbench.services.engagements import create_engagement
from workbench.services.evidence import attach_bytes
from workbench.services.records import add_record
from workbench.services.review import sign_off
from workbench.signing.attest import Signer
from workbench.signing.identities import create_identity, load_private_key
from workbench.store.workspace import Workspace

pytestmark = requires_poppler

LATIN = ("Ergebnis", "Überprüfung", "façade", "Mañana", "Zażółć", "audit")
GREEK = ("Λόγος", "μοντέλο", "ΚΙΝΔΥΝΟΣ", "ελέγχου")
CYRILLIC = ("Модель", "риск", "ПРОВЕРКА", "данных")
READABLE = LATIN + GREEK + CYRILLIC  # what pdftotext must give back
OTHER = ("שלום עולם", "مرحبا بالعالم", "数据漂移检测", "モデル監査", "검증", "🚀", "✅", "👩‍💻", "🏳️‍🌈", "\u200f\u202e",
         "e\u0301", "<b>", "</para>", "&amp;", "&", "<", ">", "<br/>", '"quoted"', "'", "\t", "\n", "\r\n", "\n\n\n",
         "<font name='x'>", "]]>", "%s", "{client}", "\\", "\u2028", "\x0b")
LONG_WORD = "Lorem" + "x" * 4995  # one 5,000-character word

fragments = st.one_of(st.sampled_from(READABLE), st.sampled_from(OTHER), st.text(max_size=12))
texts = st.one_of(st.just(""), st.just(LONG_WORD),
                  st.lists(fragments, max_size=14).map(" ".join),
                  st.lists(fragments, min_size=1, max_size=6).map(lambda parts: " ".join(parts) + " " + LONG_WORD))


def short(value: str) -> str:
    """A value for a one-line field (at most 300 characters), as the form would keep it."""
    return value[:SHORT_TEXT]


def required(value: str) -> str:
    """A required one-line field: the value, or a placeholder where it would be blank."""
    value = short(value).strip()
    return value if value else "—"


def signer_named(text: str, folder: Path) -> Signer:
    """A signing identity whose certificate carries `text` as the signer's name (as far as a name can: at
    most 64 characters, no control characters), so the sign-off table shows it."""
    printable = "".join(c for c in text if c.isprintable())
    name = printable.encode("utf-8")[:64].decode("utf-8", "ignore").strip() or "Auditor"
    identity = create_identity(name, "any.text@example.com", "", "any-text passphrase", base=folder / "ids")
    return Signer.of(identity, load_private_key(identity, "any-text passphrase"))


def filled(value: str) -> str:
    """A required long-text field: the value as typed, or a placeholder where it is only blanks."""
    return value if value.strip() else "—"


def fill_engagement(ws: Workspace, counter: Iterator[int], values: list[str]) -> tuple[str, dict[str, str]]:
    """An engagement with `values` (cycled) in every user-entered field; returns its uid and what went where."""
    folder = Path(ws.path).parent
    pick = itertools.cycle(values)
    number = next(counter)
    uid = create_engagement(ws, client={"name": short(f"Client {number} {required(next(pick))}"),
                                        "sector": short(next(pick)), "contact_name": short(next(pick)),
                                        "contact_email": short(next(pick))},
                            title=required(next(pick)),
                            details={"ref": f"TXT-{number:04d}", "system_name": short(next(pick)),
                                     "use_cases": next(pick), "ml_framework": short(next(pick)),
                                     "lead_auditor": short(next(pick)), "team": short(next(pick)),
                                     "scope": next(pick)})
    set_assessment(ws, uid, "DP", level=3, target=4, justification=next(pick))
    answer_item(ws, uid, "DP-01", "partial", note=next(pick))
    answer_health_check(ws, uid, "HC-1", "no", note=next(pick))
    placed = {"finding": required(next(pick)), "model": required(next(pick)), "risk": required(next(pick)),
              "description": next(pick)}
    add_record(ws, uid, "finding", {"title": placed["finding"], "dimension_id": "DP", "severity": "High",
                                    "description": placed["description"], "impact": next(pick),
                                    "recommendation": next(pick), "owner": short(next(pick)), "effort_hours": 3})
    add_record(ws, uid, "model", {"name": placed["model"], "version": short(next(pick)),
                                  "owner": short(next(pick)), "model_registry": short(next(pick)),
                                  "notes": next(pick), "model_card": short(next(pick)),
                                  "training_data": short(next(pick)), "code_commit": short(next(pick)),
                                  "approval": "approved", "approved_by": short(next(pick))})
    add_record(ws, uid, "risk", {"title": placed["risk"], "likelihood": 4, "impact": 5, "mitigation": next(pick),
                                 "owner": short(next(pick))})
    add_record(ws, uid, "cost", {"kind": "remediation", "name": required(next(pick)), "current_state": next(pick),
                                 "target": next(pick), "estimated_cost": 1200})
    add_record(ws, uid, "roadmap", {"phase": required(next(pick)), "activity": filled(next(pick)),
                                    "success_metric": next(pick), "start_date": "2026-03-02",
                                    "end_date": "2026-03-09"})
    matrices = {
        "compliance": {"requirement": required(next(pick)), "regimes": {required(next(pick)): "required"},
                       "status": "gap", "note": next(pick)[:5000]},
        "platform": {"criterion": required(next(pick)), "weight": 0.5, "scores": {required(next(pick)): 4}},
        "tool": {"tool": required(next(pick)), "category": short(next(pick)), "ring": "trial",
                 "pros": next(pick)[:5000], "cons": next(pick)[:5000], "licence_cost": short(next(pick)),
                 "infrastructure_cost": short(next(pick)), "operations_cost": short(next(pick)),
                 "rationale": next(pick)[:5000]},
        "monitoring": {"metric": required(next(pick)), "category": "data", "threshold": short(next(pick)),
                       "current": short(next(pick)), "alerting": short(next(pick)), "status": "warning"},
    }
    for kind, data in matrices.items():
        add_record(ws, uid, "matrix", {"kind": kind, "data": data})
    attach_bytes(ws, uid, b"evidence bytes", required(next(pick)).replace("/", "_")[:290] + ".txt",
                 description=next(pick))
    sign_off(ws, uid, "preparer", signer=signer_named(required(next(pick)), folder), note=next(pick))
    return uid, placed


@pytest.fixture(scope="module")
def text_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Path]]:
    folder = tmp_path_factory.mktemp("any-text")
    ws = Workspace(folder / "texts.db").open()
    yield ws, folder
    ws.close()


_counter = itertools.count(1)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                 HealthCheck.function_scoped_fixture])
@given(values=st.lists(texts, min_size=1, max_size=8))
def test_any_text_in_every_field_renders(text_workspace: tuple[Workspace, Path], values: list[str]) -> None:
    ws, folder = text_workspace
    uid, placed = fill_engagement(ws, _counter, values)
    full = render_report(ws, uid, folder / f"{uid}-full.pdf", kind="full")
    summary = render_report(ws, uid, folder / f"{uid}-summary.pdf", kind="executive")
    for pdf in (full, summary):
        assert run("qpdf", "--check", str(pdf)).returncode == 0
    text = squash(pdf_text(full))
    for value in (placed["finding"], placed["model"], placed["risk"], placed["description"]):
        for word in READABLE:
            if f" {word} " in f" {value} ":  # placed whole, not glued to generated text
                assert squash(word) in text, (word, value[:120])


def test_every_script_and_markup_character_in_every_field(text_workspace: tuple[Workspace, Path]) -> None:
    """One engagement with all of it at once: the Latin, Greek and Cyrillic words come back out."""
    ws, folder = text_workspace
    mixed = " ".join((*READABLE, *OTHER))
    values = [mixed, LONG_WORD, "", mixed + "\n" + LONG_WORD, "<para>&nbsp;</para> < > & \"'", mixed[:290]]
    uid, placed = fill_engagement(ws, _counter, values)
    word = "Zyzzyva" + "ж" * 4993  # a 5,000-character word, its letter found only in this description
    add_record(ws, uid, "finding", {"title": "Long word", "severity": "Low", "description": word})
    full = render_report(ws, uid, folder / "mixed-full.pdf")
    summary = render_report(ws, uid, folder / "mixed-summary.pdf", kind="executive")
    full_text, summary_text = squash(pdf_text(full)), squash(pdf_text(summary))
    for word in READABLE:
        assert squash(word) in full_text and squash(word) in summary_text, word
    # all of the long word, broken over lines (and over a page, where other cells come in between)
    assert full_text.count("ж") == 4993 and "Zyzzyvaжжж" in full_text
    assert squash("<para>&nbsp;</para> < > & \"'") in full_text  # markup shown as typed, not interpreted
    assert "数据漂移检测" in full_text  # CJK through the fallback font
    fonts = run("pdffonts", str(full)).stdout
    assert "DroidSansFallback" in fonts
