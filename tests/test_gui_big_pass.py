"""A Find figures pass with thousands of suggestions over a long PDF, in the real window: highlights are
built only for the pages shown (the others keep their keys), finding their pages is spread over
event-loop turns, and undoing / redoing the pass is one transaction and one store event per table."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest
from gui_features import alias_ask, make_window  # noqa: F401
from gui_helpers import open_and_wait

from annotator.core.model import Attribution, Figure
from annotator.core.store import AnnotationStore, Tombstoned
from annotator.qt import factcheck_features, suggestions
from annotator.qt import pdf_view as pdf_view_mod
from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QApplication

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def long_pdf(tmp_path) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from _newsgen import make_news_pdf

    pdf = tmp_path / "long.pdf"
    make_news_pdf(pdf, pages=30)
    return pdf


def _pass(qtbot, w):
    ctl = suggestions.controller(w)
    with qtbot.waitSignal(ctl.passFinished, timeout=60000) as blocker:
        w.actions.find_figures.trigger()
    report = blocker.args[0]
    assert report is not None and report.figures > 500
    return report


def test_highlights_are_built_for_the_pages_shown_only_and_indexed_over_several_turns(make_window, qtbot, long_pdf,
                                                                                       monkeypatch):
    monkeypatch.setattr(pdf_view_mod, "INDEX_BUDGET", 0.0)  # a slice of 64 highlights per turn
    monkeypatch.setattr(pdf_view_mod, "HIGHLIGHT_PAGES", 4)
    w = make_window()
    open_and_wait(qtbot, w, long_pdf, timeout=30000)
    if w.view is w.reader:
        pytest.skip("no PDF view installed: PDFs show as text")
    pdf = w.view.pdf
    pending_when_landed = []
    suggestions.controller(w).passFinished.connect(lambda _r: pending_when_landed.append(pdf.highlights_pending()))
    _pass(qtbot, w)
    # the pages of the highlights were not all found in the turn the pass landed: later turns do the rest
    assert pending_when_landed == [True]
    assert pdf.page_highlight_keys(29) == []
    qtbot.waitUntil(lambda: not pdf.highlights_pending(), timeout=10000)
    st = w.state
    by_page: dict[int, int] = {}
    for f in st.figures.values():
        by_page[f.page] = by_page.get(f.page, 0) + 1
    assert all(sum(k.startswith("f:") for k in pdf.page_highlight_keys(p)) == n for p, n in by_page.items())
    # only the pages painted (a few at most) have their highlights built
    qtbot.waitUntil(lambda: pdf.current_page() in pdf.built_highlight_pages(), timeout=5000)
    assert len(pdf.built_highlight_pages()) <= 4
    assert 25 not in pdf.built_highlight_pages()
    assert not any(k.startswith("f:") and k in w.highlights.highlights._built
                   for k in pdf.page_highlight_keys(25))  # nor were the app's highlights of a far page made
    # scrolled to it, that page's highlights are drawn: the highlight under a figure of page 25 is that figure
    fid = next(fid for fid, f in st.figures.items() if f.page == 25)
    w.go_to_figure(fid)
    qtbot.waitUntil(lambda: 25 in pdf.painted_pages, timeout=10000)
    assert 25 in pdf.built_highlight_pages() and len(pdf.built_highlight_pages()) <= 4
    f = st.figures[fid]
    page, quads = w.view.span_geometry(f.start, f.end)
    from PySide6.QtCore import QPointF

    q = quads[0]
    centre = pdf.map_from_page(page, QPointF((q[0] + q[6]) / 2, (q[1] + q[7]) / 2)).toPoint()
    assert pdf.highlight_at(centre) == "f:" + fid


def _spy_transactions(monkeypatch, store) -> list[tuple[str, int]]:
    """(BEGIN IMMEDIATE / COMMIT, thread) on the window's connection and on any connection opened later."""
    commits: list[tuple[str, int]] = []

    def trace(sql):
        if sql.strip().upper() in ("COMMIT", "BEGIN IMMEDIATE"):
            commits.append((sql.strip().upper(), threading.get_ident()))

    real_open = AnnotationStore.open.__func__

    def spy_open(cls, *a, **k):
        s = real_open(cls, *a, **k)
        s.conn.set_trace_callback(trace)
        return s

    monkeypatch.setattr(AnnotationStore, "open", classmethod(spy_open))
    store.conn.set_trace_callback(trace)
    return commits


