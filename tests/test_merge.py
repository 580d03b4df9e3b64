"""Merging colleagues' files: two checkers annotate the sample article differently, then merge.

Covers additions, conflicts (never last-write-wins), tombstones, idempotence, speakers
proposed not merged, resolution, inputs never modified, and the all-or-nothing transaction.
"""

import sqlite3

import pytest

from annotator.core import merge as merge_mod
from annotator.core.errors import Cancelled, StoreError
from annotator.core.merge import (
    list_conflicts,
    merge_files,
    reopen_conflict,
    resolve_conflict,
    speaker_merge_proposals,
)
from annotator.core.model import Attribution, Comment, Figure, Speaker
from annotator.core.review import add_comment
from annotator.core.store import SCHEMA_VERSION, AnnotationStore
from merge_support import attribute, copy_file, dump, mark, new_file


@pytest.fixture
def team(tmp_path, sample_text):
    """Alice annotates the sample and hands Bob a copy; both go on working; Carol opens the
    article on her own (same bytes, her own document id)."""
    alice, doc = new_file(tmp_path / "alice.annot", "alice", sample_text, "iran.txt")
    mek = alice.add(Speaker(name="MEK", kind="organisation"))
    royedad = alice.add(Speaker(name="Royedad 24", kind="outlet", aliases=["Roydad 24"]))
    f30 = mark(alice, doc, "30,000", nth=0, value=30000)
    attribute(alice, f30, mek)
    f1500 = mark(alice, doc, "1500", value=1500)
    f100k = mark(alice, doc, "100,000", value=100000)
    attribute(alice, f100k, royedad)
    alice.close()
    copy_file(tmp_path / "alice.annot", tmp_path / "bob.annot")

    alice = AnnotationStore.open(tmp_path / "alice.annot", author="alice")
    bob = AnnotationStore.open(tmp_path / "bob.annot", author="bob")
    # both change the verdict of "30,000", differently
    alice.update(Figure, f30.id, verdict="unverifiable")
    bob.update(Figure, f30.id, verdict="accurate", note="Amnesty gives the same count")
    # Bob deletes "1500"; Alice does not touch it
    bob.delete(Figure, f1500.id)
    # Alice deletes "100,000" while Bob edits it: a deletion against an edit
    alice.delete(Figure, f100k.id)
    bob.update(Figure, f100k.id, note="state media figure")
    # Bob's own work: a figure, a speaker, a second "MEK" of his own, a comment
    hajian = bob.add(Speaker(name="Mehdi Hajian", kind="person", affiliation="spokesman of FARAJA"))
    f100m = mark(bob, doc, "100 million rials", value=1e8, unit="IRR")
    attribute(bob, f100m, hajian)
    bob_mek = bob.add(Speaker(name="mek", kind="organisation"))
    add_comment(bob, f30.id, "Source for this count?")
    alice.close()
    bob.close()

    carol, carol_doc = new_file(tmp_path / "carol.annot", "carol", sample_text, "iran-copy.txt")
    f79 = mark(carol, carol_doc, "$79 million", value=79e6, unit="USD")
    carol.close()
    return {
        "dir": tmp_path, "doc": doc, "f30": f30, "f1500": f1500, "f100k": f100k, "f100m": f100m, "f79": f79,
        "mek": mek, "bob_mek": bob_mek, "hajian": hajian, "carol_doc": carol_doc,
    }


def open_alice(team) -> AnnotationStore:
    return AnnotationStore.open(team["dir"] / "alice.annot", author="alice")


