"""Faults injected where a real disk cannot be had (no tmpfs, not root): the disk fills while an output
file is written, the target is in use by another program, its folder is missing or a file is in its way,
the workspace is locked by another process. One plain line each, exit 2, nothing under the final name."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.conftest import one_plain_line
from tests.helpers import content_hash
from workbench.fs import files
from workbench.services.engagements import create_engagement
from workbench.store.workspace import Workspace

OUTPUTS = {
    "export": ["export", "{uid}", "-o", "{out}/engagement.mlaudit", "--unsigned"],
    "report": ["report", "{uid}", "-o", "{out}/report.pdf", "--kind", "executive"],
    "records export": ["records", "export", "{uid}", "findings", "-o", "{out}/findings.xlsx"],
    "checklist export": ["checklist", "export", "{uid}", "-o", "{out}/checklist.csv"],
    "backup": ["backup", "-o", "{out}/backup.db"],
}


@pytest.fixture
def engagement(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "workspace.db"
    with Workspace(db) as ws:
        return db, create_engagement(ws, client="Acme", title="Injected")


def args_for(name: str, uid: str, out: Path) -> list[str]:
    return [part.format(uid=uid, out=out) for part in OUTPUTS[name]]


@pytest.mark.parametrize("name", sorted(OUTPUTS))
@pytest.mark.parametrize(("fault", "words"), [
    (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
    (OSError(errno.EBUSY, "Device or resource busy"), "is in use by another program"),
    (OSError(errno.EROFS, "Read-only file system"), "read-only disk"),
])
def test_an_output_that_cannot_be_finished_leaves_nothing(engagement: tuple[Path, str], tmp_path: Path, cli,
                                                          monkeypatch: pytest.MonkeyPatch, name: str,
                                                          fault: OSError, words: str) -> None:
    db, uid = engagement
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("an unrelated file")

    def fail(_path: Path) -> None:
        raise fault

    monkeypatch.setattr(files, "_sync", fail)  # the last step before the rename: everything was written
    before = content_hash(db)
    one_plain_line(cli("--db", str(db), *args_for(name, uid, out)), words)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert content_hash(db) == before


def test_a_missing_folder_or_a_file_in_the_way(engagement: tuple[Path, str], tmp_path: Path, cli) -> None:
    db, uid = engagement
    one_plain_line(cli("--db", str(tmp_path / "gone" / "workspace.db"), "show", uid), "no workspace")
    (tmp_path / "a-file").write_text("in the way")
    one_plain_line(cli("--db", str(db), "export", uid, "-o", str(tmp_path / "a-file" / "x.mlaudit"), "--unsigned"),
                   "a file is in the way")
    one_plain_line(cli("--db", str(tmp_path / "a-file" / "workspace.db"), "new", "--client", "A", "--title", "B"),
                   "a file is in the way")


def test_a_workspace_in_use_by_another_process(engagement: tuple[Path, str], cli) -> None:
    db, uid = engagement
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom workbench.store.workspace import "
                               "Workspace\nws = Workspace(sys.argv[1]).open()\nprint('open', flush=True)\n"
                               "time.sleep(60)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        one_plain_line(cli("--db", str(db), "assess", uid, "MON", "--level", "2"), "is in use by")
        assert cli("--db", str(db), "show", uid).code == 0  # readers read alongside the writer
    finally:
        holder.kill()
        holder.wait()