def test_undo_and_redo_of_a_big_pass_are_one_transaction_and_one_event_per_table(make_window, qtbot, long_pdf,
                                                                                   monkeypatch):
    monkeypatch.setattr(factcheck_features, "OFF_THREAD", 500)
    w = make_window()
    open_and_wait(qtbot, w, long_pdf, timeout=30000)
    report = _pass(qtbot, w)
    store = w.store
    shown = {fid for fid, f in w.state.figures.items() if f.status == "suggested"}
    assert len(shown) == report.figures
    events: list[tuple[str, str, object]] = []
    store.subscribe(lambda table, op, rec: events.append((table, op, rec)))
    commits = _spy_transactions(monkeypatch, store)
    # while the worker writes, the window's event loop turns (a timer runs), user input held back (wait cursor)
    turns: list[object] = []
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: turns.append(QApplication.overrideCursor() and QApplication.overrideCursor().shape()))
    real_delete_many = AnnotationStore.delete_many

    def slow_delete_many(self, items):
        time.sleep(0.2)  # long enough for the window to turn its event loop meanwhile
        return real_delete_many(self, items)

    monkeypatch.setattr(AnnotationStore, "delete_many", slow_delete_many)
    timer.start()
    w.undo()
    timer.stop()
    store.conn.set_trace_callback(None)
    # one transaction, on a connection of its own, in another thread
    assert [c for c, _t in commits] == ["BEGIN IMMEDIATE", "COMMIT"]
    assert all(t != threading.get_ident() for _c, t in commits)
    assert turns and Qt.CursorShape.WaitCursor in turns
    assert QApplication.overrideCursor() is None
    tables = [t for t, _op, _r in events]
    assert sorted(tables) == sorted(set(tables)) and {"figures", "attributions"} <= set(tables)
    assert all(op == "reload" and isinstance(rec, Tombstoned) and rec.deleted for _t, op, rec in events)
    assert not store.figures(w.doc_id, statuses=("suggested",))
    assert not store.attributions(statuses=("suggested",))
    assert not [f for f in w.state.figures.values() if f.status == "suggested"]
    assert w.figures.model.rowCount() == len(w.state.figures)
    # every record got a new revision, as a one-by-one delete gives it
    gone = store.records(Figure, "status = 'suggested'", include_deleted=True)
    assert len(gone) == report.figures and all(f.deleted and len(f.prev_revs) == 1 for f in gone)
    events.clear()
    w.redo()
    assert all(op == "reload" and isinstance(rec, list) for _t, op, rec in events)
    assert len(events) == len(set(t for t, _o, _r in events))
    assert {fid for fid, f in w.state.figures.items() if f.status == "suggested"} == shown
    assert len(store.figures(w.doc_id, statuses=("suggested",))) == report.figures
    # what the window shows is what the file holds
    from annotator.qt.state import DocumentState

    fresh = DocumentState(store, w.doc_id)
    assert set(fresh.figures) == set(w.state.figures)
    assert {k: set(v) for k, v in fresh.attributions.items()} == {k: set(v) for k, v in w.state.attributions.items()}
    assert w.figures.model.rowCount() == len(w.state.figures)
    w.undo()
    assert not store.figures(w.doc_id, statuses=("suggested",))
    assert store.records(Attribution, "status = 'suggested'", include_deleted=True)


def test_store_delete_many_tombstones_with_new_revisions_in_one_event_per_table():
    from annotator.core.model import Speaker
    from annotator.core.store import AnnotationStore

    store = AnnotationStore.create_memory("me")
    recs = store.add_many([Speaker(id=f"s{i}", name=f"Name {i}") for i in range(5)])
    store.delete(Speaker, "s0")
    before = {r.id: r.rev for r in store.records(Speaker, include_deleted=True)}
    events = []
    store.subscribe(lambda *e: events.append(e))
    assert store.delete_many([(Speaker, r.id) for r in recs]) == 4  # s0 was deleted already
    assert len(events) == 1 and events[0][:2] == ("speakers", "reload")
    assert events[0][2] == Tombstoned(frozenset(f"s{i}" for i in range(5)), True)
    after = {r.id: r for r in store.records(Speaker, include_deleted=True)}
    assert all(r.deleted for r in after.values())
    for i in range(1, 5):
        r = after[f"s{i}"]
        assert r.rev != before[r.id] and r.prev_revs[-1] == before[r.id]
        import uuid

        assert uuid.UUID(r.rev).version == 4
    assert after["s0"].rev == before["s0"]
    events.clear()
    assert store.undelete_many([(Speaker, "s1"), (Speaker, "s2")]) == 2
    assert events == [("speakers", "reload", Tombstoned(frozenset({"s1", "s2"}), False))]
    assert {s.id for s in store.speakers()} == {"s1", "s2"}


