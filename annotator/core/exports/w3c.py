"""W3C Web Annotation Data Model (JSON-LD): one Annotation per figure.

The file is an ``AnnotationCollection`` whose embedded first ``AnnotationPage``
lists the annotations. Each Annotation (motivation ``highlighting``) has

* ``target``: a SpecificResource whose ``source`` is the document (its URL when it
  has one, else its SHA-256 as an RFC 6920 ``ni:///sha-256;...`` URI), with three
  equivalent selectors: a ``TextQuoteSelector`` (exact, prefix, suffix), a
  ``TextPositionSelector`` (start, end, in Unicode code points of the document's
  extracted text) and, for PDFs, a ``FragmentSelector`` ``page=N`` conforming to
  RFC 3778 (pages from 1), refined by the same TextQuoteSelector;
* ``body``: TextualBodies: purpose ``describing`` (the figure, its value and unit,
  its speakers, in words), one ``tagging`` body per speaker (the speaker's name),
  ``assessing`` (the verdict), ``commenting`` (the note, and one per comment, with
  its own creator and time);
* ``creator`` (a Person named after the figure's author), ``created``,
  ``modified``, ``generator`` and ``generated``.

Each relation between figures (issue 6: a share, a sum, a conversion…) is an Annotation
of its own with motivation ``linking``: its targets are the figures' text (the figure
computed first, then its inputs, each a SpecificResource with the same selectors as the
figure's annotation), its ``describing`` body says the relation in words with its
recomputation (``annotator:relation`` holds the record).

Everything an app needs to rebuild the annotation file exactly (figure ids and
revisions, numbers, page quads, speakers with their kinds, roles and aliases,
attributions, review status) travels in JSON literals under this app's namespace
(``annotator:figure`` on the describing body, ``annotator:attribution`` on each
tagging body, ``annotator:comment`` on comment bodies, ``annotator:documents`` on
the collection). Other tools ignore them; :mod:`annotator.core.importers.w3c`
reads them back.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from urllib.parse import urlsplit

from annotator import __version__
from annotator.core.exports.atomic import atomic_write
from annotator.core.exports.common import ExportResult, FigureItem, collect, verdict_label
from annotator.core.model import DocumentInfo, new_id, now

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
NAMESPACE = "https://annotator.invalid/ns#"
EXTENSION_CONTEXT = {
    "annotator": NAMESPACE,
    "annotator:figure": {"@type": "@json"},
    "annotator:attribution": {"@type": "@json"},
    "annotator:comment": {"@type": "@json"},
    "annotator:documents": {"@type": "@json"},
    "annotator:relation": {"@type": "@json"},
}
CONTEXT = [ANNO_CONTEXT, EXTENSION_CONTEXT]
#: identifies files written by this exporter (``annotator:format`` on the collection)
FORMAT_ID = "annotator-w3c/1"
RFC3778 = "http://tools.ietf.org/rfc/rfc3778"

MIME_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html",
    "text": "text/plain",
    "txt": "text/plain",
    "markdown": "text/markdown",
    "md": "text/markdown",
    "epub": "application/epub+zip",
    "xps": "application/oxps",
}

# record fields that are the anchor (carried by selectors) or local to one file
_FIGURE_SKIP = ("document_id", "deleted")
_ATTRIBUTION_SKIP = ("figure_id", "deleted")


def ni_uri(sha256_hex: str) -> str:
    """RFC 6920 "named information" URI of a SHA-256 digest."""
    digest = bytes.fromhex(sha256_hex)
    return "ni:///sha-256;" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def document_iri(doc: DocumentInfo) -> str:
    url = doc.url
    if url and urlsplit(url).scheme in ("http", "https") and " " not in url:
        return url
    return ni_uri(doc.sha256)


def _record(rec, skip=()) -> dict:
    d = dataclasses.asdict(rec)
    for k in skip:
        d.pop(k, None)
    return d


def _agent(name: str) -> dict:
    return {"type": "Person", "name": name}


def _times(target: dict, created: str, modified: str) -> None:
    if created:
        target["created"] = created
    if modified:
        target["modified"] = modified


def describe(fi: FigureItem) -> str:
    """The figure in one plain sentence: text, value, speakers, verdict."""
    f = fi.figure
    parts = [f"“{f.exact}”"]
    value = f.value_text()
    if value and value != f.exact:
        parts.append(f"= {value}")
    if f.qualifier:
        parts.append(f"({f.qualifier})")
    text = " ".join(parts)
    if fi.credits:
        text += ". " + "; ".join(f"{c.role.capitalize()} by {c.speaker.name}" for c in fi.credits)
    text += f". Verdict: {verdict_label(f.verdict).lower()}."
    return text


def _target(fi: FigureItem) -> dict:
    """The figure's text in its document, as a SpecificResource with its selectors."""
    f = fi.figure
    doc = fi.document
    quote = {"type": "TextQuoteSelector", "exact": f.exact}
    if f.prefix:
        quote["prefix"] = f.prefix
    if f.suffix:
        quote["suffix"] = f.suffix
    selectors: list[dict] = [quote, {"type": "TextPositionSelector", "start": f.start, "end": f.end}]
    if fi.page is not None:
        selectors.append(
            {
                "type": "FragmentSelector",
                "conformsTo": RFC3778,
                "value": f"page={fi.page + 1}",
                "refinedBy": dict(quote),
            }
        )
    source = {"id": document_iri(doc), "type": "Text"}
    if doc.kind in MIME_TYPES:
        source["format"] = MIME_TYPES[doc.kind]
    return {"type": "SpecificResource", "source": source, "selector": selectors}


