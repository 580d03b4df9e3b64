"""``annotator detect DOC [--json]``: every figure in a document with its suggested speaker."""

from __future__ import annotations

import json
import sys

from annotator.commands.text import write_text
from annotator.core.errors import PasswordRequired

NAME = "detect"
HELP = "Find every figure in a document and the speaker the text attributes it to."


def register(parser) -> None:
    parser.add_argument("document", metavar="DOC", help="a PDF, saved web page, text or Markdown file")
    parser.add_argument("--json", action="store_true", help="print a JSON array, one object per figure")
    parser.add_argument("--password", metavar="PW", default=None, help="password of an encrypted PDF")
    parser.add_argument("--no-speakers", action="store_true", help="find figures only, no speaker suggestions")


def load(path, password):
    from annotator.core.documents import load_document

    try:
        return load_document(path, password=password)
    except PasswordRequired as exc:
        if exc.wrong:
            raise
        raise PasswordRequired(f"{exc} Use --password PW.", wrong=False) from None


def run(args) -> int:
    from annotator.core.suggest import suggest

    doc = load(args.document, args.password)
    pages = [{"start": p.start, "end": p.end, "superscripts": p.superscripts} for p in doc.pages] if doc.pages else None
    found = suggest(doc.text, pages, speakers=not args.no_speakers)
    for w in doc.warnings:  # pages without a text layer, a repaired file...: scripts see it on stderr
        print(f"annotator detect: warning: {w}", file=sys.stderr)
    if args.json:
        write_text(json.dumps([s.to_json() for s in found], ensure_ascii=False, indent=1) + "\n")
        return 0
    out = []
    for s in found:
        j = s.to_json()
        where = f"p.{s.page + 1} " if s.page is not None else ""
        who = j["speaker"] or "(the document)"
        role = j["speaker_role"]
        value = j["value"]
        unit = f" {j['unit']}" if j["unit"] else ""
        out.append(f"{where}{s.start}-{s.end}\t{s.text!r}\t{value}{unit}\t{role} by {who}")
    out.append(f"{len(found)} figures in {doc.source_name}")
    write_text("\n".join(out) + "\n")
    return 0
