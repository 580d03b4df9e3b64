"""The main window, driven as a user would: open, mark, attribute, judge, close, reopen."""

from __future__ import annotations

import pytest
from gui_helpers import Messages, background_at_qt, open_and_wait, press, qt_pos, select, span_of
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from annotator.core.model import Attribution, Figure, Speaker
from annotator.qt import dialogs, settings
from annotator.qt.highlights import EVIDENCE_FILL, VERDICT_COLORS
from annotator.qt.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def make_window(qtbot):
    def make() -> MainWindow:
        win = MainWindow()
        qtbot.addWidget(win)
        with qtbot.waitExposed(win):
            win.show()
        win.activateWindow()
        return win

    return make


@pytest.fixture
def win(make_window, qtbot, sample_path):
    w = make_window()
    open_and_wait(qtbot, w, sample_path)
    assert w.state is not None
    return w


def figure_by_text(w, exact):
    [f] = [f for f in w.state.figures.values() if f.exact == exact]
    return f


def test_mark_attribute_judge_then_reopen_restores_everything(win, make_window, qtbot, sample_path,
                                                              qt_settings_sandbox):
    text = win.state.text
    s, e = span_of(text, "30,000")
    # select part of the number: marking snaps to the whole number
    win.reader.select_span(s + 1, e - 1)
    press(qtbot, win, "m")
    f = figure_by_text(win, "30,000")
    assert (f.start, f.end, f.value, f.verdict, f.note, f.author) == (s, e, 30000, "unchecked", "", "Tester")
    assert win.current_figure_id == f.id
    assert background_at_qt(win, qt_pos(text, s)) == VERDICT_COLORS["unchecked"]

    # the speaker MEK, typed in the speakers panel
    win.speakers.new_name.setText("MEK")
    win.speakers.new_name.returnPressed.emit()
    [mek] = win.store.speakers()
    assert mek.name == "MEK"
    win.speakers.select(mek.id)
    win.speakers.kind.setCurrentText("organisation")
    win.speakers.kind.activated.emit(win.speakers.kind.currentIndex())
    # attribute: the speaker selected in the panel states the figure
    win.reader.set_cursor(s + 2)  # a click inside the highlight keeps it current, selects nothing
    press(qtbot, win, "a")
    [att] = win.store.attributions(figure_id=f.id)
    assert (att.speaker_id, att.role) == (mek.id, "states")
    # evidence: select the sentence that attributes it, press E
    select(win, "The People’s Mojahedin of Iran (PMOI/MEK) was the first to announce")
    press(qtbot, win, "e")
    att = win.store.get(Attribution, att.id)
    assert att.evidence_exact == "The People’s Mojahedin of Iran (PMOI/MEK) was the first to announce"
    ev_start = att.evidence_start
    # verdict by its key
    win.go_to_figure(f.id)
    press(qtbot, win, "1")
    assert win.store.get(Figure, f.id).verdict == "accurate"
    assert background_at_qt(win, qt_pos(text, s)) == VERDICT_COLORS["accurate"]
    assert background_at_qt(win, qt_pos(text, ev_start)) == EVIDENCE_FILL
    assert win.figures.model.rowCount() == 1
    path = win.store.path
    assert path.parent == qt_settings_sandbox / "library"
    win.close()

    w2 = make_window()
    open_and_wait(qtbot, w2, sample_path)
    assert w2.store.path == path
    f2 = figure_by_text(w2, "30,000")
    assert (f2.start, f2.end, f2.value, f2.verdict) == (s, e, 30000, "accurate")
    assert w2.state.speakers_text(f2.id) == "MEK (states)"
    assert w2.store.find_speaker("MEK").kind == "organisation"
    assert background_at_qt(w2, qt_pos(text, s)) == VERDICT_COLORS["accurate"]
    assert background_at_qt(w2, qt_pos(text, ev_start)) == EVIDENCE_FILL
    assert background_at_qt(w2, qt_pos(text, s) - 2) == ""  # "least " is neither figure nor evidence
    # the table shows the figure with its speaker, verdict and author
    m = w2.figures.model
    row = [m.index(0, c).data() for c in range(m.columnCount())]
    assert row[0] == "30,000" and row[1] == "30,000" and row[3] == "MEK (states)" and row[4] == "accurate"
    assert row[5] == "Tester"


