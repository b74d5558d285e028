"""Nothing confidential in clear on disk (issue #16's acceptance), tested as a thief would look.

HOME, TMPDIR, the app's data, settings, log and identity folders and the workspace folder all point into
the test's folder. The command line creates an ENCRYPTED workspace (the default) by importing every sample;
the workspace is taken back one schema revision and upgraded (the automatic pre-migration backup), backed
up by hand, reported on and signed to a deliverable the auditor names; the app renders the report preview.
Then every byte of every file written under those folders, except the deliverable, is searched for each
sample's client names, contact e-mails, finding titles and evidence text: none may be found. Report renders
and previews are made in memory, never in a file: the runtime folder is a disk folder here (as on a system
without a tmpfs, macOS or Windows), and every file the process opens for writing while the signed report
and the preview are made is recorded (an audit hook): none lies in a temporary folder, and the only PDF
written is the deliverable."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from tests.helpers import downgrade_workspace
from tests.helpers.confidential import client_strings, inside, leaks, writes_recorded, written_files
from workbench.cli import main
from workbench.store import migrate
from workbench.store.keys import is_encrypted
from workbench.store.workspace import Workspace

SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"
PASSPHRASE = "a long workspace passphrase"
RENDER_TIMEOUT_MS = 180_000


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The folders an installation writes to, all inside the test's folder, and the encrypted default."""
    folders = {name: tmp_path / name for name in ("home", "tmp", "runtime", "workspace", "deliverables", "outside")}
    for folder in folders.values():
        folder.mkdir()
    home = folders["home"]
    for name, value in {"HOME": home, "TMPDIR": folders["tmp"], "XDG_RUNTIME_DIR": folders["runtime"],
                        "XDG_CONFIG_HOME": home / ".config",
                        "XDG_DATA_HOME": home / ".local" / "share", "XDG_CACHE_HOME": home / ".cache",
                        "XDG_STATE_HOME": home / ".local" / "state", "WORKBENCH_LOG_DIR": home / "logs",
                        "WORKBENCH_IDENTITIES": home / "identities",
                        "WORKBENCH_DB": folders["workspace"] / "workspace.db"}.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    monkeypatch.delenv("WORKBENCH_PLAIN_WORKSPACE")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / ".config"))
    secret = folders["outside"] / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return {**folders, "secret": secret}


def cli(machine: dict[str, Path], *args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--db-passphrase-file", str(machine["secret"]), *args])
    assert code == 0, args
    return out.getvalue()


def test_no_client_string_in_any_file_the_app_wrote(qtbot, machine: dict[str, Path]) -> None:
    from workbench.ui.main_window import MainWindow

    path = machine["workspace"] / "workspace.db"
    for package in sorted(SAMPLES.glob("*.mlaudit")):
        cli(machine, "import", str(package), "--untrusted")
    assert is_encrypted(path)
    secrets = client_strings(path)

    downgrade_workspace(path, "0009")  # what an older version left: the next opening upgrades it, backup first
    engagements = json.loads(cli(machine, "list", "--json"))
    assert migrate.current_revision(path) == migrate.head_revision()
    assert [p.name for p in (machine["workspace"] / "backups").glob("*before-upgrade*.db")]
    cli(machine, "backup", "-o", str(machine["workspace"] / "backups" / "by-hand.db"))

    ref = next(e["ref"] for e in engagements if e["client"].startswith("DriftGuard"))
    cli(machine, "identity", "create", "--name", "Ada Auditor", "--email", "ada@example.com", "--firm", "Acme Audit",
        "--passphrase-file", str(machine["secret"]))
    cli(machine, "signoff", ref, "--role", "reviewer", "--passphrase-file", str(machine["secret"]))
    deliverable = machine["deliverables"] / "report.pdf"
    with writes_recorded() as signing_writes:
        cli(machine, "report", ref, "-o", str(deliverable), "--sign", "--draft-signature", "--passphrase-file",
            str(machine["secret"]))
    assert deliverable.read_bytes().startswith(b"%PDF")

    with Workspace(path) as ws:  # the app, on the same encrypted workspace: the report preview
        window = MainWindow(ws, QSettings())  # the app's own settings file, under HOME
        qtbot.addWidget(window)
        window.show()
        window.open_engagement(next(e["uid"] for e in engagements if e["ref"] == ref))
        window.show_step("deliverables")
        page = window.view.pages["deliverables"]
        page.kind.setCurrentIndex(page.kind.findData("executive"))
        with writes_recorded() as preview_writes:
            qtbot.mouseClick(page.render_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: page.rendered is not None, timeout=RENDER_TIMEOUT_MS)
        assert page.rendered.path is None and page.preview.page_count() >= 2  # shown from memory
        written = [p for folder in ("home", "tmp", "workspace") for p in written_files(machine[folder])]
        assert path.with_name("workspace.db-wal") in written  # the open workspace's log is searched too
        found = leaks(written, secrets)
        window.close()

    written = [p for folder in ("home", "tmp", "workspace") for p in written_files(machine[folder])]
    names = {p.name for p in written}
    assert {"workspace.db", "workspace.db.key", "by-hand.db", "by-hand.db.key"} <= names
    assert any(name.endswith(".log") for name in names) and any(name.endswith(".ini") for name in names)
    assert not found and not leaks(written, secrets)
    temporary = [machine["tmp"], machine["runtime"], Path(tempfile.gettempdir()), Path("/dev/shm")]
    assert signing_writes and not inside(signing_writes + preview_writes, temporary)
    pdfs = [p for p in signing_writes + preview_writes if ".pdf" in p.name]
    assert pdfs and inside(pdfs, [machine["deliverables"]]) == pdfs  # the deliverable (through its temp file)
    assert not written_files(machine["tmp"]) and not written_files(machine["runtime"])
