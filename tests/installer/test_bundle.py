"""Smoke test of the Linux bundle, as an auditor's fresh laptop would run it.

Run after building:   bash installer/linux/build.sh && .venv/bin/pytest -m bundle tests/installer
(.ci/run does both after the main suite; the normal run deselects the `bundle` marker.)

The tarball is unpacked into a temporary folder and the program runs with a clean environment: `env -i`
with only HOME/XDG folders in tmp, QT_QPA_PLATFORM=offscreen, and a PATH holding no Python, so nothing of the
build machine's Python or source tree can stand in for what the bundle lacks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.bundle, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundle")]

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tarball from installer/linux/build.sh, unpacked; returns the folder holding install.sh."""
    tarballs = sorted((ROOT / "dist").glob("mlops-audit-workbench-*-linux-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not tarballs:
        pytest.fail("no bundle: build it first with `bash installer/linux/build.sh`")
    target = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(tarballs[-1]) as archive:
        archive.extractall(target, filter="tar")
    (folder,) = target.iterdir()
    return folder


class Machine:
    """A clean user profile in tmp and a way to run the bundled program in it."""

    def __init__(self, program: Path, home: Path) -> None:
        self.program, self.home = program, home
        self.secret = home / "passphrase.txt"  # the workspace's (created encrypted by the first import) and the
        self.secret.write_text(PASSPHRASE + "\n", encoding="utf-8")  # identity's; no keychain here: always given
        empty_bin = home / "bin"
        empty_bin.mkdir(parents=True)
        self.env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
                    "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CACHE_HOME": str(home / ".cache"),
                    "XDG_STATE_HOME": str(home / ".local" / "state"), "XDG_RUNTIME_DIR": str(home / "run"),
                    "PATH": str(empty_bin), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
        (home / "run").mkdir(mode=0o700)

    def run(self, *args: str, check: bool = True, timeout: int = 300, **extra_env: str) -> subprocess.CompletedProcess:
        unlocked = [] if args[:1] == ("--version",) else ["--db-passphrase-file", str(self.secret)]
        done = subprocess.run([str(self.program), *unlocked, *args], env={**self.env, **extra_env}, cwd=self.home,
                              capture_output=True, text=True, timeout=timeout)
        if check:
            assert done.returncode == 0, f"workbench {' '.join(args)} exited {done.returncode}: {done.stderr}"
        return done


@pytest.fixture(scope="module")
def machine(unpacked: Path, tmp_path_factory: pytest.TempPathFactory) -> Machine:
    return Machine(unpacked / "workbench" / "workbench", tmp_path_factory.mktemp("home"))


def test_the_clean_environment_has_no_python(machine: Machine) -> None:
    for name in ("python", "python3", Path(sys.executable).name):
        assert shutil.which(name, path=machine.env["PATH"]) is None
    assert machine.run("--version").stdout.strip().startswith("workbench ")


def test_import_render_sign_and_verify_with_the_bundled_cli(machine: Machine, unpacked: Path) -> None:
    samples = sorted((unpacked / "workbench" / "_internal" / "sample_audits").glob("*.mlaudit"))
    assert {p.stem for p in samples} >= {"driftguard", "credit-scoring", "early-stage"}
    machine.run("import", str(next(p for p in samples if p.stem == "driftguard")), "--untrusted")
    (engagement,) = json.loads(machine.run("list", "--json").stdout)
    ref = engagement["ref"]
    assert_encrypted(machine, engagement["client"])
    secret = machine.secret
    created = json.loads(machine.run("identity", "create", "--name", "Ada Auditor", "--email", "ada@example.com",
                                     "--firm", "Acme Audit", "--passphrase-file", str(secret), "--json").stdout)
    assert created["name"] == "Ada Auditor"

    machine.run("signoff", ref, "--role", "reviewer", "--passphrase-file", str(secret))
    report = machine.home / "report.pdf"
    done = machine.run("report", ref, "-o", str(report), "--sign", "--draft-signature", "--passphrase-file",
                       str(secret), "--json")
    assert json.loads(done.stdout)["signature"]["signer"] == "Ada Auditor"
    assert report.read_bytes().startswith(b"%PDF")

    verified = json.loads(machine.run("verify", str(report), "--json").stdout)
    assert verified["ok"] and verified["intact"] and verified["trusted"] and not verified["modified_after_signing"]
    assert verified["signer"]["name"] == "Ada Auditor" and verified["engagement_uid"] == engagement["uid"]

    tampered = machine.home / "tampered.pdf"
    data = report.read_bytes()
    cut = data.index(b"Digitally signed") if b"Digitally signed" in data else len(data) // 3
    tampered.write_bytes(data[:cut] + bytes([data[cut] ^ 1]) + data[cut + 1:])
    assert machine.run("verify", str(tampered), check=False).returncode == 1


def workspace_of(machine: Machine) -> Path:
    return machine.home / ".local" / "share" / "workbench" / "workspace.db"


def assert_encrypted(machine: Machine, client: str) -> None:
    """The workspace the bundle created is encrypted (SQLCipher inside the bundle): no SQLite header, no client."""
    data = workspace_of(machine).read_bytes()
    assert not data.startswith(b"SQLite format 3") and client.encode() not in data
    assert (workspace_of(machine).parent / "workspace.db.key").is_file()


def test_bundled_oscal_export_and_catalog_import(machine: Machine, unpacked: Path) -> None:
    """compliance-trestle and PyYAML are loaded lazily: the bundle must still carry them and their data."""
    samples = (unpacked / "workbench" / "_internal" / "sample_audits")
    machine.run("import", str(samples / "early-stage.mlaudit"), "--untrusted", check=False)  # may already be there
    ref = next(e["ref"] for e in json.loads(machine.run("list", "--json").stdout))
    results = machine.home / "assessment-results.json"
    machine.run("export", ref, "--oscal", "-o", str(results))
    document = json.loads(results.read_text(encoding="utf-8"))
    assert document["assessment-results"]["results"]
    catalog = ROOT / "tests" / "catalogs" / "data" / "ciso_ml_library.yaml"
    machine.run("frameworks", "import", str(catalog))
    assert len(json.loads(machine.run("frameworks", "list", "--json").stdout)) >= 3


def test_the_gui_opens_offscreen_with_the_welcome_page_only_on_the_first_start(machine: Machine, unpacked: Path
                                                                                ) -> None:
    """On the encrypted workspace, unlocked with --db-passphrase-file (the app asks in a dialog without it)."""
    samples = (unpacked / "workbench" / "_internal" / "sample_audits")
    machine.run("import", str(samples / "early-stage.mlaudit"), "--untrusted", check=False)  # may already be there
    assert_encrypted(machine, "Brightpath")
    first = machine.run(timeout=180, WORKBENCH_SMOKE_EXIT="1500").stdout
    assert "smoke: platform offscreen, visible windows: mainWindow, welcomeDialog" in first
    second = machine.run(timeout=180, WORKBENCH_SMOKE_EXIT="1500").stdout
    assert "smoke: platform offscreen, visible windows: mainWindow" in second and "welcomeDialog" not in second
    log = (machine.home / ".local" / "state" / "workbench" / "log" / "workbench.log").read_text(encoding="utf-8")
    assert "Traceback" not in log


def _listed_system_libraries() -> set[str]:
    lines = (ROOT / "installer" / "linux" / "system-libraries.txt").read_text(encoding="utf-8").splitlines()
    return {name for line in lines if line and not line.startswith("#") for name in line.split()[1:]}


def test_every_library_the_bundle_lacks_is_a_documented_system_library(unpacked: Path) -> None:
    internal = unpacked / "workbench" / "_internal"
    missing: dict[str, str] = {}
    for library in [p for p in internal.rglob("*.so*") if p.is_file() and not p.is_symlink()]:
        out = subprocess.run(["ldd", str(library)], capture_output=True, text=True, env={"LANG": "C",
                             "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}).stdout
        for line in out.splitlines():
            if "=> not found" in line:
                missing.setdefault(line.split()[0], str(library.relative_to(internal)))
    undocumented = {name: needed_by for name, needed_by in missing.items() if name not in _listed_system_libraries()}
    assert not undocumented, f"add these to installer/linux/system-libraries.txt: {undocumented}"


def test_per_user_install_and_uninstall_keep_the_users_data(unpacked: Path, tmp_path: Path) -> None:
    prefix, data = tmp_path / "prefix", tmp_path / "prefix" / "share" / "workbench"
    data.mkdir(parents=True)
    (data / "workspace.db").write_bytes(b"the auditor's work")
    env = {**os.environ, "PREFIX": str(prefix)}
    subprocess.run([str(unpacked / "install.sh")], env=env, check=True, capture_output=True)
    desktop = (prefix / "share" / "applications" / "mlops-audit-workbench.desktop").read_text(encoding="utf-8")
    assert f"Exec={prefix}/bin/workbench\n" in desktop and "Icon=mlops-audit-workbench" in desktop
    assert (prefix / "share" / "icons" / "hicolor" / "256x256" / "apps" / "mlops-audit-workbench.png").is_file()
    version = subprocess.run([str(prefix / "bin" / "workbench"), "--version"], capture_output=True, text=True,
                             env={"HOME": str(tmp_path), "PATH": "/nonexistent"}, check=True)
    assert version.stdout.startswith("workbench ")

    subprocess.run([str(unpacked / "uninstall.sh")], env=env, check=True, capture_output=True)
    assert not (prefix / "bin" / "workbench").exists() and not (prefix / "lib" / "mlops-audit-workbench").exists()
    assert (data / "workspace.db").read_bytes() == b"the auditor's work"
