"""The PDF view on the real PDFs of the shared corpus (skipped when the corpus is absent)."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.errors import PasswordRequired  # noqa: E402
from annotator.core.pdf import open_pdf  # noqa: E402
from annotator.qt.pdf_view import PdfView  # noqa: E402

pytestmark = [pytest.mark.gui, pytest.mark.corpus]

ROTATED = "pdf/fbi-nics-firearm-checks-2015-11-rotated90.pdf"
SCAN = "pdf/china-customs-penalty-decision-scan-no-text-layer.pdf"


@pytest.fixture
def view(qtbot):
    v = PdfView()
    qtbot.addWidget(v)
    v.resize(800, 600)
    v.show()
    qtbot.waitExposed(v)
    yield v
    v.set_source(None)


def _wait_painted(view, page: int, timeout: float = 5.0) -> None:
    view.painted_pages = set()
    end = time.perf_counter() + timeout
    while page not in view.painted_pages:
        QApplication.processEvents()
        assert time.perf_counter() < end, f"page {page + 1} was never painted"


def _drag(view, a: QPointF, b: QPointF) -> None:
    vp = view.viewport()
    for kind, pos, buttons, button in (
        (QEvent.MouseButtonPress, a, Qt.LeftButton, Qt.LeftButton),
        (QEvent.MouseMove, (a + b) / 2, Qt.LeftButton, Qt.NoButton),
        (QEvent.MouseMove, b, Qt.LeftButton, Qt.NoButton),
        (QEvent.MouseButtonRelease, b, Qt.NoButton, Qt.LeftButton),
    ):
        QApplication.sendEvent(vp, QMouseEvent(kind, pos, vp.mapToGlobal(pos), button, buttons, Qt.NoModifier))


def test_every_corpus_pdf_shows_its_first_page(view, corpus_dir):
    shown = 0
    for path in sorted((corpus_dir / "pdf").glob("*.pdf")):
        try:
            src = open_pdf(path)
        except PasswordRequired:
            continue  # asking for the password is the main window's job
        view.set_source(src)
        _wait_painted(view, 0)
        assert view.page_count() == src.page_count
        view.set_source(None)
        src.close()
        shown += 1
    assert shown >= 8


def test_rotated_corpus_page_turned_upright_selects_the_right_word(view, corpus_dir, qtbot):
    src = open_pdf(corpus_dir / ROTATED)
    text, pages = src.extract_all()
    view.set_source(src, pages, text)
    view.rotate_view(-90)  # the page is stored turned a quarter; the user turns it back to read it
    _wait_painted(view, 0)
    pt = src.page_text(0)
    i = pt.text.index("Alabama")
    (x0, y0, x1, y1), = pt.span_rects(i, i + len("Alabama"))
    view.scroll_to(0, [[x0, y0, x1, y0, x0, y1, x1, y1]])
    # the word reads across the screen after turning: drag from its first to its last letter
    # (on the page as stored the text runs downwards: it starts at the top of its box)
    a = view.map_from_page(0, QPointF((x0 + x1) / 2, y0 + 2))
    b = view.map_from_page(0, QPointF((x0 + x1) / 2, y1 - 2))
    assert b.x() - a.x() > 3 * abs(b.y() - a.y())
    _drag(view, a, b)
    assert view.selected_text() == "Alabama"
    start, end = view.selection()
    assert text[start:end] == "Alabama"
    src.close()


def test_scanned_page_says_text_cannot_be_selected(view, corpus_dir, qtbot):
    src = open_pdf(corpus_dir / SCAN)
    view.set_source(src)
    _wait_painted(view, 0)
    assert not view.page_has_text(0)
    with qtbot.waitSignal(view.textUnavailable, timeout=1000) as blocker:
        _drag(view, view.map_from_page(0, QPointF(100, 100)), view.map_from_page(0, QPointF(300, 200)))
    assert blocker.args == [0]
    assert view.selected_text() == "" and view.selection_quads() is None
    view.set_source(None)
    src.close()
