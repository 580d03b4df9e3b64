"""schema.org ClaimReview JSON-LD, for publishing systems and search engines.

The file is a JSON array with one self-contained ClaimReview (own ``@context``) for
every figure whose verdict is not "unchecked":

* ``claimReviewed``: the sentence holding the figure (the claim as stated);
* ``reviewRating``: a Rating whose ``alternateName`` is the verdict ("Accurate",
  "Misleading", ...). Verdicts on a truth scale also carry ``ratingValue`` with
  ``worstRating`` 1 and ``bestRating`` 5 (inaccurate 1, misleading 2, accurate 5);
  "unverifiable" is not a point on that scale and carries the name only;
* ``itemReviewed``: a Claim whose ``author`` is the speaker (a Person, or an
  Organization for organisations and outlets; the document's publisher for "the
  document's own voice"), preferring speakers who *state* the figure, and whose
  ``appearance`` is the document (a CreativeWork with its URL, title and date);
* ``author``: the fact-checking organisation (``settings["organisation"]``, or the
  annotation file's ``organisation`` entry), with ``organisation_url`` if known;
* ``datePublished``: the day the figure's verdict was last changed;
* ``reviewBody``: the checker's note, when there is one.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from annotator.core.errors import ExportError
from annotator.core.exports.atomic import atomic_write
from annotator.core.exports.common import ExportResult, FigureItem, collect, setting, verdict_label
from annotator.core.model import DocumentInfo, Speaker, now

RATING_VALUES = {"inaccurate": 1, "misleading": 2, "accurate": 5}
WORST, BEST = 1, 5
SCHEMA = "https://schema.org"


def _http(url: str) -> bool:
    return bool(url) and urlsplit(url).scheme in ("http", "https")


def _publisher(doc: DocumentInfo) -> str:
    for key in ("sitename", "publisher", "author"):
        v = doc.metadata.get(key)
        if v:
            return str(v)
    return doc.title or doc.source_name


def speaker_node(sp: Speaker, doc: DocumentInfo) -> dict:
    if sp.kind == "document":
        return {"@type": "Organization", "name": _publisher(doc)}
    if sp.kind in ("organisation", "outlet"):
        node = {"@type": "Organization", "name": sp.name}
        if sp.affiliation:
            node["description"] = sp.affiliation
    else:
        node = {"@type": "Person", "name": sp.name or "Anonymous source"}
        if sp.affiliation:
            node["jobTitle"] = sp.affiliation
    aliases = [a for a in sp.aliases if a and a != sp.name]
    if aliases:
        node["alternateName"] = aliases if len(aliases) > 1 else aliases[0]
    return node


def claim_authors(fi: FigureItem) -> list[dict]:
    for roles in (("states",), ("relays", "confirms"), ("disputes",)):
        chosen = [c for c in fi.credits if c.role in roles]
        if chosen:
            seen, out = set(), []
            for c in chosen:
                if c.speaker.id not in seen:
                    seen.add(c.speaker.id)
                    out.append(speaker_node(c.speaker, fi.document))
            return out
    return []


def appearance(doc: DocumentInfo) -> dict:
    node: dict = {"@type": "CreativeWork"}
    if _http(doc.url):
        node["url"] = doc.url
    if doc.title:
        node["headline"] = doc.title
    if doc.date:
        node["datePublished"] = doc.date
    pub = doc.metadata.get("sitename")
    if pub:
        node["publisher"] = {"@type": "Organization", "name": str(pub)}
    if doc.metadata.get("author"):
        node["author"] = {"@type": "Person", "name": str(doc.metadata["author"])}
    return node


def rating(verdict: str) -> dict:
    node = {"@type": "Rating", "alternateName": verdict_label(verdict)}
    if verdict in RATING_VALUES:
        node.update(ratingValue=RATING_VALUES[verdict], worstRating=WORST, bestRating=BEST)
    return node


def review(fi: FigureItem, organisation: dict) -> dict:
    f = fi.figure
    claim: dict = {"@type": "Claim"}
    authors = claim_authors(fi)
    if authors:
        claim["author"] = authors[0] if len(authors) == 1 else authors
    if fi.document.date:
        claim["datePublished"] = fi.document.date
    claim["appearance"] = appearance(fi.document)
    node = {
        "@context": SCHEMA,
        "@type": "ClaimReview",
        "identifier": f.id,
        "claimReviewed": " ".join(fi.sentence.split()) or f.exact,
        "itemReviewed": claim,
        "author": organisation,
        "reviewRating": rating(f.verdict),
        "datePublished": (f.updated or now())[:10],
    }
    if f.note:
        node["reviewBody"] = f.note
    return node


def organisation_node(store, settings) -> dict:
    name = setting(settings, "organisation").strip() or store.info("organisation", "").strip()
    if not name:
        raise ExportError(
            "ClaimReview needs the name of your fact-checking organisation as the review's author: "
            "set it in the settings (or pass --organisation)."
        )
    node = {"@type": "Organization", "name": name}
    url = setting(settings, "organisation_url").strip() or store.info("organisation_url", "").strip()
    if _http(url):
        node["url"] = url
    return node


def build(store, document_id=None, settings=None) -> list[dict]:
    organisation = organisation_node(store, settings)
    out = []
    for d in collect(store, document_id, with_comments=False):
        for fi in d.figures:
            if (fi.figure.verdict or "unchecked") != "unchecked":
                out.append(review(fi, organisation))
    return out


def export(store, out_path, document_id=None, settings=None) -> ExportResult:
    reviews = build(store, document_id, settings)
    if not reviews:
        raise ExportError(
            "No figure has a verdict yet: ClaimReview lists only checked figures (not “unchecked”)."
        )
    text = json.dumps(reviews, ensure_ascii=False, indent=2) + "\n"
    return ExportResult(atomic_write(out_path, text), len(reviews))
