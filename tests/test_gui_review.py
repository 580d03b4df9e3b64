"""Review mode through the window: review status by shortcut, comment threads, the summary,
the author filter, and the agreement panel for two scripted checkers."""

from __future__ import annotations

import pytest
from gui_helpers import select
from merge_support import mark
from PySide6.QtCore import Qt, QUrl
from review_gui_support import make_window, win  # noqa: F401  (fixtures)

from annotator.core.model import Attribution, Speaker
from annotator.qt import review
from annotator.qt.agreement_view import AgreementPanel
from annotator.qt.feature_base import local_time
from annotator.qt.review import ReviewPanel

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def panel_of(win) -> ReviewPanel:
    return win.findChild(ReviewPanel, "reviewPanel")


def marked(win, qtbot, needle: str) -> str:
    select(win, needle)
    return win.mark_figure()


def press_alt(qtbot, win, key) -> None:
    target = win.view.focusProxy() or win.view
    target.setFocus()
    qtbot.keyClick(target, key, Qt.KeyboardModifier.AltModifier)


def test_review_status_by_shortcut_shows_reviewer_and_time_and_undoes(win, qtbot):
    fid = marked(win, qtbot, "30,000")
    win.actions.show_review.trigger()
    panel = panel_of(win)
    assert panel.isVisible() and "Not reviewed" in panel.status_label.text()

    press_alt(qtbot, win, Qt.Key.Key_2)
    f = win.state.figures[fid]
    assert (f.review_status, f.reviewer) == ("disputed", "Tester") and f.reviewed_at
    assert f.verdict == "unchecked"  # the checker's verdict is a separate thing
    first_time = f.reviewed_at
    shown = panel.status_label.text()
    assert "Disputed" in shown and "Tester" in shown and local_time(f.reviewed_at) in shown
    assert panel.status_buttons["disputed"].isChecked() and not panel.status_buttons["accepted"].isChecked()

    press_alt(qtbot, win, Qt.Key.Key_1)
    assert win.state.figures[fid].review_status == "accepted"
    assert panel.status_buttons["accepted"].isChecked()

    win.undo()
    assert win.state.figures[fid].review_status == "disputed"
    win.undo()
    f = win.state.figures[fid]
    assert (f.review_status, f.reviewer, f.reviewed_at) == ("", "", "")
    assert "Not reviewed" in panel.status_label.text()
    win.redo()
    again = win.state.figures[fid]
    assert again.review_status == "disputed" and again.reviewed_at == first_time  # redo keeps the time


def test_needs_source_and_clear_from_the_review_menu(win, qtbot):
    fid = marked(win, qtbot, "1500")
    win.actions.review_needs_source.trigger()
    assert win.state.figures[fid].review_status == "needs_source"
    win.actions.review_clear.trigger()
    assert win.state.figures[fid].review_status == ""
    names = [a.text().replace("&", "") for a in win.menuBar().actions()]
    assert names.index("Review") < names.index("Help")


def test_review_needs_a_figure(win, qtbot):
    assert not win.actions.review_accepted.isEnabled()
    assert review.set_review_status(win, "accepted") is False


def test_a_comment_and_a_reply_appear_in_the_thread(win, qtbot):
    marked(win, qtbot, "30,000")
    win.actions.review_comment.trigger()
    panel = panel_of(win)
    assert panel.isVisible() and panel.tabs.currentIndex() == 0 and panel.comment_edit.hasFocus()
    panel.comment_edit.setPlainText("Where does the MEK get 30,000 from?")
    assert not panel.reply_btn.isEnabled()  # nothing to reply to yet
    qtbot.mouseClick(panel.comment_btn, Qt.MouseButton.LeftButton)
    assert panel.comment_ids() == [(0, "Tester", "Where does the MEK get 30,000 from?")]
    assert panel.comment_edit.toPlainText() == ""

    [first] = win.store.comments(win.current_figure_id)
    assert f"reply:{first.id}" in panel.thread.toHtml()
    panel.thread.anchorClicked.emit(QUrl(f"reply:{first.id}"))  # its Reply link
    assert panel.reply_note.isVisibleTo(panel) and "Replying to" in panel.reply_note.text()
    panel.comment_edit.setPlainText("Their statement of 12 Feb; no independent count.")
    qtbot.mouseClick(panel.reply_btn, Qt.MouseButton.LeftButton)
    assert panel.comment_ids() == [(0, "Tester", "Where does the MEK get 30,000 from?"),
                                   (1, "Tester", "Their statement of 12 Feb; no independent count.")]
    # the reply is stored as an answer to the comment
    [c, r] = sorted(win.store.comments(win.current_figure_id), key=lambda x: x.created)
    assert r.parent_id == c.id
    assert not panel.reply_note.isVisibleTo(panel)  # the next comment starts a new thread
    win.undo()
    assert [d for d, _a, _b in panel.comment_ids()] == [0]
    # another figure has its own (empty) thread
    marked(win, qtbot, "1500")
    assert panel.comment_ids() == [] and panel.no_comments.isVisibleTo(panel)


