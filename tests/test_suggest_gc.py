"""The collector around a suggestion pass: off while it runs, its survivors moved to the oldest
generation without a walk at the end (annotator.core.suggest._gc_paused), frozen objects of the
process left frozen."""

from __future__ import annotations

import gc

import pytest

from annotator.core.suggest import suggest

TEXT = ("Some 38,245 households are affected, according to the United Nations.\n\n"
        "The ministry said that at least 1,200 people were moved and $79 million was spent.\n")


@pytest.fixture
def collector():
    """The collector on, nothing frozen; the state before the test given back after it."""
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    if frozen:
        gc.freeze()
    (gc.enable if enabled else gc.disable)()


def _in_generation(obj, generation: int) -> bool:
    return any(o is obj for o in gc.get_objects(generation))


def test_what_a_pass_leaves_alive_is_in_the_oldest_generation_and_not_frozen(collector):
    collections = []

    def seen(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        found = suggest(TEXT)
    finally:
        gc.callbacks.remove(seen)
    assert collections == []  # no collection at all: neither during the pass nor to end it
    assert [s.text for s in found] == ["Some 38,245", "at least 1,200", "$79 million"]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # moved through the permanent generation, not left there
    for s in found:  # neither walked by the young collections nor stuck in them
        assert _in_generation(s, 2)
        assert not _in_generation(s, 0) and not _in_generation(s, 1)
    assert gc.get_count()[0] < 50


def test_objects_the_process_froze_stay_frozen(collector):
    keep = [{"frozen": i} for i in range(100)]
    gc.freeze()
    frozen = gc.get_freeze_count()
    assert frozen >= 100
    found = suggest(TEXT)
    assert len(found) == 3 and gc.isenabled()
    assert gc.get_freeze_count() >= frozen  # not thawed by the pass
    assert not _in_generation(keep[0], 2)


def test_a_collector_switched_off_by_the_application_stays_off(collector):
    gc.disable()
    suggest(TEXT)
    assert not gc.isenabled()
