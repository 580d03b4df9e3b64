#!/usr/bin/env python3
"""Score the app's automatic suggestions against gold data.

    python scripts/score.py                     # every part, every dataset
    python scripts/score.py --part figures -v   # figure detection, listing misses and extras
    python scripts/score.py --part figures --dataset news

Each dataset is one function ``(corpus: Path, verbose: bool) -> Result`` registered in
``PARTS[part]``; adding a part (e.g. speaker attribution) means writing such functions and
adding a ``PARTS["speakers"] = [...]`` entry.  Datasets whose files are missing are skipped.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from annotator.core.figures import detect_figures  # noqa: E402
from annotator.core.scoring import (  # noqa: E402
    Score, in_region, load_gold, match_spans, region_of, relocate_gold, score_spans,
)

DEFAULT_CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
FIGURE_GOLD = ROOT / "tests" / "gold" / "figures"
REPORT_GOLD = ROOT / "tests" / "gold" / "figures-reports"
SAMPLE_NAME = "iran-prison-amnesty-2023"


@dataclass
class Result:
    dataset: str
    docs: int = 0
    gold: int = 0
    pred: int = 0
    exact: Score = field(default_factory=Score)
    overlap: Score = field(default_factory=Score)
    extra: dict = field(default_factory=dict)       # other measures: name -> text
    skipped: str | None = None


def _show(text: str, spans, label: str) -> None:
    for a, b in spans:
        ctx = text[max(0, a - 30):a] + "[" + text[a:b] + "]" + text[b:b + 30]
        print(f"      {label} {ctx!r}")


def _add(res: Result, text: str, pred: list, gold: list, verbose: bool, name: str) -> None:
    res.docs += 1
    res.gold += len(gold)
    res.pred += len(pred)
    ex = score_spans(pred, gold, "exact")
    ov = score_spans(pred, gold, "overlap")
    res.exact += ex
    res.overlap += ov
    if verbose:
        print(f"   {name}: exact {ex}")
        _, fp, fn = match_spans(pred, gold, "exact")
        _show(text, fn, "missed ")
        _show(text, fp, "extra  ")


# ------------------------------------------------------------------------------------------------
# Figures
# ------------------------------------------------------------------------------------------------

def document_text(corpus: Path, rel: str) -> str:
    """The app's text of a corpus document (the sample article is bundled in resources/)."""
    if rel.endswith(SAMPLE_NAME + ".txt"):
        path = ROOT / "resources" / (SAMPLE_NAME + ".txt")
    else:
        path = corpus / rel
    try:
        from annotator.core.documents import load_document
    except ImportError:                             # no loader yet: approximate it
        data = path.read_bytes()
        if path.suffix == ".html":
            import trafilatura
            return trafilatura.extract(data.decode("utf-8")) or ""
        return data.decode("utf-8")
    return load_document(path).text


def _figures_gold(corpus: Path, names: Callable[[str], bool], label: str, verbose: bool) -> Result:
    res = Result(label)
    files = sorted(p for p in FIGURE_GOLD.glob("*.json") if names(p.stem))
    for path in files:
        gold = load_gold(path)
        if not gold.document.startswith("text/") and not (corpus / gold.document).exists():
            res.skipped = f"corpus missing ({corpus})"
            continue
        text = document_text(corpus, gold.document)
        spans, missing = relocate_gold(gold, text)
        if missing:
            res.extra.setdefault("gold spans not found in text", 0)
            res.extra["gold spans not found in text"] += len(missing)
        region = region_of(gold, text)
        pred = in_region([(s.start, s.end) for s in detect_figures(text)], region)
        _add(res, text, pred, [(g.start, g.end) for g in spans], verbose, path.stem)
    return res


def figures_sample(corpus: Path, verbose: bool = False) -> Result:
    """The bundled sample article (no corpus needed)."""
    return _figures_gold(corpus, lambda n: n == SAMPLE_NAME, "sample article", verbose)


def figures_news(corpus: Path, verbose: bool = False) -> Result:
    """Saved news pages of the corpus, gold written for this project."""
    return _figures_gold(corpus, lambda n: n != SAMPLE_NAME, "news pages", verbose)


def figures_reports(corpus: Path, verbose: bool = False) -> Result:
    """Report PDFs of the corpus (the first pages of the FAA rule, the GAO snapshot), scored the way the
    app finds figures in a PDF: ``suggest`` over the pages, so the PDF's superscripts (footnote markers)
    count.  The PDF rules were written while looking at these pages: "developed on", not a blind test."""
    from annotator.core.documents import load_document
    from annotator.core.suggest import suggest

    res = Result("report PDFs (developed on)")
    for path in sorted(REPORT_GOLD.glob("*.json")):
        gold = load_gold(path)
        if not (corpus / gold.document).exists():
            res.skipped = f"corpus missing ({corpus})"
            continue
        doc = load_document(corpus / gold.document)
        text = doc.text
        pages = [{"start": p.start, "end": p.end, "superscripts": getattr(p, "superscripts", ())}
                 for p in doc.pages or ()]
        spans, missing = relocate_gold(gold, text)
        if missing:
            res.extra.setdefault("gold spans not found in text", 0)
            res.extra["gold spans not found in text"] += len(missing)
        found = suggest(text, pages or None, speakers=False)
        pred = in_region([(s.start, s.end) for s in found], region_of(gold, text))
        _add(res, text, pred, [(g.start, g.end) for g in spans], verbose, path.stem)
    return res


