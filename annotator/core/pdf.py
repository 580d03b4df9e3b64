"""PDF (and other page-based documents: EPUB, XPS) through PyMuPDF, without Qt.

Import cost
    ``import pymupdf`` is slow, and PyMuPDF 2.0 also imports its optional layout add-on
    (``pymupdf.layout``: numpy, onnxruntime and an ONNX model) and ``pymupdf4llm`` when they
    are installed. We use neither (they serve layout analysis and Markdown export), so
    :func:`pymupdf` imports PyMuPDF with both kept out: about 0.2 s / 50 MB instead of
    0.7 s / 145 MB. Get the module through :func:`pymupdf` everywhere in the app; never
    ``import pymupdf`` at module top level.

Threads
    PyMuPDF does not support threads. Every call into it made here holds the module lock
    :data:`LOCK` (re-entrant), one page at a time, so a worker thread running
    :meth:`PdfSource.extract_all` and the GUI thread rendering pages take turns. Code elsewhere
    that touches ``PdfSource.doc`` directly must hold ``LOCK`` too.

Text
    A page's text is built from MuPDF's structured text in content-stream order (no sorting:
    sorting interleaves the columns of multi-column pages): the words of a line joined by
    one space, lines joined by ``"\\n"``, blocks by ``"\\n\\n"``; the pages of a document are
    joined by ``"\\n\\n"``. Ligatures are expanded (``ﬁ`` -> ``fi``), a soft hyphen ending a
    line becomes ``-`` and other soft hyphens are dropped; any run of white space or control
    characters separates words. The same function builds the text for
    :meth:`PdfSource.extract_all` and for :meth:`PdfSource.page_text`, so both agree exactly,
    and the same bytes always give the same text.

Coordinates (quads, rects, points)
    All geometry handed out here is in **display coordinates**: the page as shown, rotation
    applied, in PDF points (1/72 inch), origin at the top-left of the visible page
    (the CropBox), x to the right, y downwards. This is ``page.rect`` in PyMuPDF and what
    :meth:`PdfSource.render` draws: pixel = display coordinate * zoom. A quad is 8 floats
    ``[ulx, uly, urx, ury, llx, lly, lrx, lry]`` (the PDF QuadPoints order), upper/lower and
    left/right being relative to the text's own writing direction, so a line of rotated text
    gives a rotated quad. To write an annotation with PyMuPDF convert with
    :meth:`PdfSource.to_page_quads` (PyMuPDF's unrotated page space) or
    :meth:`PdfSource.to_pdf_quads` (PDF user space, y upwards, the numbers stored in
    ``/QuadPoints``); :meth:`PdfSource.from_page_quads` converts back.

Offsets in :class:`PdfPageText` are code points into that page's text; add
``PageInfo.start`` (from :func:`PdfSource.extract_all` / ``Document.pages``) to get offsets
into the whole document's text.
"""

from __future__ import annotations

import bisect
import math
import os
import re
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Iterable

from annotator.core.documents import PageInfo
from annotator.core.errors import Cancelled, DocumentError, PasswordRequired

LOCK = threading.RLock()
_module = None
# optional PyMuPDF 2.0 companions we never use; importing them costs ~0.5 s and ~100 MB
_ADDONS = ("pymupdf.layout", "pymupdf4llm")

PAGE_SEPARATOR = "\n\n"
BLOCK_SEPARATOR = "\n\n"
LINE_SEPARATOR = "\n"
WORD_SEPARATOR = " "

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_SOFT_HYPHEN = "\u00ad"
TEXT_PAGE_CACHE = 24  # PdfPageText objects kept per source


