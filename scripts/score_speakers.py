#!/usr/bin/env python3
"""Score the speaker suggestions (attribution) against gold data and print the numbers.

    python scripts/score_speakers.py            # gold pages + PolNeAR
    python scripts/score_speakers.py -v         # also list every wrong speaker
    python scripts/score_speakers.py --corpus /path/to/corpus

Parts:
* gold speaker labels (tests/gold/speakers/*.json: the sample article and news pages of the corpus):
  the share of *correctly found* figures (the figure detector's spans overlapping a gold figure) whose
  first suggested speaker is the gold one, and the same on the gold spans themselves; relays too.
  The "document voice" baseline (every figure stated by the document) is printed for scale.
* PolNeAR sample: precision / recall / F1 of source spans (overlap matching against gold Source spans),
  and the speaker of each detected figure against the innermost gold attribution holding it.

Kept separate from scripts/score.py (figure scores) until the two are merged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from annotator.core.attribution import SpeakerCandidate, attribute  # noqa: E402
from annotator.core.attribution_scoring import (  # noqa: E402
    PolnearFigureScore,
    SpanScore,
    SpeakerScore,
    load_gold,
    place_gold,
    polnear_documents,
    predicted_sources,
    read_brat,
    read_brat_attributions,
    score_polnear_figures,
    score_sources,
    score_speakers,
)
from annotator.core.documents import load_document  # noqa: E402
from annotator.core.errors import UserError  # noqa: E402
from annotator.core.figures import detect_figures  # noqa: E402

DEFAULT_CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
GOLD = ROOT / "tests" / "gold" / "speakers"


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:6.1%}" if b else f"{a}/{b} =    n/a"


def gold_part(corpus: Path, verbose: bool) -> int:
    print("Speakers of correctly found figures (gold: tests/gold/speakers)")
    print(f"  {'document':<58} {'found/gold':>10}  {'detected figures':>20}  {'gold spans':>20}  "
          f"{'relays':>7}  {'doc-voice baseline':>20}")
    totals = {"sample": [SpeakerScore(), SpeakerScore(), 0, 0], "news": [SpeakerScore(), SpeakerScore(), 0, 0]}
    for path in sorted(GOLD.glob("*.json")):
        gold = load_gold(path)
        part = "sample" if gold.text_source == "plain" else "news"
        src = ROOT / gold.source if part == "sample" else corpus / gold.source
        if not src.exists():
            print(f"  {gold.document:<58} skipped: {src} is missing")
            continue
        try:
            text = load_document(src).text
        except UserError as e:
            print(f"  {gold.document:<58} skipped: {e}")
            continue
        figs = place_gold(gold, text)
        det = [(f.start, f.end) for f in detect_figures(text)]
        on_det = score_speakers(figs, det, attribute(text, det))
        gspans = [(f.start, f.end) for f in figs if f is not None]
        on_gold = score_speakers(figs, gspans, attribute(text, gspans))
        base = [[SpeakerCandidate(None, "document", "states", None, None)] for _ in gspans]
        baseline = score_speakers(figs, gspans, base)
        t = totals[part]
        t[0], t[1] = t[0].add(on_det), t[1].add(on_gold)
        t[2] += baseline.correct
        t[3] += baseline.found
        print(f"  {gold.document[:58]:<58} {on_det.found:>4}/{on_det.gold:<5}  {_pct(on_det.correct, on_det.found):>20}  "
              f"{_pct(on_gold.correct, on_gold.found):>20}  {on_gold.relay_correct:>3}/{on_gold.relay_gold:<3}  "
              f"{_pct(baseline.correct, baseline.found):>20}")
        if verbose:
            for fig, g, p in on_det.errors:
                print(f"      {fig!r}: gold {g!r}, suggested {p!r}")
    for part, (det, gsp, bc, bf) in totals.items():
        if gsp.gold:
            print(f"  {'TOTAL ' + part:<58} {det.found:>4}/{det.gold:<5}  {_pct(det.correct, det.found):>20}  "
                  f"{_pct(gsp.correct, gsp.found):>20}  {gsp.relay_correct:>3}/{gsp.relay_gold:<3}  "
                  f"{_pct(bc, bf):>20}")
    return 0


def polnear_part(corpus: Path, verbose: bool) -> int:
    docs = polnear_documents(corpus / "datasets" / "polnear-sample")
    if not docs:
        print("PolNeAR: skipped (no datasets/polnear-sample in the corpus)")
        return 0
    print("\nPolNeAR sample: source spans (overlap matching) and speakers of detected figures")
    print(f"  {'article':<52} {'P':>6} {'R':>6} {'F1':>6}  {'gold':>4} {'pred':>4}  {'figure speakers':>20}")
    tot, ftot = SpanScore(), PolnearFigureScore()
    for name, text, ann in docs:
        sc = score_sources(read_brat(ann, "Source"), predicted_sources(text))
        spans = [(f.start, f.end) for f in detect_figures(text)]
        fs = score_polnear_figures(text, read_brat_attributions(ann), spans, attribute(text, spans))
        tot, ftot = tot.add(sc), ftot.add(fs)
        print(f"  {name[:52]:<52} {sc.precision:6.3f} {sc.recall:6.3f} {sc.f1:6.3f}  {sc.gold:>4} {sc.predicted:>4}  "
              f"{_pct(fs.correct, fs.figures):>20}")
        if verbose:
            for fig, g, p in fs.errors:
                print(f"      {fig!r}: gold source {g!r}, suggested {p!r}")
    print(f"  {'TOTAL':<52} {tot.precision:6.3f} {tot.recall:6.3f} {tot.f1:6.3f}  {tot.gold:>4} {tot.predicted:>4}  "
          f"{_pct(ftot.correct, ftot.figures):>20}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    gold_part(args.corpus, args.verbose)
    polnear_part(args.corpus, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
