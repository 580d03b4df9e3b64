"""Find figures in the window: suggestions shown apart, reviewed by key, undone, remembered."""

from __future__ import annotations

import pytest
from gui_features import alias_ask, figure_with, find_figures, make_window, win  # noqa: F401
from gui_helpers import background_at_qt, open_and_wait, press, qt_pos
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from annotator.core.model import Attribution, Figure, Relation, Speaker
from annotator.qt import settings, suggestions
from annotator.qt.highlights import SUGGESTED_FILL, VERDICT_COLORS
from annotator.qt.models import STATUS_ROLE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def snapshot(store) -> dict:
    """Every record of the file, deleted ones included, with its revision."""
    out = {}
    for cls in (Figure, Speaker, Attribution, Relation):
        out[cls.TABLE] = sorted((r.id, r.rev, r.status if hasattr(r, "status") else "", r.deleted)
                                for r in store.records(cls, include_deleted=True))
    return out


def test_find_figures_shows_suggestions_apart_from_confirmed_figures(win, qtbot):
    report = find_figures(qtbot, win)
    assert report is not None and report.figures >= 10
    st = win.state
    suggested = [f for f in st.figures.values() if f.status == "suggested"]
    assert {"at least 30,000", "3,6 quadrillion rials", "more than 3 trillion rials", "15%"} <= \
        {f.exact for f in suggested}
    # the first suggestion in the text is current, so Y / X work at once
    first = min(suggested, key=lambda f: f.start)
    assert win.current_figure_id == first.id
    # in the text: the pale suggestion fill, not a verdict colour
    f = figure_with(win, "at least 30,000")
    assert background_at_qt(win, qt_pos(st.text, f.start)) == SUGGESTED_FILL
    # in the figures list: grey italic rows whose status is "suggested"
    m = win.figures.model
    row = m.row_of(f.id)
    idx = m.index(row, 0)
    assert idx.data(STATUS_ROLE) == "suggested"
    font = idx.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert "suggested" in m.index(row, m.VERDICT).data()
    # with their suggested speakers and evidence
    hajian = figure_with(win, "around 100 million rials")
    assert "Mehdi Hajian (states, suggested)" in st.speakers_text(hajian.id)


def test_keys_accept_reject_and_step_through_suggestions(win, qtbot):
    find_figures(qtbot, win)
    ctl = suggestions.controller(win)
    order = ctl.suggested_ids()
    a, b, c = order[0], order[1], order[2]
    assert win.current_figure_id == a
    text = win.state.text
    # N / P move between suggestions
    press(qtbot, win, "n")
    assert win.current_figure_id == b
    press(qtbot, win, "p")
    assert win.current_figure_id == a
    # Y accepts the figure and its suggested attributions, then goes to the next suggestion
    press(qtbot, win, "y")
    fa = win.store.get(Figure, a)
    assert fa.status == "confirmed"
    assert all(x.status == "confirmed" for x in win.store.attributions(figure_id=a, statuses=()))
    assert background_at_qt(win, qt_pos(text, fa.start)) == VERDICT_COLORS["unchecked"]
    assert win.current_figure_id == b
    # X rejects: hidden from the text and the list, kept in the file as rejected
    press(qtbot, win, "x")
    fb = win.store.get(Figure, b)
    assert fb.status == "rejected" and not fb.deleted
    assert b not in win.state.figures and win.figures.model.row_of(b) is None
    assert background_at_qt(win, qt_pos(text, fb.start)) == ""
    assert win.current_figure_id == c
    # undo the rejection, then the acceptance; redo both
    win.undo()
    assert win.store.get(Figure, b).status == "suggested" and b in win.state.figures
    assert background_at_qt(win, qt_pos(text, fb.start)) == SUGGESTED_FILL
    win.undo()
    assert win.store.get(Figure, a).status == "suggested"
    assert all(x.status == "suggested" for x in win.store.attributions(figure_id=a, statuses=()))
    win.redo()
    win.redo()
    assert (win.store.get(Figure, a).status, win.store.get(Figure, b).status) == ("confirmed", "rejected")
    # Y on a figure that is not a suggestion changes nothing
    win.go_to_figure(a)
    press(qtbot, win, "y")
    assert win.store.get(Figure, a).status == "confirmed" and win.current_figure_id == a
    assert "not a suggestion" in win.statusBar().currentMessage()