def pymupdf():
    """The PyMuPDF module, imported on first use without its layout / LLM add-ons.

    The add-ons are kept out only while PyMuPDF itself is first imported (a ``None`` entry in
    ``sys.modules`` makes its ``try: import pymupdf.layout`` fail cleanly); afterwards they stay
    importable for anyone who asks for them explicitly. If PyMuPDF was already imported
    elsewhere, it is used as it is. Set ``ANNOTATOR_PYMUPDF_ADDONS=1`` to let them load.
    """
    global _module
    if _module is not None:
        return _module
    with LOCK:
        if _module is None:
            blocked = []
            if "pymupdf" not in sys.modules and os.environ.get("ANNOTATOR_PYMUPDF_ADDONS") != "1":
                for name in _ADDONS:
                    if name not in sys.modules:
                        sys.modules[name] = None  # type: ignore[assignment]
                        blocked.append(name)
            try:
                import pymupdf as module
            finally:
                for name in blocked:
                    if name in sys.modules and sys.modules[name] is None:
                        del sys.modules[name]
            # MuPDF prints warnings and errors on stderr by default; we collect them instead
            module.TOOLS.mupdf_display_errors(False)
            module.TOOLS.mupdf_display_warnings(False)
            # find_tables() would otherwise print an advertisement for the add-on on stdout
            if hasattr(module, "no_recommend_layout"):
                module.no_recommend_layout()
            _module = module
    return _module


def _mupdf_errors() -> tuple[type[BaseException], ...]:
    m = pymupdf()
    errs: list[type[BaseException]] = [RuntimeError, ValueError]
    base = getattr(getattr(m, "mupdf", None), "FzErrorBase", None)
    if isinstance(base, type):
        errs.append(base)
    return tuple(errs)


# --------------------------------------------------------------------------- geometry


def _rect_to_display(m, rect) -> tuple[float, float, float, float]:
    """Axis-aligned bounds of an unrotated-page rect after the page rotation matrix ``m``."""
    x0, y0, x1, y1 = rect
    a, b, c, d, e, f = m
    xs = (a * x0 + c * y0 + e, a * x1 + c * y0 + e, a * x0 + c * y1 + e, a * x1 + c * y1 + e)
    ys = (b * x0 + d * y0 + f, b * x1 + d * y0 + f, b * x0 + d * y1 + f, b * x1 + d * y1 + f)
    return (min(xs), min(ys), max(xs), max(ys))


def _dir_to_display(m, d) -> tuple[float, float]:
    a, b, c, dd = m[0], m[1], m[2], m[3]
    x, y = d
    vx, vy = a * x + c * y, b * x + dd * y
    n = math.hypot(vx, vy)
    if n < 1e-9:
        return (1.0, 0.0)
    return (vx / n, vy / n)


def _transform_quads(quads: Iterable[Iterable[float]], m) -> list[list[float]]:
    a, b, c, d, e, f = m
    out = []
    for q in quads:
        q = list(q)
        if len(q) != 8:
            raise ValueError(f"a quad has 8 numbers, got {len(q)}")
        r = []
        for i in range(0, 8, 2):
            x, y = q[i], q[i + 1]
            r += [a * x + c * y + e, b * x + d * y + f]
        out.append(r)
    return out


@dataclass(frozen=True)
class PdfWord:
    """One word of a page: offsets into the page text, bounds in display coordinates."""

    start: int
    end: int
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class PdfLine:
    """One text line: its span in the page text, writing direction and its characters."""

    start: int
    end: int
    dx: float  # unit writing direction in display coordinates
    dy: float
    first_char: int  # index range into PdfPageText char arrays
    last_char: int  # exclusive


