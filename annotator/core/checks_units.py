"""Units for the number checks (issue 6): what a figure measures, carried through arithmetic.

A figure's unit and rate become *dimensions*: a mapping from a symbol to an exponent.
``$85 per hour`` is ``{"USD": 1, "hour": -1}``, ``79 work-hours`` is ``{"hour": 1}``,
``15%`` is ``{"%": 1}``, ``30,000 protesters`` is ``{}`` (a count: what is counted is
kept on the figure, not in the arithmetic). Multiplying the first two gives ``{"USD": 1}``.

Symbols: ISO 4217 currency codes (three capitals), ``%`` (percent), ``pp``
(percentage points), time units (``hour``, ``day``, ``week``, ``month``, ``quarter``,
``year``, ``decade``), a few physical units, and any other unit the user typed,
normalised (lower case, singular). Time units are never converted silently: a per-month
amount and a per-year amount only meet through a ``period`` relation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --------------------------------------------------------------------------- vocabularies

#: length of each period in days, for period conversions (a year is 12 months,
#: 4 quarters, 365 days; a week is 7 days)
PERIOD_DAYS = {
    "hour": 1 / 24,
    "day": 1.0,
    "week": 7.0,
    "month": 365 / 12,
    "quarter": 365 / 4,
    "year": 365.0,
    "decade": 3650.0,
}
TIME_UNITS = tuple(PERIOD_DAYS)

_TIME_WORDS = {
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "h": "hour",
    "work-hour": "hour", "work-hours": "hour", "work hour": "hour", "work hours": "hour",
    "man-hour": "hour", "man-hours": "hour", "person-hour": "hour", "person-hours": "hour",
    "day": "day", "days": "day", "night": "day", "nights": "day",
    "week": "week", "weeks": "week", "wk": "week",
    "month": "month", "months": "month", "mo": "month",
    "quarter": "quarter", "quarters": "quarter",
    "year": "year", "years": "year", "yr": "year", "yrs": "year", "annum": "year",
    "decade": "decade", "decades": "decade",
}
_ADVERB_PERIODS = {
    "hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month",
    "quarterly": "quarter", "yearly": "year", "annually": "year", "annual": "year",
    "per annum": "year", "a-year": "year",
}

_CURRENCY_WORDS = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "us dollar": "USD",
    "us dollars": "USD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "gbp": "GBP", "pound sterling": "GBP", "sterling": "GBP",
    "¥": "JPY", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY",
    "rial": "IRR", "rials": "IRR", "irr": "IRR",
    "toman": "IRT", "tomans": "IRT",
    "rupee": "INR", "rupees": "INR", "ruble": "RUB", "rubles": "RUB", "rouble": "RUB", "roubles": "RUB",
    "franc": "CHF", "francs": "CHF", "dinar": "TND", "dinars": "TND",
    "shekel": "ILS", "shekels": "ILS", "lira": "TRY", "won": "KRW", "peso": "MXN", "pesos": "MXN",
}

_PERCENT_WORDS = {"%", "percent", "per cent", "pct", "percentage", "pc"}
_POINT_WORDS = {
    "pp", "p.p.", "percentage point", "percentage points", "point", "points", "pt", "pts",
    "percent point", "percent points",
}
_MEASURE_WORDS = {
    "pound": "lb", "pounds": "lb", "lb": "lb", "lbs": "lb",
    "kilogram": "kg", "kilograms": "kg", "kg": "kg", "kilo": "kg", "kilos": "kg",
    "ton": "t", "tons": "t", "tonne": "t", "tonnes": "t",
    "gram": "g", "grams": "g", "g": "g", "mg": "mg", "milligram": "mg", "milligrams": "mg",
    "megawatt": "MW", "megawatts": "MW", "mw": "MW", "gigawatt": "GW", "gigawatts": "GW", "gw": "GW",
    "megawatt-hour": "MWh", "megawatt-hours": "MWh", "mwh": "MWh", "kwh": "kWh",
    "kilowatt-hour": "kWh", "kilowatt-hours": "kWh",
    "mile": "mi", "miles": "mi", "kilometre": "km", "kilometres": "km", "kilometer": "km",
    "kilometers": "km", "km": "km", "metre": "m", "metres": "m", "meter": "m", "meters": "m",
    "litre": "l", "litres": "l", "liter": "l", "liters": "l", "gallon": "gal", "gallons": "gal",
    "barrel": "bbl", "barrels": "bbl", "bbl": "bbl",
    "degree": "deg", "degrees": "deg",
}


def is_currency(symbol: str) -> bool:
    return len(symbol) == 3 and symbol.isalpha() and symbol.isupper()


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().casefold().replace("\u00a0", " ")).strip(" .")


def unit_symbol(unit: str | None) -> str | None:
    """The dimension symbol of a figure's unit ("15%" → "%", "$" → "USD"); None for a count."""
    if unit is None:
        return None
    raw = unit.strip()
    if not raw:
        return None
    if is_currency(raw):
        return raw
    s = _clean(raw)
    if s in ("", "count", "number", "people", "persons", "person"):
        return None
    if s in _PERCENT_WORDS:
        return "%"
    if s in _POINT_WORDS:
        return "pp"
    if s in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[s]
    if s in _TIME_WORDS:
        return _TIME_WORDS[s]
    if s in _MEASURE_WORDS:
        return _MEASURE_WORDS[s]
    if len(s) > 3 and s.endswith("s") and not s.endswith("ss"):
        s = s[:-1]
    return s


