"""The annotation file: one self-contained SQLite file per project.

It holds one or more documents (SHA-256, metadata, extracted text, original bytes)
and their figures, speakers, attributions, comments and relations. Every edit is
written at once (WAL journal, ``synchronous=NORMAL``), so killing the app loses
nothing. The schema is versioned with :class:`sqlite_utils.Migrations` and the file
is recognisable by ``PRAGMA application_id``.

Shared files are untrusted: they are first inspected through a read-only
connection with defensive settings (no extension loading, ``trusted_schema=OFF``),
and refused when they are not annotation files, were written by a newer version,
fail SQLite's integrity check, or carry triggers or views this app did not create.
A refused file is never modified.

Tables (see docs/annotation-file.md): ``documents``, ``document_files``, ``figures``,
``speakers``, ``attributions``, ``comments``, ``relations``, ``conflicts``, ``file_info``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar


def _import_sqlite_utils():
    """sqlite-utils imports numpy and pandas when present (~0.13 s) only to store their values,
    which this app never writes: keep them out while it loads."""
    import sys

    if "sqlite_utils" in sys.modules:
        return sys.modules["sqlite_utils"]
    blocked = [m for m in ("numpy", "pandas") if m not in sys.modules]
    for m in blocked:
        sys.modules[m] = None  # type: ignore[assignment]  # "import numpy" raises ImportError meanwhile
    try:
        import sqlite_utils as module
    finally:
        for m in blocked:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]
    return module


sqlite_utils = _import_sqlite_utils()
from sqlite_utils import Migrations  # noqa: E402

from annotator import __version__
from annotator.core.errors import StoreError
from annotator.core.model import (
    RECORD_TYPES,
    Attribution,
    Comment,
    DocumentInfo,
    Figure,
    Record,
    Relation,
    Speaker,
    new_id,
    now,
)

log = logging.getLogger(__name__)

#: ``PRAGMA application_id`` of annotation files ("FCKA").
APPLICATION_ID = 0x46434B41
#: File extension of annotation files.
EXTENSION = ".annot"
MIGRATION_SET = "annotator"

R = TypeVar("R", bound=Record)

# --------------------------------------------------------------------------- schema

migrations = Migrations(MIGRATION_SET)

_RECORD_COLUMNS = {
    "id": str,
    "author": str,
    "created": str,
    "updated": str,
    "deleted": int,
    "rev": str,
    "prev_revs": str,
}


@migrations()
def m001_initial(db: sqlite_utils.Database):
    db["file_info"].create({"key": str, "value": str}, pk="key")
    db["documents"].create(
        {
            "id": str,
            "sha256": str,
            "kind": str,
            "title": str,
            "source_name": str,
            "metadata": str,  # JSON object: title, author, date, url, sitename...
            "text": str,  # the extracted text every offset counts into (code points)
            "pages": str,  # JSON list of pages with their text spans, or null
            "paragraphs": str,  # JSON list of [start, end]
            "author": str,
            "created": str,
        },
        pk="id",
    )
    db["documents"].create_index(["sha256"], unique=True)
    db["document_files"].create({"document_id": str, "data": bytes}, pk="document_id")
    db["speakers"].create(
        {**_RECORD_COLUMNS, "name": str, "kind": str, "affiliation": str, "aliases": str, "merged_into": str},
        pk="id",
    )
    db["figures"].create(
        {
            **_RECORD_COLUMNS,
            "document_id": str,
            "start": int,
            "end": int,
            "exact": str,
            "prefix": str,
            "suffix": str,
            "page": int,
            "quads": str,
            "value": float,
            "low": float,
            "high": float,
            "unit": str,
            "qualifier": str,
            "counted": str,
            "rate": str,
            "verdict": str,
            "note": str,
            "status": str,
            "review_status": str,
            "reviewer": str,
            "reviewed_at": str,
            "flags": str,
        },
        pk="id",
    )
    db["figures"].create_index(["document_id", "start"])
    db["attributions"].create(
        {
            **_RECORD_COLUMNS,
            "figure_id": str,
            "speaker_id": str,
            "role": str,
            "evidence_start": int,
            "evidence_end": int,
            "evidence_exact": str,
            "evidence_prefix": str,
            "evidence_suffix": str,
            "evidence_page": int,
            "evidence_quads": str,
            "status": str,
        },
        pk="id",
    )
    db["attributions"].create_index(["figure_id"])
    db["attributions"].create_index(["speaker_id"])
    db["comments"].create({**_RECORD_COLUMNS, "figure_id": str, "parent_id": str, "body": str}, pk="id")
    db["comments"].create_index(["figure_id"])
    db["relations"].create(
        {
            **_RECORD_COLUMNS,
            "kind": str,
            "target_id": str,
            "input_ids": str,
            "params": str,
            "status": str,
            "note": str,
        },
        pk="id",
    )
    db["conflicts"].create(
        {
            "id": str,
            "table_name": str,  # which record table
            "record_id": str,
            "local": str,  # JSON of the record as it was here
            "incoming": str,  # JSON of the record in the merged file
            "source": str,  # the file it came from
            "created": str,
            "resolved": int,
            "resolution": str,  # "local" | "incoming" | "edited"
        },
        pk="id",
    )


@migrations()
def m002_conflict_lookup(db: sqlite_utils.Database):
    db["conflicts"].create_index(["table_name", "record_id", "resolved"], if_not_exists=True)


#: names of every migration this version knows, in order
KNOWN_MIGRATIONS = [m.name for m in migrations.pending(sqlite_utils.Database(memory=True))]
SCHEMA_VERSION = len(KNOWN_MIGRATIONS)

# --------------------------------------------------------------------------- checks

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _defensive(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA trusted_schema=OFF")
    with contextlib.suppress(AttributeError, sqlite3.Error):
        conn.enable_load_extension(False)
    if hasattr(conn, "setconfig") and hasattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE"):
        conn.setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)


def inspect_file(path: str | os.PathLike) -> dict:
    """Check an existing file through a read-only connection; never writes.

    Returns ``{"schema_version": n, "pending": [...]}``. Raises :class:`StoreError`
    with a clear message when the file must not be opened.
    """
    p = Path(path)
    name = p.name
    try:
        with open(p, "rb") as fh:
            head = fh.read(100)
    except FileNotFoundError:
        raise StoreError(f"“{name}” does not exist.") from None
    except IsADirectoryError:
        raise StoreError(f"“{name}” is a folder, not an annotation file.") from None
    except OSError as exc:
        raise StoreError(f"“{name}” cannot be read: {exc.strerror or exc}.") from None
    if not head:
        raise StoreError(f"“{name}” is empty: it is not an annotation file.")
    if not head.startswith(_SQLITE_MAGIC):
        raise StoreError(f"“{name}” is not an annotation file (it is not a SQLite database).")
    sidecars = [p.with_name(p.name + suffix) for suffix in ("-wal", "-shm")]
    existed = [s.exists() for s in sidecars]
    try:
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"“{name}” cannot be opened: {exc}.") from None
    try:
        _defensive(conn)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise StoreError(
                    f"“{name}” is a SQLite database but not an annotation file of this app."
                )
            rows = conn.execute("PRAGMA quick_check").fetchall()
            if [r[0] for r in rows] != ["ok"]:
                raise StoreError(f"“{name}” is damaged (SQLite integrity check failed) and was not opened.")
            extra = conn.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')"
            ).fetchall()
            if extra:
                what = ", ".join(f"{t} {n}" for t, n in extra)
                raise StoreError(
                    f"“{name}” contains database code this app did not create ({what}); "
                    "it was refused for safety."
                )
            try:
                applied = [
                    r[0]
                    for r in conn.execute(
                        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
                        [MIGRATION_SET],
                    )
                ]
            except sqlite3.Error:
                applied = []
            user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise StoreError(f"“{name}” is locked by another program; try again later.") from None
            raise StoreError(f"“{name}” is damaged or not an annotation file ({exc}).") from None
    finally:
        conn.close()
        _remove_new_sidecars(sidecars, existed)
    unknown = [a for a in applied if a not in KNOWN_MIGRATIONS]
    if unknown or user_version > SCHEMA_VERSION:
        raise StoreError(
            f"“{name}” was written by a newer version of annotator (file format "
            f"{max(user_version, len(applied))}, this version reads up to {SCHEMA_VERSION}). "
            "Update annotator to open it; the file was not changed."
        )
    return {"schema_version": user_version, "pending": [m for m in KNOWN_MIGRATIONS if m not in applied]}


# --------------------------------------------------------------------------- store

Listener = Callable[[str, str, object], None]


@dataclass(frozen=True)
class Tombstoned:
    """Payload of the one ``(table, "reload")`` event of :meth:`AnnotationStore.delete_many` (and of
    :meth:`~AnnotationStore.undelete_many` without the records): these records of the table were
    tombstoned (``deleted`` True) or brought back (False). A listener that cannot use it reads again."""

    ids: frozenset
    deleted: bool = True


@dataclass(frozen=True, eq=False)
class Updated:
    """Payload of the one ``(table, "reload")`` event of :meth:`AnnotationStore.update_many`: these records
    of the table now have the field values ``changes``, each its new revision ``revs[id]`` (the previous
    one appended to its ``prev_revs``) and the time ``updated``. A listener that cannot use it reads again;
    one that holds the records brings its copies up to date with :meth:`apply`."""

    ids: frozenset
    changes: dict
    updated: str
    revs: dict  # record id -> its new revision

    def apply(self, rec: R) -> R:
        """A copy of ``rec`` (as it was before the change) with the change made, as the file has it now;
        ``rec`` itself when it is not one of these records or has the new revision already."""
        new_rev = self.revs.get(rec.id)
        if new_rev is None or rec.rev == new_rev:
            return rec
        out = object.__new__(type(rec))
        d = out.__dict__
        d.update(rec.__dict__)
        d.update(self.changes)
        d["updated"] = self.updated
        d["prev_revs"] = ([*rec.prev_revs, rec.rev] if rec.rev else list(rec.prev_revs))[-200:]
        d["rev"] = new_rev
        return out


def _uuid4s(n: int) -> list[str]:
    """``n`` random (version 4) UUID strings like ``new_id()``, from one read of random bytes."""
    h = os.urandom(16 * n).hex()
    return [f"{x[:8]}-{x[8:12]}-4{x[13:16]}-{'89ab'[int(x[16], 16) & 3]}{x[17:20]}-{x[20:]}"
            for x in (h[k:k + 32] for k in range(0, 32 * n, 32))]


#: a new random (version 4) UUID per row, as ``new_id()`` makes them, from the 32 random hex digits ``h``
_SQL_UUID4 = ("substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || "
              "substr('89ab89ab89ab89ab', instr('0123456789abcdef', substr(h, 17, 1)), 1) || substr(h, 18, 3) || '-' "
              "|| substr(h, 21, 12)")
#: the previous revision appended to ``prev_revs`` (the last 200 kept), as :meth:`AnnotationStore.update` does
_SQL_PREV_REVS = ("CASE WHEN prev_revs IS NULL OR prev_revs = '[]' THEN json_array(rev) "
                  "WHEN json_array_length(prev_revs) >= 200 "
                  "THEN json_remove(json_insert(prev_revs, '$[#]', rev), '$[0]') "
                  "ELSE json_insert(prev_revs, '$[#]', rev) END")


class AnnotationStore:
    """An open annotation file.

    Records are read and written through the generic :meth:`add`, :meth:`update`,
    :meth:`delete`, :meth:`get` and :meth:`records`; every write is one committed
    transaction (or part of an enclosing :meth:`transaction`). Listeners registered
    with :meth:`subscribe` hear ``(table, op, payload)`` after each change, where op
    is "add", "update", "delete", "undelete", "document" or "reload".
    """

    def __init__(self, path: str | os.PathLike, conn: sqlite3.Connection, author: str, readonly: bool):
        self.path = Path(path)
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.author = author
        self.readonly = readonly
        self._listeners: list[Listener] = []
        self._pending: list[tuple] = []
        self._sidecars: tuple | None = None
        self._depth = 0

    # -- opening ------------------------------------------------------------

    @classmethod
    def open(cls, path, author: str = "", create: bool = True, readonly: bool = False) -> "AnnotationStore":
        """Open ``path`` (creating it when missing and ``create``), after checking it is safe."""
        p = Path(path)
        exists = p.exists() and not (p.is_file() and p.stat().st_size == 0 and create)
        if exists:
            inspect_file(p)
        elif not create:
            raise StoreError(f"“{p.name}” does not exist.")
        elif not p.parent.exists():
            raise StoreError(f"Cannot create “{p.name}”: the folder {p.parent} does not exist.")
        sidecars = [p.with_name(p.name + suffix) for suffix in ("-wal", "-shm")]
        existed = [s.exists() for s in sidecars]
        try:
            if readonly:
                conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                                       check_same_thread=False)
            else:
                conn = sqlite3.connect(str(p), isolation_level=None, check_same_thread=False)
            _defensive(conn)
            conn.execute("PRAGMA busy_timeout=2000")
            if not readonly:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open “{p.name}”: {exc}.") from None
        store = cls(p, conn, author, readonly)
        if readonly:
            store._sidecars = (sidecars, existed)
        if not readonly:
            try:
                store._migrate(new=not exists)
            except sqlite3.Error as exc:
                conn.close()
                raise StoreError(_friendly(exc, p.name)) from None
        return store

    @classmethod
    def create_memory(cls, author: str = "") -> "AnnotationStore":
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        store = cls(Path(":memory:"), conn, author, False)
        store._migrate(new=True)
        return store

    def _migrate(self, new: bool) -> None:
        if new:
            self.conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        pending = migrations.pending(self.db)
        if pending:
            # sqlite-utils wraps each migration in a transaction; our connection is in
            # autocommit mode, so BEGIN/COMMIT are explicit there.
            migrations.apply(self.db)
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        if new:
            with self.transaction():
                self.db["file_info"].insert_all(
                    [
                        {"key": "file_id", "value": new_id()},
                        {"key": "created", "value": now()},
                        {"key": "created_with", "value": f"annotator {__version__}"},
                    ],
                    replace=True,
                )

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            if self._sidecars:
                _remove_new_sidecars(*self._sidecars)
            self.conn = None  # type: ignore[assignment]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- events ---------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def notify(self, table: str, op: str, payload=None) -> None:
        """Tell listeners about a change (after the enclosing transaction commits)."""
        self._emit(table, op, payload)

    def _emit(self, table: str, op: str, payload) -> None:
        if not self._listeners:
            return
        if self._depth:
            # inside a transaction: listeners hear it once the data is committed (never on rollback)
            self._pending.append((table, op, payload))
            return
        for fn in list(self._listeners):
            fn(table, op, payload)

    def _flush_events(self) -> None:
        pending, self._pending = self._pending, []
        for table, op, payload in pending:
            for fn in list(self._listeners):
                fn(table, op, payload)

    # -- transactions ---------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write (nestable via savepoints). Errors become :class:`StoreError`."""
        if self.readonly:
            raise StoreError(f"“{self.path.name}” is open read-only.")
        if self._depth:
            name = f"sp{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            queued = len(self._pending)
            try:
                yield
            except BaseException:
                del self._pending[queued:]
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(_friendly(exc, self.path.name)) from None
        self._depth = 1
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException as exc:
            self._pending.clear()
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(_friendly(exc, self.path.name)) from None
            raise
        finally:
            self._depth = 0
        self._flush_events()

    # -- file info --------------------------------------------------------------

    def info(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM file_info WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_info(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO file_info(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # -- documents --------------------------------------------------------------

    def add_document(self, doc) -> str:
        """Store a loaded :class:`annotator.core.documents.Document`; returns its id.

        The same bytes (same SHA-256) are stored once.
        """
        row = self.conn.execute("SELECT id FROM documents WHERE sha256 = ?", [doc.sha256]).fetchone()
        if row:
            return row[0]
        doc_id = new_id()
        pages = None
        if doc.pages is not None:
            pages = [
                {
                    "number": p.number,
                    "start": p.start,
                    "end": p.end,
                    "width": p.width,
                    "height": p.height,
                    "has_text": p.has_text,
                    **({"superscripts": [list(r) for r in p.superscripts]} if getattr(p, "superscripts", ()) else {}),
                }
                for p in doc.pages
            ]
        with self.transaction():
            self.conn.execute(
                "INSERT INTO documents (id, sha256, kind, title, source_name, metadata, text, pages, "
                "paragraphs, author, created) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    doc_id,
                    doc.sha256,
                    doc.kind,
                    doc.title,
                    doc.source_name,
                    json.dumps(doc.metadata or {}, ensure_ascii=False, default=str),
                    doc.text,
                    json.dumps(pages) if pages is not None else None,
                    json.dumps([list(p) for p in doc.paragraphs]),
                    self.author,
                    now(),
                ],
            )
            self.conn.execute(
                "INSERT INTO document_files (document_id, data) VALUES (?, ?)", [doc_id, bytes(doc.data)]
            )
        self._emit("documents", "document", doc_id)
        return doc_id

    _DOC_COLS = "id, sha256, kind, title, source_name, metadata, pages, paragraphs, author, created, length(text)"

    @staticmethod
    def _doc_info(row) -> DocumentInfo:
        return DocumentInfo(
            id=row[0],
            sha256=row[1],
            kind=row[2],
            title=row[3] or "",
            source_name=row[4] or "",
            metadata=json.loads(row[5] or "{}"),
            pages=json.loads(row[6]) if row[6] else None,
            paragraphs=json.loads(row[7] or "[]"),
            author=row[8] or "",
            created=row[9] or "",
            text_length=row[10] or 0,
        )

    def documents(self) -> list[DocumentInfo]:
        rows = self.conn.execute(f"SELECT {self._DOC_COLS} FROM documents ORDER BY created, rowid").fetchall()
        return [self._doc_info(r) for r in rows]

    def document(self, doc_id: str) -> DocumentInfo:
        row = self.conn.execute(f"SELECT {self._DOC_COLS} FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return self._doc_info(row)

    def document_by_sha256(self, sha256: str) -> DocumentInfo | None:
        row = self.conn.execute(f"SELECT {self._DOC_COLS} FROM documents WHERE sha256 = ?", [sha256]).fetchone()
        return self._doc_info(row) if row else None

    def document_text(self, doc_id: str) -> str:
        row = self.conn.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return row[0]

    def document_bytes(self, doc_id: str) -> bytes:
        row = self.conn.execute("SELECT data FROM document_files WHERE document_id = ?", [doc_id]).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return bytes(row[0])

    # -- records ------------------------------------------------------------------

    @classmethod
    def _to_row(cls_, rec: Record) -> dict:
        return cls_._encode(type(rec), {name: getattr(rec, name) for name in rec.field_names()})

    @classmethod
    def _from_row(cls_, cls: type[R], names: list[str], values) -> R:
        return cls(**cls_._decode(cls, names, values))

    def add(self, rec: R, *, keep_meta: bool = False) -> R:
        """Insert a new record. Unless ``keep_meta``, author/times/revision are set here."""
        if not keep_meta:
            t = now()
            rec = rec.replace(
                author=rec.author or self.author,
                created=rec.created or t,
                updated=t,
                rev=new_id(),
                prev_revs=[],
            )
        row = self._to_row(rec)
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        with self.transaction():
            self.conn.execute(f"INSERT INTO {rec.TABLE} ({cols}) VALUES ({marks})", list(row.values()))
        self._emit(rec.TABLE, "add", rec)
        return rec

    def add_many(self, records: list[Record]) -> list[Record]:
        """Insert many new records at once (one transaction, one statement per table).

        Sets author/times/revision like :meth:`add`. Listeners hear one ``(table, "reload")``
        per table touched instead of one event per record; its payload is the list of new records.
        """
        import operator

        t = now()
        author = self.author
        done = list(records)
        revs = _uuid4s(len(done))  # random (version 4) UUIDs like new_id(), from one read of random bytes
        by_table: dict[type, list[Record]] = {}
        for rec, rev in zip(done, revs):
            rec.author = rec.author or author
            rec.created = rec.created or t
            rec.updated = t
            rec.rev = rev
            rec.prev_revs = []
            recs = by_table.get(type(rec))
            if recs is None:
                recs = by_table[type(rec)] = []
            recs.append(rec)
        with self.transaction():
            for cls, recs in by_table.items():
                names = cls.field_names()
                cols = ", ".join(f'"{c}"' for c in names)
                marks = ", ".join("?" for _ in names)
                # prev_revs is the empty list set above: stored as "[]" without a json.dumps per record
                json_fields = [i for i, n in enumerate(names) if n in cls.JSON_FIELDS and n != "prev_revs"]
                bool_fields = [i for i, n in enumerate(names) if n in cls.BOOL_FIELDS]
                prev_revs = names.index("prev_revs")
                values = operator.attrgetter(*names)
                rows = []
                dumps = json.dumps
                for row in map(list, map(values, recs)):
                    row[prev_revs] = "[]"
                    for i in json_fields:
                        v = row[i]
                        if v is not None:
                            row[i] = "[]" if type(v) is list and not v else dumps(v, ensure_ascii=False)
                    for i in bool_fields:
                        row[i] = int(bool(row[i]))
                    rows.append(row)
                self.conn.executemany(f"INSERT INTO {cls.TABLE} ({cols}) VALUES ({marks})", rows)
                self._emit(cls.TABLE, "reload", recs)
        return done

    def get(self, cls: type[R], rec_id: str) -> R | None:
        names = cls.field_names()
        cols = ", ".join(f'"{c}"' for c in names)
        row = self.conn.execute(f"SELECT {cols} FROM {cls.TABLE} WHERE id = ?", [rec_id]).fetchone()
        return self._from_row(cls, names, row) if row else None

    def records(
        self,
        cls: type[R],
        where: str = "",
        params: list | tuple = (),
        include_deleted: bool = False,
        order: str = "rowid",
    ) -> list[R]:
        names = cls.field_names()
        cols = ", ".join(f'"{c}"' for c in names)
        clauses = [] if include_deleted else ["deleted = 0"]
        if where:
            clauses.append(f"({where})")
        sql = f"SELECT {cols} FROM {cls.TABLE}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += f" ORDER BY {order}"
        return [self._from_row(cls, names, r) for r in self.conn.execute(sql, list(params))]

    def update(self, cls: type[R], rec_id: str, **changes) -> dict:
        """Change fields of one record; returns the previous values (for undo).

        Bumps ``updated`` and the revision; ``author`` stays the record's creator.
        This is the autosave hot path: it reads only the changed columns.
        """
        allowed = _editable_fields(cls)
        bad = set(changes) - allowed
        if bad:
            raise ValueError(f"cannot update {sorted(bad)} on {cls.TABLE}")
        names = [*changes, "rev", "prev_revs"]
        cols = ", ".join(f'"{c}"' for c in names)
        row = self.conn.execute(f"SELECT {cols} FROM {cls.TABLE} WHERE id = ?", [rec_id]).fetchone()
        if row is None:
            raise KeyError(f"{cls.TABLE}/{rec_id}")
        old = self._decode(cls, names, row)
        previous = {k: old[k] for k in changes}
        if previous == changes:
            return previous
        values = self._encode(cls, changes)
        values["updated"] = now()
        values["rev"] = new_id()
        values["prev_revs"] = json.dumps((old["prev_revs"] + [old["rev"]])[-200:])
        sets = ", ".join(f'"{k}" = ?' for k in values)
        with self.transaction():
            self.conn.execute(f"UPDATE {cls.TABLE} SET {sets} WHERE id = ?", [*values.values(), rec_id])
        if self._listeners:
            op = "update"
            if "deleted" in changes and len(changes) == 1:
                op = "delete" if changes["deleted"] else "undelete"
            self._emit(cls.TABLE, op, self.get(cls, rec_id))
        return previous

    @staticmethod
    def _encode(cls, values: dict) -> dict:
        out = {}
        for name, v in values.items():
            if name in cls.JSON_FIELDS:
                v = None if v is None else json.dumps(v, ensure_ascii=False)
            elif name in cls.BOOL_FIELDS:
                v = int(bool(v))
            out[name] = v
        return out

    @staticmethod
    def _decode(cls, names, values) -> dict:
        out = {}
        for name, v in zip(names, values):
            if name in cls.JSON_FIELDS:
                v = json.loads(v) if v is not None else (None if name in ("quads", "evidence_quads") else [])
            elif name in cls.BOOL_FIELDS:
                v = bool(v)
            out[name] = v
        return out

    def delete(self, cls: type[R], rec_id: str) -> None:
        """Tombstone a record: kept, marked deleted, so merges know it was removed."""
        self.update(cls, rec_id, deleted=True)

    def undelete(self, cls: type[R], rec_id: str) -> None:
        self.update(cls, rec_id, deleted=False)

    def delete_many(self, items: Iterable[tuple[type, str]]) -> int:
        """Tombstone many records at once, ``(cls, id)`` pairs: one transaction, one statement per table,
        and one ``(table, "reload", Tombstoned(ids, True))`` event per table instead of one event per
        record (undoing a Find figures pass: tens of thousands). Each changed record gets a new revision
        like :meth:`delete`; records already deleted are left as they are. Returns how many changed."""
        return self._set_deleted_many(items, True, None)

    def undelete_many(self, items: Iterable[tuple[type, str]], records: Iterable[Record] | None = None) -> int:
        """Bring back many tombstoned records at once (the reverse of :meth:`delete_many`).

        ``records``: the caller's copies of these records (an undo command keeps the ones it added);
        the event then carries them, marked live, as :meth:`add_many`'s does (the views take them as
        they are instead of reading them again; their revision fields are the old ones). Without them
        the event's payload is ``Tombstoned(ids, False)``."""
        return self._set_deleted_many(items, False, records)

    def _set_deleted_many(self, items, deleted: bool, records) -> int:
        by_table: dict[type, list[str]] = {}
        for cls, rid in items:
            by_table.setdefault(cls, []).append(rid)
        if not by_table:
            return 0
        given: dict[str, list[Record]] = {}
        for rec in records or ():
            given.setdefault(rec.TABLE, []).append(rec)
        changed = 0
        t = now()
        with self.transaction():
            for cls, ids in by_table.items():
                # the ids as one JSON array parameter; one random blob per row for its new revision
                cur = self.conn.execute(
                    f"UPDATE {cls.TABLE} SET deleted = ?, updated = ?, rev = {_SQL_UUID4}, prev_revs = {_SQL_PREV_REVS} "
                    f"FROM (SELECT value AS bulk_id, lower(hex(randomblob(16))) AS h FROM json_each(?)) "
                    f"WHERE id = bulk_id AND deleted != ?",
                    [int(deleted), t, json.dumps(ids), int(deleted)])
                changed += max(cur.rowcount, 0)
                recs = given.get(cls.TABLE)
                if not deleted and recs is not None:
                    for rec in recs:
                        rec.deleted = False
                    self._emit(cls.TABLE, "reload", recs)
                else:
                    self._emit(cls.TABLE, "reload", Tombstoned(frozenset(ids), deleted))
        return changed

    def update_many(self, cls: type[R], ids: Iterable[str], changes: dict, where: dict | None = None) -> dict[str, dict]:
        """Give many records of one table the same field values at once: one transaction, one statement,
        and one ``(table, "reload", Updated(...))`` event instead of one event per record (accepting the
        thousands of suggestions of one speaker). Each changed record gets a new revision and ``updated``
        time like :meth:`update`; ``author`` stays. Records that do not exist, that do not have the values
        ``where`` asks for (e.g. ``{"status": "suggested"}``: the ones accepted already are left alone), or
        that have the values already are not changed (no new revision, not in the event).

        Returns ``{id: previous values}`` of the changed records, in the order of ``ids`` (for undo: see
        :meth:`restore_many`). Call it inside a :meth:`transaction` to change several tables in one go:
        listeners still hear one event per table, after the commit."""
        if not changes:
            return {}
        allowed = _editable_fields(cls)
        bad = (set(changes) | set(where or {})) - allowed - {"id"}
        if bad:
            raise ValueError(f"cannot update {sorted(bad)} on {cls.TABLE}")
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        names = list(changes)
        cols = ", ".join(f'"{c}"' for c in names)
        clauses, params = ["id IN (SELECT value FROM json_each(?))"], [json.dumps(wanted)]
        for name, v in self._encode(cls, dict(where or {})).items():
            clauses.append(f'"{name}" IS ?')
            params.append(v)
        previous: dict[str, dict] = {}
        t = now()
        with self.transaction():
            rows = self.conn.execute(f"SELECT id, {cols} FROM {cls.TABLE} WHERE {' AND '.join(clauses)}",
                                     params).fetchall()
            found = {}
            for row in rows:
                old = self._decode(cls, names, row[1:])
                if old != changes:
                    found[row[0]] = old
            previous = {rid: found[rid] for rid in wanted if rid in found}
            if not previous:
                return {}
            revs = dict(zip(previous, _uuid4s(len(previous))))
            values = self._encode(cls, changes)
            sets = ", ".join(f'"{k}" = ?' for k in values)
            # the ids and their new revisions as one JSON object parameter
            self.conn.execute(
                f"UPDATE {cls.TABLE} SET {sets}, updated = ?, rev = bulk.new_rev, prev_revs = {_SQL_PREV_REVS} "
                f"FROM (SELECT key AS bulk_id, value AS new_rev FROM json_each(?)) AS bulk WHERE id = bulk.bulk_id",
                [*values.values(), t, json.dumps(revs)])
            self._emit(cls.TABLE, "reload", Updated(frozenset(previous), dict(changes), t, revs))
        return previous

    def restore_many(self, cls: type[R], previous: dict[str, dict]) -> int:
        """Undo :meth:`update_many`: give each record back its previous values (``{id: values}``, as
        update_many returned them), one :meth:`update_many` per distinct set of values (one for a status
        change), in one transaction. Returns how many records changed."""
        groups: dict[str, tuple[dict, list[str]]] = {}
        for rid, values in previous.items():
            key = json.dumps(values, sort_keys=True, default=str)
            groups.setdefault(key, (values, []))[1].append(rid)
        changed = 0
        with self.transaction():
            for values, rids in groups.values():
                changed += len(self.update_many(cls, rids, values))
        return changed

    def put_raw(self, rec: Record) -> None:
        """Insert or replace a record exactly as given (merge and import use this)."""
        row = self._to_row(rec)
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        with self.transaction():
            self.conn.execute(f"INSERT OR REPLACE INTO {rec.TABLE} ({cols}) VALUES ({marks})", list(row.values()))
        self._emit(rec.TABLE, "update", rec)

    # -- convenience ----------------------------------------------------------------

    def figures(self, document_id: str | None = None, statuses=("confirmed",), include_deleted=False) -> list[Figure]:
        clauses, params = [], []
        if document_id is not None:
            clauses.append("document_id = ?")
            params.append(document_id)
        if statuses:
            clauses.append(f"status IN ({', '.join('?' for _ in statuses)})")
            params.extend(statuses)
        return self.records(Figure, " AND ".join(clauses), params, include_deleted, order="document_id, start, rowid")

    def speakers(self, include_merged: bool = False) -> list[Speaker]:
        where = "" if include_merged else "merged_into IS NULL"
        return self.records(Speaker, where, order="name COLLATE NOCASE")

    def attributions(self, figure_id: str | None = None, speaker_id: str | None = None,
                     statuses=("confirmed",)) -> list[Attribution]:
        clauses, params = [], []
        if figure_id is not None:
            clauses.append("figure_id = ?")
            params.append(figure_id)
        if speaker_id is not None:
            clauses.append("speaker_id = ?")
            params.append(speaker_id)
        if statuses:
            clauses.append(f"status IN ({', '.join('?' for _ in statuses)})")
            params.extend(statuses)
        return self.records(Attribution, " AND ".join(clauses), params)

    def comments(self, figure_id: str) -> list[Comment]:
        return self.records(Comment, "figure_id = ?", [figure_id], order="created, rowid")

    def relations(self, statuses=("confirmed",)) -> list[Relation]:
        if not statuses:
            return self.records(Relation)
        return self.records(Relation, f"status IN ({', '.join('?' for _ in statuses)})", list(statuses))

    def find_speaker(self, name: str) -> Speaker | None:
        key = name.strip().casefold()
        for sp in self.speakers():
            if key in (n.strip().casefold() for n in sp.all_names()):
                return sp
        return None

    def merge_speakers(self, keep_id: str, gone_id: str) -> list[tuple]:
        """Merge speaker ``gone_id`` into ``keep_id``: its attributions move, its names become aliases.

        Returns a list of ``(cls, id, previous_values)`` so the caller can undo it.
        """
        keep = self.get(Speaker, keep_id)
        gone = self.get(Speaker, gone_id)
        if keep is None or gone is None or keep_id == gone_id:
            raise ValueError("merge needs two different existing speakers")
        undo: list[tuple] = []
        with self.transaction():
            aliases = list(keep.aliases)
            for n in gone.all_names():
                if n and n.casefold() != keep.name.casefold() and n.casefold() not in (a.casefold() for a in aliases):
                    aliases.append(n)
            changes = {"aliases": aliases}
            if not keep.affiliation and gone.affiliation:
                changes["affiliation"] = gone.affiliation
            undo.append((Speaker, keep_id, self.update(Speaker, keep_id, **changes)))
            for att in self.attributions(speaker_id=gone_id, statuses=()):
                undo.append((Attribution, att.id, self.update(Attribution, att.id, speaker_id=keep_id)))
            undo.append((Speaker, gone_id, self.update(Speaker, gone_id, merged_into=keep_id)))
        return undo

    def authors(self) -> list[str]:
        names: set[str] = set()
        for table in RECORD_TYPES:
            names.update(r[0] for r in self.conn.execute(f"SELECT DISTINCT author FROM {table}") if r[0])
        return sorted(names)

    def counts(self) -> dict:
        out = {}
        for table in ("figures", "speakers", "attributions", "comments", "relations"):
            extra = " AND merged_into IS NULL" if table == "speakers" else ""
            extra += " AND status = 'confirmed'" if table in ("figures", "attributions", "relations") else ""
            out[table] = self.conn.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0{extra}").fetchone()[0]
        out["conflicts"] = self.conn.execute("SELECT count(*) FROM conflicts WHERE resolved = 0").fetchone()[0]
        out["documents"] = self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        return out


def _remove_new_sidecars(sidecars: list[Path], existed: list[bool]) -> None:
    """A read-only look at a WAL file makes SQLite create empty -wal/-shm files: remove the ones we made."""
    for path, was_there in zip(sidecars, existed):
        if not was_there:
            with contextlib.suppress(OSError):
                if path.exists() and (path.name.endswith("-shm") or path.stat().st_size == 0):
                    path.unlink()


_EDITABLE: dict[type, frozenset] = {}


def _editable_fields(cls) -> frozenset:
    if cls not in _EDITABLE:
        _EDITABLE[cls] = frozenset(cls.field_names()) - {"id", "rev", "prev_revs", "created"}
    return _EDITABLE[cls]


def _friendly(exc: sqlite3.Error, name: str) -> str:
    msg = str(exc)
    if "locked" in msg or "busy" in msg:
        return f"“{name}” is locked by another program; your change was not saved. Try again."
    if "full" in msg:
        return f"The disk is full: “{name}” could not be written. Free some space; nothing was lost."
    if "readonly" in msg or "read-only" in msg:
        return f"“{name}” cannot be written (read-only file or folder)."
    if "malformed" in msg or "not a database" in msg:
        return f"“{name}” is damaged ({msg})."
    return f"“{name}” could not be written: {msg}."


__all__ = [
    "APPLICATION_ID",
    "EXTENSION",
    "SCHEMA_VERSION",
    "AnnotationStore",
    "Attribution",
    "Comment",
    "Figure",
    "Relation",
    "Speaker",
    "Tombstoned",
    "Updated",
    "inspect_file",
]
