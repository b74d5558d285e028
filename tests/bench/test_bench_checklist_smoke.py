"""A small run of the assessment-step benchmark, so it keeps working as the page changes."""

from __future__ import annotations

import json
from pathlib import Path


def test_every_measurement_runs_on_a_small_catalog(qtbot, tmp_path: Path) -> None:
    from bench import bench_checklist
    from bench.bench_catalogs import make_oscal_catalog

    catalog = tmp_path / "small.json"
    catalog.write_text(json.dumps(make_oscal_catalog(60)), encoding="utf-8")
    rows, facts = bench_checklist.run(catalog, 1)
    assert facts["dimensions"] == 20 and facts["items"] > 40
    assert [row.name for row in rows] == ["Open the assessment step", "Type a search of 4 characters, then clear it",
                                          "Filter by a tag, then show all again", "Switch to another dimension",
                                          "Answer an item with one key",
                                          "Read a filled-in checklist (.xlsx, every item)",
                                          "Import it: every answer changes"]
    assert all(row.median_ms > 0 for row in rows)
    body = bench_checklist.report([(rows, facts)], None)
    assert "Catalog: small.json — 20 dimensions" in body and "| Answer an item with one key |" in body
