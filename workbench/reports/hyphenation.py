"""Words too wide for their column break at a syllable, with a hyphen; every other word stays whole.

reportlab hyphenates (with pyphen, `hyphenationLang` in the styles) any word that overflows a line end,
which would scatter hyphens through every table cell and break words that simply fit on the next line.
`install()` limits it to words wider than the whole line: "Development" in a narrow status column becomes
"Develop-|ment" and "drift-detector-psi-ks" breaks at its own hyphens, instead of "Developmen|t" from
splitLongWords, which remains the last resort for a "word" with no syllables (a hash, a 5,000-letter run).

The styles name `ENGLISH` (a `Hyphenator`) rather than the language code: reportlab makes a pyphen.Pyphen
for every paragraph it wraps when given a code, and pyphen reads its dictionary (about 0.1 s) on the
first, although most reports have no word too wide for its line; a Hyphenator reads it on the first such word.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from reportlab.platypus import paragraph as rl_paragraph

_lock = threading.Lock()
_installed = False


class Hyphenator:
    """pyphen's `iterate` for `language` (what reportlab calls with a word too wide for its line), the
    dictionary read on the first call."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._iterate: Any = None
        self._lock = threading.Lock()

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        if self._iterate is None:
            with self._lock:
                if self._iterate is None:
                    import pyphen  # type: ignore[import-untyped]

                    self._iterate = pyphen.Pyphen(lang=self.language).iterate
        return self._iterate(word)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"Hyphenator({self.language!r})"


ENGLISH = Hyphenator("en_GB")  # the report's own wording is English


def _word_too_wide(hyphenate: Any, width_of: Any) -> Any:
    def only_when_too_wide(*args: Any, **kwargs: Any) -> Any:
        word_width, line_width = width_of(args)
        if word_width <= line_width:
            return None  # it fits on a line of its own: move it there whole
        return hyphenate(*args, **kwargs)

    return only_when_too_wide


def installed() -> bool:
    """Whether reportlab's hyphenators are limited to words wider than their line (a line breaker that
    moves every other overflowing word to the next line whole relies on it)."""
    return _installed


def install() -> None:
    """Wrap reportlab's two word hyphenators once per process (the GUI renders in a worker thread)."""
    global _installed
    with _lock:
        if _installed:
            return
        # _hyphenateWord(hyphenator, fontName, fontSize, w, ww, newWidth, maxWidth, ...)
        rl_paragraph._hyphenateWord = _word_too_wide(  # type: ignore[attr-defined]
            rl_paragraph._hyphenateWord, lambda args: (args[4], args[6]))  # type: ignore[attr-defined]
        # _hyphenateFragWord(hyphenator, FW, newWidth, maxWidth, ...): FW[0] is the word's width
        rl_paragraph._hyphenateFragWord = _word_too_wide(  # type: ignore[attr-defined]
            rl_paragraph._hyphenateFragWord, lambda args: (args[1][0], args[3]))  # type: ignore[attr-defined]
        _installed = True
