"""Figure detection against hand-written gold labels (tests/gold/figures/*.json).

Targets on news text: recall >= 0.95 and precision >= 0.90 (exact span match).  The sample article
needs no corpus; the news pages use the corpus and the HTML loader.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.figures import detect_figures
from annotator.core.scoring import Score, in_region, load_gold, region_of, relocate_gold, score_spans

GOLD_DIR = Path(__file__).parent / "gold" / "figures"
SAMPLE_GOLD = GOLD_DIR / "iran-prison-amnesty-2023.json"
NEWS_GOLD = sorted(p for p in GOLD_DIR.glob("*.json") if p != SAMPLE_GOLD)


def _score(gold_path: Path, text: str) -> tuple[Score, list]:
    gold = load_gold(gold_path)
    spans, missing = relocate_gold(gold, text)
    pred = in_region([(s.start, s.end) for s in detect_figures(text)], region_of(gold, text))
    return score_spans(pred, [(g.start, g.end) for g in spans], "exact"), missing


def test_gold_files_are_consistent():
    assert SAMPLE_GOLD.exists() and len(NEWS_GOLD) >= 3
    for path in [SAMPLE_GOLD, *NEWS_GOLD]:
        data = json.loads(path.read_text(encoding="utf-8"))
        figs = data["figures"]
        assert figs, path.name
        last = 0
        for f in figs:
            assert f["end"] - f["start"] == len(f["text"]), (path.name, f)
            assert f["start"] >= last, (path.name, f)         # sorted, non-overlapping
            last = f["end"]
            assert len(f["before"]) <= 40 and len(f["after"]) <= 40  # context only, no article copy


def test_sample_article_meets_the_targets(sample_text):
    gold = load_gold(SAMPLE_GOLD)
    spans, missing = relocate_gold(gold, sample_text)
    assert not missing
    assert all(sample_text[g.start:g.end] == g.text for g in spans)
    score, _ = _score(SAMPLE_GOLD, sample_text)
    assert score.recall >= 0.95, score
    assert score.precision >= 0.90, score


def test_news_pages_meet_the_targets(corpus_dir):
    documents = pytest.importorskip("annotator.core.documents")
    total = Score()
    for path in NEWS_GOLD:
        gold = load_gold(path)
        text = documents.load_document(corpus_dir / gold.document).text
        score, missing = _score(path, text)
        assert not missing, f"{path.name}: gold spans not found in the loader's text: {missing}"
        assert score.recall >= 0.85 and score.precision >= 0.80, (path.name, score)
        total += score
    assert total.recall >= 0.95, total
    assert total.precision >= 0.90, total
