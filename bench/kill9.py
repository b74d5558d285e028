"""kill -9 while the workbench writes: for tests/faults/test_kill9.py and bench/bench_faults.py.

Two experiments, each in fresh processes that are killed with SIGKILL at a random moment:

- `acknowledged_edits`: a writer records findings one by one and prints each one's number after its
  transaction committed (the acknowledgement). After every kill, every acknowledged finding must be in the
  workspace and the audit trail must verify.
- `kill_commands`: every writing command of the command line (new, assess, answer, records import,
  checklist import, import, export, report, records export, backup) started and killed part-way. After every
  kill the workspace opens and verifies, a records import is all or nothing, and every file under a final
  name in the output folder is whole (a package that passes import checks, a PDF with its end marker, a
  backup that passes SQLite's integrity check, a workbook that opens).
"""

from __future__ import annotations

import csv
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
IMPORT_ROWS = 200
PASSPHRASE = "correct horse battery"  # the signing identity's and the encrypted package's
WRITER = """
import sys
from pathlib import Path
from typing import Any
from workbench.services.records import add_record
from workbench.store.workspace import Workspace
db, engagement, first = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
with Workspace(db) as ws:
    for number in range(first, first + 10_000):
        add_record(ws, engagement, "finding", {"title": f"acknowledged {number}", "severity": "Low"})
        print(number, flush=True)
"""


def _env() -> dict[str, str]:
    # its throwaway workspaces are plain: a new one would otherwise ask for a passphrase on the terminal
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_PLAIN_WORKSPACE": "1"}


@dataclass
class EditsResult:
    kills: int = 0
    acknowledged: int = 0
    lost: list[int] = field(default_factory=list)
    trail_problems: list[str] = field(default_factory=list)


def _read_acks(process: subprocess.Popen[str], wanted: int, deadline: float) -> list[int]:
    acks: list[int] = []
    assert process.stdout is not None
    while len(acks) < wanted and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        acks.append(int(line))
    return acks


def acknowledged_edits(db: Path, engagement: str, kills: int, seed: int = 1) -> EditsResult:
    """Kill a writer `kills` times, each after a random number (0-40) of acknowledged edits plus a random
    fraction of the next one; then count the acknowledged edits missing from the workspace."""
    from workbench.services.records import list_records
    from workbench.services.trail import verify_engagement
    from workbench.store.workspace import Workspace

    rng, result, acked, first = random.Random(seed), EditsResult(), [], 0
    for _ in range(kills):
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(db), engagement, str(first)], cwd=ROOT,
                                   env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        got = _read_acks(process, rng.randint(0, 40), time.monotonic() + 120)
        time.sleep(rng.random() * 0.05)  # somewhere inside the next transaction, or between two
        process.send_signal(signal.SIGKILL)
        process.wait()
        got += [int(line) for line in (process.stdout.read() if process.stdout else "").split()]
        acked += got
        first += 10_000
        result.kills += 1
    with Workspace(db, read_only=True) as ws:
        titles = {r["title"] for r in list_records(ws, engagement, "finding")}
        report = verify_engagement(ws, engagement)
    result.acknowledged = len(acked)
    result.lost = [n for n in acked if f"acknowledged {n}" not in titles]
    if not report.ok:
        result.trail_problems.append(report.problem)
    return result


# -- every writing command -------------------------------------------------------------------------


def whole_file_problem(path: Path) -> str | None:
    """Why a file under a final name is not whole, or None."""
    from workbench.services.package_checks import check_package, open_package
    from workbench.services.package_envelope import OpeningKeys
    from workbench.services.table_readers import read_table

    try:
        if path.suffix == ".mlaudit":  # an encrypted one is opened with the passphrase writing_commands gives
            with open_package(path, OpeningKeys(passphrase=lambda _prompt: PASSPHRASE)) as archive:
                check_package(archive)
        elif path.suffix == ".pdf":
            data = path.read_bytes()
            if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
                return f"{path.name} is a partial PDF"
        elif path.suffix == ".db":
            conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)  # reads it without side files
            try:
                if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    return f"{path.name} fails its integrity check"
            finally:
                conn.close()
        elif path.suffix == ".xlsx":
            read_table(path)
    except (Exception, zipfile.BadZipFile) as exc:  # noqa: BLE001 - any refusal means the file is not whole
        return f"{path.name}: {exc}"
    return None


