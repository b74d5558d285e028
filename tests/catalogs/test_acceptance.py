"""Issue #9 acceptance: an imported OSCAL catalog and CISO Assistant library work like a built-in framework.

New engagement, every dimension at level 3 → score 60, full report with the framework's name and provenance.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.catalogs import CISO_YAML, OSCAL_JSON, OSCAL_YAML
from workbench.services.assessment import answer_item, set_assessment
from workbench.services.deliverables import render_report
from workbench.services.engagements import create_engagement, score
from workbench.services.frameworks import available_frameworks, get_framework, import_framework_file


@pytest.mark.parametrize("path, source", [(OSCAL_JSON, "OSCAL catalog"), (CISO_YAML, "CISO Assistant library"),
                                          (OSCAL_YAML, "OSCAL resolved-profile catalog")])
def test_imported_framework_scores_and_reports(ws, tmp_path: Path, path: Path, source: str) -> None:
    framework = import_framework_file(ws, path)
    entry = next(e for e in available_frameworks(ws) if e.framework.id == framework.id)
    assert entry.origin == "imported" and entry.source_label == source
    provenance = get_framework(framework.id, ws).raw["provenance"]
    assert provenance["file"] == path.name and len(provenance["sha256"]) == 64 and provenance["imported_at"]

    uid = create_engagement(ws, client="Acme Analytics", title="Catalog audit", framework_id=framework.id)
    for dimension in framework.dimensions:
        set_assessment(ws, uid, dimension.id, level=3)
    first = framework.dimensions[0].items[0]
    answer_item(ws, uid, first.id, "partial", "Owner list is two months old")
    engagement, card = score(ws, uid)
    assert engagement.framework_id == framework.id
    assert card.overall == 60 and card.band == "Standardized"
    # imported frameworks take the default coverage rule: one answered item leaves the score provisional
    assert card.provisional and card.provisional_reasons == (
        f"1 of {framework.item_count} checklist items answered ({100 // framework.item_count} %), below the 80 % "
        "the framework asks for",)
    for dimension in framework.dimensions:
        for item in dimension.items[1:] if dimension is framework.dimensions[0] else dimension.items:
            answer_item(ws, uid, item.id, "yes")
    assert not score(ws, uid)[1].provisional

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the report")
    pdf = render_report(ws, uid, tmp_path / "report.pdf", kind="full")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert framework.name in text
    assert f"{source}, version {framework.version}" in text
    assert path.name in text and provenance["sha256"][:20] in text.replace(" ", "")
    assert first.id in text.replace(" ", "") and "Owner list is two months old" in text  # ids may wrap