def test_a_mark_on_the_second_copy_of_a_repeated_paragraph_reopens_there(win, make_window, qtbot, sample_path):
    text = win.state.text
    first = span_of(text, "five months", 0)
    s, e = select(win, "five months", 1)
    assert s > first[0]
    press(qtbot, win, "m")
    win.close()
    w2 = make_window()
    open_and_wait(qtbot, w2, sample_path)
    [f] = w2.state.figures.values()
    assert (f.start, f.end) == (s, e)
    assert background_at_qt(w2, qt_pos(text, s))
    assert not background_at_qt(w2, qt_pos(text, first[0]))


def test_emoji_before_a_figure_keeps_offsets_and_highlight_in_place(make_window, qtbot, tmp_path):
    doc = tmp_path / "emoji.txt"
    doc.write_text("Crowds 😀😀 cheered 🎉: at least 30,000 people came, 🇮🇷 said 15% more.\n", encoding="utf-8")
    w = make_window()
    open_and_wait(qtbot, w, doc)
    text = w.state.text
    s, e = select(w, "30,000")
    assert qt_pos(text, s) == s + 3  # three astral characters before it: Qt counts 2 units each
    press(qtbot, w, "m")
    f = figure_by_text(w, "30,000")
    assert (f.start, f.end, text[f.start:f.end]) == (s, e, "30,000")
    assert background_at_qt(w, qt_pos(text, s))
    assert not background_at_qt(w, qt_pos(text, s) - 2)
    assert background_at_qt(w, qt_pos(text, e) - 1) and not background_at_qt(w, qt_pos(text, e))
    s2, e2 = select(w, "15%")
    press(qtbot, w, "m")
    assert figure_by_text(w, "15%").start == s2
    w.close()
    w2 = make_window()
    open_and_wait(qtbot, w2, doc)
    assert sorted((f.start, f.exact) for f in w2.state.figures.values()) == [(s, "30,000"), (s2, "15%")]
    assert background_at_qt(w2, qt_pos(text, s2)) and not background_at_qt(w2, qt_pos(text, s2) - 1)
    sel = w2.reader
    w2.go_to_figure(figure_by_text(w2, "15%").id)
    assert sel.selection().start == s2 and sel.selection().end == e2


