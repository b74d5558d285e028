"""Python's full garbage collections kept out of the way of an open engagement.

A big engagement holds a million Python objects (its records, the pages' models); a full collection walks
all of them, 100-150 ms of the GUI thread at moments nobody chose (on a page switch, a keystroke). The objects
that live as long as the engagement is open are moved out of the collector's reach (`gc.freeze`) once the
engagement or a page has been built; they are handed back when the engagement closes, so that whatever of
it only a collection frees is freed then. Reference counting frees everything else as before.
"""

from __future__ import annotations

import gc


def keep_built() -> None:
    """What exists now lives as long as the open engagement: no full collection walks it again."""
    gc.freeze()


def release_built() -> None:
    """The engagement closed: its objects are the collector's again (the next collections free its cycles)."""
    gc.unfreeze()
