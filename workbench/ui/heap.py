"""Python's garbage collections kept out of the way of an open engagement.

A big engagement holds a million Python objects (its records, the pages' models). While they are made, the
collector would walk the ones made so far again and again (full collections of 60-150 ms each, a few hundred
ms of reopening the 5,000-finding engagement); once made, every full collection would walk them all, 100-150
ms of the GUI thread at moments nobody chose (a page switch, a keystroke). So what lives as long as the
engagement (or the libraries the workspace loads) is made with no collection running (`building`) and then
moved out of the collector's reach (`gc.freeze`). When the engagement closes (`release_built`), one full
collection, once its widgets are gone, frees whatever of it only a collection frees (cycles). Reference
counting frees everything else as before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

RELEASE_AFTER_MS = 250  # after the closed engagement's widgets were deleted (deferred deletes come first)


@contextmanager
def building() -> Iterator[None]:
    """Objects made in this block live on: no collection runs meanwhile, and afterwards none walks them again.
    Collection is switched back on at the end unless it was off before (another block still building)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def release_built() -> None:
    """The engagement closed: once its widgets are deleted (deleteLater, on the next turns of the event loop),
    one full collection frees whatever of it only a collection frees, and what lives on is kept out again."""
    from PySide6.QtCore import QTimer

    QTimer.singleShot(RELEASE_AFTER_MS, collect_released)


def collect_released() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()
