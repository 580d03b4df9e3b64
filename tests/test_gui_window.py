"""The window as QA found it: PDF pages, page notices, size on small screens, page and zoom
controls, counts, narrow dialogs, the empty window, speakers' kinds, the library folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import Messages, open_and_wait, press, select
from PySide6.QtCore import QPointF, QRect
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.model import Speaker
from annotator.qt import dialogs, settings
from annotator.qt.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def make_window(qtbot):
    def make() -> MainWindow:
        w = MainWindow()
        qtbot.addWidget(w)
        with qtbot.waitExposed(w):
            w.show()
        return w

    return make


@pytest.fixture
def win(make_window):
    return make_window()


def _make_pdf(path: Path, pages: list[list[str] | None], landscape: set[int] = frozenset()) -> Path:
    """A PDF with one list of lines per page; None: a page with a drawing and no text layer."""
    from annotator.core.pdf import pymupdf

    fitz = pymupdf()
    doc = fitz.open()
    for n, lines in enumerate(pages):
        page = doc.new_page(width=842, height=595) if n in landscape else doc.new_page(width=595, height=842)
        if lines is None:
            page.draw_rect(fitz.Rect(72, 72, 400, 500), color=(0, 0, 0), fill=(0.6, 0.6, 0.6))
            continue
        for i, line in enumerate(lines):
            page.insert_text((72, 100 + 20 * i), line, fontname="helv", fontsize=11)
    doc.save(str(path))
    doc.close()
    return path


def _pages(n: int) -> list[list[str]]:
    return [[f"Page {k + 1} of the report.", f"The budget grew by {k + 3}% in year {k + 1}."] for k in range(n)]


# --------------------------------------------------------------------------- PDFs open on page 1


def test_a_pdf_opens_on_the_top_of_page_1(make_window, qtbot, tmp_path):
    pdf = _make_pdf(tmp_path / "five.pdf", _pages(5))
    w = make_window()
    w.resize(1000, 700)
    open_and_wait(qtbot, w, pdf)
    if w.view is w.reader:
        pytest.skip("no PDF view installed")
    qtbot.wait(50)
    view = w.pdf_view.pdf
    assert view.current_page() == 0
    top = view.map_from_page(0, QPointF(0, 0))
    assert 0 <= top.y() <= 40
    assert w.page_label.text() == "p. 1 / 5"


# --------------------------------------------------------------------------- page notices


def test_the_no_text_notice_shows_only_on_the_pages_without_text(make_window, qtbot, tmp_path):
    pdf = _make_pdf(tmp_path / "scanned-cover.pdf", [None, *_pages(3)])
    w = make_window()
    open_and_wait(qtbot, w, pdf)
    if w.view is w.reader:
        pytest.skip("no PDF view installed")
    assert "Page 1 has no text layer" in w.notice.text()
    w.go_to_page(3)
    qtbot.waitUntil(lambda: w.pdf_view.pdf.current_page() == 2)
    assert w.notice.text() == ""  # a page with text: no notice over it
    assert "no text layer" not in w.statusBar().currentMessage()
    w.go_to_page(1)
    assert "Page 1 has no text layer" in w.notice.text()
    # dismissed once: the user knows, it does not come back for this document
    w.notice._dismiss()
    w.go_to_page(2)
    w.go_to_page(1)
    assert w.notice.text() == ""


# --------------------------------------------------------------------------- window size


def test_the_first_window_fits_the_screen_and_a_too_big_saved_one_is_not_restored(qtbot):
    avail = QApplication.primaryScreen().availableGeometry()
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.width() <= avail.width() and w.height() <= avail.height()
    assert w.width() <= 1400 and w.height() <= 900
    # a geometry saved on a bigger screen
    big = MainWindow()
    qtbot.addWidget(big)
    big.setGeometry(QRect(0, 0, avail.width() + 900, avail.height() + 700))
    settings.set_value("window/geometry", big.saveGeometry())
    w2 = MainWindow()
    qtbot.addWidget(w2)
    assert w2.width() <= avail.width() and w2.height() <= avail.height()
    # one that fits is restored
    small = MainWindow()
    qtbot.addWidget(small)
    small.setGeometry(QRect(avail.x() + 10, avail.y() + 10, avail.width() // 2, avail.height() // 2))
    settings.set_value("window/geometry", small.saveGeometry())
    w3 = MainWindow()
    qtbot.addWidget(w3)
    assert (w3.width(), w3.height()) == (avail.width() // 2, avail.height() // 2)


def test_the_right_docks_do_not_force_a_wide_window(win):
    for dock in (win.editor_dock, win.speakers_dock):
        assert dock.minimumSizeHint().width() <= 340, dock.objectName()


# --------------------------------------------------------------------------- pages and zoom in the menus


def test_page_navigation_zoom_and_rotation_from_the_menus(make_window, qtbot, tmp_path, monkeypatch):
    pdf = _make_pdf(tmp_path / "table.pdf", _pages(4), landscape={3})
    w = make_window()
    open_and_wait(qtbot, w, pdf)
    if w.view is w.reader:
        pytest.skip("no PDF view installed")
    view = w.pdf_view.pdf
    a = w.actions
    assert all(a[n].isEnabled() for n in ("next_page", "previous_page", "first_page", "last_page", "go_to_page",
                                          "rotate_left", "rotate_right", "fit_width"))
    a.next_page.trigger()
    assert view.current_page() == 1 and w.page_label.text() == "p. 2 / 4"
    a.last_page.trigger()
    assert view.current_page() == 3 and w.page_label.text() == "p. 4 / 4"
    a.previous_page.trigger()
    a.first_page.trigger()
    assert view.current_page() == 0
    monkeypatch.setattr(dialogs, "ask_page", lambda _parent, current, count: (current, count) and 3)
    a.go_to_page.trigger()
    assert view.current_page() == 2 and w.page_label.text() == "p. 3 / 4"
    # Actual size is 100%, Fit width is its own action
    a.zoom_reset.trigger()
    assert view.zoom_factor() == pytest.approx(1.0) and w.zoom_label.text() == "100%"
    a.zoom_in.trigger()
    assert view.zoom_factor() > 1.0 and w.zoom_label.text() == f"{round(view.zoom_factor() * 100)}%"
    a.fit_width.trigger()
    left = view.map_from_page(2, QPointF(0, 0)).x()
    width = view.map_from_page(2, QPointF(595, 0)).x() - left
    assert view.viewport().width() - 60 <= width <= view.viewport().width()
    # the landscape page is wider: it overflows both edges, the others stay centred, no sideways scroll
    assert view.horizontalScrollBar().maximum() == 0
    assert abs(left - (view.viewport().width() - width - left)) <= 2
    a.last_page.trigger()
    wide_left = view.map_from_page(3, QPointF(0, 0)).x()
    wide_right = view.map_from_page(3, QPointF(842, 0)).x()
    assert wide_left < 0 and abs(wide_left + (wide_right - view.viewport().width())) <= 2
    a.go_to_page.trigger()
    # a table printed sideways: turn the view
    a.rotate_right.trigger()
    assert view.view_rotation() == 90
    a.rotate_left.trigger()
    assert view.view_rotation() == 0


def test_page_actions_are_off_for_articles_so_their_keys_reach_the_text(make_window, qtbot, sample_path):
    w = make_window()
    open_and_wait(qtbot, w, sample_path)
    assert not any(w.actions[n].isEnabled() for n in ("next_page", "first_page", "last_page", "rotate_left",
                                                      "go_to_page", "fit_width"))
    assert not w.page_label.isVisible()
    w.actions.zoom_in.trigger()
    assert w.zoom_label.text() == f"{round(100 * 13 / 12)}%"
    w.actions.zoom_reset.trigger()
    assert w.zoom_label.text() == "100%"


# --------------------------------------------------------------------------- figures count


def test_the_figures_count_after_undo_and_its_singular(make_window, qtbot, sample_path):
    w = make_window()
    open_and_wait(qtbot, w, sample_path)
    count = w.figures.count
    assert count.text() == "0 figures"
    select(w, "30,000")
    press(qtbot, w, "m")
    assert count.text() == "1 figure"
    select(w, "1500")
    press(qtbot, w, "m")
    assert count.text() == "2 figures"
    w.undo()
    assert count.text() == "1 figure"
    w.undo()
    assert count.text() == "0 figures"
    w.redo()
    assert count.text() == "1 figure"


# --------------------------------------------------------------------------- dialogs


def test_message_boxes_are_wide_enough_for_their_title(qtbot):
    title = "Cannot open a-file-with-a-long-name-2023-annual-report.pdf"
    box = dialogs.message_box(None, QMessageBox.Icon.Warning, title, "The file is empty (0 bytes).")
    qtbot.addWidget(box)
    box.show()
    assert box.width() >= dialogs.MESSAGE_MIN_WIDTH
    assert box.width() >= box.fontMetrics().horizontalAdvance(title)
    box.close()


def test_the_open_dialog_offers_annotation_files():
    first = dialogs.DOCUMENT_FILTER.split(";;")[0]
    assert "*.annot" in first and "*.pdf" in first and "*.html" in first
    assert any(f.startswith("Annotation files (*.annot)") for f in dialogs.DOCUMENT_FILTER.split(";;"))


# --------------------------------------------------------------------------- no document


def test_with_no_document_the_window_says_what_to_do(win, qtbot, tmp_path, monkeypatch):
    Messages(monkeypatch)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    open_and_wait(qtbot, win, empty)
    assert win.store is None
    assert win.views.currentWidget() is win.empty_page and win.empty_page.isVisible()
    assert "Open a document" in win.empty_page.text() and "drop" in win.empty_page.text()
    sp = win.speakers
    assert not sp.add_button.isEnabled() and not sp.merge_button.isEnabled() and not sp.delete_button.isEnabled()
    assert not sp.new_name.isEnabled()
    assert sp.empty_hint.isVisible() and "Open a document" in sp.empty_hint.text()
    assert "No document open" in win.editor.placeholder.text()
    # then a document: the hint goes, the speakers panel works
    open_and_wait(qtbot, win, Path(__file__).resolve().parent.parent / "resources" / "iran-prison-amnesty-2023.txt")
    assert win.views.currentWidget() is win.reader
    assert sp.new_name.isEnabled() and not sp.add_button.isEnabled()  # nothing typed yet
    sp.new_name.setText("MEK")
    assert sp.add_button.isEnabled()
    assert sp.empty_hint.isVisible() and "press <b>S</b>" in sp.empty_hint.text()
    sp.add_button.click()
    assert not sp.empty_hint.isVisible()
    assert "press <b>M</b>" in win.editor.placeholder.text()


# --------------------------------------------------------------------------- speakers' kinds


def test_new_speakers_get_a_guessed_kind(make_window, qtbot, sample_path):
    w = make_window()
    open_and_wait(qtbot, w, sample_path)
    select(w, "MEK")
    press(qtbot, w, "s")
    assert w.store.find_speaker("MEK").kind == "organisation"
    sid = w.create_speaker("Roydad 24")
    assert w.store.get(Speaker, sid).kind == "outlet"
    sid = w.create_speaker("Mehdi Hajian")
    assert w.store.get(Speaker, sid).kind == "person"


# --------------------------------------------------------------------------- library folder


def test_the_default_library_folder_has_one_annotator_level(qtbot, monkeypatch, tmp_path):
    from PySide6.QtCore import QStandardPaths

    settings.set_library_dir("")
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _loc: str(tmp_path / "share"))
    lib = settings.library_dir()
    assert lib == tmp_path / "share" / "annotator" / "annotations"
    # files kept in the old default (…/annotator/annotator/annotations) are still found
    old = tmp_path / "share" / "annotator" / "annotator" / "annotations"
    old.mkdir(parents=True)
    (old / "report-1a2b.annot").write_bytes(b"")
    assert settings.library_dir() == old
    # an explicit folder always wins
    settings.set_library_dir(tmp_path / "mine")
    assert settings.library_dir() == tmp_path / "mine"


# --------------------------------------------------------------------------- the reader's column


def test_text_is_laid_out_for_the_reader_column_after_a_resize_while_hidden(qtbot, sample_path):
    # the reader is hidden behind the no-document hint while the window is resized; once the sample
    # shows, its lines wrap at the centred column (they were laid out for the old width and cut off)
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(700, 500)
    w.show()
    w.resize(1400, 900)
    open_and_wait(qtbot, w, sample_path)
    qtbot.wait(20)
    edit = w.reader.edit
    assert edit.viewportMargins().left() > 0  # a centred reading column
    assert abs(edit.document().textWidth() - edit.viewport().width()) <= 2
    assert edit.horizontalScrollBar().maximum() == 0


def test_the_figures_list_fits_a_small_window_without_sideways_scrolling(qtbot, sample_path):
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1024, 700)
    w.show()
    open_and_wait(qtbot, w, sample_path)
    select(w, "30,000")
    press(qtbot, w, "m")
    qtbot.wait(20)
    table = w.figures.table
    assert table.horizontalScrollBar().maximum() == 0
    assert table.columnWidth(0) >= 100  # the figure's text stays readable


def test_hovering_a_highlight_shows_its_tooltip(make_window, qtbot, sample_path):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent, QTextCursor
    from PySide6.QtWidgets import QToolTip

    w = make_window()
    open_and_wait(qtbot, w, sample_path)
    s, _e = select(w, "30,000")
    press(qtbot, w, "m")
    edit = w.reader.edit
    cur = QTextCursor(edit.document())
    cur.setPosition(w.reader.to_qt(s) + 2)
    edit.setTextCursor(cur)
    edit.ensureCursorVisible()
    pos = edit.cursorRect(cur).center()
    vp = edit.viewport()
    QApplication.sendEvent(vp, QHelpEvent(QEvent.Type.ToolTip, pos, vp.mapToGlobal(pos)))
    assert "30,000" in QToolTip.text()
    QToolTip.hideText()
