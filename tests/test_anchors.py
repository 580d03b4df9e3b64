"""Anchors: UTF-16 <-> code points, quote selectors, re-anchoring on the sample article."""

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.anchors import Utf16Map, cp_to_utf16, quote_selector, reanchor, utf16_to_cp


def test_emoji_before_a_figure_shifts_utf16_positions():
    text = "Protest 😀😀 of 30,000 people"
    start = text.index("30,000")
    u16 = cp_to_utf16(text, start)
    assert u16 == start + 2  # each emoji is two UTF-16 units
    assert utf16_to_cp(text, u16) == start
    assert text.encode("utf-16-le")[u16 * 2:(u16 + 6) * 2].decode("utf-16-le") == "30,000"


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60))
def test_utf16_map_round_trips(text):
    m = Utf16Map(text)
    for cp in range(len(text) + 1):
        u16 = m.to_utf16(cp)
        assert u16 == len(text[:cp].encode("utf-16-le")) // 2
        assert m.to_cp(u16) == cp


def test_quote_selector_keeps_32_characters_of_context(sample_text):
    start = sample_text.index("30,000")
    q = quote_selector(sample_text, start, start + 6)
    assert q.exact == "30,000"
    assert len(q.prefix) == 32 and len(q.suffix) == 32
    assert sample_text[start - 32:start] == q.prefix


def test_repeated_paragraph_reanchors_on_the_right_copy(sample_text):
    # the sample repeats paragraphs word for word, figures included
    needle = "five months"
    first = sample_text.index(needle)
    second = sample_text.index(needle, first + 1)
    q = quote_selector(sample_text, second, second + len(needle))
    assert reanchor(sample_text, q.exact, q.prefix, q.suffix, start_hint=second).start == second
    q1 = quote_selector(sample_text, first, first + len(needle))
    assert reanchor(sample_text, q1.exact, q1.prefix, q1.suffix, start_hint=first).start == first


def test_changed_number_is_placed_but_detectably_different():
    old = "Police said 30,000 people marched on Sunday in the capital."
    new = old.replace("30,000", "80,000")
    s = old.index("30,000")
    q = quote_selector(old, s, s + 6)
    placed = reanchor(new, q.exact, q.prefix, q.suffix, start_hint=s)
    assert placed is not None and placed.method == "fuzzy"
    assert placed.text == "80,000"


def test_removed_passage_gives_no_placement():
    old = "Intro text here. Police said 30,000 people marched on Sunday. Closing words follow."
    new = "Intro text here. Closing words follow."
    s = old.index("30,000")
    q = quote_selector(old, s, s + 6)
    assert reanchor(new, q.exact, q.prefix, q.suffix, start_hint=s) is None
