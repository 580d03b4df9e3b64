"""The article reader: a read-only text view of the stored document text with a header.

The QTextDocument holds exactly the stored text, so a Qt position is the UTF-16 offset
of the same character in the stored text; :class:`~annotator.core.anchors.Utf16Map`
converts to and from the code points the core uses (an emoji counts 2 in Qt, 1 in
Python). Highlights are char formats merged in one edit block (ExtraSelections cost
2.6x per repaint); an edit recolours only the ranges it touched.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument, \
    QTextFormat
from PySide6.QtWidgets import QFrame, QLabel, QTextEdit, QToolTip, QVBoxLayout, QWidget

from annotator.core.anchors import Utf16Map
from annotator.core.model import DocumentInfo
from annotator.qt.highlights import EVIDENCE_FILL, EVIDENCE_LINE, SUGGESTED_FILL, SUGGESTED_LINE, Highlight, \
    verdict_color
from annotator.qt.views import Selection

BASE_POINT_SIZE = 12
MIN_POINT_SIZE, MAX_POINT_SIZE = 7, 32
COLUMN_WIDTH_EM = 42  # comfortable reading measure
READING_FAMILIES = ["Georgia", "Charter", "Noto Serif", "DejaVu Serif", "Liberation Serif", "serif"]


def _paint_order(h: Highlight) -> tuple:
    # evidence under figures; suggestions under confirmed figures; big spans under the small ones inside them
    return (h.kind == "figure", h.status == "confirmed", -(h.end - h.start), h.start)


def char_format(h: Highlight) -> QTextCharFormat:
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
    return fmt


class ReaderTextEdit(QTextEdit):
    """Read-only, selectable text in a centred reading column, with tooltips on highlights."""

    def __init__(self, owner: "ReaderView"):
        super().__init__(owner)
        self._owner = owner
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptDrops(False)  # files dropped on the text go to the window
        self.setObjectName("readerText")
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, pal.color(QPalette.ColorRole.Base))
        self.setPalette(pal)
        self.setAutoFillBackground(True)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._center()

    def _center(self) -> None:
        em = self.fontMetrics().horizontalAdvance("M")
        font = self.document().defaultFont()
        if font.pointSizeF() > 0:
            em = max(em, int(font.pointSizeF() * 1.1))
        column = COLUMN_WIDTH_EM * em
        side = max(0, (self.width() - column) // 2)
        if self.viewportMargins().left() != side:
            self.setViewportMargins(side, 0, side, 0)

    def viewportEvent(self, event):
        if event.type() == QEvent.Type.ToolTip:
            tip = self._owner.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)


class ReaderView(QWidget):
    selectionChanged = Signal()
    figureActivated = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("readerView")
        self.header = QLabel(self)
        self.header.setObjectName("readerHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        self._point_size = BASE_POINT_SIZE
        self._text = ""
        self._map = Utf16Map("")
        self._shown: dict[str, Highlight] = {}
        self._figure_spans: list[tuple[int, int, str]] | None = None
        font = QFont()
        font.setFamilies(READING_FAMILIES)
        font.setPointSize(self._point_size)
        self.edit.document().setDefaultFont(font)
        self.edit.document().setDocumentMargin(18)
        self.edit.selectionChanged.connect(self.selectionChanged)
        self.edit.cursorPositionChanged.connect(self._cursor_moved)
        self.header.hide()

    # -- document ----------------------------------------------------------------------

    def set_document(self, info: DocumentInfo, text: str, data: bytes | None = None,
                     password: str | None = None) -> None:
        self._text = text
        self._map = Utf16Map(text)
        self._shown = {}
        self._figure_spans = None
        self._set_header(info)
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
        self._map = Utf16Map("")
        self._shown = {}
        self._figure_spans = None
        self.edit.clear()
        self.header.hide()

    def _set_header(self, info: DocumentInfo) -> None:
        md = info.metadata or {}
        title = info.title or md.get("title") or info.source_name
        bits = []
        for key in ("author", "byline"):
            if md.get(key):
                bits.append(html.escape(str(md[key])))
                break
        for key in ("date", "sitename", "hostname"):
            if md.get(key):
                bits.append(html.escape(str(md[key])))
        url = str(md.get("url") or "")
        parts = [f"<div style='font-size:15pt; font-weight:600'>{html.escape(str(title))}</div>"]
        sub = " · ".join(bits)
        if url:
            sub = f"{sub} · {html.escape(url)}" if sub else html.escape(url)
        if not sub and info.source_name and info.source_name != title:
            sub = html.escape(info.source_name)
        if sub:
            parts.append(f"<div style='color:palette(placeholder-text)'>{sub}</div>")
        self.header.setText("".join(parts))
        self.header.setToolTip(url or info.source_name)
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
        limit = doc.characterCount() - 1
        cur.beginEditBlock()
        try:
            if changed is None:
                cur.select(QTextCursor.SelectionType.Document)
                cur.setCharFormat(QTextCharFormat())
                for h in sorted(highlights.values(), key=_paint_order):
                    self._paint(cur, h, h.start, h.end, limit)
            else:
                ranges = []
                for k in changed:
                    old, new = self._shown.get(k), highlights.get(k)
                    if old is not None and new is not None and old.look() == new.look():
                        continue
                    for h in (old, new):
                        if h is not None and h.end > h.start:
                            ranges.append((h.start, h.end))
                for s, e in _merge_ranges(ranges):
                    self._reset(cur, s, e, limit)
                    for h in sorted((h for h in highlights.values() if h.start < e and h.end > s), key=_paint_order):
                        self._paint(cur, h, max(s, h.start), min(e, h.end), limit)
        finally:
            cur.endEditBlock()
        self._shown = dict(highlights)
        self._figure_spans = None

    def _paint(self, cur: QTextCursor, h: Highlight, s: int, e: int, limit: int) -> None:
        a, b = min(self.to_qt(s), limit), min(self.to_qt(e), limit)
        if b <= a:
            return
        cur.setPosition(a)
        cur.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        cur.mergeCharFormat(char_format(h))

    def _reset(self, cur: QTextCursor, s: int, e: int, limit: int) -> None:
        a, b = min(self.to_qt(s), limit), min(self.to_qt(e), limit)
        if b <= a:
            return
        cur.setPosition(a)
        cur.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        cur.setCharFormat(QTextCharFormat())

    def format_at(self, offset: int) -> QTextCharFormat:
        """The char format drawn on the character at code point ``offset`` (for tests and checks)."""
        cur = QTextCursor(self.edit.document())
        cur.setPosition(self.to_qt(offset) + 1)
        return cur.charFormat()

    def is_highlighted(self, offset: int) -> bool:
        return self.format_at(offset).hasProperty(QTextFormat.Property.BackgroundBrush)

    def _spans(self) -> list[tuple[int, int, str]]:
        if self._figure_spans is None:
            self._figure_spans = sorted((h.start, h.end, h.figure_id) for h in self._shown.values()
                                        if h.kind == "figure")
        return self._figure_spans

    def figure_at(self, offset: int, inclusive_end: bool = True) -> str | None:
        best = None
        for s, e, fid in self._spans():
            if s > offset:
                break
            if s <= offset < e or (inclusive_end and offset == e):
                if best is None or e - s < best[1] - best[0]:
                    best = (s, e, fid)
        return best[2] if best else None

    def highlights_at(self, offset: int) -> list[Highlight]:
        return sorted((h for h in self._shown.values() if h.start <= offset < h.end), key=_paint_order, reverse=True)

    def tooltip_at(self, pos: QPoint) -> str:
        bar_x = self.edit.horizontalScrollBar().value()
        bar_y = self.edit.verticalScrollBar().value()
        layout = self.edit.document().documentLayout()
        hit = layout.hitTest(pos + QPoint(bar_x, bar_y), Qt.HitTestAccuracy.ExactHit)
        if hit < 0:
            return ""
        hs = self.highlights_at(self.to_cp(hit))
        return "<hr>".join(h.tooltip for h in hs if h.tooltip)

    def _cursor_moved(self) -> None:
        cur = self.edit.textCursor()
        if cur.hasSelection():
            return
        fid = self.figure_at(self.to_cp(cur.position()))
        if fid is not None:
            self.figureActivated.emit(fid)

    # -- find and zoom ------------------------------------------------------------------------

    def find(self, text: str, backward: bool = False, case_sensitive: bool = False) -> bool:
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


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]