def period_of(text: str | None) -> tuple[float, str] | None:
    """Parse a period: "per month" → (1, "month"), "2 years" → (2, "year"), "annually" → (1, "year")."""
    if not text:
        return None
    s = _clean(text)
    s = re.sub(r"^(?:(?:per|a|an|each|every|over|in|for|during)\s+|/\s*|a-)", "", s)
    s = s.replace("-", " ") if s not in _ADVERB_PERIODS else s
    if s in _ADVERB_PERIODS:
        return 1.0, _ADVERB_PERIODS[s]
    m = re.fullmatch(r"(?:(\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s*)?(.+)", s)
    if not m:
        return None
    count_txt, word = m.group(1), m.group(2).strip()
    word = re.sub(r"^(per|a|an|each|every)\s+", "", word)
    unit = _TIME_WORDS.get(word) or _TIME_WORDS.get(word.replace(" ", "-")) or _ADVERB_PERIODS.get(word)
    if unit is None:
        return None
    words = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "twelve": 12}
    if count_txt is None:
        count = 1.0
    elif count_txt in words:
        count = float(words[count_txt])
    else:
        count = float(count_txt.replace(",", "."))
    if count <= 0:
        return None
    return count, unit


def rate_symbol(rate: str | None) -> str | None:
    """The denominator symbol of a rate ("per month" → "month", "a pound" → "lb").

    A rate per counted thing ("per inmate", "per product", "per capita") has no symbol:
    counts are dimensionless, so "$10,505 per product × 73 airplanes" gives dollars.
    """
    if not rate:
        return None
    p = period_of(rate)
    if p is not None:
        return p[1]
    s = _clean(rate)
    s = re.sub(r"^(?:(?:per|a|an|each|every)\s+|/\s*)", "", s)
    if s in _MEASURE_WORDS:
        return _MEASURE_WORDS[s]
    if s in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[s]
    return None


# --------------------------------------------------------------------------- dimensions


@dataclass(frozen=True)
class Dims:
    """A product of unit symbols with integer exponents (sorted, zero exponents dropped)."""

    items: tuple = ()

    @staticmethod
    def of(mapping: dict) -> "Dims":
        return Dims(tuple(sorted((k, v) for k, v in mapping.items() if v)))

    def as_dict(self) -> dict:
        return dict(self.items)

    def __mul__(self, other: "Dims") -> "Dims":
        d = self.as_dict()
        for k, v in other.items:
            d[k] = d.get(k, 0) + v
        return Dims.of(d)

    def __truediv__(self, other: "Dims") -> "Dims":
        return self * other.inverse()

    def inverse(self) -> "Dims":
        return Dims(tuple((k, -v) for k, v in self.items))

    def without(self, symbol: str) -> "Dims":
        return Dims(tuple((k, v) for k, v in self.items if k != symbol))

    def power(self, symbol: str) -> int:
        return self.as_dict().get(symbol, 0)

    def currencies(self) -> list[str]:
        return [k for k, v in self.items if is_currency(k) and v]

    def time_rate(self) -> str | None:
        """The period in the denominator, if any ("IRR/month" → "month")."""
        for k, v in self.items:
            if k in PERIOD_DAYS and v < 0:
                return k
        return None

    def __str__(self) -> str:
        return dims_text(self)


COUNT = Dims()
PERCENT = Dims.of({"%": 1})


def dims_text(d: Dims) -> str:
    """People's spelling: "IRR/month", "USD/hour", "%", "hour", "per week" (a count per week), "count"."""
    num = [k if v == 1 else f"{k}^{v}" for k, v in d.items if v > 0]
    den = [k if v == -1 else f"{k}^{-v}" for k, v in d.items if v < 0]
    if not num:
        return "per " + "/".join(den) if den else "count"
    return "·".join(num) + "".join(f"/{x}" for x in den)


def figure_dims(unit: str | None, rate: str | None, counted: str | None = None) -> Dims:
    """Dimensions of a figure. A counted noun that is a unit of time or measure ("79 work-hours",
    "six months") or "points" (of a poll: percentage points) counts as the unit when the figure
    has none."""
    d: dict = {}
    sym = unit_symbol(unit)
    if sym is None and counted:
        c = _clean(counted)
        sym = _TIME_WORDS.get(c) or _MEASURE_WORDS.get(c) or ("pp" if c in _POINT_WORDS else None)
    if sym:
        d[sym] = d.get(sym, 0) + 1
    rsym = rate_symbol(rate)
    if rsym:
        d[rsym] = d.get(rsym, 0) - 1
    return Dims.of(d)


def compatible_for_sum(a: Dims, b: Dims) -> bool:
    """Can a and b be added? Same dimensions; percentage points add to percents."""
    if a == b:
        return True
    swap = {"pp": "%"}
    na = Dims.of({swap.get(k, k): v for k, v in a.items})
    nb = Dims.of({swap.get(k, k): v for k, v in b.items})
    return na == nb
