"""Text extraction when a PDF is opened vs raw ``get_text("words")`` (informative; target <= 2x).

Side by side in the same run, alternated in rounds (median of each side):

- generated 1000-page news PDF (``_newsgen.py``): raw = ``pymupdf.open(path)`` +
  ``page.get_text("words")`` on every page; ours = ``annotator.core.pdf.open_pdf(path)`` +
  ``PdfSource.extract_all()`` (the document text and page table the app keeps; built from
  MuPDF's "dict" output with ligatures and soft hyphens handled);
- the same PDF through ``load_document`` (read, sniff, open, extract, paragraphs, SHA-256:
  everything the loading thread does before the document is shown);
- the 352-page corpus book (``../shared/corpus/pdf/lessig-2004-free-culture-352p.pdf``),
  when present: ``load_document`` vs raw open + words.

Run: python benchmarks/bench_extract.py [--pages 1000] [--rounds 3] [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import report  # noqa: E402
from _newsgen import make_news_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BOOK = (ROOT / ".." / "shared" / "corpus" / "pdf" / "lessig-2004-free-culture-352p.pdf").resolve()
TARGET = 2.0


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def side_by_side(pairs: dict, rounds: int) -> dict[str, float]:
    """Run every function once per round, in the given order; median per name."""
    times: dict[str, list[float]] = {k: [] for k in pairs}
    for _ in range(rounds):
        for name, fn in pairs.items():
            times[name].append(_timed(fn))
    return {k: statistics.median(v) for k, v in times.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--book", default=str(BOOK), help="a long real PDF (skipped when absent)")
    ap.add_argument("--quick", action="store_true", help="5 pages, 1 round, no book (smoke test)")
    args = ap.parse_args(argv)
    if args.quick:
        args.pages, args.rounds, args.book = 5, 1, ""

    from annotator.core.documents import load_document
    from annotator.core.pdf import open_pdf, pymupdf

    m = pymupdf()  # imported once, for both sides
    tmp = Path(tempfile.mkdtemp(prefix="bench_extract_"))
    pdf = tmp / "news.pdf"
    make_news_pdf(pdf, args.pages)

    def raw_words(path: Path):
        def run():
            doc = m.open(str(path))
            for page in doc:
                page.get_text("words")
            doc.close()
        return run

    def ours_extract():
        with open_pdf(pdf) as src:
            src.extract_all()

    res = side_by_side({"raw": raw_words(pdf), "extract": ours_extract, "raw2": raw_words(pdf),
                        "load": lambda: load_document(pdf)}, args.rounds)
    raw = statistics.median([res["raw"], res["raw2"]])
    print(f"generated {args.pages} pages ({pdf.stat().st_size / 1e6:.1f} MB); per page: words "
          f"{raw * 1000 / args.pages:.2f} ms, extract_all {res['extract'] * 1000 / args.pages:.2f} ms, "
          f"load_document {res['load'] * 1000 / args.pages:.2f} ms")
    ok = report(f"extract_all, {args.pages} p vs open+get_text words", raw, res["extract"], TARGET, aim=True,
                unit="s", scale=1)
    ok &= report(f"load_document, {args.pages} p vs open+get_text words", raw, res["load"], TARGET, aim=True,
                 unit="s", scale=1)

    book = Path(args.book) if args.book else None
    if book is not None and book.is_file():
        res = side_by_side({"raw": raw_words(book), "load": lambda: load_document(book)}, args.rounds)
        with open_pdf(book) as src:
            n = src.page_count
        print(f"{book.name}: {n} pages; per page: words {res['raw'] * 1000 / n:.2f} ms, "
              f"load_document {res['load'] * 1000 / n:.2f} ms")
        ok &= report(f"load_document, {n}-page corpus book", res["raw"], res["load"], TARGET, unit="s", scale=1, aim=True)
    elif args.book:
        print(f"corpus book not found ({args.book}): skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
