"""Operations on annotation files that the desktop app and the command line share.

No Qt here: the GUI wraps these in undo commands, scripts call them directly.

- where a document's annotation file lives (:func:`annotation_path_for`) and opening or
  creating it (:func:`open_or_create_for_document`, :func:`open_annotation_file`);
- turning a span of the document text into a figure record (:func:`figure_from_span`:
  snapped to whole words, with its quote selector and parsed value) or into evidence
  fields of an attribution (:func:`evidence_fields`);
- reading what a person types as a number (:func:`parse_number_input`);
- copying an annotation file for sharing (:func:`save_copy`).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from annotator.core.anchors import quote_selector
from annotator.core.errors import StoreError, UserError
from annotator.core.model import Attribution, DocumentInfo, Figure, Speaker
from annotator.core.store import EXTENSION, AnnotationStore, inspect_file

# --------------------------------------------------------------------------- files


def is_annotation_path(path: str | os.PathLike) -> bool:
    """True for a path named like an annotation file (``*.annot``)."""
    return Path(path).suffix.lower() == EXTENSION


_UNSAFE = re.compile(r"[^\w.-]+")


def annotation_path_for(document, library_dir: str | os.PathLike) -> Path:
    """The library file that holds ``document``'s annotations: ``<stem>-<sha256[:8]>.annot``.

    The name depends only on the document's bytes (and its file name, for people
    browsing the folder), so reopening the same document finds its annotations.
    """
    name = getattr(document, "source_name", "") or "document"
    stem = Path(name).stem
    stem = unicodedata.normalize("NFKC", stem)
    stem = _UNSAFE.sub("_", stem).strip("._") or "document"
    return Path(library_dir) / f"{stem[:60]}-{document.sha256[:8]}{EXTENSION}"


def open_annotation_file(path: str | os.PathLike, author: str) -> AnnotationStore:
    """Open an existing annotation file (checked first; refused files are never modified)."""
    return AnnotationStore.open(path, author=author, create=False)


def open_or_create_for_document(
    document, library_dir: str | os.PathLike, author: str, password: str | None = None
) -> tuple[AnnotationStore, str]:
    """Open (or create) the library annotation file of ``document``; returns ``(store, doc_id)``.

    ``document`` is a loaded :class:`annotator.core.documents.Document` or a path to
    load. Loading happens before any annotation file is touched, so a document that
    cannot be opened leaves every annotation file as it was.
    """
    if isinstance(document, (str, os.PathLike)):
        from annotator.core.documents import load_document

        document = load_document(document, password=password)
    lib = Path(library_dir)
    try:
        lib.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Cannot create the annotation folder {lib}: {exc.strerror or exc}.") from None
    path = annotation_path_for(document, lib)
    store = AnnotationStore.open(path, author=author, create=True)
    try:
        doc_id = add_document(store, document)
    except BaseException:
        store.close()
        raise
    return store, doc_id


def add_document(store: AnnotationStore, document) -> str:
    """Add a loaded document to ``store`` (the same bytes are kept once); returns its id."""
    existing = store.document_by_sha256(document.sha256)
    if existing is not None:
        return existing.id
    return store.add_document(document)


def save_copy(store: AnnotationStore, dest: str | os.PathLike) -> Path:
    """Write a consistent single-file copy of the open annotation file to ``dest`` (for sharing).

    Uses SQLite's online backup, so the copy holds every committed edit even while
    the app keeps writing; the copy uses a rollback journal (no ``-wal`` file beside it).
    """
    dest = Path(dest)
    if store.path.name != ":memory:" and dest.exists() and dest.resolve() == store.path.resolve():
        raise StoreError("The copy must be a different file from the one that is open.")
    if not dest.parent.is_dir():
        raise StoreError(f"Cannot write “{dest.name}”: the folder {dest.parent} does not exist.")
    tmp = dest.with_name(dest.name + ".part")
    try:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        out = sqlite3.connect(str(tmp))
        try:
            store.conn.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
        inspect_file(tmp)
        os.replace(tmp, dest)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreError(f"Cannot write “{dest.name}”: {getattr(exc, 'strerror', None) or exc}.") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return dest


# --------------------------------------------------------------------------- spans

_CURRENCY = "$€£¥₹₽﷼"
_JOINERS = ",."  # inside a token ("30,000", "3.6") only when letters or digits stand on both sides
_TRIM = " \t\r\n\u00a0\u2009\u202f.,;:!?\"“”‘’«»()[]{}—–-…/"


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "%" or unicodedata.category(ch) == "Mn"


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Grow ``[start, end)`` to whole words and trim spaces and punctuation around it.

    "0,00" inside "30,000" becomes "30,000"; "79 million" after "$" takes the "$";
    "protesters," loses its comma. Returns None when nothing but spaces or punctuation
    is selected.
    """
    n = len(text)
    start, end = max(0, min(start, n)), max(0, min(end, n))
    if start > end:
        start, end = end, start
    # trim what is clearly not part of the figure
    while start < end and text[start] in _TRIM and text[start] not in _CURRENCY:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if start >= end:
        return None

    def joined(i: int) -> bool:  # text[i] is a joiner with word characters on both sides
        return 0 < i < n - 1 and text[i] in _JOINERS and _is_word(text[i - 1]) and _is_word(text[i + 1])

    while start > 0 and (_is_word(text[start - 1]) or joined(start - 1)):
        start -= 1
    while end < n and (_is_word(text[end]) or joined(end)):
        end += 1
    # a currency symbol just before a number belongs to it
    if start > 0 and text[start - 1] in _CURRENCY:
        start -= 1
    return start, end


