"""Suggestions: every figure of a document with the speaker the text attributes it to.

:func:`suggest` runs figure detection and attribution over a document's text, in
chunks (pages, or groups of paragraphs) so long documents report progress and can be
cancelled. :func:`store_suggestions` writes them into an annotation file, either as
"suggested" records the fact-checker accepts or rejects one by one, or accepted at
once (``annotator new --accept-suggestions``). A span the user rejected stays rejected:
it is never proposed again.

Speed (issue 3: a 1000-page PDF in at most 1.5x a raw ``get_text("words")`` pass; see
benchmarks/bench_suggest.py): a long text is read with a helper process on the second core
(:mod:`annotator.core.figures_worker`: the figures of the pages ahead, and the text-only part of
the attribution), with the same result as in one process; no full garbage collection runs during
a pass; the attribution's reading of the text is dropped when the pass ends.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from annotator.core.anchors import CONTEXT
from annotator.core.attribution import SpeakerCandidate, attribute, install, match_speaker, release
from annotator.core.errors import Cancelled
from annotator.core.figures import FigureSuggestion, ParsedFigure, detect_figures
from annotator.core.model import Attribution, Figure, Speaker
from annotator.core.store import AnnotationStore

#: flowing text is processed in chunks of about this many characters (cut at paragraph breaks)
CHUNK_CHARS = 200_000


@dataclass(slots=True)
class Suggestion:
    start: int
    end: int
    text: str
    parsed: ParsedFigure
    page: int | None = None
    speakers: list[SpeakerCandidate] = field(default_factory=list)

    @property
    def value(self):
        return FigureSuggestion(self.start, self.end, self.text, self.parsed).value_json()

    @property
    def speaker(self) -> SpeakerCandidate | None:
        """The original speaker (first candidate); its name is None for the document's own voice."""
        return self.speakers[0] if self.speakers else None

    def to_json(self) -> dict:
        p = self.parsed
        first = self.speaker
        evidence = None
        if first is not None and first.evidence_start is not None:
            evidence = {"start": first.evidence_start, "end": first.evidence_end}
        out = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "unit": p.unit,
            "qualifier": p.qualifier,
            "counted": p.counted,
            "rate": p.rate,
            "speaker": first.name if first else None,
            "speaker_kind": first.kind if first else "document",
            "speaker_role": first.role if first else "states",
            "evidence": evidence,
            "speakers": [
                {
                    "name": c.name,
                    "kind": c.kind,
                    "role": c.role,
                    "affiliation": c.affiliation,
                    "evidence": None if c.evidence_start is None else {"start": c.evidence_start, "end": c.evidence_end},
                    "confidence": c.confidence,
                }
                for c in self.speakers
            ],
        }
        if self.page is not None:
            out["page"] = self.page
        return out


def _chunks(text: str, pages: list | None) -> list[tuple[int, int]]:
    """Spans to process one at a time: the pages of a paged document, else paragraph-aligned blocks."""
    if pages:
        spans = []
        for p in pages:
            s, e = (p["start"], p["end"]) if isinstance(p, dict) else (p.start, p.end)
            spans.append((s, e))
        return spans
    spans, start = [], 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n\n", start + CHUNK_CHARS // 2, end)
            end = cut + 2 if cut != -1 else end
        spans.append((start, end))
        start = end
    return spans or [(0, 0)]


def _without_superscripts(found: list, page) -> list:
    """Drop the figures that are wholly a superscript word of the page: footnote markers ("flight control
    system ² generated"), which the PDF marks as superscript (``PageInfo.superscripts``)."""
    sup = page.get("superscripts") if isinstance(page, dict) else getattr(page, "superscripts", None)
    if not sup or not found:
        return found
    inside = {(a, b) for a, b in sup}
    return [f for f in found if (f[0], f[1]) not in inside]


_GC_LOCK = threading.Lock()
_GC_STATE = {"passes": 0, "enabled": False}


