"""How rendering behaves: empty sections explained, DRAFT until final, branding, re-audit progress, cancel
and bad input leaving nothing behind."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from tests.helpers.engagements import cover_everything
from tests.reports.conftest import (
    SAMPLES_DIR,
    page_count,
    pdf_text,
    requires_poppler,
    run,
    squash,
    watermark_pixels,
)
from workbench.domain.errors import ValidationError
from workbench.reports.data import Branding
from workbench.reports.document import ReportCancelled
from workbench.services.assessment import set_assessment
from workbench.services.deliverables import render_report
from workbench.services.engagements import create_engagement
from workbench.services.finalise import finalise
from workbench.services.packages import export_package, import_package
from workbench.services.reaudit import start_reaudit
from workbench.services.records import list_records
from workbench.services.review import sign_off
from workbench.store.workspace import Workspace

pytestmark = requires_poppler


def png(path: Path, width: int = 40, height: int = 12) -> Path:
    """A small solid PNG written by hand (no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x1f\x3a\x5f" * width for _ in range(height))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return path


def test_empty_engagement_explains_every_empty_section(ws: Workspace, engagement: str, tmp_path: Path) -> None:
    pdf = render_report(ws, engagement, tmp_path / "empty.pdf")
    text = squash(pdf_text(pdf))
    for sentence in ("No dimension has been assessed yet, so there is no overall score or verdict.",
                     "No findings have been recorded for this engagement, so the register is empty.",
                     "No models were recorded in the inventory of this engagement",
                     "No risks were recorded in the risk register of this engagement",
                     "No cost items were recorded for this engagement",
                     "No roadmap activities have been planned for this engagement yet",
                     "No compliance, platform, tool or monitoring matrix was filled in",
                     "No evidence files were attached to this engagement",
                     "No sign-off has been recorded for this engagement yet",
                     "None of the health-check questions has been answered yet."):
        assert squash(sentence) in text, sentence
    summary = render_report(ws, engagement, tmp_path / "empty-summary.pdf", kind="executive")
    assert 1 <= page_count(summary) <= 4
    assert squash("No findings have been recorded for this engagement yet.") in squash(pdf_text(summary))
    subtitle = next(line for line in pdf_text(summary).splitlines() if "Lead auditor:" in line)
    assert "· ·" not in subtitle and "· — ·" not in subtitle  # no system or period recorded: no empty slots
    assert squash("Audit period —.") not in text  # no dates yet: the summary does not open on an empty period
    assert squash("No dimension has been assessed yet, so the engagement has no score.") in text


def test_draft_watermark_until_final_and_on_request(tmp_path: Path, preparer, reviewer) -> None:
    ws = Workspace(tmp_path / "final.db").open()
    try:
        uid = import_package(ws, SAMPLES_DIR / "early-stage.mlaudit", untrusted=True)
        assert list_records(ws, uid, "signoff") == []  # the sample is not signed off yet
        cover_everything(ws, uid, preparer)
        for role, who in (("preparer", preparer), ("reviewer", reviewer)):
            sign_off(ws, uid, role, signer=who)
        finalise(ws, uid, signer=reviewer)
        final = render_report(ws, uid, tmp_path / "final.pdf", kind="executive")
        assert all(watermark_pixels(final, n, tmp_path) == 0 for n in range(1, page_count(final) + 1))
        forced = render_report(ws, uid, tmp_path / "forced.pdf", kind="executive", draft=True)
        assert all(watermark_pixels(forced, n, tmp_path) > 300 for n in range(1, page_count(forced) + 1))
        cover = pdf_text(render_report(ws, uid, tmp_path / "final-full.pdf"), 1)
        assert "Final — finalised" in cover
    finally:
        ws.close()


def test_draft_can_be_switched_off_before_final(ws: Workspace, engagement: str, tmp_path: Path) -> None:
    plain = render_report(ws, engagement, tmp_path / "plain.pdf", kind="executive", draft=False)
    assert watermark_pixels(plain, 1, tmp_path) == 0


def test_branding_name_logo_and_accent(ws: Workspace, engagement: str, tmp_path: Path) -> None:
    branding = Branding(firm_name="Λ & Партнёры <Audit>", logo_path=png(tmp_path / "logo.png"), accent_hex="#7A1F5C",
                        classification="RESTRICTED — {client} board only")
    pdf = render_report(ws, engagement, tmp_path / "branded.pdf", branding=branding)
    first, second = pdf_text(pdf, 1), pdf_text(pdf, 2)
    assert "Λ & Партнёры <Audit>" in first and "Λ & Партнёры <Audit>" in second  # cover and running header
    assert "RESTRICTED — Acme Analytics board only" in second
    images = run("pdfimages", "-list", "-f", "1", "-l", "1", str(pdf)).stdout.splitlines()[2:]
    assert any(line.split()[3:5] == ["40", "12"] for line in images), images  # the logo, on the cover
    assert run("qpdf", "--qdf", "--object-streams=disable", str(pdf), str(tmp_path / "plain.pdf")).returncode == 0
    raw = (tmp_path / "plain.pdf").read_bytes()
    assert b".478431 .121569 .360784 rg" in raw  # the accent colour (#7A1F5C) fills the header mark


@pytest.mark.parametrize("problem", ["missing", "not-an-image"])
def test_bad_logo_is_refused_in_plain_words_and_nothing_written(ws: Workspace, engagement: str, tmp_path: Path,
                                                                problem: str) -> None:
    logo = tmp_path / "logo.png"
    if problem == "not-an-image":
        logo.write_text("this is not a picture")
    with pytest.raises(ValidationError, match="firm logo"):
        render_report(ws, engagement, tmp_path / "out.pdf", branding=Branding(logo_path=logo))
    assert not (tmp_path / "out.pdf").exists()


def test_bad_accent_colour_is_refused() -> None:
    with pytest.raises(ValidationError, match="accent colour"):
        Branding(accent_hex="blue-ish")


@pytest.mark.parametrize("target", ["report.txt", "a-file/report.pdf"])
def test_bad_target_path_is_refused_in_plain_words(ws: Workspace, engagement: str, tmp_path: Path,
                                                   target: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a-file").write_text("a file where a folder should be")
    with pytest.raises(ValidationError, match="report file"):
        render_report(ws, engagement, out / target)
    assert sorted(p.name for p in out.iterdir()) == ["a-file"]


def test_folder_target_gets_the_default_name(ws: Workspace, engagement: str, tmp_path: Path) -> None:
    path = render_report(ws, engagement, tmp_path, kind="executive")
    assert path.parent == tmp_path and path.name.endswith("executive summary.pdf")


@pytest.mark.parametrize("after", [1, 5, 25])
def test_cancel_leaves_no_file(ws: Workspace, engagement: str, tmp_path: Path, after: int) -> None:
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > after

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ReportCancelled):
        render_report(ws, engagement, out / "report.pdf", cancelled=cancelled)
    assert calls["n"] > after  # it was asked, and stopped when told
    assert list(out.iterdir()) == []  # no report and no temporary file


def test_progress_is_reported_in_order(ws: Workspace, engagement: str, tmp_path: Path) -> None:
    seen: list[tuple[int, str]] = []
    render_report(ws, engagement, tmp_path / "out.pdf", progress=lambda p, m: seen.append((p, m)))
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] == 100
    assert any("findings register" in message for _, message in seen)


