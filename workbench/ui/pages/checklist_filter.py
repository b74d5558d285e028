"""Search and tag filter over a framework's checklist, for frameworks of hundreds of items.

Imported catalogs (NIST SP 800-53 has over a thousand controls and enhancements) are worked through
by searching ("account", "AC-2") and by tag (an implementation group, "enhancement"). The filter only
decides which items show; answers and navigation stay with the assessment page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from workbench.domain.framework import ChecklistItem, Framework

ALL_TAGS = "All tags"


class ChecklistFilter(QWidget):
    changed = Signal()

    def __init__(self, framework: Framework, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistFilter")
        self.search = QLineEdit(placeholderText="Search items in every dimension: id or words (Ctrl+F)…",
                                clearButtonEnabled=True)
        self.search.setObjectName("search")  # the window's Find action focuses it
        self.search.setAccessibleName("Search checklist items")
        self.tag = QComboBox()
        self.tag.setObjectName("tagFilter")
        self.tag.setAccessibleName("Filter by tag")
        self.tag.addItem(ALL_TAGS, "")
        raw_names = framework.raw.get("tag_names")
        names: dict[str, str] = raw_names if isinstance(raw_names, dict) else {}
        for tag in sorted({t for d in framework.dimensions for i in d.items for t in i.tags}, key=str.casefold):
            self.tag.addItem(f"{tag} · {names[tag]}" if names.get(tag) else tag, tag)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.tag)
        self.tag.setVisible(self.tag.count() > 1)  # after it has a parent: a parentless widget would show as a window
        self.search.textChanged.connect(lambda _text: self.changed.emit())
        self.tag.currentIndexChanged.connect(lambda _index: self.changed.emit())

    def clear(self) -> None:
        """Every item shown again (one `changed`)."""
        self.blockSignals(True)
        self.search.clear()
        self.tag.setCurrentIndex(0)
        self.blockSignals(False)
        self.changed.emit()

    def active(self) -> bool:
        return bool(self.search.text().strip() or self.tag.currentData())

    def matches(self, item: ChecklistItem) -> bool:
        tag = self.tag.currentData()
        if tag and tag not in item.tags:
            return False
        words = self.search.text().casefold().split()
        if not words:
            return True
        haystack = f"{item.id}\n{item.text}\n{item.guidance}".casefold()
        return all(word in haystack for word in words)

    def apply(self, items: Iterable[ChecklistItem]) -> Sequence[ChecklistItem]:
        return tuple(items) if not self.active() else tuple(i for i in items if self.matches(i))
