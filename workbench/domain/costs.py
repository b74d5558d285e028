"""The arithmetic of remediation money: one day rate, one currency, one rounding rule.

A finding's cost is its effort hours ÷ 8 × the auditor's day rate, rounded half up to a whole unit of
the currency (0.75 h at 1,200 a day = 112.5 → 113). Every total is the sum of those rounded finding
costs, never a product of summed hours, so a summary always equals the sum of the register's rows.
Hours are summed as entered (no rounding). Pure Python: services/cost_rollup.py applies it to an
engagement, and every view of money (GUI pages, both reports, CSV/XLSX and OSCAL exports) calls that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from workbench.domain.errors import ValidationError

HOURS_PER_DAY = 8.0
DEFAULT_DAY_RATE = 1200.0
DEFAULT_CURRENCY = "EUR"
ROUNDING_RULE = ("each finding's cost (hours ÷ 8 × day rate) is rounded half up to a whole unit of the "
                 "currency; totals add the rounded finding costs")


CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


def money_text(value: float | None, currency: str = DEFAULT_CURRENCY, empty: str = "—") -> str:
    """"€1,500" / "CHF 1,500": whole units, as every view of money prints it (GUI and reports)."""
    if value is None or not math.isfinite(value):
        return empty
    code = (currency or "").strip().upper()
    sign = CURRENCY_SIGNS.get(code)
    amount = f"{value:,.0f}"
    return f"{sign}{amount}" if sign else f"{code} {amount}".strip()


def check_day_rate(day_rate: Any) -> float:
    try:
        rate = float(day_rate)
    except (TypeError, ValueError):
        raise ValidationError(f"day rate: '{day_rate}' is not a number") from None
    if not math.isfinite(rate) or rate < 0:
        raise ValidationError("day rate: must be zero or a positive number")
    return rate


def check_currency(currency: Any) -> str:
    code = str(currency or "").strip().upper()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise ValidationError(f"currency: '{currency}' is not a three-letter code like EUR")
    return code


@dataclass(frozen=True)
class CostBasis:
    """The one day rate and currency that price an engagement's remediation (the auditor's setting)."""

    day_rate: float = DEFAULT_DAY_RATE
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        object.__setattr__(self, "day_rate", check_day_rate(self.day_rate))
        object.__setattr__(self, "currency", check_currency(self.currency))

    def cost(self, hours: float | None) -> int | None:
        """The cost of `hours` of effort by the rounding rule; None when there is no estimate."""
        if hours is None:
            return None
        exact = Decimal(repr(float(hours))) / Decimal(repr(HOURS_PER_DAY)) * Decimal(repr(self.day_rate))
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
