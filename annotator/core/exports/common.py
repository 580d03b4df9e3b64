"""What every export needs: the figures of one or all documents with their speakers,
the sentence around each figure, and a few labels.

Only live records are exported: figures and attributions that are confirmed and not
deleted (suggestions and rejected proposals stay in the annotation file). A speaker
merged into another is exported as the speaker it was merged into.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from annotator.core.errors import ExportError
from annotator.core.model import Attribution, Comment, DocumentInfo, Figure, Speaker

VERDICT_LABELS = {
    "unchecked": "Unchecked",
    "accurate": "Accurate",
    "inaccurate": "Inaccurate",
    "misleading": "Misleading",
    "unverifiable": "Unverifiable",
}
REVIEW_LABELS = {"": "Not reviewed", "accepted": "Accepted", "disputed": "Disputed", "needs_source": "Needs a source"}
KIND_LABELS = {
    "person": "person",
    "organisation": "organisation",
    "outlet": "outlet",
    "anonymous": "anonymous source",
    "document": "the document itself",
}


def verdict_label(verdict: str) -> str:
    return VERDICT_LABELS.get(verdict or "unchecked", (verdict or "").capitalize())


def review_label(status: str) -> str:
    return REVIEW_LABELS.get(status or "", (status or "").replace("_", " ").capitalize())


@dataclass
class Credit:
    """One speaker credited with a figure, and how."""

    attribution: Attribution
    speaker: Speaker

    @property
    def role(self) -> str:
        return self.attribution.role

    def label(self) -> str:
        return f"{self.speaker.name} ({self.role})"


@dataclass
class FigureItem:
    figure: Figure
    document: DocumentInfo
    credits: list[Credit] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    sentence: str = ""  # the sentence around the figure
    sentence_start: int = 0  # where the sentence starts in the document text
    page: int | None = None  # 0-based, for PDFs

    def speakers_text(self) -> str:
        return "; ".join(c.label() for c in self.credits)

    @property
    def in_sentence(self) -> tuple[int, int]:
        """The figure's span inside :attr:`sentence`."""
        s = self.figure.start - self.sentence_start
        return max(0, s), max(0, min(len(self.sentence), s + (self.figure.end - self.figure.start)))


@dataclass
class DocumentItem:
    document: DocumentInfo
    text: str
    figures: list[FigureItem] = field(default_factory=list)


# --------------------------------------------------------------------------- documents


def resolve_document(store, ref: str) -> DocumentInfo:
    """Find a document by id, SHA-256 (or a unique prefix of either), file name or title."""
    ref = (ref or "").strip()
    docs = store.documents()
    if not docs:
        raise ExportError("The annotation file holds no documents.")
    for d in docs:
        if ref in (d.id, d.sha256):
            return d
    low = ref.casefold()
    matches = [d for d in docs if low and (d.source_name.casefold() == low or d.title.casefold() == low)]
    if not matches and len(ref) >= 4:
        matches = [d for d in docs if d.id.startswith(ref) or d.sha256.startswith(low)]
    if len(matches) == 1:
        return matches[0]
    listing = "; ".join(f"{d.sha256[:12]} {d.source_name or d.title}" for d in docs)
    if matches:
        raise ExportError(f"“{ref}” matches several documents; give more of the SHA-256. Documents: {listing}.")
    raise ExportError(f"No document “{ref}” in this annotation file. Documents: {listing}.")


def selected_documents(store, document_id: str | None) -> list[DocumentInfo]:
    if document_id:
        return [resolve_document(store, document_id)]
    docs = store.documents()
    if not docs:
        raise ExportError("The annotation file holds no documents: there is nothing to export.")
    return docs


def speaker_resolver(store) -> dict[str, Speaker]:
    """Speaker id -> the live speaker it stands for (following merges)."""
    every = {s.id: s for s in store.records(Speaker, include_deleted=True)}

    def final(sid: str) -> Speaker | None:
        seen = set()
        sp = every.get(sid)
        while sp is not None and sp.merged_into and sp.merged_into not in seen:
            seen.add(sp.id)
            nxt = every.get(sp.merged_into)
            if nxt is None:
                break
            sp = nxt
        return sp

    return {sid: sp for sid in every if (sp := final(sid)) is not None}


