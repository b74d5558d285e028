"""The evidence page's "SHA-256 and links" box: the selected file's full hash (to copy and compare) and what it
supports, each link named as the auditor knows it ("Finding: F-003 · No rollback"), with Unlink below."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout

from workbench.ui.pages.evidence_widgets import LINK_GROUPS, link_name, link_targets
from workbench.ui.session import EngagementSession


class EvidenceDetails(QGroupBox):
    """Shows one evidence record; the page acts on `links` (the current one is what Unlink removes)."""

    def __init__(self) -> None:
        super().__init__("SHA-256 and links")
        self.hash_field = QLineEdit(readOnly=True)
        self.hash_field.setObjectName("sha256")
        self.hash_field.setAccessibleName("SHA-256")
        self.hash_field.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        copy_hash = QPushButton("Copy")
        copy_hash.setToolTip("Copy the full SHA-256 to the clipboard")
        copy_hash.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.hash_field.text()))
        self.links = QListWidget()
        self.links.setObjectName("links")
        self.links.setAccessibleName("Linked to")
        self.links.setWordWrap(True)  # long finding titles wrap instead of scrolling sideways
        self.unlink_button = QPushButton("Unlink")
        self.unlink_button.setObjectName("unlink")
        self.unlink_button.setToolTip("Remove the selected link; the evidence stays")
        layout = QVBoxLayout(self)
        hash_row = QHBoxLayout()
        hash_row.addWidget(self.hash_field, 1)
        hash_row.addWidget(copy_hash)
        layout.addLayout(hash_row)
        layout.addWidget(self.links, 1)
        link_row = QHBoxLayout()
        link_row.addStretch(1)
        link_row.addWidget(self.unlink_button)
        layout.addLayout(link_row)

    def show_record(self, session: EngagementSession, record: dict[str, Any] | None) -> None:
        self.links.clear()
        names = {kind: dict(pairs) for kind, pairs in link_targets(session).items()} if record else {}
        for link in (record or {}).get("links", []):
            kind = dict(LINK_GROUPS).get(link["target_kind"], link["target_kind"]).rstrip("s").lower()
            name = names.get(link["target_kind"], {}).get(link["target_key"]) or link_name(session, link)
            item = QListWidgetItem(f"{kind.capitalize()}: {name}")
            item.setToolTip(name)
            item.setData(Qt.ItemDataRole.UserRole, link)
            self.links.addItem(item)
        self.hash_field.setText(str((record or {}).get("sha256", "")))
        self.hash_field.setCursorPosition(0)