def test_accept_all_from_the_current_suggestions_speaker(win, qtbot):
    find_figures(qtbot, win)
    ctl = suggestions.controller(win)
    st = win.state
    f = figure_with(win, "at least 30,000")
    win.go_to_figure(f.id)
    speaker_id = ctl.speaker_of_current()
    speaker = win.store.get(Speaker, speaker_id)
    assert speaker.name == "People’s Mojahedin of Iran"
    mine = {fid for fid in ctl.suggested_ids()
            if any(x.speaker_id == speaker_id for x in st.figure_attributions(fid))}
    others = set(ctl.suggested_ids()) - mine
    assert len(mine) >= 2 and others
    win.actions.accept_speaker_suggestions.trigger()
    assert all(win.store.get(Figure, fid).status == "confirmed" for fid in mine)
    assert all(win.store.get(Figure, fid).status == "suggested" for fid in others)
    # one undo step brings them all back
    win.undo()
    assert all(win.store.get(Figure, fid).status == "suggested" for fid in mine)


def test_a_rejected_suggestion_stays_rejected_after_reopening(win, make_window, qtbot, sample_path):
    find_figures(qtbot, win)
    f = figure_with(win, "15%")
    win.go_to_figure(f.id)
    press(qtbot, win, "x")
    assert win.store.get(Figure, f.id).status == "rejected"
    win.close()

    w2 = make_window()
    open_and_wait(qtbot, w2, sample_path)
    assert f.id not in w2.state.figures
    report = find_figures(qtbot, w2)
    assert report.figures == 0 and report.skipped_rejected >= 1
    spans = [(x.start, x.end) for x in w2.store.figures(w2.doc_id, statuses=("confirmed", "suggested"))]
    assert not any(s < f.end and f.start < e for s, e in spans)
    assert w2.store.get(Figure, f.id).status == "rejected"


def test_undo_of_a_pass_removes_its_suggestions_and_a_new_pass_proposes_them_again(win, qtbot):
    report = find_figures(qtbot, win)
    n = report.figures
    assert len(win.state.figures) == n
    win.undo()
    assert len(win.state.figures) == 0
    assert win.store.speakers() == []
    win.redo()
    assert len(win.state.figures) == n
    win.undo()
    again = find_figures(qtbot, win)
    assert again.figures == n


def test_alias_proposal_is_offered_and_applying_it_adds_the_alias(win, qtbot, alias_ask):
    alias_ask.answer = "all"
    find_figures(qtbot, win)
    assert alias_ask.calls == [[("Roydad 24", "Royedad 24")]]
    keep = win.store.find_speaker("Royedad 24")
    assert keep.name == "Royedad 24" and "Roydad 24" in keep.aliases
    assert win.store.find_speaker("Roydad 24").id == keep.id
    # the figures "Roydad 24 added" are now Royedad 24's
    f = figure_with(win, "at least 200,000")
    assert "Royedad 24 (states, suggested)" in win.state.speakers_text(f.id)
    win.undo()  # the alias, not the pass
    keep = win.store.get(Speaker, keep.id)
    assert "Roydad 24" not in keep.aliases and win.store.find_speaker("Roydad 24").id != keep.id
    assert "Roydad 24 (states, suggested)" in win.state.speakers_text(f.id)


def test_refused_alias_proposal_keeps_two_speakers(win, qtbot, alias_ask):
    find_figures(qtbot, win)
    assert len(alias_ask.calls) == 1
    assert win.store.find_speaker("Roydad 24").id != win.store.find_speaker("Royedad 24").id


def test_cancel_leaves_the_file_unchanged(win, qtbot):
    ctl = suggestions.controller(win)
    before = snapshot(win.store)
    with qtbot.waitSignal(ctl.passFinished, timeout=10000) as blocker:
        win.actions.find_figures.trigger()
        assert ctl.is_running() and not win.actions.find_figures.isEnabled()
        ctl.cancel_button.click()  # the progress dialog's Cancel
    assert blocker.args == [None]
    assert snapshot(win.store) == before
    assert "cancelled" in win.statusBar().currentMessage()
    assert win.actions.find_figures.isEnabled() and not ctl.is_running()


