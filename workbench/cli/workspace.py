"""The one way every command reaches the workspace: `--db`, WORKBENCH_DB or the user data folder.

`--db` and WORKBENCH_DB name a workspace file or a team server's database (postgresql://…, store.location):
every command works on both, except those that need a file (encryption, backups), which refuse a server's
in words.

The database layer is imported only when a command needs it: `workbench` alone shows its window first.
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from workbench.store.light import Rows
    from workbench.store.workspace import Workspace

__all__ = ["light_location", "open_laptop_workspace", "open_workspace", "optional_workspace", "read_light",
           "workspace_location", "workspace_path"]
T = TypeVar("T")


def workspace_location(args: argparse.Namespace) -> Path | str:
    """The workspace: a file (see workspace_path) or a team server's URL."""
    from workbench.store.location import default_location, location_of

    location = location_of(args.db) if getattr(args, "db", None) else default_location()
    return location if isinstance(location, str) else workspace_path(args)


def workspace_path(args: argparse.Namespace) -> Path:
    """The workspace file; a folder given as --db is refused in words (SQLite's own complaint was shown as
    "an unexpected error occurred"), and so is a team server's URL (this command needs a file)."""
    from workbench.domain.errors import WorkspaceError
    from workbench.store.location import default_location, location_of, shown

    location = location_of(args.db) if getattr(args, "db", None) else default_location()
    if isinstance(location, str):
        raise WorkspaceError(f"{shown(location)} is a team server's database; this command works on a workspace "
                             "file only (give --db FILE)")
    path = location
    if path.is_dir():
        raise WorkspaceError(f"{path} is a folder; --db needs the workspace file, such as {path / 'workspace.db'}")
    _unlock(args, path)
    return path


def _unlock(args: argparse.Namespace, path: Path) -> None:
    """An encrypted workspace whose key is neither in the keychain nor unlocked yet: ask for its passphrase
    (--db-passphrase-file, else the terminal) before anything opens it."""
    from workbench.store.keys import is_locked

    if getattr(args, "unlocks_itself", False) or not is_locked(path):
        return  # plain, or its key already in the keychain: no prompting machinery is loaded (0.5 s of imports)
    from workbench.services.encryption import unlock
    from workbench.services.signatures import cli_passphrase_provider

    unlock(path, cli_passphrase_provider(getattr(args, "db_passphrase_file", None), option="--db-passphrase-file"))


def read_light(args: argparse.Namespace, read: Callable[[Rows], T], *, missing: T | None = None) -> T:
    """`read` on a plain read-only connection (store.light.reader): no SQLAlchemy, so `list` and `score`
    answer in a fraction of the time. A workspace of an older schema is upgraded first, as every reader
    does; a missing one gives `missing`, or is refused as open_workspace refuses it."""
    from workbench.store.light import reader

    location = workspace_location(args)
    if missing is not None and isinstance(location, Path) and not location.exists():
        return missing
    with reader(light_location(args)) as conn:
        return read(conn)


def light_location(args: argparse.Namespace) -> Path | str:
    """The workspace, ready to be read in plain SQL: a workspace file of an older schema is upgraded first, as
    every reader does; a missing one is refused as open_workspace refuses it. A team server's is read as it is
    (its schema is checked when read: the server's administrator upgrades it)."""
    from workbench.store.migrate import check_compatible, head_revision

    location = workspace_location(args)
    if isinstance(location, str):
        return location
    path = location
    if not path.exists() or check_compatible(path) != head_revision():
        with open_workspace(args, write=False):
            pass
    return path


@contextmanager
def open_laptop_workspace(args: argparse.Namespace, path: str | None, *, create: bool) -> Iterator[Workspace]:
    """A laptop's workspace FILE beside the team server of --db (`server checkout --to`, `checkin --from`; default
    the usual workspace file), opened for writing as --db would be (a new one is created as `_create_if_new` says)."""
    from workbench.domain.errors import WorkspaceError
    from workbench.store.connect import default_workspace_path
    from workbench.store.location import is_server_url

    if path is not None and is_server_url(path.strip()):
        raise WorkspaceError(f"{path} is a team server: fieldwork goes to a workspace file on this laptop")
    target = Path(path).expanduser() if path is not None else default_workspace_path()
    if not create and not target.exists():
        raise WorkspaceError(f"there is no workspace at {target}: nothing was checked out to it")
    laptop_args = copy.copy(args)
    laptop_args.db = str(target)
    with open_workspace(laptop_args, write=True) as ws:
        yield ws


def _create_if_new(args: argparse.Namespace, path: Path) -> None:
    """A writing command on a workspace that does not exist yet creates it ENCRYPTED, with a new passphrase
    from --db-passphrase-file or typed twice on the terminal. --plain-workspace (or WORKBENCH_PLAIN_WORKSPACE=1)
    creates it plain; with neither a passphrase nor that choice it is created plain, and stderr says so."""
    if path.exists() and path.stat().st_size > 0:
        return
    from workbench.services.encryption import create_encrypted_workspace, plain_by_choice

    if getattr(args, "plain_workspace", False) or plain_by_choice():
        return
    from workbench.cli.passphrases import new_passphrase
    from workbench.services.signatures import can_prompt

    passphrase_file = getattr(args, "db_passphrase_file", None)
    if passphrase_file is None and not can_prompt():
        print(f"workbench: note: the new workspace {path.name} is NOT encrypted (no terminal to ask for a passphrase): "
              "give --db-passphrase-file FILE to encrypt it, or --plain-workspace if you mean it; `workbench encrypt` "
              "encrypts it later", file=sys.stderr)
        return
    create_encrypted_workspace(path, new_passphrase(passphrase_file, option="--db-passphrase-file"))
    print(f"workbench: created the encrypted workspace {path}; keep the passphrase and {path.name}.key (beside it) "
          "safe: without both it cannot be opened", file=sys.stderr)


@contextmanager
def open_workspace(args: argparse.Namespace, *, write: bool) -> Iterator[Workspace]:
    """Writers take the lock; readers of an up-to-date workspace read alongside a running app."""
    from workbench.store.migrate import current_revision, head_revision
    from workbench.store.workspace import Workspace

    location = workspace_location(args)
    if isinstance(location, str):
        from workbench.store.server_workspace import ServerWorkspace

        server = ServerWorkspace(location, read_only=not write).open()
        try:
            yield server
        finally:
            server.close()
        return
    path = location
    if write:
        _create_if_new(args, path)
    if not write and not path.exists():
        from workbench.domain.errors import WorkspaceError

        raise WorkspaceError(f"there is no workspace at {path} yet; create an engagement or import a package first")
    read_only = not write and current_revision(path) == head_revision()
    ws = Workspace(path, read_only=read_only).open()
    try:
        yield ws
    finally:
        ws.close()


@contextmanager
def optional_workspace(args: argparse.Namespace) -> Iterator[Workspace | None]:
    """For listings that work before any workspace exists (the built-in frameworks need none)."""
    location = workspace_location(args)
    if isinstance(location, Path) and not location.exists():
        yield None
        return
    with open_workspace(args, write=False) as ws:
        yield ws
