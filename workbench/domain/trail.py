"""The audit trail's vocabulary shared by the store, the signing layer and the services.

Most events record the state a record was left in (entity = the record kind). Two kinds of event record
no record: *attestations* (an identity's signature over the trail so far, signing/attest.py) and
*notices* (a warning the trail must keep, such as a package imported without a trusted signature). They
are chained and hashed like every event, but no record is compared against them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

ATTESTATION = "attestation"  # entity of an attestation event (action "attest")
NOTICE = "notice"  # entity of a warning kept in the trail (action names the warning)
ASSIGNMENT = "assignment"  # entity of who prepares a part of the engagement (action "assign"; services/fieldwork.py)
NON_RECORD_ENTITIES = frozenset({ATTESTATION, NOTICE, ASSIGNMENT})
UNTRUSTED_IMPORT = "import_untrusted"  # action of the notice an import without a trusted signature writes
FIELDWORK_IMPORT = "fieldwork"  # action of the notice importing a hand-out writes (the branch it starts)
MERGE = "merge"  # action of the events a fieldwork merge writes (reconciled records, its notice, its attestation)

# what an import appends to a trail after the package's own events: the engagement as it landed here
# (new uid or ref), the local client, the notice; nothing else may follow a final engagement's attestation
IMPORT_EVENTS = frozenset({("import", "engagement"), ("copy", "engagement"), ("use", "client"),
                           ("replace", "client"), (UNTRUSTED_IMPORT, NOTICE), (FIELDWORK_IMPORT, NOTICE)})


def canonical_json(value: Any) -> str:
    """The one JSON spelling hashes and signatures are computed over: sorted keys, no spaces, UTF-8 text."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


ORIGIN = "origin"  # a merged event's place on the branch it was recorded on: {"branch", "seq", "prev_hash", "hash"}


def original_hash(event: Mapping[str, Any]) -> str:
    """The hash an event had where it was recorded: its origin's for a merged event, else its own. Two
    trails holding an event with the same original hash hold the same event (services/merge_plan.py)."""
    origin = event.get(ORIGIN)
    return str(origin["hash"]) if isinstance(origin, Mapping) else str(event["hash"])


def original_seq(event: Mapping[str, Any]) -> int:
    origin = event.get(ORIGIN)
    return int(origin["seq"]) if isinstance(origin, Mapping) else int(event["seq"])