class PdfPageText:
    """The text of one page plus the geometry to map offsets <-> display coordinates.

    ``text`` is exactly the page's part of the document text. Each character of ``text``
    that is not a separator has a box (``char_offsets[i]`` / ``char_boxes[i]``, display
    coordinates). Offsets are page-local (0 = start of this page's text).
    """

    def __init__(self, number: int, width: float, height: float, rotation: int):
        self.number = number
        self.width = width
        self.height = height
        self.rotation = rotation
        self.text = ""
        self.words: list[PdfWord] = []
        self.lines: list[PdfLine] = []
        self.char_offsets: list[int] = []
        self.char_boxes: list[tuple[float, float, float, float]] = []
        self.superscripts: list[tuple[int, int]] = []  # page-local spans of wholly superscript words
        self._line_starts: list[int] = []
        self._has_text = False

    @property
    def has_text(self) -> bool:
        """False when the page has no text layer (nothing selectable)."""
        return self._has_text

    def __repr__(self) -> str:
        return f"<PdfPageText page {self.number} {len(self.text)} chars {len(self.words)} words>"

    # ---------------------------------------------------------------- offsets -> quads

    def _lines_overlapping(self, start: int, end: int) -> range:
        i = max(0, bisect.bisect_right(self._line_starts, start) - 1)
        j = bisect.bisect_left(self._line_starts, end)
        return range(i, min(j, len(self.lines)))

    def _quad(self, line: PdfLine, c0: int, c1: int) -> list[float]:
        ux, uy = line.dx, line.dy
        vx, vy = -uy, ux  # "down" relative to the writing direction (y grows downwards)
        amin = bmin = math.inf
        amax = bmax = -math.inf
        for k in range(c0, c1):
            x0, y0, x1, y1 = self.char_boxes[k]
            for px, py in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
                a = px * ux + py * uy
                b = px * vx + py * vy
                amin, amax = min(amin, a), max(amax, a)
                bmin, bmax = min(bmin, b), max(bmax, b)

        def pt(a: float, b: float) -> tuple[float, float]:
            return (a * ux + b * vx, a * uy + b * vy)

        ul, ur, ll, lr = pt(amin, bmin), pt(amax, bmin), pt(amin, bmax), pt(amax, bmax)
        return [ul[0], ul[1], ur[0], ur[1], ll[0], ll[1], lr[0], lr[1]]

    def span_quads(self, start: int, end: int) -> list[list[float]]:
        """Quads covering page-text span [start, end): one per line piece, display coordinates."""
        quads = []
        if end <= start:
            return quads
        for li in self._lines_overlapping(start, end):
            line = self.lines[li]
            if line.end <= start or line.start >= end:
                continue
            offs = self.char_offsets
            c0 = bisect.bisect_left(offs, start, line.first_char, line.last_char)
            c1 = bisect.bisect_left(offs, end, line.first_char, line.last_char)
            if c1 > c0:
                quads.append(self._quad(line, c0, c1))
        return quads

    def span_rects(self, start: int, end: int) -> list[tuple[float, float, float, float]]:
        """Axis-aligned bounds of :meth:`span_quads` (display coordinates)."""
        out = []
        for q in self.span_quads(start, end):
            xs, ys = q[0::2], q[1::2]
            out.append((min(xs), min(ys), max(xs), max(ys)))
        return out

    # ---------------------------------------------------------------- coordinates -> offsets

    def span_at_rect(self, rect) -> tuple[int, int] | None:
        """Span of the characters whose centre lies in ``rect`` (x0, y0, x1, y1; display)."""
        x0, y0, x1, y1 = rect
        x0, x1 = min(x0, x1), max(x0, x1)
        y0, y1 = min(y0, y1), max(y0, y1)
        lo = hi = None
        for off, (a0, b0, a1, b1) in zip(self.char_offsets, self.char_boxes):
            cx, cy = (a0 + a1) / 2, (b0 + b1) / 2
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                lo = off if lo is None else min(lo, off)
                hi = off + 1 if hi is None else max(hi, off + 1)
        if lo is None:
            return None
        return (lo, hi)

    def _line_extents(self) -> list[tuple[float, float, float, float]]:
        """Per line: (amin, amax, bmin, bmax) of its characters along (a) and across (b) its
        writing direction. Computed once per page."""
        ext = self.__dict__.get("_extents")
        if ext is None:
            ext = []
            for line in self.lines:
                ux, uy = line.dx, line.dy
                vx, vy = -uy, ux
                amin = bmin = math.inf
                amax = bmax = -math.inf
                for k in range(line.first_char, line.last_char):
                    x0, y0, x1, y1 = self.char_boxes[k]
                    for qx, qy in ((x0, y0), (x1, y1), (x0, y1), (x1, y0)):
                        qa = qx * ux + qy * uy
                        qb = qx * vx + qy * vy
                        amin, amax = min(amin, qa), max(amax, qa)
                        bmin, bmax = min(bmin, qb), max(bmax, qb)
                ext.append((amin, amax, bmin, bmax))
            self._extents = ext
        return ext

    def offset_at(self, point, max_distance: float = 24.0) -> int | None:
        """Caret offset nearest to ``point`` (display coordinates), for drag selection.

        Inside a character, the offset before it (left half) or after it (right half), along
        the writing direction. Between lines, the nearest line wins. None when no text lies
        within ``max_distance`` points.
        """
        px, py = point
        best = None
        for line, (amin, amax, bmin, bmax) in zip(self.lines, self._line_extents()):
            ux, uy = line.dx, line.dy
            a = px * ux + py * uy
            b = px * -uy + py * ux
            da = max(amin - a, 0.0, a - amax)
            db = max(bmin - b, 0.0, b - bmax)
            # across lines (db) weighs more than along a line (da): a point left of a line
            # of text belongs to that line rather than to the one above it
            key = (math.hypot(da * 0.25, db), math.hypot(da, db))
            if best is None or key < best[0]:
                best = (key, line, a)
        if best is None or best[0][1] > max_distance:
            return None
        _, line, a = best
        ux, uy = line.dx, line.dy
        chosen = None
        for k in range(line.first_char, line.last_char):
            cx0, cy0, cx1, cy1 = self.char_boxes[k]
            ps = [qx * ux + qy * uy for qx, qy in ((cx0, cy0), (cx1, cy1), (cx0, cy1), (cx1, cy0))]
            lo, hi = min(ps), max(ps)
            dist = 0.0 if lo <= a <= hi else min(abs(a - lo), abs(a - hi))
            off = self.char_offsets[k] + (1 if a > (lo + hi) / 2 else 0)
            if chosen is None or dist < chosen[0]:
                chosen = (dist, off)
        return chosen[1] if chosen else None

    def word_at(self, offset: int) -> PdfWord | None:
        """The word containing page offset ``offset``, if any."""
        starts = [w.start for w in self.words]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.words[i].start <= offset < self.words[i].end:
            return self.words[i]
        return None