def parse_fields(exact: str, before: str = "", after: str = "") -> dict:
    """Parsed value fields of a figure's text (``before``/``after``: the text around it, which
    can tell what is counted or the rate); empty values when the parser is unavailable."""
    fields = {"value": None, "low": None, "high": None, "unit": None, "qualifier": None, "counted": None,
              "rate": None}
    try:
        from annotator.core.figures import parse_figure
    except ImportError:  # the figure parser is not installed yet: the user fills in the value
        return fields
    parsed = parse_figure(exact, context_after=after, context_before=before)
    if parsed is None:
        return fields
    for key in fields:
        v = getattr(parsed, key, None)
        if v is not None and v != "":
            fields[key] = float(v) if key in ("value", "low", "high") else str(v)
    return fields


def figure_from_span(
    store: AnnotationStore,
    doc_id: str,
    text: str,
    start: int,
    end: int,
    *,
    page: int | None = None,
    quads: list | None = None,
    status: str = "confirmed",
    snap: bool = True,
) -> Figure:
    """A new (unsaved) figure for ``text[start:end]``; add it with ``store.add``.

    The span is snapped to whole words; the record gets the exact text, its quote
    selector, the parsed value/unit/qualifier, verdict "unchecked", the store's author,
    and for paged documents the page holding the span.
    """
    if snap:
        span = snap_to_words(text, start, end)
        if span is None:
            raise UserError("Select the figure's text first (the selection holds no words).")
        start, end = span
    elif not (0 <= start < end <= len(text)):
        raise UserError("Select the figure's text first.")
    q = quote_selector(text, start, end)
    if page is None:
        with contextlib.suppress(KeyError):
            page = store.document(doc_id).page_of(start)
    return Figure(
        document_id=doc_id,
        start=start,
        end=end,
        exact=q.exact,
        prefix=q.prefix,
        suffix=q.suffix,
        page=page,
        quads=quads,
        verdict="unchecked",
        note="",
        status=status,
        author=store.author,
        **parse_fields(q.exact, q.prefix, q.suffix),
    )


