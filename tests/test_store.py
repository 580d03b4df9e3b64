"""The annotation file: schema, autosave, tombstones, and refusal of unsafe or foreign files."""

import hashlib
import sqlite3
from types import SimpleNamespace

import pytest

from annotator.core.errors import StoreError
from annotator.core.model import Attribution, Figure, Speaker
from annotator.core.store import APPLICATION_ID, SCHEMA_VERSION, AnnotationStore, inspect_file


def fake_document(text="Thirty thousand people, 30,000 of them.", name="a.txt"):
    data = text.encode()
    return SimpleNamespace(
        kind="text", text=text, sha256=hashlib.sha256(data).hexdigest(), data=data, source_name=name,
        title="A", metadata={"url": "https://example.org/a"}, pages=None, paragraphs=[(0, len(text))],
    )


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path):
    s = AnnotationStore.open(tmp_path / "work.annot", author="alice")
    yield s
    s.close()


def test_new_file_is_recognisable(store, tmp_path):
    path = store.path
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert inspect_file(path)["pending"] == []


def test_every_edit_is_on_disk_without_closing(store):
    doc_id = store.add_document(fake_document())
    fig = store.add(Figure(document_id=doc_id, start=24, end=30, exact="30,000", value=30000))
    store.update(Figure, fig.id, verdict="accurate")
    # a second connection (another process, or a crash and restart) sees it at once
    other = sqlite3.connect(store.path)
    row = other.execute("SELECT exact, verdict, author FROM figures WHERE id = ?", [fig.id]).fetchone()
    other.close()
    assert row == ("30,000", "accurate", "alice")


def test_document_is_self_contained(store):
    doc = fake_document()
    doc_id = store.add_document(doc)
    assert store.add_document(doc) == doc_id  # same bytes stored once
    info = store.document(doc_id)
    assert info.sha256 == doc.sha256 and info.url == "https://example.org/a"
    assert store.document_text(doc_id) == doc.text
    assert store.document_bytes(doc_id) == doc.data


def test_records_have_uuid_author_times_and_revisions(store):
    sp = store.add(Speaker(name="MEK", kind="organisation"))
    assert len(sp.id) == 36 and sp.author == "alice" and sp.created and sp.rev
    first_rev = sp.rev
    previous = store.update(Speaker, sp.id, affiliation="opposition group")
    assert previous == {"affiliation": ""}
    again = store.get(Speaker, sp.id)
    assert again.rev != first_rev and again.prev_revs == [first_rev]
    assert again.updated >= again.created


def test_deletion_is_a_tombstone(store):
    fig = store.add(Figure(document_id="d", exact="15%"))
    store.delete(Figure, fig.id)
    assert store.figures() == []
    kept = store.get(Figure, fig.id)
    assert kept.deleted and kept.exact == "15%"
    store.undelete(Figure, fig.id)
    assert [f.id for f in store.figures()] == [fig.id]


def test_failed_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add(Speaker(name="Roydad 24", kind="outlet"))
            raise RuntimeError("boom")
    assert store.speakers() == []


def test_merge_speakers_moves_attributions_and_keeps_aliases(store):
    a = store.add(Speaker(name="Roydad 24", kind="outlet"))
    b = store.add(Speaker(name="Royedad 24", kind="outlet"))
    fig = store.add(Figure(document_id="d", exact="100 million rials"))
    att = store.add(Attribution(figure_id=fig.id, speaker_id=b.id, role="relays"))
    store.merge_speakers(a.id, b.id)
    assert [s.name for s in store.speakers()] == ["Roydad 24"]
    assert store.get(Speaker, a.id).aliases == ["Royedad 24"]
    assert store.get(Attribution, att.id).speaker_id == a.id
    assert store.find_speaker("royedad 24").id == a.id


