"""Scoring predicted text spans against gold spans (figures, speakers...).

Two matchings are offered:

* ``"exact"``: a prediction matches a gold span with the same start and end;
* ``"overlap"``: a prediction matches a gold span it shares at least one character with; each
  gold span and each prediction is used at most once (largest overlaps are paired first).

Precision = matched predictions / predictions, recall = matched gold spans / gold spans, F1 their
harmonic mean.  :class:`Score` objects add up (micro-averaging over documents).

Gold files (``tests/gold/figures/*.json``) store each span with a little context so its offsets
can be recomputed by search when the document text changes (:func:`relocate_gold`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Iterable, Sequence

__all__ = [
    "Score", "match_spans", "score_spans", "load_gold", "relocate_gold", "GoldDocument",
    "GoldSpan",
]


@dataclass
class Score:
    """Counts of one comparison; ``+`` adds the counts (micro-average)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def __str__(self) -> str:
        return (f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
                f"(tp {self.tp}, fp {self.fp}, fn {self.fn})")


Span = tuple[int, int]


def _as_span(x) -> Span:
    if isinstance(x, tuple):
        return x[0], x[1]
    return x.start, x.end


def match_spans(pred: Iterable, gold: Iterable, mode: str = "exact"
                ) -> tuple[list[tuple[Span, Span]], list[Span], list[Span]]:
    """Pair predictions with gold spans.

    ``pred`` and ``gold`` hold ``(start, end)`` tuples or objects with ``start``/``end``.
    Returns (matched (pred, gold) pairs, unmatched predictions, unmatched gold spans).
    """
    if mode not in ("exact", "overlap"):
        raise ValueError(f"unknown matching mode {mode!r}")
    P = sorted({_as_span(p) for p in pred})
    G = sorted({_as_span(g) for g in gold})
    if mode == "exact":
        gs = set(G)
        pairs = [(p, p) for p in P if p in gs]
        matched = {p for p, _ in pairs}
        return pairs, [p for p in P if p not in matched], [g for g in G if g not in matched]
    candidates = []
    j0 = 0
    for p in P:
        while j0 < len(G) and G[j0][1] <= p[0]:
            j0 += 1
        j = j0
        while j < len(G) and G[j][0] < p[1]:
            ov = min(p[1], G[j][1]) - max(p[0], G[j][0])
            if ov > 0:
                candidates.append((-ov, p, G[j]))
            j += 1
    candidates.sort()
    used_p, used_g, pairs = set(), set(), []
    for _, p, g in candidates:
        if p in used_p or g in used_g:
            continue
        used_p.add(p)
        used_g.add(g)
        pairs.append((p, g))
    pairs.sort()
    return pairs, [p for p in P if p not in used_p], [g for g in G if g not in used_g]


def score_spans(pred: Iterable, gold: Iterable, mode: str = "exact") -> Score:
    pairs, fp, fn = match_spans(pred, gold, mode)
    return Score(len(pairs), len(fp), len(fn))


# ------------------------------------------------------------------------------------------------
# Gold files
# ------------------------------------------------------------------------------------------------

@dataclass
class GoldSpan:
    text: str
    start: int
    end: int
    before: str = ""
    after: str = ""


@dataclass
class GoldDocument:
    name: str
    document: str                       # path relative to the corpus (or "text/<sample>")
    text_basis: str
    text_length: int
    text_sha256: str
    spans: list[GoldSpan] = field(default_factory=list)
    region: dict | None = None          # {"first": ..., "last": ...}: where the labelled text is


def load_gold(path: str | os.PathLike) -> GoldDocument:
    with open(path, encoding="utf-8") as fh:
        d = json.load(fh)
    spans = [GoldSpan(f["text"], f["start"], f["end"], f.get("before", ""), f.get("after", ""))
             for f in d["figures"]]
    name = os.path.splitext(os.path.basename(os.fspath(path)))[0]
    return GoldDocument(name, d["document"], d.get("text_basis", ""), d.get("text_length", 0),
                        d.get("text_sha256", ""), spans, d.get("region"))


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def relocate_gold(gold: GoldDocument, text: str) -> tuple[list[GoldSpan], list[GoldSpan]]:
    """Offsets of the gold spans in ``text`` (which may differ from the text they were made on).

    Spans whose offsets still hold the same text are kept; others are searched for, choosing the
    occurrence whose surrounding text best matches the stored context and keeping the gold order.
    Returns (located spans, spans that could not be found).
    """
    located, missing = [], []
    floor = 0
    for g in gold.spans:
        if text[g.start:g.end] == g.text and text[max(0, g.start - len(g.before)):g.start] == g.before:
            located.append(g)
            floor = g.end
            continue
        best, best_score = None, -1
        i = text.find(g.text)
        while i >= 0:
            score = (_common_suffix(text[max(0, i - len(g.before)):i].split(), g.before.split())
                     * 10 + _common_prefix(text[i + len(g.text):i + len(g.text) + len(g.after)]
                                           .split(), g.after.split()) * 10)
            score += 5 if i >= floor else 0
            if score > best_score:
                best, best_score = i, score
            i = text.find(g.text, i + 1)
        if best is None:
            missing.append(g)
            continue
        located.append(GoldSpan(g.text, best, best + len(g.text), g.before, g.after))
        floor = best + len(g.text)
    return located, missing


def region_of(gold: GoldDocument, text: str) -> tuple[int, int]:
    """The part of ``text`` the gold labels cover (all of it unless the gold names a region)."""
    if not gold.region:
        return 0, len(text)
    a = text.find(gold.region["first"])
    b = text.rfind(gold.region["last"])
    start = a if a >= 0 else 0
    end = b + len(gold.region["last"]) if b >= 0 else len(text)
    return start, end


def in_region(spans: Sequence, region: tuple[int, int]) -> list:
    a, b = region
    return [s for s in spans if _as_span(s)[0] >= a and _as_span(s)[1] <= b]
