"""Merging colleagues' annotation files into an open one, and resolving the conflicts.

Rules (issue 4):

* Documents are recognised by their SHA-256. A document whose bytes differ but whose
  text is close to one already held (another save of the same web page, a re-exported
  PDF; word-shingle Jaccard >= :data:`SIMILARITY_THRESHOLD`) is a *version* of it:
  the incoming annotations are re-anchored onto the version already in the target,
  and the incoming version itself is not added (the report says so). Anything else
  is a new document and is copied with its text and bytes.
* Re-anchoring uses the quote selector: the exact text first (several copies are
  told apart by prefix/suffix, then by the old position mapped through a diff of the
  two texts), then the mapped position, then a fuzzy match weighted by prefix and
  suffix. A figure that cannot be placed keeps its quote, gets the flag ``orphan``
  and an empty span; one that lands on text with other digits ("30,000" now reads
  "80,000") gets ``figure_changed``. Nothing is dropped.
* Records are matched by UUID and their revision history decides: same revision →
  nothing to do; the local revision is in the incoming history → fast-forward; the
  incoming revision is in the local history → keep local; equal contents → same
  (histories joined); otherwise a *conflict* row (local JSON, incoming JSON, source
  file) for the reviewer. Never "last write wins". Tombstones are content, so a
  deletion against an edit is a conflict too.
* Speakers are matched by UUID only; a new speaker whose name or alias equals an
  existing one is *proposed* for merging (:attr:`MergeReport.speaker_proposals`).
* Inputs are checked with :func:`inspect_file` and read through a read-only ``ATTACH``;
  they are never written. All inputs are merged in one transaction: on any error
  the target is exactly as before.
* Speed: rows whose id is new go in with one ``INSERT … SELECT`` per table; only rows
  present on both sides with different revisions (and annotations on a different
  document version) go through Python.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import difflib
import json
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.anchors import CONTEXT, digits_of
from annotator.core.errors import Cancelled, StoreError, UserError
from annotator.core.model import RECORD_TYPES, Attribution, Figure, Record, Speaker, new_id, now
from annotator.core.store import AnnotationStore, inspect_file

#: record tables in the order they are merged (speakers before the attributions naming them)
TABLES = ("speakers", "figures", "attributions", "comments", "relations")
#: word-shingle Jaccard similarity above which two texts are versions of one document
SIMILARITY_THRESHOLD = 0.5
SHINGLE = 4
#: fuzzy placements scoring below this are orphans
MIN_FUZZY_SCORE = 0.62
#: prefix/suffix similarity an exact hit needs when it is not where the diff says the quote went
MIN_CONTEXT = 0.5
#: how many places near the mapped position a fuzzy search tries
MAX_SEEDS = 8
#: weight of "the diff of the two texts puts the quote here" against the prefix/suffix similarity
AT_HINT_BONUS = 0.15

#: page cache (KiB) of the target during a merge
MERGE_CACHE_KIB = 32768

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

_ATTACH_PREFIX = "merge_in"


# --------------------------------------------------------------------------- report


@dataclass
class ConflictNote:
    """A conflict recorded by a merge (also in the ``conflicts`` table)."""

    conflict_id: str
    table: str
    record_id: str
    label: str  # what the record is, for people ("30,000", "Roydad 24"...)
    fields: list[str]  # content fields that differ
    source: str  # file name it came from

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class AnchorNote:
    """A figure (or attribution evidence) that was re-anchored with a problem."""

    table: str
    record_id: str
    old_text: str
    new_text: str  # "" for an orphan
    document: str  # title of the target document
    source: str
    method: str  # "orphan" | "exact" | "position" | "fuzzy"

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class DocumentNote:
    """What became of one incoming document."""

    title: str
    sha256: str
    source: str
    how: str  # "added" | "sha256" (same bytes) | "text" (a different version, annotations re-anchored)
    target_title: str = ""
    target_sha256: str = ""
    similarity: float | None = None  # text similarity to the target's version ("text"), 1.0 for "sha256"

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class SpeakerProposal:
    """Speakers with different UUIDs sharing a name or alias: maybe one person (not merged)."""

    names: list[str]  # the shared names
    speakers: list[dict]  # [{"id", "name", "aliases", "author"}]
    source: str

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def _counter() -> Counter:
    return Counter()


@dataclass
class SourceReport:
    """What one input file brought."""

    path: str
    added: Counter = field(default_factory=_counter)
    updated: Counter = field(default_factory=_counter)  # fast-forwarded to the incoming revision
    unchanged: Counter = field(default_factory=_counter)  # same revision or same content
    kept_local: Counter = field(default_factory=_counter)  # the local revision is newer
    conflicts: Counter = field(default_factory=_counter)
    invalid: Counter = field(default_factory=_counter)  # unreadable rows, skipped (and reported)
    documents: list[DocumentNote] = field(default_factory=list)

    @property
    def name(self) -> str:
        return Path(self.path).name

    def to_dict(self) -> dict:
        return {
            "file": self.path,
            "added": _table_counts(self.added, documents=True),
            "updated": _table_counts(self.updated),
            "unchanged": _table_counts(self.unchanged),
            "kept_local": _table_counts(self.kept_local),
            "conflicts": _table_counts(self.conflicts),
            "invalid": _table_counts(self.invalid),
            "documents": [d.to_dict() for d in self.documents],
        }


def _table_counts(c: Counter, documents: bool = False) -> dict:
    keys = ("documents", *TABLES) if documents else TABLES
    return {k: int(c.get(k, 0)) for k in keys}


@dataclass
class MergeReport:
    target: str
    sources: list[SourceReport] = field(default_factory=list)
    conflicts: list[ConflictNote] = field(default_factory=list)
    orphans: list[AnchorNote] = field(default_factory=list)
    figure_changed: list[AnchorNote] = field(default_factory=list)
    evidence_orphans: list[AnchorNote] = field(default_factory=list)
    reanchored: Counter = field(default_factory=_counter)  # method -> count
    speaker_proposals: list[SpeakerProposal] = field(default_factory=list)
    imported_conflicts: int = 0  # unresolved conflicts carried over from the inputs
    dry_run: bool = False
    harmonised: int = 0  # records with equal contents on both sides whose revision histories were joined
    settled: int = 0  # conflicts found and then settled by a later input of the same merge

    def _total(self, attr: str) -> Counter:
        out: Counter = Counter()
        for s in self.sources:
            out.update(getattr(s, attr))
        return out

    @property
    def added(self) -> Counter:
        return self._total("added")

    @property
    def updated(self) -> Counter:
        return self._total("updated")

    @property
    def unchanged(self) -> Counter:
        return self._total("unchanged")

    @property
    def kept_local(self) -> Counter:
        return self._total("kept_local")

    @property
    def invalid(self) -> Counter:
        return self._total("invalid")

    @property
    def changed(self) -> bool:
        """True when the merge wrote anything to the target."""
        return bool(
            sum(self.added.values()) or sum(self.updated.values()) or self.conflicts or self.imported_conflicts
            or self.harmonised
        )

    def documents(self, how: str) -> list[DocumentNote]:
        return [d for s in self.sources for d in s.documents if d.how == how]

    def to_dict(self) -> dict:
        """The ``annotator merge --json`` summary."""
        return {
            "target": self.target,
            "dry_run": self.dry_run,
            "changed": self.changed,
            "inputs": [s.to_dict() for s in self.sources],
            "added": _table_counts(self.added, documents=True),
            "updated": _table_counts(self.updated),
            "unchanged": _table_counts(self.unchanged),
            "kept_local": _table_counts(self.kept_local),
            "invalid": _table_counts(self.invalid),
            "conflicts": [c.to_dict() for c in self.conflicts],
            "imported_conflicts": self.imported_conflicts,
            "settled_conflicts": self.settled,
            "orphans": [o.to_dict() for o in self.orphans],
            "figure_changed": [o.to_dict() for o in self.figure_changed],
            "evidence_orphans": [o.to_dict() for o in self.evidence_orphans],
            "reanchored": {k: int(v) for k, v in sorted(self.reanchored.items())},
            "documents": {
                "added": [d.to_dict() for d in self.documents("added")],
                "same_sha256": [d.to_dict() for d in self.documents("sha256")],
                "other_version": [d.to_dict() for d in self.documents("text")],
            },
            "speaker_proposals": [p.to_dict() for p in self.speaker_proposals],
        }


# --------------------------------------------------------------------------- record rows

_FIELDS: dict[str, list[dataclasses.Field]] = {t: list(dataclasses.fields(c)) for t, c in RECORD_TYPES.items()}


def _default(f: dataclasses.Field):
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        return f.default_factory()  # type: ignore[misc]
    return None


def _decode(cls: type[Record], names: list[str], values) -> Record:
    """A record from a row (JSON and boolean columns decoded; NULLs take the field default)."""
    kw = {}
    defaults = {f.name: f for f in _FIELDS[cls.TABLE]}
    for name, v in zip(names, values):
        if name in cls.JSON_FIELDS:
            v = json.loads(v) if v is not None else _default(defaults[name])
        elif name in cls.BOOL_FIELDS:
            v = bool(v)
        kw[name] = v
    return cls(**kw)


def _encode(rec: Record) -> list:
    out = []
    for name in rec.field_names():
        v = getattr(rec, name)
        if name in rec.JSON_FIELDS:
            v = None if v is None else json.dumps(v, ensure_ascii=False)
        elif name in rec.BOOL_FIELDS:
            v = int(bool(v))
        out.append(v)
    return out


def record_json(rec: Record) -> str:
    return json.dumps(dataclasses.asdict(rec), ensure_ascii=False, sort_keys=True)


def record_from_json(cls: type[Record], text: str) -> Record:
    data = json.loads(text)
    names = set(cls.field_names())
    return cls(**{k: v for k, v in data.items() if k in names})


def _write(conn: sqlite3.Connection, rec: Record) -> None:
    names = rec.field_names()
    cols = ", ".join(f'"{c}"' for c in names)
    marks = ", ".join("?" for _ in names)
    conn.execute(f"INSERT OR REPLACE INTO main.{rec.TABLE} ({cols}) VALUES ({marks})", _encode(rec))


def differing_fields(a: Record, b: Record) -> list[str]:
    ca, cb = a.content(), b.content()
    return [k for k in ca if ca[k] != cb.get(k)]


def record_label(rec: Record) -> str:
    if isinstance(rec, Figure):
        return rec.exact
    if isinstance(rec, Speaker):
        return rec.name
    if isinstance(rec, Attribution):
        return f"{rec.role} ({rec.evidence_exact[:40]})" if rec.evidence_exact else rec.role
    body = getattr(rec, "body", None)
    if body is not None:
        return body[:60]
    return getattr(rec, "kind", "") or rec.id


def _joined_history(*recs: Record, keep: str) -> list[str]:
    """Every revision of ``recs`` except ``keep``, oldest first, without repeats (capped at 200).

    The newest revisions go last, so the cap drops the oldest ones.
    """
    seen: dict[str, None] = {}
    for r in recs:
        for rev in [*r.prev_revs, r.rev]:
            if rev and rev != keep:
                seen.pop(rev, None)
                seen[rev] = None
    return list(seen)[-200:]


# --------------------------------------------------------------------------- re-anchoring


class OffsetMap:
    """Maps offsets in an old text to offsets in a new one through a diff of the two.

    Lines are aligned first (cheap, and it keeps repeated paragraphs apart), then
    characters inside each changed block. :meth:`map` says whether the position lies
    in text both versions share (``sure``) or was only estimated.
    """

    def __init__(self, old: str, new: str):
        self.old, self.new = old, new
        old_lines = old.splitlines(keepends=True)
        new_lines = new.splitlines(keepends=True)
        o_starts = _starts(old_lines)
        n_starts = _starts(new_lines)
        sm = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        self._blocks: list[tuple[str, int, int, int, int]] = []
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            self._blocks.append((tag, o_starts[i1], o_starts[i2], n_starts[j1], n_starts[j2]))
        self._keys = [b[1] for b in self._blocks]
        self._sub: dict[int, list] = {}

    def map(self, pos: int) -> tuple[int, bool]:
        pos = max(0, min(pos, len(self.old)))
        if not self._blocks:
            return 0, False
        i = bisect.bisect_right(self._keys, pos) - 1
        # skip empty (insert) blocks and land in the one that holds pos
        while i > 0 and self._blocks[i][1] == self._blocks[i][2] and self._blocks[i][1] == pos:
            i -= 1
        tag, oa, ob, na, nb = self._blocks[max(i, 0)]
        if tag == "equal":
            return na + (pos - oa), pos < ob or pos == len(self.old)
        if tag in ("delete", "insert"):
            return na, False
        return self._map_replace(i, pos)

    def _map_replace(self, i: int, pos: int) -> tuple[int, bool]:
        tag, oa, ob, na, nb = self._blocks[i]
        sub = self._sub.get(i)
        if sub is None:
            a, b = self.old[oa:ob], self.new[na:nb]
            if max(len(a), len(b)) <= 6000:
                sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
                sub = [(t, oa + i1, oa + i2, na + j1, na + j2) for t, i1, i2, j1, j2 in sm.get_opcodes()]
            else:  # long blocks (e.g. a PDF with other line breaks): align words, not characters
                wa, wb = _words(a), _words(b)
                sm = difflib.SequenceMatcher(None, [w for w, _ in wa], [w for w, _ in wb], autojunk=True)
                sub = []
                for t, i1, i2, j1, j2 in sm.get_opcodes():
                    if t != "equal":
                        continue
                    for k in range(i2 - i1):
                        (w, s1), (_, s2) = wa[i1 + k], wb[j1 + k]
                        sub.append(("equal", oa + s1, oa + s1 + len(w), na + s2, na + s2 + len(w)))
            self._sub[i] = sub
        best = (na + round((pos - oa) * (nb - na) / max(1, ob - oa)), False)
        for t, sa, sb, ta, tb in sub:
            if sa <= pos < sb or (pos == sb and sa == sb):
                if t == "equal":
                    return ta + (pos - sa), True
                return ta, False
            if sa > pos:
                break
            if t == "equal":  # nearest shared text before pos
                best = (tb + (pos - sb), False)
        return best


def _starts(lines: list[str]) -> list[int]:
    out = [0]
    for line in lines:
        out.append(out[-1] + len(line))
    return out


_WORD = re.compile(r"\w+|[^\w\s]")


def _words(text: str) -> list[tuple[str, int]]:
    return [(m.group(), m.start()) for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class Placement:
    start: int
    end: int
    method: str  # "exact" | "position" | "fuzzy"
    score: float
    text: str


def _ratio(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _context(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    parts = []
    if prefix:
        parts.append(_ratio(text[max(0, start - len(prefix)) : start], prefix))
    if suffix:
        parts.append(_ratio(text[end : end + len(suffix)], suffix))
    return sum(parts) / len(parts) if parts else 0.5


def _cuts_word(text: str, s: int, e: int) -> int:
    n = 0
    if 0 < s < len(text) and text[s - 1].isalnum() and text[s].isalnum():
        n += 1
    if 0 < e < len(text) and text[e - 1].isalnum() and text[e].isalnum():
        n += 1
    return n


def place_quote(
    text: str, exact: str, prefix: str, suffix: str, hint: int | None, sure: bool = False
) -> Placement | None:
    """Where the quote ``prefix[exact]suffix`` now sits in ``text``, or None (an orphan).

    ``hint`` is the old position mapped into ``text`` (``sure`` when the diff says the
    text there is shared by both versions). Exact copies need their context (or the
    mapped position) to be accepted, so a figure is never moved onto another
    occurrence of the same number elsewhere.
    """
    if not exact:
        return None
    n = len(exact)
    hits = [m.start() for m in re.finditer(re.escape(exact), text)]
    if hint is not None and len(hits) > 200:
        hits = sorted(hits, key=lambda p: abs(p - hint))[:200]
    # 1. exact text, told apart by context, then by distance to the mapped position
    best = None
    for pos in hits:
        at_hint = sure and pos == hint
        ctx = _context(text, pos, pos + n, prefix, suffix)
        if not at_hint and ctx < MIN_CONTEXT and (prefix or suffix):
            continue
        # the context is the selector's own evidence; the diff breaks ties between identical copies
        key = (round(ctx + (AT_HINT_BONUS if at_hint else 0.0), 3), -abs(pos - hint) if hint is not None else 0)
        if best is None or key > best[0]:
            best = (key, pos, ctx)
    if best is not None:
        pos = best[1]
        return Placement(pos, pos + n, "exact", max(best[2], 0.75), exact)
    # 2. position: the mapped position still holds the text
    if hint is not None and text[hint : hint + n] == exact:
        return Placement(hint, hint + n, "position", 0.9, exact)
    # 3. fuzzy, weighted by prefix and suffix
    return _fuzzy(text, exact, prefix, suffix, hint)


def _fuzzy(text: str, exact: str, prefix: str, suffix: str, hint: int | None) -> Placement | None:
    n = len(exact)
    cands: list[Placement] = []
    # a) bracket: the prefix and the suffix are both still there, close together
    if len(prefix) >= 8 and len(suffix) >= 8:
        p_probe, s_probe = prefix[-16:], suffix[:16]
        ends = [m.end() for m in re.finditer(re.escape(p_probe), text)]
        starts = [m.start() for m in re.finditer(re.escape(s_probe), text)]
        limit = max(3 * n, n + 40)
        for p in ends:
            k = bisect.bisect_left(starts, p)
            if k < len(starts) and starts[k] - p <= limit:
                s, e = p, starts[k]
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                if s == e:
                    continue
                ctx = _context(text, p, starts[k], prefix, suffix)
                if ctx < 0.75:
                    continue
                core = _ratio(text[s:e], exact)
                score = 0.45 * ctx + 0.55 * max(core, 0.6)
                cands.append(Placement(s, e, "fuzzy", score, text[s:e]))
    # b) windows near where the prefix ends, the suffix starts, and the mapped position
    seeds: set[int] = set()
    for ctx_text, after in ((prefix, True), (suffix, False)):
        if len(ctx_text) < 8:
            continue
        probe = ctx_text[-16:] if after else ctx_text[:16]
        for m in re.finditer(re.escape(probe), text):
            seeds.add(m.end() if after else m.start() - n)
    if hint is not None:
        seeds.add(hint)
    # the few seeds nearest the mapped position (a common phrase can occur many times)
    seeds_list = sorted(seeds, key=lambda c: abs(c - hint) if hint is not None else 0)[:MAX_SEEDS]
    slack = max(2, n // 4)
    for c in seeds_list:
        for s in range(max(0, c - 12), min(len(text), c + 12) + 1):
            for length in range(max(1, n - slack), n + slack + 1):
                e = s + length
                if e > len(text):
                    break
                cand = text[s:e]
                sm = difflib.SequenceMatcher(None, cand, exact, autojunk=False)
                if sm.quick_ratio() < 0.5:
                    continue
                core = sm.ratio()
                if core < 0.5:
                    continue
                ctx = _context(text, s, e, prefix, suffix)
                score = 0.55 * core + 0.45 * ctx - 0.1 * _cuts_word(text, s, e)
                cands.append(Placement(s, e, "fuzzy", score, cand))
    if not cands:
        return None

    def rank(p: Placement):
        return (round(p.score, 3), -abs(p.start - hint) if hint is not None else 0)

    best = max(cands, key=rank)
    return best if best.score >= MIN_FUZZY_SCORE else None


def similarity(a: str, b: str) -> float:
    """Word-shingle Jaccard similarity of two texts (0..1)."""
    return _jaccard(_shingles(a), _shingles(b))


def _shingles(text: str) -> set:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < SHINGLE:
        return {tuple(words)} if words else set()
    return {hash(tuple(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}


def _jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# --------------------------------------------------------------------------- sources


def _uri_attach_supported(conn: sqlite3.Connection) -> bool:
    opts = {r[0] for r in conn.execute("PRAGMA compile_options")}
    return "USE_URI" in opts or "USE_URI=1" in opts


class _Source:
    """One input file, readable under SQL names (an attached schema or staged temp tables)."""

    def __init__(self, path: Path, schema: str | None = None):
        self.path = path
        self.schema = schema  # attached schema name, or None when staged into temp tables
        self.staged: dict[str, str] = {}  # table -> temp table name
        self.columns: dict[str, list[str]] = {}

    def rel(self, table: str) -> str | None:
        if table not in self.columns:
            return None
        if self.schema:
            return f'"{self.schema}"."{table}"'
        return f'temp."{self.staged[table]}"'


_SOURCE_TABLES = ("documents", "document_files", "conflicts", *TABLES)


class _Inputs:
    """Attach every input read-only (staging the ones beyond SQLite's attach limit into temp
    tables), and detach and clean up afterwards."""

    def __init__(self, conn: sqlite3.Connection, paths: list[Path], sidecars: list[Path]):
        self.conn = conn
        self.paths = paths
        self.sources: list[_Source] = []
        self._attached: list[str] = []
        self._temp: list[str] = []
        self._sidecars = sidecars  # -wal/-shm files that did not exist before we read the inputs

    def __enter__(self) -> list[_Source]:
        try:
            self._open()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self.sources

    def _attach(self, path: Path, schema: str) -> None:
        try:
            if _uri_attach_supported(self.conn):
                self.conn.execute("ATTACH DATABASE ? AS " + f'"{schema}"', [path.resolve().as_uri() + "?mode=ro"])
            else:  # no URI filenames in this SQLite: read a snapshot through a read-only connection
                self.conn.execute(f"ATTACH DATABASE ':memory:' AS \"{schema}\"")
                src = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
                try:
                    data = bytearray(src.serialize())
                finally:
                    src.close()
                data[18:20] = b"\x01\x01"  # rollback journal: an in-memory copy cannot be in WAL mode
                self.conn.deserialize(bytes(data), name=schema)
        except sqlite3.Error as exc:
            raise StoreError(f"“{path.name}” cannot be read: {exc}.") from None
        self._attached.append(schema)
        self._recheck(path, schema)

    def _recheck(self, path: Path, schema: str) -> None:
        """The file was inspected; check again what is attached now (it could have been swapped)."""
        from annotator.core.store import APPLICATION_ID

        q = f'"{schema}"'
        app_id = self.conn.execute(f"PRAGMA {q}.application_id").fetchone()[0]
        extra = self.conn.execute(
            f"SELECT type, name FROM {q}.sqlite_master WHERE type IN ('trigger', 'view')"
        ).fetchall()
        if app_id != APPLICATION_ID or extra:
            raise StoreError(f"“{path.name}” changed while it was being merged; nothing was merged.")

    def _columns(self, schema: str, table: str) -> list[str]:
        return [r[1] for r in self.conn.execute(f'PRAGMA "{schema}".table_info("{table}")')]

    def _open(self) -> None:
        used = len(self.conn.execute("PRAGMA database_list").fetchall()) - 2
        free = self.conn.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED) - max(0, used)
        if free < 1:
            raise StoreError("Too many databases are attached to the open file to merge now.")
        # keep one slot for staging when there are more inputs than free slots
        direct = len(self.paths) if len(self.paths) <= free else free - 1
        for i, path in enumerate(self.paths):
            if i < direct:
                schema = f"{_ATTACH_PREFIX}{i}"
                self._attach(path, schema)
                src = _Source(path, schema)
                for t in _SOURCE_TABLES:
                    cols = self._columns(schema, t)
                    if cols:
                        src.columns[t] = cols
            else:
                schema = f"{_ATTACH_PREFIX}stage"
                self._attach(path, schema)
                src = _Source(path)
                try:
                    for t in _SOURCE_TABLES:
                        cols = self._columns(schema, t)
                        if not cols:
                            continue
                        name = f"merge_s{i}_{t}"
                        self.conn.execute(f'DROP TABLE IF EXISTS temp."{name}"')
                        self.conn.execute(f'CREATE TEMP TABLE "{name}" AS SELECT * FROM "{schema}"."{t}"')
                        self._temp.append(name)
                        src.staged[t] = name
                        src.columns[t] = cols
                finally:
                    self.conn.execute(f'DETACH DATABASE "{schema}"')
                    self._attached.remove(schema)
            self.sources.append(src)

    def __exit__(self, *exc) -> None:
        for name in self._temp:
            try:
                self.conn.execute(f'DROP TABLE IF EXISTS temp."{name}"')
            except sqlite3.Error:
                pass
        for schema in self._attached:
            try:
                self.conn.execute(f'DETACH DATABASE "{schema}"')
            except sqlite3.Error:
                pass
        self._attached.clear()
        _remove_sidecars(self._sidecars)


@contextlib.contextmanager
def leave_no_sidecars(paths: Iterable[str | os.PathLike]):
    """Reading a WAL-mode file read-only makes SQLite create empty ``-wal``/``-shm`` files
    beside it; remove the ones this block created (the input folder stays as it was)."""
    sidecars = [Path(str(p) + ext) for p in paths for ext in ("-wal", "-shm") if not Path(str(p) + ext).exists()]
    try:
        yield
    finally:
        _remove_sidecars(sidecars)


def _remove_sidecars(sidecars: list[Path]) -> None:
    """A read-only reader of a WAL file leaves empty -wal/-shm files beside it: remove the
    ones that were not there before (only while the -wal is empty, i.e. nobody wrote)."""
    for side in sidecars:
        wal = Path(str(side)[:-4] + "-wal")
        try:
            if side.exists() and (not wal.exists() or wal.stat().st_size == 0):
                side.unlink()
        except OSError:
            pass


# --------------------------------------------------------------------------- the merge


class _DryRun(Exception):
    pass


def merge_files(
    store: AnnotationStore,
    paths: Iterable[str | os.PathLike],
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    dry_run: bool = False,
) -> MergeReport:
    """Merge the annotation files ``paths`` into the open ``store``, in one transaction.

    ``progress(done, total, message)`` is called between steps; ``cancel()`` returning
    True stops the merge (raises :class:`Cancelled`, nothing is changed). With
    ``dry_run`` everything is computed and rolled back: the report says what a real
    merge would do. Raises :class:`StoreError` (a :class:`UserError`) for an input that
    is refused; the target is then untouched. Listeners of ``store`` hear
    ``(table, "reload", report)`` for each table that changed, after the commit.
    """
    if store.readonly:
        raise StoreError(f"“{store.path.name}” is open read-only: nothing can be merged into it.")
    if store.conn.in_transaction:
        raise RuntimeError("merge_files must not run inside another transaction")
    paths = [Path(p) for p in paths]
    if not paths:
        raise UserError("No file to merge.")
    target_path = None if str(store.path) == ":memory:" else store.path
    sidecars = [Path(str(p) + ext) for p in paths for ext in ("-wal", "-shm") if not Path(str(p) + ext).exists()]
    for p in paths:
        try:
            inspect_file(p)
        except UserError:
            _remove_sidecars(sidecars)
            raise
        if target_path is not None and target_path.exists() and p.exists() and os.path.samefile(p, target_path):
            raise UserError(f"“{p.name}” is the file being merged into; choose another file.")
    report = MergeReport(target=str(store.path), dry_run=dry_run)
    steps = len(paths) * (len(TABLES) + 2)
    done = 0

    def tick(message: str) -> None:
        nonlocal done
        if cancel is not None and cancel():
            raise Cancelled("Merge cancelled; nothing was changed.")
        if progress is not None:
            progress(done, steps, message)
        done += 1

    with _Inputs(store.conn, paths, sidecars) as sources, _bigger_cache(store.conn):
        try:
            with store.transaction():
                merger = _Merger(store, report, tick, cancel)
                for src in sources:
                    merger.merge(src)
                merger.finish()
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    if progress is not None:
        progress(steps, steps, "Done")
    if not dry_run and report.changed:
        emit = getattr(store, "notify", None)
        if emit is not None:
            for table in ("documents", *TABLES, "conflicts"):
                emit(table, "reload", report)
    return report


@contextlib.contextmanager
def _bigger_cache(conn: sqlite3.Connection):
    """A merge inserts many rows at random places in the UUID indexes: give SQLite a page
    cache of :data:`MERGE_CACHE_KIB` for the duration (restored afterwards)."""
    old = conn.execute("PRAGMA main.cache_size").fetchone()[0]
    old_kib = -old if old < 0 else old * (conn.execute("PRAGMA main.page_size").fetchone()[0] // 1024)
    if old_kib < MERGE_CACHE_KIB:
        conn.execute(f"PRAGMA main.cache_size = -{MERGE_CACHE_KIB}")
    try:
        yield
    finally:
        if old_kib < MERGE_CACHE_KIB:
            conn.execute(f"PRAGMA main.cache_size = {old}")


class _Merger:
    def __init__(self, store: AnnotationStore, report: MergeReport, tick, cancel):
        self.store = store
        self.conn = store.conn
        self.report = report
        self.tick = tick
        self.cancel = cancel
        self._shingles: dict[str, set] = {}
        self._texts: dict[str, str] = {}
        self._maps: dict[tuple[str, str], OffsetMap] = {}
        self._doc_titles: dict[str, str] = {}
        self._pages: dict[str, list | None] = {}
        self._new_speakers: dict[str, str] = {}  # speaker id added by this merge -> file it came from

    # -- documents ----------------------------------------------------------------

    def _target_docs(self) -> list[tuple[str, str, str]]:
        return self.conn.execute("SELECT id, sha256, title FROM main.documents").fetchall()

    def _target_text(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            row = self.conn.execute("SELECT text FROM main.documents WHERE id = ?", [doc_id]).fetchone()
            self._texts[doc_id] = (row[0] if row else "") or ""
        return self._texts[doc_id]

    def _merge_documents(self, src: _Source, sr: SourceReport) -> tuple[dict[str, str], dict[str, str]]:
        """Returns (remap src doc id -> target doc id, version docs src id -> target id)."""
        remap: dict[str, str] = {}
        versions: dict[str, str] = {}
        rel = src.rel("documents")
        if rel is None:
            return remap, versions
        cols = src.columns["documents"]
        target_cols = [r[1] for r in self.conn.execute("PRAGMA main.table_info(documents)")]
        for doc_id, sha, title in self.conn.execute(f"SELECT id, sha256, title FROM {rel}").fetchall():
            row = self.conn.execute("SELECT id, title FROM main.documents WHERE sha256 = ?", [sha]).fetchone()
            if row is not None:
                remap[doc_id] = row[0]
                sr.documents.append(
                    DocumentNote(title or "", sha or "", sr.name, "sha256", row[1] or "", sha or "", 1.0)
                )
                continue
            text = self.conn.execute(f"SELECT text FROM {rel} WHERE id = ?", [doc_id]).fetchone()[0] or ""
            best = None
            incoming = _shingles(text)
            for t_id, t_sha, t_title in self._target_docs():
                if t_id not in self._shingles:
                    self._shingles[t_id] = _shingles(self._target_text(t_id))
                sim = _jaccard(incoming, self._shingles[t_id])
                if sim >= SIMILARITY_THRESHOLD and (best is None or sim > best[0]):
                    best = (sim, t_id, t_sha, t_title)
            if best is not None:
                sim, t_id, t_sha, t_title = best
                remap[doc_id] = t_id
                versions[doc_id] = t_id
                self._texts[f"src:{src.path}:{doc_id}"] = text
                sr.documents.append(
                    DocumentNote(title or "", sha or "", sr.name, "text", t_title or "", t_sha or "", round(sim, 3))
                )
                continue
            # a new document: copy it with its bytes (a fresh id if its id is taken)
            new = doc_id
            if self.conn.execute("SELECT 1 FROM main.documents WHERE id = ?", [doc_id]).fetchone():
                new = new_id()
            shared = [c for c in target_cols if c in cols and c != "id"]
            names = ", ".join(f'"{c}"' for c in ["id", *shared])
            sel = ", ".join(["?", *(f'"{c}"' for c in shared)])
            self.conn.execute(
                f"INSERT INTO main.documents ({names}) SELECT {sel} FROM {rel} WHERE id = ?", [new, doc_id]
            )
            frel = src.rel("document_files")
            if frel is not None:
                self.conn.execute(
                    f"INSERT INTO main.document_files (document_id, data) SELECT ?, data FROM {frel} "
                    "WHERE document_id = ?",
                    [new, doc_id],
                )
            remap[doc_id] = new
            sr.added["documents"] += 1
            sr.documents.append(DocumentNote(title or "", sha or "", sr.name, "added"))
        return remap, versions

    # -- records --------------------------------------------------------------------

    def _select_exprs(self, src: _Source, table: str, remap: dict[str, str], params: list) -> list[str]:
        """SQL expressions giving the model's columns from the source (defaults for missing ones,
        document ids mapped onto the target's)."""
        cls = RECORD_TYPES[table]
        have = set(src.columns[table])
        exprs = []
        for f in _FIELDS[table]:
            c = f.name
            if c not in have:
                d = _default(f)
                if c in cls.JSON_FIELDS:
                    d = None if d is None else json.dumps(d)
                elif c in cls.BOOL_FIELDS:
                    d = int(bool(d))
                params.append(d)
                exprs.append("?")
            elif table == "figures" and c == "document_id" and any(k != v for k, v in remap.items()):
                changed = {k: v for k, v in remap.items() if k != v}
                for k, v in changed.items():
                    params.extend([k, v])
                whens = " ".join("WHEN ? THEN ?" for _ in changed)
                exprs.append(f'CASE s."document_id" {whens} ELSE s."document_id" END')
            else:
                exprs.append(f's."{c}"')
        return exprs

    def _valid_clause(self, src: _Source, table: str) -> str:
        cls = RECORD_TYPES[table]
        have = set(src.columns[table])
        parts = ["typeof(s.id) = 'text'", "s.id != ''"]
        if table == "figures":
            parts += [f"typeof(s.\"{c}\") = 'integer'" for c in ("start", "end") if c in have]
        for c in cls.JSON_FIELDS:
            if c in have:
                parts.append(f'(s."{c}" IS NULL OR json_valid(s."{c}"))')
        return " AND ".join(parts)

    def merge(self, src: _Source) -> None:
        sr = SourceReport(str(src.path))
        self.report.sources.append(sr)
        self.tick(f"{src.path.name}: documents")
        remap, versions = self._merge_documents(src, sr)
        # figures of the source on document versions: id -> source document id
        self._version_figs: dict[str, str] = {}
        frel = src.rel("figures")
        if versions and frel is not None:
            marks = ", ".join("?" for _ in versions)
            self._version_figs = dict(
                self.conn.execute(f"SELECT id, document_id FROM {frel} WHERE document_id IN ({marks})", list(versions))
            )
        new_speakers: set[str] = set()
        srel = src.rel("speakers")
        if srel is not None:
            new_speakers = {
                r[0]
                for r in self.conn.execute(
                    f"SELECT s.id FROM {srel} s WHERE NOT EXISTS (SELECT 1 FROM main.speakers t WHERE t.id = s.id)"
                )
            }
        for table in TABLES:
            self.tick(f"{src.path.name}: {table}")
            if src.rel(table) is not None:
                self._merge_table(src, sr, table, remap, versions)
        self.tick(f"{src.path.name}: conflicts")
        self._merge_conflicts(src)
        for sid in new_speakers:
            self._new_speakers.setdefault(sid, src.path.name)

    def _merge_table(self, src, sr: SourceReport, table: str, remap, versions) -> None:
        cls = RECORD_TYPES[table]
        rel = src.rel(table)
        names = cls.field_names()
        cols = ", ".join(f'"{c}"' for c in names)
        valid = self._valid_clause(src, table)
        total, ok = self.conn.execute(f"SELECT count(*), coalesce(sum({valid}), 0) FROM {rel} s").fetchone()
        if total != ok:
            sr.invalid[table] += total - ok
        else:
            valid = "1"  # every row reads: no need to check them again below
        # rows that need Python: annotations on another version of a document
        python_where = ""
        python_params: list = []
        if table == "figures" and self._version_figs:
            marks = ", ".join("?" for _ in versions)
            python_where = f'coalesce(s."document_id", \'\') IN ({marks})'
            python_params = list(versions)
        elif table == "attributions" and self._version_figs:
            python_where = "s.figure_id IN (SELECT value FROM json_each(?))"
            python_params = [json.dumps(list(self._version_figs))]
        # 1. new ids: one INSERT … SELECT
        params: list = []
        exprs = self._select_exprs(src, table, remap, params)
        where = valid
        if python_where:
            where += f" AND NOT ({python_where})"
            params += python_params
        # rows whose id is already here are left alone by DO NOTHING and looked at just below
        cur = self.conn.execute(
            f"INSERT INTO main.{table} ({cols}) SELECT {', '.join(exprs)} FROM {rel} s WHERE {where} "
            "ON CONFLICT(id) DO NOTHING",
            params,
        )
        inserted = max(cur.rowcount, 0)
        sr.added[table] += inserted
        # 2. rows on both sides with another revision, and the rows needing re-anchoring, with the
        #    local row alongside; rows whose revision is already in the local history ("kept") are
        #    only counted
        skip_new = ok == inserted and not python_where  # every valid row was new: nothing else to look at
        rows = []
        if not skip_new:
            params = []
            exprs = self._select_exprs(src, table, remap, params)
            local_cols = [f't."{c}"' for c in names]
            kept = (
                "(t.id IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(t.prev_revs) "
                "THEN t.prev_revs ELSE '[]' END) j WHERE j.value = s.rev))"
            )
            cond = "(t.id IS NOT NULL AND t.rev IS NOT s.rev)"
            if python_where:
                cond = f"({cond} OR {python_where})"
                params += python_params
            sql = (
                f"SELECT {kept}, {', '.join(exprs)}, {', '.join(local_cols)} FROM {rel} s "
                f"LEFT JOIN main.{table} t ON t.id = s.id WHERE {cond} AND {valid}"
            )
            rows = self.conn.execute(sql, params).fetchall()
        n = len(names)
        for i, row in enumerate(rows):
            if i % 500 == 499 and self.cancel is not None and self.cancel():
                raise Cancelled("Merge cancelled; nothing was changed.")
            if row[0]:
                sr.kept_local[table] += 1  # the local revision descends from the incoming one
                continue
            try:
                incoming = _decode(cls, names, row[1 : n + 1])
                local = _decode(cls, names, row[n + 1 :]) if row[n + 1] is not None else None
            except (ValueError, TypeError):
                sr.invalid[table] += 1
                continue
            self._merge_record(src, sr, cls, incoming, local, versions)
        # every other valid row is already here with the same revision
        sr.unchanged[table] += ok - inserted - len(rows)

    def _reanchor(self, src: _Source, sr: SourceReport, rec: Record, src_doc: str, target_doc: str) -> Record:
        old_text = self._texts[f"src:{src.path}:{src_doc}"]
        new_text = self._target_text(target_doc)
        key = (f"{src.path}:{src_doc}", target_doc)
        if key not in self._maps:
            self._maps[key] = OffsetMap(old_text, new_text)
        omap = self._maps[key]
        title = self._doc_title(target_doc)
        if isinstance(rec, Figure):
            hint, sure = omap.map(rec.start)
            p = place_quote(new_text, rec.exact, rec.prefix, rec.suffix, hint, sure)
            flags = [f for f in rec.flags if f not in ("orphan", "figure_changed")]
            if p is None:
                self.report.reanchored["orphan"] += 1
                at = max(0, min(hint, len(new_text)))
                self.report.orphans.append(AnchorNote("figures", rec.id, rec.exact, "", title, sr.name, "orphan"))
                return rec.replace(document_id=target_doc, start=at, end=at, page=self._page(target_doc, at),
                                   quads=None, flags=[*flags, "orphan"])
            self.report.reanchored[p.method] += 1
            if digits_of(p.text) != digits_of(rec.exact):
                flags.append("figure_changed")
                self.report.figure_changed.append(
                    AnchorNote("figures", rec.id, rec.exact, p.text, title, sr.name, p.method)
                )
            if (p.start, p.end) == (rec.start, rec.end) and p.text == rec.exact and old_text == new_text:
                return rec.replace(document_id=target_doc, flags=flags)
            return rec.replace(
                document_id=target_doc, start=p.start, end=p.end, exact=p.text,
                prefix=new_text[max(0, p.start - CONTEXT) : p.start], suffix=new_text[p.end : p.end + CONTEXT],
                page=self._page(target_doc, p.start), quads=None, flags=flags,
            )
        if isinstance(rec, Attribution) and rec.evidence_exact:
            hint, sure = omap.map(rec.evidence_start or 0)
            p = place_quote(new_text, rec.evidence_exact, rec.evidence_prefix, rec.evidence_suffix, hint, sure)
            if p is None:
                self.report.evidence_orphans.append(
                    AnchorNote("attributions", rec.id, rec.evidence_exact, "", title, sr.name, "orphan")
                )
                return rec.replace(evidence_start=None, evidence_end=None, evidence_page=None, evidence_quads=None)
            return rec.replace(
                evidence_start=p.start, evidence_end=p.end, evidence_exact=p.text,
                evidence_prefix=new_text[max(0, p.start - CONTEXT) : p.start],
                evidence_suffix=new_text[p.end : p.end + CONTEXT],
                evidence_page=self._page(target_doc, p.start), evidence_quads=None,
            )
        return rec

    def _doc_title(self, doc_id: str) -> str:
        if doc_id not in self._doc_titles:
            row = self.conn.execute("SELECT title FROM main.documents WHERE id = ?", [doc_id]).fetchone()
            self._doc_titles[doc_id] = (row[0] if row else "") or ""
        return self._doc_titles[doc_id]

    def _page(self, doc_id: str, offset: int) -> int | None:
        if doc_id not in self._pages:
            row = self.conn.execute("SELECT pages FROM main.documents WHERE id = ?", [doc_id]).fetchone()
            self._pages[doc_id] = json.loads(row[0]) if row and row[0] else None
        pages = self._pages[doc_id]
        if not pages:
            return None
        for p in pages:
            if p["start"] <= offset <= p["end"]:
                return p["number"]
        return pages[-1]["number"] if pages else None

    def _merge_record(self, src, sr: SourceReport, cls, incoming: Record, local: Record | None, versions) -> None:
        table = cls.TABLE
        if local is not None and local.rev == incoming.rev:
            sr.unchanged[table] += 1
            return
        # annotations made on another version of the document: re-anchor onto ours
        if isinstance(incoming, Figure) and incoming.id in self._version_figs:
            src_doc = self._version_figs[incoming.id]
            incoming = self._reanchor(src, sr, incoming, src_doc, versions[src_doc])
        elif isinstance(incoming, Attribution) and incoming.figure_id in self._version_figs:
            src_doc = self._version_figs[incoming.figure_id]
            incoming = self._reanchor(src, sr, incoming, src_doc, versions[src_doc])
        if local is None:
            _write(self.conn, incoming)
            sr.added[table] += 1
            return
        if local.rev in incoming.prev_revs:
            _write(self.conn, incoming)
            sr.updated[table] += 1
            self._close_settled(incoming)
            return
        if incoming.rev in local.prev_revs:
            sr.kept_local[table] += 1
            return
        if local.content() == incoming.content():
            # the same edit on both sides: take the incoming revision id (so the sender's later
            # edits fast-forward here) and remember both histories (so ours do there)
            rev = incoming.rev
            merged = local.replace(
                rev=rev,
                prev_revs=_joined_history(local, incoming, keep=rev),
                updated=max(local.updated or "", incoming.updated or ""),
            )
            _write(self.conn, merged)
            self.report.harmonised += 1
            sr.unchanged[table] += 1
            return
        self._conflict(sr, local, incoming)

    def _conflict(self, sr: SourceReport, local: Record, incoming: Record) -> None:
        table = local.TABLE
        source = str(sr.path)
        existing = self.conn.execute(
            "SELECT id, json_extract(incoming, '$.rev') FROM main.conflicts "
            "WHERE table_name = ? AND record_id = ? AND resolved = 0",
            [table, local.id],
        ).fetchall()
        for cid, rev in existing:
            if rev == incoming.rev:
                sr.unchanged[table] += 1  # the same conflict is already waiting for the reviewer
                return
        for cid, rev in existing:
            if rev in incoming.prev_revs:  # an older incoming revision: this one replaces it
                self.conn.execute(
                    "UPDATE main.conflicts SET resolved = 1, resolution = 'superseded' WHERE id = ?", [cid]
                )
        cid = new_id()
        self.conn.execute(
            "INSERT INTO main.conflicts (id, table_name, record_id, local, incoming, source, created, resolved, "
            "resolution) VALUES (?, ?, ?, ?, ?, ?, ?, 0, '')",
            [cid, table, local.id, record_json(local), record_json(incoming), source, now()],
        )
        sr.conflicts[table] += 1
        self.report.conflicts.append(
            ConflictNote(cid, table, local.id, record_label(local), differing_fields(local, incoming), sr.name)
        )

    def _close_settled(self, rec: Record) -> None:
        """Open conflicts on ``rec`` whose two sides are both in its history were settled elsewhere."""
        history = set(rec.prev_revs)
        for cid, a, b in self.conn.execute(
            "SELECT id, json_extract(local, '$.rev'), json_extract(incoming, '$.rev') FROM main.conflicts "
            "WHERE table_name = ? AND record_id = ? AND resolved = 0",
            [rec.TABLE, rec.id],
        ).fetchall():
            if a in history and b in history:
                self.conn.execute(
                    "UPDATE main.conflicts SET resolved = 1, resolution = 'superseded' WHERE id = ?", [cid]
                )

    def _merge_conflicts(self, src: _Source) -> None:
        """Carry over the inputs' open conflicts (and resolutions of ones we hold)."""
        rel = src.rel("conflicts")
        if rel is None:
            return
        have = set(src.columns["conflicts"])
        need = ["id", "table_name", "record_id", "local", "incoming", "source", "created", "resolved", "resolution"]
        if not set(need) <= have:
            return
        cols = ", ".join(need)
        cur = self.conn.execute(
            f"INSERT INTO main.conflicts ({cols}) SELECT {cols} FROM {rel} s WHERE s.resolved = 0 "
            "AND s.table_name IN ('speakers', 'figures', 'attributions', 'comments', 'relations') "
            "AND json_valid(s.local) AND json_valid(s.incoming) "
            "AND NOT EXISTS (SELECT 1 FROM main.conflicts t WHERE t.id = s.id)"
        )
        self.report.imported_conflicts += max(cur.rowcount, 0)
        self.conn.execute(
            f"UPDATE main.conflicts SET resolved = 1, resolution = (SELECT s.resolution FROM {rel} s "
            "WHERE s.id = main.conflicts.id) "
            f"WHERE resolved = 0 AND id IN (SELECT id FROM {rel} WHERE resolved = 1)"
        )

    def finish(self) -> None:
        """After every input: drop conflicts a later input settled (its record's history holds
        both sides), and list speakers that may be one person (one proposal per group)."""
        still_open = []
        for note in self.report.conflicts:
            row = self.conn.execute("SELECT resolved FROM main.conflicts WHERE id = ?", [note.conflict_id]).fetchone()
            if row and row[0]:
                self.report.settled += 1
                for sr in self.report.sources:
                    if sr.name == note.source and sr.conflicts[note.table]:
                        sr.conflicts[note.table] -= 1
                        break
            else:
                still_open.append(note)
        self.report.conflicts = still_open
        if not self._new_speakers:
            return
        for group in speaker_merge_proposals(self.store):
            sources = sorted({self._new_speakers[sp.id] for sp in group if sp.id in self._new_speakers})
            if not sources:
                continue
            self.report.speaker_proposals.append(
                SpeakerProposal(
                    names=_shared_names(group),
                    speakers=[
                        {"id": sp.id, "name": sp.name, "aliases": list(sp.aliases), "author": sp.author}
                        for sp in group
                    ],
                    source=", ".join(sources),
                )
            )