def test_a_landing_pass_is_sorted_out_off_the_ui_thread_and_merged_in(make_window, qtbot, long_pdf, monkeypatch):
    """The worker sorts the pass's records out for the window (Prepared); the UI thread only merges them
    in (no record-by-record add_new of the figures), and so does a redo written off the UI thread."""
    from annotator.qt import state as state_mod

    monkeypatch.setattr(factcheck_features, "OFF_THREAD", 500)
    threads: list[int] = []
    real_prepare = state_mod.prepare_new

    def spy_prepare(tables):
        threads.append(threading.get_ident())
        return real_prepare(tables)

    monkeypatch.setattr(state_mod, "prepare_new", spy_prepare)
    added: list[str] = []
    real_add_new = state_mod.DocumentState.add_new
    monkeypatch.setattr(state_mod.DocumentState, "add_new",
                        lambda self, table, recs: added.append(table) or real_add_new(self, table, recs))
    w = make_window()
    open_and_wait(qtbot, w, long_pdf, timeout=30000)
    report = _pass(qtbot, w)
    assert len(threads) == 1 and threads[0] != threading.get_ident()
    assert "figures" not in added and "attributions" not in added
    from annotator.qt.state import DocumentState

    def same_as_file():
        fresh = DocumentState(w.store, w.doc_id)
        assert set(fresh.figures) == set(w.state.figures)
        assert {k: set(v) for k, v in fresh.attributions.items()} == \
            {k: set(v) for k, v in w.state.attributions.items()}
        assert fresh.att_figure == w.state.att_figure
        assert w.state.ordered() == sorted((f.start, f.end, f.id) for f in w.state.figures.values())
        assert w.figures.model.rowCount() == len(w.state.figures)

    same_as_file()
    assert sum(f.status == "suggested" for f in w.state.figures.values()) == report.figures
    w.undo()
    qtbot.waitUntil(lambda: not w.events.pending(), timeout=5000)
    threads.clear()
    w.redo()
    qtbot.waitUntil(lambda: not w.events.pending(), timeout=5000)
    assert len(threads) == 1 and threads[0] != threading.get_ident()
    assert "figures" not in added and "attributions" not in added
    same_as_file()


def test_speakers_counts_follow_undo_and_redo_of_a_pass_without_reading_every_attribution(make_window, qtbot,
                                                                                         long_pdf, monkeypatch):
    from annotator.core.store import AnnotationStore as S

    w = make_window()
    open_and_wait(qtbot, w, long_pdf, timeout=30000)
    _pass(qtbot, w)
    qtbot.waitUntil(lambda: not w.events.pending(), timeout=5000)
    model = w.speakers.model
    counted = dict(model._suggested)
    assert sum(counted.values()) > 500
    reads: list[int] = []
    real = S.attributions
    monkeypatch.setattr(S, "attributions", lambda self, *a, **k: reads.append(1) or real(self, *a, **k))
    w.undo()
    qtbot.waitUntil(lambda: not w.events.pending(), timeout=5000)
    assert not model._suggested
    w.redo()
    qtbot.waitUntil(lambda: not w.events.pending(), timeout=5000)
    assert model._suggested == counted
    assert reads == []  # counted from the events' records or in SQL, never by reading every attribution


def test_a_slow_full_collection_freezes_what_survived_it(monkeypatch):
    import gc

    from annotator.qt import heap

    monkeypatch.setattr(heap, "SLOW_FULL", -1.0)  # every full collection counts as slow
    heap.install()
    try:
        keep = [[i] for i in range(1000)]
        before = gc.get_freeze_count()
        gc.collect()
        assert gc.get_freeze_count() >= before + 1000
        del keep
    finally:
        gc.callbacks.remove(heap._after_collection)
        gc.unfreeze()


