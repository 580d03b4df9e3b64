"""``annotator new DOC -o FILE``: create an annotation file holding a document (optionally pre-annotated)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from annotator.core.errors import UserError

NAME = "new"
HELP = "Create an annotation file holding a document; --accept-suggestions pre-annotates every figure."


def register(parser) -> None:
    parser.add_argument("document", metavar="DOC", help="a PDF, saved web page, text or Markdown file")
    parser.add_argument("-o", "--output", metavar="FILE", required=True, help="annotation file to write (*.annot)")
    parser.add_argument("--author", default="", help="author name recorded on the annotations")
    parser.add_argument("--accept-suggestions", action="store_true",
                        help="add every suggested figure and speaker as confirmed annotations")
    parser.add_argument("--suggest", action="store_true",
                        help="add every suggestion as 'suggested', to accept or reject in the app")
    parser.add_argument("--password", metavar="PW", default=None, help="password of an encrypted PDF")
    parser.add_argument("--json", action="store_true", help="print a JSON summary")


def _quads_for(doc):
    """Quads of a span for paged documents (page text index per page, built on demand)."""
    if not doc.pages or doc.kind != "pdf":
        return None
    source = doc.open_source()
    starts = [p.start for p in doc.pages]

    def quads_for(start: int, end: int):
        import bisect

        n = max(0, bisect.bisect_right(starts, start) - 1)
        page = doc.pages[n]
        try:
            quads = source.page_text(n).span_quads(start - page.start, end - page.start)
        except Exception:  # a page whose text cannot be mapped: keep offsets and page only
            quads = None
        return n, quads or None

    return quads_for


def run(args) -> int:
    from annotator.commands.detect import load
    from annotator.core.store import AnnotationStore

    out = Path(args.output)
    if out.exists() and out.is_dir():
        raise UserError(f"“{out}” is a folder; give a file name such as article.annot.")
    if out.exists():
        raise UserError(
            f"“{out}” already exists; 'annotator new' never changes an existing file. "
            "Choose another name, or combine files with 'annotator merge'."
        )
    doc = load(args.document, args.password)
    for w in doc.warnings:
        print(f"annotator new: warning: {w}", file=sys.stderr)
    store = AnnotationStore.open(out, author=args.author)
    try:
        doc_id = store.add_document(doc)
        summary = {"file": str(out), "document": {"id": doc_id, "title": doc.title, "sha256": doc.sha256},
                   "figures": 0, "attributions": 0, "speakers_created": 0}
        if args.accept_suggestions or args.suggest:
            from annotator.core.suggest import store_suggestions, suggest

            pages = [{"start": p.start, "end": p.end, "superscripts": p.superscripts} for p in doc.pages] \
                if doc.pages else None
            found = suggest(doc.text, pages)
            rep = store_suggestions(store, doc_id, found, accept=args.accept_suggestions, quads_for=_quads_for(doc))
            summary.update(figures=rep.figures, attributions=rep.attributions,
                           speakers_created=rep.speakers_created,
                           alias_proposals=[list(p) for p in rep.alias_proposals])
    finally:
        store.close()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        extra = ""
        if args.accept_suggestions or args.suggest:
            state = "accepted" if args.accept_suggestions else "suggested"
            extra = f": {summary['figures']} figures {state}, {summary['speakers_created']} speakers"
        print(f"Wrote {out} with “{doc.title or doc.source_name}”{extra}.")
    return 0
