"""``annotator text DOC``: print the document text that every offset counts into."""

from __future__ import annotations

import sys

from annotator.core.errors import PasswordRequired

NAME = "text"
HELP = "Print a document's extracted text exactly (the text that offsets from 'annotator detect' count into)."


def register(parser) -> None:
    parser.add_argument("document", metavar="DOC", help="a PDF, saved web page (.html), text or Markdown file")
    parser.add_argument("--password", metavar="PW", default=None, help="password of an encrypted PDF")


def write_text(text: str, stream=None) -> None:
    """Write ``text`` as UTF-8, byte for byte (no newline translation, nothing added)."""
    out = stream if stream is not None else sys.stdout
    buf = getattr(out, "buffer", None)
    if buf is not None:
        out.flush()
        buf.write(text.encode("utf-8"))
        buf.flush()
    else:
        out.write(text)
        out.flush()


def run(args) -> int:
    from annotator.core.documents import load_document

    try:
        doc = load_document(args.document, password=args.password)
    except PasswordRequired as exc:
        if exc.wrong:
            raise
        raise PasswordRequired(f"{exc} Use --password PW.", wrong=False) from None
    write_text(doc.text)
    for warning in doc.warnings:  # e.g. pages without a text layer: say so, scripts see it on stderr
        print(f"annotator text: warning: {warning}", file=sys.stderr)
    return 0
