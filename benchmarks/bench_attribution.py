"""Speaker attribution speed: attribute() over real PDF text vs PyMuPDF's get_text("words").

Target (attribution issue): suggesting speakers for the figures of a page must cost well under
reading the page's words with PyMuPDF (~1.4 ms/page); aim < 0.3 ms/page.

Real documents from the shared corpus (Lessig's *Free Culture*, the WHO guidelines, the FAA
rule, the GAO snapshot) are cycled until at least ``--pages`` pages are covered. Text loading
and figure detection happen before timing: the timed part is ``attribute(text, spans)`` for each
document (a fresh engine each time, as the app does on opening a document) against
``page.get_text("words")`` for every page of the same documents, alternated in rounds.

Run: python benchmarks/bench_attribution.py [--pages 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import report, side_by_side  # noqa: E402

import annotator.core.attribution as attribution  # noqa: E402
from annotator.core.attribution import attribute  # noqa: E402
from annotator.core.documents import load_document  # noqa: E402
from annotator.core.figures import detect_figures  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / ".." / "shared" / "corpus" / "pdf"
PDFS = [
    "lessig-2004-free-culture-352p.pdf",
    "who-2022-hcv-children-adolescents-guidelines-155p.pdf",
    "federal-register-2020-17221-faa-boeing-737max-nprm.pdf",
    "gao-23-106826-cybersecurity-strategy-snapshot.pdf",
]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    import pymupdf

    docs = []
    for name in PDFS:
        path = CORPUS / name
        if not path.exists():
            print(f"skipped: {path} is missing")
            continue
        d = load_document(path)
        docs.append((name, d, pymupdf.open(path)))
    if not docs:
        print("no corpus PDFs: nothing to measure")
        return 0
    # cycle through the documents until --pages pages are covered (the last one may be cut short)
    work, pages, figures, chars = [], 0, 0, 0
    while pages < args.pages:
        for name, d, pdf in docs:
            n = min(len(d.pages), args.pages - pages)
            text = d.text if n == len(d.pages) else d.text[: d.pages[n - 1].end]
            spans = [(f.start, f.end) for f in detect_figures(text)]
            work.append((name, text, spans, pdf, n))
            pages += n
            figures += len(spans)
            chars += len(text)
            if pages >= args.pages:
                break
    print(f"{pages} pages, {chars / pages:.0f} characters and {figures / pages:.1f} figures a page "
          f"({', '.join(sorted({w[0] for w in work}))})")

    def raw():
        for _, _, _, pdf, n in work:
            for i in range(n):
                pdf[i].get_text("words")

    def ours():
        for _, text, spans, _, _ in work:
            attribution._LAST[:] = [None, None]  # a fresh reading of each document, as on opening it
            attribute(text, spans)

    raw_t, ours_t = side_by_side(raw, ours, repeat=1, rounds=args.rounds)
    print(f"get_text('words'): {raw_t / pages * 1000:.3f} ms/page   attribute(): {ours_t / pages * 1000:.3f} ms/page")
    ok = report("attribute() vs get_text('words') per page", raw_t / pages, ours_t / pages, target=0.25, aim=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
