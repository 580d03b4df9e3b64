"""The PDF page view: lazy rendering, zoom, navigation, word-wise selection, highlights, find."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QMouseEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.pdf import open_pdf, pymupdf  # noqa: E402
from annotator.qt.pdf_view import PdfView  # noqa: E402

pytestmark = pytest.mark.gui

SENTENCE = "Police said at least 30,000 protesters gathered in the square on Friday."
NEEDLE_PAGE = 5
ROTATED_PAGE = 3
SCAN_PAGE = 2
PAGES = 8


def _make_pdf() -> bytes:
    """8 A4 pages: text everywhere except a drawing-only page 2; page 3 has /Rotate 90;
    page 5 holds the only occurrence of "needle"."""
    m = pymupdf()
    doc = m.open()
    for n in range(PAGES):
        page = doc.new_page(width=595, height=842)
        if n == SCAN_PAGE:
            page.draw_rect(m.Rect(100, 100, 400, 500), color=(0, 0, 0), fill=(0.6, 0.6, 0.6))
            continue
        page.insert_text((72, 100), f"Page {n + 1}. {SENTENCE}", fontname="helv", fontsize=11)
        for k in range(10):
            page.insert_text((72, 140 + 20 * k), f"Line {k} of page {n + 1} with ordinary words.", fontname="helv", fontsize=11)
        if n == NEEDLE_PAGE:
            page.insert_text((72, 500), "A haystack hides one needle here.", fontname="helv", fontsize=11)
        if n == ROTATED_PAGE:
            page.set_rotation(90)
    data = doc.tobytes()
    doc.close()
    return data


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return _make_pdf()


class Spy:
    """Wraps a PdfSource and records the render and page_text calls."""

    def __init__(self, source):
        self._s = source
        self.renders: list[tuple[int, float, int, int]] = []
        self.clips: list = []
        self.texts: list[int] = []

    def __getattr__(self, name):
        return getattr(self._s, name)

    @property
    def page_count(self):
        return self._s.page_count

    def render(self, n, zoom=1.0, **kw):
        out = self._s.render(n, zoom, **kw)
        self.renders.append((n, zoom, out[0], out[1]))
        self.clips.append(kw.get("clip"))
        return out

    def page_text(self, n):
        self.texts.append(n)
        return self._s.page_text(n)


@pytest.fixture
def view(qtbot, pdf_bytes):
    src = Spy(open_pdf(pdf_bytes, name="test.pdf"))
    v = PdfView()
    qtbot.addWidget(v)
    v.resize(640, 520)
    v.show()
    qtbot.waitExposed(v)
    v.set_zoom(1.0)
    v.set_source(src)
    _settle(qtbot)
    yield v
    v.set_source(None)
    src.close()


def _settle(qtbot, ms: int = 60):
    QApplication.processEvents()
    qtbot.wait(ms)
    QApplication.processEvents()


def _word_box(view, page: int, word: str):
    pt = view.source().page_text(page)
    i = pt.text.index(word)
    rects = pt.span_rects(i, i + len(word))
    x0 = min(r[0] for r in rects)
    y0 = min(r[1] for r in rects)
    x1 = max(r[2] for r in rects)
    y1 = max(r[3] for r in rects)
    return i, (x0, y0, x1, y1)


def _to_view(view, page, x, y) -> QPoint:
    return view.map_from_page(page, QPointF(x, y)).toPoint()


def _mouse(widget, kind, pos: QPoint, buttons=Qt.LeftButton, button=Qt.LeftButton):
    ev = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons, Qt.NoModifier)
    QApplication.sendEvent(widget, ev)


def _drag(view, a: QPoint, b: QPoint, steps: int = 4):
    vp = view.viewport()
    _mouse(vp, QEvent.MouseButtonPress, a)
    for k in range(1, steps + 1):
        p = a + (b - a) * (k / steps)
        _mouse(vp, QEvent.MouseMove, p, Qt.LeftButton, Qt.NoButton)
    _mouse(vp, QEvent.MouseButtonRelease, b, Qt.NoButton)


def _drag_over_word(view, page, word):
    i, (x0, y0, x1, y1) = _word_box(view, page, word)
    view.scroll_to(page, [[x0, y0, x1, y0, x0, y1, x1, y1]])
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    # press inside the first character, release inside the last one (along the writing direction)
    if x1 - x0 >= y1 - y0:
        a, b = (x0 + 1.5, ym), (x1 - 1.5, ym)
    else:
        a, b = (xm, y0 + 1.5), (xm, y1 - 1.5)
    _drag(view, _to_view(view, page, *a), _to_view(view, page, *b))
    return i


# --------------------------------------------------------------------------- opening and rendering


def test_pages_are_joined_as_the_loader_joins_them():
    import annotator.core.pdf as loader
    import annotator.qt.pdf_view as pv

    assert pv.PAGE_SEPARATOR == loader.PAGE_SEPARATOR


def test_opening_renders_only_the_first_pages_and_extracts_no_text(view):
    src = view.source()
    rendered = {r[0] for r in src.renders}
    assert 0 in rendered
    # page 1 fills the view; at most the page after it is rendered ahead of time
    assert rendered <= {0, 1}
    assert src.texts == []
    assert view.current_page() == 0 and view.page_count() == PAGES


def test_only_pages_in_view_are_rendered_after_a_jump(view, qtbot):
    src = view.source()
    src.renders.clear()
    view.go_to_page(6)
    _settle(qtbot)
    rendered = {r[0] for r in src.renders}
    assert 6 in rendered
    assert rendered <= {5, 6, 7}
    assert view.current_page() == 6


def test_zoom_rerenders_at_the_new_resolution(view, qtbot):
    src = view.source()
    w1 = [r for r in src.renders if r[0] == 0][-1]
    p1 = view.map_from_page(0, QPointF(100, 100)) - view.map_from_page(0, QPointF(0, 0))
    view.set_zoom(2.0)
    _settle(qtbot)
    w2 = [r for r in src.renders if r[0] == view.current_page()][-1]
    p2 = view.map_from_page(0, QPointF(100, 100)) - view.map_from_page(0, QPointF(0, 0))
    assert w2[1] == pytest.approx(2 * w1[1])  # rendered at twice the scale, not scaled up
    if src.clips[-1] is None:  # (on a high-dpi screen the page may be cut into tiles at this zoom)
        assert w2[2] == pytest.approx(2 * w1[2], abs=2)  # image twice as wide
    assert p2.x() == pytest.approx(2 * p1.x(), abs=1)  # drawn twice as big
    view.zoom_out()
    assert view.zoom() < 2.0
    view.zoom_in()
    assert view.zoom() == pytest.approx(2.0)


def test_fit_width_fills_the_view(view):
    view.fit_width()
    r = view.map_from_page(0, QPointF(595, 0)).x() - view.map_from_page(0, QPointF(0, 0)).x()
    assert view.viewport().width() - 40 <= r <= view.viewport().width()


# --------------------------------------------------------------------------- selection


def test_dragging_over_a_figure_selects_it_with_document_offsets(view, qtbot):
    text, pages = view.source().extract_all()
    view.set_pages(pages, text)
    with qtbot.waitSignal(view.selectionChanged):
        i = _drag_over_word(view, 0, "30,000")
    assert view.selected_text() == "30,000"
    assert view.selection_in_page() == (0, i, i + 6)
    start, end = view.selection()
    assert text[start:end] == "30,000"
    page, quads = view.selection_quads()
    assert page == 0 and len(quads) == 1


def test_selection_on_a_later_page_maps_to_that_page_s_offsets(view, qtbot):
    text, pages = view.source().extract_all()
    view.set_pages(pages, text)
    _drag_over_word(view, 4, "30,000")
    start, end = view.selection()
    assert text[start:end] == "30,000"
    assert pages[4].start <= start < end <= pages[4].end


def test_selection_snaps_to_whole_words_in_reading_order(view):
    # from the middle of "least" back to the middle of "said": the words between, whole
    _i, (ax0, ay0, ax1, ay1) = _word_box(view, 0, "least")
    _j, (bx0, by0, bx1, by1) = _word_box(view, 0, "said")
    _drag(view, _to_view(view, 0, (ax0 + ax1) / 2, (ay0 + ay1) / 2), _to_view(view, 0, (bx0 + bx1) / 2, (by0 + by1) / 2))
    assert view.selected_text() == "said at least"


def test_selection_before_page_spans_are_known(view):
    # page spans come later (background extraction): the page-local selection works already
    _drag_over_word(view, 1, "30,000")
    assert view.selection() is None
    assert view.selected_text() == "30,000"
    text, pages = view.source().extract_all()
    view.set_pages(pages)
    start, end = view.selection()
    assert text[start:end] == "30,000"


def test_selection_dragged_across_a_page_break(view, qtbot):
    text, pages = view.source().extract_all()
    view.set_pages(pages, text)
    view.set_zoom(0.45)  # the foot of page 1 and the head of page 2 both in view
    view.scroll_to(0, [[72, 300, 100, 300, 72, 842, 100, 842]])
    _settle(qtbot, 10)
    pt0 = view.source().page_text(0)
    i = pt0.text.rindex("ordinary")
    (ax0, ay0, ax1, ay1), = pt0.span_rects(i, i + 8)
    _j, (bx0, by0, bx1, by1) = _word_box(view, 1, "Police")
    a = _to_view(view, 0, ax0 + 1, (ay0 + ay1) / 2)
    b = _to_view(view, 1, bx1 - 1, (by0 + by1) / 2)
    assert view.viewport().rect().contains(a) and view.viewport().rect().contains(b)
    _drag(view, a, b)
    assert [seg[0] for seg in view.selection_pages()] == [0, 1]
    start, end = view.selection()
    assert view.selected_text() == text[start:end]
    assert text[start:end].startswith("ordinary words.") and text[start:end].endswith("Page 2. Police")
    assert [n for n, _q in view.selection_quads_by_page()] == [0, 1]
    # the same selection made from document offsets
    view.clear_selection()
    assert view.select_document_span(start, end)
    assert view.selection() == (start, end) and len(view.selection_pages()) == 2


def test_holding_a_drag_below_the_view_scrolls_and_extends_the_selection(view, qtbot):
    _i, (x0, y0, x1, y1) = _word_box(view, 0, "Police")
    a = _to_view(view, 0, x0 + 1, (y0 + y1) / 2)
    below = QPoint(a.x(), view.viewport().height() + 200)
    vp = view.viewport()
    top = view.verticalScrollBar().value()
    _mouse(vp, QEvent.MouseButtonPress, a)
    _mouse(vp, QEvent.MouseMove, below, Qt.LeftButton, Qt.NoButton)
    qtbot.waitUntil(lambda: view.verticalScrollBar().value() > top + 1300, timeout=3000)
    _mouse(vp, QEvent.MouseButtonRelease, below, Qt.NoButton)
    segs = view.selection_pages()
    assert segs[0][0] == 0 and segs[-1][0] >= 1
    assert view.selected_text().startswith("Police said at least 30,000")
    value = view.verticalScrollBar().value()
    qtbot.wait(100)
    assert view.verticalScrollBar().value() == value  # released: the scrolling stops


def test_double_click_selects_a_word_and_a_click_clears(view):
    _i, (x0, y0, x1, y1) = _word_box(view, 0, "protesters")
    pos = _to_view(view, 0, (x0 + x1) / 2, (y0 + y1) / 2)
    QTest.mouseDClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, pos)
    assert view.selected_text() == "protesters"
    QTest.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, pos)
    assert view.selection_in_page() is None and view.selected_text() == ""


def test_rotated_page_shows_upright_and_selection_maps(view, qtbot):
    src = view.source()
    w, h = src.page_size(ROTATED_PAGE)
    assert (w, h) == pytest.approx((842, 595))  # the /Rotate 90 page is shown as displayed
    i = _drag_over_word(view, ROTATED_PAGE, "30,000")
    assert view.selected_text() == "30,000"
    page, quads = view.selection_quads()
    assert page == ROTATED_PAGE
    # the quad lies where the word is drawn: inside the displayed (rotated) page
    xs, ys = quads[0][0::2], quads[0][1::2]
    assert 0 <= min(xs) < max(xs) <= w and 0 <= min(ys) < max(ys) <= h
    assert view.selection_in_page() == (ROTATED_PAGE, i, i + 6)
    # the rendered image has the displayed orientation (wider than tall)
    _settle(qtbot, 10)
    r = [r for r in src.renders if r[0] == ROTATED_PAGE][-1]
    assert r[2] > r[3]


def test_turning_the_view_keeps_selection_and_highlights_on_the_words(view, qtbot):
    # page 3 has /Rotate 90, so its text runs downwards; turning the view -90 makes it read across
    _i, (x0, y0, x1, y1) = _word_box(view, ROTATED_PAGE, "30,000")
    a = _to_view(view, ROTATED_PAGE, x0, y0)
    b = _to_view(view, ROTATED_PAGE, x1, y1)
    assert abs(b.y() - a.y()) > 1.5 * abs(b.x() - a.x())  # the word runs down the screen
    view.rotate_view(-90)
    assert view.view_rotation() == 270
    _settle(qtbot)
    a = _to_view(view, ROTATED_PAGE, x0, y0)
    b = _to_view(view, ROTATED_PAGE, x1, y1)
    assert abs(b.x() - a.x()) > 1.5 * abs(b.y() - a.y())  # now it lies across the screen
    _drag_over_word(view, ROTATED_PAGE, "30,000")
    assert view.selected_text() == "30,000"
    _settle(qtbot, 10)
    r = [r for r in view.source().renders if r[0] == ROTATED_PAGE][-1]
    assert r[2] > r[3]  # rendered as the page is, turned only for display
    # a click on a highlight of the turned page finds it
    page, quads = view.selection_quads()
    view.set_highlights([("h", page, quads, QColor(255, 255, 0), "")])
    a = _to_view(view, ROTATED_PAGE, x0, y0)
    b = _to_view(view, ROTATED_PAGE, x1, y1)
    mid = QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2)
    assert view.highlight_at(mid) == "h"
    view.set_view_rotation(0)
    assert view.highlight_at(mid) is None


def test_high_zoom_renders_only_the_visible_tiles(view, qtbot):
    src = view.source()
    view.set_zoom(8.0)
    src.renders.clear()
    src.clips.clear()
    view.go_to_page(1)
    _settle(qtbot)
    page1 = [(r, c) for r, c in zip(src.renders, src.clips) if r[0] == 1]
    assert page1 and all(c is not None for _r, c in page1)  # tiles, not the whole 6000 px page
    assert all(r[2] <= 1025 and r[3] <= 1025 for r, _c in page1)
    assert len(page1) <= 4  # a 640x520 view shows at most 2x2 tiles


def test_page_without_text_layer_selects_nothing_and_says_so(view, qtbot):
    view.go_to_page(SCAN_PAGE)
    _settle(qtbot)
    assert view.page_has_text(SCAN_PAGE) is False
    assert view.page_has_text(0) is True
    with qtbot.waitSignal(view.textUnavailable) as blocker:
        _drag(view, _to_view(view, SCAN_PAGE, 120, 120), _to_view(view, SCAN_PAGE, 300, 300))
    assert blocker.args == [SCAN_PAGE]
    assert view.selection_in_page() is None


# --------------------------------------------------------------------------- highlights


def image_dpr(view) -> float:
    return view.grab().devicePixelRatio()


def _colour_count(image, rect, colour: QColor, tol: int = 40) -> int:
    """Pixels of ``colour`` inside ``rect`` (logical coordinates) of a grabbed image."""
    d = image.devicePixelRatio()
    n = 0
    for y in range(int(rect[1] * d), int(rect[3] * d)):
        for x in range(int(rect[0] * d), int(rect[2] * d)):
            c = image.pixelColor(x, y)
            if abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue()) < tol:
                n += 1
    return n


def test_highlights_are_drawn_and_clicking_one_reports_it(view, qtbot):
    src = view.source()
    pt = src.page_text(0)
    i = pt.text.index("30,000")
    quads = pt.span_quads(i, i + 6)
    magenta = QColor(255, 0, 255)
    _i, (x0, y0, x1, y1) = _word_box(view, 0, "30,000")
    a, b = _to_view(view, 0, x0, y0), _to_view(view, 0, x1, y1)
    box = (a.x() + 1, a.y() + 1, b.x() - 1, b.y() - 1)
    before = _colour_count(view.grab().toImage(), box, magenta)
    view.set_highlights([("fig-1", 0, quads, magenta, "30,000 protesters")])
    _settle(qtbot, 10)
    after = _colour_count(view.grab().toImage(), box, magenta)
    area = (box[2] - box[0]) * (box[3] - box[1])
    assert before == 0
    assert after > area * image_dpr(view) ** 2 // 3  # the background under the word turned magenta, the glyphs stay dark
    mid = QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2)
    with qtbot.waitSignal(view.highlightClicked) as blocker:
        QTest.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, mid)
    assert blocker.args == ["fig-1"]


def test_thousands_of_highlights_are_indexed_by_page(view, qtbot):
    quad = [72, 90, 120, 90, 72, 104, 120, 104]
    items = [(f"h{k}", k % PAGES, [quad], QColor(255, 220, 0), "") for k in range(5000)]
    view.set_highlights(items)
    _settle(qtbot, 10)
    pos = _to_view(view, 0, 96, 97)
    assert view.highlight_at(pos) is not None
    assert int(view.highlight_at(pos)[1:]) % PAGES == 0
    # one highlight changes without resending the others
    view.set_highlights(items[:1])
    view.update_highlight("h0", 0, [[300, 300, 340, 300, 300, 320, 340, 320]], QColor(255, 0, 0), "moved")
    assert view.highlight_at(pos) is None
    assert view.highlight_at(_to_view(view, 0, 320, 310)) == "h0"
    view.remove_highlight("h0")
    assert view.highlight_at(_to_view(view, 0, 320, 310)) is None


def test_scroll_to_a_highlight_on_a_later_page(view, qtbot):
    quad = [72, 700, 200, 700, 72, 720, 200, 720]
    view.scroll_to(6, [quad])
    _settle(qtbot, 10)
    p = _to_view(view, 6, 136, 710)
    assert view.viewport().rect().contains(p)
    assert view.current_page() in (6, 7)


# --------------------------------------------------------------------------- find and navigation


@pytest.mark.parametrize("with_text", [False, True])
def test_find_scrolls_to_a_later_page_and_selects_the_hit(view, qtbot, with_text):
    if with_text:
        text, pages = view.source().extract_all()
        view.set_pages(pages, text)
    assert view.find("NEEDLE")
    assert view.selection_in_page()[0] == NEEDLE_PAGE
    assert view.selected_text() == "needle"
    _settle(qtbot, 10)
    page, quads = view.selection_quads()
    p = _to_view(view, page, quads[0][0] + 2, quads[0][1] + 2)
    assert view.viewport().rect().contains(p)
    assert view.current_page() == NEEDLE_PAGE
    # the next hit wraps round to the same one; a missing text is not found
    assert view.find("needle") and view.selection_in_page()[0] == NEEDLE_PAGE
    assert not view.find("no such words here")
    # backward from the last page finds the "30,000" on page 7, then page 6...
    view.clear_selection()
    view.go_to_page(PAGES - 1)
    assert view.find("30,000", forward=False)
    assert view.selection_in_page()[0] == PAGES - 1
    assert view.find("30,000", forward=False)
    assert view.selection_in_page()[0] == PAGES - 2


def test_keyboard_page_navigation(view, qtbot):
    view.setFocus()
    pages = []
    view.pageChanged.connect(pages.append)
    QTest.keyClick(view, Qt.Key_PageDown)
    QTest.keyClick(view, Qt.Key_PageDown)
    assert view.current_page() == 2
    QTest.keyClick(view, Qt.Key_PageUp)
    assert view.current_page() == 1
    QTest.keyClick(view, Qt.Key_End)
    assert view.current_page() == PAGES - 1
    QTest.keyClick(view, Qt.Key_Home)
    assert view.current_page() == 0
    assert pages == [1, 2, 1, PAGES - 1, 0]
    z = view.zoom()
    QTest.keyClick(view, Qt.Key_Equal, Qt.ControlModifier)
    assert view.zoom() > z


def test_ctrl_wheel_zooms_and_wheel_scrolls(view, qtbot):
    from PySide6.QtGui import QWheelEvent

    vp = view.viewport()
    pos = QPointF(200, 200)

    def wheel(mods):
        ev = QWheelEvent(pos, QPointF(vp.mapToGlobal(pos.toPoint())), QPoint(), QPoint(0, -120), Qt.NoButton, mods,
                         Qt.NoScrollPhase, False)
        QApplication.sendEvent(vp, ev)

    y = view.verticalScrollBar().value()
    wheel(Qt.NoModifier)
    assert view.verticalScrollBar().value() > y
    z = view.zoom()
    wheel(Qt.ControlModifier)
    assert view.zoom() < z


# --------------------------------------------------------------------------- the app's highlights


def test_app_highlights_stored_document_and_reveal(qtbot, pdf_bytes):
    """The app's Highlight objects (annotator.qt.highlights) drawn directly, in the reader's colours."""
    from dataclasses import asdict

    from annotator.core.model import DocumentInfo
    from annotator.qt.highlights import VERDICT_COLORS, Highlight

    src = open_pdf(pdf_bytes, name="test.pdf")
    text, pages = src.extract_all()
    src.close()
    info = DocumentInfo(id="d", sha256="x", kind="pdf", title="t", source_name="test.pdf", metadata={},
                        pages=[asdict(p) for p in pages], paragraphs=[], author="me", created="", text_length=len(text))
    v = PdfView()
    qtbot.addWidget(v)
    v.resize(640, 520)
    v.show()
    qtbot.waitExposed(v)
    v.set_document(info, text, pdf_bytes)
    v.set_zoom(1.0)
    _settle(qtbot)
    # a figure stored with page and quads, and one known only by its offsets (drawn from the text)
    i = text.index("30,000")
    j = text.index("protesters", pages[1].start)
    pt = v.source().page_text(0)
    quads = tuple(tuple(q) for q in pt.span_quads(i, i + 6))
    hs = {
        "f:a": Highlight("f:a", "figure", "a", i, i + 6, "inaccurate", page=0, quads=quads, tooltip="A"),
        "f:b": Highlight("f:b", "figure", "b", j, j + 10, "accurate", tooltip="B"),
    }
    v.set_highlights(hs)
    _settle(qtbot, 10)
    _i, (x0, y0, x1, y1) = _word_box(v, 0, "30,000")
    a, b = _to_view(v, 0, x0, y0), _to_view(v, 0, x1, y1)
    red = QColor(VERDICT_COLORS["inaccurate"])
    assert _colour_count(v.grab().toImage(), (a.x() + 1, a.y() + 1, b.x() - 1, b.y() - 1), red, 30) > 10
    with qtbot.waitSignal(v.figureActivated) as blocker:
        QTest.mouseClick(v.viewport(), Qt.LeftButton, Qt.NoModifier, (a + b) / 2)
    assert blocker.args == ["a"]
    # reveal: scroll to the offsets-only figure on page 2 and select it
    v.reveal(j, j + 10, 1)
    assert v.selection() == (j, j + 10) and v.selected_text() == "protesters"
    page, squads = v.selection_quads()
    assert page == 1
    corner = v.map_from_page(1, QPointF(*squads[0][:2]) + QPointF(2, 2)).toPoint()
    assert v.viewport().rect().contains(corner)
    assert v.highlight_at(corner) == "f:b"
    # incremental change: the second figure goes
    hs2 = {"f:a": hs["f:a"]}
    v.set_highlights(hs2, ["f:b"])
    assert v.highlight_at(corner) is None
    # a mismatch flag (the Checks panel): a red line along the bottom of the figure, gone with the flag
    from dataclasses import replace

    from annotator.qt.highlights import FLAG_LINE

    v.go_to_page(0)
    _settle(qtbot, 10)
    a, b = _to_view(v, 0, x0, y0), _to_view(v, 0, x1, y1)
    band = (a.x() + 2, b.y() - 3, b.x() - 2, b.y() + 3)
    flag = QColor(FLAG_LINE)
    assert _colour_count(v.grab().toImage(), band, flag, 40) == 0
    v.set_highlights({"f:a": replace(hs["f:a"], flagged=True)}, ["f:a"])
    _settle(qtbot, 5)
    assert _colour_count(v.grab().toImage(), band, flag, 40) > 5
    v.set_highlights(hs2, ["f:a"])
    _settle(qtbot, 5)
    assert _colour_count(v.grab().toImage(), band, flag, 40) == 0
    # find backward, zoom steps
    v.clear_selection()
    v.go_to_page(4)
    assert v.find("30,000", backward=True) and v.selection_in_page()[0] == 4  # from the end of the current page
    assert v.find("30,000", backward=True) and v.selection_in_page()[0] == 3
    z = v.zoom_factor()
    v.zoom(1)
    assert v.zoom_factor() > z
    v.zoom(0)
    v.clear()
    assert v.page_count() == 0 and v.selection() is None


# --------------------------------------------------------------------------- slow pages: a worker process


def _wait_painted(view, qtbot, page: int) -> None:
    def painted():
        QApplication.processEvents()
        return page in view.painted_pages

    qtbot.waitUntil(painted, timeout=10000)


def test_slow_documents_are_drawn_by_a_worker_process(view, qtbot, monkeypatch):
    import annotator.qt.pdf_view as pv

    src = view.source()
    monkeypatch.setattr(pv, "SLOW_RENDER", 0.0)  # every page counts as slow
    view.go_to_page(1)
    _settle(qtbot)
    view.go_to_page(4)
    _settle(qtbot)
    assert view.background_rendering()  # two slow pages: the worker takes over
    src.renders.clear()
    view.go_to_page(6)
    _wait_painted(view, qtbot, 6)
    assert [r for r in src.renders if r[0] == 6] == []  # drawn by the worker, not in this process
    # what the worker drew is the page: the figure is there, under its highlight
    pt = src.page_text(6)
    i = pt.text.index("30,000")
    view.set_highlights([("h", 6, pt.span_quads(i, i + 6), QColor(255, 0, 255), "")])
    view.scroll_to(6, pt.span_quads(i, i + 6))
    _wait_painted(view, qtbot, 6)
    _i, (x0, y0, x1, y1) = _word_box(view, 6, "30,000")
    a, b = _to_view(view, 6, x0, y0), _to_view(view, 6, x1, y1)
    img = view.grab().toImage()
    box = (a.x() + 1, a.y() + 1, b.x() - 1, b.y() - 1)
    assert _colour_count(img, box, QColor(255, 0, 255)) > 0  # the paper under the word
    assert _colour_count(img, box, QColor(0, 0, 0), 120) > 0  # and the glyphs of the word
    worker = view._worker
    view.set_source(None)
    assert worker.join(5)  # the worker exits with its document


def test_background_rendering_can_be_forced_and_turned_off(view, qtbot):
    src = view.source()
    view.set_background_rendering("always")
    src.renders.clear()
    view.go_to_page(3)
    _wait_painted(view, qtbot, 3)
    assert view.background_rendering() and src.renders == []
    worker = view._worker
    view.set_background_rendering("never")
    assert not view.background_rendering() and worker.join(5)
    view.go_to_page(5)
    _settle(qtbot)
    assert 5 in {r[0] for r in src.renders}


# --------------------------------------------------------------------------- first fit (QA: PDFs opened on page 3)


def test_a_document_set_while_hidden_opens_on_the_top_of_page_1(qtbot, pdf_bytes):
    # the window sets the source while the view is still hidden and tiny (98x28 viewport):
    # fit-width then gives a tiny zoom; the first real resize must not keep the centre of that
    # tiny layout (which lies pages further down) but the top of page 1
    src = open_pdf(pdf_bytes, name="test.pdf")
    v = PdfView()
    qtbot.addWidget(v)
    v.resize(100, 30)
    v.set_source(src)
    v.show()
    qtbot.waitExposed(v)
    v.resize(900, 700)
    _settle(qtbot)
    assert v.current_page() == 0
    top = v.map_from_page(0, QPointF(0, 0))
    assert 0 <= top.y() <= 40, top  # the top edge of page 1 is on screen
    width = v.map_from_page(0, QPointF(595, 0)).x() - top.x()
    assert v.viewport().width() - 60 <= width <= v.viewport().width()  # fitted to the real width
    v.set_source(None)
    src.close()


def test_resizing_a_fitted_view_keeps_the_page_top_in_view(view, qtbot):
    view.fit_width()
    view.go_to_page(4)
    _settle(qtbot)
    view.resize(900, 700)
    _settle(qtbot)
    assert view.current_page() == 4
    assert 0 <= view.map_from_page(4, QPointF(0, 0)).y() <= 40


def test_ctrl_0_is_actual_size_and_w_fits_the_width(view, qtbot):
    view.setFocus()
    view.set_zoom(2.0)
    QTest.keyClick(view, Qt.Key_0, Qt.ControlModifier)
    assert view.zoom_factor() == pytest.approx(1.0)
    QTest.keyClick(view, Qt.Key_W)
    width = view.map_from_page(0, QPointF(595, 0)).x() - view.map_from_page(0, QPointF(0, 0)).x()
    assert view.viewport().width() - 60 <= width <= view.viewport().width()
