"""Pieces of the evidence page: file sizes and times in words, link names, the link dialog, previews."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QFontDatabase, QImage, QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import ValidationError
from workbench.services.evidence import MAX_EVIDENCE_BYTES
from workbench.ui.appearance import mark_attention
from workbench.ui.errors import user_message
from workbench.ui.session import EngagementSession
from workbench.ui.workers import run_task

PREVIEW_BYTES = 200 * 1024  # a text preview shows the start of the file
SYNC_BYTES = 1024 * 1024  # smaller files are read on the spot, larger ones in a worker
TEXT_TYPES = {"application/json", "application/yaml", "application/x-yaml", "application/xml", "application/toml",
              "application/javascript", "application/x-sh", "application/sql"}
LINK_GROUPS = (("finding", "Findings"), ("checklist_item", "Checklist items"), ("model", "Models"), ("risk", "Risks"))


def human_size(size: Any) -> str:
    value = float(size or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return ""


def when(value: Any) -> str:
    return str(value or "")[:16].replace("T", " ")


def read_files(paths: Sequence[Path]) -> list[tuple[str, bytes, str]]:
    """(name, bytes, modified time) of files to attach; run in a worker. Folders and files over 1 GB are refused."""
    loaded = []
    for path in paths:
        if not path.is_file():
            raise ValidationError(f"{path.name} is not a file")
        if path.stat().st_size > MAX_EVIDENCE_BYTES:
            raise ValidationError(f"{path.name} is larger than 1 GB")
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
        loaded.append((path.name, path.read_bytes(), modified))
    return loaded


def preview_kind(record: dict[str, Any]) -> str:
    """'image', 'text' or '' (no preview) from the media type."""
    media = str(record.get("media_type") or "")
    if media.startswith("image/") and media != "image/svg+xml":
        return "image"
    if media.startswith("text/") or media in TEXT_TYPES or media.endswith(("+json", "+xml")):
        return "text"
    return ""


def link_targets(session: EngagementSession) -> dict[str, list[tuple[str, str]]]:
    """Per link kind, (key, human name) pairs: the names an auditor knows them by ('F-003', 'DP-02', 'fraud-gbm')."""
    doc = session.document
    return {
        "finding": [(r["uid"], f"{r['ref']} · {r.get('title', '')}") for r in doc.get("findings", [])],
        "checklist_item": [(item.id, f"{item.id} · {item.text}") for d in session.framework.dimensions
                           for item in d.items],
        "model": [(r["uid"], f"{r['name']} {r.get('version') or ''}".strip()) for r in doc.get("models", [])],
        "risk": [(r["uid"], f"{r['ref']} · {r.get('title') or r.get('description') or ''}")
                 for r in doc.get("risks", [])],
    }


def link_name(session: EngagementSession, link: dict[str, Any]) -> str:
    kind, key = link.get("target_kind"), link.get("target_key")
    source = {"finding": ("findings", "ref"), "risk": ("risks", "ref"), "model": ("models", "name")}.get(str(kind))
    if source is None:
        return str(key)
    row = next((r for r in session.document.get(source[0], []) if r.get("uid") == key), None)
    return str(row[source[1]]) if row else str(key)


class LinkDialog(QDialog):
    """Choose what evidence supports: findings, checklist items, models, risks (several at once).

    Type to narrow the list, Down to reach it, Space or a click to choose, Enter to link. A group heading is
    never a choice: Enter on it steps into the group, and Link with nothing chosen says so instead of closing."""

    def __init__(self, session: EngagementSession, linked: set[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Link evidence to…")
        self.search = QLineEdit(placeholderText="Search findings, checklist items, models, risks…",
                                clearButtonEnabled=True)
        self.search.setObjectName("linkSearch")
        self.tree = QTreeWidget()
        self.tree.setObjectName("linkTargets")
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.groups: list[tuple[QTreeWidgetItem, str]] = []
        targets = link_targets(session)
        for kind, title in LINK_GROUPS:
            group = QTreeWidgetItem(self.tree, [f"{title} ({len(targets[kind])})"])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.groups.append((group, title))
            for key, name in targets[kind]:
                item = QTreeWidgetItem(group, [name + ("  (linked)" if (kind, key) in linked else "")])
                item.setData(0, Qt.ItemDataRole.UserRole, (kind, key))
                item.setToolTip(0, name)
                if (kind, key) in linked:
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.tree.expandAll()
        self.problem = QLabel()
        self.problem.setObjectName("linkProblem")
        self.problem.setWordWrap(True)
        mark_attention(self.problem)
        self.problem.hide()
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.tree.installEventFilter(self)
        self.tree.itemDoubleClicked.connect(lambda item, _c: item.parent() is not None and self.accept())
        self.tree.itemSelectionChanged.connect(self.problem.hide)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def _filter(self, text: str) -> None:
        """Hide what does not match; each group counts what it still shows ("Findings (2 of 5)")."""
        text = text.strip().casefold()
        for group, title in self.groups:
            children = _children(group)
            for child in children:
                child.setHidden(bool(text) and text not in child.text(0).casefold())
            shown = len([child for child in children if not child.isHidden()])
            group.setText(0, f"{title} ({shown} of {len(children)})" if text else f"{title} ({len(children)})")
            group.setHidden(bool(text) and not shown)

    def choices_shown(self) -> list[QTreeWidgetItem]:
        """The targets the list shows now that can still be chosen (not hidden, not linked already)."""
        return [child for group, _title in self.groups if not group.isHidden() for child in _children(group)
                if not child.isHidden() and child.flags() & Qt.ItemFlag.ItemIsSelectable]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if watched is self.search and key == Qt.Key.Key_Down:  # on to the list, the first choice current
            self._choose_first(self.choices_shown(), select=True)
            return True
        if watched is self.search and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and len(self.choices_shown()) == 1:
            self._choose_first(self.choices_shown(), select=True)  # one match left: Enter links it
            self.accept()
            return True
        current = self.tree.currentItem()
        if watched is self.tree and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current is not None \
                and current.parent() is None and not self.chosen():  # a heading: step into its group
            self._choose_first([child for child in _children(current) if not child.isHidden()], select=False)
            return True
        return False

    def _choose_first(self, items: list[QTreeWidgetItem], *, select: bool) -> None:
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        if items:
            flag = QItemSelectionModel.SelectionFlag.ClearAndSelect if select and \
                items[0].flags() & Qt.ItemFlag.ItemIsSelectable else QItemSelectionModel.SelectionFlag.NoUpdate
            self.tree.setCurrentItem(items[0], 0, flag)

    def accept(self) -> None:
        if not self.chosen():  # nothing to link: say so, stay open
            self.problem.setText("Choose what the evidence supports first: a finding, checklist item, model or risk "
                                 "(click it, or Space on it; Ctrl+click for several).")
            self.problem.show()
            return
        super().accept()

    def chosen(self) -> list[tuple[str, str]]:
        return [(str(kind), str(key)) for item in self.tree.selectedItems() if item.parent() is not None
                for kind, key in [item.data(0, Qt.ItemDataRole.UserRole)]]


def _children(group: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [child for child in (group.child(i) for i in range(group.childCount())) if child is not None]


class ImagePreview(QLabel):
    """An image scaled down to fit (never up), rescaled as the pane is resized."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.original = QPixmap()

    def set_image(self, image: QImage) -> None:
        self.original = QPixmap.fromImage(image)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.original.isNull():
            return
        if self.original.width() <= self.width() and self.original.height() <= self.height():
            self.setPixmap(self.original)
        else:
            self.setPixmap(self.original.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.SmoothTransformation))