@contextlib.contextmanager
def _gc_paused():
    """No automatic garbage collection while a pass runs; what it leaves alive goes straight to the
    oldest generation when it ends.

    A pass keeps the document's reading (relations, mentions) and its results alive, several hundred
    thousand objects on a 1000-page PDF. Collected as they are made, each of them is walked twice (by a
    collection of the youngest generation, then of the middle one), and full collections walk all of
    them again: six full collections made a quarter of a pass's time, and the young collections another
    6-8%. So the collector is switched off while passes run (it frees only reference cycles, which a
    pass makes few of; everything else is freed by reference counting as usual) and, when the last one
    ends, switched back on. What the passes left alive (their results, ~240,000 objects on a 1000-page
    PDF) is then moved to the oldest generation as it is, without a walk (``gc.freeze()`` then
    ``gc.unfreeze()``: two list splices), where only full collections look at it, as they would have
    after young collections had walked it once or twice (one collection of the young generations here
    took 55-75 ms, 4-5% of a pass); a reference cycle made during the pass is freed by the next full
    collection. A process that keeps frozen objects (``gc.get_freeze_count()``: the window does) would
    have them thawed by that, so there one collection of the young generations is made instead.
    Process-wide, counted, so overlapping passes restore it once; a collector switched off by the
    application stays off.
    """
    with _GC_LOCK:
        if _GC_STATE["passes"] == 0:
            _GC_STATE["enabled"] = gc.isenabled()
            gc.disable()
        _GC_STATE["passes"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_STATE["passes"] -= 1
            if _GC_STATE["passes"] == 0 and _GC_STATE["enabled"]:
                _GC_STATE["enabled"] = False
                _promote_survivors()
                gc.enable()


def _promote_survivors() -> None:
    """Move every object the collector tracks to its oldest generation without walking them (see
    :func:`_gc_paused`); one young collection instead if the process keeps objects frozen."""
    if gc.get_freeze_count():
        gc.collect(1)
    else:
        gc.freeze()
        gc.unfreeze()


#: a pass over a text at least this long (about 150 pages of a dense PDF) detects the figures of the
#: pages ahead in a helper process (see annotator.core.figures_worker); shorter ones run in one process
PARALLEL_MIN_CHARS = 500_000


def suggest(
    text: str,
    pages: list | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    speakers: bool = True,
    parallel: bool | None = None,
) -> list[Suggestion]:
    """Figures found in ``text`` (code-point offsets), each with its speaker candidates.

    ``parallel``: detect figures in a helper process while this one attributes speakers (None:
    for texts of at least :data:`PARALLEL_MIN_CHARS` characters in several chunks). The result is
    the same either way.
    """
    with _gc_paused():
        return _suggest(text, pages, progress, cancel, speakers, parallel)


def _suggest(text, pages, progress, cancel, speakers, parallel) -> list[Suggestion]:
    out: list[Suggestion] = []
    chunks = _chunks(text, pages)
    page_starts = [s for s, _ in chunks] if pages else None
    # pages in text order, each starting where its text starts (then a figure of chunk i is on page i
    # unless a later page starts at or before it): any other table is looked up figure by figure
    ordered = page_starts is not None and all(a < b for a, b in zip(page_starts, page_starts[1:]))
    if parallel is None:
        parallel = len(text) >= PARALLEL_MIN_CHARS and len(chunks) >= 8
    helper = None
    if parallel and len(chunks) > 1:
        from annotator.core.figures_worker import FigureHelper

        helper = FigureHelper.start(text, chunks, speakers)
    try:
        for i, (cs, ce) in enumerate(chunks):
            if cancel is not None and cancel():
                raise Cancelled("Finding figures was cancelled.")
            rows = paragraphs = None
            if helper is not None:
                rows, paragraphs = helper.figures(i), helper.reading(i)
                helper.reached(i)  # from now on the helper works on the pages after this one
                if paragraphs:
                    install(text, paragraphs)
            if rows is None:
                found = [(f.start + cs, f.end + cs, f.text, f.parsed) for f in detect_figures(text[cs:ce])]
            else:
                found = [(r[0] + cs, r[1] + cs, text[r[0] + cs:r[1] + cs], ParsedFigure(*r[2:])) for r in rows]
            if pages:
                found = _without_superscripts(found, pages[i])
            spans = [(f[0], f[1]) for f in found]
            # attribution reads the whole text (one reading, reused across chunks), so a speaker named
            # on an earlier page, "he said" or a continuing quotation still resolve
            cands = attribute(text, spans) if (speakers and found) else [[] for _ in found]
            # the page of a figure: this chunk's, unless later pages start at or before it (bisect then)
            nxt = page_starts[i + 1] if page_starts is not None and i + 1 < len(chunks) else None
            for (gs, ge, ftext, parsed), cand_list in zip(found, cands):
                page = None
                if page_starts is not None:
                    page = i if ordered and (nxt is None or gs < nxt) else bisect.bisect_right(page_starts, gs) - 1
                out.append(Suggestion(gs, ge, ftext, parsed, page, cand_list))  # a new list per figure
            if progress is not None:
                progress(i + 1, len(chunks))
    finally:
        if helper is not None:
            helper.close()
        release(text)  # the reading of the text is not needed after the pass
    return out


# --------------------------------------------------------------------------- storing


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    i = bisect.bisect_left(spans, (s, -1))
    for j in (i - 1, i):
        if 0 <= j < len(spans):
            a, b = spans[j]
            if a < e and s < b:
                return True
    return False


@dataclass
class StoreReport:
    figures: int = 0
    attributions: int = 0
    speakers_created: int = 0
    skipped_existing: int = 0
    skipped_rejected: int = 0
    alias_proposals: list[tuple[str, str]] = field(default_factory=list)  # (suggested name, existing speaker)
    figure_ids: list[str] = field(default_factory=list)


def store_suggestions(
    store: AnnotationStore,
    document_id: str,
    suggestions: Iterable[Suggestion],
    accept: bool = False,
    quads_for: Callable[[int, int], tuple[int | None, list | None]] | None = None,
) -> StoreReport:
    """Write suggestions into the file in one transaction.

    ``accept`` makes them confirmed figures and attributions at once; otherwise they are
    "suggested" for the user to accept or reject. Spans overlapping an existing figure
    (confirmed, suggested or rejected) are skipped, so rejected suggestions are never
    proposed again and running twice adds nothing. Speaker names are matched to existing
    speakers by name and alias; a fuzzy match ("Royedad 24" for "Roydad 24") is reported as
    an alias proposal and never merged silently.
    """
    with _gc_paused():
        return _store(store, document_id, suggestions, accept, quads_for)


class _Ids:
    """Random (version 4) UUID strings, as ``model.new_id`` makes them, read from the system's random
    source a few thousand at a time instead of one call per record."""

    def __init__(self):
        self._ids: list[str] = []

    def __call__(self) -> str:
        if not self._ids:
            h = os.urandom(16 * 4096).hex()
            self._ids = [f"{x[:8]}-{x[8:12]}-4{x[13:16]}-{'89ab'[int(x[16], 16) & 3]}{x[17:20]}-{x[20:]}"
                         for x in (h[k:k + 32] for k in range(0, len(h), 32))]
        return self._ids.pop()


def _store(store, document_id, suggestions, accept, quads_for) -> StoreReport:
    new_id = _Ids()
    text = store.document_text(document_id)
    size = len(text)
    info = store.document(document_id)
    page_of = info.page_of if info.pages else None
    status = "confirmed" if accept else "suggested"
    report = StoreReport()
    existing = store.records(Figure, "document_id = ?", [document_id], include_deleted=False)
    taken = sorted((f.start, f.end) for f in existing)
    rejected = sorted((f.start, f.end) for f in existing if f.status == "rejected")
    known = [(sp.id, sp.name, list(sp.aliases)) for sp in store.speakers()]
    by_key: dict[str, str] = {}
    new_records: list = []
    add, figure_ids = new_records.append, report.figure_ids

    def quote(start: int, end: int) -> tuple[str, str, str]:
        """The quote selector of [start, end) (exact, prefix, suffix), as ``anchors.quote_selector``."""
        if not (0 <= start <= end <= size):
            raise ValueError(f"span {start}..{end} outside a text of {size} characters")
        return text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]

    for sug in suggestions:
        start, end = sug.start, sug.end
        if taken and _overlaps(taken, start, end):
            if _overlaps(rejected, start, end):
                report.skipped_rejected += 1
            else:
                report.skipped_existing += 1
            continue
        exact, prefix, suffix = quote(start, end)
        page, quads = sug.page, None
        if quads_for is not None:
            page, quads = quads_for(start, end)
        elif page is None and page_of is not None:
            page = page_of(start)
        p = sug.parsed
        fig_id = new_id()
        add(Figure(
            id=fig_id, document_id=document_id, start=start, end=end, exact=exact, prefix=prefix,
            suffix=suffix, page=page, quads=quads, value=p.value, low=p.low, high=p.high, unit=p.unit,
            qualifier=p.qualifier, counted=p.counted, rate=p.rate, status=status,
        ))
        if not taken or taken[-1] <= (start, end):
            taken.append((start, end))  # suggestions come in text order: no insertion in the middle
        else:
            bisect.insort(taken, (start, end))
        figure_ids.append(fig_id)
        for cand in sug.speakers:
            speaker_id = _speaker_for(cand, known, by_key, report, new_records, new_id)
            ev_start, ev_end = cand.evidence_start, cand.evidence_end
            if ev_start is not None and ev_end is not None:
                ev_exact, ev_prefix, ev_suffix = quote(ev_start, ev_end)
                ev_page = page_of(ev_start) if page_of is not None else None
            else:  # the record's defaults
                ev_start = ev_end = ev_page = None
                ev_exact = ev_prefix = ev_suffix = ""
            add(Attribution(
                id=new_id(), figure_id=fig_id, speaker_id=speaker_id, role=cand.role, status=status,
                evidence_start=ev_start, evidence_end=ev_end, evidence_exact=ev_exact, evidence_prefix=ev_prefix,
                evidence_suffix=ev_suffix, evidence_page=ev_page,
            ))
        report.attributions += len(sug.speakers)
    report.figures = len(figure_ids)
    if new_records:
        store.add_many(new_records)
    return report


