"""The one way every command reaches the workspace: `--db`, WORKBENCH_DB or the user data folder.

The database layer is imported only when a command needs it: `workbench` alone shows its window first.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace

__all__ = ["open_workspace", "optional_workspace", "workspace_path"]


def workspace_path(args: argparse.Namespace) -> Path:
    from workbench.store.workspace import default_workspace_path

    return Path(args.db).expanduser() if getattr(args, "db", None) else default_workspace_path()


@contextmanager
def open_workspace(args: argparse.Namespace, *, write: bool) -> Iterator[Workspace]:
    """Writers take the lock; readers of an up-to-date workspace read alongside a running app."""
    from workbench.store.migrate import current_revision, head_revision
    from workbench.store.workspace import Workspace

    path = workspace_path(args)
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
    if not workspace_path(args).exists():
        yield None
        return
    with open_workspace(args, write=False) as ws:
        yield ws
