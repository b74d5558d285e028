"""The start page, `workbench list`, `score` and an unsigned `report` read in plain SQL (store.light,
services.library, services.report_data): the same answers as the services give inside a session, without
loading SQLAlchemy."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from workbench.domain.errors import NotFoundError, ValidationError
from workbench.reports.data import ReportData
from workbench.services.deliverables import gather_report_data
from workbench.services.engagements import list_engagements, score
from workbench.services.library import engagement_score, engagement_summaries
from workbench.services.packages import import_package
from workbench.store.light import reader
from workbench.store.workspace import Workspace

SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("light") / "samples.db"
    with Workspace(path) as ws:
        uids = {package.stem: import_package(ws, package, untrusted=True)  # samples: signed by no one trusted
                for package in sorted(SAMPLES.glob("*.mlaudit"))}
        import_package(ws, SAMPLES / "driftguard.mlaudit", as_copy=True, untrusted=True)  # two of one client
    return path, uids


def test_summaries_and_scores_match_the_session_reads(samples: tuple[Path, dict[str, str]]) -> None:
    path, uids = samples
    with Workspace(path) as ws, reader(path) as conn:
        assert engagement_summaries(conn) == list_engagements(ws)
        assert engagement_summaries(conn, include_archived=False) == list_engagements(ws, include_archived=False)
        for uid in uids.values():
            engagement, card = engagement_score(conn, uid)
            orm_engagement, orm_card = score(ws, uid)
            assert card == orm_card and engagement["ref"] == orm_engagement.ref


def test_an_engagement_is_named_as_on_the_command_line(samples: tuple[Path, dict[str, str]]) -> None:
    path, uids = samples
    with reader(path) as conn:
        uid = uids["credit-scoring"]
        for key in (uid, uid[:8], uid[:8].upper(), "HRB-2026-03", "hrb-2026-03", f"  {uid}  "):
            assert engagement_score(conn, key)[0]["uid"] == uid, key
        with pytest.raises(NotFoundError, match="no engagement 'nothing-like-it'"):
            engagement_score(conn, "nothing-like-it")
        with pytest.raises(ValidationError, match="name an engagement"):
            engagement_score(conn, "  ")
        with pytest.raises(ValidationError, match="matches 4 engagements"):
            engagement_score(conn, "%")  # a LIKE wildcard, read as the services always read it


def test_list_score_and_show_from_the_command_line_load_no_sqlalchemy(samples: tuple[Path, dict[str, str]]) -> None:
    path, uids = samples
    code = ("import sys, io, contextlib; from workbench.cli import main\n"
            "out = io.StringIO()\n"
            "with contextlib.redirect_stdout(out):\n"
            f"    codes = [main(['--db', {str(path)!r}, 'list', '--json']),\n"
            f"             main(['--db', {str(path)!r}, 'score', {uids['driftguard']!r}, '--json']),\n"
            f"             main(['--db', {str(path)!r}, 'show', {uids['driftguard']!r}, '--json'])]\n"
            "print(codes, 'sqlalchemy' in sys.modules, 'sqlmodel' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[0, 0, 0] False False"
    listed = subprocess.run([sys.executable, "-m", "workbench", "--db", str(path), "list", "--json"],
                            capture_output=True, text=True, timeout=120)
    with Workspace(path) as ws:
        assert json.loads(listed.stdout) == [s.as_dict() for s in list_engagements(ws)]


def _report_data(source: Workspace | Path, key: str) -> ReportData:
    return replace(gather_report_data(source, key), generated_at="")  # the one field that moves with the clock


def test_report_data_read_in_plain_sql_is_what_the_session_reads(samples: tuple[Path, dict[str, str]]) -> None:
    path, uids = samples
    with Workspace(path) as ws:
        for name, uid in uids.items():
            plain = _report_data(path, uid)
            assert plain == _report_data(ws, uid), name
            assert plain.trail.ok and plain.trail.events > 0, name
        with pytest.raises(NotFoundError):
            gather_report_data(path, "nothing-like-it")


def test_a_record_changed_behind_the_apps_back_fails_the_trail_on_both_reads(tmp_path: Path,
                                                                              samples: tuple[Path, dict[str, str]]
                                                                              ) -> None:
    path, uids = samples
    forged = tmp_path / "forged.db"
    shutil.copyfile(path, forged)
    conn = sqlite3.connect(forged)
    with conn:
        conn.execute("UPDATE finding SET title = 'Nothing to see here' WHERE id = (SELECT min(id) FROM finding "
                     "WHERE engagement_id = (SELECT id FROM engagement WHERE uid = ?))", (uids["driftguard"],))
    conn.close()
    plain = _report_data(forged, uids["driftguard"])
    assert not plain.trail.ok and "differs from event" in plain.trail.problem
    with Workspace(forged) as ws:
        assert plain == _report_data(ws, uids["driftguard"])


def test_an_unsigned_report_from_the_command_line_loads_no_sqlalchemy(tmp_path: Path,
                                                                      samples: tuple[Path, dict[str, str]]) -> None:
    path, uids = samples
    out = tmp_path / "report.pdf"
    code = ("import sys, io, contextlib; from workbench.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    code = main(['--db', {str(path)!r}, 'report', {uids['driftguard']!r}, '-o', {str(out)!r}])\n"
            "print(code, 'sqlalchemy' in sys.modules, 'sqlmodel' in sys.modules, 'keyring' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 False False False"
    assert out.read_bytes().startswith(b"%PDF")


def test_a_report_of_an_engagement_without_attestations_loads_no_cryptography(tmp_path: Path) -> None:
    from workbench.services.engagements import create_engagement

    path, out = tmp_path / "fresh.db", tmp_path / "report.pdf"
    with Workspace(path) as ws:
        uid = create_engagement(ws, client="Fresh Bank", title="First look")
    code = ("import sys, io, contextlib; from workbench.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    code = main(['--db', {str(path)!r}, 'report', {uid!r}, '-o', {str(out)!r}])\n"
            "print(code, 'cryptography' in sys.modules, 'importlib.metadata' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    # no attestation to check, no key to read: the trust store and the identities' certificates stay unread
    assert done.stdout.strip().splitlines()[-1] == "0 False False"
    assert out.read_bytes().startswith(b"%PDF")
