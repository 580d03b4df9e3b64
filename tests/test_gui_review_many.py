"""Accept / reject all from a speaker in the real window: one bulk store call per table, one undo step,
and the window brought up to date from the one event per table (no re-reading of the document)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from gui_features import alias_ask, figure_with, find_figures, make_window, win  # noqa: F401
from gui_helpers import background_at_qt, qt_pos

from annotator.core.model import Figure
from annotator.qt import suggestions
from annotator.qt.highlights import SUGGESTED_FILL, VERDICT_COLORS
from annotator.qt.models import STATUS_ROLE
from annotator.qt.state import DocumentState

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def _setup(win, qtbot):
    find_figures(qtbot, win)
    ctl = suggestions.controller(win)
    f = figure_with(win, "at least 30,000")
    win.go_to_figure(f.id)
    speaker_id = ctl.speaker_of_current()
    st = win.state
    mine = [fid for fid in ctl.suggested_ids()
            if any(a.speaker_id == speaker_id and a.status == "suggested" for a in st.figure_attributions(fid))]
    others = [fid for fid in ctl.suggested_ids() if fid not in mine]
    assert len(mine) >= 2 and others
    return ctl, mine, others


def _watch(win, monkeypatch):
    """Store events heard, and reloads of the window's document state."""
    events, reloads = [], []
    win.store.subscribe(lambda t, op, p: events.append((t, op)))
    real = DocumentState.reload
    shown = win.state

    def reload(self):
        if self is shown:
            reloads.append(1)
        return real(self)

    monkeypatch.setattr(DocumentState, "reload", reload)
    return events, reloads


def _status_in_list(win, fid):
    m = win.figures.model
    row = m.row_of(fid)
    return None if row is None else m.data(m.index(row, 0), STATUS_ROLE)


def _matches_the_file(win):
    """The window's state is what a fresh read of the file gives (statuses and revisions)."""
    st = win.state
    fresh = DocumentState(win.store, win.doc_id)
    assert {k: (f.status, f.rev, f.prev_revs) for k, f in st.figures.items()} == \
        {k: (f.status, f.rev, f.prev_revs) for k, f in fresh.figures.items()}
    assert {k: {a: (x.status, x.rev) for a, x in v.items()} for k, v in st.attributions.items()} == \
        {k: {a: (x.status, x.rev) for a, x in v.items()} for k, v in fresh.attributions.items()}
    assert win.figures.model.rowCount() == len(fresh.figures)


def test_accept_all_from_a_speaker_is_one_step_and_one_event_per_table(win, qtbot, monkeypatch):
    ctl, mine, others = _setup(win, qtbot)
    text = win.state.text
    steps = win.undo_stack.count()
    events, reloads = _watch(win, monkeypatch)
    # Ctrl+Shift+Y
    assert win.actions.accept_speaker_suggestions.shortcut().toString() == "Ctrl+Shift+Y"
    win.actions.accept_speaker_suggestions.trigger()
    assert win.undo_stack.count() == steps + 1
    assert events == [("figures", "reload"), ("attributions", "reload")]
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)
    assert win.current_figure_id in others  # moved on to a suggestion left, once the views show the change
    assert reloads == []  # brought up to date from the events, not read again
    for fid in mine:
        f = win.store.get(Figure, fid)
        assert f.status == "confirmed" and win.state.figures[fid].status == "confirmed"
        assert all(a.status == "confirmed" for a in win.state.figure_attributions(fid))
        assert _status_in_list(win, fid) == "confirmed"
        assert background_at_qt(win, qt_pos(text, f.start)) == VERDICT_COLORS["unchecked"]
    assert all(_status_in_list(win, fid) == "suggested" for fid in others)
    _matches_the_file(win)

    events.clear()
    win.undo()
    assert events == [("attributions", "reload"), ("figures", "reload")]
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)
    for fid in mine:
        assert win.store.get(Figure, fid).status == "suggested"
        assert _status_in_list(win, fid) == "suggested"
        assert background_at_qt(win, qt_pos(text, win.state.figures[fid].start)) == SUGGESTED_FILL
    assert sorted(ctl.suggested_ids()) == sorted(mine + others)
    _matches_the_file(win)

    win.redo()
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)
    assert all(win.store.get(Figure, fid).status == "confirmed" for fid in mine)
    assert all(_status_in_list(win, fid) == "confirmed" for fid in mine)
    assert sorted(ctl.suggested_ids()) == sorted(others)
    assert reloads == []
    _matches_the_file(win)


