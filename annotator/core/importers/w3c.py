"""Import W3C Web Annotations back into an annotation file.

Files written by :mod:`annotator.core.exports.w3c` come back exactly: the same figure,
speaker, attribution and comment ids, revisions, authors and times, so a later merge
with the original file sees the same records. Their documents are matched by
SHA-256: the export names each document's hash, and the caller supplies the
document itself (the original file, loaded). If a document's text differs from the
one the export was made on (another version of the app's text extraction), each
figure is re-anchored by its quote; figures that cannot be found are kept and
flagged "orphan".

Relations between figures (``linking`` annotations carrying ``annotator:relation``) come
back once their figures are in the file; a relation whose figures are neither in the
import nor in the file is skipped with a warning.

Annotations from other tools (anything with a TextQuoteSelector or a
TextPositionSelector) are imported as figures too, with their creator and their
comment as the note, when the document they target can be told (its URL, its
``ni:///sha-256`` name, or the only document given).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from annotator.core.anchors import quote_selector, reanchor
from annotator.core.errors import ExportError
from annotator.core.exports.w3c import NAMESPACE, document_iri
from annotator.core.importers.common import ImportResult, record_from
from annotator.core.model import Attribution, Comment, Figure, Relation, Speaker, new_id, now

MAX_JSON_BYTES = 256 << 20


def _types(node) -> list[str]:
    t = node.get("type", node.get("@type")) if isinstance(node, dict) else None
    items = t if isinstance(t, list) else [t]
    return [str(x).split(":")[-1].split("#")[-1] for x in items if x]


def _key(node: dict, name: str):
    """A property written with this app's prefix or as a full IRI."""
    if f"annotator:{name}" in node:
        return node[f"annotator:{name}"]
    return node.get(NAMESPACE + name)


def read_json(source, name: str | None = None):
    """Parse ``source`` (a path, bytes, str, or already-parsed JSON) with clear errors."""
    if isinstance(source, (dict, list)):
        return source
    label = name or "The file"
    if isinstance(source, (str, os.PathLike)) and not (isinstance(source, str) and source.lstrip()[:1] in "[{"):
        p = Path(source)
        label = f"“{name or p.name}”"
        try:
            if p.stat().st_size > MAX_JSON_BYTES:
                raise ExportError(f"{label} is too large to import ({p.stat().st_size >> 20} MiB).")
            source = p.read_bytes()
        except FileNotFoundError:
            raise ExportError(f"{label} does not exist.") from None
        except IsADirectoryError:
            raise ExportError(f"{label} is a folder, not a JSON file.") from None
        except OSError as exc:
            raise ExportError(f"{label} cannot be read: {exc.strerror or exc}.") from None
    if isinstance(source, (bytes, bytearray)):
        if not source.strip():
            raise ExportError(f"{label} is empty: it is not a W3C annotation export.")
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ExportError(f"{label} is not JSON (it is not even UTF-8 text).") from None
    if not str(source).strip():
        raise ExportError(f"{label} is empty: it is not a W3C annotation export.")
    try:
        return json.loads(source)
    except json.JSONDecodeError as exc:
        raise ExportError(
            f"{label} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            "It may be damaged or cut short."
        ) from None
    except RecursionError:
        raise ExportError(f"{label} is not valid JSON (nested too deeply).") from None


def annotations_in(data, label: str = "The file") -> tuple[list[dict], list[dict]]:
    """(annotations, documents described by this app's export) found in parsed JSON."""
    docs = []
    if isinstance(data, dict) and isinstance(_key(data, "documents"), list):
        docs = [d for d in _key(data, "documents") if isinstance(d, dict)]
    items: list = []
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        types = _types(data)
        if "Annotation" in types:
            items = [data]
        elif "AnnotationPage" in types:
            items = data.get("items") or []
        elif "AnnotationCollection" in types:
            page = data.get("first")
            seen = 0
            while isinstance(page, dict) and seen < 10000:
                items.extend(page.get("items") or [])
                page = page.get("next")
                seen += 1
            if isinstance(page, str) and not items:
                raise ExportError(
                    f"{label} only links to its annotations ({page}); save the collection with its "
                    "annotations embedded and import that file."
                )
    annotations = [a for a in items if isinstance(a, dict) and "Annotation" in _types(a)]
    if not annotations:
        if isinstance(data, dict) and {"AnnotationPage", "AnnotationCollection"} & set(_types(data)):
            raise ExportError(f"{label} holds no W3C Web Annotation (nothing of type “Annotation”).")
        raise ExportError(
            f"{label} is JSON but not a W3C Web Annotation export "
            "(no Annotation, AnnotationPage or AnnotationCollection in it)."
        )
    return annotations, docs


