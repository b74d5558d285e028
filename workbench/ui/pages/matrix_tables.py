"""The four matrices as one table model (each kind is a MatrixSpec of columns), plus the platform totals.

A matrix row stores its cells as JSON (`data`); it is flattened into a plain dict so the shared
RecordTableModel shows, sorts and filters it. Compliance regimes and platforms become columns of
their own ("regime:GDPR", "score:MLflow"), derived from the rows.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.palette import OKABE_ITO, ink_on
from workbench.domain.fields import Field
from workbench.domain.matrices import (
    COMPLIANCE_STATUS,
    COMPLIANCE_VALUES,
    DEFAULT_REGIMES,
    MONITORING_CATEGORIES,
    MONITORING_STATUS,
    TOOL_RINGS,
    platform_leaders,
    platform_totals,
    regime_order,
    weight_sum,
    weights_off,
)
from workbench.domain.wording import bulleted_lines
from workbench.ui.appearance import mark_attention
from workbench.ui.record_form import FieldDelegate
from workbench.ui.record_model import Column, Index, RecordTableModel

REGIME = "regime:"
SCORE = "score:"
Choices = tuple[tuple[str, Any], ...]

COMPLIANCE_VALUE_CHOICES: Choices = tuple((v if v == "n/a" else v.capitalize(), v) for v in COMPLIANCE_VALUES)
# Okabe–Ito fills (safe for colour-vision deficiencies); the text colour is picked by ink_on().
STATUS_HEX = {"met": OKABE_ITO["bluish_green"], "ok": OKABE_ITO["bluish_green"], "partial": OKABE_ITO["orange"],
              "warning": OKABE_ITO["orange"], "gap": OKABE_ITO["vermillion"], "missing": OKABE_ITO["vermillion"]}
RING_HEX = {"adopt": OKABE_ITO["bluish_green"], "trial": OKABE_ITO["sky_blue"], "assess": OKABE_ITO["yellow"],
            "hold": "#BBBBBB"}
# The regime grid is mostly "required": pale tints keep it readable instead of a wall of colour.
COMPLIANCE_VALUE_HEX = {"required": "#C6E5F7", "partial": "#F7F0A6"}


def _labelled(values: Sequence[str]) -> Choices:
    return tuple(("OK" if value == "ok" else value.capitalize(), value) for value in values)


@dataclass(frozen=True)
class MatrixSpec:
    """One matrix kind: its fixed columns, the dynamic ones (regimes, platforms) and their look."""

    kind: str
    title: str
    noun: str  # what one row is: "requirement"
    name_key: str  # the data key naming a row
    leading: tuple[Field, ...]
    trailing: tuple[Field, ...] = ()
    dynamic: str = ""  # REGIME or SCORE: one column per regime / platform, between leading and trailing
    dynamic_noun: str = ""
    choices: dict[str, Choices] = field(default_factory=dict)
    colours: dict[str, dict[str, str]] = field(default_factory=dict)  # column (or prefix) → value → fill
    plural: str = ""
    stretch: str = ""  # the column that takes the spare width
    widest: int = 180  # the widest any other column but the first starts (all of them whole at 1366 px)
    summary: str = ""  # the column counted in the summary line and offered as a filter
    bulleted: frozenset[str] = frozenset()  # text columns holding one item a line, shown as a bulleted list
    summary_plural: str = ""
    new_data: Callable[[Sequence[str]], dict[str, Any]] = lambda _names: {}
    empty_text: str = ""

    def choices_for(self, name: str) -> Choices:
        if name.startswith(REGIME):
            return COMPLIANCE_VALUE_CHOICES
        return self.choices.get(name, ())

    def colour_map(self, name: str) -> dict[str, str]:
        return self.colours.get(REGIME if name.startswith(REGIME) else name, {})


SPECS: dict[str, MatrixSpec] = {
    "compliance": MatrixSpec(
        kind="compliance", title="Compliance", noun="requirement", plural="requirements", name_key="requirement",
        leading=(Field("requirement", required=True),),
        trailing=(Field("status", "choice"), Field("note", "longtext")),
        dynamic=REGIME, dynamic_noun="regime",
        choices={"status": _labelled(COMPLIANCE_STATUS)},
        colours={"status": STATUS_HEX, REGIME: COMPLIANCE_VALUE_HEX}, stretch="note", summary="status",
        summary_plural="statuses",
        new_data=lambda names: {"requirement": "New requirement", "regimes": {name: "n/a" for name in names},
                                "status": "gap", "note": ""},
        empty_text="No compliance requirements yet. Add one, then mark per regime whether it is required."),
    "platform": MatrixSpec(
        kind="platform", title="Platform selection", noun="criterion", plural="criteria", name_key="criterion",
        stretch="criterion",
        leading=(Field("criterion", required=True), Field("weight", "float", minimum=0, maximum=1)),
        dynamic=SCORE, dynamic_noun="platform",
        new_data=lambda names: {"criterion": "New criterion", "weight": 0.0, "scores": {name: 0 for name in names}},
        empty_text="No criteria yet. Add platforms and weighted criteria, then score each platform from 0 to 5."),
    "tool": MatrixSpec(
        kind="tool", title="Tool evaluation", noun="tool", plural="tools", name_key="tool", stretch="rationale",
        widest=118,
        leading=(Field("tool", required=True), Field("category"), Field("ring", "choice"), Field("pros", "longtext"),
                 Field("cons", "longtext"), Field("licence_cost", label="Licence"),
                 Field("infrastructure_cost", label="Infrastructure"), Field("operations_cost", label="Operations"),
                 Field("rationale", "longtext")),
        choices={"ring": _labelled(TOOL_RINGS)}, colours={"ring": RING_HEX}, summary="ring", summary_plural="rings",
        bulleted=frozenset({"pros", "cons"}),
        new_data=lambda _names: {"tool": "New tool", "category": "", "ring": "assess", "pros": "", "cons": "",
                                 "licence_cost": "", "infrastructure_cost": "", "operations_cost": "",
                                 "rationale": ""},
        empty_text="No tools evaluated yet. Add a tool and place it in a ring: adopt, trial, assess or hold."),
    "monitoring": MatrixSpec(
        kind="monitoring", title="Monitoring metrics", noun="metric", plural="metrics", name_key="metric",
        stretch="metric",
        leading=(Field("metric", required=True), Field("category", "choice"), Field("threshold"),
                 Field("current"), Field("alerting"), Field("status", "choice")),
        choices={"category": _labelled(MONITORING_CATEGORIES), "status": _labelled(MONITORING_STATUS)},
        colours={"status": STATUS_HEX}, summary="status", summary_plural="statuses",
        new_data=lambda _names: {"metric": "New metric", "category": "model", "threshold": "", "current": "",
                                 "alerting": "", "status": "missing"},
        empty_text="No monitoring metrics yet. Add what should be watched in production and how it is today."),
}


# -- rows: JSON data ⇄ flat dict
def flatten(row: dict[str, Any]) -> dict[str, Any]:
    """{"uid", "requirement", "regime:GDPR": "required", ...}: one key per table column (and the carried mark)."""
    data = row.get("data") or {}
    flat: dict[str, Any] = {"uid": row["uid"], "carried_forward": bool(row.get("carried_forward"))}
    for key, value in data.items():
        if key == "regimes":
            flat.update({REGIME + name: v for name, v in value.items()})
        elif key == "scores":
            flat.update({SCORE + name: v for name, v in value.items()})
        else:
            flat[key] = value
    return flat


def with_value(data: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """A copy of a row's data with one flat column set (or removed when value is None)."""
    new = copy.deepcopy(data)
    for prefix, key in ((REGIME, "regimes"), (SCORE, "scores")):
        if name.startswith(prefix):
            cells = new.setdefault(key, {})
            if value is None:
                cells.pop(name[len(prefix):], None)
            else:
                cells[name[len(prefix):]] = value
            return new
    new[name] = value
    return new


