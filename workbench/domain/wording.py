"""Counts in words, shared by the verdict, the charts and the reports ("1 finding", "12 findings")."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
