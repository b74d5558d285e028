"""The cyclic garbage collector paused around work that makes many objects and no garbage cycles worth a walk."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection in the block: each one would rescan every object made so far, again and again.
    Reference counting still frees what is not in a cycle. The collector is switched back on afterwards
    unless it was off before (a caller, such as the GUI's worker, paused it too)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