def dynamic_names(spec: MatrixSpec, rows: Sequence[dict[str, Any]], extra: Sequence[str] = ()) -> list[str]:
    """Regimes or platforms in use, in a stable order: known regimes first, then as they appear."""
    if not spec.dynamic:
        return []
    key = "regimes" if spec.dynamic == REGIME else "scores"
    seen: list[str] = []
    for row in rows:
        seen.extend(name for name in (row.get("data") or {}).get(key, {}) if name not in seen)
    seen.extend(name for name in extra if name not in seen)
    if spec.dynamic == REGIME:
        return regime_order(seen) or list(DEFAULT_REGIMES)
    return seen


def _label_display(choices: Choices) -> Callable[[Any, dict[str, Any]], str]:
    labels = {value: label for label, value in choices}
    return lambda value, _row: "—" if value in (None, "") else labels.get(value, str(value))


def _order_key(choices: Choices) -> Callable[[Any], Any]:
    order = [value for _label, value in choices]
    return lambda value: order.index(value) if value in order else len(order)


def _number_display(value: Any, _row: dict[str, Any]) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value):.2f}".rstrip("0").rstrip(".") if float(value) % 1 else f"{float(value):.0f}"


def _bullet_display(value: Any, _row: dict[str, Any]) -> str:
    return bulleted_lines(value)


