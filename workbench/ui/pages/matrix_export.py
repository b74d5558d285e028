"""Export… on a matrix tab: asks where (Excel, CSV or JSON) and writes the matrix through services.matrix_export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from workbench.services.matrix_export import export_matrix
from workbench.ui.errors import show_error
from workbench.ui.session import EngagementSession
from workbench.ui.status import show_status

FILTERS = "Excel workbook (*.xlsx);;CSV (*.csv);;JSON (*.json)"


def export_matrix_file(parent: QWidget, session: EngagementSession, kind: str, title: str,
                       path: Path | None = None) -> Path | None:
    """The file written, or None when the auditor cancelled or the file could not be written (said in a dialog)."""
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(parent, f"Export {title.lower()}",
                                                f"{session.ref}-{kind}-matrix.xlsx", FILTERS)
        if not chosen:
            return None
        path = Path(chosen)
    try:
        written = export_matrix(session.ws, session.uid, kind, path)
    except Exception as exc:
        show_error(parent, exc, "Not exported")
        return None
    show_status(parent, f"Wrote {written}", 6000)
    return written
