"""The auditor's own settings that both the desktop app and the command line use.

Firm branding (name, logo, accent colour, classification line), the firm-wide text of every report (the
important notice and the methodology), the day rate that prices remediation effort, the currency, whether
finalising needs the preparer's per-section sign-offs, and whether this is a one-person practice (one
identity may then sign off as both preparer and reviewer, and every deliverable says "prepared and reviewed
by the same person"). They live in one small JSON file in the
user's config folder (or WORKBENCH_PREFERENCES), not in Qt's settings, so `workbench report` brands a
deliverable exactly as the Deliverables page does. Window geometry and other view state stay in QSettings.

The file is written atomically; an unreadable or foreign file is reported in plain words and never
overwritten behind the user's back.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from workbench.domain.costs import DEFAULT_CURRENCY, DEFAULT_DAY_RATE, CostBasis
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.fs.files import atomic_text
from workbench.reports.data import (
    DEFAULT_ACCENT,
    DEFAULT_CLASSIFICATION,
    DEFAULT_METHODOLOGY,
    DEFAULT_NOTICE,
    Branding,
)

MAX_DAY_RATE = 1_000_000.0
FIRM_TEXT_LIMIT = 20_000
_CURRENCY = re.compile(r"^[A-Z]{3}$")

__all__ = ["Preferences", "load_preferences", "preferences_path", "save_preferences", "update_preferences"]


@dataclass(frozen=True)
class Preferences:
    firm_name: str = ""  # "" = the firm of the signing identity
    logo_path: str = ""
    accent_hex: str = DEFAULT_ACCENT
    classification: str = DEFAULT_CLASSIFICATION
    day_rate: float = DEFAULT_DAY_RATE
    currency: str = DEFAULT_CURRENCY
    # a one-person practice may sign off as preparer and as reviewer; every deliverable then says so
    one_person_practice: bool = False
    important_notice: str = DEFAULT_NOTICE  # the firm's wording for the report's important notice
    methodology: str = DEFAULT_METHODOLOGY  # and for its methodology; {client} names the client
    # a firm may finalise without the preparer's per-section sign-offs (never without the preparer/reviewer
    # pair, per-dimension sign-offs or full checklist coverage: services.progress)
    require_section_signoffs: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.firm_name, str):
            raise ValidationError("firm name: must be text")
        if len(self.firm_name) > 200:
            raise ValidationError("firm name: at most 200 characters")
        for name in ("important_notice", "methodology"):
            value = getattr(self, name)
            if not isinstance(value, str) or len(value) > FIRM_TEXT_LIMIT:
                raise ValidationError(f"{name.replace('_', ' ')}: text of at most {FIRM_TEXT_LIMIT:,} characters")
        try:
            rate = float(self.day_rate)
        except (TypeError, ValueError):
            raise ValidationError(f"day rate: '{self.day_rate}' is not a number") from None
        if not 0 <= rate <= MAX_DAY_RATE:
            raise ValidationError(f"day rate: must be between 0 and {MAX_DAY_RATE:,.0f}")
        object.__setattr__(self, "day_rate", rate)
        currency = str(self.currency).strip().upper()
        if not _CURRENCY.match(currency):
            raise ValidationError(f"currency: '{self.currency}' is not a three-letter code like EUR")
        object.__setattr__(self, "currency", currency)
        if not isinstance(self.one_person_practice, bool):
            raise ValidationError("one-person practice: must be true or false")
        if not isinstance(self.require_section_signoffs, bool):
            raise ValidationError("require section sign-offs: must be true or false")
        Branding(accent_hex=self.accent_hex)  # the report's own rule for the colour (no signing identity read)

    def branding(self, identity_ref: str | None = None) -> Branding:
        """The report's view of these settings; a logo that went missing is left out, not an error.

        Without a firm name here the signing identity's firm brands the report (the tool's own name never
        does), and the identity's name is the PDF's author: `identity_ref` picks it, else the newest.
        """
        logo = Path(self.logo_path).expanduser() if self.logo_path else None
        name, firm = signing_identity_facts(identity_ref)
        return Branding(firm_name=self.firm_name.strip() or firm, logo_path=logo if logo and logo.is_file() else None,
                        accent_hex=self.accent_hex, classification=self.classification, author=name,
                        important_notice=self.important_notice, methodology=self.methodology)

    def cost_basis(self) -> CostBasis:
        """The one day rate and currency every cost figure uses (services/cost_rollup.py)."""
        return CostBasis(self.day_rate, self.currency)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def signing_identity_facts(identity_ref: str | None = None) -> tuple[str, str]:
    """(name, firm) of the signing identity `identity_ref` (default: the newest), ("", "") when there is none."""
    from workbench.signing.identity_records import get_identity  # no cryptography: a report asks this

    try:
        identity = get_identity(identity_ref)
    except WorkbenchError:
        return "", ""
    return identity.name.strip(), identity.firm.strip()


def preferences_path() -> Path:
    override = os.environ.get("WORKBENCH_PREFERENCES")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("workbench", appauthor=False)) / "preferences.json"


def load_preferences(path: Path | None = None) -> Preferences:
    """The saved preferences, or the defaults when none were saved yet."""
    path = path or preferences_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Preferences()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WorkbenchError(f"the preferences file {path} cannot be read ({exc}); fix or delete it") from None
    if not isinstance(raw, dict):
        raise WorkbenchError(f"the preferences file {path} is not a preferences file; fix or delete it")
    known = {f.name for f in fields(Preferences)}
    try:
        return Preferences(**{k: v for k, v in raw.items() if k in known})
    except ValidationError as exc:
        raise WorkbenchError(f"the preferences file {path} holds a bad value: {exc}") from None


def save_preferences(preferences: Preferences, path: Path | None = None) -> Path:
    path = path or preferences_path()
    with atomic_text(path) as handle:
        json.dump(preferences.to_json(), handle, indent=2, ensure_ascii=False)
    return path


def update_preferences(path: Path | None = None, **changes: Any) -> Preferences:
    """Validate the changed values together with the rest, then save; a bad value saves nothing."""
    unknown = set(changes) - {f.name for f in fields(Preferences)}
    if unknown:
        raise ValidationError(f"unknown preference: {', '.join(sorted(unknown))}")
    updated = replace(load_preferences(path), **changes)
    save_preferences(updated, path)
    return updated
