"""PDF page view: pages laid out vertically, rendered lazily, with highlights and text selection.

The widget knows nothing about the annotation store: the main window feeds it a
:class:`annotator.core.pdf.PdfSource` (``set_source``), the page spans of the document text
when they are known (``set_pages``), and the highlights to draw (``set_highlights``); it
reports what the user does through signals.

Geometry
    Page coordinates are the loader's *display coordinates*: points, rotation applied,
    origin top-left (what ``PdfSource.render`` draws, what ``PdfPageText`` and the stored
    quads use). At zoom 1.0 a point is ``96 / 72`` logical pixels ("actual size" on a 96 dpi
    screen). Content coordinates are logical pixels in the scrolled area.

Rendering
    Only the pages in view are rendered (at device resolution for the current zoom, drawn
    unscaled), plus the next page ahead when the event loop is idle. Big pages at high zoom
    are cut into tiles and only the visible tiles are rendered. Rendered images live in an
    LRU cache bounded in bytes. Rendering is synchronous inside ``paintEvent`` with a time
    budget (a text page takes a few ms); whatever did not fit in the budget is drawn on the
    next pass. PyMuPDF holds the GIL while it renders, so a thread would not help when pages
    are slow (scans: ~100 ms, heavy drawings: ~250 ms): once two pages of a document have
    been slow, its pages are drawn by a worker process (:mod:`annotator.qt.pdf_worker`) and
    shown as they arrive, so scrolling stays smooth.

Turning the view
    ``rotate_view`` turns every page by quarter turns for reading (a page whose content lies
    sideways); page coordinates, quads and offsets do not change.

Selection
    Dragging selects whole words in reading order (the page text's order), from the word
    under the press to the word nearest the pointer, across page breaks too; double-click
    selects a word. Offsets are code points into a page's text; with the page spans they
    become offsets into the document text (page start + offset in page).

Page sizes
    Opening must show page 1 at once, so only page 1's size is read up front; the other
    pages are assumed to have the same size and their real sizes are read a few dozen at a
    time while the event loop is idle (or come with ``set_pages``). When a size differs the
    layout is redone keeping the page in view where it was.
"""

from __future__ import annotations

import bisect
import math
import queue
import re
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPainter,
    QPen,
    QPolygonF,
    QRegion,
    QTransform,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip

from annotator.core.errors import UserError

