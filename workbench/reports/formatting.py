"""How the report writes dates, numbers, money and the data model's codes in words.

These return plain text (not markup): callers pass them through text.markup like any other value.
"""

from __future__ import annotations

import datetime as dt
import math

from workbench.domain.costs import money_text
from workbench.domain.scoring import on_scale
from workbench.domain.wording import hours_text
from workbench.domain.wording import plural as plural  # re-exported: reports say F.plural(...)

ANSWER_LABELS = {"yes": "Yes", "partial": "Partial", "no": "No", "na": "N/A", "unanswered": "Not answered"}
STATUS_LABELS = {"open": "Open", "in_remediation": "In remediation", "resolved": "Resolved",
                 "risk_accepted": "Risk accepted", "mitigating": "Mitigating", "accepted": "Accepted",
                 "closed": "Closed", "planning": "Planning", "fieldwork": "Fieldwork", "review": "Review",
                 "final": "Final", "production": "Production", "staging": "Staging", "development": "Development",
                 "retired": "Retired"}
FINDING_STATUS_ORDER = ("open", "in_remediation", "risk_accepted", "resolved")
ROLE_LABELS = {"preparer": "Preparer", "reviewer": "Reviewer", "engagement_lead": "Engagement lead"}
DEPLOYMENT_LABELS = {"batch": "Batch", "rest": "REST", "streaming": "Streaming", "edge": "Edge",
                     "embedded": "Embedded"}


def parse_iso(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        try:
            day = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
        return dt.datetime(day.year, day.month, day.day)


def date_text(value: str | None, empty: str = "—") -> str:
    """"24 Feb 2026" for an ISO date or date-time."""
    moment = parse_iso(value)
    return f"{moment.day} {moment:%b %Y}" if moment else empty


def datetime_text(value: str | None, empty: str = "—") -> str:
    """"24 Feb 2026, 10:05 UTC" for an ISO date-time (times are stored in UTC)."""
    moment = parse_iso(value)
    if moment is None:
        return empty
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def period_text(start: str | None, end: str | None) -> str:
    if start and end:
        return f"{date_text(start)} – {date_text(end)}"
    return date_text(start or end)


def number(value: float | None, digits: int = 1, empty: str = "—") -> str:
    if value is None or not math.isfinite(value):
        return empty
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def score_on(value: float | None, out_of: float = 100.0, empty: str = "—") -> str:
    """A score kept out of 100, shown on the framework's own scale (out of 5: 68 → '3.4')."""
    if value is None:
        return empty
    return number(on_scale(value, out_of), 1 if out_of >= 10 else 2, empty)


def money(value: float | None, currency: str = "EUR", empty: str = "—") -> str:
    """"€1,500" / "CHF 1,500"; whole units (estimates, not accounts): domain.costs.money_text."""
    return money_text(value, currency, empty)


def hours(value: float | None, empty: str = "—") -> str:
    """Effort as everywhere else (domain.wording.hours_text): 0.75 h stays 0.75 h."""
    return hours_text(value, empty)


def days_text(hours_value: float, hours_per_day: float = 8.0) -> str:
    days = hours_value / hours_per_day
    return f"{number(days, 2)} day{'' if abs(days - 1) < 1e-9 else 's'}"


def level_text(level: int | None, name: str = "") -> str:
    if level is None:
        return "Not assessed"
    return f"{level} – {name}" if name else str(level)


def code_label(value: str, labels: dict[str, str] | None = None) -> str:
    text = str(value or "")
    if labels and text in labels:
        return labels[text]
    return text.replace("_", " ").capitalize()


def file_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:,.0f} {unit}" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{size} bytes"
