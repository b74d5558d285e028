"""Rules about signing identities that the GUI shows before any signing code loads.

workbench.signing (cryptography, pyHanko) applies them; the dialogs read them from here, so opening a
signing dialog does not load the signing stack on the GUI thread.
"""

from __future__ import annotations

__all__ = ["DEFAULT_VALIDITY_DAYS", "MAX_VALIDITY_DAYS", "MIN_PASSPHRASE_LENGTH", "format_fingerprint"]

DEFAULT_VALIDITY_DAYS = 730
MAX_VALIDITY_DAYS = 3650
MIN_PASSPHRASE_LENGTH = 8


def format_fingerprint(value: str) -> str:
    """'AB12 CD34 ...': the fingerprint in groups of four, as shown on the stamp and by `identity show`."""
    value = value.upper()
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))