def test_undo_and_redo_every_kind_of_edit(win, qtbot, monkeypatch):
    store = win.store
    st = lambda: win.state  # noqa: E731
    select(win, "100 million rials")
    press(qtbot, win, "m")
    f = figure_by_text(win, "100 million rials")
    win.undo()
    assert f.id not in st().figures and store.get(Figure, f.id).deleted  # a tombstone, not erased
    win.redo()
    assert f.id in st().figures
    win.go_to_figure(f.id)

    # verdict
    press(qtbot, win, "2")
    assert st().figures[f.id].verdict == "inaccurate"
    win.undo()
    assert st().figures[f.id].verdict == "unchecked"
    win.redo()
    assert st().figures[f.id].verdict == "inaccurate"

    # value correction and note through the editor (typing a note is one undo step)
    win.editor.value.setText("100,000,000")
    win.editor.value.editingFinished.emit()
    win.editor.note.setPlainText("check")
    win.editor.commit_note()
    win.editor.note.setPlainText("check FARAJA figure")
    win.editor.commit_note()
    assert st().figures[f.id].note == "check FARAJA figure"
    win.undo()
    assert st().figures[f.id].note == ""
    assert st().figures[f.id].value == 100_000_000
    win.redo()
    assert st().figures[f.id].note == "check FARAJA figure"

    # speaker from the selected name, then attribution of the current figure by selecting a name + A
    select(win, "Mehdi Hajian")
    press(qtbot, win, "s")
    hajian = store.find_speaker("Mehdi Hajian")
    win.undo()
    assert store.find_speaker("Mehdi Hajian") is None
    win.redo()
    assert store.find_speaker("Mehdi Hajian").id == hajian.id
    select(win, "Mehdi Hajian")
    press(qtbot, win, "a")
    select(win, "Roydad 24", 1)
    press(qtbot, win, "r")  # a new speaker, created and attributed in one step
    assert st().speakers_text(f.id) == "Mehdi Hajian (states), Roydad 24 (relays)"
    win.undo()
    assert st().speakers_text(f.id) == "Mehdi Hajian (states)" and store.find_speaker("Roydad 24") is None
    win.redo()
    assert st().speakers_text(f.id) == "Mehdi Hajian (states), Roydad 24 (relays)"
    roydad = store.find_speaker("Roydad 24")

    # evidence on the selected attribution
    atts = st().figure_attributions(f.id)
    win.editor.select_attribution(atts[0].id)
    select(win, "announced that each inmate’s keeping costs around 100 million rials")
    press(qtbot, win, "e")
    assert store.get(Attribution, atts[0].id).evidence_exact.startswith("announced that")
    win.undo()
    assert store.get(Attribution, atts[0].id).evidence_start is None
    win.redo()
    assert store.get(Attribution, atts[0].id).evidence_start is not None

    # role change through the editor's combo
    win.update_attribution(atts[1].id, role="confirms")
    assert st().speakers_text(f.id).endswith("Roydad 24 (confirms)")
    win.undo()
    assert st().speakers_text(f.id).endswith("Roydad 24 (relays)")

    # remove an attribution
    win.editor.select_attribution(atts[1].id)
    win.actions.remove_attribution.trigger()
    assert st().speakers_text(f.id) == "Mehdi Hajian (states)"
    win.undo()
    assert "Roydad 24 (relays)" in st().speakers_text(f.id)

    # edit a speaker's kind and aliases
    guessed = store.get(Speaker, roydad.id).kind
    assert guessed == "outlet"  # guessed from the name (a number in it) when created
    win.update_speaker(roydad.id, kind="organisation", aliases=["Royedad 24"])
    assert store.get(Speaker, roydad.id).kind == "organisation"
    assert store.find_speaker("Royedad 24").id == roydad.id
    win.undo()
    assert store.get(Speaker, roydad.id).kind == guessed and store.find_speaker("Royedad 24") is None
    win.redo()

    # merge two speakers (choose which to keep through the ask function)
    dup = win.create_speaker("Roydad")
    select(win, "Roydad", 0)
    win.speakers.select(dup)
    win.attribute("confirms", use_text_selection=False)
    win.speakers.select_many([dup, roydad.id])
    monkeypatch.setattr(dialogs, "ask_merge_keep", lambda _p, names: roydad.id)
    win.actions.merge_speakers.trigger()
    assert store.get(Speaker, dup).merged_into == roydad.id
    assert "Roydad" in store.get(Speaker, roydad.id).aliases
    assert "Roydad 24 (confirms)" in st().speakers_text(f.id)
    win.undo()
    assert store.get(Speaker, dup).merged_into is None and "Roydad (confirms)" in st().speakers_text(f.id)
    win.redo()
    assert store.get(Speaker, dup).merged_into == roydad.id

    # delete a speaker: its attributions go with it, and come back with it
    win.speakers.select(hajian.id)
    win.actions.delete_speaker.trigger()
    assert "Mehdi Hajian" not in st().speakers_text(f.id) and store.get(Speaker, hajian.id).deleted
    win.undo()
    assert st().speakers_text(f.id).startswith("Mehdi Hajian (states)")

    # delete the figure: its attributions go with it
    win.go_to_figure(f.id)
    n_atts = len(st().figure_attributions(f.id))
    win.actions.delete_figure.trigger()
    assert f.id not in st().figures and win.figures.model.rowCount() == 0
    assert not win.reader.is_highlighted(f.start)
    win.undo()
    assert f.id in st().figures and len(st().figure_attributions(f.id)) == n_atts
    assert win.reader.is_highlighted(f.start)
    win.redo()
    assert f.id not in st().figures


def test_table_and_highlights_select_each_other_and_filter(win, qtbot):
    store = win.store
    for needle in ("1500 protesters", "100,000 prisoners", "240,000 prisoners"):
        select(win, needle)
        press(qtbot, win, "m")
    a, b, c = (figure_by_text(win, t) for t in ("1500 protesters", "100,000 prisoners", "240,000 prisoners"))
    win.go_to_figure(b.id)
    press(qtbot, win, "3")  # misleading
    select(win, "Royedad 24")
    press(qtbot, win, "r")
    win.go_to_figure(a.id)
    select(win, "Reuters")
    press(qtbot, win, "c")
    # a colleague's figure, written into the same file
    colleague = store.add(Figure(document_id=win.doc_id, start=c.end + 200, end=c.end + 206,
                                 exact=win.state.text[c.end + 200:c.end + 206], author="Colleague"))
    assert win.figures.model.rowCount() == 4

    # selecting a row scrolls to the highlight and selects it
    proxy, table = win.figures.proxy, win.figures.table
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == "240,000 prisoners")
    table.selectRow(row)
    sel = win.reader.selection()
    assert (sel.start, sel.end) == (c.start, c.end)
    assert win.editor.figure_id == c.id
    # clicking inside a highlight selects its row
    win.reader.set_cursor(b.start + 3)
    assert win.current_figure_id == b.id
    assert table.selectionModel().selectedRows()[0].data() == "100,000 prisoners"

    # filters: speaker, verdict, author
    royedad = store.find_speaker("Royedad 24")
    win.figures.filter_by(speaker_id=royedad.id)
    assert win.figures.visible_ids() == [b.id]
    win.figures.filter_by(speaker_id=None, verdict="misleading")
    assert win.figures.visible_ids() == [b.id]
    win.figures.filter_by(verdict=None, author="Colleague")
    assert win.figures.visible_ids() == [colleague.id]
    assert "Colleague" in win.figures.model.index(win.figures.model.row_of(colleague.id), 0).data(
        Qt.ItemDataRole.ToolTipRole)
    assert "By Colleague" in win.highlights.highlights["f:" + colleague.id].tip()
    win.figures.filter_by(author=None)
    assert len(win.figures.visible_ids()) == 4
    # sorting by value
    table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert win.figures.visible_ids()[0] == c.id
    # next / previous figure follow the text
    win.go_to_figure(a.id)
    win.actions.next_figure.trigger()
    assert win.current_figure_id == b.id
    win.actions.previous_figure.trigger()
    assert win.current_figure_id == a.id


