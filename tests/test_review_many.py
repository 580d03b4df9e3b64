"""Bulk review of suggestions: ``store.update_many`` / ``restore_many`` and ``accept_suggestions`` /
``reject_suggestions`` (one transaction, one change event per table, each record a new revision)."""

import sqlite3

import pytest

from annotator.core.errors import StoreError
from annotator.core.model import Attribution, Figure, Speaker
from annotator.core.store import AnnotationStore, Updated
from annotator.core.suggest import (
    accept_suggestion,
    accept_suggestions,
    reject_suggestion,
    reject_suggestions,
    store_suggestions,
    suggest,
    suggestions_from_speaker,
)


@pytest.fixture
def store(tmp_path):
    s = AnnotationStore.open(tmp_path / "bulk.annot", author="alice")
    yield s
    s.close()


def _figures(store, n, status="suggested"):
    return store.add_many([Figure(document_id="d", start=i * 10, end=i * 10 + 3, exact=f"{i}%", status=status)
                           for i in range(n)])


def test_update_many_is_one_transaction_one_event_and_new_revisions(store):
    figs = _figures(store, 5)
    figs[2] = figs[2].replace()  # the store's copies, to compare revisions with
    before = {f.id: store.get(Figure, f.id) for f in figs}
    store.update(Figure, figs[1].id, status="confirmed")  # accepted already: skipped
    accepted_rev = store.get(Figure, figs[1].id).rev
    events = []
    store.subscribe(lambda *e: events.append(e))
    begins = []
    store.conn.set_trace_callback(lambda sql: begins.append(sql) if sql.startswith(("BEGIN", "SAVEPOINT")) else None)
    prev = store.update_many(Figure, [f.id for f in figs] + ["no-such-id"], {"status": "confirmed"},
                             where={"status": "suggested"})
    store.conn.set_trace_callback(None)
    assert begins == ["BEGIN IMMEDIATE"]  # one transaction
    changed = [f.id for f in figs if f.id != figs[1].id]
    assert list(prev) == changed and all(p == {"status": "suggested"} for p in prev.values())
    assert len(events) == 1
    table, op, payload = events[0]
    assert (table, op) == ("figures", "reload") and isinstance(payload, Updated)
    assert payload.ids == frozenset(changed) and payload.changes == {"status": "confirmed"}
    for fid in changed:
        now = store.get(Figure, fid)
        old = before[fid]
        assert now.status == "confirmed"
        assert now.rev != old.rev and now.rev == payload.revs[fid]
        assert now.prev_revs == [*old.prev_revs, old.rev]
        assert now.updated == payload.updated and now.updated >= old.updated
        assert now.author == "alice" and now.created == old.created
        assert payload.apply(old) == now  # the listener's copy brought up to date is what the file has
    assert store.get(Figure, figs[1].id).rev == accepted_rev  # skipped: no new revision
    # nothing to change: no transaction work, no event
    events.clear()
    assert store.update_many(Figure, changed, {"status": "confirmed"}) == {}
    assert events == []


def test_update_many_checks_fields_and_rolls_back(store):
    figs = _figures(store, 3)
    with pytest.raises(ValueError):
        store.update_many(Figure, [figs[0].id], {"rev": "x"})
    events = []
    store.subscribe(lambda *e: events.append(e))
    with pytest.raises(RuntimeError), store.transaction():
        store.update_many(Figure, [f.id for f in figs], {"status": "confirmed"})
        raise RuntimeError("boom")
    assert events == [] and {store.get(Figure, f.id).status for f in figs} == {"suggested"}


def test_restore_many_undoes_update_many(store):
    figs = _figures(store, 4)
    prev = store.update_many(Figure, [f.id for f in figs], {"status": "rejected", "note": "bulk"})
    events = []
    store.subscribe(lambda *e: events.append(e))
    assert store.restore_many(Figure, prev) == 4
    assert len(events) == 1 and isinstance(events[0][2], Updated)
    for f in figs:
        now = store.get(Figure, f.id)
        assert (now.status, now.note) == ("suggested", f.note)
        assert len(now.prev_revs) == 2  # two edits, two new revisions


