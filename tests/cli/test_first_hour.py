"""The first hour on a fresh machine: what the README says works, and every refusal is one plain line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import keyring
import pytest

from tests.helpers.signing import NoKeychain
from workbench.cli import main
from workbench.cli.display import NO_DISPLAY, X11_LIBRARIES, display_problem

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_audits" / "driftguard.mlaudit"
PASSPHRASE = "correct horse battery"




def workbench(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`workbench ARGS` as a new process with no terminal (as in a CI job or a desktop launcher)."""
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, timeout=120,
                          env=env, stdin=subprocess.DEVNULL, start_new_session=True, check=False)


def passphrase_file(folder: Path) -> Path:
    path = folder / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


def test_the_readme_report_line_writes_into_a_folder_it_makes(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "ws.db"
    assert main(["--db", str(db), "import", str(SAMPLE), "--untrusted"]) == 0  # signed by a sample identity
    assert main(["identity", "create", "--name", "Ana Auditor", "--email", "ana@example.com",
                 "--passphrase-file", str(passphrase_file(tmp_path))]) == 0
    assert main(["--db", str(db), "signoff", "DGA-2026-01", "--role", "reviewer",
                 "--passphrase-file", str(passphrase_file(tmp_path))]) == 0
    capsys.readouterr()
    out = tmp_path / "out"  # `-o out/` of the README: no such folder yet (the sample is not final: a draft signature)
    assert main(["--db", str(db), "report", "DGA-2026-01", "-o", f"{out}/", "--kind", "executive", "--sign",
                 "--draft-signature", "--passphrase-file", str(passphrase_file(tmp_path))]) == 0
    written = out / "DGA-2026-01 executive summary.pdf"
    assert written.is_file() and capsys.readouterr().out.splitlines()[0] == str(written)


def test_a_report_file_that_is_not_a_pdf_is_refused_before_any_passphrase(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["--db", str(tmp_path / "none.db"), "report", "X", "-o", str(tmp_path / "report.docx"), "--sign"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "should end in .pdf" in err and "passphrase" not in err
    assert not list(tmp_path.iterdir())


def test_without_a_display_the_app_says_so_in_words(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = workbench("--db", str(tmp_path / "ws.db"), env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == f"workbench: {NO_DISPLAY}"
    assert "xcb" not in result.stderr and not (tmp_path / "ws.db").exists()


def test_the_display_check_names_a_library_only_when_it_is_missing() -> None:
    env = {"DISPLAY": ":0"}
    assert display_problem(env, platform="linux", loads=lambda _lib: True, answers=lambda _d: True) == ""
    missing = display_problem(env, platform="linux", loads=lambda lib: lib != "libxcb-cursor.so.0",
                              answers=lambda _d: True)
    assert "libxcb-cursor0" in missing and "sudo apt-get install libxcb-cursor0" in missing
    assert missing.count("lib") == 2  # that one package, nothing else named
    refused = display_problem({"DISPLAY": ":7"}, platform="linux", loads=lambda _l: True, answers=lambda _d: False)
    assert "cannot open the display :7" in refused and "lib" not in refused
    assert display_problem({}, platform="linux") == NO_DISPLAY
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, platform="linux") == ""
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, platform="linux") == ""
    assert display_problem({}, platform="win32") == ""


def test_the_display_check_knows_every_x11_library_the_installer_lists() -> None:
    rows = [line.split() for line in (ROOT / "installer" / "linux" / "system-libraries.txt").read_text(
        encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    listed = {row[0]: row[1] for row in rows if not row[0].startswith("libwayland")}
    assert listed == X11_LIBRARIES


def test_the_readme_names_the_same_libraries_as_the_installer() -> None:
    rows = [line.split()[0] for line in (ROOT / "installer" / "linux" / "system-libraries.txt").read_text(
        encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(.*?)```", readme, re.DOTALL)
    assert block is not None and block.group(1).split() == rows


def test_ci_reads_the_library_cache_once_not_through_a_pipe() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("#"))
    assert "set -uo pipefail" in code
    assert not re.search(r"ldconfig[^\n]*\|\s*grep", code)  # SIGPIPE under pipefail: false "missing"


def test_identity_create_without_a_terminal_says_what_to_do(tmp_path: Path) -> None:
    env = dict(os.environ, WORKBENCH_IDENTITIES=str(tmp_path / "identities"))
    result = workbench("identity", "create", "--name", "Ana", "--email", "ana@example.com", env=env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--passphrase-file" in result.stderr
    assert "Warning" not in result.stderr and not (tmp_path / "identities").exists()


def test_the_keychain_notice_only_when_a_prompt_follows(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(NoKeychain())
    assert main(["identity", "create", "--name", "Ana Auditor", "--email", "ana@example.com",
                 "--passphrase-file", str(passphrase_file(tmp_path))]) == 0
    assert "keychain" not in capsys.readouterr().err


def test_a_folder_as_db_is_refused_in_words(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", str(tmp_path), "list"]) == 2
    err = capsys.readouterr().err
    assert err == f"workbench: {tmp_path} is a folder; --db needs the workspace file, such as " \
                  f"{tmp_path / 'workspace.db'}\n"


def test_help_lists_finalise_once_and_finalize_still_works(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert "finalise" in shown and "finalize" not in shown
    assert main(["--db", str(tmp_path / "ws.db"), "import", str(SAMPLE), "--untrusted"]) == 0
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "ws.db"), "finalize", "DGA-2026-01"]) == 2  # blocked, but understood
    err = capsys.readouterr().err
    assert "invalid choice" not in err and "review note" in err


def test_demo_opens_without_the_welcome_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    monkeypatch.setattr("workbench.ui.app.run_app", lambda *a, **k: calls.append(k) or 0)
    assert main(["--db", str(tmp_path / "demo.db"), "demo"]) == 0
    assert calls and calls[0]["welcome"] is False and calls[0]["open_engagement"]
