"""The audit trail's vocabulary shared by the store, the signing layer and the services.

Most events record the state a record was left in (entity = the record kind). Two kinds of event record
no record: *attestations* (an identity's signature over the trail so far, signing/attest.py) and
*notices* (a warning the trail must keep, such as a package imported without a trusted signature). They
are chained and hashed like every event, but no record is compared against them.
"""

from __future__ import annotations

import json
from typing import Any

ATTESTATION = "attestation"  # entity of an attestation event (action "attest")
NOTICE = "notice"  # entity of a warning kept in the trail (action names the warning)
NON_RECORD_ENTITIES = frozenset({ATTESTATION, NOTICE})
UNTRUSTED_IMPORT = "import_untrusted"  # action of the notice an import without a trusted signature writes

# what an import appends to a trail after the package's own events: the engagement as it landed here
# (new uid or ref), the local client, the notice; nothing else may follow a final engagement's attestation
IMPORT_EVENTS = frozenset({("import", "engagement"), ("copy", "engagement"), ("use", "client"),
                           ("replace", "client"), (UNTRUSTED_IMPORT, NOTICE)})


def canonical_json(value: Any) -> str:
    """The one JSON spelling hashes and signatures are computed over: sorted keys, no spaces, UTF-8 text."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
