"""Helpers shared by the merge, review and agreement tests (not a test module)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

from annotator.core.anchors import quote_selector
from annotator.core.model import Attribution, Figure, Speaker
from annotator.core.store import AnnotationStore


def text_document(text: str, name: str = "article.txt"):
    """A document for ``text`` through the real loader when it is there, else a stand-in."""
    try:
        from annotator.core.documents import load_bytes
    except ImportError:  # the loader is written in parallel; the merge does not depend on it
        load_bytes = None
    if load_bytes is not None:
        return load_bytes(text.encode("utf-8"), name)
    data = text.encode("utf-8")
    return SimpleNamespace(kind="text", text=text, sha256=hashlib.sha256(data).hexdigest(), data=data,
                           source_name=name, title=Path(name).stem, metadata={}, pages=None,
                           paragraphs=[(0, len(text))])


def locate(text: str, needle: str, nth: int = 0, after: int = 0) -> int:
    pos = after - 1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return pos


def mark(store: AnnotationStore, doc_id: str, needle: str, nth: int = 0, after: int = 0, **fields) -> Figure:
    """Mark the ``nth`` occurrence of ``needle`` (at or after ``after``) as a figure."""
    text = store.document_text(doc_id)
    start = locate(text, needle, nth, after)
    q = quote_selector(text, start, start + len(needle))
    return store.add(Figure(document_id=doc_id, start=start, end=start + len(needle), exact=q.exact,
                            prefix=q.prefix, suffix=q.suffix, **fields))


def attribute(store: AnnotationStore, fig: Figure, speaker: Speaker, role: str = "states",
              evidence: str | None = None) -> Attribution:
    fields = {}
    if evidence:
        text = store.document_text(fig.document_id)
        s = text.index(evidence)
        q = quote_selector(text, s, s + len(evidence))
        fields = dict(evidence_start=s, evidence_end=s + len(evidence), evidence_exact=q.exact,
                      evidence_prefix=q.prefix, evidence_suffix=q.suffix)
    return store.add(Attribution(figure_id=fig.id, speaker_id=speaker.id, role=role, **fields))


def new_file(path: Path, author: str, text: str, name: str = "article.txt") -> tuple[AnnotationStore, str]:
    store = AnnotationStore.open(path, author=author)
    return store, store.add_document(text_document(text, name))


def copy_file(src: Path, dst: Path) -> None:
    """What a colleague receives: the closed file, copied."""
    shutil.copy(src, dst)


def dump(path_or_store) -> dict:
    """Every row of every table (order-independent), to compare files by content."""
    if isinstance(path_or_store, AnnotationStore):
        conn, close = path_or_store.conn, False
    else:
        conn = sqlite3.connect(f"{Path(path_or_store).resolve().as_uri()}?mode=ro", uri=True)
        close = True
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM main."{t}"'))) for t in tables}
    finally:
        if close:
            conn.close()