def test_reopen_restores_everything(tmp_path):
    path = tmp_path / "x.annot"
    s = AnnotationStore.open(path, author="alice")
    doc_id = s.add_document(fake_document("Emoji 😀 then 30,000 people."))
    fig = s.add(Figure(document_id=doc_id, start=13, end=19, exact="30,000", quads=[[1, 2, 3, 4, 5, 6, 7, 8]], page=0))
    s.close()
    s = AnnotationStore.open(path, author="bob")
    again = s.get(Figure, fig.id)
    assert again == fig
    assert s.document_text(doc_id)[again.start:again.end] == "30,000"
    s.close()


# ---------------------------------------------------------------- refusing bad files, never changing them


def test_empty_file_is_refused(tmp_path):
    p = tmp_path / "empty.annot"
    p.write_bytes(b"")
    with pytest.raises(StoreError, match="empty"):
        AnnotationStore.open(p, create=False)
    assert p.read_bytes() == b""


def test_junk_is_refused(tmp_path):
    p = tmp_path / "junk.annot"
    p.write_bytes(b"\x00\x01binary junk" * 100)
    before = digest(p)
    with pytest.raises(StoreError, match="not an annotation file"):
        AnnotationStore.open(p)
    assert digest(p) == before


def test_foreign_sqlite_is_refused(tmp_path):
    p = tmp_path / "other.sqlite"
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = digest(p)
    with pytest.raises(StoreError, match="not an annotation file"):
        AnnotationStore.open(p)
    assert digest(p) == before


def test_newer_version_is_refused_and_untouched(store):
    path = store.path
    store.conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                       "VALUES ('annotator', 'm999_from_the_future', '2030-01-01')")
    store.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    store.close()
    before = digest(path)
    with pytest.raises(StoreError, match="newer version"):
        AnnotationStore.open(path, author="bob")
    assert digest(path) == before


@pytest.mark.parametrize("sql", [
    "CREATE TRIGGER evil AFTER INSERT ON figures BEGIN DELETE FROM speakers; END",
    "CREATE VIEW sneaky AS SELECT * FROM figures",
])
def test_files_with_foreign_code_are_refused(store, sql):
    path = store.path
    store.conn.execute(sql)
    store.close()
    before = digest(path)
    with pytest.raises(StoreError, match="did not create"):
        AnnotationStore.open(path)
    assert digest(path) == before


def test_damaged_file_is_refused(store):
    path = store.path
    store.add_document(fake_document("x" * 50000))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(path.read_bytes())
    for page in range(1, len(data) // 4096):  # scribble over every page header after the first
        data[page * 4096:page * 4096 + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(StoreError, match="damaged|not an annotation"):
        AnnotationStore.open(path)
    assert digest(path) == before


def test_missing_file_without_create(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        AnnotationStore.open(tmp_path / "nope.annot", create=False)


def test_locked_file_gives_a_clear_message(store, tmp_path):
    other = sqlite3.connect(store.path, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    store.conn.execute("PRAGMA busy_timeout=50")
    try:
        with pytest.raises(StoreError, match="locked"):
            store.add(Speaker(name="MEK"))
    finally:
        other.rollback()
        other.close()
    assert store.speakers() == []


def test_disk_full_gives_a_clear_message(store):
    store.conn.execute("PRAGMA max_page_count = %d" % store.conn.execute("PRAGMA page_count").fetchone()[0])
    with pytest.raises(StoreError, match="disk is full"):
        store.add_document(fake_document("y" * 200000))
    assert store.documents() == []


def test_listeners_hear_changes_only_after_commit(store):
    heard = []
    store.subscribe(lambda table, op, payload: heard.append((table, op)))
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add(Speaker(name="ghost"))
            raise RuntimeError
    assert heard == []
    with store.transaction():
        store.add(Speaker(name="MEK"))
        assert heard == []  # not yet committed
    assert heard == [("speakers", "add")]


def test_inspecting_a_shared_file_leaves_no_side_files(store, tmp_path):
    path = store.path
    store.add(Speaker(name="MEK"))
    store.close()
    assert not path.with_name(path.name + "-wal").exists()
    before = digest(path)
    inspect_file(path)
    with AnnotationStore.open(path, readonly=True) as ro:
        assert [s.name for s in ro.speakers()] == ["MEK"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    assert digest(path) == before
