"""The PDF's own details: a watermark that stays out of the text, the outline open on load, named
destinations as documented, /Lang, /Author, and branding that falls back to the signer's firm."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.reports.conftest import pdf_text, requires_poppler, run, watermark_pixels
from workbench.reports.document import SIGNATURE_DESTINATION, signature_box_rect
from workbench.reports.furniture import DRAFT_FORM, FOOTER_FORM, HEADER_FORM
from workbench.services.deliverables import render_report
from workbench.services.preferences import Preferences
from workbench.signing.identities import create_identity
from workbench.store.workspace import Workspace

pytestmark = requires_poppler


def _catalog(pdf: Path) -> dict[str, object]:
    with pdf.open("rb") as handle:
        reader = PdfFileReader(handle)
        root = reader.root
        dests = root.get("/Dests", None)
        dests = dests.get_object() if dests is not None else None
        return {"page_mode": str(root.get("/PageMode")), "lang": str(root.get("/Lang", "")),
                "dests": {str(k)[1:]: [str(v[i]) for i in range(len(v))] for k, v in dests.items()} if dests else {},
                "author": str(reader.trailer["/Info"].get_object().get("/Author", ""))}


@pytest.mark.parametrize("kind", ["full", "executive"])
def test_watermark_is_drawn_but_not_text(sample_pdf: Callable[[str, str], Path], kind: str, tmp_path: Path) -> None:
    pdf = sample_pdf("driftguard", kind)
    text = pdf_text(pdf)
    fragments = [line for line in text.splitlines() if line.strip() in {"D", "R", "A", "F", "T", "FT", "RA", "DR",
                                                                         "AF", "DRAFT", "RAF"}]
    assert not fragments and "DRAFT" not in text
    assert watermark_pixels(pdf, 2, tmp_path) > 300  # yet the page shows the mark


def test_final_report_has_no_watermark(sample_workspace: tuple[Workspace, dict[str, str]], tmp_path: Path) -> None:
    ws, uids = sample_workspace
    pdf = render_report(ws, uids["driftguard"], tmp_path / "final.pdf", kind="executive", draft=False)
    assert watermark_pixels(pdf, 2, tmp_path) == 0


@pytest.mark.parametrize("kind", ["full", "executive"])
def test_outline_opens_lang_and_signature_destination(sample_pdf: Callable[[str, str], Path], kind: str) -> None:
    pdf = sample_pdf("driftguard", kind)
    catalog = _catalog(pdf)
    assert catalog["page_mode"] == "/UseOutlines"
    assert catalog["lang"] == "en-GB"
    dests = catalog["dests"]
    assert isinstance(dests, dict) and SIGNATURE_DESTINATION in dests
    target = dests[SIGNATURE_DESTINATION]
    assert target[1] == "/FitR"
    assert [round(float(v)) for v in target[2:6]] == [round(v) for v in signature_box_rect()]
    if kind == "full":
        assert {"sec-summary", "sec-findings", "sec-signoff"} <= set(dests)
    info = run("pdfinfo", "-dests", str(pdf)).stdout
    assert SIGNATURE_DESTINATION in info


def test_without_branding_the_signers_firm_brands_the_report(sample_workspace: tuple[Workspace, dict[str, str]],
                                                             tmp_path: Path) -> None:
    create_identity("Amara Osei", "amara@northwind.example", "Northwind Assurance LLP", "a long passphrase 1")
    branding = Preferences().branding()
    assert branding.firm_name == "Northwind Assurance LLP" and branding.author == "Amara Osei"
    ws, uids = sample_workspace
    pdf = render_report(ws, uids["driftguard"], tmp_path / "branded.pdf", kind="full", branding=branding)
    assert _catalog(pdf)["author"] == "Amara Osei"
    for page in (1, 3, 10):
        text = pdf_text(pdf, page)
        assert "Northwind Assurance LLP" in text
        assert "MLOps Audit Workbench ·" not in text and "MLOps Audit Workbench\n" not in text


def test_without_branding_or_identity_no_firm_is_invented(sample_pdf: Callable[[str, str], Path]) -> None:
    pdf = sample_pdf("driftguard", "full")
    assert "MLOps Audit Workbench" not in pdf_text(pdf, 3)  # the header carries the engagement ref alone
    assert _catalog(pdf)["author"] == "Amara Osei"  # no identity, no firm: the lead auditor


def _pages(node: Any) -> list[Any]:
    """The page dictionaries of a page tree, in order."""
    node = node.get_object()
    if str(node["/Type"]) == "/Page":
        return [node]
    return [page for kid in node["/Kids"] for page in _pages(kid)]


def test_page_furniture_is_written_once_and_shown_on_every_page(sample_pdf: Callable[[str, str], Path]) -> None:
    """The header, the footer and the DRAFT mark are one form each, which every page refers to (not drawn again
    into each page's content); the header and footer still read as each page's text."""
    pdf = sample_pdf("driftguard", "full")
    with pdf.open("rb") as handle:
        pages = _pages(PdfFileReader(handle).root["/Pages"])
        shown: dict[str, set[int]] = {}
        for page in pages:
            for name, form in page["/Resources"]["/XObject"].items():
                if str(name).startswith("/FormXob.Workbench"):
                    shown.setdefault(str(name), set()).add(form.idnum)
        counts = {name: sum(1 for page in pages if name in page["/Resources"]["/XObject"]) for name in shown}
    assert set(shown) == {f"/FormXob.{name}" for name in (HEADER_FORM, FOOTER_FORM, DRAFT_FORM)}
    assert all(len(objects) == 1 for objects in shown.values())  # one object each, shared by the pages
    assert counts[f"/FormXob.{DRAFT_FORM}"] == counts[f"/FormXob.{FOOTER_FORM}"] == len(pages)  # the cover too
    assert counts[f"/FormXob.{HEADER_FORM}"] == len(pages) - 1  # every page but the cover
    for page in (2, len(pages)):
        text = pdf_text(pdf, page)
        assert "DGA-2026-01" in text and "CONFIDENTIAL" in text.upper() and f"Page {page} of {len(pages)}" in text
