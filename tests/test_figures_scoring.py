"""Span scoring (annotator.core.scoring) and the score script (scripts/score.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from annotator.core.scoring import (
    GoldDocument, GoldSpan, Score, match_spans, region_of, relocate_gold, score_spans,
)

ROOT = Path(__file__).resolve().parent.parent


def test_exact_matching_counts_only_identical_spans():
    pred = [(0, 5), (10, 15), (20, 22)]
    gold = [(0, 5), (10, 16), (30, 31)]
    s = score_spans(pred, gold, "exact")
    assert (s.tp, s.fp, s.fn) == (1, 2, 2)
    assert s.precision == pytest.approx(1 / 3)
    assert s.recall == pytest.approx(1 / 3)
    assert s.f1 == pytest.approx(1 / 3)


def test_overlap_matching_pairs_each_span_once_largest_overlap_first():
    # one long prediction over two gold spans matches only one of them
    pairs, fp, fn = match_spans([(0, 20)], [(0, 5), (8, 20)], "overlap")
    assert pairs == [((0, 20), (8, 20))] and fp == [] and fn == [(0, 5)]
    s = score_spans([(0, 4), (10, 12)], [(2, 6), (12, 14)], "overlap")
    assert (s.tp, s.fp, s.fn) == (1, 1, 1)             # touching at 12 is no overlap


def test_spans_may_be_objects_with_start_and_end():
    class S:
        def __init__(self, a, b):
            self.start, self.end = a, b
    assert score_spans([S(1, 3)], [(1, 3)]).tp == 1


def test_empty_inputs_and_adding_scores():
    assert Score().precision == 1.0 and Score().recall == 1.0
    assert score_spans([], [(0, 1)]).recall == 0.0
    total = Score(3, 1, 0) + Score(1, 0, 2)
    assert (total.tp, total.fp, total.fn) == (4, 1, 2)
    with pytest.raises(ValueError):
        match_spans([], [], "fuzzy")


def _gold(text: str, needles: list[str]) -> GoldDocument:
    spans, pos = [], 0
    for nd in needles:
        i = text.index(nd, pos)
        spans.append(GoldSpan(nd, i, i + len(nd), text[max(0, i - 20):i], text[i + len(nd):i + len(nd) + 20]))
        pos = i + len(nd)
    return GoldDocument("t", "text/t.txt", "test", len(text), "", spans)


def test_relocate_gold_follows_moved_text_and_repeated_paragraphs():
    para = "the amnesty of thousands of inmates made headlines."
    text = f"{para}\n{para}\nat least 30,000 protesters"
    gold = _gold(text, ["thousands", "thousands", "at least 30,000"])
    moved = "Title of the page\n\n" + text.replace("\n", "\n\n")
    spans, missing = relocate_gold(gold, moved)
    assert not missing
    assert [moved[s.start:s.end] for s in spans] == ["thousands", "thousands", "at least 30,000"]
    assert spans[0].start < spans[1].start                 # each copy found once, in order
    spans, missing = relocate_gold(gold, "nothing here")
    assert len(missing) == 3


def test_region_limits_scoring_to_the_labelled_text():
    gold = _gold("abc 12 def", ["12"])
    gold.region = {"first": "abc", "last": "def"}
    text = "menu 99\nabc 12 def\nfooter 7"
    a, b = region_of(gold, text)
    assert text[a:b] == "abc 12 def"


def _load_score_script():
    spec = importlib.util.spec_from_file_location("score_script", ROOT / "scripts" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["score_script"] = mod                 # dataclasses look their module up
    try:
        spec.loader.exec_module(mod)
    finally:
        del sys.modules["score_script"]
    return mod


def test_score_script_prints_the_sample_scores(capsys):
    script = _load_score_script()
    assert script.main(["--part", "figures", "--dataset", "sample"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "sample article" in x)
    assert line.split()[3:6] == ["1", "18", "18"]          # docs, gold, predicted
    assert "speakers" in script.PARTS                     # a slot for the attribution scores