@dataclass
class CommandsResult:
    kills: dict[str, int] = field(default_factory=dict)
    completed: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def run_cli(args: list[str], db: Path) -> subprocess.Popen[str]:
    """`workbench --db DB ARGS` in a process of its own; identities live beside the workspace."""
    env = {**_env(), "WORKBENCH_IDENTITIES": str(db.parent / "identities"),
           "WORKBENCH_LOG_DIR": str(db.parent / "logs")}
    return subprocess.Popen([sys.executable, "-m", "workbench", "--db", str(db), *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def identities_problems(folder: Path) -> list[str]:
    """Every identity folder is whole (a killed `identity create` leaves at most a hidden staging folder)."""
    whole = {"cert.pem", "chain.pem", "identity.json", "key.pem"}
    found = [p for p in folder.iterdir() if not p.name.startswith(".")] if folder.exists() else []
    return [f"identity folder {p.name} holds {sorted(q.name for q in p.iterdir())}" for p in found
            if {q.name for q in p.iterdir()} != whole]


def check_workspace(db: Path, imported_into: str) -> list[str]:
    """The workspace opens for writing (a killed writer's lock and WAL are recovered), every engagement's trail
    verifies, and `imported_into` (the engagement that `records import` fills) holds whole 200-row imports."""
    from workbench.services.engagements import list_engagements
    from workbench.services.trail import verify_engagement
    from workbench.store.workspace import Workspace

    problems = []
    with Workspace(db) as ws:
        for summary in list_engagements(ws):
            report = verify_engagement(ws, summary.uid)
            if not report.ok:
                problems.append(f"{summary.ref}: {report.problem}")
            if summary.uid == imported_into and summary.finding_count % IMPORT_ROWS:
                problems.append(f"{summary.ref} holds {summary.finding_count} findings: part of an import")
    return problems


SECTIONS = ("findings", "models", "risks", "costs", "roadmap", "matrices", "evidence", "health")


def run_args(args: list[str], run: int) -> list[str]:
    """The arguments of a command's `run`-th start: "{section}" becomes a section not signed off in an earlier
    run, so that every killed sign-off has something to write."""
    return [SECTIONS[run % len(SECTIONS)] if arg == "{section}" else arg for arg in args]


def kill_commands(folder: Path, imported_into: str, commands: list[tuple[str, list[str]]], kills_each: int,
                  seed: int = 2, timeout: float = 300) -> CommandsResult:
    """Run each command once to time it, then `kills_each` times killed at a random moment of that time. The
    workspace is folder/workspace.db, outputs go to folder/out."""
    rng, result = random.Random(seed), CommandsResult()
    db, out = folder / "workspace.db", folder / "out"
    for name, args in commands:
        start = time.monotonic()
        first = run_cli(run_args(args, 0), db)
        _out, err = first.communicate(timeout=timeout)
        if first.returncode != 0:
            result.problems.append(f"{name} failed unkilled: {err.strip()[-300:]}")
            continue
        duration = time.monotonic() - start
        result.completed[name] = result.completed.get(name, 0) + 1
        for run in range(1, kills_each + 1):
            process = run_cli(run_args(args, run), db)
            time.sleep(rng.random() * duration)
            process.send_signal(signal.SIGKILL)
            process.wait()
            result.kills[name] = result.kills.get(name, 0) + 1
            result.problems += [f"after killing {name}: {p}" for p in check_workspace(db, imported_into)]
            result.problems += [f"after killing {name}: {p}" for p in identities_problems(folder / "identities")]
            for path in sorted(out.iterdir()) if out.exists() else []:
                if not path.name.startswith(".") and (problem := whole_file_problem(path)):
                    result.problems.append(f"after killing {name}: {problem}")
    return result


# -- the commands and their inputs ----------------------------------------------------------------


def answered_checklist(ws: Any, engagement: str, folder: Path) -> Path:
    """The engagement's checklist exported, every item answered with the second of its choices ('partial' on a
    yes / partial / no scale, 'scripted' on a graded one)."""
    from workbench.services.checklist_io import export_checklist

    path = export_checklist(ws, engagement, folder / "checklist.csv")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    answer, choices = rows[0].index("answer"), rows[0].index("choices")
    for row in rows[1:]:
        row[answer] = row[choices].split(" / ")[1]
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def writing_commands(folder: Path) -> tuple[str, list[tuple[str, list[str]]]]:
    """A workspace at folder/workspace.db with one engagement, and every writing command to run on it (outputs
    to folder/out); returns the engagement's uid and the commands."""
    from bench.churn import findings_csv
    from workbench.services.engagements import create_engagement
    from workbench.services.packages import export_package
    from workbench.store.workspace import Workspace

    inputs, out = folder / "in", folder / "out"
    inputs.mkdir()
    with Workspace(folder / "workspace.db") as ws:
        uid = create_engagement(ws, client="Kill", title="Every command")
        package = export_package(ws, uid, inputs / "copy.mlaudit", signer=None)
        checklist = answered_checklist(ws, uid, inputs)
        ws.backup_to(inputs / "backup.db")
    framework = inputs / "framework.json"
    framework.write_bytes((ROOT / "resources" / "frameworks" / "aiml-infrastructure.json").read_bytes())
    (inputs / "passphrase").write_text(PASSPHRASE + "\n", encoding="utf-8")
    return uid, [
        ("note add", ["note", "add", uid, "--on", "engagement", "Explain the drift alerts"]),
        ("identity create", ["identity", "create", "--name", "Kim Killed", "--email", "kim@example.com",
                             "--passphrase-file", str(inputs / "passphrase")]),
        ("signoff", ["signoff", uid, "--role", "preparer", "--section", "{section}", "--passphrase-file",
                     str(inputs / "passphrase")]),
        ("frameworks import", ["frameworks", "import", str(framework), "--id", "killed-import"]),
        ("restore", ["restore", str(inputs / "backup.db")]),
        ("new", ["new", "--client", "Other", "--title", "Killed while created"]),
        ("assess", ["assess", uid, "MON", "--level", "2", "--justification", "kill -9"]),
        ("answer", ["answer", uid, "MON-01", "partial", "--note", "kill -9"]),
        ("assign", ["assign", uid, "section:findings", "Kim Killed"]),
        ("records import", ["records", "import", uid, "findings", str(findings_csv(inputs))]),
        ("checklist import", ["checklist", "import", uid, str(checklist)]),
        ("import", ["import", str(package), "--as-copy", "--untrusted"]),
        ("export", ["export", uid, "-o", str(out / "engagement.mlaudit"), "--unsigned"]),
        ("export encrypted", ["export", uid, "-o", str(out / "encrypted.mlaudit"), "--unsigned",
                              "--encrypt-with-passphrase", "--package-passphrase-file", str(inputs / "passphrase")]),
        ("report", ["report", uid, "-o", str(out / "report.pdf"), "--kind", "executive"]),
        ("records export", ["records", "export", uid, "findings", "-o", str(out / "findings.xlsx")]),
        ("backup", ["backup", "-o", str(out / "backup.db")]),
    ]
