"""Counts in words, shared by the verdict, the charts and the reports ("1 finding", "12 findings")."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def percent(share: float) -> str:
    """A weight as people write it, exactly: 0.15 → '15 %', 0.125 → '12.5 %', 1/3 → '33.33 %'."""
    value = round(share * 100, 2)
    return f"{value:g} %" if abs(value) < 1e6 else f"{value:.0f} %"


def verb(count: int, one: str, many: str) -> str:
    """The verb agreeing with a count: '1 finding lacks', '2 findings lack'."""
    return one if count == 1 else many
