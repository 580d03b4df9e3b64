"""Helpers for the number-check and provenance tests: real documents in a memory store,
figures marked by hand at the offsets where their text occurs."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

from annotator.core.anchors import quote_selector
from annotator.core.model import Attribution, Figure, Relation, Speaker
from annotator.core.store import AnnotationStore


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def load(path: Path):
    """The document as the app loads it (the project's loader when present)."""
    try:
        from annotator.core.documents import load_document
    except ImportError:  # pragma: no cover - before the loader existed
        load_document = None
    if load_document is not None:
        return load_document(path)
    data = path.read_bytes()  # pragma: no cover
    if path.suffix in (".html", ".htm"):  # pragma: no cover
        import trafilatura

        text = trafilatura.extract(data.decode("utf-8", "replace")) or ""
    else:  # pragma: no cover
        text = data.decode("utf-8")
    return text_document(text, path.name, data=data)  # pragma: no cover


def text_document(text: str, name: str, metadata: dict | None = None, data: bytes | None = None):
    data = data if data is not None else text.encode("utf-8")
    return SimpleNamespace(
        kind="text", text=text, sha256=hashlib.sha256(data).hexdigest(), data=data, source_name=name,
        title=name, metadata=metadata or {}, pages=None, paragraphs=_paragraphs(text),
    )


def with_date(doc, date: str):
    """The same document with a publication date in its metadata (what the loader or the user sets)."""
    meta = dict(getattr(doc, "metadata", {}) or {})
    meta["date"] = date
    if isinstance(doc, SimpleNamespace):
        doc.metadata = meta
        return doc
    import dataclasses

    return dataclasses.replace(doc, metadata=meta)


def new_store(author: str = "checker") -> AnnotationStore:
    return AnnotationStore.create_memory(author=author)


def find(text: str, needle: str, after: str | None = None, occurrence: int = 1) -> int:
    pos = 0
    if after is not None:
        pos = text.index(after)
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, pos)
        pos = start + 1
    return start


def mark(store, doc_id: str, needle: str, value=None, *, after: str | None = None, occurrence: int = 1,
         status: str = "confirmed", **fields) -> Figure:
    """Mark ``needle`` (searched after ``after``) as a figure with the given value and fields."""
    text = store.document_text(doc_id)
    start = find(text, needle, after, occurrence)
    end = start + len(needle)
    q = quote_selector(text, start, end)
    fig = Figure(document_id=doc_id, start=start, end=end, exact=q.exact, prefix=q.prefix, suffix=q.suffix,
                 value=value, status=status, **fields)
    return store.add(fig)


def speaker(store, name: str, kind: str = "person", affiliation: str = "") -> Speaker:
    return store.find_speaker(name) or store.add(Speaker(name=name, kind=kind, affiliation=affiliation))


def attribute(store, fig: Figure, sp: Speaker, role: str = "states") -> Attribution:
    return store.add(Attribution(figure_id=fig.id, speaker_id=sp.id, role=role))


def relate(store, kind: str, target: Figure, inputs: list[Figure], status: str = "confirmed",
           **params) -> Relation:
    return store.add(Relation(kind=kind, target_id=target.id, input_ids=[f.id for f in inputs],
                              params=params, status=status))
