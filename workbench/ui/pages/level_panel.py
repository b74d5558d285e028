"""The right-hand panel of the assessment step: the dimension's score, its level picker, target level and
justification, and the warning when a level rests on less than half of the dimension's checklist."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.coverage import level_warning
from workbench.domain.framework import Dimension
from workbench.domain.scoring import ScoreCard
from workbench.domain.wording import percent
from workbench.ui.pages.level_picker import LevelPicker
from workbench.ui.text_commit_edit import TextCommitEdit

WARNING_STYLE = "QLabel#levelWarning { color: palette(text); background: #FBE3C8; padding: 4px 6px; }"


class LevelPanel(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.score_label = QLabel()
        self.score_label.setObjectName("dimensionScore")
        self.score_label.setWordWrap(True)
        self.score_label.setTextFormat(Qt.TextFormat.RichText)
        self.level_picker = LevelPicker()
        self.warning = QLabel()
        self.warning.setObjectName("levelWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        self.target = QComboBox()
        self.target.setObjectName("targetLevel")
        self.target.setAccessibleName("Target level")
        self.justification = TextCommitEdit("Why this level: what you saw, heard and read")
        self.justification.setObjectName("justification")
        self.justification.setAccessibleName("Justification")
        self.justification.setMinimumHeight(90)
        level_box = QGroupBox("Current maturity level")
        QVBoxLayout(level_box).addWidget(self.level_picker)
        form = QFormLayout()
        form.addRow("Target level", self.target)
        form.addRow(QLabel("Justification"))
        form.addRow(self.justification)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.score_label)
        layout.addWidget(level_box)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        self.guidance_button = QPushButton("Guidance…")
        self.guidance_button.setObjectName("guidance")
        self.guidance_button.setToolTip("The next step for this dimension's level, the recommended stack and how to "
                                        "choose tools")
        layout.addWidget(self.guidance_button)
        layout.addStretch(1)
        self.setWidgetResizable(True)
        self.setWidget(body)
        self.setMinimumWidth(300)

    def show_levels(self, dimension: Dimension) -> None:
        self.level_picker.set_levels(dimension.levels)
        self.target.clear()
        self.target.addItem("Not set", None)
        for level in dimension.levels:
            self.target.addItem(f"{level.level} · {level.name}", level.level)

    def show_assessment(self, dimension: Dimension, record: dict[str, Any], card: ScoreCard, points_per_level: float,
                        answered: int) -> None:
        """A dimension's level, target and justification as stored (typing over the justification stays), its score,
        and the warning when the level rests on too few of its `answered` items."""
        level = record.get("current_level")
        self.level_picker.set_level(level)
        self.target.setCurrentIndex(max(self.target.findData(record.get("target_level")), 0))
        self.justification.set_text(record.get("justification"), dimension.id)
        self.show_score(dimension, card, points_per_level)
        self.show_warning(level_warning(dimension, answered, level, record.get("justification", "")))

    def show_score(self, dimension: Dimension, card: ScoreCard, points_per_level: float) -> None:
        """The dimension's score and the overall score on the framework's own scale (out of 100, or of 5)."""
        score = next(d for d in card.dimensions if d.dimension_id == dimension.id)
        per_level = points_per_level * card.out_of / 100
        own = (f"<b>{score.score * card.out_of / 100:g}</b> / {card.out_of:g} (level {score.level} × {per_level:g})"
               if score.score is not None else "not assessed")
        if card.overall is None:
            overall = "not scored yet"
        else:
            provisional = f"<br><i>{escape(card.provisional_text.capitalize())}</i>" if card.provisional else ""
            overall = f"<b>{card.shown:g}</b> / {card.out_of:g} · {card.band} · {card.verdict}{provisional}"
        self.score_label.setText(f"Dimension score: {own} · weight {percent(dimension.weight)}<br>Overall: {overall}")

    def show_warning(self, text: str) -> None:
        self.warning.setText(f"⚠ {text}" if text else "")
        self.warning.setVisible(bool(text))

    def set_read_only(self, read_only: bool) -> None:
        self.level_picker.setEnabled(not read_only)
        self.target.setEnabled(not read_only)
        self.justification.setReadOnly(read_only)
