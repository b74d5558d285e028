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


@contextmanager
def left_to_exit() -> Iterator[None]:
    """`paused`, for a command whose process ends right after the block. What the block made and still holds is
    then frozen out of the collector's reach (gc.freeze) before it is switched back on: otherwise the first
    collection afterwards walks and frees the whole laid-out report (half a second of a 5,000-finding one) just
    before the process exits and the system takes its memory back anyway."""
    with paused():
        try:
            yield
        finally:
            gc.freeze()
