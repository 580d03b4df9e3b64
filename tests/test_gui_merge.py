"""File ▸ Merge…: two checkers' files merged into the reviewer's, through the window.

Bita received a copy of the reviewer's file and changed the verdict of a figure the reviewer
also changed (a conflict), marked two more figures and created her own speaker "MEK" (the
reviewer has one too: a merge proposal). Ali worked on another save of the article, where
"30,000" reads "80,000" and one sentence was added: his figure on "80,000" lands on the
reviewer's "30,000" (figure changed) and the one in the added sentence cannot be placed
(an orphan).
"""

from __future__ import annotations

import threading

import pytest
from gui_helpers import Messages, select
from merge_support import attribute, dump, mark, new_file
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from review_gui_support import figure_with, make_window, win  # noqa: F401  (fixtures)

from annotator.core import project
from annotator.core.model import Speaker
from annotator.core.store import AnnotationStore
from annotator.qt import merge_ui
from annotator.qt.merge_ui import MergePanel, MergeReportDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]

ADDED = "An extra 5,000 guards were hired in January."


@pytest.fixture
def checkers(win, tmp_path, sample_text):
    """The reviewer's window (after the copy went out), Bita's and Ali's files."""
    store = win.store
    base = mark(store, win.doc_id, "30,000")
    bita_path = tmp_path / "bita.annot"
    project.save_copy(store, bita_path)
    # the reviewer, afterwards: a verdict on 30,000 and a speaker MEK
    assert win.update_figure(base.id, verdict="accurate")
    win.create_speaker("MEK")

    bita = AnnotationStore.open(bita_path, author="Bita")
    bita.update(type(base), base.id, verdict="inaccurate", note="Only the MEK counts 30,000.")
    doc = bita.documents()[0].id
    f1500 = mark(bita, doc, "1500")
    mark(bita, doc, "15%")
    mek = bita.add(Speaker(name="MEK", kind="organisation"))
    attribute(bita, f1500, mek)
    bita.close()

    edited = sample_text.replace("at least 30,000 protesters", "at least 80,000 protesters")
    para = edited.index("Besides, videos")
    edited = edited[:para] + ADDED + " " + edited[para:]
    ali, ali_doc = new_file(tmp_path / "ali.annot", "Ali", edited, "iran-prison-amnesty-2023.txt")
    mark(ali, ali_doc, "80,000")
    mark(ali, ali_doc, "5,000 guards")
    mark(ali, ali_doc, "$79 million")
    ali.close()
    return base, bita_path, tmp_path / "ali.annot"


def merged(qtbot, win, paths) -> MergeReportDialog:
    job = merge_ui.apply_merge(win, paths)
    assert job is not None
    qtbot.waitUntil(lambda: win.findChild(MergeReportDialog, "mergeReport") is not None, timeout=15000)
    return win.findChild(MergeReportDialog, "mergeReport")


def cell(table, row_label: str, col_label: str) -> str:
    cols = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    rows = [table.item(r, 0).text() for r in range(table.rowCount())]
    return table.item(rows.index(row_label), cols.index(col_label)).text()


def test_merge_report_counts_and_the_review_lists(win, qtbot, checkers):
    base, bita, ali = checkers
    inputs_before = {p: dump(p) for p in (bita, ali)}
    n_before = len(win.state.figures)
    heard = []  # the window's listeners must only hear the store on the UI thread
    win.store.subscribe(lambda table, op, _rec: heard.append((table, op, threading.current_thread().name)))
    dlg = merged(qtbot, win, [bita, ali])
    assert heard and {name for _t, _o, name in heard} == {threading.main_thread().name}

    rep = dlg.report
    assert rep.added["figures"] == 5  # Bita's 1500 and 15%, Ali's three
    assert [c.record_id for c in rep.conflicts] == [base.id]
    assert [o.old_text for o in rep.orphans] == ["5,000 guards"]
    assert [(o.old_text, o.new_text) for o in rep.figure_changed] == [("80,000", "30,000")]
    assert len(rep.speaker_proposals) == 1 and rep.speaker_proposals[0].names == ["MEK"]
    # what the reviewer reads
    counts = dlg.findChild(QTableWidget, "mergeCounts")
    assert cell(counts, "Figures", "New") == "5" and cell(counts, "Figures", "In conflict") == "1"
    summary = dlg.summary_label.text()
    assert "5 figures added" in summary and "1 conflict" in summary and "1 orphan" in summary
    assert "1 figure changed" in summary and "1 speaker merge proposed" in summary
    # the views reloaded: the new figures are in the list and the text
    assert len(win.state.figures) == n_before + 5
    assert win.figures.model.rowCount() == n_before + 5
    panel = win.findChild(MergePanel, "mergePanel")
    assert panel.conflict_ids() == [c.conflict_id for c in rep.conflicts]
    assert panel.orphan_list.count() == 1 and "5,000 guards" in panel.orphan_list.item(0).text()
    assert panel.changed_list.count() == 1 and "was “80,000”" in panel.changed_list.item(0).text()
    assert panel.tabs.tabText(0) == "Conflicts (1)"
    # the inputs were only read; the merge itself cannot be undone
    assert {p: dump(p) for p in (bita, ali)} == inputs_before
    assert win.undo_stack.count() == 0


