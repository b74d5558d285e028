"""Where a file dialog starts: the folder last used, else Documents, else home — always one that exists.

A fresh profile often has no ~/Documents (a new Linux account, a server); a save dialog or the Sign dialog
pointed there refused the default path ("the folder does not exist").
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

__all__ = ["start_folder"]


def start_folder(settings: QSettings | None = None, key: str = "") -> Path:
    """The first existing of: the folder remembered under `key`, Documents, the home folder."""
    candidates = []
    if settings is not None and key and settings.value(key):
        candidates.append(Path(str(settings.value(key))).expanduser())
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents:
        candidates.append(Path(documents))
    return next((folder for folder in candidates if folder.is_dir()), Path.home())