def annotation(fi: FigureItem, generated: str) -> dict:
    f = fi.figure
    doc = fi.document
    figure_data = _record(f, _FIGURE_SKIP)
    figure_data["document_sha256"] = doc.sha256
    describing = {
        "type": "TextualBody",
        "purpose": "describing",
        "format": "text/plain",
        "value": describe(fi),
        "annotator:figure": figure_data,
    }
    bodies = [describing]
    for c in fi.credits:
        att = _record(c.attribution, _ATTRIBUTION_SKIP)
        att["speaker"] = _record(c.speaker, ("deleted",))
        tag = {"type": "TextualBody", "purpose": "tagging", "value": c.speaker.name, "annotator:attribution": att}
        if c.attribution.author:
            tag["creator"] = _agent(c.attribution.author)
        _times(tag, c.attribution.created, c.attribution.updated)
        bodies.append(tag)
    bodies.append({"type": "TextualBody", "purpose": "assessing", "value": f.verdict or "unchecked"})
    if f.note:
        note = {"type": "TextualBody", "purpose": "commenting", "format": "text/plain", "value": f.note}
        if f.author:
            note["creator"] = _agent(f.author)
        bodies.append(note)
    for cm in fi.comments:
        body = {
            "type": "TextualBody",
            "purpose": "commenting",
            "format": "text/plain",
            "value": cm.body,
            "annotator:comment": _record(cm, ("figure_id", "deleted")),
        }
        if cm.author:
            body["creator"] = _agent(cm.author)
        _times(body, cm.created, cm.updated)
        bodies.append(body)

    anno = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{f.id}",
        "type": "Annotation",
        "motivation": "highlighting",
    }
    if f.author:
        anno["creator"] = _agent(f.author)
    _times(anno, f.created, f.updated)
    anno["generator"] = {"type": "Software", "name": f"annotator {__version__}"}
    anno["generated"] = generated
    anno["body"] = bodies
    anno["target"] = _target(fi)
    return anno


def relation_annotation(store, rel, items: dict[str, FigureItem], generated: str) -> dict:
    """A relation between exported figures as a ``linking`` Annotation (see the module's docstring)."""
    from annotator.core.checks import KIND_LABELS, evaluate

    res = evaluate(store, rel)
    words = KIND_LABELS.get(rel.kind, rel.kind)
    detail = res.computation or res.message
    state = {"confirmed": "", "suggested": " (suggested)", "rejected": " (rejected)"}.get(rel.status, "")
    value = f"Relation{state}: {words}" + (f". {detail}" if detail else "") + f". Check: {res.status}."
    body = {
        "type": "TextualBody",
        "purpose": "describing",
        "format": "text/plain",
        "value": value,
        "annotator:relation": _record(rel, ("deleted",)),
    }
    anno = {"@context": CONTEXT, "id": f"urn:uuid:{rel.id}", "type": "Annotation", "motivation": "linking"}
    if rel.author:
        anno["creator"] = _agent(rel.author)
    _times(anno, rel.created, rel.updated)
    anno["generator"] = {"type": "Software", "name": f"annotator {__version__}"}
    anno["generated"] = generated
    anno["body"] = [body]
    anno["target"] = [_target(items[fid]) for fid in [rel.target_id, *rel.input_ids]]
    return anno


def _relations(store, items: dict[str, FigureItem]) -> list:
    """The live relations (confirmed, suggested and rejected: a rejection keeps a suggestion from coming
    back) whose figures are all exported."""
    out = []
    for rel in store.relations(statuses=None):
        ids = [rel.target_id, *(rel.input_ids if isinstance(rel.input_ids, list) else [None])]
        if ids and all(isinstance(i, str) and i in items for i in ids):
            out.append(rel)
    return out


def document_entry(doc: DocumentInfo) -> dict:
    return {
        "sha256": doc.sha256,
        "id": doc.id,
        "iri": document_iri(doc),
        "kind": doc.kind,
        "title": doc.title,
        "source_name": doc.source_name,
        "metadata": doc.metadata,
        "text_length": doc.text_length,
    }


def build(store, document_id=None) -> dict:
    """The export as a JSON-ready dict (an AnnotationCollection)."""
    generated = now()
    docs = collect(store, document_id)
    items = [annotation(fi, generated) for d in docs for fi in d.figures]
    by_id = {fi.figure.id: fi for d in docs for fi in d.figures}
    items += [relation_annotation(store, rel, by_id, generated) for rel in _relations(store, by_id)]
    collection_id = f"urn:uuid:{new_id()}"
    if len(docs) == 1:
        label = f"Figures in {docs[0].document.title or docs[0].document.source_name}"
    else:
        label = f"Figures in {len(docs)} documents"
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "generated": generated,
        "annotator:format": FORMAT_ID,
        "annotator:documents": [document_entry(d.document) for d in docs],
        "first": {
            "@context": CONTEXT,
            "id": f"urn:uuid:{new_id()}",
            "type": "AnnotationPage",
            "partOf": {"id": collection_id, "label": label, "total": len(items)},
            "startIndex": 0,
            "items": items,
        },
    }


def export(store, out_path, document_id=None, settings=None) -> ExportResult:
    data = build(store, document_id)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return ExportResult(atomic_write(out_path, text), data["total"])