# --------------------------------------------------------------------------- speakers


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def speaker_merge_proposals(store: AnnotationStore) -> list[list[Speaker]]:
    """Groups of live speakers (different UUIDs) sharing a name or an alias, ignoring case
    and spacing: candidates for :meth:`AnnotationStore.merge_speakers`. Nothing is merged here."""
    speakers = [s for s in store.records(Speaker, "merged_into IS NULL") if not s.deleted]
    parent = {s.id: s.id for s in speakers}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_name: dict[str, str] = {}
    for sp in speakers:
        for n in sp.all_names():
            k = _name_key(n)
            if not k:
                continue
            if k in by_name:
                parent[find(sp.id)] = find(by_name[k])
            else:
                by_name[k] = sp.id
    groups: dict[str, list[Speaker]] = {}
    for sp in speakers:
        groups.setdefault(find(sp.id), []).append(sp)
    return [sorted(g, key=lambda s: (s.created, s.id)) for g in groups.values() if len(g) > 1]


def _shared_names(group: list[Speaker]) -> list[str]:
    counts: Counter = Counter()
    shown: dict[str, str] = {}
    for sp in group:
        for n in {_name_key(x): x for x in sp.all_names() if x.strip()}.items():
            counts[n[0]] += 1
            shown.setdefault(n[0], n[1])
    return [shown[k] for k, c in counts.items() if c > 1]