# --------------------------------------------------------------------------- page text


_WORD = re.compile(r"[^\s\x00-\x1f\x7f-\x9f]+")
_SPECIAL = re.compile("[\u00ad\ufb00-\ufb06]")


def _line_string(line: dict) -> str:
    spans = line.get("spans", ())
    if spans and "chars" in spans[0]:
        return "".join([ch["c"] for span in spans for ch in span["chars"]])
    return "".join([span.get("text", "") for span in spans])


def _line_words(line: dict, geometry: bool) -> list[tuple[str, list]]:
    """Words of a MuPDF line as (text, glyphs).

    ``glyphs`` (only with ``geometry``, which needs a "rawdict" line) holds, in order,
    (unrotated bbox, number of code points of text it produced) for each glyph.

    Any white space or control character separates words. Ligatures are expanded, a soft
    hyphen at the end of a line becomes "-", elsewhere it is dropped. The text depends only on
    the line's string, so "dict" and "rawdict" lines give the same words.
    """
    s = _line_string(line)
    chars = None
    owner = None  # glyph index of each code point, when a glyph gave several code points
    if geometry:
        chars = [ch for span in line.get("spans", ()) for ch in span.get("chars", ())]
        if len(chars) != len(s):
            owner = [gi for gi, ch in enumerate(chars) for _ in ch["c"]]
    out: list[tuple[str, list]] = []
    matches = list(_WORD.finditer(s))
    for mi, m in enumerate(matches):
        a, b = m.start(), m.end()
        word = m.group()
        special = _SPECIAL.search(word) is not None
        if not special and chars is None:
            out.append((word, []))
            continue
        if not special and owner is None:
            out.append((word, [(ch["bbox"], 1) for ch in chars[a:b]]))
            continue
        last = mi == len(matches) - 1
        pieces: list[str] = []
        groups: list[list] = []  # [glyph index, code point count]
        for k in range(a, b):
            c = s[k]
            if c == _SOFT_HYPHEN:
                if not (last and k == b - 1):
                    continue
                c = "-"
            c = _LIGATURES.get(c, c)
            pieces.append(c)
            if chars is not None:
                g = owner[k] if owner is not None else k
                if groups and groups[-1][0] == g:
                    groups[-1][1] += len(c)
                else:
                    groups.append([g, len(c)])
        if pieces:
            glyphs = [(chars[g]["bbox"], n) for g, n in groups] if chars is not None else []
            out.append(("".join(pieces), glyphs))
    return out