def test_two_checkers_merge_additions_conflicts_and_tombstones(team):
    d = team["dir"]
    bob_bytes = (d / "bob.annot").read_bytes()
    carol_bytes = (d / "carol.annot").read_bytes()
    alice = open_alice(team)
    report = merge_files(alice, [d / "bob.annot", d / "carol.annot"])

    # additions: Bob's figure, speakers, attribution and comment; Carol's figure
    assert alice.get(Figure, team["f100m"].id).exact == "100 million rials"
    assert alice.get(Speaker, team["hajian"].id).affiliation == "spokesman of FARAJA"
    assert [a.speaker_id for a in alice.attributions(figure_id=team["f100m"].id)] == [team["hajian"].id]
    assert [c.body for c in alice.comments(team["f30"].id)] == ["Source for this count?"]
    assert report.added["figures"] == 2 and report.added["comments"] == 1
    # Carol's copy of the article is the same document (same SHA-256): not added twice
    assert len(alice.documents()) == 1
    assert alice.get(Figure, team["f79"].id).document_id == team["doc"]
    assert report.documents("sha256") and not report.documents("added")

    # Bob's deletion of an untouched figure travels as a tombstone
    assert alice.get(Figure, team["f1500"].id).deleted
    assert report.updated["figures"] == 1

    # both edited "30,000": a conflict, and Alice's version stays until the reviewer decides
    f30 = alice.get(Figure, team["f30"].id)
    assert f30.verdict == "unverifiable"
    conflicts = {c.record_id: c for c in list_conflicts(alice)}
    assert set(conflicts) == {team["f30"].id, team["f100k"].id}
    c30 = conflicts[team["f30"].id]
    assert c30.local.verdict == "unverifiable" and c30.incoming.verdict == "accurate"
    assert c30.fields == ["verdict", "note"] and c30.source.endswith("bob.annot")
    # deleted here, edited there: a conflict too, never decided silently
    c100k = conflicts[team["f100k"].id]
    assert c100k.local.deleted and not c100k.incoming.deleted and "deleted" in c100k.fields
    assert alice.get(Figure, team["f100k"].id).deleted

    # the inputs were never modified
    assert (d / "bob.annot").read_bytes() == bob_bytes
    assert (d / "carol.annot").read_bytes() == carol_bytes
    alice.close()


def test_merging_the_same_files_twice_changes_nothing(team):
    d = team["dir"]
    alice = open_alice(team)
    merge_files(alice, [d / "bob.annot", d / "carol.annot"])
    before = dump(alice)
    again = merge_files(alice, [d / "bob.annot", d / "carol.annot"])
    assert dump(alice) == before
    assert not again.changed and not again.conflicts
    assert sum(again.added.values()) == 0 and sum(again.updated.values()) == 0
    alice.close()


def test_speakers_with_the_same_name_are_proposed_not_merged(team):
    d = team["dir"]
    alice = open_alice(team)
    report = merge_files(alice, [d / "bob.annot"])
    assert alice.get(Speaker, team["bob_mek"].id).merged_into is None
    assert alice.get(Speaker, team["mek"].id).merged_into is None
    [proposal] = report.speaker_proposals
    assert {s["id"] for s in proposal.speakers} == {team["mek"].id, team["bob_mek"].id}
    assert [n.casefold() for n in proposal.names] == ["mek"]
    groups = speaker_merge_proposals(alice)
    assert [{s.id for s in g} for g in groups] == [{team["mek"].id, team["bob_mek"].id}]
    # once the reviewer merges them, nothing is proposed any more
    alice.merge_speakers(team["mek"].id, team["bob_mek"].id)
    assert speaker_merge_proposals(alice) == []
    alice.close()


def test_resolved_conflict_does_not_come_back_and_travels_to_the_colleague(team):
    d = team["dir"]
    alice = open_alice(team)
    merge_files(alice, [d / "bob.annot"])
    c30 = next(c for c in list_conflicts(alice) if c.record_id == team["f30"].id)
    resolved = resolve_conflict(alice, c30.id, "incoming")
    assert resolved.verdict == "accurate" and resolved.note == "Amnesty gives the same count"
    c100k = next(c for c in list_conflicts(alice) if c.record_id == team["f100k"].id)
    kept = resolve_conflict(alice, c100k.id, "edited", {"deleted": False, "note": "kept, checked again"})
    assert not kept.deleted and kept.note == "kept, checked again"
    assert list_conflicts(alice) == []
    assert {c.resolution for c in list_conflicts(alice, include_resolved=True)} == {"incoming", "edited"}

    report = merge_files(alice, [d / "bob.annot"])
    assert not report.conflicts and list_conflicts(alice) == []
    assert alice.get(Figure, team["f30"].id).verdict == "accurate"
    alice.close()

    # Bob merges Alice's file back: the resolutions fast-forward, no conflict on his side
    bob = AnnotationStore.open(d / "bob.annot", author="bob")
    back = merge_files(bob, [d / "alice.annot"])
    assert not back.conflicts
    assert bob.get(Figure, team["f100k"].id).note == "kept, checked again"
    assert bob.get(Figure, team["f30"].id).verdict == "accurate"
    bob.close()