def test_find_figures_on_opening_is_a_remembered_setting(make_window, qtbot, sample_path):
    w = make_window()
    act = w.actions.find_figures_on_open
    assert not act.isChecked()
    act.trigger()
    assert act.isChecked() and settings.value(suggestions.AUTO_KEY) in (True, "true")
    ctl = suggestions.controller(w)
    with qtbot.waitSignal(ctl.passFinished, timeout=15000) as blocker:
        w.open_path(sample_path)
    assert blocker.args[0].figures > 0
    assert any(f.status == "suggested" for f in w.state.figures.values())
    w.close()
    w2 = make_window()
    assert w2.actions.find_figures_on_open.isChecked()


def test_review_actions_are_registered_with_unique_shortcuts(win):
    names = [s.name for s in suggestions.SPECS]
    keys = {}
    for a in win.actions:
        for k in a.shortcuts():
            key = k.toString()
            assert key not in keys, f"{key}: {keys.get(key)} and {a.objectName()}"
            keys[key] = a.objectName()
    assert {keys["Y"], keys["X"], keys["N"], keys["P"], keys["Ctrl+Shift+F"]} <= set(names)
    assert win.actions.find_figures in win.menus["Figure"].actions()


def test_find_figures_in_a_pdf_reports_progress_by_page_and_draws_suggestions_on_the_pages(make_window, qtbot,
                                                                                        tmp_path):
    from annotator.core.pdf import pymupdf

    fitz = pymupdf()
    doc = fitz.open()
    pages = [["Annual report of the prison service."],
             ["The service said 15% of inmates were released,", "according to the ministry."],
             ["Each inmate costs around 100 million rials a year."]]
    for lines in pages:
        page = doc.new_page()
        for i, line in enumerate(lines):
            page.insert_text((72, 100 + 20 * i), line)
    pdf = tmp_path / "report.pdf"
    doc.save(str(pdf))
    doc.close()
    w = make_window()
    open_and_wait(qtbot, w, pdf)
    if w.view is w.reader:
        pytest.skip("no PDF view installed: PDFs show as text")
    ctl = suggestions.controller(w)
    steps = []
    with qtbot.waitSignal(ctl.passFinished, timeout=10000) as blocker:
        w.actions.find_figures.trigger()
        ctl.job.progressed.connect(lambda done, total: steps.append((done, total)))
    assert blocker.args[0].figures == 2
    assert steps and steps[-1] == (3, 3)
    pct = figure_with(w, "15%")
    cost = figure_with(w, "around 100 million rials")
    assert (pct.page, cost.page, pct.status) == (1, 2, "suggested")
    assert "(states, suggested)" in w.state.speakers_text(pct.id)
    # drawn on its page from its text span (no quads are stored for a suggestion)
    w.go_to_figure(cost.id)
    page, quads = w.view.span_geometry(cost.start, cost.end)
    q = quads[0]
    from PySide6.QtCore import QPointF

    centre = w.view.pdf.map_from_page(page, QPointF((q[0] + q[6]) / 2, (q[1] + q[7]) / 2)).toPoint()
    qtbot.waitUntil(lambda: w.view.pdf.highlight_at(centre) == "f:" + cost.id, timeout=5000)
    press(qtbot, w, "y")
    assert w.store.get(Figure, cost.id).status == "confirmed"


def test_a_window_built_before_the_features_were_registered_gets_their_actions(qtbot, monkeypatch, sample_path,
                                                                              alias_ask):
    from annotator.qt import actions as actions_mod
    from annotator.qt import checks_panel, factcheck_features, provenance_view
    from annotator.qt.main_window import MainWindow

    mine = {s.name for s in suggestions.SPECS + checks_panel.SPECS + provenance_view.SPECS}
    monkeypatch.setattr(actions_mod, "SPECS", [s for s in actions_mod.SPECS if s.name not in mine])
    w = MainWindow()
    qtbot.addWidget(w)
    with pytest.raises(KeyError):
        w.actions["find_figures"]
    factcheck_features.install_all(w)
    [find] = [a for a in w.menus["Figure"].actions() if a.objectName() == "find_figures"]
    assert [k.toString() for k in find.shortcuts()] == ["Ctrl+Shift+F"]
    assert any(a.objectName() == "new_relation" for a in w.menus["Figure/Chec&ks"].actions())
    open_and_wait(qtbot, w, sample_path)
    ctl = suggestions.controller(w)
    with qtbot.waitSignal(ctl.passFinished, timeout=10000) as blocker:
        find.trigger()
    assert blocker.args[0].figures > 0


