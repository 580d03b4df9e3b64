"""Adapter: the PDF page view (annotator.qt.pdf_view.PdfView) as a document view of the main window.

The main window talks to every document view through the interface in
:mod:`annotator.qt.views` (code-point offsets into the stored text, :class:`Highlight`
objects). ``PdfView`` speaks pages, quads and colours; this wrapper translates. It opens
the PDF from the bytes stored in the annotation file (the file is self-contained) and
imports PyMuPDF only when a page-based document is shown.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from annotator.core.model import DocumentInfo
from annotator.qt.highlights import Highlight
from annotator.qt.views import Selection

class PdfDocumentView(QWidget):
    selectionChanged = Signal()
    figureActivated = Signal(str)
    message = Signal(str)  # something to tell the user in the status bar

    def __init__(self, parent=None):
        super().__init__(parent)
        from annotator.qt.pdf_view import PdfView

        self.setObjectName("pdfDocumentView")
        self.pdf = PdfView(self)
        self.setFocusProxy(self.pdf)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.pdf)
        self._source = None
        self._pages: list[dict] = []
        self._starts: list[int] = []
        self._text = ""
        self._shown: dict[str, Highlight] = {}
        self._own = None  # (PdfSource, sha256) shown by show_source, closed here
        self.pdf.selectionChanged.connect(self.selectionChanged)
        self.pdf.highlightClicked.connect(self._clicked)
        if hasattr(self.pdf, "textUnavailable"):
            self.pdf.textUnavailable.connect(
                lambda n: self.message.emit(f"Page {n + 1} has no text layer (a scan?): its text cannot be selected."))

    # -- document -----------------------------------------------------------------

    def show_source(self, source, sha256: str) -> None:
        """Show the pages of a document whose text is still being read (opening a big PDF:
        page 1 at once). The view owns ``source`` from now on and closes it when done with it."""
        self.clear()
        self.pdf.set_source(source)
        self._own = (source, sha256)

    def set_document(self, info: DocumentInfo, text: str, data: bytes | None = None,
                     password: str | None = None) -> None:
        own = self._own
        if own is not None and own[1] == info.sha256 and self.pdf.source() is own[0]:
            # the pages are on screen already (show_source): add the text spans, keep the reader's place
            self.pdf.set_pages(info.pages or [], text)
        else:
            self.pdf.set_document(info, text, data, password)  # may raise PasswordRequired; view unchanged then
            self._close_own()
        self._pages = sorted(info.pages or [], key=lambda p: p["start"])
        self._starts = [p["start"] for p in self._pages]
        self._text = text
        self._shown = {}

    def clear(self) -> None:
        self.pdf.clear()
        self._close_own()
        self._pages, self._starts, self._text, self._shown = [], [], "", {}

    def _close_own(self) -> None:
        own, self._own = self._own, None
        if own is not None:
            if self.pdf.source() is own[0]:
                self.pdf.set_source(None)
            own[0].close()

    # -- geometry -------------------------------------------------------------------

    def _page_at(self, offset: int) -> dict | None:
        if not self._pages:
            return None
        return self._pages[max(0, bisect.bisect_right(self._starts, offset) - 1)]

    def span_geometry(self, start: int, end: int) -> tuple[int, list] | None:
        """(page, quads) of document span ``[start, end)`` (its part on its first page)."""
        p = self._page_at(start)
        source = self.pdf.source()
        if p is None or source is None:
            return None
        a, b = start - p["start"], min(end, p["end"]) - p["start"]
        if b <= a:
            return None
        quads = source.page_text(p["number"]).span_quads(a, b)
        return p["number"], [list(q) for q in quads]

    def selection(self) -> Selection | None:
        sel = self.pdf.selection()
        if sel is None:
            return None
        start, end = sel
        if end <= start:
            return None
        page, quads = getattr(sel, "page", None), getattr(sel, "quads", None)
        if page is None:
            pq = self.pdf.selection_quads()
            page, quads = (pq[0], pq[1]) if pq else (None, None)
        return Selection(start, end, page, quads)

    def select_span(self, start: int, end: int) -> None:
        self.pdf.select_document_span(start, end, scroll=False)

    def reveal(self, start: int, end: int, page: int | None = None, select: bool = True) -> None:
        self.pdf.reveal(start, end, page, select)

    # -- highlights ----------------------------------------------------------------------

    def set_highlights(self, highlights: Mapping[str, Highlight], changed: Iterable[str] | None = None) -> None:
        self.pdf.set_highlights(highlights, None if changed is None else list(changed))
        self._shown = highlights  # the mapping itself (a HighlightMap builds a highlight when it is asked for)

    def _clicked(self, key: str) -> None:
        h = self._shown.get(key)
        if h is not None:
            self.figureActivated.emit(h.figure_id)

    # -- find and zoom ------------------------------------------------------------------------

    def find(self, text: str, backward: bool = False, case_sensitive: bool = False) -> bool:
        return self.pdf.find(text, forward=not backward, case_sensitive=case_sensitive)

    def zoom(self, step: int) -> None:
        if step > 0:
            self.pdf.zoom_in()
        elif step < 0:
            self.pdf.zoom_out()
        else:
            self.pdf.set_zoom(1.0)  # the normal size: 100% (fitting the width is View ▸ Fit width)