def _superscript_words(line: dict, count: int) -> set[int] | None:
    """Indexes of the words of a MuPDF line that are wholly superscript (footnote markers such as the
    "2" of "flight control system 2 generated"), or None when none is.  MuPDF marks a superscript span
    with flag bit 0; only lines holding one are looked at closely."""
    spans = line.get("spans", ())
    for span in spans:
        if span.get("flags", 0) & 1:
            break
    else:
        return None
    sup = []  # superscript code-point ranges of the line string
    pos = 0
    for span in spans:
        n = len(span["text"]) if "text" in span else sum(len(ch["c"]) for ch in span.get("chars", ()))
        if span.get("flags", 0) & 1:
            sup.append((pos, pos + n))
        pos += n
    words = list(_WORD.finditer(_line_string(line)))
    if len(words) != count:  # a word made only of soft hyphens was dropped: leave the line alone
        return None
    out = {i for i, m in enumerate(words) if any(a <= m.start() and m.end() <= b for a, b in sup)}
    return out or None


def _split_box(bbox, n: int, d: tuple[float, float]) -> list[tuple]:
    """Cut a (display) box into n equal pieces along the writing direction d."""
    x0, y0, x1, y1 = bbox
    if n == 1:
        return [bbox]
    dx, dy = d
    pieces = []
    if abs(dx) >= abs(dy):
        step = (x1 - x0) / n
        for i in range(n):
            k = i if dx >= 0 else n - 1 - i
            pieces.append((x0 + k * step, y0, x0 + (k + 1) * step, y1))
    else:
        step = (y1 - y0) / n
        for i in range(n):
            k = i if dy >= 0 else n - 1 - i
            pieces.append((x0, y0 + k * step, x1, y0 + (k + 1) * step))
    return pieces


def _text_flags(m) -> int:
    # ligatures are kept by MuPDF and expanded here (MuPDF would give the whole glyph box to
    # the first letter and none to the others; we split it evenly); white space is kept so
    # word breaks are explicit; text outside the page is clipped; images are left out
    # (faster); characters with no known Unicode value become U+FFFD
    return m.TEXT_PRESERVE_LIGATURES | m.TEXT_PRESERVE_WHITESPACE | m.TEXT_MEDIABOX_CLIP


def _add_superscripts(pt: PdfPageText, pos: int, words: list, sup: set[int]) -> None:
    """Record the page-text spans of the superscript words of a line that starts at ``pos``."""
    for i, (word, _) in enumerate(words):
        if i in sup:
            pt.superscripts.append((pos, pos + len(word)))
        pos += len(word) + len(WORD_SEPARATOR)