def test_reaudit_report_shows_progress_since_the_earlier_engagement(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "reaudit.db").open()
    try:
        earlier = import_package(ws, SAMPLES_DIR / "driftguard.mlaudit", untrusted=True)
        later = start_reaudit(ws, earlier)
        set_assessment(ws, later, "DEP", level=4)
        set_assessment(ws, later, "DP", level=3)
        pdf = render_report(ws, later, tmp_path / "reaudit.pdf")
        text = pdf_text(pdf)
        assert "Progress since DGA-2026-01" in text
        assert squash("Re-audit ofDGA-2026-01") in squash(pdf_text(pdf, 1))
        rows = squash(text)  # each row of the progress table: dimension, earlier level, level now, change
        assert squash("Deployment 2 4 +2") in rows and squash("Data Pipeline 5 3 −2") in rows
        assert "not in this workspace" not in text
        # the executive summary of the full report and the executive deliverable say it too
        since = squash("Since the previous audit DGA-2026-01:")
        assert since in squash(text) and squash("1 dimension improved and 1 fell back") in squash(text)
        summary = squash(pdf_text(render_report(ws, later, tmp_path / "summary.pdf", kind="executive")))
        assert since in summary and squash("1 dimension improved and 1 fell back") in summary
        assert squash("open findings carried forward are now resolved or accepted") in summary
    finally:
        ws.close()