def test_find_bar_moves_through_matches(win, qtbot):
    win.actions.find.trigger()
    assert win.find_bar.isVisible()
    qtbot.keyClicks(win.find_bar.field, "Roydad 24")
    qtbot.keyClick(win.find_bar.field, Qt.Key.Key_Return)
    first = win.reader.selection()
    assert win.state.text[first.start:first.end] == "Roydad 24"
    win.actions.find_next.trigger()
    second = win.reader.selection()
    assert second.start > first.start
    win.actions.find_previous.trigger()
    assert win.reader.selection().start == first.start
    win.find_bar.field.setText("no such words here")
    assert not win.find_bar.find(False)
    assert win.find_bar.result.text() == "Not found"


def test_annotation_file_with_several_documents(win, qtbot, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    other = tmp_path / "second.md"
    other.write_text("# Second\n\nThe ministry counted 12,500 cases in 2022.\n", encoding="utf-8")
    first_doc = win.doc_id
    win.add_document_path(other)
    qtbot.waitUntil(lambda: not win.is_loading())
    assert win.doc_id != first_doc and len(win.store.documents()) == 2
    assert win.doc_combo.count() == 2
    select(win, "12,500")
    press(qtbot, win, "m")
    annot = win.store.path
    # a copy for a colleague
    copy = tmp_path / "for-colleague.annot"
    monkeypatch.setattr(dialogs, "ask_save_copy_path", lambda _p, _s: str(copy))
    win.actions.save_copy.trigger()
    assert copy.exists() and messages.texts == []
    win.close()

    # opening the copy directly: first document shown, the combo switches to the second
    w2 = MainWindow()
    qtbot.addWidget(w2)
    w2.show()
    open_and_wait(qtbot, w2, copy)
    assert w2.store.path == copy and w2.doc_id == first_doc
    w2.actions.next_document.trigger()
    assert [f.exact for f in w2.state.figures.values()] == ["12,500"]
    assert w2.reader.is_highlighted(w2.state.text.index("12,500"))
    assert str(copy) in settings.recent_files()[0]
    w2.close()
    assert annot.exists()


def test_dropping_files_opens_them_and_recent_menu_reopens(make_window, qtbot, tmp_path, sample_path):
    w = make_window()
    doc = tmp_path / "dropped.txt"
    doc.write_text("A dropped note about 42 ministers.\n", encoding="utf-8")
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(doc))])
    ev = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, md, Qt.MouseButton.NoButton,
                    Qt.KeyboardModifier.NoModifier)
    w.dropEvent(ev)
    qtbot.waitUntil(lambda: not w.is_loading())
    assert w.state.info.source_name == "dropped.txt"
    open_and_wait(qtbot, w, sample_path)
    w.recent_menu.aboutToShow.emit()
    names = [a.text() for a in w.recent_menu.actions() if a.property("recent") and not a.isSeparator()]
    assert names[:2] == ["&1 iran-prison-amnesty-2023.txt", "&2 dropped.txt"]
    next(a for a in w.recent_menu.actions() if a.text() == "&2 dropped.txt").trigger()
    qtbot.waitUntil(lambda: not w.is_loading())
    assert w.state.info.source_name == "dropped.txt"
    w.actions.clear_recent.trigger()
    assert settings.recent_files() == []


def _make_pdf(path, lines):
    from annotator.core.pdf import pymupdf

    fitz = pymupdf()
    doc = fitz.open()
    for page_lines in lines:
        page = doc.new_page()
        for i, line in enumerate(page_lines):
            page.insert_text((72, 100 + 20 * i), line)
    doc.save(str(path))
    doc.close()