def build_page_text(page, geometry: bool = True) -> PdfPageText:
    """Build a page's text (and, with ``geometry``, its word/char index) from a PyMuPDF page.

    The caller holds :data:`LOCK`. Text is identical with and without ``geometry``.
    """
    m = pymupdf()
    rect = page.rect
    rot = page.rotation_matrix
    mat = (rot.a, rot.b, rot.c, rot.d, rot.e, rot.f)
    upright = mat == (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)  # an unrotated page: display = unrotated coordinates
    pt = PdfPageText(page.number, rect.width, rect.height, page.rotation)
    tp = page.get_textpage(flags=_text_flags(m))
    # "dict" is three times faster than "rawdict" (no per-character data): enough for the text
    raw = tp.extractRAWDICT() if geometry else tp.extractDICT()
    parts: list[str] = []
    pos = 0
    first_block = True
    for block in raw.get("blocks", ()):
        if block.get("type", 0) != 0:
            continue
        lines = []
        for line in block.get("lines", ()):
            words = _line_words(line, geometry)
            if words:
                lines.append((line, words))
        if not lines:
            continue
        if not first_block:
            parts.append(BLOCK_SEPARATOR)
            pos += len(BLOCK_SEPARATOR)
        first_block = False
        for li, (line, words) in enumerate(lines):
            if li:
                parts.append(LINE_SEPARATOR)
                pos += len(LINE_SEPARATOR)
            sup = _superscript_words(line, len(words))
            if sup is not None:
                _add_superscripts(pt, pos, words, sup)
            if not geometry:
                t = WORD_SEPARATOR.join([w for w, _ in words])
                parts.append(t)
                pos += len(t)
                continue
            line_start = pos
            first_char = len(pt.char_offsets)
            d = _dir_to_display(mat, line.get("dir", (1.0, 0.0)))
            for wi, (word, boxes) in enumerate(words):
                if wi:
                    parts.append(WORD_SEPARATOR)
                    pos += len(WORD_SEPARATOR)
                parts.append(word)
                word_start = pos
                wx0 = wy0 = math.inf
                wx1 = wy1 = -math.inf
                k = pos
                for bbox, count in boxes:
                    if upright:  # what _rect_to_display gives for the identity matrix, without its 8 products
                        x0, y0, x1, y1 = bbox
                        x0, y0, x1, y1 = x0 + 0.0, y0 + 0.0, x1 + 0.0, y1 + 0.0
                        box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
                    else:
                        box = _rect_to_display(mat, bbox)
                    # an expanded ligature: its letters share the glyph's box
                    for sub in _split_box(box, count, d) if count > 1 else (box,):
                        pt.char_offsets.append(k)
                        pt.char_boxes.append(sub)
                        k += 1
                    wx0, wy0 = min(wx0, box[0]), min(wy0, box[1])
                    wx1, wy1 = max(wx1, box[2]), max(wy1, box[3])
                pos += len(word)
                pt.words.append(PdfWord(word_start, pos, wx0, wy0, wx1, wy1))
            pt.lines.append(PdfLine(line_start, pos, d[0], d[1], first_char, len(pt.char_offsets)))
    pt.text = "".join(parts)
    pt._line_starts = [ln.start for ln in pt.lines]
    pt._has_text = pos > 0 and any(not c.isspace() for c in pt.text)
    return pt


# --------------------------------------------------------------------------- source


def _no_text_warning(pages: list[PageInfo]) -> str | None:
    empty = [p.number for p in pages if not p.has_text]
    if not empty:
        return None
    if len(empty) == len(pages):
        if len(pages) == 1:
            return "The page has no text layer (it is probably a scan): text cannot be selected."
        return "The document has no text layer (it is probably a scan): text cannot be selected."
    ranges = []
    for n in empty:
        if ranges and ranges[-1][1] == n - 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    txt = ", ".join(f"{a + 1}" if a == b else f"{a + 1}–{b + 1}" for a, b in ranges)
    word = "Page" if len(empty) == 1 else "Pages"
    verb = "has" if len(empty) == 1 else "have"
    return f"{word} {txt} {verb} no text layer: text cannot be selected there."