def test_keeping_the_local_side_and_undoing_a_resolution(team):
    d = team["dir"]
    alice = open_alice(team)
    merge_files(alice, [d / "bob.annot"])
    c30 = next(c for c in list_conflicts(alice) if c.record_id == team["f30"].id)
    before = alice.get(Figure, team["f30"].id)
    kept = resolve_conflict(alice, c30.id, "local")
    assert kept.verdict == "unverifiable"
    reopen_conflict(alice, c30.id, before)
    assert alice.get(Figure, team["f30"].id) == before
    assert c30.id in {c.id for c in list_conflicts(alice)}
    resolve_conflict(alice, c30.id, "local")
    assert not merge_files(alice, [d / "bob.annot"]).conflicts
    alice.close()


def test_the_same_edit_on_both_sides_is_not_a_conflict(tmp_path, sample_text):
    a, doc = new_file(tmp_path / "a.annot", "alice", sample_text)
    fig = mark(a, doc, "15%")
    a.close()
    copy_file(tmp_path / "a.annot", tmp_path / "b.annot")
    a = AnnotationStore.open(tmp_path / "a.annot")
    b = AnnotationStore.open(tmp_path / "b.annot")
    a.update(Figure, fig.id, verdict="accurate")
    b.update(Figure, fig.id, verdict="accurate")
    b.close()
    report = merge_files(a, [tmp_path / "b.annot"])
    assert not report.conflicts and a.get(Figure, fig.id).verdict == "accurate"
    # and the histories are joined: a later edit by Bob fast-forwards
    b = AnnotationStore.open(tmp_path / "b.annot")
    b.update(Figure, fig.id, note="share of the prison population")
    b.close()
    report = merge_files(a, [tmp_path / "b.annot"])
    assert not report.conflicts and a.get(Figure, fig.id).note == "share of the prison population"
    # ... and so does a later edit by Alice on Bob's side
    a.update(Figure, fig.id, verdict="misleading")
    a.close()
    b = AnnotationStore.open(tmp_path / "b.annot")
    report = merge_files(b, [tmp_path / "a.annot"])
    assert not report.conflicts and b.get(Figure, fig.id).verdict == "misleading"
    b.close()


def test_newer_incoming_edit_replaces_a_pending_conflict(team):
    d = team["dir"]
    alice = open_alice(team)
    merge_files(alice, [d / "bob.annot"])
    bob = AnnotationStore.open(d / "bob.annot", author="bob")
    bob.update(Figure, team["f30"].id, verdict="misleading")
    bob.close()
    merge_files(alice, [d / "bob.annot"])
    open_ = [c for c in list_conflicts(alice) if c.record_id == team["f30"].id]
    assert [c.incoming.verdict for c in open_] == ["misleading"]
    alice.close()


def test_merge_into_a_new_empty_file_copies_everything(team, tmp_path):
    d = team["dir"]
    out = AnnotationStore.open(tmp_path / "review.annot", author="rita")
    report = merge_files(out, [d / "alice.annot", d / "bob.annot", d / "carol.annot"])
    assert len(out.documents()) == 1
    assert report.added["documents"] == 1
    ids = {f.id for f in out.figures(include_deleted=True)}
    assert {team[k].id for k in ("f30", "f1500", "f100k", "f100m", "f79")} <= ids
    assert out.authors() == ["alice", "bob", "carol"]
    out.close()


# --------------------------------------------------------------------------- nothing lost


