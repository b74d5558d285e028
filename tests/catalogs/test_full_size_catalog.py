"""What the full NIST SP 800-53 rev. 5 catalog showed when imported (tried on 2026-11-23; not shipped).

Its twenty families give a report whose contents run over two pages, which made the report fail while saving
(two contents links got the same PDF object name), and a radar whose twenty family names overlapped. The
catalog here is written for the test in the same shape: twenty families, two controls each.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.helpers.catalogs import family_catalog
from workbench.services.assessment import set_assessment
from workbench.services.deliverables import render_report
from workbench.services.engagements import create_engagement
from workbench.services.frameworks import import_framework_file


def _link_annotations(page: Any) -> list[Any]:
    annotations = page.get("/Annots")
    return [a.get_object() for a in annotations or () if a.get_object().get("/Subtype") == "/Link"]


@pytest.fixture
def report(ws, tmp_path: Path) -> Path:
    catalog = tmp_path / "twenty-families.json"
    catalog.write_text(json.dumps(family_catalog()), encoding="utf-8")
    framework = import_framework_file(ws, catalog)
    uid = create_engagement(ws, client="Contoso Federal", title="Families audit", framework_id=framework.id)
    for dimension in framework.dimensions[:-1]:
        set_assessment(ws, uid, dimension.id, level=3)
    return render_report(ws, uid, tmp_path / "report.pdf", kind="full")


def test_contents_over_two_pages_link_every_entry(report: Path) -> None:
    with report.open("rb") as handle:
        reader = PdfFileReader(handle)
        first, second = (reader.find_page_for_modification(index)[0].get_object() for index in (1, 2))
        first_links, second_links = _link_annotations(first), _link_annotations(second)
        assert first_links and second_links, "the contents should run over two pages"
        links = first_links + second_links
        assert len({id(link) for link in links}) == len(links)
        pages = [reader.find_page_for_modification(index)[0] for index in range(4)]
        contents_and_before = {(ref.idnum, ref.generation) for ref in pages[:3]}
        targets = {(link["/Dest"].raw_get(0).idnum, link["/Dest"].raw_get(0).generation) for link in links}
        assert targets and not targets & contents_and_before  # each entry leads onwards, none to the cover
        assert (pages[3].idnum, pages[3].generation) in targets  # the first section starts right after them

def test_scorecard_names_the_codes_on_the_radar(report: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the report")
    text = " ".join(subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Each spoke carries the code of its dimension in the table below" in text
    assert "AC · Access Control" in text and "SR · Supply Chain Risk Management" in text
