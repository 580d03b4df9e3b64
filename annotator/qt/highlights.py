"""Highlights: what the document views draw over the text, and how it looks.

The same :class:`Highlight` objects feed the article reader and the PDF view, so both
show the same colours. Offsets are code points into the stored document text; for
paged documents ``page`` and ``quads`` say where they are drawn.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

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


def build(state: DocumentState, me: str, figure_ids=None, flagged=frozenset()) -> dict[str, Highlight]:
    """Highlights of the given figures (all when None) and of their attributions' evidence;
    the figures in ``flagged`` are drawn as mismatches.

    Their tooltips are worked out from the state when first shown (``Highlight.tip()``)."""
    out: dict[str, Highlight] = {}
    ids = state.figures.keys() if figure_ids is None else [i for i in figure_ids if i in state.figures]
    partial = functools.partial
    for fid in ids:
        f = state.figures[fid]
        out["f:" + fid] = Highlight("f:" + fid, "figure", fid, f.start, f.end, f.verdict, f.status, f.author,
                                    f.page, _quads(f.quads), "", partial(figure_tooltip, state, fid, me),
                                    fid in flagged)
        for a in state.attributions.get(fid, {}).values():
            if a.evidence_start is None or a.evidence_end is None or a.evidence_end <= a.evidence_start:
                continue
            out["e:" + a.id] = Highlight("e:" + a.id, "evidence", fid, a.evidence_start, a.evidence_end, f.verdict,
                                         a.status, a.author, a.evidence_page, _quads(a.evidence_quads), "",
                                         partial(evidence_tooltip, state, fid, a.id))
    return out


class HighlightSource(QObject):
    """Keeps the highlights of the current document in step with the store.

    ``changed`` carries the set of highlight keys to redraw, or None for all.
    """

    changed = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.state: DocumentState | None = None
        self.me = ""
        self.highlights: dict[str, Highlight] = {}
        self._by_figure: dict[str, set[str]] | None = {}  # figure id -> its highlight keys
        self.flagged: frozenset[str] = frozenset()  # figure ids drawn as mismatches

    def reset(self, state: DocumentState | None, me: str) -> None:
        self.state = state
        self.me = me
        self.highlights = build(state, me, flagged=self.flagged) if state is not None else {}
        self._by_figure = None  # indexed at the first change (not on every reset)
        self.changed.emit(None)

    def _index(self) -> dict[str, set[str]]:
        if self._by_figure is None:
            by: dict[str, set[str]] = {}
            for k, h in self.highlights.items():
                by.setdefault(h.figure_id, set()).add(k)
            self._by_figure = by
        return self._by_figure

    def on_change(self, change: Change) -> None:
        if self.state is None:
            return
        if change.reset:
            self.reset(self.state, self.me)
            return
        fids = set(change.added) | set(change.removed) | set(change.updated)
        if not fids:
            return
        keys: set[str] = set()
        by_figure = self._index()
        for fid in fids:
            for k in by_figure.pop(fid, ()):
                keys.add(k)
                self.highlights.pop(k, None)
        fresh = build(self.state, self.me, fids, self.flagged)
        self.highlights.update(fresh)
        for k, h in fresh.items():
            by_figure.setdefault(h.figure_id, set()).add(k)
        keys |= set(fresh)
        self.changed.emit(keys)

    def set_flagged(self, figure_ids) -> None:
        """Draw these figures as mismatches (a check of theirs does not compute); the others not."""
        new = frozenset(figure_ids)
        if new == self.flagged:
            return
        changed = new ^ self.flagged
        self.flagged = new
        keys = set()
        for fid in changed:
            k = "f:" + fid
            h = self.highlights.get(k)
            if h is not None:
                self.highlights[k] = replace(h, flagged=fid in new)
                keys.add(k)
        if keys:
            self.changed.emit(keys)