def test_reaudit_of_an_engagement_not_in_the_workspace_says_so(tmp_path: Path) -> None:
    """Only the re-audit's package travels to another laptop: the report says why progress is missing."""
    first = Workspace(tmp_path / "first.db").open()
    try:
        earlier = create_engagement(first, client="Acme Analytics", title="First audit")
        package = export_package(first, start_reaudit(first, earlier), tmp_path / "reaudit.mlaudit", signer=None)
    finally:
        first.close()
    other = Workspace(tmp_path / "other.db").open()
    try:
        later = import_package(other, package, untrusted=True)
        text = squash(pdf_text(render_report(other, later, tmp_path / "orphan.pdf")))
        assert squash("but that engagement is not in this workspace, so its levels cannot be compared") in text
    finally:
        other.close()


def test_same_person_review_is_stated_in_both_reports(tmp_path: Path, preparer) -> None:
    """A one-person practice's sign-offs: every deliverable says the work was not reviewed by a second person."""
    ws = Workspace(tmp_path / "one.db").open()
    try:
        uid = create_engagement(ws, client="Solo Client", title="One-person audit")
        sign_off(ws, uid, "preparer", signer=preparer)
        texts = {kind: squash(pdf_text(render_report(ws, uid, tmp_path / f"before-{kind}.pdf", kind=kind)))
                 for kind in ("full", "executive")}
        assert not any("same person" in text for text in texts.values())
        sign_off(ws, uid, "reviewer", signer=preparer, one_person_practice=True)
        for kind in ("full", "executive"):
            text = squash(pdf_text(render_report(ws, uid, tmp_path / f"{kind}.pdf", kind=kind)))
            assert squash("Prepared and reviewed by the same person") in text, kind
    finally:
        ws.close()


def test_trail_section_says_what_the_chain_does_and_does_not_guarantee(ws: Workspace, engagement: str,
                                                                       tmp_path: Path, preparer) -> None:
    text = squash(pdf_text(render_report(ws, engagement, tmp_path / "no-attestation.pdf")))
    assert squash("removing any event breaks the chain") not in text
    assert squash("A hash chain has no key") in text
    assert squash("No event is attested: nothing anchors this chain to a signer.") in text
    sign_off(ws, engagement, "preparer", signer=preparer)
    set_assessment(ws, engagement, "DP", level=2)
    text = squash(pdf_text(render_report(ws, engagement, tmp_path / "attested.pdf")))
    assert squash("by Ana Preparer; event") in text and squash("not attested yet.") in text


def test_trail_section_says_what_an_import_appended_and_names_an_untrusted_package(tmp_path: Path, preparer,
                                                                                   reviewer) -> None:
    """A final engagement from a signed package is attested through its finalisation, and the events after
    it only record the import; one taken from an unsigned package says so, with the trail's reason."""
    from tests.helpers.engagements import finalised_engagement

    with Workspace(tmp_path / "source.db") as source:
        uid = finalised_engagement(source, preparer, reviewer)
        signed = export_package(source, uid, tmp_path / "signed.mlaudit", signer=reviewer)
        unsigned = export_package(source, uid, tmp_path / "unsigned.mlaudit", signer=None)
    with Workspace(tmp_path / "other.db") as other:
        trusted = import_package(other, signed)
        text = squash(pdf_text(render_report(other, trusted, tmp_path / "trusted.pdf")))
        assert squash("by Ana Preparer, Rui Reviewer; event") in text
        assert squash("its import into this workspace: nothing of the engagement changed") in text
        assert squash("imported as untrusted") not in text and squash("are not attested yet") not in text
        copy = import_package(other, unsigned, as_copy=True, untrusted=True)
        text = squash(pdf_text(render_report(other, copy, tmp_path / "untrusted.pdf")))
        assert squash("only record its import into this workspace") in text  # the import and the notice
        assert squash("It came in from a package that is not signed (imported as untrusted, as the trail "
                      "records).") in text
