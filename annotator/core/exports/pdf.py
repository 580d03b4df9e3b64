"""PDF: a copy of the original PDF carrying one highlight annotation per figure.

The highlights are ordinary PDF text-markup annotations (``/Subtype /Highlight``
with ``/QuadPoints``), so Acrobat, Okular, Evince, Preview, browsers and pypdf all
show them. Each one has

* ``/T`` (title, shown as the author): the person who marked the figure;
* ``/Contents`` (the comment): the figure text, its value, speakers with roles,
  verdict, review status and note, one per line;
* ``/Subj``: "Figure: <verdict>"; ``/NM``: ``annotator:<figure id>`` (so importing
  the exported PDF again recognises its own figures); ``/CreationDate`` and ``/M``
  from the figure's times; a colour per verdict.

Figures marked before quads were stored get quads computed from the page text
(:meth:`annotator.core.pdf.PdfPageText.span_quads`). The original's own annotations
are kept. An encrypted PDF stays encrypted (its password is needed:
``settings["pdf_password"]``).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from annotator.core.anchors import reanchor
from annotator.core.errors import ExportError
from annotator.core.exports.atomic import atomic_write
from annotator.core.exports.common import (
    DocumentItem,
    ExportResult,
    FigureItem,
    collect,
    review_label,
    setting,
    verdict_label,
)

# highlight colours (RGB 0..1) by verdict
COLORS = {
    "unchecked": (1.0, 0.92, 0.23),
    "accurate": (0.55, 0.86, 0.45),
    "inaccurate": (1.0, 0.45, 0.42),
    "misleading": (1.0, 0.7, 0.3),
    "unverifiable": (0.72, 0.62, 0.95),
}
NAME_PREFIX = "annotator:"


def is_pdf(doc) -> bool:
    return doc.kind == "pdf"


def pdf_date(iso: str) -> str | None:
    """ISO 8601 (``2024-05-01T10:00:00.000Z``) -> PDF date (``D:20240501100000Z``)."""
    if not iso:
        return None
    try:
        dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    s = dt.strftime("D:%Y%m%d%H%M%S")
    off = dt.utcoffset()
    if off is None or not off:
        return s + "Z"
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{s}{sign}{minutes // 60:02d}'{minutes % 60:02d}'"


def contents(fi: FigureItem) -> str:
    f = fi.figure
    lines = [f"Figure: {f.exact}"]
    value = f.value_text()
    if value:
        lines.append(f"Value: {value}" + (f" ({f.qualifier})" if f.qualifier else ""))
    if fi.credits:
        lines.append("Speakers: " + fi.speakers_text())
    lines.append(f"Verdict: {verdict_label(f.verdict)}")
    if f.review_status:
        lines.append(f"Review: {review_label(f.review_status)}" + (f" by {f.reviewer}" if f.reviewer else ""))
    if f.note:
        lines.append(f"Note: {f.note}")
    for c in fi.comments:
        lines.append(f"Comment ({c.author or 'someone'}): {c.body}")
    return "\n".join(lines)


def _page_start(doc, n: int) -> int | None:
    for p in doc.pages or ():
        if p["number"] == n:
            return p["start"]
    return None


def display_quads(source, fi: FigureItem, text: str) -> tuple[int, list[list[float]]] | None:
    """(page, quads in display coordinates) for a figure, computing them if not stored."""
    f = fi.figure
    n = fi.page
    if n is None or not 0 <= n < source.page_count:
        return None
    if f.quads:
        return n, [list(map(float, q)) for q in f.quads]
    base = _page_start(fi.document, n)
    if base is None:
        return None
    pt = source.page_text(n)
    s, e = f.start - base, f.end - base
    if pt.text[s:e] != f.exact:
        # the stored text and this PDF's page text disagree (older loader): find the quote
        hit = reanchor(pt.text, f.exact, f.prefix, f.suffix, start_hint=max(0, s))
        if hit is None:
            return None
        s, e = hit.start, hit.end
    quads = pt.span_quads(s, e)
    return (n, quads) if quads else None


def _annotate(source, d: DocumentItem) -> tuple[int, list[str]]:
    from annotator.core.pdf import LOCK, pymupdf

    m = pymupdf()
    written, skipped = 0, []
    for fi in d.figures:
        placed = display_quads(source, fi, d.text)
        if placed is None:
            skipped.append(fi.figure.exact)
            continue
        n, quads = placed
        page_quads = source.to_page_quads(n, quads)
        f = fi.figure
        with LOCK:
            page = source.doc[n]
            qs = [m.Quad(m.Point(q[0], q[1]), m.Point(q[2], q[3]), m.Point(q[4], q[5]), m.Point(q[6], q[7]))
                  for q in page_quads]
            annot = page.add_highlight_annot(quads=qs)
            info = {
                "title": f.author or "annotator",
                "content": contents(fi),
                "subject": f"Figure: {verdict_label(f.verdict)}",
            }
            created, modified = pdf_date(f.created), pdf_date(f.updated)
            if created:
                info["creationDate"] = created
            if modified:
                info["modDate"] = modified
            annot.set_info(**info)
            annot.set_colors(stroke=COLORS.get(f.verdict or "unchecked", COLORS["unchecked"]))
            annot.update()
            source.doc.xref_set_key(annot.xref, "NM", m.get_pdf_str(NAME_PREFIX + f.id))
        written += 1
    return written, skipped


def render(store, d: DocumentItem, password: str | None = None) -> tuple[bytes, int, list[str]]:
    from annotator.core.pdf import LOCK, open_pdf, pymupdf

    doc = d.document
    data = store.document_bytes(doc.id)
    source = open_pdf(data, password or None, name=doc.source_name or "document.pdf", kind="pdf")
    try:
        written, skipped = _annotate(source, d)
        m = pymupdf()
        with LOCK:
            keep = m.PDF_ENCRYPT_KEEP if source.doc.is_encrypted or source.is_encrypted else m.PDF_ENCRYPT_NONE
            out = source.doc.tobytes(garbage=1, deflate=True, encryption=keep)
    finally:
        source.close()
    return out, written, skipped


def _safe_stem(name: str) -> str:
    stem = Path(name).stem or "document"
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", stem)


def export(store, out_path, document_id=None, settings=None) -> ExportResult:
    out = Path(out_path)
    docs = [d for d in collect(store, document_id) if is_pdf(d.document)]
    if not docs:
        if document_id:
            raise ExportError("The PDF export needs a PDF document; this one is not a PDF. Try the HTML report.")
        raise ExportError("This annotation file holds no PDF document: the PDF export needs one.")
    password = setting(settings, "pdf_password") or None
    if len(docs) > 1 and not out.is_dir():
        names = ", ".join(d.document.source_name or d.document.title for d in docs)
        raise ExportError(
            f"This file holds {len(docs)} PDF documents ({names}): choose one (--document), "
            "or give a folder to write one PDF per document."
        )
    warnings: list[str] = []
    total = 0
    path = out
    for d in docs:
        data, written, skipped = render(store, d, password)
        total += written
        if skipped:
            shown = ", ".join(f"“{s}”" for s in skipped[:5]) + (" …" if len(skipped) > 5 else "")
            warnings.append(
                f"{len(skipped)} figure(s) in {d.document.source_name or d.document.title} could not be "
                f"placed on their page and were left out: {shown}."
            )
        if out.is_dir():
            path = out / f"{_safe_stem(d.document.source_name or d.document.title)} (annotated).pdf"
        atomic_write(path, data)
    return ExportResult(out if out.is_dir() else path, total, warnings)