def load_preview(data: bytes, kind: str) -> tuple[str, Any]:
    """Decode bytes for the preview (safe in a worker: QImage, not QPixmap)."""
    if kind == "image":
        image = QImage()
        if image.loadFromData(data):
            return "image", image
        return "", "The image could not be decoded."
    text = data[:PREVIEW_BYTES].decode("utf-8", errors="replace")
    return "text", text


class EvidencePreview(QGroupBox):
    """Images scaled to fit, text in monospace (first 200 KB), otherwise a sentence with size and hash.

    `read(uid)` returns the file's bytes; files over 1 MB are read and decoded in a worker.
    """

    def __init__(self, read: Callable[[str], bytes], parent: QWidget | None = None) -> None:
        super().__init__("Preview", parent)
        self.setObjectName("preview")
        self._read = read
        self.showing = ""  # uid of the record shown (or being loaded)
        self.image = ImagePreview()
        self.text = QPlainTextEdit(readOnly=True)
        self.text.setObjectName("textPreview")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setAcceptDrops(False)
        self.message = QLabel()
        self.message.setObjectName("previewMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stack = QStackedWidget()
        for widget in (self.message, self.image, self.text):
            self.stack.addWidget(widget)
        self.caption = QLabel()
        self.caption.setObjectName("previewCaption")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.caption)
        self.show_record(None)

    def say(self, text: str) -> None:
        self.stack.setCurrentWidget(self.message)
        self.message.setText(text)

    def show_record(self, record: dict[str, Any] | None) -> None:
        if record is not None and record["uid"] == self.showing:
            return
        self.showing = record["uid"] if record else ""
        self.image.original = QPixmap()
        if record is None:
            self.caption.clear()
            self.say("Select a file to preview it.")
            return
        size = int(record.get("size") or 0)
        media = record.get("media_type") or "unknown type"
        self.caption.setText(f"{record['file_name']} · {media} · {human_size(size)}")
        kind = preview_kind(record)
        if not kind:
            self.say(f"No preview is available for {media} files. The file is {human_size(size)} "
                     f"({size:,} bytes); its SHA-256 is {record['sha256']}.")
            return
        uid = record["uid"]

        def work(_task: object = None) -> tuple[str, Any]:
            return load_preview(self._read(uid), kind)

        if size <= SYNC_BYTES:
            try:
                self._show(uid, size, work())
            except Exception as exc:  # a missing blob is told in the pane, not as a dialog
                self.say(f"The file could not be read: {user_message(exc)}")
            return
        self.say(f"Loading a preview of {human_size(size)}…")
        run_task(work, lambda result: self._show(uid, size, result),
                 lambda exc: self.showing == uid and self.say(f"The file could not be read: {user_message(exc)}"),
                 parent=self, show_progress=False)

    def _show(self, uid: str, size: int, result: tuple[str, Any]) -> None:
        if uid != self.showing:  # the user moved on while the file was read
            return
        kind, value = result
        if kind == "image":
            self.stack.setCurrentWidget(self.image)
            self.image.set_image(value)
        elif kind == "text":
            self.stack.setCurrentWidget(self.text)
            self.text.setPlainText(value)
            if size > PREVIEW_BYTES:
                self.caption.setText(self.caption.text() + f" · showing the first {human_size(PREVIEW_BYTES)}")
        else:
            self.say(str(value))