def _bodies(anno: dict) -> list[dict]:
    b = anno.get("body")
    if isinstance(b, dict):
        return [b]
    if isinstance(b, list):
        return [x for x in b if isinstance(x, dict)]
    return []


def _targets(anno: dict) -> list:
    t = anno.get("target")
    return t if isinstance(t, list) else [t] if t is not None else []


def _selectors(target) -> list[dict]:
    if not isinstance(target, dict):
        return []
    sel = target.get("selector")
    sels = sel if isinstance(sel, list) else [sel] if sel is not None else []
    out = []
    for s in sels:
        if isinstance(s, dict):
            out.append(s)
            ref = s.get("refinedBy")
            if isinstance(ref, dict):
                out.append(ref)
    return out


def _source_iri(target) -> str:
    if isinstance(target, str):
        return target
    if isinstance(target, dict):
        src = target.get("source")
        if isinstance(src, dict):
            return str(src.get("id") or src.get("@id") or "")
        return str(src or "")
    return ""


def _agent_name(agent) -> str:
    if isinstance(agent, list):
        agent = agent[0] if agent else None
    if isinstance(agent, dict):
        return str(agent.get("name") or agent.get("nickname") or "")
    return ""


class _Documents:
    """The documents supplied by the caller, by SHA-256 and by IRI."""

    def __init__(self, store, documents):
        self.store = store
        self.docs = list(documents)
        self.by_sha = {d.sha256: d for d in self.docs}
        self.ids: dict[str, str] = {}  # sha256 -> document id in the store

    def doc_id(self, doc) -> str:
        if doc.sha256 not in self.ids:
            self.ids[doc.sha256] = self.store.add_document(doc)
        return self.ids[doc.sha256]

    def for_iri(self, iri: str):
        if not iri:
            return None
        for d in self.docs:
            url = str((getattr(d, "metadata", None) or {}).get("url") or "")
            if iri == url:
                return d
        for d in self.docs:
            did = self.doc_id(d)
            if document_iri(self.store.document(did)) == iri:
                return d
        return None


def _place(text: str, data: dict, info) -> tuple[dict, bool]:
    """Anchor fields for ``data`` in ``text``; (fields, found)."""
    start, end, exact = data.get("start"), data.get("end"), data.get("exact") or ""
    if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text) and text[start:end] == exact:
        return {}, True
    hit = reanchor(text, exact, data.get("prefix") or "", data.get("suffix") or "",
                   start_hint=start if isinstance(start, int) else None)
    if hit is None:
        return {}, False
    q = quote_selector(text, hit.start, hit.end)
    return {
        "start": hit.start,
        "end": hit.end,
        "exact": q.exact,
        "prefix": q.prefix,
        "suffix": q.suffix,
        "page": info.page_of(hit.start),
        # quads belong to the old position unless the text did not move
        "quads": data.get("quads") if hit.start == start else None,
    }, True


def _carried(anno: dict, name: str):
    """The record this app's export carries on one of the annotation's bodies as ``annotator:<name>``."""
    for b in _bodies(anno):
        data = _key(b, name)
        if isinstance(data, dict):
            return data
    return None


def _ours(anno: dict):
    return _carried(anno, "figure")


