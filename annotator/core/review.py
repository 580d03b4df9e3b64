"""Review mode: review status, comment threads, filters and summaries.

The reviewer's status of a figure (accepted, disputed, needs source) is kept apart
from the checker's verdict, with the reviewer's name and the time. Comments form
threads: a reply points at the comment it answers (``parent_id``). Every change is
an ordinary store edit (a new revision), so it travels through merges like any other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from annotator.core.errors import UserError
from annotator.core.model import REVIEW_STATUSES, VERDICTS, Comment, Figure, Speaker, now
from annotator.core.store import AnnotationStore

#: how each review status reads for people ("" = not reviewed yet)
REVIEW_LABELS = {
    "": "not reviewed",
    "accepted": "accepted",
    "disputed": "disputed",
    "needs_source": "needs source",
}
#: key used for "" in summaries and JSON
UNREVIEWED = "unreviewed"


def _status_key(status: str) -> str:
    return status or UNREVIEWED


# --------------------------------------------------------------------------- review status


def set_review_status(store: AnnotationStore, figure_id: str, status: str, reviewer: str = "",
                      when: str | None = None) -> dict:
    """Give a figure a review status, with the reviewer's name and the time.

    ``status=""`` clears the review. Returns the previous values (for undo: pass them
    to ``store.update(Figure, figure_id, **previous)``).
    """
    if status not in REVIEW_STATUSES:
        raise ValueError(f"review status must be one of {REVIEW_STATUSES}, not {status!r}")
    if store.get(Figure, figure_id) is None:
        raise KeyError(figure_id)
    reviewer = (reviewer or store.author or "").strip()
    if status and not reviewer:
        raise UserError("Enter your name before reviewing: a review status records who gave it.")
    if status:
        changes = {"review_status": status, "reviewer": reviewer, "reviewed_at": when or now()}
    else:
        changes = {"review_status": "", "reviewer": "", "reviewed_at": ""}
    return store.update(Figure, figure_id, **changes)


def clear_flag(store: AnnotationStore, figure_id: str, flag: str) -> dict:
    """Remove a merge flag ("figure_changed", "orphan") once the reviewer has looked at it.
    Returns the previous values (for undo)."""
    fig = store.get(Figure, figure_id)
    if fig is None:
        raise KeyError(figure_id)
    return store.update(Figure, figure_id, flags=[f for f in fig.flags if f != flag])


def place_figure(store: AnnotationStore, figure_id: str, start: int, end: int) -> dict:
    """Put a figure (typically an orphan) on the text ``start:end`` of its document: offsets,
    quote selector and flags are updated together. Returns the previous values (for undo)."""
    from annotator.core.anchors import quote_selector

    fig = store.get(Figure, figure_id)
    if fig is None:
        raise KeyError(figure_id)
    text = store.document_text(fig.document_id)
    if not (0 <= start < end <= len(text)):
        raise UserError("Select the text of the figure first.")
    q = quote_selector(text, start, end)
    doc = store.document(fig.document_id)
    return store.update(
        Figure, figure_id, start=start, end=end, exact=q.exact, prefix=q.prefix, suffix=q.suffix,
        page=doc.page_of(start), quads=None, flags=[f for f in fig.flags if f != "orphan"],
    )


# --------------------------------------------------------------------------- comments


def add_comment(store: AnnotationStore, figure_id: str, body: str, author: str | None = None,
                parent_id: str | None = None) -> Comment:
    """Add a comment on a figure, or a reply to ``parent_id`` (a comment on the same figure)."""
    body = (body or "").strip()
    if not body:
        raise UserError("A comment cannot be empty.")
    if store.get(Figure, figure_id) is None:
        raise KeyError(figure_id)
    if parent_id is not None:
        parent = store.get(Comment, parent_id)
        if parent is None:
            raise KeyError(parent_id)
        if parent.figure_id != figure_id:
            raise ValueError("a reply must be on the same figure as the comment it answers")
    rec = Comment(figure_id=figure_id, parent_id=parent_id, body=body, author=author or store.author)
    return store.add(rec)


def edit_comment(store: AnnotationStore, comment_id: str, body: str) -> dict:
    body = (body or "").strip()
    if not body:
        raise UserError("A comment cannot be empty; delete it instead.")
    return store.update(Comment, comment_id, body=body)


def delete_comment(store: AnnotationStore, comment_id: str) -> None:
    """Tombstone a comment; its replies stay (the thread shows it as deleted)."""
    store.delete(Comment, comment_id)


@dataclass
class Thread:
    """A comment and its replies (oldest first). A deleted comment that still has live
    replies stays in the tree with ``deleted=True`` so the replies keep their context."""

    comment: Comment
    replies: list["Thread"] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        return self.comment.deleted

    def walk(self, depth: int = 0):
        """(depth, comment) pairs in reading order."""
        yield depth, self.comment
        for r in self.replies:
            yield from r.walk(depth + 1)


def comment_threads(store: AnnotationStore, figure_id: str) -> list[Thread]:
    """The comment threads on a figure, oldest first."""
    comments = store.records(Comment, "figure_id = ?", [figure_id], include_deleted=True, order="created, rowid")
    nodes = {c.id: Thread(c) for c in comments}
    roots: list[Thread] = []
    for c in comments:
        node = nodes[c.id]
        parent = nodes.get(c.parent_id) if c.parent_id else None
        if parent is None or parent is node:
            roots.append(node)  # a reply whose parent is missing (not merged yet) shows at the top
        else:
            parent.replies.append(node)

    def prune(ts: list[Thread]) -> list[Thread]:
        out = []
        for t in ts:
            t.replies = prune(t.replies)
            if not t.deleted or t.replies:
                out.append(t)
        return out

    return prune(roots)


# --------------------------------------------------------------------------- filters


def _canonical_speakers(store: AnnotationStore) -> dict[str, Speaker]:
    """speaker id -> the live speaker it now stands for (following merges)."""
    all_sp = {s.id: s for s in store.records(Speaker, include_deleted=True)}
    out = {}
    for sid, sp in all_sp.items():
        seen = set()
        cur = sp
        while cur.merged_into and cur.merged_into in all_sp and cur.id not in seen:
            seen.add(cur.id)
            cur = all_sp[cur.merged_into]
        out[sid] = cur
    return out


def figure_speakers(store: AnnotationStore, document_id: str | None = None) -> dict[str, list[Speaker]]:
    """figure id -> the speakers it is attributed to (live attributions, merged speakers followed)."""
    canon = _canonical_speakers(store)
    out: dict[str, list[Speaker]] = {}
    sql = (
        "SELECT a.figure_id, a.speaker_id FROM attributions a JOIN figures f ON f.id = a.figure_id "
        "WHERE a.deleted = 0 AND a.status = 'confirmed'"
    )
    params: list = []
    if document_id is not None:
        sql += " AND f.document_id = ?"
        params.append(document_id)
    for fid, sid in store.conn.execute(sql + " ORDER BY a.rowid", params):
        sp = canon.get(sid)
        if sp is None or sp.deleted:
            continue
        lst = out.setdefault(fid, [])
        if all(s.id != sp.id for s in lst):
            lst.append(sp)
    return out


def filter_figures(
    store: AnnotationStore,
    document_id: str | None = None,
    authors: list[str] | None = None,
    review_statuses: list[str] | None = None,
    verdicts: list[str] | None = None,
    speaker_ids: list[str] | None = None,
    flags: list[str] | None = None,
) -> list[Figure]:
    """Confirmed, live figures matching every given filter (None = no filter on that).

    ``review_statuses`` may contain "" for figures not reviewed yet; ``speaker_ids``
    matches figures attributed to any of those speakers (merged speakers followed);
    ``flags`` matches figures carrying any of those flags ("orphan", "figure_changed").
    """
    figs = store.figures(document_id)
    if authors is not None:
        wanted = set(authors)
        figs = [f for f in figs if f.author in wanted]
    if review_statuses is not None:
        wanted = set(review_statuses)
        figs = [f for f in figs if f.review_status in wanted]
    if verdicts is not None:
        wanted = set(verdicts)
        figs = [f for f in figs if f.verdict in wanted]
    if flags is not None:
        wanted = set(flags)
        figs = [f for f in figs if wanted & set(f.flags)]
    if speaker_ids is not None:
        canon = _canonical_speakers(store)
        wanted = {canon[s].id if s in canon else s for s in speaker_ids}
        by_fig = figure_speakers(store, document_id)
        figs = [f for f in figs if wanted & {s.id for s in by_fig.get(f.id, [])}]
    return figs


# --------------------------------------------------------------------------- summaries


def summary(store: AnnotationStore, document_id: str | None = None) -> dict:
    """Counts of the confirmed, live figures by review status, verdict, author and speaker.

    Shape::

        {"figures": 12,
         "by_review_status": {"unreviewed": 7, "accepted": 3, "disputed": 1, "needs_source": 1},
         "by_verdict": {"unchecked": 4, "accurate": 6, ...},
         "by_author": {"alice": {"figures": 8, "by_review_status": {...}}, ...},
         "by_speaker": [{"speaker_id": "...", "name": "MEK", "figures": 3, "by_review_status": {...}}, ...,
                        {"speaker_id": None, "name": "(no speaker)", ...}],
         "flags": {"orphan": 1, "figure_changed": 0},
         "open_conflicts": 2}
    """
    figs = store.figures(document_id)
    statuses = [_status_key(s) for s in REVIEW_STATUSES]

    def empty() -> dict:
        return {s: 0 for s in statuses}

    by_status = empty()
    by_verdict = {v: 0 for v in VERDICTS}
    by_author: dict[str, dict] = {}
    flags: Counter = Counter({"orphan": 0, "figure_changed": 0})
    speakers = figure_speakers(store, document_id)
    by_speaker: dict[str | None, dict] = {}
    for f in figs:
        key = _status_key(f.review_status)
        by_status[key] = by_status.get(key, 0) + 1
        by_verdict[f.verdict] = by_verdict.get(f.verdict, 0) + 1
        a = by_author.setdefault(f.author, {"figures": 0, "by_review_status": empty()})
        a["figures"] += 1
        a["by_review_status"][key] = a["by_review_status"].get(key, 0) + 1
        flags.update(f.flags)
        sps = speakers.get(f.id) or [None]
        for sp in sps:
            sid = sp.id if sp else None
            entry = by_speaker.setdefault(
                sid,
                {"speaker_id": sid, "name": sp.name if sp else "(no speaker)", "figures": 0,
                 "by_review_status": empty()},
            )
            entry["figures"] += 1
            entry["by_review_status"][key] = entry["by_review_status"].get(key, 0) + 1
    open_conflicts = store.conn.execute("SELECT count(*) FROM conflicts WHERE resolved = 0").fetchone()[0]
    return {
        "figures": len(figs),
        "by_review_status": by_status,
        "by_verdict": by_verdict,
        "by_author": dict(sorted(by_author.items())),
        "by_speaker": sorted(
            by_speaker.values(), key=lambda e: (e["speaker_id"] is None, -e["figures"], e["name"].casefold())
        ),
        "flags": dict(flags),
        "open_conflicts": open_conflicts,
    }


def describe_file(store: AnnotationStore) -> dict:
    """What an annotation file holds (the ``annotator info --json`` output).

    Shape::

        {"file": "work.annot", "schema_version": 1, "file_id": "...", "created": "...",
         "created_with": "annotator 0.1.0",
         "documents": [{"id", "title", "sha256", "kind", "source_name", "url", "date",
                        "text_length", "pages", "figures"}],
         "counts": {"documents", "figures", "speakers", "attributions", "comments", "relations", "conflicts"},
         "deleted": {"figures", "speakers", "attributions", "comments", "relations"},
         "authors": ["alice", "bob"],
         "review": {"unreviewed": n, "accepted": n, "disputed": n, "needs_source": n}}

    Counts are of live records (tombstones are under "deleted"); figures and
    attributions count confirmed ones only, speakers leave out those merged into another.
    """
    conn = store.conn
    per_doc = dict(
        conn.execute(
            "SELECT document_id, count(*) FROM figures WHERE deleted = 0 AND status = 'confirmed' GROUP BY document_id"
        ).fetchall()
    )
    docs = []
    for d in store.documents():
        docs.append(
            {
                "id": d.id,
                "title": d.title,
                "sha256": d.sha256,
                "kind": d.kind,
                "source_name": d.source_name,
                "url": d.url,
                "date": d.date,
                "text_length": d.text_length,
                "pages": len(d.pages) if d.pages else None,
                "figures": per_doc.get(d.id, 0),
            }
        )
    counts = store.counts()
    deleted = {
        t: conn.execute(f"SELECT count(*) FROM {t} WHERE deleted = 1").fetchone()[0]
        for t in ("figures", "speakers", "attributions", "comments", "relations")
    }
    review = {_status_key(s): 0 for s in REVIEW_STATUSES}
    for status, n in conn.execute(
        "SELECT review_status, count(*) FROM figures WHERE deleted = 0 AND status = 'confirmed' GROUP BY review_status"
    ):
        review[_status_key(status or "")] = review.get(_status_key(status or ""), 0) + n
    return {
        "file": store.path.name,
        "schema_version": store.schema_version,
        "file_id": store.info("file_id"),
        "created": store.info("created"),
        "created_with": store.info("created_with"),
        "documents": docs,
        "counts": {
            "documents": counts.get("documents", len(docs)),
            "figures": counts.get("figures", 0),
            "speakers": counts.get("speakers", 0),
            "attributions": counts.get("attributions", 0),
            "comments": counts.get("comments", 0),
            "relations": counts.get("relations", 0),
            "conflicts": counts.get("conflicts", 0),
        },
        "deleted": deleted,
        "authors": store.authors(),
        "review": review,
    }


__all__ = [
    "REVIEW_LABELS",
    "Thread",
    "add_comment",
    "clear_flag",
    "place_figure",
    "comment_threads",
    "delete_comment",
    "describe_file",
    "edit_comment",
    "figure_speakers",
    "filter_figures",
    "set_review_status",
    "summary",
]
