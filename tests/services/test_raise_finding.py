"""A finding raised from a checklist answer that falls short or from a health-check No, prefilled from the item
(or question) and, where one fits, a finding of the record library (starter or firm)."""

from __future__ import annotations

import pytest

from workbench.services import records
from workbench.services.frameworks import builtin_frameworks
from workbench.services.raise_finding import finding_for_item, finding_for_question, matching_template
from workbench.services.record_library import library_entries, save_entry


@pytest.fixture(scope="module")
def mlops():
    return next(f for f in builtin_frameworks() if f.id == "mlops-architecture")


def test_an_item_with_a_fitting_template_takes_the_template_and_names_the_item(mlops) -> None:
    values = finding_for_item(mlops, "DP-05", "no", "Data is copied by hand", library_entries("finding"))
    assert values["title"] == "Training data is not versioned"
    assert (values["item_id"], values["dimension_id"]) == ("DP-05", "DP")
    assert "Checklist DP-05 answered “No”" in values["description"]
    assert "Auditor's note: Data is copied by hand" in values["description"]
    assert values["recommendation"] and values["impact"]


def test_an_item_without_a_fitting_template_is_described_in_its_own_words(mlops) -> None:
    _dimension, item = mlops.item("DP-01")
    no = finding_for_item(mlops, "DP-01", "no", "", [])
    assert no["title"].startswith("DP-01: ") and no["severity"] == "High"
    assert no["recommendation"] == item.guidance and no["item_id"] == "DP-01"
    assert finding_for_item(mlops, "DP-01", "partial", "", [])["severity"] == "Medium"


def test_a_template_fits_only_its_own_dimension_and_with_two_telling_words(mlops) -> None:
    templates = library_entries("finding")
    drift = next(t for t in templates if t.id == "no-drift-detection")
    words = {"drift", "concept"}
    assert matching_template(templates, mlops.id, "MON", words) == drift
    assert matching_template(templates, mlops.id, "DEP", words) is None  # drift's template is filed under MON
    assert matching_template(templates, mlops.id, "MON", {"drift"}) is None  # one word is not enough


def test_a_health_check_no_raises_a_finding_from_the_question_or_a_template(mlops) -> None:
    templates = library_entries("finding")
    rollback = finding_for_question(mlops, "HC-3", "Takes a day", templates)
    assert rollback["title"] == "No tested way to roll back a model release" and rollback["dimension_id"] == "DEP"
    assert "Auditor's note: Takes a day" in rollback["description"]
    own = finding_for_question(mlops, "HC-1", "", [])
    assert own["title"].startswith("Health check HC-1 answered No: ") and "dimension_id" not in own


def test_the_values_make_a_valid_finding(ws, engagement, mlops) -> None:
    values = finding_for_item(mlops, "MON-03", "no", "", library_entries("finding"))
    uid = records.add_record(ws, engagement, "finding", values)
    finding = next(f for f in records.list_records(ws, engagement, "finding") if f["uid"] == uid)
    assert (finding["item_id"], finding["dimension_id"]) == ("MON-03", "MON")


def test_a_finding_the_firm_saved_is_raised_from_too(mlops) -> None:
    """The firm's own library finding fits an item as the starter ones do (one machinery for every entry)."""
    saved = save_entry("finding", {"title": "Feature lineage back to its source is never recorded",
                                   "severity": "Critical", "dimension_id": "FS", "impact": "Nobody can trace a bad "
                                   "feature to the table it came from.", "recommendation": "Record lineage.",
                                   "status": "open", "owner": "Ops"}, "Feature lineage back to its source is never "
                       "recorded", mlops.id)
    assert saved.dimensions == {mlops.id: "FS"} and "owner" not in saved.values and "status" not in saved.values
    values = finding_for_item(mlops, "FS-09", "no", "", library_entries("finding"))
    assert (values["title"], values["severity"], values["item_id"]) == (saved.title, "Critical", "FS-09")
    assert values["impact"] == "Nobody can trace a bad feature to the table it came from."
