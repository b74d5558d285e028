"""Export DOCX…: the chosen deliverable as an editable Word document, an unsigned working copy.

The file name is asked on the GUI thread; the document is written in a worker (ui.workers.run_task) with a
progress dialog and Cancel, like a rendered preview. It is written from the engagement as it is now, not
from the preview, and is never signed: the signed PDF stays the deliverable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from workbench.ui.errors import show_error
from workbench.ui.session import EngagementSession
from workbench.ui.workers import Task, run_task

LAST_FOLDER = "deliverables/last_folder"
KIND_NAMES = {"full": "full report", "executive": "executive summary"}


class WorkingCopyExport:
    """Asks where, writes the DOCX in a worker, and tells the page (`say`) what happened."""

    def __init__(self, page: QWidget, session: EngagementSession, settings: QSettings, say: Callable[[str], None],
                 changed: Callable[[], None]) -> None:
        self.page = page
        self.session = session
        self.settings = settings
        self.say = say
        self.changed = changed
        self.task: Task | None = None

    def _start(self, kind: str) -> Path | None:
        from workbench.services.deliverables import default_file_name

        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        folder = Path(str(self.settings.value(LAST_FOLDER, documents)))
        path, _ = QFileDialog.getSaveFileName(self.page, "Export an unsigned DOCX working copy",
                                              str(folder / default_file_name(self.session.ref, kind, "docx")),
                                              "Word documents (*.docx)")
        if not path:
            return None
        return Path(path if path.lower().endswith(".docx") else path + ".docx")

    def export(self, kind: str) -> Task | None:
        if self.task is not None:
            return None
        target = self._start(kind)
        if target is None:
            return None
        ws, uid = self.session.ws, self.session.uid

        def work(task: Task) -> Path:
            from workbench.services import deliverables
            from workbench.services.preferences import load_preferences

            preferences = load_preferences()
            return deliverables.render_report(ws, uid, target, kind=kind, file_format="docx",
                                              branding=preferences.branding(), cancelled=task.cancelled,
                                              progress=task.progress.emit, day_rate=preferences.day_rate,
                                              currency=preferences.currency)

        self.settings.setValue(LAST_FOLDER, str(target.parent))
        self.task = run_task(work, self._done, self._failed, parent=self.page,
                             label=f"Writing the {KIND_NAMES[kind]} as a DOCX working copy…")
        self.changed()
        return self.task

    def _done(self, path: Path) -> None:
        self.task = None
        self.changed()
        self.say(f"Unsigned DOCX working copy saved to {path}. The signed PDF stays the deliverable.")

    def _failed(self, exc: BaseException) -> None:
        from workbench.reports.document import ReportCancelled

        self.task = None
        self.changed()
        if isinstance(exc, ReportCancelled):
            self.say("Export cancelled; nothing was written.")
        else:
            show_error(self.page, exc, "The DOCX working copy was not written")
