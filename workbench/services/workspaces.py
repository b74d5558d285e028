"""Where the workspace lives and the one call that opens it (lock, migrations), for the GUI."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.store.connect import default_workspace_path, plain_by_choice
from workbench.store.location import default_location

if TYPE_CHECKING:
    from workbench.signing.keychain import PassphraseProvider
    from workbench.store.workspace import Workspace

log = logging.getLogger(__name__)

__all__ = ["default_location", "default_workspace_path", "is_encrypted_workspace", "open_workspace", "plain_by_choice",
           "unlock_if_locked"]


def is_encrypted_workspace(path: Path) -> bool:
    """Whether the workspace file at `path` is encrypted (read from its first bytes; no cryptography loaded)."""
    from workbench.store.keys import is_encrypted

    return is_encrypted(Path(path))


def open_workspace(path: Path | str) -> Workspace:
    """The workspace at `path`, opened for writing, or for reading only (`read_only` set) when it cannot be
    written here (a read-only file, folder or disk); WorkspaceError says in plain words why it cannot be opened.

    The database layer is imported here, not before: the desktop app calls this in a worker while its
    first frame (read in plain SQL, services.library) is already on screen."""
    from workbench.store.location import is_server_url

    if is_server_url(path):  # a team server's database (store.location): no file, no lock, no upgrade here
        from workbench.store.server_workspace import ServerWorkspace

        return ServerWorkspace(str(path)).open()
    path = Path(path)
    from workbench.store.workspace import ReadOnlyWorkspace, Workspace

    try:
        return Workspace(path).open()
    except ReadOnlyWorkspace:
        log.info("workspace %s cannot be written here; opened read-only", path)
        return Workspace(path, read_only=True).open()


def unlock_if_locked(path: Path | str, provider: PassphraseProvider | None) -> None:
    """An encrypted workspace whose key is neither in the keychain nor unlocked in this session: ask the
    provider for its passphrase (services.encryption.unlock). Nothing to do for a plain one, nor for a team
    server's (its login is the URL's, or libpq's ~/.pgpass)."""
    from workbench.store.keys import is_locked
    from workbench.store.location import is_server_url

    if is_server_url(path):
        return

    if is_locked(Path(path)):
        from workbench.services.encryption import unlock

        unlock(Path(path), provider)
