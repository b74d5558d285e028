"""A new workspace passphrase on the command line: `encrypt`, and a writing command creating a workspace."""

from __future__ import annotations

import sys
from pathlib import Path

from workbench.domain.errors import ValidationError

__all__ = ["new_passphrase"]


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
