"""Counts, shares and hours in words, shared by the verdict, the charts, the pages and the reports
("1 finding", "12 findings", "25 %", "0.75 h")."""

from __future__ import annotations

import math


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def percent(share: float) -> str:
    """A weight as people write it, exactly: 0.15 → '15 %', 0.125 → '12.5 %', 1/3 → '33.33 %'."""
    value = round(share * 100, 2)
    return f"{value:g} %" if abs(value) < 1e6 else f"{value:.0f} %"


def verb(count: int, one: str, many: str) -> str:
    """The verb agreeing with a count: '1 finding lacks', '2 findings lack'."""
    return one if count == 1 else many


def share_percent(ratio: float) -> str:
    """'25 %'; rounded down, so a share that is not complete never reads '100 %'."""
    return f"{math.floor(ratio * 100 + 1e-9):.0f} %"


def hours_text(value: float | None, empty: str = "—") -> str:
    """Effort in hours with up to two decimals: 0.75 h, 12 h, 1,234.5 h (never 0.8 h for 0.75)."""
    if value is None or not math.isfinite(value):
        return empty
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} h"


def bulleted_lines(text: str | None) -> str:
    """Text holding one item a line (a tool's pros, its cons), each item after a bullet and blank lines
    dropped: an item that wraps in a narrow cell is then not read as the start of the next one."""
    return "\n".join(f"• {line.strip()}" for line in str(text or "").splitlines() if line.strip())