def test_an_error_mid_merge_leaves_the_target_exactly_as_before(team, monkeypatch):
    d = team["dir"]
    alice = open_alice(team)
    before = dump(alice)
    calls = []
    original = merge_mod._Merger.merge

    def failing(self, src):
        calls.append(src)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return original(self, src)

    monkeypatch.setattr(merge_mod._Merger, "merge", failing)
    with pytest.raises(RuntimeError):
        merge_files(alice, [d / "bob.annot", d / "carol.annot"])
    assert dump(alice) == before
    assert alice.conn.execute("PRAGMA database_list").fetchall()[-1][1] in ("main", "temp")
    alice.close()


@pytest.mark.parametrize("kind", ["newer", "damaged", "foreign", "not_sqlite", "missing"])
def test_bad_second_input_is_refused_and_target_untouched(team, kind):
    d = team["dir"]
    bad = d / "bad.annot"
    if kind == "newer":
        copy_file(d / "carol.annot", bad)
        conn = sqlite3.connect(bad)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
        conn.commit()
        conn.close()
    elif kind == "damaged":
        data = bytearray((d / "carol.annot").read_bytes())
        data[4096:8192] = b"\xff" * 4096
        bad.write_bytes(bytes(data))
    elif kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE figures (id TEXT)")
        conn.commit()
        conn.close()
    elif kind == "not_sqlite":
        bad.write_text("just some notes, 30,000 protesters")
    alice = open_alice(team)
    before = dump(alice)
    with pytest.raises(StoreError) as err:
        merge_files(alice, [d / "bob.annot", bad])
    assert "bad.annot" in str(err.value)
    assert dump(alice) == before
    alice.close()


def test_cancel_rolls_everything_back(team):
    d = team["dir"]
    alice = open_alice(team)
    before = dump(alice)
    seen = []

    def progress(done, total, message):
        seen.append((done, total))

    with pytest.raises(Cancelled):
        merge_files(alice, [d / "bob.annot", d / "carol.annot"], progress=progress, cancel=lambda: len(seen) >= 4)
    assert dump(alice) == before
    assert [s[0] for s in seen] == sorted(s[0] for s in seen) and seen[0][1] > 4
    alice.close()


def test_dry_run_reports_without_writing(team):
    d = team["dir"]
    alice = open_alice(team)
    before = dump(alice)
    report = merge_files(alice, [d / "bob.annot"], dry_run=True)
    assert report.dry_run and report.added["figures"] == 1 and len(report.conflicts) == 2
    assert dump(alice) == before
    alice.close()


def test_listeners_hear_one_reload_after_the_commit(team):
    d = team["dir"]
    alice = open_alice(team)
    heard = []

    def listener(table, op, payload):
        # the change is visible (committed) when the listener hears it
        heard.append((table, op, alice.conn.in_transaction))

    alice.subscribe(listener)
    merge_files(alice, [d / "bob.annot"])
    assert ("figures", "reload", False) in heard and all(op == "reload" for _, op, _ in heard)
    alice.close()


def test_more_inputs_than_sqlite_can_attach(team, tmp_path):
    """Inputs beyond SQLite's attach limit are staged: same result, still one transaction."""
    d = team["dir"]
    paths = [d / "bob.annot", d / "carol.annot", d / "alice.annot"]
    ref = AnnotationStore.open(tmp_path / "ref.annot")
    merge_files(ref, paths)
    few = AnnotationStore.open(tmp_path / "few.annot")
    few.conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 2)
    report = merge_files(few, paths)
    assert report.added["figures"] == 5
    tables = ("documents", "speakers", "figures", "attributions", "comments", "relations")
    assert {t: dump(few)[t] for t in tables} == {t: dump(ref)[t] for t in tables}
    assert len(list_conflicts(few)) == len(list_conflicts(ref))
    assert few.conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0] == 0
    ref.close()
    few.close()


def test_sqlite_without_uri_support_reads_a_snapshot(team, monkeypatch):
    d = team["dir"]
    monkeypatch.setattr(merge_mod, "_uri_attach_supported", lambda conn: False)
    bob_bytes = (d / "bob.annot").read_bytes()
    alice = open_alice(team)
    report = merge_files(alice, [d / "bob.annot"])
    assert report.added["figures"] == 1 and len(report.conflicts) == 2
    assert (d / "bob.annot").read_bytes() == bob_bytes
    alice.close()


