"""The main window's package commands: importing and exporting .mlaudit packages, the recent packages, and
exporting OSCAL assessment results. MainWindow (ui/main_window.py) is built from this and HelpCommands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from workbench.ui.errors import show_error, user_message
from workbench.ui.folders import start_folder
from workbench.ui.workers import run_task

if TYPE_CHECKING:
    from workbench.services.package_envelope import OpeningKeys, SealedFor
    from workbench.store.workspace import Workspace
    from workbench.ui.library import LibraryPage
    from workbench.ui.session import EngagementSession

MAX_RECENT = 8


class PackageCommands(QMainWindow):
    """File › Import/Export package, Recent packages and Export OSCAL results, for the main window."""

    # what the main window provides
    ws: Workspace  # attached before any command can run (MainWindow.attach_workspace)
    settings: QSettings
    library: LibraryPage
    session: EngagementSession | None
    recent_menu: QMenu
    open_engagement: Callable[[str], None]

    def import_package_dialog(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Import engagement package", self._last_folder(),
                                                  "Engagement packages (*.mlaudit);;All files (*)")
        if path:
            self.import_package_file(Path(path))

    def import_package_file(self, path: Path, as_copy: bool = False, untrusted: bool = False,
                            keys: OpeningKeys | None = None) -> None:
        """Import a package; an encrypted one is first read in a worker to learn what opens it, which is then
        asked here (identity passphrase or package passphrase) before the import itself runs in a worker."""
        self.settings.setValue("paths/last_folder", str(path.parent))
        if keys is None:
            from workbench.services.package_envelope import sealed_for

            run_task(lambda _task: sealed_for(path), lambda found: self._open_sealed(path, found, as_copy, untrusted),
                     lambda exc: show_error(self, exc, "Package not imported"), parent=self,
                     label=f"Reading {path.name}…")
            return
        self._import_opened(path, as_copy, untrusted, keys)

    def _open_sealed(self, path: Path, found: SealedFor | None, as_copy: bool, untrusted: bool) -> None:
        from workbench.services.package_envelope import OpeningKeys

        if found is None:  # a clear package
            self._import_opened(path, as_copy, untrusted, OpeningKeys())
            return
        from workbench.ui.package_protection import opening_keys

        keys = opening_keys(self, path, found)
        if keys is not None:
            self._import_opened(path, as_copy, untrusted, keys)

    def _import_opened(self, path: Path, as_copy: bool, untrusted: bool, keys: OpeningKeys) -> None:
        def done(uid: str) -> None:
            self._remember_recent(path)
            self.library.refresh()
            self.statusBar().showMessage(f"Imported {path.name}", 8000)
            self.open_engagement(uid)

        def failed(exc: BaseException) -> None:
            from workbench.services.package_envelope import SealedFor, WrongPackagePassphrase
            from workbench.ui.package_trust import UntrustedPackage, confirm_untrusted
            from workbench.ui.passphrase import NOTICE_PROPERTY

            if isinstance(exc, WrongPackagePassphrase):  # ask again, saying why, in the passphrase dialog itself
                self.setProperty(NOTICE_PROPERTY, f"{user_message(exc)}. Type it again, or Cancel.")
                self._open_sealed(path, SealedFor(None, "", True), as_copy, untrusted)
                return
            if isinstance(exc, UntrustedPackage):  # intact, but nothing here vouches for it: ask
                if confirm_untrusted(self, exc):
                    self.import_package_file(path, as_copy=as_copy, untrusted=True, keys=keys)
                return
            if "import it as a copy" in str(exc):  # the refusal names a way out: offer it
                answer = QMessageBox.question(self, "Already in this workspace",
                                              f"{user_message(exc)}.\n\nImport it as a copy?")
                if answer == QMessageBox.StandardButton.Yes:
                    self.import_package_file(path, as_copy=True, untrusted=untrusted, keys=keys)
                return
            show_error(self, exc, "Package not imported")

        from workbench.services.packages import import_package  # jsonschema & co. load on first use, not at start

        run_task(lambda _task: import_package(self.ws, path, as_copy=as_copy, untrusted=untrusted, keys=keys), done,
                 failed, parent=self, label=f"Importing {path.name}…")

    def export_package_dialog(self, uid: str | None) -> None:
        uid = uid or (self.session.uid if self.session else self.library.selected_uid())
        if not uid:
            return
        ref = next((s.ref for s in self.library.summaries if s.uid == uid), "engagement")
        default = str(Path(self._last_folder()) / f"{ref}.mlaudit")
        path, _ = QFileDialog.getSaveFileName(self, "Export engagement package", default,
                                              "Engagement packages (*.mlaudit)")
        if not path:
            return
        target = Path(path if path.endswith(".mlaudit") else path + ".mlaudit")
        self.settings.setValue("paths/last_folder", str(target.parent))
        from workbench.services.packages import export_package
        from workbench.ui.package_protection import choose_protection
        from workbench.ui.package_trust import choose_export_signer

        protect = choose_protection(self, target.name, self.settings)  # none, for recipients, with a passphrase
        if not protect.go:
            return
        choice = choose_export_signer(self)  # signs the package and attests its trail
        if not choice.go:
            return
        run_task(lambda _task: export_package(self.ws, uid, target, signer=choice.signer,
                                              protection=protect.protection),
                 self._exported,
                 lambda exc: show_error(self, exc, "Package not exported"), parent=self,
                 label=f"Exporting {target.name}…")

    def export_oscal_dialog(self) -> None:
        uid = self.session.uid if self.session else self.library.selected_uid()
        if not uid:
            return
        ref = next((s.ref for s in self.library.summaries if s.uid == uid), "engagement")
        path, _ = QFileDialog.getSaveFileName(self, "Export OSCAL assessment results",
                                              str(Path(self._last_folder()) / f"{ref}-assessment-results.json"),
                                              "OSCAL JSON (*.json)")
        if path:
            self.export_oscal_file(uid, Path(path if path.endswith(".json") else path + ".json"))

    def export_oscal_file(self, uid: str, target: Path) -> None:
        from workbench.services.oscal_export import export_assessment_results
        from workbench.ui.saved_settings import saved_cost_basis

        self.settings.setValue("paths/last_folder", str(target.parent))
        basis = saved_cost_basis()
        run_task(lambda _task: export_assessment_results(self.ws, uid, target, basis),
                 lambda written: self.statusBar().showMessage(f"Exported {written}", 8000),
                 lambda exc: show_error(self, exc, "OSCAL results not exported"), parent=self,
                 label=f"Exporting {target.name}…")

    def _last_folder(self) -> str:
        return str(start_folder(self.settings, "paths/last_folder"))

    def _remember_recent(self, path: Path) -> None:
        recent = [str(path)] + [p for p in self._recent() if p != str(path)]
        self.settings.setValue("paths/recent_packages", recent[:MAX_RECENT])
        self._fill_recent()

    def _import_recent(self, path: str) -> Callable[[], None]:
        return lambda: self.import_package_dialog(path)

    def _exported(self, written: Path) -> None:
        self._remember_recent(written)
        self.statusBar().showMessage(f"Exported {written}", 8000)

    def _recent(self) -> list[str]:
        value = self.settings.value("paths/recent_packages", [])
        return [value] if isinstance(value, str) else [str(p) for p in value] if isinstance(value, list | tuple) else []

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self._recent():
            self.recent_menu.addAction(Path(path).name, self._import_recent(path))
        self.recent_menu.setEnabled(bool(self._recent()))
