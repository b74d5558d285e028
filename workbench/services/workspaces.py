"""Where the workspace lives and the one call that opens it (lock, migrations), for the GUI."""

from __future__ import annotations

from pathlib import Path

from workbench.store.workspace import Workspace, default_workspace_path

__all__ = ["default_workspace_path", "open_workspace"]


def open_workspace(path: Path) -> Workspace:
    """The workspace at `path`, opened for writing: WorkspaceError says in plain words why it cannot be."""
    return Workspace(path).open()