DOCUMENT_VOICE = "The document"


def _speaker_for(cand: SpeakerCandidate, known, by_key, report: StoreReport, new_records: list,
                 new_id: Callable[[], str]) -> str:
    name = cand.name or DOCUMENT_VOICE
    kind = cand.kind if cand.name else "document"
    key = name.casefold()
    if key in by_key:
        return by_key[key]
    match = match_speaker(name, known) if known else None
    if match is not None and match.exact:
        by_key[key] = match.speaker_id
        return match.speaker_id
    sp = Speaker(id=new_id(), name=name, kind=kind, affiliation=cand.affiliation or "")
    new_records.append(sp)
    report.speakers_created += 1
    if match is not None:
        other = next((n for sid, n, _ in known if sid == match.speaker_id), "")
        report.alias_proposals.append((name, other))
    known.append((sp.id, sp.name, []))
    by_key[key] = sp.id
    return sp.id


def _review_many(store: AnnotationStore, figure_ids: Iterable[str], status: str) -> list[tuple[type, dict]]:
    """The live suggested figures among ``figure_ids`` and their suggested attributions given ``status``,
    in one transaction with one bulk update per table (``store.update_many``); the others (accepted or
    rejected already, deleted, unknown) are left as they are. Returns ``[(cls, {id: previous values})]``,
    figures first, for :meth:`~annotator.core.store.AnnotationStore.restore_many`."""
    import json

    ids = list(dict.fromkeys(figure_ids))
    if not ids:
        return []
    undo: list[tuple[type, dict]] = []
    with store.transaction():
        figs = store.update_many(Figure, ids, {"status": status}, where={"status": "suggested", "deleted": False})
        if not figs:
            return []
        undo.append((Figure, figs))
        att_ids = [r[0] for r in store.conn.execute(
            "SELECT id FROM attributions WHERE figure_id IN (SELECT value FROM json_each(?)) "
            "AND status = 'suggested' AND deleted = 0 ORDER BY rowid", [json.dumps(list(figs))])]
        atts = store.update_many(Attribution, att_ids, {"status": status}, where={"status": "suggested"})
        if atts:
            undo.append((Attribution, atts))
    return undo


