"""The plain-words strength of a new passphrase: refused under 8 characters, patterned and common ones weak."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.passphrase_strength import strength


@pytest.mark.parametrize(("passphrase", "level"), [
    ("", "too short"), ("abc1234", "too short"), ("password1", "weak"), ("abcdefgh1234", "weak"),
    ("aaaaaaaaaaaaaaaaaaaa", "weak"), ("Summer2026", "fair"),
    ("correct horse battery staple", "strong"), ("Wd8#kq!2vZ0p", "strong")])
def test_levels(passphrase: str, level: str) -> None:
    verdict = strength(passphrase)
    assert verdict.level == level
    assert verdict.hint.startswith(level.capitalize()) and verdict.hint.endswith(".")
    assert verdict.acceptable is (level != "too short")


def test_a_common_word_weakens_a_passphrase_as_long() -> None:
    assert strength("passwordpassword").level == "weak"
    assert strength("qbkrnzwvjmtxhgfd").level != "weak"


@given(st.text(max_size=200))
def test_any_text_gets_a_verdict_and_length_alone_decides_acceptance(text: str) -> None:
    verdict = strength(text)
    assert verdict.acceptable is (len(text) >= 8)
    assert verdict.level in {"too short", "weak", "fair", "strong"} and verdict.hint
