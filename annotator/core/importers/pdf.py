"""Highlights already in a PDF (made in Acrobat, Okular, Evince, Zotero when saved into
the file, or by this app's PDF export) offered as figures, with their authors and notes.

Text-markup annotations (Highlight, Underline, Squiggly, StrikeOut) are read with
PyMuPDF; their quads are mapped to the characters under them, through the same page
text the app shows (:mod:`annotator.core.pdf`), so each becomes a span of the
document text. The annotation's title (``/T``) is the author, its contents plus any
replies (``/IRT``) the note. Sticky notes, stamps and attachments are not anchored
to text and are not offered.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from annotator.core.anchors import quote_selector, reanchor
from annotator.core.errors import ExportError
from annotator.core.importers.common import ImportResult
from annotator.core.model import Figure, new_id, now

MARKUP_TYPES = ("Highlight", "Underline", "Squiggly", "StrikeOut")
NAME_PREFIX = "annotator:"


@dataclass
class ProposedFigure:
    """A highlight found in a PDF, placed in the document text."""

    start: int
    end: int
    exact: str
    page: int  # 0-based
    quads: list  # display coordinates, like Figure.quads
    author: str
    note: str
    prefix: str = ""
    suffix: str = ""
    created: str = ""  # ISO 8601 UTC
    modified: str = ""
    subtype: str = "Highlight"
    pdf_name: str = ""  # the annotation's /NM
    figure_id: str | None = None  # set when the highlight came from this app's PDF export

    def to_figure(self, document_id: str, status: str = "suggested", **fields) -> Figure:
        """A new Figure record for this highlight (author and times from the PDF)."""
        created = self.created or now()
        return Figure(
            id=self.figure_id or new_id(),
            document_id=document_id,
            start=self.start,
            end=self.end,
            exact=self.exact,
            prefix=self.prefix,
            suffix=self.suffix,
            page=self.page,
            quads=self.quads or None,
            note=self.note,
            author=self.author,
            created=created,
            status=status,
            **fields,
        )


@dataclass
class HighlightScan:
    proposals: list[ProposedFigure] = field(default_factory=list)
    other_annotations: Counter = field(default_factory=Counter)  # e.g. {"Stamp": 1, "Text": 1}
    unplaced: list[str] = field(default_factory=list)  # highlights with no text under them


_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?")


def iso_date(pdf_date: str) -> str:
    """PDF date (``D:20251030102806+01'00'``) -> ISO 8601 UTC, or "" when unreadable."""
    m = _PDF_DATE.match((pdf_date or "").strip())
    if not m:
        return ""
    y, mo, d, h, mi, s, sign, oh, om = m.groups()
    try:
        dt = datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return ""
    if sign in ("+", "-"):
        off = timedelta(hours=int(oh or 0), minutes=int(om or 0))
        dt = dt - off if sign == "+" else dt + off
    return dt.replace(tzinfo=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _page_fields(p) -> tuple[int, int, int]:
    if isinstance(p, dict):
        return p["number"], p["start"], p["end"]
    return p.number, p.start, p.end


def _quads_of(annot) -> list[list[float]]:
    pts = annot.vertices or []
    out = []
    for i in range(0, len(pts) - 3, 4):
        q = []
        for x, y in pts[i : i + 4]:
            q += [float(x), float(y)]
        out.append(q)
    if not out:
        r = annot.rect
        out.append([r.x0, r.y0, r.x1, r.y0, r.x0, r.y1, r.x1, r.y1])
    return out


def _bounds(q: list[float]) -> tuple[float, float, float, float]:
    xs, ys = q[0::2], q[1::2]
    return (min(xs), min(ys), max(xs), max(ys))


def _span_under(page_text, quads: list[list[float]]) -> tuple[int, int] | None:
    lo = hi = None
    for q in quads:
        x0, y0, x1, y1 = _bounds(q)
        # a highlight is often drawn a little taller than its line: trim it towards the
        # middle so that the lines above and below are not caught
        # (horizontal lines only: a vertical quad is rotated text)
        pad = (y1 - y0) * 0.15 if x1 - x0 >= y1 - y0 else 0.0
        span = page_text.span_at_rect((x0, y0 + pad, x1, y1 - pad)) or page_text.span_at_rect((x0, y0, x1, y1))
        if span is None:
            continue
        lo = span[0] if lo is None else min(lo, span[0])
        hi = span[1] if hi is None else max(hi, span[1])
    if lo is None:
        return None
    return lo, hi


def scan_highlights(pdf_bytes: bytes, document_text: str, pages, password: str | None = None,
                    name: str = "document.pdf") -> HighlightScan:
    """Every text-markup annotation of the PDF, placed in ``document_text`` (whose page
    spans are ``pages``: :class:`~annotator.core.documents.PageInfo` or dicts)."""
    from annotator.core.pdf import LOCK, open_pdf

    scan = HighlightScan()
    spans = {}
    for p in pages or ():
        n, s, e = _page_fields(p)
        spans[n] = (s, e)
    source = open_pdf(pdf_bytes, password, name=name, kind="pdf")
    try:
        for n in range(source.page_count):
            with LOCK:
                page = source.doc[n]
                annots = []
                replies: dict[int, list[str]] = {}
                for a in page.annots():
                    kind = a.type[1]
                    if kind in MARKUP_TYPES:
                        annots.append((a.xref, kind, dict(a.info), _quads_of(a)))
                    elif kind != "Popup":
                        irt = getattr(a, "irt_xref", 0)
                        if irt and a.info.get("content"):
                            who = a.info.get("title") or "someone"
                            replies.setdefault(irt, []).append(f"{who}: {a.info['content']}")
                        else:
                            scan.other_annotations[kind] += 1
                nm = {xref: source.doc.xref_get_key(xref, "NM") for xref, *_ in annots}
            if not annots:
                continue
            pt = source.page_text(n)
            base, end = spans.get(n, (None, None))
            for xref, kind, info, page_quads in annots:
                display = source.from_page_quads(n, page_quads)
                span = _span_under(pt, display)
                label = (info.get("content") or kind)[:60]
                if span is None or base is None:
                    scan.unplaced.append(label)
                    continue
                lo, hi = span
                while lo < hi and pt.text[lo].isspace():
                    lo += 1
                while hi > lo and pt.text[hi - 1].isspace():
                    hi -= 1
                start, stop = base + lo, base + hi
                if document_text[start:stop] != pt.text[lo:hi]:
                    # the stored text was extracted differently: find the quote on its page
                    q = quote_selector(pt.text, lo, hi)
                    hit = reanchor(document_text[base:end], q.exact, q.prefix, q.suffix, start_hint=lo)
                    if hit is None:
                        scan.unplaced.append(label)
                        continue
                    start, stop = base + hit.start, base + hit.end
                q = quote_selector(document_text, start, stop)
                note = info.get("content") or ""
                if replies.get(xref):
                    note = "\n".join([note, *replies[xref]]).strip()
                nm_type, nm_value = nm.get(xref, ("null", ""))
                pdf_name = nm_value.strip("()") if nm_type == "string" else ""
                fig_id = pdf_name[len(NAME_PREFIX):] if pdf_name.startswith(NAME_PREFIX) else None
                scan.proposals.append(
                    ProposedFigure(
                        start=start,
                        end=stop,
                        exact=q.exact,
                        prefix=q.prefix,
                        suffix=q.suffix,
                        page=n,
                        quads=pt.span_quads(lo, hi) or display,
                        author=info.get("title") or "",
                        note=note,
                        created=iso_date(info.get("creationDate") or ""),
                        modified=iso_date(info.get("modDate") or ""),
                        subtype=kind,
                        pdf_name=pdf_name,
                        figure_id=fig_id,
                    )
                )
    finally:
        source.close()
    return scan


def pdf_highlights(pdf_bytes: bytes, document_text: str, pages, password: str | None = None,
                   name: str = "document.pdf") -> list[ProposedFigure]:
    """The PDF's highlights as proposed figures (start, end, exact, page, quads, author, note).
    An empty list when it has none."""
    return scan_highlights(pdf_bytes, document_text, pages, password, name).proposals


def _parsed(exact: str) -> dict:
    try:
        from annotator.core.project import parse_fields
    except ImportError:
        return {}
    return {k: v for k, v in parse_fields(exact).items() if v is not None}


def import_pdf_highlights(store, document_id: str, status: str = "suggested",
                          password: str | None = None) -> ImportResult:
    """Add the highlights of a PDF document held in ``store`` as figures (``status``
    "suggested" by default, for the user to confirm). Highlights already marked as figures
    (same span, or exported by this app with the figure's id) are skipped."""
    info = store.document(document_id)
    name = info.source_name or info.title or "document.pdf"
    if info.kind != "pdf":
        raise ExportError(f"“{name}” is not a PDF: only PDF highlights can be imported.")
    scan = scan_highlights(store.document_bytes(document_id), store.document_text(document_id), info.pages,
                           password, name)
    if not scan.proposals:
        if scan.unplaced:
            raise ExportError(
                f"“{name}” has {len(scan.unplaced)} highlight(s), but none covers text that can be read "
                "(scanned page or image?): nothing was imported."
            )
        if scan.other_annotations:
            kinds = ", ".join(f"{n} {k}" for k, n in sorted(scan.other_annotations.items()))
            raise ExportError(
                f"“{name}” has no highlights to import: its annotations ({kinds}) are not attached to text."
            )
        raise ExportError(f"“{name}” has no highlights to import: the PDF carries no annotations.")
    result = ImportResult(documents=[document_id])
    taken = {(f.start, f.end) for f in store.figures(document_id, statuses=())}
    known_ids = {r[0] for r in store.conn.execute("SELECT id FROM figures")}
    with store.transaction():
        for p in scan.proposals:
            if (p.start, p.end) in taken or (p.figure_id and p.figure_id in known_ids):
                result.already_present += 1
                continue
            fig = p.to_figure(document_id, status=status, **_parsed(p.exact))
            fig = store.add(fig.replace(id=fig.id if fig.id not in known_ids else new_id()))
            taken.add((p.start, p.end))
            known_ids.add(fig.id)
            result.figures += 1
            result.figure_ids.append(fig.id)
    for label in scan.unplaced:
        result.warnings.append(f"A highlight (“{label}”) covers no readable text and was skipped.")
    return result
