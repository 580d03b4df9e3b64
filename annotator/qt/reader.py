"""The article reader: a read-only text view of the stored document text with a header.

The QTextDocument holds exactly the stored text, so a Qt position is the UTF-16 offset
of the same character in the stored text; :class:`~annotator.core.anchors.Utf16Map`
converts to and from the code points the core uses (an emoji counts 2 in Qt, 1 in
Python). Highlights are char formats merged in one edit block (ExtraSelections cost
2.6x per repaint); an edit recolours only the ranges it touched.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

# Only what the first frame needs is imported here (start-up time): the Qt namespace alone costs
# ~30 ms to import (its enums are made at once), so Qt, the highlight formats, the UTF-16 map and
# the views protocol are imported where they are first used, after the first paint.
from PySide6.QtCore import QEvent, QPoint, Signal
from PySide6.QtGui import QFont, QPalette, QTextBlockFormat, QTextCursor
from PySide6.QtWidgets import QFrame, QLabel, QTextEdit, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QTextCharFormat

    from annotator.core.anchors import Utf16Map
    from annotator.core.model import DocumentInfo
    from annotator.qt.highlights import Highlight
    from annotator.qt.views import Selection

BASE_POINT_SIZE = 12
MIN_POINT_SIZE, MAX_POINT_SIZE = 7, 32
COLUMN_WIDTH_EM = 42  # comfortable reading measure
READING_FAMILIES = ["Georgia", "Charter", "Noto Serif", "DejaVu Serif", "Liberation Serif", "serif"]


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _paint_order(h: Highlight) -> tuple:
    # evidence under figures; suggestions under confirmed figures; big spans under the small ones inside them
    return (h.kind == "figure", h.status == "confirmed", -(h.end - h.start), h.start)


_FORMATS: dict[tuple, QTextCharFormat] = {}
_PLAIN_FORMAT: list = []


def _plain() -> QTextCharFormat:
    if not _PLAIN_FORMAT:
        from PySide6.QtGui import QTextCharFormat

        _PLAIN_FORMAT.append(QTextCharFormat())
    return _PLAIN_FORMAT[0]


def char_format(h: Highlight) -> QTextCharFormat:
    key = (h.kind, h.status, h.verdict, h.flagged)
    fmt = _FORMATS.get(key)
    if fmt is None:
        fmt = _FORMATS[key] = _make_format(h)
    return fmt


def _in_paint_order(hs) -> list[Highlight]:
    """Evidence first, then suggestions, then confirmed figures; within each, long spans first."""
    buckets: tuple[list, list, list] = ([], [], [])
    for h in hs:
        buckets[0 if h.kind != "figure" else (1 if h.status != "confirmed" else 2)].append(h)
    out: list[Highlight] = []
    for b in buckets:
        b.sort(key=lambda h: h.start - h.end)
        out.extend(b)
    return out


class _SpanIndex:
    """Highlights sorted by start, to find those overlapping a range without a full scan."""

    def __init__(self, hs=()):
        items = sorted((h.start, h.end, h.key) for h in hs)
        self._starts = [it[0] for it in items]
        self._items = items
        self._maxlen = max((e - s for s, e, _k in items), default=0)

    def add(self, h: Highlight) -> None:
        item = (h.start, h.end, h.key)
        i = bisect.bisect_left(self._items, item)
        self._items.insert(i, item)
        self._starts.insert(i, h.start)
        self._maxlen = max(self._maxlen, h.end - h.start)

    def remove(self, h: Highlight) -> None:
        item = (h.start, h.end, h.key)
        i = bisect.bisect_left(self._items, item)
        if i < len(self._items) and self._items[i] == item:
            del self._items[i]
            del self._starts[i]

    def overlapping(self, s: int, e: int, shown: Mapping[str, Highlight]) -> list[Highlight]:
        """Highlights with start < e and end > s."""
        hi = bisect.bisect_left(self._starts, e)
        lo = bisect.bisect_left(self._starts, s - self._maxlen)
        return [shown[k] for st, en, k in self._items[lo:hi] if en > s and k in shown]


def _make_format(h: Highlight) -> QTextCharFormat:
    from PySide6.QtGui import QColor, QTextCharFormat

    from annotator.qt.highlights import EVIDENCE_FILL, EVIDENCE_LINE, FLAG_INK, FLAG_LINE, SUGGESTED_FILL, \
        SUGGESTED_LINE, verdict_color

    fmt = QTextCharFormat()
    if h.kind == "evidence":
        fmt.setBackground(QColor(EVIDENCE_FILL))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(QColor(EVIDENCE_LINE))
    elif h.status == "suggested":
        fmt.setBackground(QColor(SUGGESTED_FILL))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        fmt.setUnderlineColor(QColor(SUGGESTED_LINE))
    else:
        fmt.setBackground(verdict_color(h.verdict))
    if h.flagged:  # a check that does not compute: red wavy underline and red text (a thin line is easy to miss)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor(FLAG_LINE))
        fmt.setForeground(QColor(FLAG_INK))
    return fmt


class ReaderTextEdit(QTextEdit):
    """Read-only, selectable text in a centred reading column, with tooltips on highlights."""

    def __init__(self, owner: "ReaderView"):
        super().__init__(owner)
        self._owner = owner
        self.setReadOnly(True)  # selectable by mouse; by keyboard too once set_interaction() ran
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptDrops(False)  # files dropped on the text go to the window
        self.setObjectName("readerText")
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, pal.color(QPalette.ColorRole.Base))
        self.setPalette(pal)
        self.setAutoFillBackground(True)

    _viewport = None

    def set_interaction(self) -> None:
        """Selection by keyboard too, tooltips on highlights (after the first paint: they need the
        Qt namespace and the viewport's Python type, both slow to make)."""
        from PySide6.QtCore import Qt

        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        if self._viewport is None:
            self._viewport = self.viewport()
            self._viewport.installEventFilter(self)

    def resizeEvent(self, event):
        # the margins first: the base class then lays the text out for the viewport they leave (the
        # other way round, a reader resized while hidden kept the old text width and was cut off)
        self._center()
        super().resizeEvent(event)

    def _center(self) -> None:
        em = self.fontMetrics().horizontalAdvance("M")
        font = self.document().defaultFont()
        if font.pointSizeF() > 0:
            em = max(em, int(font.pointSizeF() * 1.1))
        column = COLUMN_WIDTH_EM * em
        side = max(0, (self.width() - column) // 2)
        if self.viewportMargins().left() != side:
            self.setViewportMargins(side, 0, side, 0)

    def contextMenuEvent(self, event) -> None:
        from PySide6.QtCore import Qt

        menu = self.createStandardContextMenu(event.pos())
        actions = [a for a in self._owner.context_actions if a.isEnabled()]
        if actions:
            first = menu.actions()[0] if menu.actions() else None
            menu.insertActions(first, actions)
            menu.insertSeparator(first)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    def eventFilter(self, obj, event) -> bool:
        """Tooltips of the highlights (a filter on the viewport, installed after the first paint)."""
        if event.type() == QEvent.Type.ToolTip and obj is self._viewport:
            from PySide6.QtWidgets import QToolTip

            tip = self._owner.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self._viewport)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().eventFilter(obj, event)  # the scroll area's own (scroll bar hover)


class ReaderView(QWidget):
    selectionChanged = Signal()
    figureActivated = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("readerView")
        self.header = QLabel(self)
        self.header.setObjectName("readerHeader")
        self.header.setWordWrap(True)  # rich text (recognised as such: it starts with a tag)
        self.header.setContentsMargins(16, 10, 16, 8)
        self.header.setAutoFillBackground(True)
        self.edit = ReaderTextEdit(self)
        self.setFocusProxy(self.edit)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.header)
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Plain)
        rule.setStyleSheet("color: palette(midlight);")
        lay.addWidget(rule)
        lay.addWidget(self.edit, 1)
        self.context_actions: list = []  # offered first in the right-click menu (set by the window)
        self._point_size = BASE_POINT_SIZE
        self._text = ""
        self._map_cache: Utf16Map | None = None
        self._shown: dict[str, Highlight] = {}
        self._index_cache: _SpanIndex | None = _SpanIndex()
        self._limit = 0
        font = QFont()
        font.setFamilies(READING_FAMILIES)
        font.setPointSize(self._point_size)
        self.edit.document().setDefaultFont(font)
        self.edit.document().setDocumentMargin(18)
        self.edit.selectionChanged.connect(self.selectionChanged)
        self.edit.cursorPositionChanged.connect(self._cursor_moved)
        self.header.hide()

    def finish_setup(self) -> None:
        """What the first frame can do without (the window calls it right after that frame)."""
        from PySide6.QtCore import Qt

        self.edit.set_interaction()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    @property
    def _map(self) -> Utf16Map:
        if self._map_cache is None:
            from annotator.core.anchors import Utf16Map

            self._map_cache = Utf16Map(self._text)
        return self._map_cache

    # -- document ----------------------------------------------------------------------

    def set_document(self, info: DocumentInfo, text: str, data: bytes | None = None,
                     password: str | None = None) -> None:
        self._set_header(info)
        self._show_text(text)

    def show_preview(self, title: str, source_name: str, text: str) -> None:
        """Show a text before it is loaded and stored (the first frame at start-up); the
        :meth:`set_document` of the same text that follows keeps this layout."""
        self._header_html(title, [], "", source_name)
        self._show_text(text)

    def _show_text(self, text: str) -> None:
        if text == self._text and text:  # shown already (the start-up preview): keep the layout
            return
        self._text = text
        self._map_cache = None
        self._shown = {}
        self._index_cache = _SpanIndex()
        doc = self.edit.document()
        self.edit.setPlainText(text)
        cur = QTextCursor(doc)
        cur.select(QTextCursor.SelectionType.Document)
        block = QTextBlockFormat()
        block.setLineHeight(138.0, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cur.mergeBlockFormat(block)
        self.edit.moveCursor(QTextCursor.MoveOperation.Start)
        self.edit._center()

    def clear(self) -> None:
        self._text = ""
        self._map_cache = None
        self._shown = {}
        self._index_cache = _SpanIndex()
        self.edit.clear()
        self.header.hide()

    def _set_header(self, info: DocumentInfo) -> None:
        md = info.metadata or {}
        title = info.title or md.get("title") or info.source_name
        bits = []
        for key in ("author", "byline"):
            if md.get(key):
                bits.append(_esc(str(md[key])))
                break
        for key in ("date", "sitename", "hostname"):
            if md.get(key):
                bits.append(_esc(str(md[key])))
        url = str(md.get("url") or "")
        self._header_html(str(title), bits, url, info.source_name)

    def _header_html(self, title: str, bits: list[str], url: str, source_name: str) -> None:
        parts = [f"<div style='font-size:15pt; font-weight:600'>{_esc(title)}</div>"]
        sub = " · ".join(bits)
        if url:
            sub = f"{sub} · {_esc(url)}" if sub else _esc(url)
        if not sub and source_name and source_name != title:
            sub = _esc(source_name)
        if sub:
            parts.append(f"<div style='color:palette(placeholder-text)'>{sub}</div>")
        self.header.setText("".join(parts))
        self.header.setToolTip(url or source_name)
        self.header.show()

    @property
    def text(self) -> str:
        return self._text

    # -- positions -------------------------------------------------------------------------

    def to_qt(self, cp: int) -> int:
        return self._map.to_utf16(cp)

    def to_cp(self, pos: int) -> int:
        return self._map.to_cp(pos)

    def selection(self) -> Selection | None:
        from annotator.qt.views import Selection

        cur = self.edit.textCursor()
        if not cur.hasSelection():
            return None
        s, e = self.to_cp(cur.selectionStart()), self.to_cp(cur.selectionEnd())
        return Selection(s, e) if e > s else None

    def select_span(self, start: int, end: int) -> None:
        """Select code points ``[start, end)`` (as a user dragging over them would)."""
        cur = QTextCursor(self.edit.document())
        cur.setPosition(self.to_qt(start))
        cur.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.edit.setTextCursor(cur)

    def set_cursor(self, offset: int) -> None:
        """Put the (collapsed) cursor at code point ``offset``, as a click there would."""
        cur = QTextCursor(self.edit.document())
        cur.setPosition(self.to_qt(offset))
        self.edit.setTextCursor(cur)

    def reveal(self, start: int, end: int, page: int | None = None, select: bool = True) -> None:
        if select:
            self.select_span(start, end)
        cur = QTextCursor(self.edit.document())
        cur.setPosition(self.to_qt(start))
        rect = self.edit.cursorRect(cur)
        bar = self.edit.verticalScrollBar()
        target = bar.value() + rect.center().y() - self.edit.viewport().height() // 2
        bar.setValue(max(bar.minimum(), min(bar.maximum(), target)))

    # -- highlights -----------------------------------------------------------------------

    def set_highlights(self, highlights: Mapping[str, Highlight], changed: Iterable[str] | None = None) -> None:
        doc = self.edit.document()
        cur = QTextCursor(doc)
        self._limit = doc.characterCount() - 1
        cur.beginEditBlock()
        try:
            if changed is None:
                cur.select(QTextCursor.SelectionType.Document)
                cur.setCharFormat(_plain())
                self._shown = dict(highlights)
                self._index_cache = None  # built on first use (a click, a tooltip, an edit)
                # the hot loop of opening a document: kept free of per-highlight method calls
                astral, to16, limit = self._map._astral, self._map.to_utf16, self._limit
                setpos, merge, keep = cur.setPosition, cur.mergeCharFormat, QTextCursor.MoveMode.KeepAnchor
                formats = _FORMATS
                for h in _in_paint_order(self._shown.values()):
                    a, b = h.start, h.end
                    if astral:
                        a, b = to16(a), to16(b)
                    if b > limit:
                        b = limit
                    if b <= a:
                        continue
                    fmt = formats.get((h.kind, h.status, h.verdict)) or char_format(h)
                    setpos(a)
                    setpos(b, keep)
                    merge(fmt)
            else:
                ranges = []
                for k in changed:
                    old, new = self._shown.get(k), highlights.get(k)
                    if old is not None and new is not None and old.look() == new.look():
                        self._shown[k] = new  # e.g. a new tooltip: nothing to redraw
                        continue
                    if old is not None:
                        self._index.remove(old)
                        del self._shown[k]
                        ranges.append((old.start, old.end))
                    if new is not None:
                        self._index.add(new)
                        self._shown[k] = new
                        ranges.append((new.start, new.end))
                for s, e in _merge_ranges(ranges):
                    self._reset(cur, s, e)
                    for h in _in_paint_order(self._index.overlapping(s, e, self._shown)):
                        self._paint(cur, h, max(s, h.start), min(e, h.end))
        finally:
            cur.endEditBlock()

    @property
    def _index(self) -> "_SpanIndex":
        if self._index_cache is None:
            self._index_cache = _SpanIndex(self._shown.values())
        return self._index_cache

    def _qt_range(self, s: int, e: int) -> tuple[int, int]:
        if self._map._astral:
            s, e = self._map.to_utf16(s), self._map.to_utf16(e)
        if e > self._limit:
            e = self._limit
        return s, e

    def _paint(self, cur: QTextCursor, h: Highlight, s: int, e: int) -> None:
        a, b = self._qt_range(s, e)
        if b <= a:
            return
        cur.setPosition(a)
        cur.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        cur.mergeCharFormat(char_format(h))

    def _reset(self, cur: QTextCursor, s: int, e: int) -> None:
        a, b = self._qt_range(s, e)
        if b <= a:
            return
        cur.setPosition(a)
        cur.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        cur.setCharFormat(_plain())

    def format_at(self, offset: int) -> QTextCharFormat:
        """The char format drawn on the character at code point ``offset`` (for tests and checks)."""
        cur = QTextCursor(self.edit.document())
        cur.setPosition(self.to_qt(offset) + 1)
        return cur.charFormat()

    def is_highlighted(self, offset: int) -> bool:
        from PySide6.QtGui import QTextFormat

        return self.format_at(offset).hasProperty(QTextFormat.Property.BackgroundBrush)

    def figure_at(self, offset: int, inclusive_end: bool = True) -> str | None:
        """The innermost figure whose highlight holds code point ``offset``."""
        best = None
        for h in self._index.overlapping(offset - 1, offset + 1, self._shown):
            if h.kind != "figure":
                continue
            if h.start <= offset < h.end or (inclusive_end and offset == h.end):
                if best is None or h.end - h.start < best.end - best.start:
                    best = h
        return best.figure_id if best else None

    def highlights_at(self, offset: int) -> list[Highlight]:
        hs = [h for h in self._index.overlapping(offset, offset + 1, self._shown) if h.start <= offset < h.end]
        return sorted(hs, key=_paint_order, reverse=True)

    def tooltip_at(self, pos: QPoint) -> str:
        from PySide6.QtCore import Qt

        bar_x = self.edit.horizontalScrollBar().value()
        bar_y = self.edit.verticalScrollBar().value()
        layout = self.edit.document().documentLayout()
        hit = layout.hitTest(pos + QPoint(bar_x, bar_y), Qt.HitTestAccuracy.ExactHit)
        if hit < 0:
            return ""
        hs = self.highlights_at(self.to_cp(hit))
        return "<hr>".join(t for t in (h.tip() for h in hs) if t)

    def _cursor_moved(self) -> None:
        if not self._shown:  # no highlight to activate (and no need for the UTF-16 map yet)
            return
        cur = self.edit.textCursor()
        if cur.hasSelection():
            return
        fid = self.figure_at(self.to_cp(cur.position()))
        if fid is not None:
            self.figureActivated.emit(fid)

    # -- find and zoom ------------------------------------------------------------------------

    def find(self, text: str, backward: bool = False, case_sensitive: bool = False) -> bool:
        from PySide6.QtGui import QTextDocument

        if not text:
            return False
        doc = self.edit.document()
        flags = QTextDocument.FindFlag(0)
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        if case_sensitive:
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        found = doc.find(text, self.edit.textCursor(), flags)
        if found.isNull():
            start = QTextCursor(doc)
            start.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
            found = doc.find(text, start, flags)
        if found.isNull():
            return False
        self.edit.setTextCursor(found)
        self.reveal(self.to_cp(found.selectionStart()), self.to_cp(found.selectionEnd()), select=False)
        return True

    def zoom(self, step: int) -> None:
        self._point_size = BASE_POINT_SIZE if step == 0 else \
            max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, self._point_size + step))
        font = self.edit.document().defaultFont()
        font.setPointSize(self._point_size)
        self.edit.document().setDefaultFont(font)
        self.edit._center()

    @property
    def point_size(self) -> int:
        return self._point_size

    def zoom_percent(self) -> float:
        return 100.0 * self._point_size / BASE_POINT_SIZE


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]