def evidence_fields(text: str, start: int, end: int, *, page: int | None = None, quads: list | None = None,
                    snap: bool = True) -> dict:
    """The ``evidence_*`` fields of an attribution for ``text[start:end]`` (snapped to words)."""
    if snap:
        span = snap_to_words(text, start, end)
        if span is None:
            raise UserError("Select the quote or sentence that attributes the figure first.")
        start, end = span
    q = quote_selector(text, start, end)
    return {
        "evidence_start": start,
        "evidence_end": end,
        "evidence_exact": q.exact,
        "evidence_prefix": q.prefix,
        "evidence_suffix": q.suffix,
        "evidence_page": page,
        "evidence_quads": quads,
    }


NO_EVIDENCE = {
    "evidence_start": None,
    "evidence_end": None,
    "evidence_exact": "",
    "evidence_prefix": "",
    "evidence_suffix": "",
    "evidence_page": None,
    "evidence_quads": None,
}


def speaker_name_from_span(text: str, start: int, end: int) -> str:
    """A speaker's name from selected text: whole words, spaces collapsed."""
    span = snap_to_words(text, start, end)
    if span is None:
        raise UserError("Select the speaker's name first.")
    return " ".join(text[span[0] : span[1]].split())


# --------------------------------------------------------------------------- reading


_SCALE_WORDS = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12, "quadrillion": 1e15,
}


def parse_number_input(s: str) -> float | None:
    """A number typed by a person: "30000", "30,000", "30 000", "3,6", "3.6e15", "79 million".

    Empty input gives None; anything else unreadable raises ValueError.
    """
    t = s.strip().replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    if not t:
        return None
    scale = 1.0
    m = re.fullmatch(r"(.*?)\s*([A-Za-z]+)", t)
    if m and m.group(2).lower() in _SCALE_WORDS and m.group(1):
        t, scale = m.group(1), _SCALE_WORDS[m.group(2).lower()]
    t = t.replace(" ", "")
    neg = t.startswith(("-", "−"))
    if neg:
        t = t[1:]
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+,\d+", t):  # 1.234,5
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d+", t):  # decimal comma
        t = t.replace(",", ".")
    try:
        v = float(t)
    except ValueError:
        raise ValueError(f"“{s.strip()}” is not a number.") from None
    return (-v if neg else v) * scale


# --------------------------------------------------------------------------- summaries


def location_label(info: DocumentInfo | None, offset: int, page: int | None = None) -> str:
    """Where an offset sits, for people: "p. 3" in paged documents, "¶ 5" otherwise."""
    if info is None:
        return ""
    if info.pages:
        p = page if page is not None else info.page_of(offset)
        return f"p. {p + 1}" if p is not None else ""
    if info.paragraphs:
        return f"¶ {info.paragraph_of(offset) + 1}"
    return ""


def attributions_with_speakers(store: AnnotationStore, figure_id: str,
                               statuses: Iterable[str] = ("confirmed",)) -> list[tuple[Attribution, Speaker | None]]:
    """The live attributions of a figure with their speakers (following merges)."""
    out = []
    for att in store.attributions(figure_id=figure_id, statuses=tuple(statuses)):
        sp = resolve_speaker(store, att.speaker_id)
        out.append((att, sp))
    return out


def resolve_speaker(store: AnnotationStore, speaker_id: str) -> Speaker | None:
    """The speaker with ``speaker_id``, or the one it was merged into."""
    seen = set()
    sp = store.get(Speaker, speaker_id)
    while sp is not None and sp.merged_into and sp.id not in seen:
        seen.add(sp.id)
        sp = store.get(Speaker, sp.merged_into)
    return sp


__all__ = [
    "NO_EVIDENCE",
    "add_document",
    "annotation_path_for",
    "attributions_with_speakers",
    "evidence_fields",
    "figure_from_span",
    "is_annotation_path",
    "location_label",
    "open_annotation_file",
    "open_or_create_for_document",
    "parse_fields",
    "parse_number_input",
    "resolve_speaker",
    "save_copy",
    "snap_to_words",
    "speaker_name_from_span",
]
