"""The figure scanner jumps to where a figure can start (a digit, or a word beginning with a number
word) instead of trying every position: it must find exactly the figures a full search finds,
including at the very start of a text, right after punctuation and inside words ("G7")."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import figures as F
from annotator.core import figures_patterns as P

PIECES = list("0123456789 .,-()'’\n_é") + [
    "one ", "One", " tens", "thousands", "a dozen", "half", "-fold", "twenty-one", "G7", "İ", "\u00a0",
    "three", "fifths", "hundred", "Some ", "million", "ten", "tense", "onerous", "a third of",
    "“", "—", "\t", "\U0001F600", "…",
]


def _all_starts(low: str) -> list:
    """Every match of the plain search, scanning the way the detector does (from each match on)."""
    out, pos, starts = [], 0, F._Starts(low)
    while True:
        a, b = P.MAIN.search(low, pos), starts.search(pos)
        out.append(((a.span(), a.groups()) if a else None, (b.span(), b.groups()) if b else None))
        if a is None:
            return out
        pos = a.start() + 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_scanner_finds_where_a_full_search_finds(text):
    for plain, fast in _all_starts(F._Text(text, True).low):
        assert plain == fast


def test_figures_at_the_start_after_punctuation_and_in_words_are_still_seen():
    text = "Three thousand marched; (40,000 by noon). G7 leaders met, twenty-one spoke: tens of thousands."
    found = [f.text for f in F.detect_figures(text)]
    assert found[:2] == ["Three thousand", "40,000"]
    assert "twenty-one" in found and "tens of thousands" in found
    assert all("7" not in f for f in found)
