"""An open engagement's objects are kept out of the garbage collector's walks (ui/heap.py), and handed back when
the engagement closes: opening another one frees the first, cycles included, and collection is on again."""

from __future__ import annotations

import gc
import weakref

from workbench.ui import heap


def test_building_switches_collection_off_and_back_on() -> None:
    assert gc.isenabled()
    with heap.building():
        assert not gc.isenabled()
        with heap.building():  # another block still building: it leaves collection off
            pass
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() > 0


def test_another_engagement_frees_the_first(qtbot, window, sample_ws) -> None:
    from workbench.services.engagements import create_engagement

    other = create_engagement(sample_ws, client="Second Client", title="Second engagement")
    first = weakref.ref(window.session)
    document = weakref.ref(window.view.pages["overview"])
    assert gc.get_freeze_count() > 0  # the first engagement's objects are kept out of the walks
    window.open_engagement(other)
    assert window.session.uid == other
    qtbot.waitUntil(lambda: first() is None and document() is None, timeout=5_000)
    assert gc.isenabled()