def test_a_pass_over_a_long_document_keeps_the_window_responsive(make_window, qtbot, tmp_path, monkeypatch):
    """Finding (and storing) thousands of suggestions runs off the UI thread: a 20 ms timer keeps
    ticking during the pass, and the result is still one undo step."""
    import sys
    import threading
    from pathlib import Path

    from PySide6.QtCore import QTimer

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from _newsgen import make_news_pdf

    pdf = tmp_path / "long.pdf"
    make_news_pdf(pdf, pages=40)
    w = make_window()
    open_and_wait(qtbot, w, pdf, timeout=30000)
    ctl = suggestions.controller(w)
    # the worker starts its pass only once the UI thread's timer has fired three times: it can if,
    # and only if, the event loop turns while the worker runs (no reliance on how long a pass takes)
    turned = threading.Event()
    ticks: list[int] = []
    timer = QTimer(w)
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1) or (len(ticks) >= 3 and turned.set()))
    waited: list[bool] = []
    run = suggestions._Thread.run

    def run_after_three_ticks(self):
        waited.append(turned.wait(20))
        run(self)

    monkeypatch.setattr(suggestions._Thread, "run", run_after_three_ticks)
    with qtbot.waitSignal(ctl.passFinished, timeout=60000) as blocker:
        timer.start()
        w.actions.find_figures.trigger()
    timer.stop()
    report = blocker.args[0]
    assert report is not None and report.figures > 1000
    assert waited == [True]  # the event loop turned while the worker ran
    st = w.state
    assert sum(1 for f in st.figures.values() if f.status == "suggested") == report.figures
    assert w.figures.model.rowCount() == len(st.figures)
    assert w.current_figure_id in set(report.figure_ids)
    # the window took the worker's records as they are: what it shows is what the file holds
    from annotator.qt.state import DocumentState

    fresh = DocumentState(w.store, w.doc_id)
    assert set(fresh.figures) == set(st.figures)
    assert {k: set(v) for k, v in fresh.attributions.items()} == {k: set(v) for k, v in st.attributions.items()}
    assert set(fresh.speakers) == set(st.speakers)
    from annotator.qt.models import SpeakersModel

    again = SpeakersModel()
    again.reset(w.store)
    shown = w.speakers.model
    assert [sp.id for sp in shown._speakers] == [sp.id for sp in again._speakers]
    assert {k: v for k, v in shown._counts.items() if v} == {k: v for k, v in again._counts.items() if v}
    w.undo()
    assert not [f for f in w.state.figures.values() if f.status == "suggested"]
    assert not w.store.figures(w.doc_id, statuses=("suggested",))
    assert w.figures.model.rowCount() == len(w.state.figures)  # the undo's thousands of events: one reset


def test_speakers_list_counts_suggested_figures_apart_and_moves_them_when_accepted(win, qtbot):
    find_figures(qtbot, win)
    model = win.speakers.model

    def label(name: str) -> str:
        for r in range(model.rowCount()):
            text = model.data(model.index(r))
            if text.startswith(name + "  ·"):
                return text
        raise AssertionError(f"{name} not in the speakers list")

    # after a pass nobody has a confirmed figure yet, but the list says what was suggested for whom
    mek = label("People’s Mojahedin of Iran")
    assert "0 figures" in mek and " suggested" in mek
    suggested = int(mek.split("·")[-1].split()[0])
    assert suggested >= 2
    f = figure_with(win, "at least 30,000")
    win.go_to_figure(f.id)
    win.actions.accept_speaker_suggestions.trigger()
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)  # the views, over a few turns
    mek = label("People’s Mojahedin of Iran")
    assert f"{suggested} figures" in mek and "suggested" not in mek
    win.undo()  # one bulk event per table, applied on the next event-loop turn
    qtbot.waitUntil(lambda: label("People’s Mojahedin of Iran").endswith(f"0 figures  ·  {suggested} suggested"),
                    timeout=2000)
