"""Digital signatures of deliverables: identities (keys and certificates), the OS keychain, PAdES signing
and verification with pyHanko.

Headless and Qt-free; nothing here touches the workspace database. `workbench.services.signatures`
ties these pieces together for the CLI and the GUI.
"""

from __future__ import annotations

import logging

# pyHanko logs tracebacks for failures we expect and report in plain words (a wrong passphrase, a
# tampered file); keep them out of the user's log.
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
