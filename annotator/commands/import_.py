"""``annotator import``: bring annotations made elsewhere into an annotation file.

* ``annotator import w3c EXPORT.jsonld --document DOC -o FILE.annot``: a W3C Web
  Annotation export (this app's come back exactly); DOC is the original document, or an
  annotation file that holds it, matched by SHA-256.
* ``annotator import pdf FILE.annot [--document ID]``: the highlights already in a PDF
  document of the annotation file, added as suggested figures (``--confirmed`` to add
  them as confirmed).
* ``annotator import pdf DOC.pdf -o FILE.annot``: the same, opening the PDF and adding it
  to FILE.annot (created when missing).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from annotator.core.errors import ExportError, PasswordRequired, UserError

NAME = "import"
HELP = "Import annotations: a W3C Web Annotation export, or the highlights already in a PDF."

_SQLITE_MAGIC = b"SQLite format 3\x00"


def register(parser) -> None:
    sub = parser.add_subparsers(dest="source_format", metavar="KIND", required=True)
    w = sub.add_parser("w3c", help="a W3C Web Annotation JSON(-LD) export",
                       description="Import a W3C Web Annotation export into an annotation file.")
    w.add_argument("json", metavar="JSON", help="the exported .jsonld/.json file")
    w.add_argument("--document", "-d", action="append", required=True, metavar="DOC",
                   help="the document the annotations were made on (the original file, or an annotation "
                        "file holding it); repeat for several documents")
    w.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="annotation file to create (or to add to, when it exists)")
    w.add_argument("--author", default="", help="your name, recorded on the document entry")
    w.add_argument("--password", metavar="PW", default=None, help="password of an encrypted PDF")

    p = sub.add_parser("pdf", help="highlights already in a PDF",
                       description="Add the highlights found in a PDF as figures, with their authors and notes.")
    p.add_argument("source", metavar="SOURCE", help="an annotation file holding the PDF, or a PDF file")
    p.add_argument("--document", "-d", metavar="ID_OR_SHA", default=None,
                   help="which PDF of the annotation file (default: every PDF in it)")
    p.add_argument("-o", "--output", metavar="FILE", default=None,
                   help="with a PDF as SOURCE: the annotation file to add it to (created when missing)")
    p.add_argument("--confirmed", action="store_true",
                   help="add the highlights as confirmed figures (default: suggested, for review)")
    p.add_argument("--author", default="", help="your name, recorded on the document entry")
    p.add_argument("--password", metavar="PW", default=None, help="password of an encrypted PDF")


def _is_annotation_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == _SQLITE_MAGIC
    except OSError:
        return False


def _load(path: str, password: str | None):
    from annotator.core.documents import load_document

    try:
        return load_document(path, password=password)
    except PasswordRequired as exc:
        if exc.wrong:
            raise
        raise PasswordRequired(f"{exc} Use --password PW.") from None


def documents_from_annotation_file(path: str | os.PathLike) -> list:
    """The documents held in an annotation file, as loaded documents."""
    from annotator.core.documents import Document, PageInfo
    from annotator.core.store import AnnotationStore

    store = AnnotationStore.open(path, create=False, readonly=True)
    try:
        out = []
        for info in store.documents():
            pages = None
            if info.pages is not None:
                pages = [PageInfo(p["number"], p["start"], p["end"], p.get("width", 0.0), p.get("height", 0.0),
                                  p.get("has_text", True), tuple(map(tuple, p.get("superscripts", ()))))
                         for p in info.pages]
            out.append(Document(kind=info.kind, text=store.document_text(info.id), sha256=info.sha256,
                                data=store.document_bytes(info.id), source_name=info.source_name,
                                title=info.title, metadata=dict(info.metadata), pages=pages,
                                paragraphs=[tuple(p) for p in info.paragraphs]))
        return out
    finally:
        store.close()


@contextlib.contextmanager
def _output_store(path: str, author: str):
    """Open or create the annotation file; a file created here is removed if the import fails."""
    from annotator.core.store import AnnotationStore

    p = Path(path)
    created = not p.exists()
    store = AnnotationStore.open(p, author=author, create=True)
    try:
        yield store
    except BaseException:
        store.close()
        store = None
        if created:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    os.remove(str(p) + suffix)
        raise
    finally:
        if store is not None:
            store.close()


def _run_w3c(args) -> int:
    from annotator.core.importers import import_w3c, read_json

    data = read_json(args.json, Path(args.json).name)  # a bad file is refused before anything is created
    docs = []
    for d in args.document:
        if _is_annotation_file(Path(d)):
            docs.extend(documents_from_annotation_file(d))
        else:
            docs.append(_load(d, args.password))
    with _output_store(args.output, args.author) as store:
        result = import_w3c(data, store, docs, name=Path(args.json).name)
    for w in result.warnings:
        print(f"annotator import: warning: {w}")
    print(f"{result.summary()} Saved in {args.output}")
    return 0


def _import_pdfs(store, doc_ids, status, password) -> list:
    from annotator.core.importers import import_pdf_highlights

    results = []
    errors = []
    for doc_id in doc_ids:
        try:
            results.append(import_pdf_highlights(store, doc_id, status=status, password=password))
        except ExportError as exc:
            if len(doc_ids) == 1:
                raise
            errors.append(str(exc))
    if not results:
        raise ExportError(" ".join(errors))
    return results


def _run_pdf(args) -> int:
    from annotator.core.exports.common import resolve_document
    from annotator.core.store import AnnotationStore

    status = "confirmed" if args.confirmed else "suggested"
    src = Path(args.source)
    if _is_annotation_file(src):
        if args.output:
            raise UserError("SOURCE is already an annotation file: leave out -o.")
        store = AnnotationStore.open(src, author=args.author, create=False)
        try:
            if args.document:
                doc_ids = [resolve_document(store, args.document).id]
            else:
                doc_ids = [d.id for d in store.documents() if d.kind == "pdf"]
                if not doc_ids:
                    raise ExportError(f"“{src.name}” holds no PDF document.")
            results = _import_pdfs(store, doc_ids, status, args.password)
        finally:
            store.close()
        where = src
    else:
        if not args.output:
            raise UserError("Give the annotation file to add the PDF and its highlights to: -o FILE.annot")
        doc = _load(args.source, args.password)
        if doc.kind != "pdf":
            raise ExportError(f"“{src.name}” is not a PDF: only PDF highlights can be imported.")
        with _output_store(args.output, args.author) as store:
            results = _import_pdfs(store, [store.add_document(doc)], status, args.password)
        where = Path(args.output)
    total = sum(r.figures for r in results)
    present = sum(r.already_present for r in results)
    for r in results:
        for w in r.warnings:
            print(f"annotator import: warning: {w}")
    text = f"Imported {total} highlight{'s' if total != 1 else ''} as {status} figures"
    if present:
        text += f" ({present} already marked were skipped)"
    print(f"{text}. Saved in {where}")
    return 0


def run(args) -> int:
    if args.source_format == "w3c":
        return _run_w3c(args)
    return _run_pdf(args)
