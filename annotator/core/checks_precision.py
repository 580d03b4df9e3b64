"""How precisely a figure was written, and the interval of values it stands for (issue 6).

A checker must not flag "around $79 million" because the arithmetic gives 79.12 million,
nor "15%" because it gives 14.9%. Every figure is therefore read as an interval:

* **Rounding.** A plain number stands for everything that rounds to it, at the place of
  its last significant written digit: "$79 million" covers 78.5–79.5 million, "15%"
  covers 14.5–15.5%, "3,6 quadrillion" 3.55–3.65 quadrillion, "30,000" 25,000–35,000
  (trailing zeros of a whole number are not significant); a lone leading 1 reaches down only
  to where numbers are written one digit finer ("100,000" covers 95,000–150,000). Fraction words ("half",
  "one-tenth", "two-thirds") are read to ±5% of their value.
* **Approximation** ("around", "about", "roughly", "approximately", "some", "an
  estimated", "close to", "near"): the rounding interval, widened to at least ±5% of
  the value. "nearly"/"almost" widen only downwards, "just over" only upwards.
* **Bounds.** On a figure that is checked (the target of a relation, or either side of
  "same"), "at least", "more than", "over", "above" mean ≥ x and "up to", "less than",
  "under", "at most", "as many as" mean ≤ x: honoured as inequalities.
  On a figure used as an *input* of a computation, a bound is read as "just beyond" the
  number, up to the next step of its last written digit: "more than 3 trillion" is
  3–4 trillion, "at least 200,000" is 200,000–300,000, "up to 79 hours" is 78–79 hours.
  (A writer who knew of 5 trillion would have written it; without this reading
  "more than 3 trillion a month" would be consistent with any yearly total at all.)
* **Ranges** ("between 30 and 40 thousand", "$24 to $28") are their own interval.

Inputs that are neither bounds nor ranges are used at their stated value; the rounding
of the checked figure absorbs the usual rounding of a derivation. A relation may add a
relative tolerance of its own (``params["tolerance"]``, e.g. 0.02 for ±2%).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from annotator.core.model import Figure

#: relative slack granted by "around", "about", "nearly"...
APPROX_REL = 0.05
#: relative precision of a fraction word ("half" = 50% ± 2.5%)
FRACTION_REL = 0.10

INF = math.inf

_SCALES = ((1e15, "quadrillion"), (1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _sig(v: float, n: int = 5) -> str:
    s = f"{v:.{n}g}"
    if "e" in s:
        s = f"{v:.{max(0, n - 1 - math.floor(math.log10(abs(v))))}f}" if v else "0"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    intp, _, frac = s.lstrip("-").partition(".")
    intp = f"{int(intp):,}"
    return ("-" if s.startswith("-") else "") + intp + (f".{frac}" if frac else "")


def fmt_number(x: float | None) -> str:
    """A number for people, to five significant digits: 36 trillion, 44.898, 766,865, 0.5."""
    if x is None:
        return ""
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    ax = abs(x)
    for scale, word in _SCALES:
        if ax >= scale:
            return f"{_sig(x / scale)} {word}"
    if ax >= 1e5 or float(x).is_integer():
        return f"{round(x):,}"
    return _sig(x)

# --------------------------------------------------------------------------- qualifiers

LOWER = "lower"  # at least, more than
UPPER = "upper"  # up to, less than
APPROX = "approx"  # around, about
NEARLY = "nearly"  # nearly, almost (a little below)
JUST_OVER = "just_over"  # just over (a little above)
PLAIN = "plain"

_QUALIFIERS = {
    LOWER: (
        "at least", "more than", "over", "above", "upwards of", "in excess of", "exceeding", "exceeds",
        "no fewer than", "no less than", "not less than", "greater than", "well over", "a minimum of",
        "minimum of", "at minimum", "topped", "tops", "more then", "+", ">", "≥", "beyond", "north of",
    ),
    UPPER: (
        "up to", "less than", "fewer than", "under", "below", "at most", "no more than", "not more than",
        "as many as", "as much as", "a maximum of", "maximum of", "at maximum", "<", "≤", "well under",
        "well below", "shy of", "south of", "a maximum",
    ),
    NEARLY: ("nearly", "almost", "just under", "just below", "not quite", "a little under", "just shy of",
             "a little less than", "slightly less than", "slightly under"),
    JUST_OVER: ("just over", "just above", "a little over", "a little more than", "slightly more than",
                "slightly over", "slightly above"),
    APPROX: (
        "around", "about", "roughly", "approximately", "approx", "approx.", "some", "circa", "ca.", "c.",
        "close to", "an estimated", "estimated", "est.", "or so", "near", "more or less", "in the region of",
        "on the order of", "~", "≈", "give or take", "in the order of",
    ),
}
_PHRASES = sorted(((p, cls) for cls, ps in _QUALIFIERS.items() for p in ps), key=lambda pc: -len(pc[0]))


def qualifier_class(qualifier: str | None, exact: str = "") -> str:
    """Class of a qualifier ("at least" → LOWER); reads the start of ``exact`` when none is set."""
    for text in (qualifier, exact):
        if not text:
            continue
        s = re.sub(r"\s+", " ", text.strip().casefold())
        for phrase, cls in _PHRASES:
            if s == phrase or s.startswith(phrase + " ") or (not phrase[0].isalpha() and s.startswith(phrase)):
                return cls
        if text is qualifier:
            for phrase, cls in _PHRASES:  # "with more than" and other wrappings
                if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", s):
                    return cls
    return PLAIN


# --------------------------------------------------------------------------- precision

_TOKEN = re.compile(r"\d+(?:(?:[.,'\u2019]|[ \u00a0\u202f](?=\d{3}(?!\d)))\d+)*")
_FRACTION_WORDS = re.compile(
    r"\b(half|halves|thirds?|quarters?|fifths?|sixths?|eighths?|tenths?|twice|double|triple|"
    r"threefold|fourfold|tenfold)\b",
    re.I,
)


def _parse_token(tok: str) -> tuple[float, float] | None:
    """``(value, step)`` of a written number token: "3,6" → (3.6, 0.1), "30,000" → (30000, 10000)."""
    t = re.sub(r"[ \u00a0\u202f'\u2019]", "", tok)
    has_c, has_d = "," in t, "." in t
    if has_c and has_d:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        t = t.replace("." if dec == "," else ",", "")
        intp, frac = t.split(dec, 1)
    elif has_c:
        parts = t.split(",")
        if len(parts) > 2 or (len(parts[1]) == 3 and 1 <= len(parts[0]) <= 3):
            intp, frac = "".join(parts), ""
        else:
            intp, frac = parts[0], parts[1]
    elif has_d:
        parts = t.split(".")
        if len(parts) > 2:
            intp, frac = "".join(parts), ""
        else:
            intp, frac = parts[0], parts[1]
    else:
        intp, frac = t, ""
    if not intp.isdigit() or (frac and not frac.isdigit()):
        return None
    if frac:
        return float(f"{intp}.{frac}"), 10.0 ** -len(frac)
    digits = intp.lstrip("0")
    if not digits:
        return 0.0, 1.0
    zeros = len(digits) - len(digits.rstrip("0"))
    return float(digits), 10.0**zeros


def step_from_value(value: float | None) -> float | None:
    """Place of the last significant digit of a value (30000 → 10000, 44.9 → 0.1)."""
    if value is None or value == 0 or not math.isfinite(value):
        return None
    d = Decimal(f"{abs(value):.12g}").normalize()
    return 10.0 ** d.as_tuple().exponent


def _power_of_ten(r: float) -> bool:
    if r <= 0 or not math.isfinite(r):
        return False
    e = math.log10(r)
    return abs(e - round(e)) < 1e-9


def written_step(exact: str, value: float | None) -> float | None:
    """The place value of the last significant digit the writer gave, in the units of ``value``.

    "$79 million" (79e6) → 1e6; "15%" → 1; "3,6 quadrillion" → 1e14; "Thirty thousand" → 1e4;
    "half" (50%) → 5. None when the value is unknown or zero.
    """
    if value is None or not math.isfinite(value):
        return None
    if value == 0:
        return None
    if exact:
        for tok in _TOKEN.findall(exact):
            parsed = _parse_token(tok)
            if not parsed or parsed[0] == 0:
                continue
            m, step = parsed
            ratio = abs(value) / m
            if _power_of_ten(ratio):
                return step * ratio
        if not re.search(r"\d", exact) and _FRACTION_WORDS.search(exact):
            return abs(value) * FRACTION_REL
    return step_from_value(value)


def rounding_below(x: float, step: float | None) -> float:
    """How far below ``x`` (towards zero) values still round to it at ``step``.

    Half a step, except for a lone leading 1 ("100,000", "$1 trillion", "10%"): below it the
    next smaller numbers are written one digit finer (96,000 rounds to 100,000 but 94,000 to
    90,000), so only half of that finer step: "100,000" covers 95,000 to 150,000.
    """
    if not step:
        return 0.0
    if math.isclose(abs(x), step, rel_tol=1e-9):
        return step / 20
    return step / 2


def figure_step(fig: Figure) -> float | None:
    """Written precision of a figure (see :func:`written_step`).

    The figure parser's own reading (:func:`annotator.core.figures.parse_figure`, its
    ``precision``) is used when it read the same number as the figure holds (or the same
    number at another scale, e.g. a fraction turned into a percentage).
    """
    value = fig.value
    if value is None or not math.isfinite(value) or value == 0:
        return None
    if fig.exact:
        try:
            from annotator.core.figures import parse_figure
        except ImportError:  # the parser is optional for the checks
            parse_figure = None
        if parse_figure is not None:
            p = parse_figure(fig.exact)
            pv = p.value if p.value is not None else None
            if p.precision and pv:
                ratio = abs(value) / abs(pv)
                if _power_of_ten(ratio):
                    return p.precision * ratio
    return written_step(fig.exact or "", value)


FRACTION_UNITS = ("fraction", "ratio")


def as_percent(fig: Figure) -> Figure:
    """A fraction ("two-thirds" = 0.667, unit "fraction") as a percentage (66.7%) for the arithmetic."""
    if (fig.unit or "").casefold() not in FRACTION_UNITS:
        return fig

    def pc(x):
        return None if x is None else x * 100.0

    return fig.replace(value=pc(fig.value), low=pc(fig.low), high=pc(fig.high), unit="percent")


# --------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    @staticmethod
    def point(x: float) -> "Interval":
        return Interval(x, x)

    @property
    def is_point(self) -> bool:
        return self.lo == self.hi

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.lo) and math.isfinite(self.hi)

    def contains(self, x: float) -> bool:
        return self.lo <= x <= self.hi

    def overlaps(self, other: "Interval") -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def mid(self) -> float | None:
        if self.bounded:
            return (self.lo + self.hi) / 2
        if math.isfinite(self.lo):
            return self.lo
        if math.isfinite(self.hi):
            return self.hi
        return None

    def distance(self, x: float) -> float:
        if x < self.lo:
            return self.lo - x
        if x > self.hi:
            return x - self.hi
        return 0.0

    # interval arithmetic (with infinite ends)
    def __add__(self, o: "Interval") -> "Interval":
        return Interval(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: "Interval") -> "Interval":
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def __mul__(self, o: "Interval") -> "Interval":
        ps = [_mul(a, b) for a in (self.lo, self.hi) for b in (o.lo, o.hi)]
        return Interval(min(ps), max(ps))

    def __truediv__(self, o: "Interval") -> "Interval":
        if o.lo <= 0 <= o.hi:
            if o.lo == o.hi == 0:
                raise ZeroDivisionError("division by zero")
            # a divisor interval touching zero: unbounded result on that side
            if o.lo == 0 and o.hi > 0:
                inv = Interval(1 / o.hi, INF)
            elif o.hi == 0 and o.lo < 0:
                inv = Interval(-INF, 1 / o.lo)
            else:
                return Interval(-INF, INF)
        else:
            inv = Interval(min(1 / o.lo, 1 / o.hi), max(1 / o.lo, 1 / o.hi))
        return self * inv

    def scale(self, k: float) -> "Interval":
        return self * Interval.point(k)

    def widen(self, down: float, up: float) -> "Interval":
        return Interval(self.lo - down, self.hi + up)


def _mul(a: float, b: float) -> float:
    if a == 0 or b == 0:
        return 0.0
    return a * b


# --------------------------------------------------------------------------- reading a figure


@dataclass
class Reading:
    """A figure read for the checks: its stated value and the intervals it stands for."""

    figure: Figure
    point: float | None  # the stated value (the middle of a range)
    claim: Interval | None  # what the figure claims, when it is checked
    input: Interval | None  # what it contributes when used to compute another figure
    step: float | None  # place of its last significant digit
    qclass: str
    rule: str  # the tolerance rule of the claim, in words
    input_rule: str = ""  # how it is read as an input, when that differs


def read_figure(fig: Figure, tolerance: float | None = None, fmt=None) -> Reading:
    """Read ``fig`` as intervals (see the module docstring). ``tolerance`` widens the claim (relative)."""
    fmt = fmt or fmt_number
    qclass = qualifier_class(fig.qualifier, fig.exact)
    is_range = fig.low is not None and fig.high is not None and (fig.value is None or fig.low != fig.high)
    if is_range:
        lo, hi = sorted((float(fig.low), float(fig.high)))
        claim = Interval(lo, hi)
        rule = f"range {fmt(lo)}–{fmt(hi)}"
        if qclass in (APPROX, NEARLY, JUST_OVER):
            claim = claim.widen(APPROX_REL * abs(lo), APPROX_REL * abs(hi))
            rule += f", “{(fig.qualifier or 'approximately').strip()}”: ±{APPROX_REL:.0%}"
        elif qclass == LOWER:
            claim = Interval(lo, INF)
            rule = f"“{fig.qualifier}” {fmt(lo)}–{fmt(hi)}: ≥ {fmt(lo)}"
        elif qclass == UPPER:
            claim = Interval(-INF, hi)
            rule = f"“{fig.qualifier}” {fmt(lo)}–{fmt(hi)}: ≤ {fmt(hi)}"
        point = (lo + hi) / 2
        reading = Reading(fig, point, claim, Interval(lo, hi), None, qclass, rule)
        return _with_tolerance(reading, tolerance, fmt)
    if fig.value is None:
        return Reading(fig, None, None, None, None, qclass, "no value")
    x = float(fig.value)
    step = figure_step(fig)
    half = step / 2 if step else 0.0
    down = rounding_below(x, step)  # towards zero: "100,000" covers 95,000 to 150,000
    lo_half, hi_half = (down, half) if x >= 0 else (half, down)
    slack = max(half, APPROX_REL * abs(x))
    input_rule = ""
    q = (fig.qualifier or "").strip() or leading_qualifier(fig.exact)
    if qclass == LOWER:
        claim = Interval(x, INF)
        inp = Interval(x, x + (step or 0.0))
        rule = f"“{q}”: ≥ {fmt(x)}"
        input_rule = f"“{q} {fmt(x)}” read as {fmt(x)} to {fmt(x + (step or 0.0))}"
    elif qclass == UPPER:
        claim = Interval(-INF, x)
        inp = Interval(x - (step or 0.0), x)
        rule = f"“{q}”: ≤ {fmt(x)}"
        input_rule = f"“{q} {fmt(x)}” read as {fmt(x - (step or 0.0))} to {fmt(x)}"
    elif qclass == APPROX:
        rel = APPROX_REL * abs(x)
        below, above = max(lo_half, rel), max(hi_half, rel)
        claim = Interval(x - below, x + above)
        inp = Interval.point(x)
        why = f"{APPROX_REL:.0%}" if slack > half else f"rounded to the nearest {fmt(step)}"
        if below == above:
            rule = f"“{q}”: ±{fmt(slack)} ({why})"
        else:
            rule = f"“{q}”: {fmt(x - below)} to {fmt(x + above)} ({why})"
    elif qclass == NEARLY:
        claim = Interval(x - slack, x + hi_half)
        inp = Interval.point(x)
        rule = f"“{q}”: {fmt(x - slack)} to {fmt(x + hi_half)}"
    elif qclass == JUST_OVER:
        claim = Interval(x - lo_half, x + slack)
        inp = Interval.point(x)
        rule = f"“{q}”: {fmt(x - lo_half)} to {fmt(x + slack)}"
    else:
        claim = Interval(x - lo_half, x + hi_half)
        inp = Interval.point(x)
        if not step:
            rule = "exact"
        elif lo_half == hi_half:
            rule = f"rounded to the nearest {fmt(step)}: ±{fmt(half)}"
        else:
            rule = f"rounded to the nearest {fmt(step)}: {fmt(x - lo_half)} to {fmt(x + hi_half)}"
    return _with_tolerance(Reading(fig, x, claim, inp, step, qclass, rule, input_rule), tolerance, fmt)


def _with_tolerance(r: Reading, tolerance: float | None, fmt) -> Reading:
    if not tolerance or r.claim is None or r.point is None:
        return r
    extra = abs(tolerance) * abs(r.point)
    lo = r.claim.lo - extra if math.isfinite(r.claim.lo) else r.claim.lo
    hi = r.claim.hi + extra if math.isfinite(r.claim.hi) else r.claim.hi
    r.claim = Interval(lo, hi)
    r.rule += f"; relation tolerance ±{abs(tolerance):.3g} (±{fmt(extra)})"
    return r


def leading_qualifier(exact: str) -> str:
    """The qualifier phrase a figure's text starts with ("at least"), or "qualified"."""
    s = (exact or "").strip().casefold()
    for phrase, _cls in _PHRASES:
        if s.startswith(phrase):
            return phrase
    return "qualified"
