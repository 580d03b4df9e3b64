"""When the window tells Python's cyclic garbage collector that what is alive now is long-lived.

A full collection walks every tracked object: with a 1000-page document's ~44,000 suggested
figures and their attributions in memory that is ~0.5 million objects and 0.3-0.5 s, during
which the window (or, from the Find figures worker, the thread holding the GIL) freezes, and it
comes back each time a quarter as many new objects have piled up (a pass landing, scrolling
through pages). :func:`keep_long_lived` moves every object alive now to the permanent generation
(``gc.freeze``): later collections walk only newer objects. Reference counting still frees
frozen objects as soon as they are unused (a document's records have no reference cycles);
only cycles that were already garbage at that moment stay until :func:`release`, which the
window calls when it closes an annotation file.

:func:`install` (done by the first :func:`keep_long_lived`) adds the policy for what piles up later (pages' text and shapes built while
scrolling, records brought up to date by an undo): a full collection that took longer than
:data:`SLOW_FULL` found that many objects surviving it, so they are frozen too, and the next
full collection is short again (without it one of 60-120 ms came every few page turns).
"""

from __future__ import annotations

import gc
import time

#: a batch of at least this many records (a pass landing, a document opened) makes the heap long-lived
BIG_BATCH = 5000
#: a full collection longer than this (seconds) freezes what survived it
SLOW_FULL = 0.02

_started = 0.0


def keep_long_lived() -> None:
    """Exclude the objects alive now from later collections (the document's records stay for long), and
    from now on what survives a slow full collection (:func:`install`)."""
    install()
    gc.freeze()


def release() -> None:
    """Give the frozen objects back to the collector (an annotation file was closed)."""
    gc.unfreeze()


def _after_collection(phase: str, info: dict) -> None:
    global _started
    if info.get("generation") != 2:
        return
    if phase == "start":
        _started = time.perf_counter()
    elif time.perf_counter() - _started > SLOW_FULL:
        gc.freeze()  # what survived a slow full collection is long-lived: the next one skips it


def install() -> None:
    """Freeze what survives a slow full collection from now on (idempotent)."""
    if _after_collection not in gc.callbacks:
        gc.callbacks.append(_after_collection)
