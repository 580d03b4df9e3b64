"""Anchors: where an annotation sits in a document's text, stored three ways.

1. character offsets (Python code points) into the stored document text;
2. a text-quote selector: the exact text plus up to ``CONTEXT`` characters before and after;
3. for PDFs, the page number and the quads (in :mod:`annotator.core.pdf`).

Qt counts text positions in UTF-16 code units, Python in code points; the two
helpers here convert between them. Re-anchoring against a changed text lives in
:func:`reanchor`.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass

CONTEXT = 32


# --------------------------------------------------------------------------- UTF-16


class Utf16Map:
    """Fast conversion between code-point offsets and UTF-16 offsets for one text."""

    def __init__(self, text: str):
        # code-point indexes of the characters outside the BMP (each takes two UTF-16 units)
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
        # their positions in UTF-16 units
        self._astral16 = [cp + n for n, cp in enumerate(self._astral)]

    def to_utf16(self, cp: int) -> int:
        return cp + bisect.bisect_left(self._astral, cp)

    def to_cp(self, u16: int) -> int:
        # number of astral characters that start strictly before u16
        n = bisect.bisect_left(self._astral16, u16)
        # a position in the middle of a surrogate pair rounds down to the pair's start
        if n and self._astral16[n - 1] + 1 == u16:
            return self._astral[n - 1]
        return u16 - n


def cp_to_utf16(text: str, cp: int) -> int:
    """UTF-16 offset of code-point offset ``cp`` in ``text``."""
    return cp + sum(1 for ch in text[:cp] if ord(ch) > 0xFFFF)


def utf16_to_cp(text: str, u16: int) -> int:
    """Code-point offset of UTF-16 offset ``u16`` in ``text``."""
    return Utf16Map(text).to_cp(u16)


# --------------------------------------------------------------------------- selectors


@dataclass(frozen=True)
class TextQuote:
    exact: str
    prefix: str
    suffix: str


def quote_selector(text: str, start: int, end: int, context: int = CONTEXT) -> TextQuote:
    if not (0 <= start <= end <= len(text)):
        raise ValueError(f"span {start}..{end} outside a text of {len(text)} characters")
    return TextQuote(text[start:end], text[max(0, start - context) : start], text[end : end + context])


@dataclass(frozen=True)
class Placement:
    """Result of re-anchoring: where the quote now sits, and how it was found."""

    start: int
    end: int
    method: str  # "exact" | "position" | "fuzzy"
    score: float  # 1.0 = certain
    text: str  # what the new text holds there


_DIGITS = re.compile(r"\d")


def digits_of(s: str) -> str:
    return "".join(_DIGITS.findall(s))


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How well the text around [start, end) matches the stored prefix and suffix (0..1)."""
    parts = []
    if prefix:
        before = text[max(0, start - len(prefix)) : start]
        parts.append(difflib.SequenceMatcher(None, before, prefix, autojunk=False).ratio())
    if suffix:
        after = text[end : end + len(suffix)]
        parts.append(difflib.SequenceMatcher(None, after, suffix, autojunk=False).ratio())
    return sum(parts) / len(parts) if parts else 0.5


def reanchor(
    text: str,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start_hint: int | None = None,
    min_score: float = 0.6,
) -> Placement | None:
    """Find ``exact`` (with its context) in ``text``.

    Order: exact matches (several copies are told apart by their prefix/suffix, then
    by closeness to ``start_hint``); then the stored position if the text there still
    matches; then a fuzzy search weighted by prefix and suffix. Returns None when the
    quote cannot be placed with confidence: the caller lists it as an orphan.
    """
    if not exact:
        return None
    # 1. exact text
    hits = [m.start() for m in re.finditer(re.escape(exact), text)]
    if hits:
        def rank(pos: int):
            ctx = _context_score(text, pos, pos + len(exact), prefix, suffix)
            dist = abs(pos - start_hint) if start_hint is not None else 0
            return (-round(ctx, 3), dist)

        best = min(hits, key=rank)
        ctx = _context_score(text, best, best + len(exact), prefix, suffix)
        if len(hits) == 1 or ctx >= 0.5 or start_hint is not None:
            return Placement(best, best + len(exact), "exact", max(ctx, 0.75), exact)
    # 2. position: same place still holds the same text
    if start_hint is not None and text[start_hint : start_hint + len(exact)] == exact:
        return Placement(start_hint, start_hint + len(exact), "position", 0.9, exact)
    # 3. fuzzy: find the context, then the best window between prefix and suffix
    return _fuzzy(text, exact, prefix, suffix, start_hint, min_score)


def _fuzzy(text, exact, prefix, suffix, start_hint, min_score) -> Placement | None:
    n = len(exact)
    candidates: set[int] = set()
    # anchor on where the prefix ends / the suffix starts
    for ctx, after in ((prefix, True), (suffix, False)):
        if len(ctx) < 8:
            continue
        for probe in (ctx[-16:], ctx[:16]) if after else (ctx[:16], ctx[-16:]):
            for m in re.finditer(re.escape(probe), text):
                if after:
                    # the quote starts where the whole prefix ends
                    base = m.end() + (len(ctx) - (ctx.find(probe) + len(probe)))
                    candidates.add(base)
                else:
                    base = m.start() - ctx.find(probe) - n
                    candidates.add(base)
    if start_hint is not None:
        candidates.add(start_hint)
    best: Placement | None = None
    for c in candidates:
        for s in range(max(0, c - 12), min(len(text), c + 12) + 1):
            for length in {n, n - 1, n + 1, n - 2, n + 2}:
                e = s + length
                if length <= 0 or e > len(text):
                    continue
                cand = text[s:e]
                core = difflib.SequenceMatcher(None, cand, exact, autojunk=False).ratio()
                ctx = _context_score(text, s, e, prefix, suffix)
                score = 0.55 * core + 0.45 * ctx
                # a span that cuts a word or number in two is unlikely to be what was marked
                if s > 0 and text[s - 1].isalnum() and text[s].isalnum():
                    score -= 0.1
                if e < len(text) and text[e - 1].isalnum() and text[e].isalnum():
                    score -= 0.1
                if best is None or score > best.score:
                    best = Placement(s, e, "fuzzy", score, cand)
    if best is None or best.score < min_score:
        return None
    return best