def test_take_theirs_changes_the_figure_and_undo_reopens_the_conflict(win, qtbot, checkers):
    base, bita, ali = checkers
    merged(qtbot, win, [bita])
    panel = win.findChild(MergePanel, "mergePanel")
    panel.open_tab(0)
    assert panel.current_conflict_id() is not None
    fields = {panel.fields.item(r, 0).text(): (panel.fields.item(r, 1).text(), panel.fields.item(r, 2).text())
              for r in range(panel.fields.rowCount())}
    assert fields["verdict"] == ("accurate", "inaccurate")
    assert fields["note"] == ("—", "Only the MEK counts 30,000.")

    qtbot.mouseClick(panel.show_btn, Qt.MouseButton.LeftButton)
    assert win.current_figure_id == base.id and win.editor.verdict.currentText() == "accurate"

    qtbot.mouseClick(panel.take_btn, Qt.MouseButton.LeftButton)
    f = win.state.figures[base.id]
    assert (f.verdict, f.note) == ("inaccurate", "Only the MEK counts 30,000.")
    assert win.editor.verdict.currentText() == "inaccurate"  # the figure panel redrew from the store
    assert panel.conflict_ids() == [] and panel.no_conflicts.isVisibleTo(panel)

    win.undo()
    assert win.state.figures[base.id].verdict == "accurate"
    assert len(panel.conflict_ids()) == 1
    win.redo()
    assert win.state.figures[base.id].verdict == "inaccurate" and panel.conflict_ids() == []


def test_an_edited_resolution_keeps_what_the_reviewer_typed(win, qtbot, checkers):
    base, bita, _ali = checkers
    merged(qtbot, win, [bita])
    panel = win.findChild(MergePanel, "mergePanel")
    panel.open_tab(0)
    panel.set_result("verdict", "misleading")
    panel.set_result("note", "MEK count only; see Bita's note.")
    qtbot.mouseClick(panel.edit_btn, Qt.MouseButton.LeftButton)
    f = win.state.figures[base.id]
    assert (f.verdict, f.note) == ("misleading", "MEK count only; see Bita's note.")


def test_accepting_a_speaker_proposal_merges_the_speakers(win, qtbot, checkers):
    _base, bita, _ali = checkers
    dlg = merged(qtbot, win, [bita])
    [row] = dlg.proposal_rows
    mine = win.store.find_speaker("MEK")
    assert len([s for s in win.store.speakers() if s.name == "MEK"]) == 2
    row["keep"].setCurrentIndex(row["keep"].findData(mine.id))
    assert dlg.accept_row(row)
    live = [s for s in win.store.speakers() if s.name == "MEK"]
    assert [s.id for s in live] == [mine.id]
    f1500 = figure_with(win, "1500")
    assert [a.speaker_id for a in win.state.figure_attributions(f1500.id)] == [mine.id]
    assert "Merged" in row["outcome"].text() and not row["merge"].isVisible()
    win.undo()
    assert len([s for s in win.store.speakers() if s.name == "MEK"]) == 2
    assert [a.speaker_id for a in win.store.attributions(figure_id=f1500.id)] != [mine.id]


def test_rejecting_a_proposal_changes_nothing(win, qtbot, checkers):
    _base, bita, _ali = checkers
    dlg = merged(qtbot, win, [bita])
    before = dump(win.store)
    dlg.reject_row(dlg.proposal_rows[0])
    assert dump(win.store) == before and "apart" in dlg.proposal_rows[0]["outcome"].text()