# --------------------------------------------------------------------------- conflicts


@dataclass
class Conflict:
    """A conflict waiting for (or resolved by) the reviewer."""

    id: str
    table: str
    record_id: str
    local: Record  # the record as it was here when the conflict was found
    incoming: Record  # the record in the merged file
    source: str
    created: str
    resolved: bool
    resolution: str  # "" | "local" | "incoming" | "edited" | "superseded"

    @property
    def fields(self) -> list[str]:
        return differing_fields(self.local, self.incoming)

    @property
    def label(self) -> str:
        return record_label(self.local)


def list_conflicts(
    store: AnnotationStore, include_resolved: bool = False, record_id: str | None = None
) -> list[Conflict]:
    """The conflicts in ``store`` (open ones only unless ``include_resolved``), oldest first."""
    sql = "SELECT id, table_name, record_id, local, incoming, source, created, resolved, resolution FROM conflicts"
    clauses, params = [], []
    if not include_resolved:
        clauses.append("resolved = 0")
    if record_id is not None:
        clauses.append("record_id = ?")
        params.append(record_id)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    out = []
    for cid, table, rid, local, incoming, source, created, resolved, resolution in store.conn.execute(
        sql + " ORDER BY created, rowid", params
    ):
        cls = RECORD_TYPES.get(table)
        if cls is None:
            continue
        out.append(
            Conflict(cid, table, rid, record_from_json(cls, local), record_from_json(cls, incoming), source or "",
                     created or "", bool(resolved), resolution or "")
        )
    return out