def _pass(store, sample_path):
    from annotator.core.documents import load_document

    doc = load_document(sample_path)
    doc_id = store.add_document(doc)
    store_suggestions(store, doc_id, suggest(doc.text))
    return doc_id


def _busiest(store, doc_id):
    """The speaker with the most suggestions, and their ids."""
    return max(((sp, suggestions_from_speaker(store, doc_id, sp.id)) for sp in store.speakers()),
               key=lambda x: len(x[1]))


def test_accept_suggestions_confirms_figures_and_attributions_in_one_go(store, sample_path):
    doc_id = _pass(store, sample_path)
    hajian, ids = _busiest(store, doc_id)
    assert len(ids) >= 3
    # the one query gives what reading each figure's attributions gives, in text order
    slow = [f.id for f in store.figures(doc_id, statuses=("suggested",))
            if any(a.speaker_id == hajian.id for a in store.attributions(figure_id=f.id, statuses=("suggested",)))]
    assert ids == slow
    accept_suggestion(store, ids[0])  # accepted already: skipped by the bulk call
    events = []
    store.subscribe(lambda *e: events.append(e))
    undo = accept_suggestions(store, ids)
    assert [(t, op) for t, op, _p in events] == [("figures", "reload"), ("attributions", "reload")]
    assert [cls for cls, _prev in undo] == [Figure, Attribution]
    assert list(undo[0][1]) == ids[1:]
    for fid in ids:
        assert store.get(Figure, fid).status == "confirmed"
        assert store.attributions(figure_id=fid, statuses=("suggested",)) == []
        assert any(a.speaker_id == hajian.id for a in store.attributions(figure_id=fid))
    assert suggestions_from_speaker(store, doc_id, hajian.id) == []
    # undo: everything back to suggested, one event per table
    events.clear()
    with store.transaction():
        for cls, prev in reversed(undo):
            store.restore_many(cls, prev)
    assert len(events) == 2
    assert suggestions_from_speaker(store, doc_id, hajian.id) == ids[1:]
    assert store.get(Figure, ids[0]).status == "confirmed"


def test_rejected_in_bulk_stay_rejected_after_reopening(tmp_path, sample_path):
    path = tmp_path / "r.annot"
    with AnnotationStore.open(path, author="bob") as store:
        doc_id = _pass(store, sample_path)
        _sp, ids = _busiest(store, doc_id)
        undo = reject_suggestions(store, ids)
        assert len(undo[0][1]) == len(ids)
        assert reject_suggestions(store, ids) == []  # rejected already: nothing changes
        assert accept_suggestions(store, ids) == []  # a rejected figure is not a suggestion any more
    with AnnotationStore.open(path, author="bob") as store:
        for fid in ids:
            assert store.get(Figure, fid).status == "rejected"
        text = store.document_text(doc_id)
        again = store_suggestions(store, doc_id, suggest(text))
        assert again.figures == 0 and again.skipped_rejected == len(ids)


def test_single_accept_and_reject_are_the_one_element_case(store, sample_path):
    doc_id = _pass(store, sample_path)
    a, b = store.figures(doc_id, statuses=("suggested",))[:2]
    undo = accept_suggestion(store, a.id)
    assert undo[0] == (Figure, a.id, {"status": "suggested"})
    assert all(cls in (Figure, Attribution) and prev == {"status": "suggested"} for cls, _rid, prev in undo)
    assert reject_suggestion(store, b.id)[0] == (Figure, b.id, {"status": "suggested"})
    assert store.get(Figure, b.id).status == "rejected"
    assert {at.status for at in store.records(Attribution, "figure_id = ?", [b.id])} == {"rejected"}
    # the undo data of the single call undoes it, record by record
    with store.transaction():
        for cls, rid, prev in reversed(undo):
            store.update(cls, rid, **prev)
    assert store.get(Figure, a.id).status == "suggested"


def test_update_many_on_a_read_only_file_is_refused(tmp_path):
    path = tmp_path / "ro.annot"
    with AnnotationStore.open(path) as s:
        sp = s.add(Speaker(name="X"))
    with AnnotationStore.open(path, readonly=True) as ro:
        with pytest.raises(StoreError):
            ro.update_many(Speaker, [sp.id], {"name": "Y"})
    assert sqlite3.connect(path).execute("SELECT name FROM speakers").fetchone()[0] == "X"
