"""A fingerprint of what the suggestion pass finds, to check that a speed change changes no result.

For the sample article, every corpus news page and PDF with a text layer (when ../shared/corpus is
there) and a generated news PDF, it runs ``suggest()`` (one process, and with the helper process
for the generated PDF) and prints one SHA-256 per document over every field of every suggestion
(span, text, parsed value, page, each speaker candidate with all its fields), then one over all.

    python scripts/fingerprint.py > before.txt
    ... change the code ...
    python scripts/fingerprint.py | diff before.txt -
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
CORPUS = ROOT.parent / "shared" / "corpus"


def _plain(obj):
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, float):
        return repr(obj)
    return obj


def digest(found) -> str:
    h = hashlib.sha256()
    for s in found:
        h.update(json.dumps(_plain(s), sort_keys=True, ensure_ascii=False, default=str).encode())
        h.update(b"\n")
    return h.hexdigest()[:16]


def documents(pages: int):
    from annotator.core.documents import load_document

    sample = ROOT / "resources" / "sample" / "iran-prison-amnesty-2023.txt"
    if not sample.exists():
        sample = CORPUS / "text" / "iran-prison-amnesty-2023.txt"
    yield sample.name, load_document(sample)
    if CORPUS.exists():
        for p in sorted((CORPUS / "html").glob("*.html")):
            yield p.name, load_document(p)
        for p in sorted((CORPUS / "pdf").glob("*.pdf")):
            try:
                doc = load_document(p)
            except Exception:  # encrypted, damaged, no text layer: nothing to find
                continue
            if doc.text.strip():
                yield p.name, doc
    from _newsgen import make_news_pdf

    pdf = Path(tempfile.mkdtemp(prefix="fingerprint_")) / "news.pdf"
    make_news_pdf(pdf, pages)
    yield f"generated-{pages}p.pdf", load_document(pdf)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300, help="pages of the generated PDF (default 300)")
    args = ap.parse_args(argv)
    from annotator.core.suggest import suggest

    total = hashlib.sha256()
    for name, doc in documents(args.pages):
        pages = [{"start": p.start, "end": p.end, "superscripts": getattr(p, "superscripts", None)}
                 for p in doc.pages] if doc.pages else None
        text = "".join([doc.text[:1], doc.text[1:]])
        found = suggest(text, pages, parallel=False)
        line = f"{name}\t{len(found)}\t{digest(found)}"
        if name.startswith("generated"):
            par = suggest("".join([doc.text[:1], doc.text[1:]]), pages, parallel=True)
            line += f"\tparallel {digest(par)}"
        print(line, flush=True)
        total.update(line.encode())
    print(f"all\t{total.hexdigest()[:16]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