RESOLUTIONS = ("local", "incoming", "edited")


def resolve_conflict(store: AnnotationStore, conflict_id: str, choice: str, edited: dict | None = None) -> Record:
    """Settle a conflict: keep the record as it is here (``"local"``), take the incoming
    version (``"incoming"``), or apply ``edited`` (content fields → values) on top of the
    current record (``"edited"``).

    The result is a new revision whose history holds both sides, so merging the same
    files again does not bring the conflict back. Returns the record as now stored.
    """
    if choice not in RESOLUTIONS:
        raise ValueError(f"choice must be one of {RESOLUTIONS}, not {choice!r}")
    rows = [c for c in list_conflicts(store, include_resolved=True) if c.id == conflict_id]
    if not rows:
        raise KeyError(conflict_id)
    c = rows[0]
    if c.resolved:
        raise UserError("This conflict has already been resolved.")
    cls = RECORD_TYPES[c.table]
    current = store.get(cls, c.record_id) or c.local
    if choice == "local":
        content = current.content()
    elif choice == "incoming":
        content = c.incoming.content()
    else:
        if not edited:
            raise ValueError("an edited resolution needs the edited values")
        content = current.content()
        bad = set(edited) - set(content)
        if bad:
            raise ValueError(f"cannot edit {sorted(bad)} on {c.table}")
        content.update(edited)
    rev = new_id()
    result = current.replace(
        **content,
        rev=rev,
        prev_revs=_joined_history(c.local, c.incoming, current, keep=rev),
        updated=now(),
    )
    with store.transaction():
        store.conn.execute(
            "UPDATE conflicts SET resolved = 1, resolution = ? WHERE id = ?", [choice, conflict_id]
        )
        store.put_raw(result)
    return result


def reopen_conflict(store: AnnotationStore, conflict_id: str, previous: Record) -> None:
    """Undo :func:`resolve_conflict`: put ``previous`` (the record as it was before, from
    ``store.get`` taken by the caller) back and mark the conflict open again."""
    with store.transaction():
        store.conn.execute("UPDATE conflicts SET resolved = 0, resolution = '' WHERE id = ?", [conflict_id])
        store.put_raw(previous)


__all__ = [
    "AnchorNote",
    "Conflict",
    "ConflictNote",
    "DocumentNote",
    "MergeReport",
    "OffsetMap",
    "SourceReport",
    "SpeakerProposal",
    "list_conflicts",
    "merge_files",
    "place_quote",
    "reopen_conflict",
    "resolve_conflict",
    "similarity",
    "speaker_merge_proposals",
]