def columns_for(spec: MatrixSpec, names: Sequence[str], leaders: Sequence[str] = ()) -> list[Column]:
    """The table columns of one matrix kind with its current regimes / platforms."""
    dynamic_type = "choice" if spec.dynamic == REGIME else "float"
    dynamic = [Field(spec.dynamic + name, dynamic_type, minimum=0, maximum=5,
                     label=f"★ {name}" if name in leaders else name) for name in names]
    columns = []
    for f in (*spec.leading, *dynamic, *spec.trailing):
        choices = spec.choices_for(f.name)
        if choices:
            columns.append(Column(f, display=_label_display(choices), sort_key=_order_key(choices)))
        elif f.type == "float":
            columns.append(Column(f, display=_number_display))
        elif f.name in spec.bulleted:
            columns.append(Column(f, display=_bullet_display))
        else:
            columns.append(Column(f))
    return columns


class MatrixTableModel(RecordTableModel):
    """The shared model of every matrix tab; `edit(uid, old_data, new_data, text)` saves a cell."""

    def __init__(self, spec: MatrixSpec, edit: Callable[[str, dict[str, Any], dict[str, Any], str], object]) -> None:
        super().__init__([], edit=self._edit_cell, colour=self._cell_colour)
        self.spec = spec
        self._save = edit
        self._data: dict[str, dict[str, Any]] = {}

    def set_matrix(self, rows: Sequence[dict[str, Any]], columns: list[Column]) -> bool:
        """Show rows with these columns; True when the columns changed (the view should resize them)."""
        self._data = {row["uid"]: row.get("data") or {} for row in rows}
        flat = [flatten(row) for row in rows]
        if [(c.field.name, c.header) for c in columns] == [(c.field.name, c.header) for c in self.columns]:
            self.set_rows(flat)
            return False
        sorted_by = self.columns[self._sort[0]].field.name if self._sort else None
        self.beginResetModel()
        self.columns = columns
        names = [c.field.name for c in columns]
        self._sort = (names.index(sorted_by), self._sort[1]) if self._sort and sorted_by in names else None
        self._all = flat
        self._rows = [row for row in flat if self._filter(row)]
        self._apply_sort()
        self.endResetModel()
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):  # the view asks before any column exists, or to clear
            self._sort = None
            return
        super().sort(column, order)

    def sorted_column(self) -> tuple[int, Qt.SortOrder] | None:
        return self._sort

    def data_of(self, uid: str) -> dict[str, Any]:
        return self._data.get(uid, {})

    def name_of(self, uid: str) -> str:
        return str(self.data_of(uid).get(self.spec.name_key) or self.spec.noun)

    def _edit_cell(self, row: dict[str, Any], name: str, value: Any) -> None:
        old = self.data_of(row["uid"])
        title = next((c.field.title.lstrip("★ ") for c in self.columns if c.field.name == name), name)
        self._save(row["uid"], old, with_value(old, name, value), f"Edit {title} of {self.name_of(row['uid'])}")

    def _cell_colour(self, row: dict[str, Any], name: str) -> tuple[QColor, QColor] | None:
        fill = self.spec.colour_map(name).get(str(row.get(name)))
        return (QColor(fill), QColor(ink_on(fill))) if fill else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.isValid():
            column = self.columns[index.column()].field
            if column.type == "float" or column.name.startswith(REGIME):
                return int(Qt.AlignmentFlag.AlignCenter)
        return super().data(index, role)


