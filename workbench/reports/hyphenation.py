"""Words too wide for their column break at a syllable, with a hyphen; every other word stays whole.

reportlab hyphenates (with pyphen, `hyphenationLang` in the styles) any word that overflows a line end,
which would scatter hyphens through every table cell and break words that simply fit on the next line.
`install()` limits it to words wider than the whole line: "Development" in a narrow status column becomes
"Develop-|ment" and "drift-detector-psi-ks" breaks at its own hyphens, instead of "Developmen|t" from
splitLongWords, which remains the last resort for a "word" with no syllables (a hash, a 5,000-letter run).
"""

from __future__ import annotations

import threading
from typing import Any

from reportlab.platypus import paragraph as rl_paragraph

_lock = threading.Lock()
_installed = False


def _word_too_wide(hyphenate: Any, width_of: Any) -> Any:
    def only_when_too_wide(*args: Any, **kwargs: Any) -> Any:
        word_width, line_width = width_of(args)
        if word_width <= line_width:
            return None  # it fits on a line of its own: move it there whole
        return hyphenate(*args, **kwargs)

    return only_when_too_wide


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
