"""Check the numbers (issue 6): relations between figures, recomputed and flagged.

A :class:`~annotator.core.model.Relation` says that one figure (the *target*) derives
from others (the *inputs*). Kinds:

``share``
    "a is p% of b". Inputs ``[p, b]`` (or ``[b]`` with ``params["percent"]``) give
    a = p% × b. When the target is the percentage itself, inputs ``[a, b]`` give
    p = a ÷ b × 100; with ``params["solve"] = "whole"`` inputs ``[a, p]`` give b = a ÷ p%.
``product``
    a = b × c × …; inputs listed in ``params["divide"]`` divide instead
    (cost per prisoner = total ÷ prisoners). ``params["per"] = "month"`` states that the
    result is per month when the inputs do not say so (an assumption shown in the
    computation).
``sum``
    a = b + c + …; inputs listed in ``params["subtract"]`` are subtracted.
``period``
    a per P₁ = b per P₂ converted: 12 × per month = per year, 52.14 × per week, 365 ×
    per day, 4 × per quarter… Periods come from the figures' rates or from
    ``params["from"]``/``params["to"]`` ("2 years" for "$300 billion over two years");
    ``params["factor"]`` overrides the factor.
``currency``
    a in one currency = b in another at the rate the user enters:
    ``params = {"rate": 450000, "base": "USD", "quote": "IRR", "date": "2023-02-15",
    "source": "…"}`` means 1 USD = 450,000 IRR (base defaults to the target's currency,
    quote to the input's).
``same``
    a and b are the same quantity from different sources (checked both ways; also used
    by :mod:`annotator.core.provenance` to link, or with status "rejected" to unlink).
``change``
    a percentage change: target p% with inputs ``[old, new]``, or target new with inputs
    ``[old, p%]``; ``params["direction"]`` = "increase" | "decrease".

Units are carried through (see :mod:`annotator.core.checks_units`); a unit mismatch
is reported (status ``unit_mismatch``), never computed. Tolerances follow how each
figure was written (see :mod:`annotator.core.checks_precision`); ``params["tolerance"]``
adds a relative tolerance.

Public API for the GUI and the CLI: :func:`evaluate`, :func:`check_all`,
:func:`results_for_figure`, :func:`mismatched_figure_ids`, :func:`new_relation`,
:func:`validate_relation`, :class:`CheckResult`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from annotator.core.checks_precision import (
    INF,
    Interval,
    Reading,
    _sig,
    as_percent,
    fmt_number,
    leading_qualifier,
    qualifier_class,
    read_figure,
)
from annotator.core.checks_units import (
    COUNT,
    PERCENT,
    PERIOD_DAYS,
    Dims,
    compatible_for_sum,
    dims_text,
    figure_dims,
    period_of,
    rate_symbol,
    unit_symbol,
)
from annotator.core.errors import UserError
from annotator.core.model import Figure, Relation

KINDS = ("share", "product", "sum", "period", "currency", "same", "change")
KIND_LABELS = {
    "share": "a is p% of b",
    "product": "a = b × c × …",
    "sum": "a = b + c + …",
    "period": "a per period = b per other period",
    "currency": "a = b converted at an exchange rate",
    "same": "a and b are the same quantity",
    "change": "a percentage change between two figures",
}
#: the parameters each kind reads (for a relation dialog): name → help
KIND_PARAMS = {
    "share": {"percent": "the percentage, when it is not a figure of the text",
              "solve": "“whole” when the derived figure is the total (inputs: part, percentage)"},
    "product": {"divide": "ids of the inputs that divide instead of multiply",
                "per": "period of the result when the inputs do not state it (“month”)"},
    "sum": {"subtract": "ids of the inputs that are subtracted"},
    "period": {"from": "period of the input when its rate does not say (“2 years”)",
               "to": "period of the derived figure when its rate does not say",
               "factor": "conversion factor, overriding the calendar (e.g. 52 weeks a year)"},
    "currency": {"rate": "exchange rate: 1 base = rate × quote", "base": "currency code (default: the "
                 "derived figure's)", "quote": "currency code (default: the input's)", "date": "date of the rate",
                 "source": "where the rate comes from"},
    "same": {},
    "change": {"direction": "“increase” or “decrease”"},
}
for _params in KIND_PARAMS.values():
    _params.setdefault("tolerance", "extra relative tolerance, e.g. 0.02 for ±2%")

STATUSES = ("ok", "mismatch", "unit_mismatch", "incomplete")
RELATION_STATUSES = ("confirmed", "suggested", "rejected")

OK, MISMATCH, UNIT_MISMATCH, INCOMPLETE = STATUSES


class RelationError(UserError):
    """A relation cannot be made as asked (wrong figures, missing rate...)."""


# --------------------------------------------------------------------------- results


@dataclass
class CheckResult:
    """The outcome of recomputing one relation."""

    relation: Relation
    status: str
    target: Figure | None = None
    inputs: list = field(default_factory=list)  # Figure | None, in relation order
    expected: float | None = None  # computed from the inputs' stated values
    expected_range: Interval | None = None  # computed from the inputs read as intervals (bounds, ranges)
    actual: float | None = None  # the target's stated value
    allowed: Interval | None = None  # what the target, as written, allows
    tolerance_rule: str = ""
    unit: str = ""  # of the target
    computation: str = ""  # the arithmetic spelled out
    message: str = ""  # why it is a mismatch, or what is missing

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def is_mismatch(self) -> bool:
        return self.status in (MISMATCH, UNIT_MISMATCH)

    @property
    def tolerance(self) -> float | None:
        """Half-width of the allowed interval when it is symmetric around the stated value."""
        a = self.allowed
        if a is None or self.actual is None or not a.bounded:
            return None
        lo, hi = self.actual - a.lo, a.hi - self.actual
        if math.isclose(lo, hi, rel_tol=1e-9, abs_tol=1e-12):
            return hi
        return None

    def figure_ids(self) -> list[str]:
        ids = [self.relation.target_id, *_input_ids(self.relation)]
        return [i for i in ids if i]

    def to_json(self) -> dict:
        r = self.relation
        return {
            "id": r.id,
            "kind": r.kind,
            "relation_status": r.status,
            "status": self.status,
            "target": figure_summary(self.target) if self.target else {"id": r.target_id, "missing": True},
            "inputs": [
                figure_summary(f) if f else {"id": fid, "missing": True}
                for fid, f in zip(_input_ids(r), self.inputs or [None] * len(_input_ids(r)))
            ],
            "params": r.params if isinstance(r.params, dict) else {},
            "expected": _json_num(self.expected),
            "expected_range": _json_interval(self.expected_range),
            "actual": _json_num(self.actual),
            "allowed": _json_interval(self.allowed),
            "tolerance": _json_num(self.tolerance),
            "tolerance_rule": self.tolerance_rule,
            "unit": self.unit,
            "computation": self.computation,
            "message": self.message,
            "note": r.note,
        }


def _input_ids(rel: Relation) -> list[str]:
    """The input ids of a relation read from a (possibly damaged or hostile) file."""
    ids = rel.input_ids if isinstance(rel.input_ids, list) else []
    return [i for i in ids if isinstance(i, str)]


def _json_num(x):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return None
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


def _json_interval(iv: Interval | None):
    if iv is None:
        return None
    return [_json_num(iv.lo), _json_num(iv.hi)]


def figure_summary(f: Figure) -> dict:
    return {
        "id": f.id,
        "document_id": f.document_id,
        "text": f.exact,
        "start": f.start,
        "end": f.end,
        "value": _json_num(f.value),
        "low": _json_num(f.low),
        "high": _json_num(f.high),
        "unit": f.unit,
        "rate": f.rate,
        "qualifier": f.qualifier,
        "counted": f.counted,
    }


# --------------------------------------------------------------------------- labels


def unit_label(dims: Dims) -> str:
    return "" if dims == COUNT else dims_text(dims)


def _with_unit(num: str, dims: Dims) -> str:
    u = unit_label(dims)
    if not u:
        return num
    if u.startswith("%"):
        return num + u
    return f"{num} {u}"


def figure_label(f: Figure) -> str:
    """How a figure enters a computation: "at least 200,000", "15%", "3 trillion IRR/month"."""
    f = as_percent(f)
    dims = figure_dims(f.unit, f.rate, f.counted)
    if f.low is not None and f.high is not None and (f.value is None or f.low != f.high):
        num = f"{fmt_number(f.low)}–{fmt_number(f.high)}"
    else:
        num = fmt_number(f.value) if f.value is not None else "?"
    q = (f.qualifier or "").strip()
    if not q and qualifier_class(None, f.exact) != "plain":
        q = _exact_qualifier(f.exact)
    text = _with_unit(num, dims)
    top = [k for k, v in dims.items if v == 1]
    if len(top) == 1 and len(dims.items) <= 2 and top[0] in PERIOD_DAYS:
        # "90 work-hours", "5 days/week": the unit as written, or the time unit in the plural
        word = f.counted if (f.unit is None and f.counted) else top[0] + ("" if f.value == 1 else "s")
        rest = dims.without(top[0])
        text = f"{num} {' '.join(word.split())}" + (unit_label(rest).replace("per ", "/", 1) if rest.items else "")
    return f"{q} {text}" if q else text


def _exact_qualifier(exact: str) -> str:
    return leading_qualifier(exact)


def interval_text(iv: Interval, dims: Dims | None = None) -> str:
    d = dims or COUNT
    if iv.is_point:
        return _with_unit(fmt_number(iv.lo), d)
    if math.isfinite(iv.lo) and math.isfinite(iv.hi):
        return _with_unit(f"{fmt_number(iv.lo)} to {fmt_number(iv.hi)}", d)
    if math.isfinite(iv.lo):
        return "≥ " + _with_unit(fmt_number(iv.lo), d)
    if math.isfinite(iv.hi):
        return "≤ " + _with_unit(fmt_number(iv.hi), d)
    return "any value"


# --------------------------------------------------------------------------- evaluation

FigureLookup = Callable[[str], Figure | None]


class _Incomplete(Exception):
    pass


class _UnitMismatch(Exception):
    pass


@dataclass
class _Plan:
    """What a kind handler returns: how to compute, in which units, and how to say it."""

    calc: Callable[[Callable[[Reading], Interval]], Interval]
    dims: Dims  # units of the computed value
    target_dims: Dims  # units the target is compared in
    expr: str  # e.g. "15% × at least 200,000"
    note: str = ""
    symmetric: bool = False  # "same": the expected side is read as a claim too


def _lookup_fn(store, figures: Mapping[str, Figure] | None) -> FigureLookup:
    def get(fid: str) -> Figure | None:
        if figures is not None and fid in figures:
            f = figures[fid]
        elif store is not None:
            f = store.get(Figure, fid)
        else:
            f = None
        if f is None or f.deleted or f.status == "rejected":
            return None
        return f

    return get


def evaluate(store, relation: Relation, figures: Mapping[str, Figure] | None = None) -> CheckResult:
    """Recompute ``relation``: what its target should be, what it is, and whether they agree.

    ``figures`` (id → Figure) spares database reads when the caller has them already.
    Never raises for bad data in a file: problems become status "incomplete" or
    "unit_mismatch" with a message.
    """
    get = _lookup_fn(store, figures)
    target = get(relation.target_id) if isinstance(relation.target_id, str) and relation.target_id else None
    input_ids = _input_ids(relation)
    inputs = [get(i) for i in input_ids]
    res = CheckResult(relation=relation, status=INCOMPLETE, target=target, inputs=inputs)
    if not isinstance(relation.input_ids, list) or len(input_ids) != len(relation.input_ids):
        res.message = "The relation's list of input figures is malformed."
        return res
    # the arithmetic works on fractions as percentages; the result keeps the figures as stored
    target = as_percent(target) if target is not None else None
    inputs = [as_percent(f) if f is not None else None for f in inputs]
    params = relation.params if isinstance(relation.params, dict) else {}
    if relation.kind not in KINDS:
        res.message = f"Unknown kind of relation “{relation.kind}”."
        return res
    if target is None:
        res.message = "The derived figure is missing (deleted or rejected)."
        return res
    missing = [fid for fid, f in zip(input_ids, inputs) if f is None]
    if missing:
        res.message = f"{len(missing)} input figure(s) missing (deleted or rejected)."
        return res
    tol = params.get("tolerance")
    try:
        tol = float(tol) if tol not in (None, "") else None
    except (TypeError, ValueError):
        tol = None
    t_dims = figure_dims(target.unit, target.rate, target.counted)
    t_read = read_figure(target, tol, _rule_fmt(t_dims))
    res.actual = t_read.point
    res.tolerance_rule = t_read.rule
    res.unit = unit_label(t_dims)
    in_reads = [read_figure(f, None, _rule_fmt(_dims_of(f))) for f in inputs]
    if t_read.point is None:
        res.message = f"The derived figure “{target.exact}” has no value."
        return res
    for f, r in zip(inputs, in_reads):
        if r.point is None:
            res.message = f"The input “{f.exact}” has no value."
            return res
    handler = _HANDLERS[relation.kind]
    try:
        plan = handler(target, inputs, in_reads, params, t_dims)
    except _Incomplete as exc:
        res.message = str(exc)
        res.computation = str(exc)
        return res
    except _UnitMismatch as exc:
        res.status = UNIT_MISMATCH
        res.message = str(exc)
        res.computation = f"Units do not match: {exc}"
        return res
    try:
        expected_iv = plan.calc(lambda r: r.claim if plan.symmetric else r.input)
        point_iv = plan.calc(lambda r: Interval.point(r.point))
    except ZeroDivisionError:
        res.message = "Division by zero: an input is 0."
        res.computation = res.message
        return res
    res.expected = point_iv.mid()
    res.expected_range = expected_iv
    res.allowed = t_read.claim
    ok = t_read.claim is not None and expected_iv.overlaps(t_read.claim)
    res.status = OK if ok else MISMATCH
    res.computation = _spell(plan, point_iv, expected_iv, target, t_read, in_reads, ok)
    if not ok:
        res.message = _mismatch_message(point_iv, expected_iv, t_read, plan.target_dims)
    return res


def _rule_fmt(dims: Dims):
    """Number formatting for tolerance rules: with the unit for percentages ("±0.5%")."""
    if dims.power("%") or dims.power("pp"):
        return lambda x: _with_unit(fmt_number(x), dims)
    return fmt_number


def _stated(f: Figure) -> str:
    label = figure_label(f)
    exact = " ".join((f.exact or "").split())
    if exact and exact.casefold() != label.casefold():
        return f"“{exact}” = {label}"
    return label


def _spell(plan: _Plan, point_iv: Interval, iv: Interval, target: Figure, t: Reading, in_reads: list,
           ok: bool) -> str:
    dims = plan.dims
    mark = "✓" if ok else "✗"
    if plan.symmetric:
        r = in_reads[0]
        text = (f"{_stated(r.figure)} (allowed {interval_text(iv, dims)}: {r.rule}) and {_stated(target)} "
                f"(allowed {interval_text(t.claim, dims)}: {t.rule}) "
                f"{'agree' if ok else 'do not agree'} {mark}")
        return text
    text = f"{plan.expr} = {interval_text(point_iv, dims)}"
    if iv != point_iv:
        why = "; ".join(r.input_rule for r in in_reads if r.input_rule) or "taking the bounds and ranges as written"
        text += f" ({why}: {interval_text(iv, dims)})"
    text += f"; stated {_stated(target)}"
    if t.claim is not None:
        text += f" (allowed {interval_text(t.claim, plan.target_dims)}: {t.rule})"
    text += f" {mark}"
    if plan.note:
        text += f" [{plan.note}]"
    return text


def _mismatch_message(point_iv: Interval, iv: Interval, t: Reading, dims: Dims) -> str:
    exp = point_iv.mid()
    if t.claim is None or exp is None:
        return "The computed value does not match."
    stated = _with_unit(fmt_number(t.point), dims)
    if t.point and exp and math.isfinite(exp) and t.claim.bounded:
        ratio = exp / t.point
        if ratio >= 1.5 or ratio <= 1 / 1.5:
            k = ratio if ratio >= 1 else 1 / ratio
            return (f"Computed {_with_unit(fmt_number(exp), dims)}, stated {stated}: "
                    f"off by a factor of about {_sig(k, 3)}.")
        diff = (t.point - exp) / exp * 100
        return (f"Computed {_with_unit(fmt_number(exp), dims)}, stated {stated} ({diff:+.1f}%): "
                f"beyond what rounding as written allows.")
    return f"Computed {interval_text(iv, dims)}, which is not {interval_text(t.claim, dims)}."


# --------------------------------------------------------------------------- kinds


def _dims_of(f: Figure) -> Dims:
    return figure_dims(f.unit, f.rate, f.counted)


def _is_percent(d: Dims) -> bool:
    return d.as_dict().get("%", 0) == 1 and len(d.items) == 1


def _need(inputs: list, n: int | tuple, kind: str) -> None:
    ok = len(inputs) == n if isinstance(n, int) else n[0] <= len(inputs) <= n[1]
    if not ok:
        want = str(n) if isinstance(n, int) else f"{n[0]} to {n[1]}" if n[1] < 99 else f"at least {n[0]}"
        raise _Incomplete(f"A {kind} relation needs {want} input figure(s); it has {len(inputs)}.")


def _check_same_units(a: Dims, b: Dims, what: str) -> None:
    if not compatible_for_sum(a, b):
        raise _UnitMismatch(f"{what}: {dims_text(a)} vs {dims_text(b)}")


def _share(target, inputs, reads, params, t_dims) -> _Plan:
    solve = str(params.get("solve") or "").casefold()
    p_param = params.get("percent")
    if _is_percent(t_dims) and solve in ("", "percent"):
        _need(inputs, 2, "share")
        a, b = reads
        da, db = _dims_of(inputs[0]), _dims_of(inputs[1])
        if _is_percent(da) or _is_percent(db):
            raise _UnitMismatch("the percentage is the derived figure, so the inputs must be the part and the whole, "
                                "not percentages")
        _check_same_units(da, db, "the part and the whole are in different units")
        return _Plan(
            calc=lambda g: (g(a) / g(b)).scale(100.0),
            dims=PERCENT,
            target_dims=PERCENT,
            expr=f"{figure_label(inputs[0])} ÷ {figure_label(inputs[1])} × 100",
        )
    # the target is the part (default) or the whole
    pct_read = None
    pct_label = ""
    others = []
    for f, r in zip(inputs, reads):
        if _is_percent(_dims_of(f)) and pct_read is None:
            pct_read, pct_label = r, figure_label(f)
        else:
            others.append((f, r))
    if pct_read is None:
        if p_param in (None, ""):
            raise _Incomplete("A share needs a percentage: an input figure in % or params “percent”.")
        try:
            p = float(p_param)
        except (TypeError, ValueError):
            raise _Incomplete(f"The percentage “{p_param}” is not a number.") from None
        pct_read = Reading(Figure(value=p, unit="percent"), p, Interval.point(p), Interval.point(p), None,
                           "plain", "")
        pct_label = f"{fmt_number(p)}%"
    if len(others) != 1:
        raise _Incomplete("A share needs exactly one other figure besides the percentage "
                          f"(it has {len(others)}).")
    of, other = others[0]
    od = _dims_of(of)
    if solve == "whole":
        _check_same_units(od, t_dims, "the part and the whole are in different units")
        return _Plan(
            calc=lambda g: g(other) / g(pct_read).scale(0.01),
            dims=t_dims,
            target_dims=t_dims,
            expr=f"{figure_label(of)} ÷ {pct_label}",
        )
    _check_same_units(od, t_dims, "the part and the whole are in different units")
    return _Plan(
        calc=lambda g: g(pct_read).scale(0.01) * g(other),
        dims=t_dims,
        target_dims=t_dims,
        expr=f"{pct_label} × {figure_label(of)}",
    )


def _ids_param(params: dict, key: str) -> set:
    v = params.get(key) or []
    if isinstance(v, str):
        v = [v]
    return {str(x) for x in v} if isinstance(v, list) else set()


def _product(target, inputs, reads, params, t_dims) -> _Plan:
    _need(inputs, (2, 999), "product")
    divide = _ids_param(params, "divide")
    dims = COUNT
    factors = []  # (reading, scale, divides)
    parts = []
    for i, (f, r) in enumerate(zip(inputs, reads)):
        d = _dims_of(f)
        scale = 1.0
        if d.power("%"):
            scale = 0.01 ** d.power("%")
            d = d.without("%")
        div = f.id in divide
        dims = dims / d if div else dims * d
        factors.append((r, scale, div))
        parts.append(("÷ " if div else ("× " if i else "")) + figure_label(f))
    note = ""
    per = params.get("per")
    if per:
        sym = rate_symbol(str(per)) or (period_of(str(per)) or (None, None))[1]
        if sym is None:
            raise _Incomplete(f"“{per}” is not a period or a unit.")
        dims = dims * Dims.of({sym: -1})
        note = f"result assumed per {sym}"
    t_scale = 1.0
    tcmp = t_dims
    if t_dims.power("%"):
        t_scale = 100.0 ** t_dims.power("%")
        tcmp = t_dims.without("%")
    if dims != tcmp:
        hint = ""
        missing = tcmp / dims
        if len(missing.items) == 1 and missing.items[0][1] == -1:
            hint = f" (if the inputs are per {missing.items[0][0]}, say so with “per”)"
        raise _UnitMismatch(f"the product is in {dims_text(dims)} but the figure is in {dims_text(t_dims)}{hint}")

    def calc(g):
        acc = Interval.point(1.0)
        for r, scale, div in factors:
            v = g(r).scale(scale)
            acc = acc / v if div else acc * v
        return acc.scale(t_scale)

    return _Plan(calc=calc, dims=t_dims, target_dims=t_dims, expr=" ".join(parts), note=note)


def _sum(target, inputs, reads, params, t_dims) -> _Plan:
    _need(inputs, (2, 999), "sum")
    sub = _ids_param(params, "subtract")
    parts = []
    terms = []
    for i, (f, r) in enumerate(zip(inputs, reads)):
        _check_same_units(_dims_of(f), t_dims, f"“{f.exact}” and “{target.exact}” are in different units")
        neg = f.id in sub
        terms.append((r, neg))
        parts.append(("− " if neg else ("+ " if i else "")) + figure_label(f))

    if t_dims.power("%") and not any(_dims_of(f).power("%") for f in inputs):
        raise _UnitMismatch("percentage points add up to percentage points, not to a percentage: "
                            "one of the terms must be a percentage")

    def calc(g):
        acc = Interval.point(0.0)
        for r, neg in terms:
            acc = acc - g(r) if neg else acc + g(r)
        return acc

    return _Plan(calc=calc, dims=t_dims, target_dims=t_dims, expr=" ".join(parts))


def _period_spec(value, fallback_rate: str | None, side: str) -> tuple[float, str, bool]:
    """(count, unit, from_figure) of one side of a period conversion."""
    if value not in (None, ""):
        p = period_of(str(value))
        if p is None:
            raise _Incomplete(f"“{value}” is not a period (day, week, month, quarter, year…).")
        return p[0], p[1], False
    p = period_of(fallback_rate) if fallback_rate else None
    if p is None:
        raise _Incomplete(f"The {side} figure has no period: give it a rate (per month, a year…) "
                          f"or set “{'from' if side == 'input' else 'to'}” on the relation.")
    return p[0], p[1], True


def _period(target, inputs, reads, params, t_dims) -> _Plan:
    _need(inputs, 1, "period")
    (f,), (r,) = inputs, reads
    fc, fu, f_from_fig = _period_spec(params.get("from"), f.rate, "input")
    tc, tu, t_from_fig = _period_spec(params.get("to"), target.rate, "derived")
    factor = params.get("factor")
    try:
        factor = float(factor) if factor not in (None, "") else (tc * PERIOD_DAYS[tu]) / (fc * PERIOD_DAYS[fu])
    except (TypeError, ValueError):
        raise _Incomplete(f"The factor “{params.get('factor')}” is not a number.") from None
    in_dims = _dims_of(f)
    base_in = in_dims * Dims.of({fu: 1}) if f_from_fig and in_dims.power(fu) < 0 else in_dims
    base_t = t_dims * Dims.of({tu: 1}) if t_from_fig and t_dims.power(tu) < 0 else t_dims
    if not compatible_for_sum(base_in, base_t):
        raise _UnitMismatch(f"{dims_text(base_in)} per {fu} cannot become {dims_text(base_t)} per {tu}")

    def per(c, u):
        return f"per {u}" if c == 1 else f"per {fmt_number(c)} {u}s"

    expr = f"{figure_label(f)} × {fmt_number(factor)} ({per(fc, fu)} → {per(tc, tu)})"
    return _Plan(calc=lambda g: g(r).scale(factor), dims=t_dims, target_dims=t_dims, expr=expr)


def _currency(target, inputs, reads, params, t_dims) -> _Plan:
    _need(inputs, 1, "currency")
    (f,), (r,) = inputs, reads
    in_dims = _dims_of(f)
    tcur, icur = t_dims.currencies(), in_dims.currencies()
    if len(tcur) != 1:
        raise _UnitMismatch(f"“{target.exact}” is not an amount of money ({dims_text(t_dims)})")
    if len(icur) != 1:
        raise _UnitMismatch(f"“{f.exact}” is not an amount of money ({dims_text(in_dims)})")
    tc, ic = tcur[0], icur[0]
    if tc == ic:
        raise _UnitMismatch(f"both figures are in {tc}: nothing to convert (use “same”)")
    if t_dims.without(tc) != in_dims.without(ic):
        raise _UnitMismatch(f"{dims_text(in_dims)} cannot become {dims_text(t_dims)} by a currency conversion")
    rate = params.get("rate")
    try:
        rate = float(rate) if rate not in (None, "") else None
    except (TypeError, ValueError):
        rate = None
    if rate is None or rate <= 0 or not math.isfinite(rate):
        implied = ""
        if r.point and target.value:
            k = r.point / float(target.value)
            implied = f" The figures imply 1 {tc} = {fmt_number(k)} {ic}." if k >= 1 else \
                f" The figures imply 1 {ic} = {fmt_number(1 / k)} {tc}."
        raise _Incomplete(f"Enter the exchange rate between {ic} and {tc}, with its date and source.{implied}")
    base = unit_symbol(str(params.get("base") or tc)) or tc
    quote = unit_symbol(str(params.get("quote") or (ic if base == tc else tc))) or ic
    if {base, quote} != {tc, ic}:
        raise _UnitMismatch(f"the rate is for {base}/{quote} but the figures are in {ic} and {tc}")
    src = []
    if params.get("date"):
        src.append(f"rate of {params['date']}")
    if params.get("source"):
        src.append(f"source: {params['source']}")
    src_text = f" ({', '.join(src)})" if src else ""
    if base == tc:  # 1 target currency = rate input currency
        expr = f"{figure_label(f)} ÷ {fmt_number(rate)} {ic} per {tc}{src_text}"
        return _Plan(calc=lambda g: g(r).scale(1 / rate), dims=t_dims, target_dims=t_dims, expr=expr)
    expr = f"{figure_label(f)} × {fmt_number(rate)} {tc} per {ic}{src_text}"
    return _Plan(calc=lambda g: g(r).scale(rate), dims=t_dims, target_dims=t_dims, expr=expr)


def _same(target, inputs, reads, params, t_dims) -> _Plan:
    _need(inputs, 1, "same")
    (f,), (r,) = inputs, reads
    _check_same_units(_dims_of(f), t_dims, "the two figures are in different units")
    if r.claim is None:
        raise _Incomplete(f"“{f.exact}” has no value.")
    return _Plan(calc=lambda g: g(r), dims=t_dims, target_dims=t_dims, expr=figure_label(f), symmetric=True)


def _change(target, inputs, reads, params, t_dims) -> _Plan:
    _need(inputs, 2, "change")
    direction = str(params.get("direction") or "").casefold()
    sign = -1.0 if direction.startswith(("dec", "down", "fall", "drop")) else 1.0
    (fa, fb), (ra, rb) = inputs, reads
    da, db = _dims_of(fa), _dims_of(fb)
    if _is_percent(t_dims) and not _is_percent(db):
        _check_same_units(da, db, "the two values compared are in different units")

        def calc(g):
            old = g(ra)
            ch = ((g(rb) - old) / old).scale(100.0)
            if not direction:
                # compare the size of the change with the stated percentage
                if ch.hi < 0:
                    return Interval(-ch.hi, -ch.lo)
                return ch
            return ch.scale(sign)

        what = "decrease" if direction and sign < 0 else "increase" if direction else "change"
        expr = f"({figure_label(fb)} − {figure_label(fa)}) ÷ {figure_label(fa)} × 100 [{what}]"
        return _Plan(calc=calc, dims=PERCENT, target_dims=PERCENT, expr=expr)
    if not _is_percent(db):
        raise _UnitMismatch("a change needs either the percentage as the derived figure, or "
                            "inputs [old value, percentage]")
    _check_same_units(da, t_dims, "the old and new values are in different units")
    word = "−" if sign < 0 else "+"
    expr = f"{figure_label(fa)} × (1 {word} {figure_label(fb)})"
    return _Plan(calc=lambda g: g(ra) * (Interval.point(1.0) + g(rb).scale(sign * 0.01)),
                 dims=t_dims, target_dims=t_dims, expr=expr)


_HANDLERS = {
    "share": _share,
    "product": _product,
    "sum": _sum,
    "period": _period,
    "currency": _currency,
    "same": _same,
    "change": _change,
}


# --------------------------------------------------------------------------- whole file


def check_all(store, statuses=("confirmed", "suggested")) -> list[CheckResult]:
    """Evaluate every relation with one of ``statuses`` (rejected ones are left out by default)."""
    rels = store.relations(statuses=statuses)
    if not rels:
        return []
    # only the figures the relations name (a file may hold tens of thousands of suggestions)
    wanted = {r.target_id for r in rels if r.target_id}
    for r in rels:
        if isinstance(r.input_ids, list):
            wanted.update(i for i in r.input_ids if isinstance(i, str))
    figures: dict[str, Figure] = {}
    ids = sorted(wanted)
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        where = f"status IN ('confirmed', 'suggested') AND id IN ({', '.join('?' for _ in chunk)})"
        figures.update((f.id, f) for f in store.records(Figure, where, chunk))
    return [evaluate(store, r, figures) for r in rels]


def results_for_figure(results: list[CheckResult], figure_id: str) -> list[CheckResult]:
    """The results a figure takes part in (as target or input), for the figures list and the text."""
    return [r for r in results if figure_id in r.figure_ids()]


def mismatched_figure_ids(results: list[CheckResult]) -> set[str]:
    """Targets of relations that do not compute: what the figures list and the text flag."""
    return {r.relation.target_id for r in results if r.is_mismatch and r.relation.status != "rejected"}


def validate_relation(store, kind: str, target_id: str, input_ids: list[str], params: dict | None = None) -> None:
    """Raise :class:`RelationError` with a clear message when the relation cannot be made."""
    params = params or {}
    if kind not in KINDS:
        raise RelationError(f"Unknown kind of relation “{kind}”; choose one of: {', '.join(KINDS)}.")
    target = store.get(Figure, target_id) if target_id else None
    if target is None or target.deleted:
        raise RelationError("Choose the derived figure first.")
    if target_id in input_ids:
        raise RelationError("A figure cannot be derived from itself.")
    for fid in input_ids:
        f = store.get(Figure, fid)
        if f is None or f.deleted:
            raise RelationError("One of the input figures no longer exists.")
    counts = {"share": (1, 2), "product": (2, 99), "sum": (2, 99), "period": (1, 1), "currency": (1, 1),
              "same": (1, 1), "change": (2, 2)}
    lo, hi = counts[kind]
    if not lo <= len(input_ids) <= hi:
        want = f"{lo}" if lo == hi else f"{lo} to {hi}" if hi < 99 else f"at least {lo}"
        raise RelationError(f"A “{kind}” relation ({KIND_LABELS[kind]}) needs {want} input figure(s), "
                            f"not {len(input_ids)}.")
    if kind == "currency":
        try:
            rate = float(params.get("rate"))
        except (TypeError, ValueError):
            raise RelationError("Enter the exchange rate as a number (for example 1 USD = 450000 IRR).") from None
        if not (rate > 0 and math.isfinite(rate)):
            raise RelationError("The exchange rate must be a positive number.")
    if kind == "share" and len(input_ids) == 1 and params.get("percent") in (None, ""):
        raise RelationError("A share with a single input needs the percentage (params “percent”).")
    tol = params.get("tolerance")
    if tol not in (None, ""):
        try:
            if not 0 <= float(tol) < 1:
                raise ValueError
        except (TypeError, ValueError):
            raise RelationError("The tolerance is a fraction between 0 and 1 (0.05 for ±5%).") from None


def new_relation(store, kind: str, target_id: str, input_ids: list[str], params: dict | None = None,
                 note: str = "", status: str = "confirmed") -> Relation:
    """Validate and add a relation to ``store``; returns the stored record."""
    validate_relation(store, kind, target_id, list(input_ids), params)
    if status not in RELATION_STATUSES:
        raise RelationError(f"Unknown status “{status}”.")
    rel = Relation(kind=kind, target_id=target_id, input_ids=list(input_ids), params=dict(params or {}),
                   note=note, status=status)
    return store.add(rel)


__all__ = [
    "INF",
    "KINDS",
    "KIND_LABELS",
    "KIND_PARAMS",
    "STATUSES",
    "CheckResult",
    "RelationError",
    "check_all",
    "evaluate",
    "figure_label",
    "figure_summary",
    "mismatched_figure_ids",
    "new_relation",
    "results_for_figure",
    "validate_relation",
]
