"""Highlights: what the document views draw over the text, and how it looks.

The same :class:`Highlight` objects feed the article reader and the PDF view, so both
show the same colours. Offsets are code points into the stored document text; for
paged documents ``page`` and ``quads`` say where they are drawn.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor

from annotator.core.model import VERDICTS
from annotator.qt.state import Change, DocumentState

#: background of a confirmed figure, by verdict
VERDICT_COLORS = {
    "unchecked": "#ffe58a",
    "accurate": "#b9ebc0",
    "inaccurate": "#ffb8b8",
    "misleading": "#ffd199",
    "unverifiable": "#d9d2f5",
}
#: darker shade, for underlines, swatches and text on white
VERDICT_INK = {
    "unchecked": "#9a7b00",
    "accurate": "#1e7b34",
    "inaccurate": "#b3261e",
    "misleading": "#b35c00",
    "unverifiable": "#5b4a9e",
}
#: a suggestion (issue 3): pale fill and a dashed underline, so it reads as "not yet confirmed"
SUGGESTED_FILL = "#e8edf5"
SUGGESTED_LINE = "#6a7a99"
#: the evidence of an attribution: blue underline over a pale blue fill
EVIDENCE_FILL = "#e4eefc"
EVIDENCE_LINE = "#2f6fd0"
#: a figure whose check does not compute (a mismatch flag): red wavy underline, red text
FLAG_LINE = "#d0021b"
FLAG_INK = "#b3261e"

assert set(VERDICT_COLORS) == set(VERDICTS)


def verdict_color(verdict: str) -> QColor:
    return QColor(VERDICT_COLORS.get(verdict, VERDICT_COLORS["unchecked"]))


@dataclass(frozen=True)
class Highlight:
    key: str  # "f:<figure id>" or "e:<attribution id>"
    kind: str  # "figure" | "evidence"
    figure_id: str
    start: int  # code points into the document text
    end: int
    verdict: str = "unchecked"
    status: str = "confirmed"  # "confirmed" | "suggested"
    author: str = ""
    page: int | None = None
    quads: tuple | None = None
    tooltip: str = ""
    #: works the tooltip out when it is first shown (building thousands of tooltips up front stalls
    #: the window after a long Find figures pass); ``tip()`` reads either
    tip_fn: Callable[[], str] | None = field(default=None, compare=False, repr=False)

    #: a check of the figure does not compute (the Checks panel): drawn with a red wavy underline and red text
    flagged: bool = False

    def tip(self) -> str:
        """The tooltip text (worked out now when it is lazy)."""
        if self.tooltip or self.tip_fn is None:
            return self.tooltip
        return self.tip_fn()

    def look(self) -> tuple:
        """What the drawing depends on (a change elsewhere, e.g. the tooltip, needs no repaint)."""
        return (self.kind, self.start, self.end, self.verdict, self.status, self.page, self.quads, self.flagged)


def _quads(q) -> tuple | None:
    return tuple(tuple(x) for x in q) if q else None


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def figure_tooltip(state: DocumentState, fid: str, me: str) -> str:
    f = state.figures.get(fid)
    if f is None:  # gone since (the highlight is about to be redrawn)
        return ""
    value = state.value_text(f)
    unit = f.unit or ""
    lines = [f"<b>{_esc(f.exact)}</b>"]
    if value:
        lines.append(f"Value: {_esc(value)} {_esc(unit)}".rstrip())
    lines.append(f"Verdict: {_esc(f.verdict)}" + (" · <i>suggested</i>" if f.status == "suggested" else ""))
    who = state.speakers_text(fid)
    if who:
        lines.append(f"Speakers: {_esc(who)}")
    author = f.author or "unknown"
    lines.append(f"By {_esc(author)}" + (" (you)" if me and author == me else ""))
    if f.note:
        lines.append(f"Note: {_esc(f.note[:200])}")
    return "<br>".join(lines)


def evidence_tooltip(state: DocumentState, fid: str, att_id: str) -> str:
    f = state.figures.get(fid)
    a = state.attributions.get(fid, {}).get(att_id)
    if f is None or a is None:
        return ""
    sp = state.speaker(a.speaker_id)
    name = sp.name if sp else "?"
    return f"Evidence: <b>{_esc(name)}</b> {_esc(a.role)} “{_esc(f.exact)}”<br>By {_esc(a.author or 'unknown')}"


def _figure_highlight(state: DocumentState, fid: str, me: str, flagged: bool) -> Highlight:
    f = state.figures[fid]
    return Highlight("f:" + fid, "figure", fid, f.start, f.end, f.verdict, f.status, f.author, f.page, _quads(f.quads),
                     "", functools.partial(figure_tooltip, state, fid, me), flagged)


def _has_evidence(a) -> bool:
    return a.evidence_start is not None and a.evidence_end is not None and a.evidence_end > a.evidence_start


def _evidence_highlight(state: DocumentState, fid: str, a) -> Highlight:
    f = state.figures[fid]
    return Highlight("e:" + a.id, "evidence", fid, a.evidence_start, a.evidence_end, f.verdict, a.status, a.author,
                     a.evidence_page, _quads(a.evidence_quads), "",
                     functools.partial(evidence_tooltip, state, fid, a.id))


def build(state: DocumentState, me: str, figure_ids=None, flagged=frozenset()) -> dict[str, Highlight]:
    """Highlights of the given figures (all when None) and of their attributions' evidence;
    the figures in ``flagged`` are drawn as mismatches.

    Their tooltips are worked out from the state when first shown (``Highlight.tip()``)."""
    out: dict[str, Highlight] = {}
    ids = state.figures.keys() if figure_ids is None else [i for i in figure_ids if i in state.figures]
    for fid in ids:
        out["f:" + fid] = _figure_highlight(state, fid, me, fid in flagged)
        for a in state.attributions.get(fid, {}).values():
            if _has_evidence(a):
                out["e:" + a.id] = _evidence_highlight(state, fid, a)
    return out


class HighlightMap(Mapping):
    """The highlights of a document as a read-only mapping key -> :class:`Highlight`, worked out from the
    document state when asked for (and kept until their figure changes).

    Nothing is built up front: after a Find figures pass of tens of thousands of suggestions the PDF view
    builds only the highlights of the pages it shows (:meth:`spans` gives it where every highlight is,
    without building them); the reader, which draws them all, iterates it like a dict. It follows the
    state: :class:`HighlightSource` drops the built highlights of the figures a change touches."""

    def __init__(self, state: DocumentState, me: str, flagged: frozenset = frozenset()):
        self.state = state
        self.me = me
        self.flagged = flagged
        self._built: dict[str, Highlight] = {}

    def __getitem__(self, key: str) -> Highlight:
        h = self._built.get(key)
        if h is not None:
            return h
        st = self.state
        kind, _, rid = key.partition(":")
        if kind == "f" and rid in st.figures:
            h = _figure_highlight(st, rid, self.me, rid in self.flagged)
        elif kind == "e":
            fid = st.att_figure.get(rid)
            a = st.attributions.get(fid, {}).get(rid) if fid in st.figures else None
            if a is None or not _has_evidence(a):
                raise KeyError(key)
            h = _evidence_highlight(st, fid, a)
        else:
            raise KeyError(key)
        self._built[key] = h
        return h

    def __contains__(self, key) -> bool:
        if not isinstance(key, str):
            return False
        if key in self._built:
            return True
        st = self.state
        kind, _, rid = key.partition(":")
        if kind == "f":
            return rid in st.figures
        if kind == "e":
            fid = st.att_figure.get(rid)
            a = st.attributions.get(fid, {}).get(rid) if fid in st.figures else None
            return a is not None and _has_evidence(a)
        return False

    def __iter__(self) -> Iterator[str]:
        st = self.state
        atts = st.attributions
        for fid in list(st.figures):
            yield "f:" + fid
            for a in list(atts.get(fid, {}).values()):
                if _has_evidence(a):
                    yield "e:" + a.id

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def forget(self, keys) -> None:
        """Drop the built highlights of ``keys`` (their figure or evidence changed)."""
        built = self._built
        for k in keys:
            built.pop(k, None)

    def spans(self) -> Iterator[tuple[str, int, int, int | None, bool]]:
        """(key, start, end, page or None, has stored quads) of every highlight, from the state's records
        (no highlight is built): where the PDF view finds which page each one is drawn on."""
        st = self.state
        atts = st.attributions
        for fid, f in list(st.figures.items()):
            yield "f:" + fid, f.start, f.end, f.page, bool(f.quads)
            for a in list(atts.get(fid, {}).values()):
                if _has_evidence(a):
                    yield "e:" + a.id, a.evidence_start, a.evidence_end, a.evidence_page, bool(a.evidence_quads)


class HighlightSource(QObject):
    """Keeps the highlights of the current document in step with the store.

    ``highlights`` is a :class:`HighlightMap` over the current document state (built lazily);
    ``changed`` carries the set of highlight keys to redraw, or None for all.
    """

    changed = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.state: DocumentState | None = None
        self.me = ""
        self.highlights: Mapping[str, Highlight] = {}
        self.flagged: frozenset[str] = frozenset()  # figure ids drawn as mismatches

    def reset(self, state: DocumentState | None, me: str) -> None:
        self.state = state
        self.me = me
        self.highlights = HighlightMap(state, me, self.flagged) if state is not None else {}
        self.changed.emit(None)

    def on_change(self, change: Change) -> None:
        if self.state is None:
            return
        if change.reset:
            self.reset(self.state, self.me)
            return
        fids = set(change.added) | set(change.removed) | set(change.updated)
        if not fids:
            return
        hl = self.highlights
        # the keys the figures had (their evidence as the state still holds it, and the evidence the change
        # took away) and the keys they have now
        keys = {"f:" + fid for fid in fids}
        atts = self.state.attributions
        for fid in fids:
            keys.update("e:" + aid for aid in atts.get(fid, ()))
        keys.update("e:" + aid for aid in change.removed_attributions)
        hl.forget(keys)
        self.changed.emit(keys)

    def set_flagged(self, figure_ids) -> None:
        """Draw these figures as mismatches (a check of theirs does not compute); the others not."""
        new = frozenset(figure_ids)
        if new == self.flagged:
            return
        changed = new ^ self.flagged
        self.flagged = new
        hl = self.highlights
        if not isinstance(hl, HighlightMap):
            return
        hl.flagged = new
        keys = {"f:" + fid for fid in changed if fid in self.state.figures}
        hl.forget(keys)
        if keys:
            self.changed.emit(keys)