def accept_suggestions(store: AnnotationStore, figure_ids: Iterable[str]) -> list[tuple[type, dict]]:
    """Confirm many suggested figures and their suggested attributions at once ("accept all from this
    speaker"): one transaction, one change event per table. Figures that are not live suggestions are
    skipped. Returns undo data ``[(cls, {id: previous values})]`` (``store.restore_many`` each)."""
    return _review_many(store, figure_ids, "confirmed")


def reject_suggestions(store: AnnotationStore, figure_ids: Iterable[str]) -> list[tuple[type, dict]]:
    """Reject many suggested figures and their suggested attributions at once: they stay in the file as
    "rejected", so they are never proposed again. Same transaction, events and undo data as
    :func:`accept_suggestions`."""
    return _review_many(store, figure_ids, "rejected")


def _flat(undo: list[tuple[type, dict]]) -> list[tuple]:
    return [(cls, rid, prev) for cls, previous in undo for rid, prev in previous.items()]


def accept_suggestion(store: AnnotationStore, figure_id: str) -> list[tuple]:
    """Confirm a suggested figure and its suggested attributions; returns undo data ``[(cls, id, previous)]``."""
    return _flat(accept_suggestions(store, [figure_id]))


def reject_suggestion(store: AnnotationStore, figure_id: str) -> list[tuple]:
    """Reject a suggested figure: it stays in the file as "rejected" so it is never proposed again."""
    return _flat(reject_suggestions(store, [figure_id]))


def suggestions_from_speaker(store: AnnotationStore, document_id: str, speaker_id: str) -> list[str]:
    """Ids of suggested figures whose suggested speaker is ``speaker_id`` ("accept all from this speaker"),
    in text order; one query."""
    # the speaker's attributions first (their index), then each figure by its key: one pass over each
    sql = ("SELECT f.id FROM figures AS f WHERE f.id IN (SELECT a.figure_id FROM attributions AS a "
           "WHERE a.speaker_id = ? AND a.status = 'suggested' AND a.deleted = 0) "
           "AND f.document_id = ? AND f.status = 'suggested' AND f.deleted = 0 ORDER BY f.start, f.rowid")
    return [r[0] for r in store.conn.execute(sql, [speaker_id, document_id])]
