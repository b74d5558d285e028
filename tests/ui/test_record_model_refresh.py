"""The table model swaps an edited row in place (no re-filter, no re-sort) only when the order stays right."""

from __future__ import annotations

import random
from typing import Any

from PySide6.QtCore import Qt

from workbench.domain.fields import fields_of
from workbench.ui.pages.findings import severity_sort
from workbench.ui.record_model import Column, RecordTableModel

SEVERITIES = ["Critical", "High", "Medium", "Low", "Info"]


def make_model() -> tuple[RecordTableModel, list[str]]:
    fields = {f.name: f for f in fields_of("finding")}
    names = ["ref", "severity", "title"]
    columns = [Column(fields[n], sort_key=severity_sort if n == "severity" else None) for n in names]
    return RecordTableModel(columns, edit=lambda *_args: None), names


def sort_key(names: list[str], column: int):
    return severity_sort if names[column] == "severity" else (lambda v: (v is None or v == "", str(v).casefold()))


def test_edits_keep_the_table_filtered_and_sorted(qtbot) -> None:
    rng = random.Random(7)
    model, names = make_model()
    rows = [{"uid": f"u{i}", "ref": f"F-{i:03d}", "severity": rng.choice(SEVERITIES), "title": f"T{rng.randint(0, 9)}"}
            for i in range(300)]
    model.set_rows(rows)
    calls: list[int] = []

    def keep(row: dict[str, Any]) -> bool:
        calls.append(1)
        return row["severity"] != "Info"

    model.set_filter(keep)
    in_place = 0
    for step in range(200):
        if step % 20 == 0:
            model.sort(rng.randrange(3), rng.choice([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder]))
        column, order = model._sort  # type: ignore[misc]
        before = [r["uid"] for r in model.visible_rows()]
        rows = list(rows)
        place = rng.randrange(len(rows))
        field = rng.choice(["title", "title", "severity"])
        rows[place] = {**rows[place], field: rng.choice(SEVERITIES) if field == "severity" else f"T{rng.randint(0, 9)}"}
        calls.clear()
        model.set_rows(rows)
        filtered = len(calls)
        shown = model.visible_rows()
        assert sorted(r["uid"] for r in shown) == sorted(r["uid"] for r in rows if keep(r))
        assert all(row is rows[int(row["uid"][1:])] for row in shown)  # the new dicts, not stale ones
        keys = [sort_key(names, column)(r[names[column]]) for r in shown]
        descending = order == Qt.SortOrder.DescendingOrder
        assert keys == sorted(keys, reverse=descending)
        if filtered == 1:  # only the edited row was filtered: swapped in place
            in_place += 1
            assert [r["uid"] for r in shown] == before  # nothing moved
    assert 100 < in_place < 200  # most edits swapped in place; the others filtered and sorted again


def test_a_title_edit_keeps_every_row_where_it_was(qtbot) -> None:
    model, _names = make_model()
    rows = [{"uid": f"u{i}", "ref": f"F-{i:03d}", "severity": SEVERITIES[i % 5], "title": f"T{i}"} for i in range(50)]
    model.set_rows(rows)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    before = [r["uid"] for r in model.visible_rows()]
    edited = list(rows)
    edited[7] = {**rows[7], "title": "Renamed"}
    model.set_rows(edited)
    assert [r["uid"] for r in model.visible_rows()] == before
    assert model.row_at(model.row_of("u7"))["title"] == "Renamed"  # type: ignore[index]
    moved = list(edited)
    moved[7] = {**edited[7], "severity": "Critical"}  # out of order now: sorted again
    model.set_rows(moved)
    assert model.row_of("u7") < before.index("u7")


def test_repainting_rows_keeps_trues_reference_count(qtbot) -> None:
    """PySide6 6.12.0's emit() takes a reference from True per call; the model gives it back."""
    import sys

    model, _names = make_model()
    rows = [{"uid": f"u{i}", "ref": f"F-{i:03d}", "severity": "Low", "title": f"T{i}"} for i in range(5)]
    model.set_rows(rows)
    before = sys.getrefcount(True)
    for n in range(500):
        rows = list(rows)
        rows[2] = {**rows[2], "title": f"T2 edit {n}"}
        model.set_rows(rows)
    assert abs(sys.getrefcount(True) - before) < 50  # without the fix: 500 fewer