def test_no_collection_runs_on_the_worker_while_find_figures_works(make_window, qtbot, long_pdf, monkeypatch):
    # a collection on the worker thread holds the GIL: over a 1000-page pass's objects that froze the
    # window for 0.2-0.3 s. The job keeps the collector off from the pass to the records sorted out,
    # then freezes what is still alive, and switches the collector back on.
    import gc

    from annotator.qt import heap

    w = make_window()
    open_and_wait(qtbot, w, long_pdf)
    workers, running, on_worker = set(), set(), []
    run = suggestions._Thread.run

    def run_noting_the_thread(self):
        # noted while it runs only: a thread started later may get the same ident
        me = threading.get_ident()
        workers.add(me)
        running.add(me)
        try:
            run(self)
        finally:
            running.discard(me)

    monkeypatch.setattr(suggestions._Thread, "run", run_noting_the_thread)

    def seen(phase, info):
        if phase == "start" and threading.get_ident() in running:
            on_worker.append(info["generation"])

    thresholds = gc.get_threshold()
    gc.set_threshold(50, 2, 2)  # collections would fall due many times during the pass
    gc.callbacks.append(seen)
    try:
        frozen = gc.get_freeze_count()
        _pass(qtbot, w)
        assert len(workers) == 1 and on_worker == []
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen + 1000  # the pass's records, frozen rather than walked
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*thresholds)
        if heap._after_collection in gc.callbacks:
            gc.callbacks.remove(heap._after_collection)
        gc.unfreeze()


def test_a_landing_pass_is_spread_over_turns_with_views_that_never_show_what_the_state_lacks(make_window, qtbot,
                                                                                              long_pdf, monkeypatch):
    w = make_window()
    open_and_wait(qtbot, w, long_pdf, timeout=30000)
    ui = threading.get_ident()
    speaker_reads: list[int] = []
    real = AnnotationStore.speakers
    monkeypatch.setattr(AnnotationStore, "speakers",
                        lambda self, *a, **k: speaker_reads.append(threading.get_ident()) or real(self, *a, **k))
    ticks: list[tuple[int, int, int]] = []  # per turn: figures in the state, rows in the list, highlights drawn
    problems: list[str] = []

    def tick():
        st = w.events._state  # not w.state: that would finish the waiting work at once
        model = w.figures.model
        ids = set(model._ids)
        if not ids <= set(st.figures):
            problems.append("the figures list shows rows the state lacks")
        keys = [k for k in w.highlights.highlights.keys() if k.startswith("f:")] \
            if hasattr(w.highlights.highlights, "keys") else []
        if any(k[2:] not in st.figures for k in keys):
            problems.append("a highlight of a figure the state lacks")
        ticks.append((len(st.figures), len(ids), w.current_figure_id is not None))

    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(tick)
    timer.start()
    report = _pass(qtbot, w)
    timer.stop()
    assert problems == []
    # the first suggestion is shown (and passFinished emitted) once every view shows the pass
    assert w.current_figure_id in set(report.figure_ids)
    assert w.figures.model.rowCount() == len(w.state.figures) and not w.events.pending()
    # the state took the pass in one turn, the list later, the first suggestion later still
    staged = w.events.staged
    assert staged[0] == "state" and "document" in staged and "highlights" in staged
    assert staged.index("record speakers") < staged.index("document") < staged.index("highlights")
    n = len(w.state.figures)
    landed = [i for i, (fs, _rows, _cur) in enumerate(ticks) if fs == n]
    listed = [i for i, (_fs, rows, _cur) in enumerate(ticks) if rows == n]
    assert landed and listed and listed[0] - landed[0] >= 2  # turns between the state and the list
    # the new speakers came with the pass's records: no speaker read on the UI thread
    assert ui not in speaker_reads
    names = [w.speakers.model.speaker(r).name for r in range(w.speakers.model.rowCount())]
    assert [s.id for s in real(w.store)] == [w.speakers.model.speaker(r).id for r in range(len(names))]


def test_provenance_refreshes_in_a_worker_while_on_screen(make_window, qtbot, long_pdf, monkeypatch):
    from annotator.core import provenance
    from annotator.qt import provenance_view

    w = make_window()
    open_and_wait(qtbot, w, long_pdf, timeout=30000)
    pv = provenance_view.controller(w)
    if str(w.store.path) == ":memory:":
        pytest.skip("an in-memory file has no second connection")
    w.actions.show_provenance.setChecked(False)
    w.actions.show_provenance.setChecked(True)
    qtbot.waitUntil(lambda: pv.dock.isVisible(), timeout=5000)
    threads: list[int] = []
    real = provenance.claims
    monkeypatch.setattr(provenance, "claims", lambda *a, **k: threads.append(threading.get_ident()) or real(*a, **k))
    with qtbot.waitSignal(pv.refreshed, timeout=20000):
        _pass(qtbot, w)
    assert threads and threading.get_ident() not in threads
    assert pv.claims == real(w.store, across_documents=pv.panel.across.isChecked())
