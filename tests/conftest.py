"""Shared fixtures: offscreen Qt, an isolated data/log folder, no network, a fresh workspace."""

from __future__ import annotations

import gc
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.helpers.signing import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# WORKBENCH_TEST_BACKEND=postgresql: the workspace of each test (the `ws` fixture, WORKBENCH_DB for the command
# line) is a fresh database on a throwaway PostgreSQL cluster (tests/helpers/pg_cluster.py) instead of a file.
# Tests that are about a workspace FILE (encryption, locks, backups, the file's bytes) carry @pytest.mark.sqlite_only
# and are skipped there, with that reason.
SERVER_BACKEND = os.environ.get("WORKBENCH_TEST_BACKEND", "sqlite") == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not SERVER_BACKEND:
        return
    skip = pytest.mark.skip(reason="about a workspace file (SQLite): not run on the PostgreSQL backend")
    for item in items:
        if item.get_closest_marker("sqlite_only") is not None:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Before any fixture of a GUI test is torn down (its widgets, its workspace), the work it started in the
    app's worker pool is asked to stop and waited for, as the app does at quit: a render still reading a
    closed workspace, or signalling a deleted widget, could crash the whole run later."""
    workers = sys.modules.get("workbench.ui.workers")
    if workers is not None:
        workers.settle(timeout=60)
    yield


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """The session's throwaway PostgreSQL cluster, with the migrated template database (server backend only)."""
    from tests.helpers.pg_cluster import Cluster, available

    if not available():
        pytest.exit("WORKBENCH_TEST_BACKEND=postgresql needs PostgreSQL's initdb and pg_ctl "
                    "(apt-get install postgresql)", returncode=2)
    cluster = Cluster().start()
    try:
        cluster.make_template()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def server_database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """On the server backend, this test's fresh database's URL (dropped afterwards); else None."""
    if not SERVER_BACKEND:
        yield None
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = cluster.fresh_database()
    try:
        yield cluster.url(name)
    finally:
        cluster.drop(name)


@pytest.fixture
def server_url(pg_cluster: object) -> Iterator[str]:
    """A fresh database holding an empty, migrated workspace on the session's throwaway cluster, whatever the
    backend (tests of what only a team server does); dropped afterwards."""
    name = pg_cluster.fresh_database()  # type: ignore[attr-defined]
    try:
        yield pg_cluster.url(name)  # type: ignore[attr-defined]
    finally:
        pg_cluster.drop(name)  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                         server_database: str | None) -> None:
    """Keep tests out of the real user folders, and forbid network connections."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(home / "logs"))
    monkeypatch.setenv("WORKBENCH_DB", server_database or str(home / "data" / "workspace.db"))
    monkeypatch.setenv("WORKBENCH_ACTOR", "tester")
    # new workspaces are encrypted by default in the CLI and the GUI; the suite's are plain, on purpose and
    # cheap (no passphrase, no scrypt): a test of the encrypted default removes this (monkeypatch.delenv)
    monkeypatch.setenv("WORKBENCH_PLAIN_WORKSPACE", "1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the workbench must never open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    import keyring

    from tests.helpers.signing import MemoryKeyring

    monkeypatch.setattr(keyring.core, "_keyring_backend", MemoryKeyring())  # never the user's real keychain
    keychain = sys.modules.get("workbench.signing.keychain")
    if keychain is not None:  # passphrases a previous test's session remembered are not this test's
        keychain.reset()  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def collector_back() -> Iterator[None]:
    """An engagement opened in the app keeps its objects out of the garbage collector (ui/heap.py): handed back
    after each test, so that what the test left behind is collected and later tests' collections can free it."""
    yield
    gc.unfreeze()
    gc.enable()


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace.db"


@pytest.fixture
def ws(ws_path: Path, server_database: str | None) -> Iterator[object]:
    from workbench.store.workspace import Workspace

    if server_database is not None:
        from workbench.store.server_workspace import ServerWorkspace

        workspace: Workspace = ServerWorkspace(server_database).open()
    else:
        workspace = Workspace(ws_path).open()
    yield workspace
    workspace.close()


