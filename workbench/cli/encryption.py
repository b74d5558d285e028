"""`workbench encrypt` and `workbench decrypt`: the workspace encrypted at rest, or plain again.

    workbench [--db F] encrypt [--passphrase-file FILE]   asks for a new passphrase twice (or reads FILE)
    workbench [--db F] decrypt [--passphrase-file FILE]   the workspace's passphrase, unless already unlocked

An encrypted workspace is opened by every other command with the key kept in the keychain, else with its
passphrase: asked on the terminal, or read from the file given as the global --db-passphrase-file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from workbench.cli.workspace import workspace_path
from workbench.domain.errors import ValidationError


def register(sub: Any) -> None:
    p = sub.add_parser("encrypt", help="encrypt the workspace (and its backups) with a key under a passphrase")
    p.add_argument("--passphrase-file", type=Path, help="read the new passphrase from this file's first line")
    p.set_defaults(handler=cmd_encrypt, unlocks_itself=True)
    p = sub.add_parser("decrypt", help="turn an encrypted workspace back into a plain one")
    p.add_argument("--passphrase-file", type=Path, help="read the workspace's passphrase from this file's first line")
    p.set_defaults(handler=cmd_decrypt, unlocks_itself=True)


def new_passphrase(passphrase_file: Path | None, *, option: str = "--passphrase-file") -> str:
    """A new workspace passphrase: the first line of `passphrase_file`, else typed twice on the terminal (how
    strong it is said on stderr); refused in one line when too short or the two differ."""
    from workbench.domain.passphrase_strength import strength
    from workbench.domain.signing_rules import MIN_PASSPHRASE_LENGTH
    from workbench.services.signatures import cli_passphrase_provider

    provider = cli_passphrase_provider(passphrase_file, option=option)
    first = provider(f"New passphrase for the workspace (at least {MIN_PASSPHRASE_LENGTH} characters): ") or ""
    verdict = strength(first)
    if not verdict.acceptable:
        raise ValidationError(f"{verdict.hint.rstrip('.')}; nothing was changed")
    if passphrase_file is None:
        print(verdict.hint, file=sys.stderr)
        if provider("Repeat the new passphrase: ") != first:
            raise ValidationError("the two passphrases differ; nothing was changed")
    return first


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