def test_summary_counts_by_status_author_and_speaker(win, qtbot):
    store = win.store
    f1 = marked(win, qtbot, "30,000")
    f2 = marked(win, qtbot, "1500")
    ali = mark(store, win.doc_id, "15%", author="Ali")
    mek = store.add(Speaker(name="MEK", kind="organisation"))
    for fid in (f1, f2):
        store.add(Attribution(figure_id=fid, speaker_id=mek.id))
    review.set_review_status(win, "accepted", f1)
    review.set_review_status(win, "disputed", f2)
    review.set_review_status(win, "needs_source", ali.id)

    win.actions.show_review.trigger()
    panel = panel_of(win)
    panel.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not panel._summary_dirty)
    assert panel.table_rows("status") == [["Accepted", "1"], ["Disputed", "1"], ["Needs source", "1"],
                                          ["Not reviewed", "0"]]
    # columns: name, figures, accepted, disputed, needs source, not reviewed
    assert panel.table_rows("author") == [["Ali", "1", "0", "0", "1", "0"], ["Tester (you)", "2", "1", "1", "0", "0"]]
    assert panel.table_rows("speaker") == [["MEK", "2", "1", "1", "0", "0"], ["(no speaker)", "1", "0", "0", "1", "0"]]
    assert "3 figures" in panel.summary_label.text().replace("<b>", "").replace("</b>", "")

    # a new review redraws the summary
    review.set_review_status(win, "", f2)
    qtbot.waitUntil(lambda: panel.table_rows("status")[3] == ["Not reviewed", "1"])


def test_author_filter_drives_the_figures_list_and_next_unreviewed(win, qtbot):
    store = win.store
    mine = marked(win, qtbot, "30,000")
    ali1 = mark(store, win.doc_id, "1500", author="Ali")
    ali2 = mark(store, win.doc_id, "15%", author="Ali")
    review.set_review_status(win, "accepted", ali1.id)
    win.actions.show_review.trigger()
    panel = panel_of(win)
    items = [panel.author.itemData(i) for i in range(panel.author.count())]
    assert items == [None, "Ali", "Tester"]
    panel.author.setCurrentIndex(items.index("Ali"))
    panel.author.activated.emit(items.index("Ali"))
    assert set(win.figures.visible_ids()) == {ali1.id, ali2.id}
    assert win.figures.author_filter.currentData() == "Ali"
    # next unreviewed skips the accepted figure and the other author's
    win.go_to_figure(mine)
    press_alt(qtbot, win, Qt.Key.Key_N)
    assert win.current_figure_id == ali2.id
    assert panel.figure_label.text().count("15%") == 1


