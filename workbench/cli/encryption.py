"""`workbench encrypt` and `workbench decrypt`: the workspace encrypted at rest, or plain again.

    workbench [--db F] encrypt [--passphrase-file FILE]   asks for a new passphrase twice (or reads FILE)
    workbench [--db F] decrypt [--passphrase-file FILE]   the workspace's passphrase, unless already unlocked

An encrypted workspace is opened by every other command with the key kept in the keychain, else with its
passphrase: asked on the terminal, or read from the file given as the global --db-passphrase-file.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.passphrases import new_passphrase
from workbench.cli.workspace import workspace_path


def register(sub: Any) -> None:
    p = sub.add_parser("encrypt", help="encrypt the workspace (and its backups) with a key under a passphrase")
    p.add_argument("--passphrase-file", type=Path, help="read the new passphrase from this file's first line")
    p.set_defaults(handler=cmd_encrypt, unlocks_itself=True)
    p = sub.add_parser("decrypt", help="turn an encrypted workspace back into a plain one")
    p.add_argument("--passphrase-file", type=Path, help="read the workspace's passphrase from this file's first line")
    p.set_defaults(handler=cmd_decrypt, unlocks_itself=True)


def cmd_encrypt(args: argparse.Namespace) -> int:
    from workbench.services.encryption import encrypt_workspace

    path = workspace_path(args)
    backups = encrypt_workspace(path, new_passphrase(args.passphrase_file))
    also = f" and {len(backups)} backup(s)" if backups else ""
    print(f"{path.name}{also} encrypted; keep the passphrase and {path.name}.key (beside it) safe: "
          "without both the workspace cannot be opened")
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    from workbench.services.encryption import decrypt_workspace
    from workbench.services.signatures import cli_passphrase_provider

    path = workspace_path(args)
    decrypt_workspace(path, cli_passphrase_provider(args.passphrase_file))
    print(f"{path.name} is a plain workspace again (its backups stay encrypted)")
    return 0
