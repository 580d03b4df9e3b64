"""``annotator export FILE --format FORMAT -o OUT``: write the figures of an annotation
file as CSV, W3C Web Annotations, an annotated PDF, an HTML report or ClaimReview."""

from __future__ import annotations

import sys

from annotator.core.errors import PasswordRequired

NAME = "export"
HELP = "Export the figures of an annotation file (csv, w3c, pdf, html, claimreview)."


def register(parser) -> None:
    from annotator.core.exports import FORMATS

    formats = "; ".join(f"{f.name}: {f.description.rstrip('.')}" for f in FORMATS.values())
    parser.add_argument("file", metavar="FILE", help="the annotation file (.annot)")
    parser.add_argument("--format", "-f", required=True, choices=list(FORMATS), metavar="FORMAT",
                        help=f"one of {', '.join(FORMATS)} ({formats})")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="file to write (for pdf with several PDF documents: an existing folder)")
    parser.add_argument("--document", "-d", metavar="ID_OR_SHA", default=None,
                        help="export one document only: its id, SHA-256 (or a unique prefix) or file name")
    parser.add_argument("--organisation", metavar="NAME", default=None,
                        help="claimreview: the fact-checking organisation (default: the file's 'organisation')")
    parser.add_argument("--organisation-url", metavar="URL", default=None, help="claimreview: its web site")
    parser.add_argument("--password", metavar="PW", default=None, help="pdf: password of an encrypted PDF")


def run(args) -> int:
    from annotator.core.exports import run_export
    from annotator.core.store import AnnotationStore

    settings = {}
    if args.organisation:
        settings["organisation"] = args.organisation
    if args.organisation_url:
        settings["organisation_url"] = args.organisation_url
    if args.password:
        settings["pdf_password"] = args.password
    store = AnnotationStore.open(args.file, create=False, readonly=True)
    try:
        try:
            result = run_export(store, args.format, args.output, document_id=args.document, settings=settings)
        except PasswordRequired as exc:
            if exc.wrong:
                raise
            raise PasswordRequired(f"{exc} Use --password PW.") from None
    finally:
        store.close()
    for w in result.warnings:
        print(f"annotator export: warning: {w}", file=sys.stderr)
    noun = "review" if args.format == "claimreview" else ("highlight" if args.format == "pdf" else "figure")
    print(f"Wrote {result.count} {noun}{'s' if result.count != 1 else ''} to {result.path}")
    return 0