PX_PER_PT = 96.0 / 72.0  # logical pixels per point at zoom 1.0
GAP = 12  # logical pixels between pages and around them
MIN_ZOOM, MAX_ZOOM = 0.1, 8.0
ZOOM_STEPS = (0.1, 0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
WHOLE_PAGE_MAX_PIXELS = 6_000_000  # above this a page is rendered in tiles
TILE = 1024  # device pixels
CACHE_BYTES = 96 * 1024 * 1024
SLOW_RENDER = 0.060  # seconds: a page slower than this to draw counts as slow
SLOW_RENDERS_FOR_WORKER = 2  # after this many slow pages, draw the document's pages in a worker process
MAX_IN_FLIGHT = 3  # render requests queued at the worker at once
PAINT_BUDGET = 0.050  # seconds of rendering per paint pass (at least one tile is always rendered)
SIZE_PROBE_CHUNK = 64  # page sizes read per idle slice
PRESS_TOLERANCE = 24.0  # points: a press farther than this from any word starts no selection
DOUBLE_CLICK_TOLERANCE = 4.0
MAX_SELECTION_PAGES = 20  # a drag selection reaches at most this many pages beyond the one it started on
HIGHLIGHT_PAGES = 24  # pages whose highlights are kept built (shapes, colours); the others keep only their keys
INDEX_BUDGET = 0.006  # seconds per event-loop turn spent finding which page each highlight is on

BACKGROUND = QColor(0xD4, 0xD6, 0xDA)
PAGE_SHADOW = QColor(0xA4, 0xA7, 0xAD)
SELECTION = QColor(110, 170, 255)
PAGE_SEPARATOR = "\n\n"  # how the loader joins page texts (annotator.core.pdf.PAGE_SEPARATOR)


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class PageSpan:
    """Where one page's text sits in the document text (code points), and its size if known."""

    number: int
    start: int
    end: int
    width: float | None = None
    height: float | None = None
    has_text: bool | None = None


def _page_span(p, index: int) -> PageSpan:
    get = p.get if isinstance(p, dict) else (lambda k, d=None: getattr(p, k, d))
    number = get("number")
    return PageSpan(
        index if number is None else int(number),
        int(get("start")),
        int(get("end")),
        get("width"),
        get("height"),
        get("has_text"),
    )


_COLORS: dict[str, QColor] = {}


def _color(name: str) -> QColor:
    c = _COLORS.get(name)
    if c is None:
        c = _COLORS[name] = QColor(name)
    return c


#: (kind, status, verdict, flagged) of an app highlight -> (fill, underline or None, dashed)
_APP_STYLES: dict[tuple, tuple] = {}


def _app_style(kind: str, status: str, verdict: str, flagged: bool) -> tuple:
    from annotator.qt import highlights as look

    if kind == "evidence":
        fill, line, dashed = _color(look.EVIDENCE_FILL), _color(look.EVIDENCE_LINE), False
    elif status == "suggested":
        fill, line, dashed = _color(look.SUGGESTED_FILL), _color(look.SUGGESTED_LINE), True
    else:
        fill = _color(look.VERDICT_COLORS.get(verdict, look.VERDICT_COLORS["unchecked"]))
        line, dashed = None, False
    if flagged:  # a check that does not compute: a red underline
        line, dashed = _color(look.FLAG_LINE), False
    return fill, line, dashed


def _quad_polygon(q) -> QPolygonF:
    """A quad [ulx, uly, urx, ury, llx, lly, lrx, lry] as a polygon ul-ur-lr-ll."""
    return QPolygonF([QPointF(q[0], q[1]), QPointF(q[2], q[3]), QPointF(q[6], q[7]), QPointF(q[4], q[5])])


def _quads_bounds(quads) -> tuple[float, float, float, float] | None:
    xs, ys = [], []
    for q in quads:
        xs += q[0::2]
        ys += q[1::2]
    if not xs:
        return None
    return (min(xs), min(ys), max(xs), max(ys))


class _Words:
    """Word boxes of one page with their line direction, for hit-testing in Python quickly."""

    def __init__(self, page_text):
        self.text = page_text
        self.words = list(page_text.words)
        lines = list(getattr(page_text, "lines", ()) or ())
        starts = [ln.start for ln in lines]
        self.dirs = []
        for w in self.words:
            i = bisect.bisect_right(starts, w.start) - 1
            self.dirs.append((lines[i].dx, lines[i].dy) if i >= 0 else (1.0, 0.0))
        self.starts = [w.start for w in self.words]

    def nearest(self, x: float, y: float, tolerance: float | None = None) -> int | None:
        """Index of the word under (x, y) or nearest to it (distance across lines weighs more)."""
        best_key = None
        best = None
        for i, w in enumerate(self.words):
            dx = w.x0 - x if x < w.x0 else (x - w.x1 if x > w.x1 else 0.0)
            dy = w.y0 - y if y < w.y0 else (y - w.y1 if y > w.y1 else 0.0)
            if dx == 0.0 and dy == 0.0:
                return i
            ux, uy = self.dirs[i]
            along = abs(dx * ux + dy * uy)
            across = abs(-dx * uy + dy * ux)
            key = across * 4.0 + along
            if best_key is None or key < best_key:
                best_key, best = key, i
        if best is None:
            return None
        if tolerance is not None:
            w = self.words[best]
            dx = max(w.x0 - x, 0.0, x - w.x1)
            dy = max(w.y0 - y, 0.0, y - w.y1)
            if math.hypot(dx, dy) > tolerance:
                return None
        return best


class _Bridge(QObject):
    """Carries "a rendered page arrived" from the worker's reader thread to the GUI thread."""

    arrived = Signal()


class _ImageCache:
    """LRU of rendered images, bounded in bytes."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict = OrderedDict()  # key -> (QImage, samples, nbytes)

    def get(self, key):
        hit = self._items.get(key)
        if hit is None:
            return None
        self._items.move_to_end(key)
        return hit[0]

    def __contains__(self, key) -> bool:
        return key in self._items

    def put(self, key, image: QImage, samples, keep: set) -> None:
        n = image.sizeInBytes()
        old = self._items.pop(key, None)
        if old is not None:
            self.bytes -= old[2]
        self._items[key] = (image, samples, n)
        self.bytes += n
        # evict the least recently used, sparing what is on screen now
        if self.bytes > self.max_bytes:
            for k in list(self._items):
                if self.bytes <= self.max_bytes:
                    break
                if k in keep or k == key:
                    continue
                self.bytes -= self._items.pop(k)[2]

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)


class _Highlight:
    """One highlight on one page. Its shape is the stored quads, or, for a highlight known only
    by its text span, the quads of that span (worked out when its page is first shown)."""

    __slots__ = ("id", "figure_id", "page", "quads", "span", "color", "line", "dashed", "tooltip", "order",
                 "_polys", "_bounds")

    def __init__(self, hid: str, page: int, quads, color, tooltip, *, figure_id: str | None = None,
                 span: tuple[int, int] | None = None, line=None, dashed: bool = False, order: tuple = ()):
        self.id = hid
        self.figure_id = figure_id if figure_id is not None else hid
        self.page = page
        self.quads = quads  # display-coordinate quads, or None: from ``span`` (page-local offsets)
        self.span = span
        self.color = color
        self.line = line  # underline colour, or None
        self.dashed = dashed
        self.tooltip = tooltip  # text, or a callable working it out when first shown
        self.order = order
        self._polys = None
        self._bounds = None

    def resolve(self, view: "PdfView") -> None:
        if self.quads is None:
            words = view._page_words(self.page) if self.span else None
            self.quads = words.text.span_quads(*self.span) if words is not None else []

    def polys(self, view: "PdfView") -> list[QPolygonF]:
        if self._polys is None:
            self.resolve(view)
            self._polys = [_quad_polygon(q) for q in self.quads]
        return self._polys

    def bounds(self, view: "PdfView") -> tuple[float, float, float, float]:
        if self._bounds is None:
            self.resolve(view)
            self._bounds = _quads_bounds(self.quads) or (0.0, 0.0, -1.0, -1.0)
        return self._bounds


# --------------------------------------------------------------------------- the view


class PdfView(QAbstractScrollArea):
    """Scrollable view of a PDF's pages with highlights and word-wise text selection."""

    selectionChanged = Signal()
    highlightClicked = Signal(str)
    figureActivated = Signal(str)  # figure id of the highlight clicked (annotator.qt.views protocol)
    pageChanged = Signal(int)
    zoomChanged = Signal(float)
    # the user tried to select text on a page without a text layer (page number, 0-based)
    textUnavailable = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("pdfView")
        self.setFocusPolicy(Qt.StrongFocus)
        self.setFrameShape(QAbstractScrollArea.NoFrame)
        self.viewport().setMouseTracking(True)
        self.viewport().setAutoFillBackground(False)
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        self.viewport().setAttribute(Qt.WA_OpaquePaintEvent)
        self.verticalScrollBar().setSingleStep(40)
        self.horizontalScrollBar().setSingleStep(40)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self.viewport().update())

        self._source = None
        self._count = 0
        self._sizes: list[tuple[float, float]] = []  # points, display orientation
        self._size_known: bytearray = bytearray()
        self._spans: list[PageSpan] | None = None
        self._span_starts: list[int] = []
        self._span_of_page: dict[int, PageSpan] = {}
        self._doc_text: str | None = None
        self._zoom = 1.0
        self._fit_width = True
        self._rotation = 0  # extra clockwise rotation of the view (degrees), on top of the pages' own
        self._tops: list[int] = []  # content y of each page's top edge (logical px)
        self._heights: list[int] = []
        self._widths: list[int] = []
        self._content_w = 0
        self._content_h = 0

        self._cache = _ImageCache(CACHE_BYTES)
        self._failed: dict[int, str] = {}  # page -> error message
        self._words: OrderedDict[int, _Words] = OrderedDict()
        self._text_cache_size = 8

        # highlights given as a mapping (the app's): only their keys are indexed by page; a page's
        # highlights are built when it is first painted (a few pages are kept built)
        self._hl_mapping = None  # the last mapping given to set_highlights (app highlights)
        self._page_keys: dict[int, list[str]] = {}  # page -> keys of the mapping's highlights drawn on it
        self._key_pages: dict[str, tuple[int, ...]] = {}  # key -> the pages it is drawn on
        self._built: OrderedDict[int, list[_Highlight]] = OrderedDict()  # page -> built, in paint order (LRU)
        self._index_todo = None  # iterator over the highlights not indexed yet (done over a few turns)
        self._index_skip: set[str] = set()  # keys changed while the index was being built
        self._index_timer = QTimer(self)
        self._index_timer.setSingleShot(True)
        self._index_timer.setInterval(0)
        self._index_timer.timeout.connect(self._index_step)
        # highlights given as tuples (``set_highlights`` with an iterable, ``update_highlight``): built at once
        self._fixed: dict[int, list[_Highlight]] = {}
        self._hl_by_id: dict[str, list[_Highlight]] = {}  # id -> its pieces (one per page)
        self._owned = None  # a source this view opened itself (set_document) and closes

        # the selection: ((page, start, end), ...) page-local offsets, one entry per page, in order
        self._sel: tuple | None = None
        self._sel_quads: dict = {}
        self._press: tuple | None = None  # (viewport pos, page, word index | None)
        self._dragging = False
        self._anchor_word: int | None = None

        self._current = 0
        self._forced_current: int | None = None
        self._programmatic_scroll = False
        self._probe_next = 0

        self._prefetch_timer = QTimer(self)
        self._prefetch_timer.setSingleShot(True)
        self._prefetch_timer.setInterval(15)
        self._prefetch_timer.timeout.connect(self._prefetch)
        self._probe_timer = QTimer(self)
        self._probe_timer.setSingleShot(True)
        self._probe_timer.setInterval(0)
        self._probe_timer.timeout.connect(self._probe_sizes)
        self._bg_mode = "auto"
        self._worker = None  # pdf_worker.RenderWorker of the current document, when pages are slow
        self._worker_failed = False
        self._slow_renders = 0
        self._generation = 0  # bumped per document: results of an old worker are dropped
        self._pending: dict[int, tuple] = {}  # request id -> cache key
        self._pending_keys: set = set()
        self._req_seq = 0
        self._results: queue.SimpleQueue = queue.SimpleQueue()
        self._bridge = _Bridge(self)
        self._bridge.arrived.connect(self._drain_results, Qt.QueuedConnection)
        self._drag_pos: QPoint | None = None
        self._autoscroll_timer = QTimer(self)
        self._autoscroll_timer.setInterval(40)
        self._autoscroll_timer.timeout.connect(self._autoscroll)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._refit)

    # ================================================================ document

    def set_source(self, source, pages: list | None = None, text: str | None = None) -> None:
        """Show ``source`` (a ``PdfSource``) from page 1. ``pages``/``text``: see :meth:`set_pages`.

        ``set_source(None)`` empties the view: do it before closing the source it showed."""
        if self._owned is not None and self._owned is not source:
            self._owned.close()
            self._owned = None
        self._stop_worker()
        self._worker_failed = False
        self._slow_renders = 0
        self._source = source
        self._cache.clear()
        self._failed.clear()
        self._words.clear()
        self._clear_highlights()
        self._sel = None
        self._sel_quads = {}
        self._sel_quad_lists = {}
        self._press = None
        self._dragging = False
        self._spans = None
        self._span_starts = []
        self._span_of_page = {}
        self._doc_text = None
        self._current = 0
        self._forced_current = None
        self._probe_timer.stop()
        self._prefetch_timer.stop()
        if source is None:
            self._count = 0
            self._sizes = []
            self._size_known = bytearray()
        else:
            self._count = int(source.page_count)
            first = tuple(source.page_size(0)) if self._count else (0.0, 0.0)
            self._sizes = [first] * self._count
            self._size_known = bytearray(self._count)
            if self._count:
                self._size_known[0] = 1
            self._probe_next = 1
        if pages is not None:
            self._apply_pages(pages, text)
        if self._fit_width:
            self._zoom = self._fit_zoom()
        # set while hidden (the window fills its views before showing them), the viewport has no real
        # size yet: the first refit once shown starts again from the top of page 1
        self._first_fit_pending = source is not None and not self.isVisible()
        self._relayout(keep_view=False)
        self._set_scroll(0, 0)
        if source is not None and self._probe_next < self._count:
            self._probe_timer.start()
        self.viewport().update()
        self.selectionChanged.emit()
        self.pageChanged.emit(0)

    def source(self):
        return self._source

    def set_pages(self, pages, text: str | None = None) -> None:
        """Page spans of the document text (``PageInfo`` objects or dicts with number/start/end,
        and optionally width/height/has_text), known after text extraction. With ``text`` (the
        whole document text) :meth:`find` searches it directly instead of page by page."""
        self._apply_pages(pages, text)
        self._relayout(keep_view=True)
        if self._hl_mapping is not None:
            self.set_highlights(self._hl_mapping)
        self.viewport().update()

    def _apply_pages(self, pages, text: str | None) -> None:
        spans = [_page_span(p, i) for i, p in enumerate(pages)] if pages is not None else None
        if spans is not None:
            spans.sort(key=lambda s: s.number)
        self._spans = spans
        self._span_starts = [s.start for s in spans] if spans else []
        self._span_of_page = {s.number: s for s in spans} if spans else {}
        if text is not None:
            self._doc_text = text
        for s in spans or ():
            if 0 <= s.number < self._count and s.width and s.height:
                self._sizes[s.number] = (float(s.width), float(s.height))
                self._size_known[s.number] = 1

    def page_count(self) -> int:
        return self._count

    def page_size(self, n: int) -> tuple[float, float]:
        """Size of page ``n`` in points as displayed (rotation applied)."""
        self._ensure_size(n)
        return self._sizes[n]

    def page_has_text(self, n: int) -> bool:
        """Whether page ``n`` has a text layer (text can be selected on it)."""
        if self._spans is not None and 0 <= n < len(self._spans) and self._spans[n].has_text is not None:
            return bool(self._spans[n].has_text)
        words = self._page_words(n)
        return words is not None and bool(words.words)

    # ---------------------------------------------------------------- annotator.qt.views protocol

    def set_document(self, info, text: str, data: bytes | None = None, password: str | None = None) -> None:
        """Show a stored document (:class:`annotator.core.model.DocumentInfo`, its text and original
        bytes). Raises ``PasswordRequired`` / ``DocumentError`` from the loader; the view is left
        as it was then."""
        from annotator.core.errors import DocumentError
        from annotator.core.pdf import open_pdf

        if not data:
            raise DocumentError(f"The pages of {info.source_name} cannot be drawn: the file's bytes are missing.")
        src = open_pdf(data, password, name=info.source_name, kind=info.kind or "pdf")
        self.set_source(src, info.pages, text)
        self._owned = src

    def clear(self) -> None:
        """Show nothing."""
        self.set_source(None)

    def reveal(self, start: int, end: int, page: int | None = None, select: bool = True) -> None:
        """Scroll so that document offsets [start, end) are in view, and select them if ``select``."""
        segs = self._segments(start, end)
        if not segs:
            if page is not None:
                self.go_to_page(page)
            return
        if select:
            self.select_document_span(start, end, scroll=False)
        n, a, b = segs[0]
        words = self._page_words(n)
        self.scroll_to(n, words.text.span_quads(a, b) if words else None)

    # ================================================================ layout

    def _scale(self) -> float:
        """Logical pixels per point."""
        return self._zoom * PX_PER_PT

    def _device_scale(self) -> float:
        return self._scale() * self.devicePixelRatioF()

    def _view_size(self, n: int) -> tuple[float, float]:
        """Size of page n in points as the view shows it (view rotation applied)."""
        w, h = self._sizes[n]
        return (w, h) if self._rotation % 180 == 0 else (h, w)

    def _xform(self, n: int) -> QTransform:
        """Page points (display coordinates) -> view points of page n (unscaled, origin top-left)."""
        w, h = self._sizes[n]
        r = self._rotation
        if r == 90:
            return QTransform(0, 1, -1, 0, h, 0)
        if r == 180:
            return QTransform(-1, 0, 0, -1, w, h)
        if r == 270:
            return QTransform(0, -1, 1, 0, 0, w)
        return QTransform()

    def _relayout(self, keep_view: bool = True) -> None:
        anchor = self._view_anchor() if keep_view and self._tops else None
        s = self._scale()
        sizes = self._sizes if self._rotation % 180 == 0 else [(h, w) for w, h in self._sizes]
        self._widths = [max(1, math.ceil(w * s - 0.001)) for w, _h in sizes]
        self._heights = [max(1, math.ceil(h * s - 0.001)) for _w, h in sizes]
        self._tops = [GAP + t for t in accumulate((h + GAP for h in self._heights), initial=0)][:-1] if self._count else []
        self._content_w = (max(self._widths) if self._widths else 0) + 2 * GAP
        self._content_h = (self._tops[-1] + self._heights[-1] + GAP) if self._count else 0
        self._update_scrollbars()
        if anchor is not None:
            self._restore_anchor(anchor)

    def _update_scrollbars(self) -> None:
        vp = self.viewport().size()
        vb, hb = self.verticalScrollBar(), self.horizontalScrollBar()
        self._programmatic_scroll = True
        try:
            vb.setRange(0, max(0, self._content_h - vp.height()))
            vb.setPageStep(max(1, vp.height()))
            # fitting the width, every page is centred in the view and there is nothing to scroll
            # sideways: a page wider than the one fitted (a cover, a landscape table) overflows
            # both edges alike instead of pushing the others aside with a scroll bar
            hb.setRange(0, 0 if self._fit_width else max(0, self._content_w - vp.width()))
            hb.setPageStep(max(1, vp.width()))
        finally:
            self._programmatic_scroll = False

    def _view_anchor(self, at: QPoint | None = None):
        """(page, x fraction, y fraction, viewport point) of a viewport point, to keep it in place."""
        if not self._count:
            return None
        vp = at if at is not None else QPoint(self.viewport().width() // 2, 0)
        cy = self.verticalScrollBar().value() + vp.y()
        i = max(0, bisect.bisect_right(self._tops, cy) - 1)
        fy = (cy - self._tops[i]) / self._heights[i]
        x0 = self._page_x(i)
        fx = (vp.x() - x0) / self._widths[i]
        return (i, fx, fy, vp)

    def _restore_anchor(self, anchor) -> None:
        i, fx, fy, vp = anchor
        i = min(i, self._count - 1)
        y = self._tops[i] + fy * self._heights[i] - vp.y()
        hb = self.horizontalScrollBar()
        # _page_x depends on the horizontal scroll value: solve for it
        base_x = self._page_x_at(i, 0)
        x = base_x + fx * self._widths[i] - vp.x()
        self._set_scroll(round(x) if hb.maximum() > 0 else 0, round(y))

    def _page_x_at(self, i: int, hscroll: int) -> int:
        vw = self.viewport().width()
        if self._content_w <= vw or self._fit_width:
            return (vw - self._widths[i]) // 2
        return GAP + (self._content_w - 2 * GAP - self._widths[i]) // 2 - hscroll

    def _page_x(self, i: int) -> int:
        return self._page_x_at(i, self.horizontalScrollBar().value())

    def _page_rect(self, i: int) -> QRect:
        """Page ``i`` in viewport coordinates."""
        return QRect(self._page_x(i), self._tops[i] - self.verticalScrollBar().value(), self._widths[i], self._heights[i])

    def _visible_pages(self, margin: int = 0) -> range:
        if not self._count:
            return range(0)
        top = self.verticalScrollBar().value() - margin
        bottom = top + self.viewport().height() + 2 * margin
        first = max(0, bisect.bisect_right(self._tops, top) - 1)
        if self._tops[first] + self._heights[first] < top:
            first += 1
        last = max(first, bisect.bisect_left(self._tops, bottom) - 1)
        return range(first, min(self._count, last + 1))

    def _set_scroll(self, x: int, y: int) -> None:
        self._programmatic_scroll = True
        try:
            self.horizontalScrollBar().setValue(x)
            self.verticalScrollBar().setValue(y)
        finally:
            self._programmatic_scroll = False
        if not self._in_size_check:
            self._in_size_check = True
            try:
                self._ensure_visible_sizes()
            finally:
                self._in_size_check = False
        self._update_current()

    _in_size_check = False

    def _ensure_size(self, n: int) -> None:
        if self._size_known[n]:
            return
        self._size_known[n] = 1
        size = tuple(self._source.page_size(n))
        if size != self._sizes[n]:
            self._sizes[n] = size
            self._relayout(keep_view=True)

    def _ensure_visible_sizes(self) -> None:
        """Read the real sizes of the pages in view (and the next one) if not known yet."""
        vis = self._visible_pages()
        if not vis:
            return
        unknown = [n for n in range(vis[0], min(self._count, vis[-1] + 2)) if not self._size_known[n]]
        if not unknown:
            return
        changed = False
        for n in unknown:
            self._size_known[n] = 1
            size = tuple(self._source.page_size(n))
            if size != self._sizes[n]:
                self._sizes[n] = size
                changed = True
        if changed:
            self._relayout(keep_view=True)

    def _probe_sizes(self) -> None:
        """Read the real size of a few pages (idle time); redo the layout if one differs."""
        if self._source is None:
            return
        changed = False
        end = min(self._count, self._probe_next + SIZE_PROBE_CHUNK)
        for n in range(self._probe_next, end):
            if self._size_known[n]:
                continue
            self._size_known[n] = 1
            size = tuple(self._source.page_size(n))
            if size != self._sizes[n]:
                self._sizes[n] = size
                changed = True
        self._probe_next = end
        if changed:
            self._relayout(keep_view=True)
            self.viewport().update()
        if self._probe_next < self._count:
            self._probe_timer.start()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit_width and self._count:
            self._fit_timer.start()
        else:
            self._relayout(keep_view=True)

    _first_fit_pending = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._first_fit_pending and self._count:
            self._fit_timer.start()

    def _refit(self) -> None:
        """Fit the width again after a resize, keeping the top of the view where it was (a page
        read from its top stays so; the centre of the old layout may lie pages further down)."""
        if not self._count:
            return
        if self._first_fit_pending and self.isVisible():
            self._first_fit_pending = False
            if self._fit_width:
                self._zoom = self._fit_zoom()
            self._relayout(keep_view=False)
            self._set_scroll(0, 0)
            self.viewport().update()
            self.zoomChanged.emit(self._zoom)
            return
        if self._fit_width:
            z = self._fit_zoom()
            if abs(z - self._zoom) > 1e-6:
                self._apply_zoom(z, QPoint(self.viewport().width() // 2, 0))
            else:
                self._relayout(keep_view=True)

    # ================================================================ zoom

    def zoom(self, step: int | None = None) -> float:
        """Without ``step``: the zoom factor (1.0 = actual size). With it (the views protocol): zoom
        in (step > 0), out (step < 0), or back to the width of the view (0)."""
        if step is not None:
            if step > 0:
                self.zoom_in()
            elif step < 0:
                self.zoom_out()
            else:
                self.fit_width()
        return self._zoom

    def zoom_factor(self) -> float:
        return self._zoom

    def set_zoom(self, factor: float) -> None:
        """Zoom to ``factor`` (1.0 = actual size), keeping the middle of the view in place."""
        self._apply_zoom(factor, None, fit=False)

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self._zoom * 1.001), MAX_ZOOM))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < self._zoom * 0.999), MIN_ZOOM))

    def fit_width(self) -> None:
        """Zoom so the current page fills the width of the view (kept when the view is resized)."""
        self._fit_width = True
        self._apply_zoom(self._fit_zoom(), None)

    def _fit_zoom(self) -> float:
        if not self._count:
            return self._zoom
        w = self.viewport().width() - 2 * GAP
        vb = self.verticalScrollBar()
        if not vb.isVisibleTo(self) and self.verticalScrollBarPolicy() == Qt.ScrollBarAsNeeded and self._count > 1:
            # the scroll bar is about to appear: fit the width that will be left
            w -= vb.sizeHint().width()
        page_w = self._view_size(min(self._current, self._count - 1))[0]
        return max(MIN_ZOOM, min(MAX_ZOOM, w / (page_w * PX_PER_PT))) if page_w > 0 else 1.0

    def _apply_zoom(self, factor: float, at: QPoint | None, fit: bool | None = None) -> None:
        """Zoom to ``factor`` keeping the point ``at`` (the middle when None) in place; ``fit``:
        fitting the width from now on or not (None: unchanged)."""
        factor = max(MIN_ZOOM, min(MAX_ZOOM, float(factor)))
        if not self._count:
            self._zoom = factor
            if fit is not None:
                self._fit_width = fit
            return
        if at is None:
            vp = self.viewport()
            at = QPoint(vp.width() // 2, vp.height() // 2)
        anchor = self._view_anchor(at)  # with the layout it is taken from (centred or not)
        if fit is not None:
            self._fit_width = fit
        changed = abs(factor - self._zoom) > 1e-9
        self._zoom = factor
        self._relayout(keep_view=False)
        if anchor is not None:
            self._restore_anchor(anchor)
        self.viewport().update()
        if changed:
            self.zoomChanged.emit(self._zoom)

    def view_rotation(self) -> int:
        return self._rotation

    def set_view_rotation(self, degrees: int) -> None:
        """Turn every page of the view by ``degrees`` clockwise (0, 90, 180 or 270), e.g. to read a
        page whose content lies sideways. Page coordinates (quads, selection) are unaffected."""
        degrees = int(degrees) % 360
        if degrees % 90:
            raise ValueError("the view turns by multiples of 90 degrees")
        if degrees == self._rotation or not self._count:
            self._rotation = degrees
            return
        page = self._current
        self._rotation = degrees
        if self._fit_width:
            self._zoom = self._fit_zoom()
        self._relayout(keep_view=False)
        self.go_to_page(page)

    def rotate_view(self, degrees: int = 90) -> None:
        """Turn the view by ``degrees`` clockwise (negative: anticlockwise)."""
        self.set_view_rotation(self._rotation + degrees)

    # ================================================================ navigation

    def current_page(self) -> int:
        return self._current

    def go_to_page(self, n: int) -> None:
        if not self._count:
            return
        n = max(0, min(self._count - 1, int(n)))
        self._ensure_size(n)
        self._set_scroll(self.horizontalScrollBar().value(), self._tops[n] - GAP // 2)
        self._ensure_visible_sizes()
        self._forced_current = n
        self._update_current()
        self.viewport().update()

    def next_page(self) -> None:
        self.go_to_page(self._current + 1)

    def previous_page(self) -> None:
        # from the middle of a page, go back to its top first
        if self._count and self.verticalScrollBar().value() > self._tops[self._current] - GAP // 2 + 2 and self._forced_current is None:
            self.go_to_page(self._current)
        else:
            self.go_to_page(self._current - 1)

    def first_page(self) -> None:
        self.go_to_page(0)

    def last_page(self) -> None:
        self.go_to_page(self._count - 1)

    def scroll_to(self, page: int, quads=None) -> None:
        """Bring page ``page`` (or the part of it covered by ``quads``) into view."""
        if not self._count or not 0 <= page < self._count:
            return
        self._ensure_size(page)
        b = _quads_bounds(quads) if quads else None
        if b is None:
            self.go_to_page(page)
            return
        if self._rotation:
            r = self._xform(page).mapRect(QRectF(b[0], b[1], b[2] - b[0], b[3] - b[1]))
            b = (r.left(), r.top(), r.right(), r.bottom())
        s = self._scale()
        vb, hb = self.verticalScrollBar(), self.horizontalScrollBar()
        vp = self.viewport()
        y0 = self._tops[page] + b[1] * s
        y1 = self._tops[page] + b[3] * s
        top = vb.value()
        y = top
        if y0 < top + GAP or y1 > top + vp.height() - GAP:
            y = round((y0 + y1) / 2 - vp.height() / 2)
        x = hb.value()
        if hb.maximum() > 0:
            px = self._page_x_at(page, 0)
            x0, x1 = px + b[0] * s, px + b[2] * s
            if x0 < x + GAP or x1 > x + vp.width() - GAP:
                x = round((x0 + x1) / 2 - vp.width() / 2)
        self._set_scroll(x, y)
        self._forced_current = None
        self._update_current()
        self.viewport().update()

    def _on_scrolled(self, _value: int) -> None:
        if not self._programmatic_scroll:
            self._forced_current = None
            self._ensure_visible_sizes()
        self._update_current()
        self.viewport().update()

    def _update_current(self) -> None:
        if not self._count:
            return
        if self._forced_current is not None:
            cur = self._forced_current
        else:
            y = self.verticalScrollBar().value() + self.viewport().height() // 3
            cur = max(0, min(self._count - 1, bisect.bisect_right(self._tops, y) - 1))
        if cur != self._current:
            self._current = cur
            self.pageChanged.emit(cur)

    # ================================================================ rendering

    def _tiles(self, n: int, ds: float) -> list[tuple[int, int, int, int]]:
        """Device-pixel rects (x0, y0, x1, y1) of the tiles of page n at device scale ds."""
        w, h = self._view_size(n)
        W, H = max(1, math.ceil(w * ds - 0.001)), max(1, math.ceil(h * ds - 0.001))
        if W * H <= WHOLE_PAGE_MAX_PIXELS:
            return [(0, 0, W, H)]
        return [(x, y, min(W, x + TILE), min(H, y + TILE)) for y in range(0, H, TILE) for x in range(0, W, TILE)]

    def _render(self, n: int, ds: float, tile, whole: bool) -> QImage | None:
        key = self._key(n, ds, tile)
        img = self._cache.get(key)
        if img is not None or n in self._failed:
            return img
        clip = None if whole else self._clip(n, ds, tile)
        t0 = time.perf_counter()
        try:
            if clip is None:
                w, h, stride, samples, fmt = self._source.render(n, ds)
            else:
                w, h, stride, samples, fmt = self._source.render(n, ds, clip=clip)
        except UserError as exc:
            self._failed[n] = str(exc)
            return None
        if time.perf_counter() - t0 > SLOW_RENDER:
            self._slow_renders += 1
        return self._store(key, w, h, stride, samples, fmt)

    def _clip(self, n: int, ds: float, tile) -> tuple[float, float, float, float]:
        """A tile (device pixels of the view) as a clip rect in page points."""
        clip = QRectF(tile[0] / ds, tile[1] / ds, (tile[2] - tile[0]) / ds, (tile[3] - tile[1]) / ds)
        if self._rotation:
            clip = self._xform(n).inverted()[0].mapRect(clip)
        return (clip.left(), clip.top(), clip.right(), clip.bottom())

    def _store(self, key, w, h, stride, samples, fmt) -> QImage:
        qfmt = QImage.Format_RGBA8888 if fmt == "RGBA8888" else QImage.Format_RGB888
        img = QImage(samples, w, h, stride, qfmt)
        rotation = key[2]
        if rotation:
            # turning by a multiple of 90 degrees moves pixels exactly (no resampling)
            img = img.transformed(QTransform().rotate(rotation))
            samples = None
        img.setDevicePixelRatio(self.devicePixelRatioF())
        self._cache.put(key, img, samples, self._on_screen_keys)
        return img

    # ---------------------------------------------------------------- rendering in a worker process

    def set_background_rendering(self, mode: str) -> None:
        """"auto" (default): pages are drawn in a worker process once the document's pages prove
        slow (scans, heavy drawings), so scrolling stays smooth; "always"; or "never"."""
        if mode not in ("auto", "always", "never"):
            raise ValueError(f"unknown background rendering mode {mode!r}")
        self._bg_mode = mode
        if mode == "never":
            self._stop_worker()
        self.viewport().update()

    def background_rendering(self) -> bool:
        """Whether pages are being drawn by a worker process now."""
        return self._worker is not None

    def _use_worker(self) -> bool:
        if self._bg_mode == "never" or self._worker_failed or self._source is None:
            return False
        if self._bg_mode == "auto" and self._slow_renders < SLOW_RENDERS_FOR_WORKER:
            return False
        if self._worker is None:
            data = getattr(self._source, "data", None)
            if not data:
                self._worker_failed = True
                return False
            from annotator.qt.pdf_worker import RenderWorker

            gen = self._generation
            bridge = self._bridge
            results = self._results

            def on_result(msg, gen=gen):
                results.put((gen, msg))
                try:
                    bridge.arrived.emit()
                except RuntimeError:  # the view is gone (shutting down)
                    pass

            try:
                self._worker = RenderWorker(data, getattr(self._source, "password", None),
                                            getattr(self._source, "name", "document.pdf"),
                                            getattr(self._source, "kind", "pdf"), on_result)
            except OSError:
                self._worker_failed = True
                return False
        return True

    def _request(self, n: int, ds: float, tile, whole: bool) -> None:
        """Ask the worker for a tile unless it is already asked for (or too much is in flight)."""
        key = self._key(n, ds, tile)
        if key in self._pending_keys or len(self._pending) >= MAX_IN_FLIGHT:
            return
        self._req_seq += 1
        req = self._req_seq
        if not self._worker.render(req, n, ds, None if whole else self._clip(n, ds, tile)):
            self._worker_failed = True
            return
        self._pending[req] = key
        self._pending_keys.add(key)

    def _drain_results(self) -> None:
        repaint = False
        while not self._results.empty():
            gen, msg = self._results.get()
            if gen != self._generation:
                continue  # from the worker of a document no longer shown
            kind, req = msg[0], msg[1]
            if kind == "gone":
                self._worker = None
                self._worker_failed = True  # fall back to drawing pages here
                self._pending.clear()
                self._pending_keys.clear()
                repaint = True
                continue
            key = self._pending.pop(req, None)
            if key is None:
                continue
            self._pending_keys.discard(key)
            if kind == "ok":
                _k, _r, w, h, stride, samples, fmt = msg
                if key[1] == round(self._device_scale(), 5) and key[2] == self._rotation:
                    self._store(key, w, h, stride, samples, fmt)
            else:
                self._failed[key[0]] = msg[2]
            repaint = True
        if repaint:
            self.viewport().update()

    def _stop_worker(self) -> None:
        self._generation += 1
        self._pending.clear()
        self._pending_keys.clear()
        if self._worker is not None:
            self._worker.close()  # it exits by itself; its reader thread reaps it
            self._worker = None

    def _key(self, n: int, ds: float, tile) -> tuple:
        return (n, round(ds, 5), self._rotation, tile)

    _on_screen_keys: set = set()
    painted_pages: set = set()  # pages fully drawn by the last paint (a hook for benchmarks and tests)

    def paintEvent(self, event) -> None:
        vp = self.viewport()
        p = QPainter(vp)
        exposed = event.rect()
        pages = [(n, self._page_rect(n)) for n in self._visible_pages()]
        pages = [(n, r) for n, r in pages if r.intersects(exposed)]
        # the background around the pages (the pages themselves are covered by their images)
        around = QRegion(exposed)
        for _n, r in pages:
            around -= QRegion(r)
        for br in around:
            p.fillRect(br, BACKGROUND)
        if not pages:
            p.end()
            self.painted_pages = set()
            return
        ds = self._device_scale()
        dpr = self.devicePixelRatioF()
        deadline = time.perf_counter() + PAINT_BUDGET
        rendered_one = False
        missing = False
        on_screen = set()
        self._on_screen_keys = on_screen
        complete = set()
        for n, r in pages:
            # a thin shadow right and below
            p.fillRect(QRect(r.right() + 1, r.top() + 2, 2, r.height()), PAGE_SHADOW)
            p.fillRect(QRect(r.left() + 2, r.bottom() + 1, r.width() - 1, 2), PAGE_SHADOW)
            tiles = self._tiles(n, ds)
            whole = len(tiles) == 1
            drawn_all = True
            for t in tiles:
                tr = QRectF(r.x() + t[0] / dpr, r.y() + t[1] / dpr, (t[2] - t[0]) / dpr, (t[3] - t[1]) / dpr)
                if not tr.intersects(QRectF(exposed)):
                    continue
                key = self._key(n, ds, t)
                on_screen.add(key)
                img = self._cache.get(key)
                if img is None and n not in self._failed:
                    if self._use_worker():
                        self._request(n, ds, t, whole)  # drawn when it arrives
                    elif rendered_one and time.perf_counter() > deadline:
                        missing = True
                        drawn_all = False
                        p.fillRect(tr, Qt.white)
                        continue
                    else:
                        img = self._render(n, ds, t, whole)
                        rendered_one = True
                if img is not None:
                    p.drawImage(tr.topLeft(), img)
                    # the image may fall short of the page edge by a fraction of a pixel
                    iw, ih = img.width() / dpr, img.height() / dpr
                    if iw < tr.width() or ih < tr.height():
                        p.fillRect(QRectF(tr.x() + iw, tr.y(), tr.width() - iw, tr.height()), Qt.white)
                        p.fillRect(QRectF(tr.x(), tr.y() + ih, tr.width(), tr.height() - ih), Qt.white)
                else:
                    p.fillRect(tr, Qt.white)
                    drawn_all = False
            if drawn_all:
                complete.add(n)
            if n in self._failed:
                p.setPen(QColor(160, 0, 0))
                p.drawText(r.adjusted(20, 20, -20, -20), Qt.AlignTop | Qt.TextWordWrap, self._failed[n])
            self._paint_overlays(p, n, r)
        p.end()
        self.painted_pages = complete
        if missing:
            QTimer.singleShot(0, vp.update)
        elif not self._prefetch_timer.isActive():
            self._prefetch_timer.start()

    def _paint_overlays(self, p: QPainter, n: int, r: QRect) -> None:
        hls = self._page_highlights(n)
        sel = self._sel_quads.get(n)
        if not hls and not sel:
            return
        s = self._scale()
        p.save()
        p.setTransform(self._xform(n) * QTransform.fromScale(s, s) * QTransform.fromTranslate(r.x(), r.y()))
        p.setPen(Qt.NoPen)
        p.setCompositionMode(QPainter.CompositionMode_Multiply)
        lined = []
        for h in hls or ():
            p.setBrush(h.color)
            for poly in h.polys(self):
                p.drawPolygon(poly)
            if h.line is not None:
                lined.append(h)
        if lined:
            p.setCompositionMode(QPainter.CompositionMode_SourceOver)
            for h in lined:
                pen = QPen(h.line, 1.5)
                pen.setCosmetic(True)
                if h.dashed:
                    pen.setStyle(Qt.DashLine)
                p.setPen(pen)
                for q in h.quads:  # along the bottom edge of each quad (ll -> lr)
                    p.drawLine(QPointF(q[4], q[5]), QPointF(q[6], q[7]))
            p.setPen(Qt.NoPen)
            p.setCompositionMode(QPainter.CompositionMode_Multiply)
        if sel:
            p.setBrush(SELECTION)
            for poly in sel:
                p.drawPolygon(poly)
        p.restore()

    def _prefetch(self) -> None:
        """Render the page after the last visible one (and the one before the first)."""
        if self._source is None or not self._count or not self.isVisible():
            return
        vis = self._visible_pages()
        if not vis:
            return
        ds = self._device_scale()
        keep = set(self._on_screen_keys)
        for n in (vis[-1] + 1, vis[0] - 1):
            if not 0 <= n < self._count or n in self._failed:
                continue
            self._ensure_size(n)
            tiles = self._tiles(n, ds)
            # a tiled page: only its first row (the part that scrolls in first)
            todo = tiles if len(tiles) == 1 else [t for t in tiles if t[1] == (0 if n > vis[-1] else tiles[-1][1])]
            for t in todo:
                key = self._key(n, ds, t)
                if key not in self._cache:
                    if self._use_worker():
                        self._request(n, ds, t, len(tiles) == 1)
                        keep.add(key)
                        continue
                    self._on_screen_keys = keep
                    self._render(n, ds, t, len(tiles) == 1)
                    keep.add(key)
                    # one render per idle slice keeps the UI responsive
                    self._prefetch_timer.start()
                    return
                keep.add(key)

    def rendered_image_count(self) -> int:
        """Number of rendered images (pages or tiles) held in the cache."""
        return len(self._cache)

    # ================================================================ highlights

    def set_highlights(self, items, changed: Iterable[str] | None = None) -> None:
        """Replace the highlights.

        ``items`` is either an iterable of ``(id, page, quads, QColor, tooltip)`` tuples, or (the
        :mod:`annotator.qt.views` protocol) a mapping key -> :class:`annotator.qt.highlights.Highlight`,
        drawn in the app's colours; with a mapping, ``changed`` lists the keys added, removed or
        changed since the last call (None: all). A highlight without quads is drawn over its
        text span (needs the page spans).

        A mapping's highlights are built lazily, page by page: a full replace only notes which page
        each key is drawn on (a mapping with a ``spans()`` method, :class:`~annotator.qt.highlights.
        HighlightMap`, says so without building them; that index is made over the next event-loop
        turns, a few milliseconds each, so tens of thousands of highlights never block the window),
        and a page's highlights are built when it is painted; only the last :data:`HIGHLIGHT_PAGES`
        pages painted keep theirs.
        """
        if isinstance(items, Mapping):
            if changed is None or self._hl_mapping is None:
                self._clear_highlights()
                self._hl_mapping = items
                spans = getattr(items, "spans", None)
                self._index_todo = iter(spans()) if callable(spans) else \
                    ((k, h.start, h.end, h.page, bool(h.quads)) for k, h in list(items.items()))
                self._index_step(first=True)
            else:
                self._hl_mapping = items
                for k in changed:
                    self._remove_key(k)
                    if self._index_todo is not None:
                        self._index_skip.add(k)
                    h = items.get(k)
                    if h is not None:
                        self._add_key(k, h)
        else:
            self._clear_highlights()
            for hid, page, quads, color, tooltip in items:
                if quads:
                    self._add([_Highlight(str(hid), int(page), quads, color, tooltip or "")])
        self.viewport().update()

    def highlights_pending(self) -> bool:
        """Whether highlights are still being indexed by page (over the next event-loop turns)."""
        return self._index_todo is not None

    def built_highlight_pages(self) -> list[int]:
        """The pages whose highlights are built now (least recently painted first)."""
        return list(self._built)

    def page_highlight_keys(self, n: int) -> list[str]:
        """Keys of the mapping's highlights drawn on page ``n`` (as indexed so far)."""
        return list(self._page_keys.get(n, ()))

    def _index_step(self, first: bool = False) -> None:
        """Index a slice of the highlights by page; the rest on the next turn."""
        todo = self._index_todo
        if todo is None:
            return
        deadline = time.perf_counter() + (INDEX_BUDGET / 2 if first else INDEX_BUDGET)
        skip = self._index_skip
        page_keys, key_pages, built = self._page_keys, self._key_pages, self._built
        count, spans, span_of = self._count, self._spans, self._span_of_page
        touched = False
        n = 0
        for key, start, end, page, has_quads in todo:
            if key in skip:
                continue
            if page is not None and 0 <= page < count and (has_quads or (
                    (sp := span_of.get(page)) is not None and sp.start <= start and end <= sp.end)):
                pages = (page,)
            elif spans and not has_quads:
                pages = tuple(p for p, _a, _b in self._segments(start, end))
                if not pages:
                    continue
            else:
                continue
            key_pages[key] = pages
            for p in pages:
                lst = page_keys.get(p)
                if lst is None:
                    page_keys[p] = [key]
                else:
                    lst.append(key)
                if p in built:
                    del built[p]  # built before all its keys were known: built again when painted
                    touched = True
            n += 1
            if n & 63 == 0 and time.perf_counter() > deadline:
                self._index_timer.start()
                break
        else:
            self._index_todo = None
            self._index_skip = set()
            touched = True
        if touched or not first:
            self.viewport().update()

    def _page_highlights(self, n: int) -> list[_Highlight]:
        """The highlights of page ``n`` in paint order, built now if they are not."""
        fixed = self._fixed.get(n)
        if self._hl_mapping is None:
            return fixed or []
        lst = self._built.get(n)
        if lst is None:
            lst = []
            mapping = self._hl_mapping
            for k in self._page_keys.get(n, ()):
                h = mapping.get(k)
                if h is not None:
                    lst.extend(part for part in self._from_app_highlight(h) if part.page == n)
            lst.sort(key=lambda x: x.order)
            self._built[n] = lst
            while len(self._built) > HIGHLIGHT_PAGES:
                self._built.popitem(last=False)
        else:
            self._built.move_to_end(n)
        if fixed:
            return sorted(lst + fixed, key=lambda x: x.order)
        return lst

    def _remove_key(self, key: str) -> None:
        for p in self._key_pages.pop(key, ()):
            lst = self._page_keys.get(p)
            if lst is not None:
                try:
                    lst.remove(key)
                except ValueError:
                    pass
            built = self._built.get(p)
            if built is not None:
                self._built[p] = [h for h in built if h.id != key]

    def _add_key(self, key: str, h) -> None:
        parts = self._from_app_highlight(h)
        pages = tuple(dict.fromkeys(part.page for part in parts))
        if not pages:
            return
        self._key_pages[key] = pages
        for p in pages:
            self._page_keys.setdefault(p, []).append(key)
        for part in parts:
            built = self._built.get(part.page)
            if built is not None:
                bisect.insort(built, part, key=lambda x: x.order)

    def update_highlight(self, hid: str, page: int, quads, color, tooltip: str = "") -> None:
        """Add one highlight, or replace the one with this id (cheaper than :meth:`set_highlights`)."""
        self._remove(str(hid))
        if quads:
            self._add([_Highlight(str(hid), int(page), quads, color, tooltip or "")])
        self.viewport().update()

    def remove_highlight(self, hid: str) -> None:
        self._remove(str(hid))
        self.viewport().update()

    def _clear_highlights(self) -> None:
        self._fixed = {}
        self._hl_by_id = {}
        self._hl_mapping = None
        self._page_keys = {}
        self._key_pages = {}
        self._built = OrderedDict()
        self._index_todo = None
        self._index_skip = set()
        self._index_timer.stop()

    def _add(self, parts: list[_Highlight]) -> None:
        for h in parts:
            lst = self._fixed.setdefault(h.page, [])
            if lst and h.order < lst[-1].order:
                bisect.insort(lst, h, key=lambda x: x.order)
            else:
                lst.append(h)
            self._hl_by_id.setdefault(h.id, []).append(h)

    def _remove(self, hid: str) -> None:
        for old in self._hl_by_id.pop(hid, ()):
            lst = self._fixed.get(old.page, [])
            self._fixed[old.page] = [h for h in lst if h is not old]

    def _from_app_highlight(self, h) -> list[_Highlight]:
        """annotator.qt.highlights.Highlight -> what this view draws (the reader's colours)."""
        flagged = getattr(h, "flagged", False)
        style = _APP_STYLES.get((h.kind, h.status, h.verdict, flagged))
        if style is None:
            style = _APP_STYLES[(h.kind, h.status, h.verdict, flagged)] = _app_style(h.kind, h.status, h.verdict,
                                                                                     flagged)
        fill, line, dashed = style
        # evidence under figures, suggestions under confirmed figures, big spans under small ones
        order = (h.kind == "figure", h.status == "confirmed", -(h.end - h.start), h.start)
        tip = h.tooltip or h.tip  # text, or worked out when first shown
        if h.page is not None and h.quads and 0 <= h.page < self._count:
            return [_Highlight(h.key, int(h.page), [list(q) for q in h.quads], fill, tip, figure_id=h.figure_id,
                               line=line, dashed=dashed, order=order)]
        return [_Highlight(h.key, n, None, fill, tip, span=(a, b), figure_id=h.figure_id, line=line, dashed=dashed,
                           order=order)
                for n, a, b in self._segments(h.start, h.end)]

    def _segments(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Document offsets [start, end) as (page, start, end) page-local pieces (needs the page spans)."""
        if not self._spans or end <= start:
            return []
        i = max(0, bisect.bisect_right(self._span_starts, start) - 1)
        segs = []
        for sp in self._spans[i:]:
            if sp.start >= end:
                break
            a, b = max(start, sp.start) - sp.start, min(end, sp.end) - sp.start
            if b > a:
                segs.append((sp.number, a, b))
        return segs

    def highlight_at(self, pos: QPoint) -> str | None:
        """Id of the highlight under viewport position ``pos`` (the topmost), if any."""
        h = self._highlight_at(pos)
        return h.id if h is not None else None

    def _highlight_at(self, pos: QPoint) -> _Highlight | None:
        hit = self._page_point(pos)
        if hit is None:
            return None
        n, x, y = hit
        pt = QPointF(x, y)
        for h in reversed(self._page_highlights(n)):
            b = h.bounds(self)
            if b[0] - 1 <= x <= b[2] + 1 and b[1] - 1 <= y <= b[3] + 1:
                for poly in h.polys(self):
                    if poly.containsPoint(pt, Qt.OddEvenFill) or poly.boundingRect().adjusted(-1, -1, 1, 1).contains(pt):
                        return h
        return None

    # ================================================================ text and selection

    def _page_words(self, n: int) -> _Words | None:
        if self._source is None or not 0 <= n < self._count:
            return None
        w = self._words.get(n)
        if w is None:
            w = _Words(self._source.page_text(n))
            self._words[n] = w
            while len(self._words) > self._text_cache_size:
                self._words.popitem(last=False)
        else:
            self._words.move_to_end(n)
        return w

    def _page_point(self, pos: QPoint, clamp_page: int | None = None):
        """(page, x, y) in page points under viewport position ``pos``.

        With ``clamp_page`` the point is expressed on that page even outside it."""
        if not self._count:
            return None
        if clamp_page is not None:
            n = clamp_page
            r = self._page_rect(n)
        else:
            cy = pos.y() + self.verticalScrollBar().value()
            n = max(0, bisect.bisect_right(self._tops, cy) - 1)
            r = self._page_rect(n)
            if not r.contains(pos):
                return None
        s = self._scale()
        x, y = (pos.x() - r.x()) / s, (pos.y() - r.y()) / s
        if self._rotation:
            q = self._xform(n).inverted()[0].map(QPointF(x, y))
            x, y = q.x(), q.y()
        return (n, x, y)

    def map_from_page(self, page: int, point: QPointF) -> QPointF:
        """Viewport position of ``point`` (page points, display coordinates) on ``page``."""
        r = self._page_rect(page)
        s = self._scale()
        q = self._xform(page).map(QPointF(point)) if self._rotation else QPointF(point)
        return QPointF(r.x() + q.x() * s, r.y() + q.y() * s)

    def map_to_page(self, pos: QPoint) -> tuple[int, QPointF] | None:
        """(page, point in page points) under viewport position ``pos``, or None off the pages."""
        hit = self._page_point(pos)
        return None if hit is None else (hit[0], QPointF(hit[1], hit[2]))

    def selection_in_page(self) -> tuple[int, int, int] | None:
        """(page, start, end): the selection as offsets into its page's text (for a selection
        over several pages, its part on the first page)."""
        return self._sel[0] if self._sel else None

    def selection_pages(self) -> list[tuple[int, int, int]]:
        """The selection as (page, start, end) per page, in reading order ([] when nothing is selected)."""
        return list(self._sel or ())

    def selection(self) -> tuple[int, int] | None:
        """(start, end): the selection as code-point offsets into the document text, or None
        (also while the page spans are unknown: see :meth:`selection_in_page`)."""
        if not self._sel or self._spans is None:
            return None
        (n0, a, _e), (n1, _s, b) = self._sel[0], self._sel[-1]
        if n1 >= len(self._spans):
            return None
        return (self._spans[n0].start + a, self._spans[n1].start + b)

    def selected_text(self) -> str:
        """The selected text, exactly as in the document text (pages joined as the loader joins them)."""
        if not self._sel:
            return ""
        parts = []
        for n, a, b in self._sel:
            words = self._page_words(n)
            parts.append(words.text.text[a:b] if words else "")
        return PAGE_SEPARATOR.join(parts)

    def selection_quads(self) -> tuple[int, list[list[float]]] | None:
        """(page, quads) of the selection (its first page when it runs over several)."""
        if not self._sel:
            return None
        n = self._sel[0][0]
        return (n, [list(q) for q in self._sel_quad_lists.get(n, ())])

    def selection_quads_by_page(self) -> list[tuple[int, list[list[float]]]]:
        return [(n, [list(q) for q in self._sel_quad_lists.get(n, ())]) for n, _a, _b in self._sel or ()]

    def clear_selection(self) -> None:
        if self._sel is not None:
            self._set_selection(None)

    def select_span(self, page: int, start: int, end: int, scroll: bool = False) -> None:
        """Select page-local offsets [start, end) of ``page``."""
        self._set_selection(((page, start, end),) if end > start else None)
        if scroll and self._sel:
            self.scroll_to(page, self._sel_quad_lists.get(page))

    def select_document_span(self, start: int, end: int, scroll: bool = True) -> bool:
        """Select document-text offsets [start, end) (needs the page spans); False if out of range."""
        if not self._spans or end <= start or start < 0 or end > self._spans[-1].end:
            return False
        i = max(0, bisect.bisect_right(self._span_starts, start) - 1)
        segs = []
        for sp in self._spans[i:]:
            if sp.start >= end and segs:
                break
            a, b = max(start, sp.start) - sp.start, min(end, sp.end) - sp.start
            segs.append((sp.number, max(0, a), max(0, b)))
        # a span starting or ending in the separator between pages
        while len(segs) > 1 and segs[0][1] >= segs[0][2] and self._spans[segs[0][0]].end - self._spans[segs[0][0]].start == segs[0][1]:
            segs.pop(0)
        while len(segs) > 1 and segs[-1][2] == 0:
            segs.pop()
        self._set_selection(tuple(segs))
        if scroll:
            n = segs[0][0]
            self.scroll_to(n, self._sel_quad_lists.get(n))
        return True

    def _set_selection(self, sel) -> None:
        if sel == self._sel:
            return
        self._sel = sel or None
        self._sel_quad_lists = {}
        self._sel_quads = {}
        for n, a, b in self._sel or ():
            words = self._page_words(n)
            quads = words.text.span_quads(a, b) if words and b > a else []
            self._sel_quad_lists[n] = quads
            self._sel_quads[n] = [_quad_polygon(q) for q in quads]
        self.viewport().update()
        self.selectionChanged.emit()

    _sel_quad_lists: dict = {}

    def copy(self) -> None:
        """Put the selected text on the clipboard."""
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    # ---------------------------------------------------------------- mouse

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position().toPoint()
        hit = self._page_point(pos)
        self._dragging = False
        self._anchor_word = None
        self._press = (pos, hit[0] if hit else None)
        if hit is not None:
            n, x, y = hit
            words = self._page_words(n)
            if words is not None and words.words:
                self._anchor_word = words.nearest(x, y, PRESS_TOLERANCE)
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        pos = event.position().toPoint()
        if not (event.buttons() & Qt.LeftButton) or self._press is None:
            self._update_cursor(pos)
            return
        ppos, page = self._press
        if not self._dragging:
            if (pos - ppos).manhattanLength() < QApplication.startDragDistance():
                return
            self._dragging = True
            if page is not None and self._anchor_word is None:
                words = self._page_words(page)
                if words is not None and not words.words:
                    self.textUnavailable.emit(page)
        if page is None or self._anchor_word is None:
            return
        self._drag_pos = pos
        vp_h = self.viewport().height()
        if (pos.y() < 0 or pos.y() > vp_h) and not self._autoscroll_timer.isActive():
            self._autoscroll()
            self._autoscroll_timer.start()
        self._drag_to(pos)

    def _drag_to(self, pos: QPoint) -> None:
        """Extend the selection from the word under the press to the word nearest ``pos``."""
        page = self._press[1]
        fpage = self._page_near(pos, page)
        _n, x, y = self._page_point(pos, clamp_page=fpage)
        words = self._page_words(page)
        fwords = self._page_words(fpage) if fpage != page else words
        if not fwords.words:
            return
        focus = fwords.nearest(x, y)
        anchor = words.words[self._anchor_word]
        if fpage == page:
            a, b = sorted((self._anchor_word, focus))
            self._set_selection(((page, words.words[a].start, words.words[b].end),))
            return
        # over several pages: to the end of the first, whole pages between, from the start of the last
        first, last = (page, fpage) if fpage > page else (fpage, page)
        segs = []
        for n in range(first, last + 1):
            length = len(self._page_words(n).text.text)
            if n == page:
                seg = (n, anchor.start, length) if n == first else (n, 0, anchor.end)
            elif n == fpage:
                fw = fwords.words[focus]
                seg = (n, fw.start, length) if n == first else (n, 0, fw.end)
            else:
                seg = (n, 0, length)
            segs.append(seg)
        self._set_selection(tuple(segs))

    def _page_near(self, pos: QPoint, anchor_page: int) -> int:
        """The page under ``pos``, or the nearest one vertically; at most MAX_SELECTION_PAGES from the anchor."""
        cy = pos.y() + self.verticalScrollBar().value()
        n = max(0, min(self._count - 1, bisect.bisect_right(self._tops, cy) - 1))
        if n + 1 < self._count and cy - (self._tops[n] + self._heights[n]) > self._tops[n + 1] - cy:
            n += 1
        return max(anchor_page - MAX_SELECTION_PAGES, min(anchor_page + MAX_SELECTION_PAGES, n))

    def _autoscroll(self) -> None:
        """While a drag holds the pointer above or below the view, keep scrolling and selecting."""
        pos = self._drag_pos
        if self._press is None or pos is None or self._anchor_word is None:
            self._autoscroll_timer.stop()
            return
        h = self.viewport().height()
        over = pos.y() if pos.y() < 0 else (pos.y() - h if pos.y() > h else 0)
        if not over:
            self._autoscroll_timer.stop()
            return
        vb = self.verticalScrollBar()
        step = max(4, min(120, abs(over)))
        vb.setValue(vb.value() + (step if over > 0 else -step))
        self._drag_to(pos)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() != Qt.LeftButton:
            super().mouseReleaseEvent(event)
            return
        pos = event.position().toPoint()
        press, dragging = self._press, self._dragging
        self._press = None
        self._dragging = False
        self._drag_pos = None
        self._autoscroll_timer.stop()
        if press is not None and not dragging:
            # a click: clear the selection, report a highlight under it
            self.clear_selection()
            h = self._highlight_at(pos)
            if h is not None:
                self.highlightClicked.emit(h.id)
                self.figureActivated.emit(h.figure_id)
            elif press[1] is not None and self._anchor_word is None:
                words = self._page_words(press[1])
                if words is not None and not words.words:
                    self.textUnavailable.emit(press[1])
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:
        if event.button() != Qt.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        pos = event.position().toPoint()
        hit = self._page_point(pos)
        self._press = None
        if hit is None:
            return
        n, x, y = hit
        words = self._page_words(n)
        if words is None or not words.words:
            self.textUnavailable.emit(n)
            return
        i = words.nearest(x, y, DOUBLE_CLICK_TOLERANCE)
        if i is not None:
            w = words.words[i]
            self._set_selection(((n, w.start, w.end),))
        event.accept()

    def _update_cursor(self, pos: QPoint) -> None:
        hit = self._page_point(pos)
        if hit is None:
            shape = Qt.ArrowCursor
        elif self.highlight_at(pos) is not None:
            shape = Qt.PointingHandCursor
        else:
            n = hit[0]
            known = self._words.get(n)
            no_text = (known is not None and not known.words) or (
                self._spans is not None and n < len(self._spans) and self._spans[n].has_text is False
            )
            shape = Qt.ArrowCursor if no_text else Qt.IBeamCursor
        if self.viewport().cursor().shape() != shape:
            self.viewport().setCursor(QCursor(shape))

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.ToolTip:
            hit = self._page_point(event.pos())
            tips = []
            if hit is not None:
                pt = QPointF(hit[1], hit[2])
                for h in reversed(self._page_highlights(hit[0])):
                    if h.tooltip and any(
                        poly.boundingRect().adjusted(-1, -1, 1, 1).contains(pt) for poly in h.polys(self)
                    ):
                        t = h.tooltip() if callable(h.tooltip) else h.tooltip  # lazy: worked out when shown
                        if t and t not in tips:
                            tips.append(t)
            tip = "<hr>".join(tips)
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self._fit_width = False
                self._apply_zoom(self._zoom * (1.1**steps), event.position().toPoint())
            event.accept()
            return
        super().wheelEvent(event)

    # ---------------------------------------------------------------- keyboard

    def keyPressEvent(self, event) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.ControlModifier)
        if event.matches(QKeySequence.Copy):
            self.copy()
        elif key == Qt.Key_PageDown and not ctrl:
            self.next_page()
        elif key == Qt.Key_PageUp and not ctrl:
            self.previous_page()
        elif key == Qt.Key_Home:
            self.first_page()
        elif key == Qt.Key_End:
            self.last_page()
        elif ctrl and key in (Qt.Key_Plus, Qt.Key_Equal):
            self.zoom_in()
        elif ctrl and key == Qt.Key_Minus:
            self.zoom_out()
        elif ctrl and key == Qt.Key_0:
            self.set_zoom(1.0)  # actual size, as View ▸ Actual size
        elif key == Qt.Key_W and not (mods & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier)):
            self.fit_width()  # as View ▸ Fit width
        elif key == Qt.Key_Escape and self._sel is not None:
            self.clear_selection()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # ================================================================ find

    def find(self, text: str, forward: bool = True, case_sensitive: bool = False, *,
             backward: bool | None = None) -> bool:
        """Find ``text`` after (or, ``forward=False`` / ``backward=True``, before) the selection or
        the current page, wrapping around; select the hit and scroll to it. White space in
        ``text`` matches any white space (line breaks included)."""
        if backward is not None:
            forward = not backward
        words = [re.escape(w) for w in text.split()]
        if not words or not self._count:
            return False
        rx = re.compile(r"\s+".join(words), 0 if case_sensitive else re.IGNORECASE)
        if self._sel:
            page, start, end = self._sel[0]
        else:
            page, start, end = self._current, -1, -1
            if not forward:
                page = self._current
                start = end = 1 << 60
        if self._doc_text is not None and self._spans:
            return self._find_in_document(rx, forward, page, start, end)
        return self._find_by_page(rx, forward, page, start, end)

    def _find_in_document(self, rx, forward, page, start, end) -> bool:
        text = self._doc_text
        sp = self._spans[page]
        base = sp.start
        if forward:
            pos = base + (start + 1 if start >= 0 else 0)
            # after the position, else wrapped round from the start
            candidates = [m for m in (rx.search(text, pos), rx.search(text)) if m is not None]
        else:
            pos = base + min(start, sp.end - base)
            last_before = last_after = None
            for m in rx.finditer(text):
                if m.start() < pos:
                    last_before = m
                else:
                    last_after = m
            candidates = [m for m in (last_before, last_after) if m is not None]
        for m in candidates:
            if self.select_document_span(m.start(), m.end(), scroll=True):
                return True
        return False

    def _find_by_page(self, rx, forward, page, start, end) -> bool:
        """Search page texts one by one from ``page`` (used while the document text is unknown)."""
        n = self._count
        for k in range(n + 1):
            p = (page + k) % n if forward else (page - k) % n
            words = self._page_words(p)
            t = words.text.text if words else ""
            m = None
            if forward:
                m = rx.search(t, start + 1 if (k == 0 and start >= 0) else 0)
            else:
                limit = start if k == 0 else len(t) + 1
                for mm in rx.finditer(t):
                    if mm.start() >= limit:
                        break
                    m = mm
            if m is not None:
                self.select_span(p, m.start(), m.end(), scroll=True)
                return True
        return False