def test_reject_all_from_a_speaker_hides_them_and_undo_brings_them_back(win, qtbot, monkeypatch):
    ctl, mine, others = _setup(win, qtbot)
    text = win.state.text
    spans = {fid: win.state.figures[fid].start for fid in mine}
    a = win.actions.reject_speaker_suggestions
    assert a.objectName() and a.toolTip() and a.shortcut().toString() == "Ctrl+Shift+J"
    steps = win.undo_stack.count()
    events, reloads = _watch(win, monkeypatch)
    a.trigger()
    assert win.undo_stack.count() == steps + 1
    assert events == [("figures", "reload"), ("attributions", "reload")]
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)
    assert reloads == []
    for fid in mine:
        assert win.store.get(Figure, fid).status == "rejected"
        assert fid not in win.state.figures and _status_in_list(win, fid) is None
        assert background_at_qt(win, qt_pos(text, spans[fid])) == ""
    assert sorted(ctl.suggested_ids()) == sorted(others)
    _matches_the_file(win)

    win.undo()
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)
    for fid in mine:
        assert win.store.get(Figure, fid).status == "suggested"
        assert _status_in_list(win, fid) == "suggested"
        assert background_at_qt(win, qt_pos(text, spans[fid])) == SUGGESTED_FILL
    assert reloads == []
    _matches_the_file(win)

    win.redo()
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)
    assert all(win.store.get(Figure, fid).status == "rejected" for fid in mine)
    assert sorted(ctl.suggested_ids()) == sorted(others)
    _matches_the_file(win)


def test_accept_all_changes_statuses_without_sorting_the_list_again(win, qtbot, monkeypatch):
    from annotator.qt.models import FiguresModel

    ctl, mine, others = _setup(win, qtbot)
    order = list(win.figures.model._ids)
    resorts: list[int] = []
    real = FiguresModel._resort
    monkeypatch.setattr(FiguresModel, "_resort", lambda self: resorts.append(1) or real(self))
    win.actions.accept_speaker_suggestions.trigger()
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)
    win.undo()
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)
    win.redo()
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)
    assert resorts == []  # only statuses changed: every row stayed in order (dataChanged only)
    assert win.figures.model._ids == order
    assert all(_status_in_list(win, fid) == "confirmed" for fid in mine)
    # a change that moves a row still sorts: by verdict, descending, then a verdict changed
    win.figures.proxy.sort(FiguresModel.VERDICT, Qt.SortOrder.DescendingOrder)
    resorts.clear()
    from annotator.core.model import Figure

    fid = mine[0]
    win.store.update(Figure, fid, verdict="accurate")
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)
    m = win.figures.model
    keys = [m._row_cells(x, win.state.figures[x])[1][FiguresModel.VERDICT] for x in m._ids]
    assert keys == sorted(keys, reverse=True)
    _matches_the_file(win)


def test_accept_all_written_off_the_ui_thread_matches_the_file(win, qtbot, monkeypatch):
    import threading

    from annotator.core.store import AnnotationStore
    from annotator.qt import factcheck_features

    if str(win.store.path) == ":memory:":
        pytest.skip("an in-memory file is written on the UI thread")
    monkeypatch.setattr(factcheck_features, "OFF_THREAD", 1)
    ctl, mine, others = _setup(win, qtbot)
    threads: list[int] = []
    real = AnnotationStore.update_many
    monkeypatch.setattr(AnnotationStore, "update_many",
                        lambda self, *a, **k: threads.append(threading.get_ident()) or real(self, *a, **k))
    events, reloads = _watch(win, monkeypatch)
    win.actions.accept_speaker_suggestions.trigger()
    assert threads and all(t != threading.get_ident() for t in threads)
    assert events == [("figures", "reload"), ("attributions", "reload")]  # announced on the window's store
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)  # the views, over a few turns
    assert win.current_figure_id in others
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)
    assert all(_status_in_list(win, fid) == "confirmed" for fid in mine)
    assert reloads == []
    _matches_the_file(win)
    threads.clear()
    win.undo()
    qtbot.waitUntil(lambda: not win.events.pending(), timeout=2000)
    assert threads and all(t != threading.get_ident() for t in threads)
    assert all(_status_in_list(win, fid) == "suggested" for fid in mine)
    _matches_the_file(win)
