"""A full disk and a read-only disk, for real (a 32 MB tmpfs, remounted read-only): every writing command
says so in one plain line and exits 2, the workspace keeps its content, nothing is left under a final
name (no empty backup) and nothing prints a traceback; after space is freed the same commands work. A
read-only workspace opens read-only: it can be shown, verified, exported, reported on and backed up
elsewhere, and the desktop app opens it with a banner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.churn import findings_csv
from bench.kill9 import PASSPHRASE, whole_file_problem
from tests.faults.conftest import fill, make_read_only, one_plain_line
from tests.helpers import content_hash
from workbench.services.engagements import create_engagement
from workbench.services.packages import export_package
from workbench.services.records import add_record
from workbench.store.workspace import Workspace


def engagement_on(disk: Path, inputs: Path) -> tuple[Path, str, Path]:
    db = disk / "workspace.db"
    with Workspace(db) as ws:
        uid = create_engagement(ws, client="Acme", title="Full disk")
        for n in range(5):
            add_record(ws, uid, "finding", {"title": f"Finding {n}", "severity": "High"})
        package = export_package(ws, uid, inputs / "copy.mlaudit", signer=None)
    return db, uid, package


def writing_commands(db: Path, uid: str, inputs: Path, out: Path, package: Path) -> dict[str, list[str]]:
    secret = inputs / "package-passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return {
        "new": ["--db", str(db), "new", "--client", "Other", "--title", "More"],
        "assess": ["--db", str(db), "assess", uid, "MON", "--level", "3"],
        "answer": ["--db", str(db), "answer", uid, "MON-01", "yes", "--note", "n"],
        "records import": ["--db", str(db), "records", "import", uid, "findings", str(findings_csv(inputs))],
        "import": ["--db", str(db), "import", str(package), "--as-copy", "--untrusted"],
        "export": ["--db", str(db), "export", uid, "-o", str(out / "engagement.mlaudit"), "--unsigned"],
        "export encrypted": ["--db", str(db), "export", uid, "-o", str(out / "encrypted.mlaudit"), "--unsigned",
                             "--encrypt-with-passphrase", "--package-passphrase-file", str(secret)],
        "report": ["--db", str(db), "report", uid, "-o", str(out / "report.pdf"), "--kind", "executive"],
        "records export": ["--db", str(db), "records", "export", uid, "findings", "-o", str(out / "f.xlsx")],
        "checklist export": ["--db", str(db), "checklist", "export", uid, "-o", str(out / "checklist.xlsx")],
        "backup": ["--db", str(db), "backup", "-o", str(out / "backup.db")],
    }


def test_a_full_disk_is_said_in_plain_words_and_changes_nothing(small_disk: Path, tmp_path: Path, cli) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    db, uid, package = engagement_on(small_disk, inputs)
    commands = writing_commands(db, uid, inputs, small_disk / "out", package)
    (small_disk / "out").mkdir()
    before = content_hash(db)
    for name, args in commands.items():
        filler = fill(small_disk)  # full to the last byte when each command starts (SQLite frees its -wal on close)
        run = cli(*args)
        one_plain_line(run, "the disk is full")
        assert "nothing was changed" in run.err, name
    assert sorted(p.name for p in (small_disk / "out").iterdir()) == []  # no empty backup, no temporary file
    filler.unlink()
    assert content_hash(db) == before
    for name, args in commands.items():  # with space again, everything works
        assert cli(*args).code == 0, name
    for path in (small_disk / "out").iterdir():
        assert whole_file_problem(path) is None


def test_a_read_only_workspace_is_read_and_never_written(small_disk: Path, tmp_path: Path, cli) -> None:
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    inputs.mkdir()
    db, uid, package = engagement_on(small_disk, inputs)
    make_read_only(small_disk)
    files_before = {p.name: p.read_bytes() for p in small_disk.iterdir()}
    for args in (["show", uid], ["score", uid, "--json"], ["log", uid, "--verify"], ["list"],
                 ["export", uid, "-o", str(out / "engagement.mlaudit"), "--unsigned"],
                 ["report", uid, "-o", str(out / "report.pdf"), "--kind", "executive"],
                 ["records", "export", uid, "findings", "-o", str(out / "f.csv")],
                 ["backup", "-o", str(out / "backup.db")]):
        run = cli("--db", str(db), *args)
        assert run.code == 0, (args, run.err)
    assert json.loads(cli("--db", str(db), "score", uid, "--json").out)["engagement"]["uid"] == uid
    for path in out.iterdir():
        assert whole_file_problem(path) is None
    for name, args in writing_commands(db, uid, inputs, out, package).items():
        if name in ("export", "export encrypted", "report", "records export", "checklist export", "backup"):
            continue
        one_plain_line(cli(*args), "read-only")
    assert {p.name: p.read_bytes() for p in small_disk.iterdir()} == files_before


def test_the_desktop_app_opens_a_read_only_workspace_with_a_banner(small_disk: Path, tmp_path: Path, qtbot,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QSettings

    from workbench.ui.app import open_workspace
    from workbench.ui.main_window import MainWindow

    monkeypatch.setenv("WORKBENCH_IDENTITIES", str(tmp_path / "identities"))
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    db, uid, _package = engagement_on(small_disk, inputs)
    make_read_only(small_disk)
    ws = open_workspace(db)
    assert ws is not None and ws.read_only
    try:
        window = MainWindow(None, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.attach_workspace(ws, uid)
        window.resize(1366, 768)
        window.show()
        banner = window.read_only_banner
        assert banner.isVisible() and "Read-only workspace" in banner.text() and "workspace.db" in banner.text()
        window.grab().save(str(tmp_path / "read-only-window.png"))
        with pytest.raises(Exception, match="read-only"):
            add_record(ws, uid, "finding", {"title": "refused", "severity": "Low"})
    finally:
        ws.close()
