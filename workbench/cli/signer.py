"""The identity options of commands that sign: sign-off, finalise, reopen, export, report --sign.

    --identity ID          identity id, id prefix or e-mail (default: the newest identity)
    --passphrase-file F    the key's passphrase on the first line of F (else the keychain, else a prompt)

The key is unlocked before the workspace is opened for writing, so a prompt never holds the write lock.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.signing.attest import Signer

__all__ = ["add_identity_options", "notify", "unlock_signer"]


def notify(message: str) -> None:
    """Signing notices (the one-time "no keychain" message) on stderr."""
    print(f"workbench: {message}", file=sys.stderr)


def add_identity_options(parser: Any, what: str) -> None:
    parser.add_argument("--identity", help=f"the identity that {what}: id, id prefix or e-mail (default: the "
                                           "newest)")
    parser.add_argument("--passphrase-file", type=Path, help="read the key's passphrase from this file's first line")


def unlock_signer(args: argparse.Namespace) -> Signer:
    from workbench.services.attestation import unlock_signer as unlock
    from workbench.services.signatures import cli_passphrase_provider

    quiet = args.passphrase_file is not None  # the no-keychain notice matters only when a prompt follows
    return unlock(args.identity, cli_passphrase_provider(args.passphrase_file), notify=None if quiet else notify)


def package_opening_keys(args: argparse.Namespace) -> Any:
    """How `import` and `merge` ask for what opens an encrypted package: the identity key's passphrase (a
    package for this identity) and the package's own passphrase (one for e-mail)."""
    from workbench.services.package_envelope import OpeningKeys
    from workbench.services.signatures import cli_passphrase_provider

    return OpeningKeys(passphrase=cli_passphrase_provider(args.package_passphrase_file,
                                                          option="--package-passphrase-file"),
                       identity_passphrase=cli_passphrase_provider(args.passphrase_file),
                       notify=None if args.passphrase_file else notify)
