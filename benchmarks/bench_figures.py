"""Figure detection speed: detect_figures on PDF page text vs PyMuPDF's get_text("words").

Target (figure-parsing issue): detecting the figures of a page must cost well under reading the
page's words with PyMuPDF (~1.4 ms/page); aim < 0.3 ms/page, i.e. a ratio <= 0.25.  A second
line adds the parsed fields (counted noun, rate: computed lazily, but the app reads them for
every suggestion).

A PDF of generated news-like text is built in memory: about 530 words and 43 figures a page
(counts, money, percentages, ranges, qualifiers, words), mixed with dates, years, clock times
and names that must be skipped.  Then two real corpus PDFs (a book and a WHO report), when the
corpus is present.  Both sides run on the same pages in the same run, alternated, and are timed
in CPU time.

Run: python benchmarks/bench_figures.py [--pages 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import report  # noqa: E402

from annotator.core.figures import detect_figures  # noqa: E402

_FIGURE_PHRASES = [
    "at least {n:,} protesters were detained", "killed {n} people", "costs around ${m} million a year",
    "{p}% of the total", "{p}.{d} percent in the second quarter", "between {a} to {b} thousand prisoners",
    "more than {n:,} cases", "nearly ${m} billion in interest", "{a},{d} quadrillion rials per year",
    "about {s} other people", "{S} gunmen died", "tens of thousands of voters", "hundreds of items",
    "up to {n:,} megawatts", "a {s}-month contract", "{p} to {q} percent", "£{a}.{d}m in fees",
    "€{a}bn of aid", "{n:,} research staff", "{s} states", "less than {n}", "more than half of them",
    "two-thirds of the staff", "roughly ${m} billion", "an estimated {n:,} workers",
    "{a} or {b} buyers", "${a} and ${b} a pound", "{n:,}-{n2:,} people", "{s} years ago",
]
_OTHER_PHRASES = [
    "on {month} {day}, {year}", "in {year}", "since {year}", "at {h}:{mm} p.m.", "Article {a}",
    "the {year}-{yy} season", "Royedad {a} wrote", "COVID-19 cases", "in the 1980s", "page {a}",
    "the third time", "one of the officials", "Boeing 737", "by {month} {year}", "the G7 summit",
]
_WORDS = ("the officials said that government report would analysis which according budget "
          "spokesman regime economy year week prison costs increase state media pressure "
          "international community mission agency data market power grid demand").split()
_MONTHS = ["January", "February", "March", "April", "June", "July", "September", "November"]


def page_text(rng: random.Random, words: int = 530, figures: int = 43) -> str:
    parts: list[str] = []
    n_words = 0
    n_figs = 0
    while n_words < words:
        if n_figs < figures and rng.random() < 0.55:
            tpl = rng.choice(_FIGURE_PHRASES)
            n_figs += 1
        elif rng.random() < 0.3:
            tpl = rng.choice(_OTHER_PHRASES)
        else:
            tpl = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 9)))
        a = rng.randint(2, 60)
        phrase = tpl.format(
            n=rng.randint(100, 90000), n2=rng.randint(90001, 200000), m=rng.randint(2, 900),
            p=rng.randint(1, 49), q=rng.randint(50, 99), d=rng.randint(1, 9), a=a, b=a + rng.randint(1, 30),
            s=rng.choice(["two", "three", "five", "nine", "twelve"]), S=rng.choice(["Two", "Three"]),
            month=rng.choice(_MONTHS), day=rng.randint(1, 28), year=rng.randint(1990, 2024),
            yy=rng.randint(10, 24), h=rng.randint(1, 12), mm=rng.randint(10, 59),
        )
        parts.append(phrase)
        n_words += len(phrase.split())
        parts.append("." if rng.random() < 0.25 else ",")
    text = " ".join(parts).replace(" .", ".").replace(" ,", ",")
    return text[0].upper() + text[1:]


def build_pdf(pages: int, seed: int = 7):
    import pymupdf

    rng = random.Random(seed)
    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page(width=612, height=792)
        rest = page.insert_textbox(pymupdf.Rect(36, 36, 576, 756), page_text(rng), fontsize=7.5)
        if rest < 0:
            raise SystemExit("generated page text does not fit; lower the font size")
    return pymupdf.open("pdf", doc.tobytes())


def _cpu_side_by_side(raw, ours, rounds: int) -> tuple[float, float]:
    """Median CPU time (time.process_time) of ``raw`` and ``ours`` over alternated rounds.

    CPU time rather than wall time: both sides run in this process, and on a shared machine the
    wall clock mostly measures the other processes."""
    raw_t, ours_t = [], []
    for _ in range(rounds):
        t = time.process_time()
        raw()
        raw_t.append(time.process_time() - t)
        t = time.process_time()
        ours()
        ours_t.append(time.process_time() - t)
    return statistics.median(raw_t), statistics.median(ours_t)


def _measure(label: str, doc, rounds: int) -> bool:
    texts = [p.get_text() for p in doc]
    pages = len(texts)

    def raw():
        for p in doc:
            p.get_text("words")

    def spans():
        for x in texts:
            detect_figures(x)

    def parsed():
        for x in texts:
            for s in detect_figures(x):
                s.parsed

    found = [detect_figures(x) for x in texts]
    words = statistics.mean(len(t.split()) for t in texts)
    figs = statistics.mean(len(f) for f in found)
    print(f"{label}: {pages} pages, {words:.0f} words and {figs:.1f} detected figures a page")
    raw_t, ours_t = _cpu_side_by_side(raw, spans, rounds)
    ok = report(f"detect_figures vs get_text('words'), {label}", raw_t, ours_t, target=0.25, aim=True)
    raw_p, ours_p = _cpu_side_by_side(raw, parsed, rounds)
    ok &= report(f"detect + parsed fields vs get_text('words'), {label}", raw_p, ours_p, target=0.4, aim=True)
    print(f"per page (CPU): get_text('words') {raw_t * 1000 / pages:.3f} ms, detect_figures "
          f"{ours_t * 1000 / pages:.3f} ms, with parsed fields {ours_p * 1000 / pages:.3f} ms")
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parent.parent / ".." / "shared" / "corpus")
    args = ap.parse_args(argv)
    ok = _measure("generated", build_pdf(args.pages), args.rounds)
    import pymupdf

    for name in ("lessig-2004-free-culture-352p.pdf", "who-2022-hcv-children-adolescents-guidelines-155p.pdf"):
        path = args.corpus / "pdf" / name
        if path.exists():
            doc = pymupdf.open(path)
            if args.pages < len(doc):
                doc.select(list(range(min(len(doc), max(args.pages, 1)))))
            ok &= _measure(name.split("-")[0] + " (corpus PDF)", doc, args.rounds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