class MatrixDelegate(FieldDelegate):
    """Combo boxes for vocabularies and regimes, spin boxes for weights (0–1) and scores (0–5)."""

    def __init__(self, model: MatrixTableModel, parent: QObject | None = None) -> None:
        super().__init__(model, parent, dict(model.spec.choices))
        self._matrix = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        field_ = self._matrix.columns[index.column()].field
        if field_.type == "float":
            spin = QDoubleSpinBox(parent)
            weight = field_.name == "weight"
            spin.setRange(0.0, 1.0 if weight else 5.0)
            spin.setDecimals(2 if weight else 1)
            spin.setSingleStep(0.05 if weight else 1.0)
            spin.setAccessibleName(field_.title)
            return spin
        if field_.name.startswith(REGIME):
            combo = QComboBox(parent)
            for label, value in COMPLIANCE_VALUE_CHOICES:
                combo.addItem(label, value)
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if isinstance(editor, QDoubleSpinBox):
            editor.setValue(float(index.data(Qt.ItemDataRole.EditRole) or 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if isinstance(editor, QDoubleSpinBox):
            value: float | int = round(editor.value(), editor.decimals())
            if self._matrix.columns[index.column()].field.name != "weight" and float(value).is_integer():
                value = int(value)
            model.setData(index, value, Qt.ItemDataRole.EditRole)
            return
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class PlatformTotals(QGroupBox):
    """Σ weight × score per platform, redrawn on every edit; the leader is marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Weighted totals (0–5)", parent)
        self.setObjectName("platformTotals")
        self.setMinimumWidth(280)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.weights = QLabel()
        self.weights.setObjectName("weightSum")
        self.weights.setWordWrap(True)
        self.weights.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addWidget(self.weights)
        layout.addStretch(1)
        self.totals: dict[str, float] = {}

    def show_totals(self, data_rows: Sequence[dict[str, Any]], platforms: Sequence[str]) -> None:
        computed = platform_totals(data_rows)
        self.totals = {name: computed.get(name, 0.0) for name in platforms}
        self.totals = dict(sorted(self.totals.items(), key=lambda kv: -kv[1]))
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        leaders = self.leaders()
        for row, (name, total) in enumerate(self.totals.items()):
            leads = name in leaders
            label = QLabel(f"<b>★ {escape(name)}</b>" if leads else escape(name))
            bar = QProgressBar()
            bar.setObjectName(f"total_{name}")
            bar.setRange(0, 500)
            bar.setValue(round(total * 100))
            bar.setFormat(f"{total:.2f}")
            bar.setAccessibleName(f"{name} weighted total")
            bar.setToolTip(f"{name}: weighted total {total:.2f} of 5" + (" — the leader" if leads else ""))
            colour = OKABE_ITO["bluish_green"] if leads else OKABE_ITO["sky_blue"]
            bar.setStyleSheet(f"QProgressBar {{ text-align: center; color: {ink_on(colour)}; }}"
                              f"QProgressBar::chunk {{ background-color: {colour}; }}")
            self.grid.addWidget(label, row, 0)
            self.grid.addWidget(bar, row, 1)
        if not self.totals:
            self.grid.addWidget(QLabel("Add a platform to compare."), 0, 0, 1, 2)
        total_weight = weight_sum(data_rows)
        warning = bool(data_rows) and weights_off(total_weight)
        mark_attention(self.weights, warning)
        if warning:
            self.weights.setText(f"<b>⚠ The weights add up to {total_weight:.2f}, not 1.</b> The totals are not on "
                                 "the 0–5 scale until the weights are adjusted.")
        else:
            self.weights.setText(f"Total = Σ weight × score over the criteria; the weights add up to "
                                 f"{total_weight:.2f}." if data_rows else "")
        self.weights.setProperty("warning", warning)

    def leaders(self) -> tuple[str, ...]:
        """Every platform on the highest total (domain.matrices.platform_leaders: the report marks the same)."""
        return platform_leaders(self.totals)
