"""How hard a new passphrase would be to guess, in plain words (shown while the auditor types one).

A rough estimate, meant to steer people away from short or patterned passphrases, not to certify one: the
length times the bits of the kinds of characters used, less what repeats, runs ("abcd", "1234") and the
most common words give away. Below MIN_PASSPHRASE_LENGTH characters a passphrase is refused outright.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workbench.domain.signing_rules import MIN_PASSPHRASE_LENGTH

__all__ = ["Strength", "strength"]

COMMON = ("password", "passwort", "qwerty", "azerty", "letmein", "welcome", "admin", "secret", "dragon",
          "monkey", "iloveyou", "sunshine", "football", "baseball", "master", "login", "changeme", "workbench")
STRONG_BITS, FAIR_BITS = 70.0, 50.0


@dataclass(frozen=True)
class Strength:
    acceptable: bool  # long enough to be used at all
    level: str  # "too short", "weak", "fair", "strong"
    hint: str  # one sentence for the auditor


def _pool(text: str) -> int:
    pool = 0
    pool += 26 if any(c.islower() for c in text) else 0
    pool += 26 if any(c.isupper() for c in text) else 0
    pool += 10 if any(c.isdigit() for c in text) else 0
    pool += 33 if any(not c.isalnum() and c.isascii() for c in text) else 0
    pool += 100 if any(not c.isascii() for c in text) else 0
    return max(pool, 1)


def _patterned(text: str) -> int:
    """How many characters repeat the one before or continue a run (a, b, c / 3, 2, 1)."""
    lowered = text.lower()
    return sum(1 for before, c in zip(lowered, lowered[1:], strict=False)
               if c == before or abs(ord(c) - ord(before)) == 1)


def _bits(text: str) -> float:
    lowered = text.lower()
    effective = len(text) - _patterned(text) / 2
    for word in COMMON:
        if word in lowered:
            effective -= len(word) - 1  # a common word counts as about one character
    return max(effective, 0.0) * math.log2(_pool(text))


def strength(passphrase: str) -> Strength:
    """The strength of a new passphrase; `acceptable` is False only when it is too short to be used."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return Strength(False, "too short", f"Too short: use at least {MIN_PASSPHRASE_LENGTH} characters; "
                                            "four or five unrelated words are easy to remember and hard to guess.")
    bits = _bits(passphrase)
    if bits >= STRONG_BITS:
        return Strength(True, "strong", "Strong: someone who takes the laptop could not guess it.")
    if bits >= FAIR_BITS:
        return Strength(True, "fair", "Fair: a few more words or characters would make it much harder to guess.")
    return Strength(True, "weak", "Weak: a computer could guess it quickly. Add words, or mix in digits and "
                                  "symbols; avoid common words and runs like 1234.")
