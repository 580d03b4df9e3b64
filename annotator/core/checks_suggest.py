"""Suggested checks (issue 6): relations the text itself suggests, proposed for the user to accept.

Within one *block* of text (a paragraph, or several paragraphs held together by one quotation),
the inputs of a relation are looked for; its target may sit in the same block or the next one
("In other words, … around $79 million a year" follows the quote it converts). Proposed:

* **share**: a percentage p and two figures a < b in the same units with a ≈ p% × b;
* **product**: two figures b, c whose product (units carried) is a third figure a;
* **sum**: two or three figures in the same units adding up to a precisely written fourth;
* **period**: an amount per one period and an amount of the same thing per another ("3 trillion
  rials per month … 3,6 quadrillion rials per year"), proposed whatever the values: a
  conversion that does not compute is exactly what a checker wants to see;
* **currency**: two amounts of the same thing in different currencies, proposed without a rate:
  the user enters it with its date and source (the check shows the rate the text implies).

Value-based proposals (share, product, sum) are made only when the arithmetic holds within the
target's written precision, read as the bound's next step for "more than"/"at least" targets, so
the lists stay short. Proposals are :class:`~annotator.core.model.Relation` records with status
"suggested" and a note saying why. A relation already in the file — confirmed, suggested, rejected
or deleted, with the same kind, target and inputs — is never proposed again.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from annotator.core.checks import evaluate, figure_label
from annotator.core.checks_precision import Interval, as_percent, read_figure
from annotator.core.checks_units import PERCENT, Dims, compatible_for_sum, figure_dims, period_of
from annotator.core.model import Figure, Relation

#: a sum is only proposed when its target is written to within this relative precision
SUM_MAX_REL_WIDTH = 0.10
#: at most this many proposals per document
MAX_SUGGESTIONS = 200
SUGGESTION_AUTHOR = "annotator"


@dataclass
class _F:
    fig: Figure  # as stored
    point: float
    dims: Dims
    match: Interval  # where a computed value must fall for the figure to be a proposed target
    rel_width: float  # width of its claim interval relative to its value (inf when unbounded)
    block: int
    period: str | None  # its rate's period ("month"), if any
    bare: bool  # no unit, counted noun or rate: often a label or a section number, not a quantity


def _blocks(text: str, paragraphs: list) -> list[tuple[int, int]]:
    """Paragraphs, merged when a quotation opened in one closes in a later one."""
    spans = [tuple(p) for p in paragraphs] if paragraphs else _line_spans(text)
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        depth = _quote_balance(text[start:end])
        j = i
        while depth > 0 and j + 1 < len(spans) and j - i < 5:
            j += 1
            end = spans[j][1]
            depth += _quote_balance(text[spans[j][0]:spans[j][1]])
        out.append((start, end))
        i = j + 1
    return out


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _quote_balance(s: str) -> int:
    return s.count("“") - s.count("”")


def _block_of(blocks: list[tuple[int, int]], offset: int) -> int:
    import bisect

    starts = [b[0] for b in blocks]
    return max(0, bisect.bisect_right(starts, offset) - 1)


def _prepare(figs: list[Figure], blocks) -> list[_F]:
    out = []
    for f in figs:
        g = as_percent(f)
        r = read_figure(g)
        if r.point is None or r.claim is None or not math.isfinite(r.point):
            continue
        match = r.claim if r.claim.bounded else r.input
        rel = (r.claim.hi - r.claim.lo) / abs(r.point) if r.claim.bounded and r.point else math.inf
        dims = figure_dims(g.unit, g.rate, g.counted)
        p = period_of(g.rate) if g.rate else None
        bare = not (f.unit or f.counted or f.rate)
        out.append(_F(f, r.point, dims, match, rel, _block_of(blocks, f.start), p[1] if p else None, bare))
    return out


def _is_percent(d: Dims) -> bool:
    return d == PERCENT


def suggest_relations(store, document_id: str, statuses=("confirmed",)) -> list[Relation]:
    """Relations the text of one document suggests, not yet in the file (nothing is written)."""
    doc = store.document(document_id)
    text = store.document_text(document_id)
    blocks = _blocks(text, doc.paragraphs)
    # after a merge several people may have marked the same words: propose each relation once,
    # between the copies marked first, and not at all when one between any copies exists already
    span_of = {f.id: (f.start, f.end) for f in store.figures(document_id, statuses=None, include_deleted=True)}

    def where(fid: str) -> tuple:
        return span_of.get(fid, (-1, -1, fid))

    def span_key(kind: str, target_id: str, input_ids) -> tuple:
        return (kind, where(target_id), tuple(sorted(where(i) for i in input_ids)))

    first_copies, spans_seen = [], set()
    for f in store.figures(document_id, statuses=statuses):  # in order of position, then of marking
        if (f.start, f.end) not in spans_seen:
            spans_seen.add((f.start, f.end))
            first_copies.append(f)
    figs = _prepare(first_copies, blocks)
    known = {
        span_key(r.kind, r.target_id, r.input_ids)
        for r in store.records(Relation, include_deleted=True)
    }
    by_block: dict[int, list[_F]] = {}
    for f in figs:
        by_block.setdefault(f.block, []).append(f)
    out: list[Relation] = []
    seen: set = set()

    def propose(kind: str, target: _F, inputs: list[_F], note: str, **params) -> None:
        key = span_key(kind, target.fig.id, [i.fig.id for i in inputs])
        if key in known or key in seen or len(out) >= MAX_SUGGESTIONS:
            return
        seen.add(key)
        out.append(Relation(kind=kind, target_id=target.fig.id, input_ids=[i.fig.id for i in inputs],
                            params=params, status="suggested", note=note, author=SUGGESTION_AUTHOR))

    for b in sorted(by_block):
        here = by_block[b]
        targets = here + by_block.get(b + 1, [])
        _shares(here, targets, propose)
        _products(here, targets, propose)
        _sums(here, targets, propose)
        _periods(here, targets, propose)
        _currencies(here, targets, propose)
    # keep only what the checks can evaluate (a proposal must never be nonsense in units)
    figures = {f.fig.id: f.fig for f in figs}
    kept = []
    for rel in out:
        res = evaluate(store, rel, figures)
        if res.status != "unit_mismatch":
            kept.append(rel)
    return kept


def add_suggestions(store, document_id: str | None = None, author: str = SUGGESTION_AUTHOR,
                    statuses=("confirmed",)) -> list[Relation]:
    """Compute and store the suggestions of one document (or all); returns the stored relations."""
    doc_ids = [document_id] if document_id else [d.id for d in store.documents()]
    added = []
    with store.transaction():
        for did in doc_ids:
            for rel in suggest_relations(store, did, statuses):
                added.append(store.add(rel.replace(author=author or SUGGESTION_AUTHOR)))
    return added


def accept(store, relation_id: str) -> dict:
    """Accept a suggested relation; returns the previous values (for undo)."""
    return store.update(Relation, relation_id, status="confirmed")


def reject(store, relation_id: str) -> dict:
    """Reject a suggested relation: it stays in the file, rejected, and is not proposed again."""
    return store.update(Relation, relation_id, status="rejected")


# --------------------------------------------------------------------------- proposals


def _shares(here, targets, propose) -> None:
    pcts = [f for f in here if _is_percent(f.dims) and 0 < f.point <= 100]
    others = [f for f in here if not _is_percent(f.dims) and f.dims != Dims.of({"pp": 1}) and f.point > 0
              and not f.bare]
    cands = [f for f in targets if not _is_percent(f.dims) and f.point > 0 and not f.bare]
    for p in pcts:
        for base in others:
            computed = p.point / 100 * base.point
            for a in cands:
                if a is base or a.fig.id == base.fig.id or a.dims != base.dims or a.point >= base.point:
                    continue
                if a.match.contains(computed):
                    propose("share", a, [p, base],
                            f"{figure_label(a.fig)} ≈ {figure_label(p.fig)} of {figure_label(base.fig)}")


def _products(here, targets, propose) -> None:
    # a factor of 1 makes every product trivially true ("1 work-hour × $85 per hour = $85")
    usable = [f for f in here if not _is_percent(f.dims) and f.dims != Dims.of({"pp": 1}) and f.point > 0
              and f.point != 1 and not f.bare]
    for b, c in itertools.combinations(usable, 2):
        value = b.point * c.point
        dims = b.dims * c.dims
        for a in targets:
            if a.fig.id in (b.fig.id, c.fig.id) or a.bare or _is_percent(a.dims) or not a.match.contains(value):
                continue
            params = {}
            if a.dims != dims:
                missing = a.dims / dims
                # the text states the result per period while the inputs do not say so
                if len(missing.items) == 1 and missing.items[0][1] == -1 and a.period == missing.items[0][0]:
                    params["per"] = a.period
                else:
                    continue
            note = f"{figure_label(b.fig)} × {figure_label(c.fig)} ≈ {figure_label(a.fig)}"
            if params:
                note += f" (assuming per {params['per']})"
            propose("product", a, [b, c], note, **params)


def _sums(here, targets, propose) -> None:
    usable = [f for f in here if f.point > 0 and not f.bare]
    for size in (2, 3):
        for combo in itertools.combinations(usable, size):
            d0 = combo[0].dims
            if not all(compatible_for_sum(x.dims, d0) for x in combo[1:]):
                continue
            total = sum(x.point for x in combo)
            ids = {x.fig.id for x in combo}
            for a in targets:
                if a.fig.id in ids or a.bare or not compatible_for_sum(a.dims, d0):
                    continue
                if a.rel_width > SUM_MAX_REL_WIDTH or any(x.point >= a.point for x in combo):
                    continue
                if a.match.contains(total):
                    propose("sum", a, list(combo),
                            " + ".join(figure_label(x.fig) for x in combo) + f" ≈ {figure_label(a.fig)}")


def _base(f: _F) -> Dims:
    return f.dims * Dims.of({f.period: 1}) if f.period and f.dims.power(f.period) < 0 else f.dims


def _periods(here, targets, propose) -> None:
    from annotator.core.checks_units import PERIOD_DAYS

    rated = [f for f in here if f.period]
    for x in rated:
        for y in targets:
            if y.fig.id == x.fig.id or not y.period or y.period == x.period:
                continue
            if PERIOD_DAYS[y.period] <= PERIOD_DAYS[x.period]:
                continue  # the longer period is the derived one
            if _base(x) != _base(y):
                continue
            cx, cy = (x.fig.counted or "").casefold(), (y.fig.counted or "").casefold()
            if cx and cy and cx != cy:
                continue
            propose("period", y, [x], f"{figure_label(x.fig)} and {figure_label(y.fig)}: the same amount "
                                      f"per {x.period} and per {y.period}")


def _currencies(here, targets, propose) -> None:
    money = [f for f in here if len(f.dims.currencies()) == 1]
    for y in targets:
        yc = y.dims.currencies()
        if len(yc) != 1:
            continue
        best = None
        for x in money:
            xc = x.dims.currencies()[0]
            if x.fig.id == y.fig.id or xc == yc[0] or x.fig.start >= y.fig.start:
                continue
            if x.dims.without(xc) != y.dims.without(yc[0]):
                continue
            if best is None or x.fig.start > best.fig.start:
                best = x
        if best is not None:
            propose("currency", y, [best],
                    f"{figure_label(best.fig)} converted to {yc[0]}: enter the exchange rate, its date and source")



