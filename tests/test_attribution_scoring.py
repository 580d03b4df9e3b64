"""Speaker scoring: name matching, figure-level accuracy, source-span P/R/F1, brat reading."""

from __future__ import annotations

from annotator.core.attribution import SpeakerCandidate
from annotator.core.attribution_scoring import (
    GoldFigure,
    names_match,
    read_brat,
    read_brat_attributions,
    score_polnear_figures,
    score_sources,
    score_speakers,
)


def cand(name, role="states", kind="person", ev=None):
    return SpeakerCandidate(name, kind if name else "document", role, ev[0] if ev else None,
                            ev[1] if ev else None, None, 0.8)


def test_names_match_folds_case_titles_articles_and_aliases():
    assert names_match("mehdi hajian", "Mehdi Hajian")
    assert names_match("Dr. Sobhi Skaik", "Sobhi Skaik")
    assert names_match("the Health Ministry", "Health Ministry")
    assert names_match("Royedad 24", "Roydad 24", ["Royedad 24"])
    assert not names_match("Royedad 24", "Roydad 24")  # a variant counts only when listed as an alias
    assert names_match(None, None)
    assert not names_match(None, "Reuters")
    assert not names_match("Reuters", None)


def test_score_speakers_counts_only_found_figures_and_checks_relays():
    gold = [
        GoldFigure("100 million rials", 10, 27, [
            {"name": "Mehdi Hajian", "kind": "person", "role": "states"},
            {"name": "Roydad 24", "kind": "outlet", "role": "relays", "aliases": ["Royedad 24"]},
        ]),
        GoldFigure("five months", 40, 51, [{"name": None, "kind": "document", "role": "states"}]),
        GoldFigure("$79 million", 60, 71, [{"name": None, "kind": "document", "role": "states"}]),
    ]
    spans = [(10, 21), (40, 51)]  # the third figure was not found by the detector
    pred = [
        [cand("Mehdi Hajian"), cand("Royedad 24", role="relays", kind="outlet")],
        [cand("Reuters", kind="outlet")],
    ]
    sc = score_speakers(gold, spans, pred)
    assert (sc.gold, sc.found, sc.correct) == (3, 2, 1)
    assert sc.accuracy == 0.5
    assert (sc.relay_gold, sc.relay_correct) == (1, 1)
    assert sc.errors == [("five months", None, "Reuters")]


def test_score_sources_matches_overlaps_once_each():
    gold = [(0, 10), (20, 30), (40, 45)]
    pred = [(2, 5), (3, 8), (25, 35), (50, 60)]
    sc = score_sources(gold, pred)
    assert (sc.matched_pred, sc.matched_gold) == (2, 2)  # (3, 8) overlaps a gold span already taken
    assert sc.precision == 0.5 and sc.recall == 2 / 3
    assert abs(sc.f1 - 4 / 7) < 1e-9


ANN = (
    "T1\tSource 0 9\tNew Polls\n"
    "T2\tCue 10 14\tShow\n"
    "T3\tContent 15 54\tDouble-Digit Gaps in Republican Contest\n"
    "T4\tAttribution 10 14\tShow\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tCue 71 78\tlabeled\n"
    "T6\tContent 57 70;79 146\tThe candidate …\n"
    "E2\tAttribution-no-source:T7 Content:T6 Cue:T5\n"
)


def test_read_brat_spans_and_relations(tmp_path):
    p = tmp_path / "a.ann"
    p.write_text(ANN, encoding="utf-8")
    assert read_brat(p, "Source") == [(0, 9)]
    assert read_brat(p, "Content") == [(15, 54), (57, 146)]  # a discontinuous span counts as its hull
    rels = read_brat_attributions(p)
    assert rels[0].source == [(0, 9)] and rels[0].cue == [(10, 14)]
    assert rels[1].source == [] and rels[1].content == [(57, 70), (79, 146)]


def test_polnear_figure_scoring_uses_the_innermost_content(tmp_path):
    text = "New Polls Show 45 percent for Trump. Cruz had 38 percent."
    p = tmp_path / "b.ann"
    p.write_text(
        "T1\tSource 0 9\tNew Polls\nT2\tCue 10 14\tShow\nT3\tContent 15 35\t45 percent for Trump\n"
        "T4\tAttribution 10 14\tShow\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
        encoding="utf-8",
    )
    gold = read_brat_attributions(p)
    spans = [(15, 25), (46, 56)]
    pred = [[cand("New Polls", kind="organisation", ev=(0, 14))], [cand(None)]]
    sc = score_polnear_figures(text, gold, spans, pred)
    assert (sc.figures, sc.correct, sc.document_gold) == (2, 2, 1)
    wrong = [[cand(None)], [cand("Cruz")]]
    sc2 = score_polnear_figures(text, gold, spans, wrong)
    assert sc2.correct == 0 and len(sc2.errors) == 2