def test_agreement_for_two_scripted_authors(win, qtbot):
    store, doc = win.store, win.doc_id
    # Ali: 30,000 (MEK, accurate), 1500 (Reuters, accurate), 15% (inaccurate)
    # Bita: 30,000 (her own "MEK", accurate), 1500 (no speaker, misleading), $79 million (accurate)
    a30 = mark(store, doc, "30,000", author="Ali", verdict="accurate")
    a1500 = mark(store, doc, "1500", author="Ali", verdict="accurate")
    a15 = mark(store, doc, "15%", author="Ali", verdict="inaccurate")
    b30 = mark(store, doc, "30,000", author="Bita", verdict="accurate")
    mark(store, doc, "1500", author="Bita", verdict="misleading")
    b79 = mark(store, doc, "$79 million", author="Bita", verdict="accurate")
    mek_a = store.add(Speaker(name="MEK", author="Ali"))
    mek_b = store.add(Speaker(name="MEK", author="Bita"))
    reuters = store.add(Speaker(name="Reuters", author="Ali"))
    store.add(Attribution(figure_id=a30.id, speaker_id=mek_a.id))
    store.add(Attribution(figure_id=b30.id, speaker_id=mek_b.id))
    store.add(Attribution(figure_id=a1500.id, speaker_id=reuters.id))

    win.actions.show_agreement.trigger()
    panel = win.findChild(AgreementPanel, "agreementPanel")
    rep = panel.compare("Ali", "Bita")
    # 2 of 3 figures match each way; verdicts agree on 1 of 2 matched figures
    assert (rep.matched, rep.precision, rep.recall, rep.f1) == (2, 2 / 3, 2 / 3, 2 / 3)
    assert (rep.speakers_same, rep.speakers_compared) == (1, 2)
    po = 1 / 2
    pe_kappa = (2 * 1) / 4  # Ali: accurate x2; Bita: accurate, misleading
    kappa = (po - pe_kappa) / (1 - pe_kappa)
    pi_acc, pi_mis = 3 / 4, 1 / 4
    pe_ac1 = (pi_acc * (1 - pi_acc) + pi_mis * (1 - pi_mis)) / (5 - 1)
    ac1 = (po - pe_ac1) / (1 - pe_ac1)
    assert rep.cohen_kappa == pytest.approx(kappa) and rep.gwet_ac1 == pytest.approx(ac1)
    v = panel.values
    assert v["prf"].text() == "67% · 67% · 67%"
    assert v["speakers"].text().startswith("50%")
    assert v["kappa"].text().startswith(f"{kappa:.2f}") and v["ac1"].text().startswith(f"{ac1:.2f}")

    # walk through the disagreements in text order: 1500, 15% (only Ali), $79 million (only Bita)
    assert panel.list.count() == 3
    win.actions.next_disagreement.trigger()
    assert win.current_figure_id == a1500.id
    assert panel.list.item(0).text().endswith(
        "“1500”: speakers: Ali Reuters, Bita no speaker; verdict: Ali accurate, Bita misleading")
    qtbot.mouseClick(panel.next_btn, Qt.MouseButton.LeftButton)
    assert win.current_figure_id == a15.id and panel.position.text() == "2 of 3"
    sel = win.view.selection()
    assert (sel.start, sel.end) == (a15.start, a15.end)
    win.actions.next_disagreement.trigger()
    assert win.current_figure_id == b79.id
    win.actions.next_disagreement.trigger()  # wraps around
    assert win.current_figure_id == a1500.id
    win.actions.previous_disagreement.trigger()
    assert win.current_figure_id == b79.id


def test_agreement_with_one_author_explains_what_is_needed(win, qtbot):
    marked(win, qtbot, "30,000")
    win.actions.show_agreement.trigger()
    panel = win.findChild(AgreementPanel, "agreementPanel")
    assert panel.note.isVisible() and "two people" in panel.note.text()
    assert panel.values["prf"].text() == "—"


def test_features_installed_on_a_window_built_before_they_were_registered(qtbot, monkeypatch, sample_path):
    from gui_helpers import open_and_wait

    from annotator.qt import actions, features
    from annotator.qt.main_window import MainWindow

    ours = {s.name for m in features.MODULES for s in m.SPECS}
    monkeypatch.setattr(actions, "SPECS", [s for s in actions.SPECS if s.name not in ours])
    w = MainWindow()
    qtbot.addWidget(w)
    with pytest.raises(KeyError):
        w.actions["review_accepted"]
    features.install_all(w)
    features.install_all(w)  # twice is harmless
    assert len(w.findChildren(ReviewPanel)) == 1
    from PySide6.QtGui import QAction

    assert len([a for a in w.findChildren(QAction) if a.objectName() == "export_csv"]) == 1
    with qtbot.waitExposed(w):
        w.show()
    w.activateWindow()
    open_and_wait(qtbot, w, sample_path)
    fid = marked(w, qtbot, "30,000")
    press_alt(qtbot, w, Qt.Key.Key_3)
    assert w.state.figures[fid].review_status == "needs_source"
    menus = [a.text() for a in w.menus["Review"].actions()]
    assert "&Needs source" in menus


def test_the_docks_come_back_where_the_user_left_them(make_window, qtbot):
    w = make_window()
    w.actions.show_review.trigger()
    assert w.findChild(ReviewPanel).isVisible()
    w.close()
    w2 = make_window()
    assert w2.actions.show_review.isChecked() and w2.findChild(ReviewPanel).isVisible()
    assert not w2.actions.show_merge_review.isChecked()