@pytest.fixture
def db(ws: object) -> str:
    """The `--db` value naming the `ws` workspace: its file, or its team server's URL."""
    return str(ws.url if ws.is_server else ws.path)  # type: ignore[attr-defined]


@pytest.fixture
def engagement(ws: object) -> str:
    from workbench.services.engagements import create_engagement

    return create_engagement(ws, client="Acme Analytics", title="Platform audit")  # type: ignore[arg-type]


# -- signing identities for sign-offs, finalisation and packages ----------------------------------------

SIGNER_PASSPHRASE = "correct horse battery"


@pytest.fixture(scope="session")
def identity_pool(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Identities made once per session (key generation and key wrapping are slow): a preparer, a reviewer
    and a stranger, in a folder of their own. Tests take them through `preparer`/`reviewer`/`stranger`
    (unlocked signers) or `installed_identities` (copied into the test's own identities folder)."""
    from workbench.signing import identities

    base = tmp_path_factory.mktemp("identities")
    return {role: identities.create_identity(name, f"{role}@example.com", "Audit & Co", SIGNER_PASSPHRASE, base=base)
            for role, name in (("preparer", "Ana Preparer"), ("reviewer", "Rui Reviewer"),
                               ("stranger", "Sam Stranger"))}


@pytest.fixture(scope="session")
def signer_pool(identity_pool: dict[str, object]) -> dict[str, object]:
    from workbench.signing import identities
    from workbench.signing.attest import Signer

    return {role: Signer.of(identity, identities.load_private_key(identity, SIGNER_PASSPHRASE))  # type: ignore[arg-type]
            for role, identity in identity_pool.items()}


@pytest.fixture
def installed_identities(identity_pool: dict[str, object], tmp_path: Path) -> dict[str, tuple[str, str]]:
    """The preparer's and reviewer's identities in this test's identities folder (so the command line finds
    and trusts them): {role: (identity id, passphrase file)}."""
    import shutil

    from workbench.signing import identities

    target = identities.identities_dir()
    target.mkdir(parents=True, exist_ok=True)
    secret = tmp_path / "passphrase.txt"
    secret.write_text(SIGNER_PASSPHRASE + "\n", encoding="utf-8")
    installed = {}
    for role in ("preparer", "reviewer"):
        identity = identity_pool[role]
        shutil.copytree(identity.folder, target / identity.id)  # type: ignore[attr-defined]
        installed[role] = (identity.id, str(secret))  # type: ignore[attr-defined]
    return installed


@pytest.fixture
def remembered_identities(installed_identities: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """installed_identities with their passphrases in the (in-memory) keychain: no prompt will ask."""
    from workbench.signing import keychain

    for identity_id, _secret in installed_identities.values():
        keychain.store_passphrase(identity_id, SIGNER_PASSPHRASE)
    return installed_identities


def trust_signers(*signers: object) -> None:
    """Trust the CAs of these signers on this test's computer (the trust store beside its identities folder)."""
    from workbench.signing import identities, trust

    folder = trust.trust_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for signer in signers:
        for cert in signer.chain:  # type: ignore[attr-defined]
            (folder / f"{identities.fingerprint(cert)}.pem").write_bytes(identities.pem_bytes([cert]))


@pytest.fixture
def preparer(signer_pool: dict[str, object]) -> object:
    trust_signers(signer_pool["preparer"])
    return signer_pool["preparer"]


@pytest.fixture
def reviewer(signer_pool: dict[str, object]) -> object:
    trust_signers(signer_pool["reviewer"])
    return signer_pool["reviewer"]


@pytest.fixture
def stranger(signer_pool: dict[str, object]) -> object:
    """An identity whose CA this computer does not trust."""
    return signer_pool["stranger"]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keychain for the test, as a handle on its secrets (every test already runs with one)."""
    from tests.helpers.signing import memory_keychain

    with memory_keychain() as backend:
        yield backend


@pytest.fixture
def identities_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Signing identities in a folder of the test's own."""
    folder = tmp_path / "data" / "identities"
    monkeypatch.setenv("WORKBENCH_IDENTITIES", str(folder))
    return folder
