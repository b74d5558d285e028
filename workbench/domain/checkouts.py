"""An engagement checked out of a team server to a laptop: the words and the marks (services/checkout.py).

On the server, a checked-out engagement refuses every change (services.unit.change) with `checked_out_reason`,
until the laptop checks it in or a reviewer or partner releases it. The trail records each step as a notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["CHECKIN", "CHECKOUT", "FIELDWORK", "OUT", "RELEASE", "Checkout", "checked_out_reason", "moment"]

OUT = "out"  # the server's mark: its copy is checked out to a laptop
FIELDWORK = "fieldwork"  # the laptop's mark: this copy is checked out of a server
CHECKOUT, CHECKIN, RELEASE = "checkout", "checkin", "release"  # actions of the trail's notices


@dataclass(frozen=True)
class Checkout:
    """A mark, as read from either side (store.tables.EngagementCheckout without the workspace's ids)."""

    engagement_ref: str
    engagement_uid: str
    kind: str
    holder: str
    identity_id: str
    place: str  # the server: the laptop's workspace; the laptop: the server's location
    since: str
    branch: str

    @property
    def reason(self) -> str:
        return checked_out_reason(self.engagement_ref, self.holder, self.since)

    def as_dict(self) -> dict[str, Any]:
        return {"engagement": self.engagement_ref, "engagement_uid": self.engagement_uid, "kind": self.kind,
                "holder": self.holder, "identity_id": self.identity_id, "place": self.place, "since": self.since,
                "branch": self.branch}


def moment(at: str) -> str:
    """"4 Dec 10:12 UTC" for a stamp of domain.clock.utc_now."""
    try:
        when = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at
    return f"{when.day} {when:%b %H:%M} UTC"


def checked_out_reason(ref: str, holder: str, since: str) -> str:
    """Why a checked-out engagement cannot be changed on the server, in the words every command and page shows."""
    return f"{ref} is checked out to {holder}'s laptop since {moment(since)}; check it in first"