def _same_value(a, b) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def figures_quantulum(corpus: Path, verbose: bool = False) -> Result:
    """quantulum3's English test sentences: gold surfaces and values (units are quantulum's)."""
    path = corpus / "datasets" / "quantulum3-quantities" / "quantities.json"
    res = Result("quantulum3 (101 sentences)")
    if not path.exists():
        res.skipped = f"missing {path}"
        return res
    items = json.loads(path.read_text(encoding="utf-8"))
    values_ok = values_n = 0
    for k, item in enumerate(items):
        text = item["req"]
        gold, pos = [], 0
        for r in item["res"]:
            i = text.find(r["surface"], pos)
            if i < 0:
                i = text.find(r["surface"])
            if i < 0:
                continue
            gold.append((i, i + len(r["surface"]), r["value"]))
            pos = i + len(r["surface"])
        sugg = detect_figures(text)
        pred = [(s.start, s.end) for s in sugg]
        _add(res, text, pred, [(a, b) for a, b, _ in gold], verbose, f"#{k}")
        by_span = {(s.start, s.end): s for s in sugg}
        gval = {(a, b): v for a, b, v in gold}
        for p, g in match_spans(pred, list(gval), "overlap")[0]:
            values_n += 1
            s = by_span[p]
            v = s.parsed.value if s.parsed.value is not None else s.parsed.low
            values_ok += _same_value(v, gval[g])
    res.extra["same value on overlap matches"] = f"{values_ok}/{values_n}"
    return res


def figures_measeval(corpus: Path, verbose: bool = False) -> Result:
    """MeasEval trial: Quantity spans in science paragraphs."""
    base = corpus / "datasets" / "measeval-trial"
    res = Result("measeval-trial (65 paragraphs)")
    if not base.exists():
        res.skipped = f"missing {base}"
        return res
    for tsv in sorted((base / "tsv").glob("*.tsv")):
        txt = base / "txt" / (tsv.stem + ".txt")
        if not txt.exists():
            continue
        text = txt.read_text(encoding="utf-8")
        with tsv.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        gold = sorted({(int(r["startOffset"]), int(r["endOffset"])) for r in rows
                       if r["annotType"] == "Quantity"})
        pred = [(s.start, s.end) for s in detect_figures(text)]
        _add(res, text, pred, gold, verbose, tsv.stem)
    # paragraphs without any tsv rows have no gold: they are not scored
    return res


PARTS: dict[str, list[Callable[[Path, bool], Result]]] = {
    "figures": [figures_sample, figures_news, figures_reports, figures_quantulum, figures_measeval],
    "speakers": [],
}


def print_result(part: str, res: Result, seconds: float) -> None:
    if res.skipped and not res.docs:
        print(f"{part:<9} {res.dataset:<32} skipped: {res.skipped}")
        return
    e, o = res.exact, res.overlap
    print(f"{part:<9} {res.dataset:<32} {res.docs:>4} {res.gold:>5} {res.pred:>5}   "
          f"{e.precision:5.3f} {e.recall:5.3f} {e.f1:5.3f}   "
          f"{o.precision:5.3f} {o.recall:5.3f} {o.f1:5.3f}   {seconds * 1000:7.1f}")
    for k, v in res.extra.items():
        print(f"{'':<9} {'':<32} {k}: {v}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=[*PARTS, "all"], default="all")
    ap.add_argument("--dataset", help="only datasets whose function name contains this")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    args = ap.parse_args(argv)
    parts = list(PARTS) if args.part == "all" else [args.part]
    print(f"{'part':<9} {'dataset':<32} {'docs':>4} {'gold':>5} {'pred':>5}   "
          f"{'exact P/R/F1':<17}   {'overlap P/R/F1':<17}   {'ms':>7}")
    for part in parts:
        funcs = PARTS[part]
        if part == "speakers":
            # speaker attribution has its own tables (right speaker per figure, PolNeAR source spans)
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            import score_speakers

            score_speakers.gold_part(args.corpus, args.verbose)
            score_speakers.polnear_part(args.corpus, args.verbose)
            continue
        for fn in funcs:
            if args.dataset and args.dataset not in fn.__name__:
                continue
            t = time.perf_counter()
            res = fn(args.corpus, args.verbose)
            print_result(part, res, time.perf_counter() - t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