def collect(store, document_id: str | None = None, with_comments: bool = True) -> list[DocumentItem]:
    """The documents to export and their live figures, in document order."""
    speakers = speaker_resolver(store)
    out = []
    for doc in selected_documents(store, document_id):
        text = store.document_text(doc.id)
        item = DocumentItem(doc, text)
        for fig in store.figures(doc.id):
            fi = FigureItem(fig, doc)
            for att in store.attributions(figure_id=fig.id):
                sp = speakers.get(att.speaker_id)
                if sp is None or sp.deleted:
                    continue
                fi.credits.append(Credit(att, sp))
            if with_comments:
                fi.comments = store.comments(fig.id)
            fi.sentence_start, sentence_end = sentence_bounds(text, fig.start, fig.end, doc.paragraphs,
                                                           lines=not doc.pages)
            fi.sentence = text[fi.sentence_start : sentence_end]
            fi.page = fig.page if fig.page is not None else doc.page_of(fig.start)
            item.figures.append(fi)
        out.append(item)
    return out


def setting(settings, key: str, default: str = "") -> str:
    """Read ``key`` from a mapping or an object with ``get`` (or attributes)."""
    if settings is None:
        return default
    if isinstance(settings, Mapping) or hasattr(settings, "get"):
        try:
            v = settings.get(key, default)
        except TypeError:
            v = settings.get(key)
    else:
        v = getattr(settings, key, default)
    return default if v is None else str(v)


# --------------------------------------------------------------------------- sentences

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "jr",
    "sr", "gen", "gov", "sen", "rep", "fig", "approx", "est", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n",
}
_END = re.compile(r"[.!?…。！？]+[\"'”’»)\]]*(?=\s)")
MAX_SENTENCE = 600


def _line_ends_alone(text: str, nl: int) -> bool:
    """Does the line ending at the line break ``text[nl]`` stand alone (see :func:`sentence_bounds`)?"""
    before = text[:nl].rstrip(" \t\u00a0")[-1:]
    after = text[nl + 1:nl + 40].lstrip(" \t\u00a0")[:1]
    return bool(before) and bool(after) and (before.isupper() or before.isdigit() or before in ".!?:;\"”’)]»…") \
        and (after.isupper() or after in "\"“‘«")


def _own_lines(text: str, lo: int, hi: int, start: int, end: int) -> tuple[int, int]:
    nl = text.rfind("\n", lo, start)
    while nl != -1 and not _line_ends_alone(text, nl):
        nl = text.rfind("\n", lo, nl)
    if nl != -1:
        lo = nl + 1
    nl = text.find("\n", end, hi)
    while nl != -1 and not _line_ends_alone(text, nl):
        nl = text.find("\n", nl + 1, hi)
    if nl != -1:
        hi = nl
    return lo, hi


def _is_boundary(text: str, m: re.Match) -> bool:
    punct_at = m.start()
    if text[punct_at] == ".":
        # "U.S." / "Dr." / "e.g." / a single initial: not the end of a sentence
        word = re.search(r"([\w.]+)$", text[max(0, punct_at - 12) : punct_at])
        if word:
            w = word.group(1).casefold()
            if w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha()):
                return False
    # the next visible character should start a sentence
    nxt = re.compile(r"\s*(\S)").match(text, m.end())
    if nxt and nxt.group(1).islower():
        return False
    return True


def sentence_bounds(text: str, start: int, end: int, paragraphs=None, lines: bool = False) -> tuple[int, int]:
    """The sentence holding ``text[start:end]``: (start, end) offsets, at most about
    :data:`MAX_SENTENCE` characters, never crossing a paragraph or a blank line.

    ``lines`` (a text that is not a PDF's): a line that ends without running on — in a capital, a digit or
    closing punctuation, the next one starting with a capital ("…2023Categories: NEWS" then "Recently, …")
    — is a heading or byline of its own, not the start of the sentence below it."""
    lo, hi = 0, len(text)
    for p in paragraphs or ():
        if p[0] <= start <= p[1]:
            lo, hi = p[0], max(p[1], end)
            break
    # a line break inside a paragraph of a PDF is not a boundary, a blank line is
    blank_before = text.rfind("\n\n", lo, start)
    if blank_before != -1:
        lo = blank_before + 2
    blank_after = text.find("\n\n", end, hi)
    if blank_after != -1:
        hi = blank_after
    if lines:
        lo, hi = _own_lines(text, lo, hi, start, end)
    s = lo
    for m in _END.finditer(text, lo, start):
        if m.end() <= start and _is_boundary(text, m):
            s = m.end()
    e = hi
    for m in _END.finditer(text, max(end, lo), hi):
        if _is_boundary(text, m):
            e = m.end()
            break
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    # keep it readable: cut very long "sentences" (tables, lists) around the figure
    if e - s > MAX_SENTENCE:
        room = max(0, (MAX_SENTENCE - (end - start)) // 2)
        s = max(s, start - room)
        e = min(e, end + room)
    return s, max(e, end)


@dataclass
class ExportResult:
    """What an export wrote: the file, how many items it holds, and what was left out and why."""

    path: object  # pathlib.Path
    count: int
    warnings: list[str] = field(default_factory=list)
