"""The PDF signing and verification engine (pyHanko, about a second to import).

services.signatures imports it when a report is signed or verified, so listing identities, unlocking one
or opening the review page does not load pyHanko; the GUI imports it ahead, in a background thread, when
a dialog that will sign or verify opens (ui/passphrase.SIGNING_MODULES).
"""

from __future__ import annotations

from workbench.signing.sign import Box, Signed, sign_pdf
from workbench.signing.verify import VerificationResult, verify_pdf

__all__ = ["Box", "Signed", "VerificationResult", "sign_pdf", "verify_pdf"]
