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
"""

from __future__ import annotations

import gc

#: a batch of at least this many records (a pass landing, a document opened) makes the heap long-lived
BIG_BATCH = 5000


def keep_long_lived() -> None:
    """Exclude the objects alive now from later collections (the document's records stay for long)."""
    gc.freeze()


def release() -> None:
    """Give the frozen objects back to the collector (an annotation file was closed)."""
    gc.unfreeze()