def import_w3c(source, store, documents, name: str | None = None) -> ImportResult:
    """Import the annotations in ``source`` (path, bytes, text or parsed JSON) into ``store``.

    ``documents`` are loaded documents (:class:`annotator.core.documents.Document`) the
    annotations refer to; this app's exports are matched by SHA-256. Records already in
    ``store`` (same id) are left as they are. Everything is written in one transaction:
    a failure leaves ``store`` unchanged.
    """
    label = f"“{name}”" if name else (f"“{Path(source).name}”" if isinstance(source, os.PathLike) else "The file")
    data = read_json(source, name)
    annotations, described = annotations_in(data, label)
    docs = _Documents(store, documents)
    if not docs.docs:
        raise ExportError("Give the document the annotations were made on (the import needs its text).")
    # every document one of our annotations needs must have been supplied
    titles = {d.get("sha256"): d.get("title") or d.get("source_name") or "" for d in described}
    needed: dict[str, str] = {}
    for anno in annotations:
        fig = _ours(anno)
        if fig is not None:
            sha = str(fig.get("document_sha256") or "")
            needed.setdefault(sha, titles.get(sha, ""))
    missing = {sha: t for sha, t in needed.items() if sha not in docs.by_sha}
    if missing:
        listing = "; ".join(f"“{t or 'untitled'}” (SHA-256 {sha[:12]}…)" for sha, t in missing.items())
        given = "; ".join(f"{getattr(d, 'source_name', '') or 'document'} (SHA-256 {d.sha256[:12]}…)"
                          for d in docs.docs)
        raise ExportError(
            f"The annotations were made on a document that was not given: {listing}. "
            f"Given: {given}. Give the original file, byte for byte the same."
        )

    result = ImportResult()
    existing = {t: set() for t in ("figures", "speakers", "attributions", "comments", "relations")}
    for table in existing:
        existing[table] = {r[0] for r in store.conn.execute(f"SELECT id FROM {table}")}

    def put(rec, quiet: bool = False) -> bool:
        if rec.id in existing[rec.TABLE]:
            if not quiet:
                result.already_present += 1
            return False
        store.put_raw(rec)
        existing[rec.TABLE].add(rec.id)
        return True

    relations = []
    with store.transaction():
        for i, anno in enumerate(annotations, 1):
            where = f"{label}, annotation {i}"
            rel_data = _carried(anno, "relation")
            if rel_data is not None:
                relations.append((where, rel_data))  # once every figure is in
                continue
            fig_data = _ours(anno)
            if fig_data is not None:
                _import_ours(store, docs, anno, fig_data, where, put, result)
            else:
                _import_foreign(store, docs, anno, where, put, result)
        for where, rel_data in relations:
            rel = record_from(Relation, rel_data, f"{where}, relation", deleted=False)
            ids = [rel.target_id, *(rel.input_ids if isinstance(rel.input_ids, list) else [None])]
            if not all(isinstance(i, str) and i in existing["figures"] for i in ids):
                result.warnings.append(f"{where}: a relation between figures that are not in the file; skipped.")
                continue
            if put(rel):
                result.relations += 1
    return result


def _import_ours(store, docs, anno, fig_data, where, put, result) -> None:
    doc = docs.by_sha[str(fig_data.get("document_sha256") or "")]
    doc_id = docs.doc_id(doc)
    info = store.document(doc_id)
    text = store.document_text(doc_id)
    moved, found = _place(text, fig_data, info)
    fig = record_from(Figure, fig_data, where, document_id=doc_id, deleted=False)
    if moved:
        fig = fig.replace(**moved)
    if not found:
        fig = fig.replace(flags=sorted(set(fig.flags) | {"orphan"}))
        result.orphans.append(fig.exact)
    if put(fig):
        result.figures += 1
        result.figure_ids.append(fig.id)
    if doc_id not in result.documents:
        result.documents.append(doc_id)
    for b in _bodies(anno):
        att_data = _key(b, "attribution")
        if isinstance(att_data, dict):
            sp_data = att_data.get("speaker")
            sp = record_from(Speaker, sp_data, f"{where}, speaker", deleted=False, merged_into=None)
            # a speaker already in the file (same id) keeps its record; one speaker credited
            # with several figures comes once
            if put(sp, quiet=True):
                result.speakers += 1
            att = record_from(Attribution, att_data, f"{where}, attribution", figure_id=fig.id,
                              speaker_id=sp.id, deleted=False)
            if att.evidence_exact and att.evidence_start is not None:
                ev, ev_found = _place(text, {"start": att.evidence_start, "end": att.evidence_end,
                                             "exact": att.evidence_exact, "prefix": att.evidence_prefix,
                                             "suffix": att.evidence_suffix, "quads": att.evidence_quads}, info)
                if ev:
                    att = att.replace(evidence_start=ev["start"], evidence_end=ev["end"],
                                      evidence_prefix=ev["prefix"], evidence_suffix=ev["suffix"],
                                      evidence_page=ev["page"], evidence_quads=ev["quads"])
                elif not ev_found:
                    att = att.replace(evidence_start=None, evidence_end=None, evidence_quads=None)
            if put(att):
                result.attributions += 1
        cm_data = _key(b, "comment")
        if isinstance(cm_data, dict):
            cm = record_from(Comment, cm_data, f"{where}, comment", figure_id=fig.id, deleted=False)
            if put(cm):
                result.comments += 1


