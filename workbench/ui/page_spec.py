"""What a record page shows (findings, models, risks, costs, roadmap): its columns, form fields, filters, colours
and choices, declared once per kind and read by RecordPage (ui/record_page.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from workbench.ui.column_fit import Fit
from workbench.ui.session import EngagementSession


@dataclass(frozen=True)
class FilterSpec:
    """A combo box filtering one field; `options` gives (label, value) pairs."""

    name: str
    label: str
    options: Callable[[EngagementSession], Sequence[tuple[str, Any]]]
    matches: Callable[[dict[str, Any], Any], bool] | None = None


@dataclass(frozen=True)
class PageSpec:
    kind: str
    document_key: str
    title: str
    columns: tuple[str, ...]
    form_fields: tuple[str, ...] = ()
    new_values: Callable[[EngagementSession], dict[str, Any]] = lambda _s: {}
    describe: Callable[[dict[str, Any]], str] = lambda r: str(r.get("ref") or r.get("name") or r.get("title") or "")
    filters: tuple[FilterSpec, ...] = ()
    search_fields: tuple[str, ...] = ("title", "name", "description")
    colour: Callable[[dict[str, Any], str], tuple[QColor, QColor] | None] | None = None
    column_titles: dict[str, str] = field(default_factory=dict)
    choices: Callable[[EngagementSession], dict[str, Sequence[tuple[str, Any]]]] = lambda _s: {}
    empty_text: str = "Nothing recorded yet. Use Add to create the first entry."
    sort_keys: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    initial_sort: tuple[str, Qt.SortOrder] | None = None
    fits: dict[str, Fit] = field(default_factory=dict)  # how each column gives way at 1366 px (ui/column_fit.py)


def dimension_choices(session: EngagementSession) -> list[tuple[str, Any]]:
    return [("—", "")] + [(f"{d.id} · {d.name}", d.id) for d in session.framework.dimensions]


def item_choices(session: EngagementSession) -> list[tuple[str, Any]]:
    """Every checklist item (control) of the framework; naming one files the record under its dimension."""
    return [("—", "")] + [(f"{item.id} · {' '.join(item.text.split())[:70]}", item.id)
                          for d in session.framework.dimensions for item in d.items]
