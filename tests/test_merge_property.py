"""Property: merging is idempotent and never loses a record.

Two copies of one file get random sequences of additions, edits and deletions (through
the store API, as the app makes them); then one is merged into the other.
"""

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.merge import list_conflicts, merge_files, resolve_conflict
from annotator.core.model import Figure, Speaker
from annotator.core.store import AnnotationStore
from merge_support import dump, text_document

TEXT = "The ministry counted 4,500 arrests in May, 900 in June and 30,000 over the year.\n"
BASE_FIGURES = 3

op = st.one_of(
    st.tuples(st.just("add"), st.integers(0, len(TEXT) - 6)),
    st.tuples(st.just("edit"), st.integers(0, 20), st.sampled_from(["accurate", "inaccurate", "misleading"])),
    st.tuples(st.just("note"), st.integers(0, 20), st.sampled_from(["", "checked", "see report"])),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("undelete"), st.integers(0, 20)),
    st.tuples(st.just("speaker"), st.sampled_from(["MEK", "Amnesty", "mek"])),
)


def apply(store: AnnotationStore, doc_id: str, ops) -> None:
    for o in ops:
        figs = store.records(Figure, include_deleted=True)
        if o[0] == "add":
            store.add(Figure(document_id=doc_id, start=o[1], end=o[1] + 5, exact=TEXT[o[1]:o[1] + 5]))
        elif o[0] == "speaker":
            store.add(Speaker(name=o[1]))
        elif figs:
            f = figs[o[1] % len(figs)]
            if o[0] == "edit":
                store.update(Figure, f.id, verdict=o[2])
            elif o[0] == "note":
                store.update(Figure, f.id, note=o[2])
            elif o[0] == "delete":
                store.delete(Figure, f.id)
            else:
                store.undelete(Figure, f.id)


def records(store: AnnotationStore) -> dict:
    out = {}
    for cls in (Figure, Speaker):
        for r in store.records(cls, include_deleted=True):
            out[r.id] = r
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops_a=st.lists(op, max_size=8), ops_b=st.lists(op, max_size=8))
def test_merge_is_idempotent_and_loses_nothing(ops_a, ops_b):
    tmp = Path(tempfile.mkdtemp(prefix="merge-prop-"))
    try:
        base = AnnotationStore.open(tmp / "base.annot", author="lead")
        doc_id = base.add_document(text_document(TEXT, "arrests.txt"))
        for i in range(BASE_FIGURES):
            base.add(Figure(document_id=doc_id, start=i * 10, end=i * 10 + 4, exact=TEXT[i * 10:i * 10 + 4]))
        base.close()
        shutil.copy(tmp / "base.annot", tmp / "a.annot")
        shutil.copy(tmp / "base.annot", tmp / "b.annot")
        a = AnnotationStore.open(tmp / "a.annot", author="alice")
        b = AnnotationStore.open(tmp / "b.annot", author="bob")
        apply(a, doc_id, ops_a)
        apply(b, doc_id, ops_b)
        before_a, theirs = records(a), records(b)
        b.close()
        b_bytes = (tmp / "b.annot").read_bytes()

        merge_files(a, [tmp / "b.annot"])
        after = records(a)
        assert (tmp / "b.annot").read_bytes() == b_bytes
        # nothing lost: every record of either side is here
        assert set(before_a) | set(theirs) <= set(after)
        open_conflicts = {c.record_id: c for c in list_conflicts(a)}
        for rid, rec in after.items():
            mine, other = before_a.get(rid), theirs.get(rid)
            if mine is None:
                assert rec == other  # only theirs: taken as it is
            elif other is None or other.rev == mine.rev or other.rev in mine.prev_revs:
                assert rec == mine  # only ours, or ours is newer
            elif mine.rev in other.prev_revs:
                assert rec == other  # theirs is newer: fast-forward
            elif mine.content() == other.content():
                assert rec.content() == mine.content()
            else:
                # changed on both sides: ours stays, theirs waits in a conflict, nothing decided
                assert rec == mine
                assert open_conflicts[rid].incoming == other
        # idempotent: merging the same file again changes nothing
        snapshot = dump(a)
        again = merge_files(a, [tmp / "b.annot"])
        assert dump(a) == snapshot and not again.changed
        # once the reviewer settles the conflicts, the same file does not bring them back
        for i, c in enumerate(list_conflicts(a)):
            resolve_conflict(a, c.id, ("local", "incoming")[i % 2])
        assert not merge_files(a, [tmp / "b.annot"]).conflicts and list_conflicts(a) == []
        a.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