def _import_foreign(store, docs, anno, where, put, result) -> None:
    """An annotation from another tool: a figure from its text selectors, its comment as note."""
    target = next((t for t in _targets(anno) if _selectors(t)), None)
    if target is None:
        result.warnings.append(f"{where}: no text selector; skipped.")
        return
    doc = docs.for_iri(_source_iri(target)) or (docs.docs[0] if len(docs.docs) == 1 else None)
    if doc is None:
        result.warnings.append(f"{where}: cannot tell which document it belongs to; skipped.")
        return
    doc_id = docs.doc_id(doc)
    info = store.document(doc_id)
    text = store.document_text(doc_id)
    sels = _selectors(target)
    quote = next((s for s in sels if "TextQuoteSelector" in _types(s)), None)
    pos = next((s for s in sels if "TextPositionSelector" in _types(s)), None)
    data = {}
    if pos is not None and isinstance(pos.get("start"), int) and isinstance(pos.get("end"), int):
        data.update(start=pos["start"], end=pos["end"])
        if quote is None and 0 <= pos["start"] < pos["end"] <= len(text):
            data["exact"] = text[pos["start"] : pos["end"]]
    if quote is not None:
        data.update(exact=str(quote.get("exact") or ""), prefix=str(quote.get("prefix") or ""),
                    suffix=str(quote.get("suffix") or ""))
    if not data.get("exact"):
        result.warnings.append(f"{where}: empty selection; skipped.")
        return
    moved, found = _place(text, data, info)
    if not found:
        result.orphans.append(data["exact"])
        result.warnings.append(f"{where}: “{data['exact'][:40]}” is not in the document; skipped.")
        return
    start, end = moved.get("start", data.get("start")), moved.get("end", data.get("end"))
    q = quote_selector(text, start, end)
    notes = [str(b.get("value")) for b in _bodies(anno)
             if b.get("value") and b.get("purpose") in (None, "commenting", "describing")]
    if isinstance(anno.get("bodyValue"), str):
        notes.insert(0, anno["bodyValue"])
    raw_id = str(anno.get("id") or "")
    fig_id = raw_id[len("urn:uuid:"):] if raw_id.startswith("urn:uuid:") else new_id()
    created = str(anno.get("created") or now())
    fig = Figure(id=fig_id, document_id=doc_id, start=start, end=end, exact=q.exact, prefix=q.prefix,
                 suffix=q.suffix, page=info.page_of(start), note="\n\n".join(notes),
                 author=_agent_name(anno.get("creator")), created=created,
                 updated=str(anno.get("modified") or created), rev=new_id(), status="confirmed")
    fig = fig.replace(**_parsed(q.exact))
    if put(fig):
        result.figures += 1
        result.figure_ids.append(fig.id)
        if doc_id not in result.documents:
            result.documents.append(doc_id)


def _parsed(exact: str) -> dict:
    try:
        from annotator.core.project import parse_fields
    except ImportError:
        return {}
    return {k: v for k, v in parse_fields(exact).items() if v is not None}