def test_pdf_mark_attribute_judge_reopen(make_window, qtbot, tmp_path):
    pdf = tmp_path / "report.pdf"
    _make_pdf(pdf, [["Annual report of the prison service."],
                    ["The service said 15% of inmates were released,", "according to the ministry."]])
    w = make_window()
    open_and_wait(qtbot, w, pdf)
    if w.view is w.reader:
        pytest.skip("no PDF view installed: PDFs show as text")
    text = w.state.text
    s, e = select(w, "15%")
    press(qtbot, w, "m")
    f = figure_by_text(w, "15%")
    assert (f.start, f.end, f.page, f.value, f.unit) == (s, e, 1, 15, "percent")
    assert f.quads and len(f.quads[0]) == 8
    select(w, "ministry")
    press(qtbot, w, "a")
    press(qtbot, w, "3")
    w.close()

    w2 = make_window()
    open_and_wait(qtbot, w2, pdf)
    f2 = figure_by_text(w2, "15%")
    assert (f2.start, f2.page, f2.quads, f2.verdict) == (s, 1, f.quads, "misleading")
    assert w2.state.speakers_text(f2.id) == "ministry (states)"
    w2.go_to_figure(f2.id)
    sel = w2.view.selection()
    assert (sel.start, sel.end) == (s, e) and text[s:e] == "15%"
    q = f2.quads[0]
    from PySide6.QtCore import QPointF

    centre = w2.view.pdf.map_from_page(1, QPointF((q[0] + q[6]) / 2, (q[1] + q[7]) / 2)).toPoint()
    assert w2.view.pdf.highlight_at(centre) == "f:" + f2.id


def test_a_pdf_shows_its_first_page_before_its_text_is_read(make_window, qtbot, tmp_path, monkeypatch):
    import threading

    from annotator.core import documents as documents_module

    pdf = tmp_path / "long.pdf"
    _make_pdf(pdf, [[f"Page {n + 1}: the budget grew by {n + 3}%."] for n in range(30)])
    w = make_window()
    if w._pdf_view() is None:
        pytest.skip("no PDF view installed")
    release = threading.Event()
    real = documents_module.document_from_source

    def gated(source, progress=None, cancel=None):
        release.wait(10)
        return real(source, progress, cancel)

    monkeypatch.setattr(documents_module, "document_from_source", gated)
    w.open_path(pdf)
    # the pages are on screen while the worker reads the text; nothing can be marked yet
    assert w.is_loading() and w.view is w.pdf_view and w.store is None
    source = w.pdf_view.pdf.source()
    assert source is not None and w.pdf_view.pdf.page_count() == 30
    assert not w.actions.mark_figure.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: not w.is_loading(), timeout=10000)
    # the same pages stay on screen (not reopened), now with their text: marking works
    assert w.store is not None and w.pdf_view.pdf.source() is source
    s, e = select(w, "12%")
    press(qtbot, w, "m")
    assert figure_by_text(w, "12%").page == 9


def test_a_note_being_typed_is_saved_when_the_window_closes(win, make_window, qtbot, sample_path):
    select(win, "$79 million")
    press(qtbot, win, "m")
    win.actions.edit_note.trigger()
    assert win.editor.note.hasFocus() or win.editor.note.isVisible()
    qtbot.keyClicks(win.editor.note, "3.6 quadrillion rials is about $86 million")
    win.close()  # before the typing pause that saves it
    w2 = make_window()
    open_and_wait(qtbot, w2, sample_path)
    assert figure_by_text(w2, "$79 million").note == "3.6 quadrillion rials is about $86 million"
    # typing a note is one undo step
    w2.go_to_figure(figure_by_text(w2, "$79 million").id)
    w2.editor.note.setFocus()
    qtbot.keyClicks(w2.editor.note, " (check)")
    w2.editor.commit_note()
    w2.undo()
    assert figure_by_text(w2, "$79 million").note == "3.6 quadrillion rials is about $86 million"


def test_right_click_in_the_text_offers_the_marking_actions(win, qtbot):
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu

    select(win, "1500")
    edit = win.reader.edit
    ev = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, edit.viewport().rect().center(),
                           edit.viewport().mapToGlobal(edit.viewport().rect().center()))
    edit.contextMenuEvent(ev)
    menus = [m for m in QApplication.topLevelWidgets() if isinstance(m, QMenu) and m.isVisible()]
    assert menus
    names = [a.objectName() for a in menus[-1].actions()]
    assert names[:2] == ["mark_figure", "new_speaker"]
    menus[-1].actions()[0].trigger()
    assert figure_by_text(win, "1500").value == 1500
    menus[-1].close()
