"""Screenshots of fieldwork on two laptops for docs/user-guide.md: the hand-out dialog and the conflict dialog.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/fieldwork.py

The DriftGuardAI sample is handed out from a lead's scratch workspace to a colleague's; both edit the same
findings, and the lead's window shows the conflicts of merging the colleague's package. The window is
1366 × 768, as in generate.py; each dialog is drawn over it (generate.save).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import SAMPLES, save  # noqa: E402

from workbench.services import records  # noqa: E402
from workbench.services.fieldwork import assign, assignments  # noqa: E402
from workbench.services.merge import preview_merge  # noqa: E402
from workbench.services.packages import export_package, import_package  # noqa: E402
from workbench.store.workspace import Workspace  # noqa: E402
from workbench.ui.app import make_application  # noqa: E402
from workbench.ui.fieldwork_dialogs import ConflictDialog, HandOutDialog  # noqa: E402
from workbench.ui.main_window import MainWindow  # noqa: E402


def main() -> int:
    app = make_application()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        os.environ["WORKBENCH_IDENTITIES"] = str(folder / "identities")
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        lead = Workspace(folder / "lead.db", actor="Ann Lead").open()
        uid = import_package(lead, SAMPLES / "driftguard.mlaudit", untrusted=True)
        assign(lead, uid, "dimension:MON", "Bea Field")
        assign(lead, uid, "section:models", "Bea Field")
        assign(lead, uid, "section:findings", "Ann Lead")
        handout = export_package(lead, uid, folder / "handout.mlaudit", signer=None, for_fieldwork=True)
        findings = records.list_records(lead, uid, "finding")[:2]
        with Workspace(folder / "bea.db", actor="Bea Field") as bea:
            import_package(bea, handout, untrusted=True)
            records.update_record(bea, uid, "finding", findings[0]["uid"],
                                  {"title": "Drift alerts reach nobody outside office hours"})
            records.update_record(bea, uid, "finding", findings[1]["uid"], {"owner": "Platform on-call"})
            back = export_package(bea, uid, folder / "bea.mlaudit", signer=None)
        records.update_record(lead, uid, "finding", findings[0]["uid"], {"title": "Drift alerts are not routed"})
        records.update_record(lead, uid, "finding", findings[1]["uid"], {"owner": "ML platform lead"})
        window = MainWindow(lead, settings)
        window.resize(1366, 768)
        window.show()
        window.open_engagement(uid)
        ref = window.session.document["engagement"]["ref"]
        dialog = HandOutDialog(ref, assignments(lead, uid), folder / f"{ref}-fieldwork.mlaudit", window)
        dialog.show()
        save(app, window, HERE / "fieldwork-hand-out.png", dialog)
        conflicts = ConflictDialog(preview_merge(lead, back, untrusted=True), window)
        conflicts.show()
        conflicts.boxes[0].setCurrentIndex(2)
        save(app, window, HERE / "fieldwork-conflicts.png", conflicts)
        window.close()
        lead.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