class PdfSource:
    """An open page-based document. Opening is quick: no text is extracted until asked."""

    def __init__(self, doc, data: bytes, name: str, kind: str, password: str | None, warnings: list[str]):
        self.doc = doc
        self.data = data
        self.name = name
        self.kind = kind
        self.password = password
        self.warnings = warnings
        self._cache: OrderedDict[int, PdfPageText] = OrderedDict()
        with LOCK:
            self._page_count = doc.page_count
            self.metadata = dict(doc.metadata or {})
            self.is_repaired = bool(getattr(doc, "is_repaired", False))
            self.is_encrypted = bool(doc.is_encrypted) or bool((self.metadata.get("encryption") or ""))

    # ---------------------------------------------------------------- basics

    @property
    def page_count(self) -> int:
        return self._page_count

    @property
    def title(self) -> str:
        return (self.metadata.get("title") or "").strip()

    def close(self) -> None:
        with LOCK:
            if self.doc is not None and not self.doc.is_closed:
                self.doc.close()
            self._cache.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check(self, n: int) -> None:
        if not 0 <= n < self._page_count:
            raise IndexError(f"page {n} outside 0..{self._page_count - 1}")

    def page_size(self, n: int) -> tuple[float, float]:
        """(width, height) of page n as displayed (rotation applied), in points."""
        self._check(n)
        with LOCK:
            r = self.doc[n].rect
            return (r.width, r.height)

    def page_rotation(self, n: int) -> int:
        self._check(n)
        with LOCK:
            return self.doc[n].rotation

    # ---------------------------------------------------------------- rendering

    def render(self, n: int, zoom: float = 1.0, clip=None, alpha: bool = False, annots: bool = True):
        """Render page n at ``zoom`` (pixels per point).

        ``clip`` is an optional (x0, y0, x1, y1) display-coordinate rect (tiles). Returns
        ``(width, height, stride, samples, fmt)`` with ``fmt`` "RGB888" (or "RGBA8888" with
        ``alpha``); ``samples`` is ``bytes``.
        """
        self._check(n)
        m = pymupdf()
        with LOCK:
            page = self.doc[n]
            kw = {"matrix": m.Matrix(zoom, zoom), "alpha": alpha, "annots": annots}
            if clip is not None:
                kw["clip"] = m.Rect(*clip)
            try:
                pix = page.get_pixmap(**kw)
            except _mupdf_errors() as exc:
                raise DocumentError(f"Page {n + 1} of {self.name} cannot be drawn: {exc}") from exc
            return (pix.width, pix.height, pix.stride, bytes(pix.samples), "RGBA8888" if alpha else "RGB888")

    # ---------------------------------------------------------------- text

    def page_text(self, n: int) -> PdfPageText:
        """Text and word/char geometry of page n (cached)."""
        self._check(n)
        with LOCK:
            hit = self._cache.get(n)
            if hit is not None:
                self._cache.move_to_end(n)
                return hit
            pt = self._build(n, geometry=True)
            self._cache[n] = pt
            while len(self._cache) > TEXT_PAGE_CACHE:
                self._cache.popitem(last=False)
            return pt

    def _build(self, n: int, geometry: bool) -> PdfPageText:
        try:
            return build_page_text(self.doc[n], geometry=geometry)
        except _mupdf_errors() as exc:
            # a damaged page: it shows what MuPDF can draw, and has no selectable text
            msg = f"Page {n + 1} could not be read ({exc}); it has no selectable text."
            if msg not in self.warnings:
                self.warnings.append(msg)
            r = self.doc[n].rect
            return PdfPageText(n, r.width, r.height, 0)

    def extract_all(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> tuple[str, list[PageInfo]]:
        """Full text and page table. Usable from a worker thread (takes the lock per page)."""
        total = self._page_count
        parts: list[str] = []
        pages: list[PageInfo] = []
        pos = 0
        for n in range(total):
            if cancel is not None and cancel():
                raise Cancelled()
            with LOCK:
                cached = self._cache.get(n)
                pt = cached if cached is not None else self._build(n, geometry=False)
            if n:
                parts.append(PAGE_SEPARATOR)
                pos += len(PAGE_SEPARATOR)
            parts.append(pt.text)
            sup = tuple((pos + a, pos + b) for a, b in pt.superscripts)
            pages.append(PageInfo(n, pos, pos + len(pt.text), pt.width, pt.height, pt.has_text, sup))
            pos += len(pt.text)
            if progress is not None:
                progress(n + 1, total)
        return "".join(parts), pages

    def no_text_warning(self, pages: list[PageInfo]) -> str | None:
        return _no_text_warning(pages)

    # ---------------------------------------------------------------- coordinate conversion

    def to_page_quads(self, n: int, quads) -> list[list[float]]:
        """Display-coordinate quads -> PyMuPDF's unrotated page coordinates (as used by
        ``Page.add_highlight_annot(quads=...)`` and by text extraction)."""
        self._check(n)
        with LOCK:
            m = self.doc[n].derotation_matrix
        return _transform_quads(quads, (m.a, m.b, m.c, m.d, m.e, m.f))

    def from_page_quads(self, n: int, quads) -> list[list[float]]:
        """PyMuPDF unrotated page coordinates (e.g. ``annot.vertices`` grouped by 4) -> display."""
        self._check(n)
        with LOCK:
            m = self.doc[n].rotation_matrix
        return _transform_quads(quads, (m.a, m.b, m.c, m.d, m.e, m.f))

    def to_pdf_quads(self, n: int, quads) -> list[list[float]]:
        """Display-coordinate quads -> PDF user space (y up): the numbers of ``/QuadPoints``."""
        self._check(n)
        with LOCK:
            page = self.doc[n]
            m = page.derotation_matrix * ~page.transformation_matrix
        return _transform_quads(quads, (m.a, m.b, m.c, m.d, m.e, m.f))

    def from_pdf_quads(self, n: int, quads) -> list[list[float]]:
        """PDF user space quads (``/QuadPoints`` in groups of 8) -> display coordinates."""
        self._check(n)
        with LOCK:
            page = self.doc[n]
            m = page.transformation_matrix * page.rotation_matrix
        return _transform_quads(quads, (m.a, m.b, m.c, m.d, m.e, m.f))


# --------------------------------------------------------------------------- opening

_FILETYPES = {"pdf": "pdf", "epub": "epub", "xps": "xps", "oxps": "xps", "fb2": "fb2", "cbz": "cbz", "mobi": "mobi"}
# reflowable formats are laid out on pages of this size (points) and font size: fixed, so the
# same bytes always give the same pages and text
REFLOW_PAGE = (420.0, 595.0, 11.0)


def open_pdf(
    source: bytes | str | os.PathLike,
    password: str | None = None,
    name: str | None = None,
    kind: str = "pdf",
) -> PdfSource:
    """Open a PDF (or EPUB/XPS with ``kind``) from bytes or a path, without extracting text.

    Raises :class:`PasswordRequired` for an encrypted file without a password
    (``wrong=False``) or with a wrong one (``wrong=True``), :class:`DocumentError` when the
    file cannot be read or is damaged beyond repair.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = name or "document.pdf"
    else:
        from annotator.core.documents import read_file

        data = read_file(source)
        name = name or os.path.basename(os.fspath(source))
    if not data:
        raise DocumentError(f"{name} is empty (0 bytes).")
    m = pymupdf()
    filetype = _FILETYPES.get(kind, kind)
    what = "PDF" if filetype == "pdf" else filetype.upper()
    warnings: list[str] = []
    with LOCK:
        m.TOOLS.reset_mupdf_warnings()
        try:
            doc = m.open(stream=data, filetype=filetype)
        except _mupdf_errors() as exc:
            raise DocumentError(
                f"{name} cannot be opened: the {what} file is damaged and could not be repaired ({exc})."
            ) from exc
        try:
            if doc.needs_pass:
                if not password:
                    raise PasswordRequired(f"{name} is protected by a password.")
                if not doc.authenticate(password):
                    raise PasswordRequired(f"The password for {name} is wrong. Try again.", wrong=True)
            if doc.is_reflowable:
                w, h, fs = REFLOW_PAGE
                doc.layout(width=w, height=h, fontsize=fs)
            count = doc.page_count
            if count == 0:
                raise DocumentError(f"{name} cannot be opened: the {what} file has no pages (it is damaged).")
            if filetype == "pdf":
                # load the first page now: a file that only pretends to be a PDF fails here
                try:
                    doc[0].rect
                except _mupdf_errors() as exc:
                    raise DocumentError(
                        f"{name} cannot be opened: the PDF file is damaged and could not be repaired ({exc})."
                    ) from exc
            if getattr(doc, "is_repaired", False):
                warnings.append(
                    f"{name} was damaged and has been repaired for display; some content may be missing."
                )
        except BaseException:
            doc.close()
            raise
        finally:
            m.TOOLS.reset_mupdf_warnings()
    return PdfSource(doc, data, name, kind, password, warnings)