def test_an_orphan_is_placed_on_the_selected_text_or_deleted(win, qtbot, checkers):
    _base, _bita, ali = checkers
    merged(qtbot, win, [ali])
    panel = win.findChild(MergePanel, "mergePanel")
    panel.open_tab(1)
    [orphan] = [f for f in win.state.figures.values() if "orphan" in f.flags]
    assert orphan.start == orphan.end
    s, e = select(win, "20,000")
    qtbot.mouseClick(panel.place_btn, Qt.MouseButton.LeftButton)
    placed = win.state.figures[orphan.id]
    assert (placed.start, placed.end, placed.exact, placed.flags) == (s, e, "20,000", [])
    assert panel.orphan_list.count() == 0 and win.current_figure_id == orphan.id
    win.undo()
    assert "orphan" in win.state.figures[orphan.id].flags and panel.orphan_list.count() == 1
    # or delete it
    panel.orphan_list.setCurrentRow(0)
    qtbot.mouseClick(panel.delete_btn, Qt.MouseButton.LeftButton)
    assert orphan.id not in win.state.figures and panel.orphan_list.count() == 0


def test_a_changed_figure_is_read_again(win, qtbot, checkers):
    _base, _bita, ali = checkers
    merged(qtbot, win, [ali])
    panel = win.findChild(MergePanel, "mergePanel")
    panel.open_tab(2)
    [fid] = [f.id for f in win.state.figures.values() if "figure_changed" in f.flags]
    assert win.current_figure_id == fid  # selecting it in the list shows it in the text
    qtbot.mouseClick(panel.reread_btn, Qt.MouseButton.LeftButton)
    f = win.state.figures[fid]
    assert f.flags == [] and f.value == 30000 and f.exact == "30,000"
    assert panel.changed_list.count() == 0


def test_cancel_leaves_the_file_as_it_was(win, qtbot, checkers, monkeypatch):
    import annotator.core.merge as core_merge

    _base, bita, ali = checkers
    gate = threading.Event()
    original = core_merge.merge_files

    def held(*args, **kwargs):
        gate.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(core_merge, "merge_files", held)
    before = dump(win.store)
    job = merge_ui.apply_merge(win, [bita, ali])
    job.request_cancel()
    gate.set()
    qtbot.waitUntil(lambda: not job.is_running(), timeout=10000)
    qtbot.waitUntil(lambda: "cancelled" in win.statusBar().currentMessage(), timeout=5000)
    assert dump(win.store) == before
    assert win.findChild(MergeReportDialog, "mergeReport") is None


def test_a_refused_file_is_reported_and_nothing_changes(win, qtbot, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    junk = tmp_path / "notes.annot"
    junk.write_text("not a database", encoding="utf-8")
    before = dump(win.store)
    merge_ui.apply_merge(win, [junk])
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=10000)
    [(title, text)] = messages.shown
    assert title == "Cannot merge" and "notes.annot" in text and "Nothing was changed" in text
    assert dump(win.store) == before


def test_file_menu_offers_merge_with_a_shortcut(win, qtbot, monkeypatch, checkers):
    _base, bita, _ali = checkers
    act = win.actions["merge_files"]
    assert act.isEnabled() and act.shortcut().toString() == "Ctrl+Alt+M"
    file_menu = win.menus["File"]
    names = [a.objectName() for a in file_menu.actions()]
    assert names.index("merge_files") < names.index("preferences")  # not after Quit
    monkeypatch.setattr(merge_ui, "ask_merge_paths", lambda _parent: [str(bita)])
    act.trigger()
    qtbot.waitUntil(lambda: win.findChild(MergeReportDialog, "mergeReport") is not None, timeout=15000)


def test_merging_into_a_new_window_with_no_file_asks_to_open_one(make_window, qtbot):
    w = make_window()
    assert merge_ui.apply_merge(w, ["x.annot"]) is None
    assert "Open the annotation file" in w.statusBar().currentMessage()


def test_closing_the_window_during_a_merge_stops_it_cleanly(win, qtbot, checkers, monkeypatch):
    import annotator.core.merge as core_merge

    _base, bita, ali = checkers
    store_path = win.store.path
    before = dump(win.store)
    gate = threading.Event()
    original = core_merge.merge_files

    def held(*args, **kwargs):
        gate.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(core_merge, "merge_files", held)
    job = merge_ui.apply_merge(win, [bita, ali])
    assert merge_ui.apply_merge(win, [bita]) is None  # one merge at a time
    assert "already running" in win.statusBar().currentMessage()
    threading.Timer(0.2, gate.set).start()  # the worker goes on while the window is closing
    win.close()  # asks the worker to stop and waits for it: it stops at its next step
    assert not job.is_running()
    assert dump(store_path) == before