def test_inputs_leave_no_files_behind(team):
    d = team["dir"]
    names = sorted(p.name for p in d.iterdir())
    out = AnnotationStore.open(d / "out.annot")
    merge_files(out, [d / "bob.annot", d / "carol.annot"])
    out.close()
    assert sorted(p.name for p in d.iterdir()) == sorted([*names, "out.annot"])


def test_a_file_cannot_be_merged_into_itself(team):
    alice = open_alice(team)
    with pytest.raises(StoreError.__mro__[1]):  # UserError
        merge_files(alice, [team["dir"] / "alice.annot"])
    alice.close()


def test_unresolved_conflicts_of_an_input_are_carried_over(team, tmp_path):
    d = team["dir"]
    alice = open_alice(team)
    merge_files(alice, [d / "bob.annot"])
    alice.close()
    review = AnnotationStore.open(tmp_path / "review.annot", author="rita")
    report = merge_files(review, [d / "alice.annot"])
    assert report.imported_conflicts == 2
    assert {c.record_id for c in list_conflicts(review)} == {team["f30"].id, team["f100k"].id}
    review.close()


def test_comments_and_attributions_merge_by_uuid(team):
    d = team["dir"]
    alice = open_alice(team)
    merge_files(alice, [d / "bob.annot"])
    bob = AnnotationStore.open(d / "bob.annot", author="bob")
    [comment] = bob.comments(team["f30"].id)
    add_comment(bob, team["f30"].id, "Amnesty report, p. 4", parent_id=comment.id)
    bob.update(Comment, comment.id, body="Source for this count, please?")
    bob.close()
    report = merge_files(alice, [d / "bob.annot"])
    assert report.added["comments"] == 1 and report.updated["comments"] == 1
    bodies = sorted(c.body for c in alice.comments(team["f30"].id))
    assert bodies == ["Amnesty report, p. 4", "Source for this count, please?"]
    assert all(a.deleted is False for a in alice.records(Attribution))
    alice.close()


def test_unreadable_rows_of_an_input_are_skipped_and_reported(team, tmp_path):
    d = team["dir"]
    bad = tmp_path / "odd.annot"
    copy_file(d / "carol.annot", bad)
    conn = sqlite3.connect(bad)
    conn.execute("INSERT INTO figures (id, document_id, start, \"end\", exact, flags, prev_revs, rev, deleted) "
                 "VALUES ('x1', 'd', 0, 3, 'abc', '{not json', '[]', 'r', 0)")
    conn.execute("INSERT INTO figures (id, document_id, start, \"end\", exact, flags, prev_revs, rev, deleted) "
                 "VALUES ('x2', 'd', 'start', 3, 'abc', '[]', '[]', 'r', 0)")
    conn.commit()
    conn.close()
    alice = open_alice(team)
    report = merge_files(alice, [bad])
    assert report.invalid["figures"] == 2 and report.added["figures"] == 1
    assert alice.get(Figure, "x1") is None and alice.get(Figure, "x2") is None
    assert len(alice.figures(include_deleted=True)) == 4  # the file still reads
    alice.close()


def test_a_conflict_settled_by_a_later_input_is_not_left_open(team, tmp_path):
    """Bob's edit conflicts with Alice's; a later file of the same merge holds the settled record."""
    d = team["dir"]
    rev = AnnotationStore.open(tmp_path / "rev.annot", author="rita")
    merge_files(rev, [d / "alice.annot"])  # the reviewer has Alice's version from before
    alice = open_alice(team)
    merge_files(alice, [d / "bob.annot"])
    for c in list_conflicts(alice):
        resolve_conflict(alice, c.id, "incoming")
    alice.close()
    report = merge_files(rev, [d / "bob.annot", d / "alice.annot"])
    assert report.conflicts == [] and report.settled == 2 and list_conflicts(rev) == []
    assert report.sources[0].conflicts["figures"] == 0
    assert rev.get(Figure, team["f30"].id).verdict == "accurate"
    assert {c.resolution for c in list_conflicts(rev, include_resolved=True)} == {"superseded"}
    rev.close()
