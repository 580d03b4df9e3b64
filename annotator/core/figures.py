"""Figures in text: parse a selected figure, and suggest the figures of a whole document.

A *figure* is an expression that states a quantity: a count ("30,000", "Two gunmen"), an amount of
money ("$79 million", "3,6 quadrillion rials"), a percentage ("15%"), a measure or a duration
("44,947 megawatts", "18 months", "a six-month contract"), a range ("between 30 to 40 thousand"),
a vague magnitude ("tens of thousands", "hundreds of"), a fraction or a ratio ("two-thirds",
"more than half", "one in five").

Not figures: dates and years ("15 February 2023", "in 2019", "2011-12", "the 1980s"), clock
times ("10:30", "5 p.m."), ordinals ("the third time", "19th century"), numbers inside names
and labels ("Royedad 24", "COVID-19", "Boeing 737", "G7", "Article 19", "page 12", "Stage 3"),
footnote markers ("[3]", "crimes.12"), bracketed references ("(284-286)"), list and section
numbers at a line start, lone page numbers, legal citations ("14 CFR 11.43"), street addresses,
phone numbers, e-mail addresses, URLs and ISBNs.  A four-digit number from 1900 to 2099 written
without separator, qualifier, unit or currency is a year ("the 2016 players"); an earlier one
is a count only before a plural noun ("killed 1500 protesters" — but "in 2,000 cases" always
counts).  A plain number of three or more digits after a determiner and before no plural noun
is a name ("the 757").  A lone "one" is not a figure ("one of the...", "One
academic told...") unless it carries a unit, a currency, a percent, a scale or a ratio ("one
million", "one percent", "one in five"); with a time unit it also needs a rate or a preposition
("one day a week", "for one day", but not "One day, he...").  Time words without a numeral ("a
decade", "a year") are not figures.

Span boundaries (what :func:`detect_figures` marks):

* the span covers the *number expression*: qualifier + currency + number + scale + unit, e.g.
  "at least 30,000", "around $79 million", "3,6 quadrillion rials", "44,947 megawatts",
  "more than half a percentage point", "between $5 and $6", "thousands of dollars";
* the counted noun is NOT inside the span ("at least 30,000 | protesters"); it is returned in
  :attr:`ParsedFigure.counted`.  Rates ("a year", "per month", "each day") are not inside either;
  they are returned in :attr:`ParsedFigure.rate`;
* units (percent, currencies, physical and time units) are inside; "pounds" is a weight (lb)
  unless written "pounds sterling" or "£"; "tomans" get the unofficial code "IRT";
* a qualifier written before the number is inside the span, also across an opening quote
  ('near “240,000'); "over" before a duration ("$631 billion over 10 years") is a preposition,
  not a qualifier, and stays outside.  "just"/"only" are emphasis, not qualifiers.

Vague magnitudes are ranges of one order of magnitude: "thousands" = 1,000-9,999, "tens of
thousands" = 10,000-99,999, "hundreds of thousands" = 100,000-999,999, "dozens" = 24-143,
"several hundred" = 300-900; their ``form`` is ``"vague"`` and ``value`` is None.  Fractions and
ratios have ``unit="fraction"`` and a value between 0 and 1 ("two-thirds", "one in five").

Numerals: "30,000" and "1,500" are thousands; "3,6" and "1,50" are decimal commas (the group
after the single comma is not three digits long); "4.2" is a decimal point and so is "1.234"
(English reading); "1.234.567" and "1.234,5" use dots for thousands; "1 500" (space, no-break
space or thin space before a group of exactly three digits) is 1500.

Speed: one compiled expression (on a lowercased copy of the text) matches a number together with
what may follow it (scale, unit, a range's second half, a date or a clock time); one anchored
match on the reversed text reads what precedes it (qualifier, currency, "between", a month, the
previous word).  The counted noun and the rate are read lazily, the first time
:attr:`FigureSuggestion.parsed` is used.  See benchmarks/bench_figures.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import figures_lexicon as L
from . import figures_patterns as P
from .figures_numerals import (
    MAX_NUMERAL, WORD_VALUES, exponent, is_plural, read_digits, read_word_tokens, read_words, value_precision,
)

__all__ = [
    "ParsedFigure", "FigureSuggestion", "parse_figure", "detect_figures", "QUALIFIER_KIND",
]

QUALIFIER_KIND = L.QUALIFIER_KIND


@dataclass(slots=True)
class ParsedFigure:
    """What a figure says, as far as the text tells."""

    value: float | None = None          # single value (None for ranges and vague magnitudes)
    low: float | None = None            # ranges: "between 30 to 40 thousand" -> 30000, 40000
    high: float | None = None
    unit: str | None = None             # "percent", ISO 4217 code, physical unit, "fraction"...
    qualifier: str | None = None        # "at least", "more than", "nearly", "around"...
    counted: str | None = None          # "protesters", "prisoners", "megawatts"...
    rate: str | None = None             # "year" for "a year" / "per year" / "annually"...
    precision: float | None = None      # place value of the last significant digit written
    form: str | None = None             # "number", "range", "vague", "fraction", "ratio"
    uncertainty: float | None = None    # "93.90±0.15" -> 0.15

    @property
    def is_range(self) -> bool:
        return self.value is None and self.low is not None


def _json_number(x: float) -> int | float:
    if x == int(x) and abs(x) < 1e18:
        return int(x)
    return x


class FigureSuggestion:
    """A figure found in a text: its code-point span ``text[start:end]`` and what it says.

    ``parsed`` is computed on first use (the counted noun and the rate need a look at the words
    after the figure, which detection itself does not need).
    """

    __slots__ = ("start", "end", "text", "_parsed", "_src")

    def __init__(self, start: int, end: int, text: str, parsed: ParsedFigure | None = None,
                 _src: tuple | None = None):
        self.start = start
        self.end = end
        self.text = text
        self._parsed = parsed
        self._src = _src

    @property
    def parsed(self) -> ParsedFigure:
        if self._parsed is None:
            src = self._src
            self._parsed = _build_parsed(src[0], src[1]) if src else ParsedFigure()
            self._src = None
        return self._parsed

    def value_json(self) -> int | float | list | None:
        """The value as JSON: a number, or ``[low, high]`` for ranges and vague magnitudes."""
        p = self.parsed
        if p.value is not None:
            return _json_number(p.value)
        if p.low is not None and p.high is not None:
            return [_json_number(p.low), _json_number(p.high)]
        return None

    def __eq__(self, other) -> bool:
        if not isinstance(other, FigureSuggestion):
            return NotImplemented
        return (self.start, self.end, self.text, self.parsed) == (
            other.start, other.end, other.text, other.parsed)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"FigureSuggestion(start={self.start!r}, end={self.end!r}, text={self.text!r}, "
                f"parsed={self.parsed!r})")


def detect_figures(text: str) -> list[FigureSuggestion]:
    """All figures of ``text``, sorted by start and non-overlapping."""
    return _scan(text, strict=True)


def parse_figure(text: str, context_after: str = "", context_before: str = "") -> ParsedFigure:
    """Parse a user-selected span ("30,000", "$79 million", "between 30 to 40 thousand").

    The first number that starts inside ``text`` is read.  The contexts complete it: a currency
    or qualifier just before the selection, a scale, unit, counted noun or rate just after it.
    No date or name filtering is done: the user chose the span.  A selection without any number
    gives an empty :class:`ParsedFigure` (all fields None).
    """
    full = context_before + text + context_after
    found = _scan(full, strict=False, pos=len(context_before),
                  stop=len(context_before) + len(text), first=True)
    return found[0].parsed if found else ParsedFigure()


# ------------------------------------------------------------------------------------------------
# The scanner
# ------------------------------------------------------------------------------------------------

_MAIN_MATCH = P.MAIN.match
_DIGIT_SEARCH = P.DIGIT.search
_NUMBER_WORD_AFTER_SPACE_SEARCH = P.NUMBER_WORD_AFTER_SPACE.search
_NUMBER_WORD_AFTER_OTHER_SEARCH = P.NUMBER_WORD_AFTER_OTHER.search
_NUMBER_WORD_MATCH = P.NUMBER_WORD.match
_LEFT_MATCH = P.LEFT.match
G = P.G
_I = {k: v - 1 for k, v in G.items()}       # indexes into Match.groups()
_L = {k: v - 1 for k, v in P.LG.items()}
I_NUM, I_VAGUE, I_FOLD, I_WORDS = _I["num"], _I["vague"], _I["fold"], _I["words"]
I_EXP, I_HALF, I_PM, I_SCALE, I_UNIT, I_POST = (
    _I["exp"], _I["half"], _I["pm"], _I["scale"], _I["unit"], _I["post"])
I_TIME, I_DMONTH, I_CHAIN, I_VCUR, I_FUNIT = (
    _I["time"], _I["dmonth"], _I["chain"], _I["vcur"], _I["funit"])
I_CONN, I_CUR2, I_N2, I_W2, I_EXP2, I_SCALE2, I_UNIT2 = (
    _I["conn"], _I["cur2"], _I["n2"], _I["w2"], _I["exp2"], _I["scale2"], _I["unit2"])
I_RATIO, I_RN, I_RW = _I["ratio"], _I["rn"], _I["rw"]
G_NUM, G_MWORD, G_FUNITNAME, G_VCURNAME = G["num"], G["mword"], G["funitname"], G["vcurname"]
L_SIGN, L_CUR, L_SYM, L_ART, L_QUAL, L_BTW, L_RFROM, L_FRM, L_MONTH, L_PW = (
    _L["sign"], _L["cur"], _L["sym"], _L["art"], _L["qual"], _L["btw"], _L["rfrom"], _L["frm"],
    _L["month"], _L["pw"])

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_CURRENCY_CODES_OUT = set(L.CURRENCY_PREFIXES.values()) | set(L.CURRENCY_NAMES.values()) | \
    set(L.CURRENCY_CODES) | {"IRT"}
_ONE_TIME_PREPOSITIONS = {"for", "in", "within", "than", "after", "only", "just", "about",
                          "nearly", "almost", "least", "past", "last", "next", "over", "under"}
_HALF_BLOCKERS = {"first", "second", "other", "the", "and", "latter", "former", "back", "a",
                  "one", "two", "three", "final", "this", "that", "each", "its", "top",
                  "bottom", "lower", "upper", "better"}
_HALF_FOLLOWERS = {"of", "the", "a", "an", "its", "their", "his", "her", "our", "all", "that",
                   "this", "those", "these", "them", "what"}
_QUOTES_AND_BRACKETS = "([“\"‘'’«"


class _Text:
    """The text being scanned, with its lowercased and reversed copies."""

    __slots__ = ("text", "low", "rev", "n", "strict")

    def __init__(self, text: str, strict: bool):
        low = text.lower()
        if len(low) != len(text):           # a few characters lowercase to two ("İ")
            low = text.translate(_ASCII_LOWER)
        self.text, self.low, self.rev, self.n, self.strict = text, low, low[::-1], len(text), strict


class _Starts:
    """``MAIN.search(low, pos)``, found faster: MAIN can only start at a digit or at a word that begins
    with a number word, and those are found by expressions that let the regex engine skip ahead (a
    character class or a literal first). The next digit and the next number word are remembered
    until passed, so each part of the text is searched once (``pos`` never decreases within a scan).
    A number word after a space and one after any other non-word character are searched apart: the
    engine finds a literal space far faster than a character of ``[^\\w]`` (see figures_patterns)."""

    __slots__ = ("low", "n", "digit", "spaced", "other")

    def __init__(self, low: str):
        self.low, self.n = low, len(low)
        self.digit = self.spaced = self.other = -1

    def search(self, pos: int):
        low, n, digit, spaced, other = self.low, self.n, self.digit, self.spaced, self.other
        while True:
            if digit < pos:
                m = _DIGIT_SEARCH(low, pos)
                digit = m.start() if m else n
            if spaced < pos:
                m = _NUMBER_WORD_AFTER_SPACE_SEARCH(low, pos - 1 if pos else 0)
                spaced = m.start() + 1 if m else n
            if other < pos:
                if pos == 0 and _NUMBER_WORD_MATCH(low, 0):
                    other = 0
                else:
                    m = _NUMBER_WORD_AFTER_OTHER_SEARCH(low, pos - 1 if pos else 0)
                    other = m.start() + 1 if m else n
            p = digit if digit < spaced else spaced
            if other < p:
                p = other
            if p >= n:
                m = None
                break
            m = _MAIN_MATCH(low, p)
            if m is not None:
                break
            pos = p + 1
        self.digit, self.spaced, self.other = digit, spaced, other
        return m


def _scan(text: str, strict: bool, pos: int = 0, stop: int | None = None,
          first: bool = False, rows: bool = False) -> list:
    """The figures of ``text`` as :class:`FigureSuggestion` objects, or with ``rows`` as the plain
    tuples of :func:`figures_worker.figure_rows` (no objects built only to be read and thrown away)."""
    t = _Text(text, strict)
    low = t.low
    out: list[FigureSuggestion] = []
    last_end = 0
    search = _Starts(low).search
    while True:
        m = search(pos)
        if m is None:
            break
        s = m.start()
        if stop is not None and s >= stop:
            break
        g = m.groups()
        if g[I_NUM] is not None:
            fig, resume = _digits(t, m, g)
        elif g[I_WORDS] is not None:
            fig, resume = _words(t, m, g)
        elif g[I_VAGUE] is not None:
            fig, resume = _vague(t, m, g)
        else:
            fig, resume = _fold(t, m, g)
        pos = resume if resume > s else s + 1
        if fig is None:
            continue
        start, end = fig[0], fig[1]
        if start < last_end:                # a qualifier reaching into the previous figure
            start = fig[2]
            if start < last_end:
                continue
        if rows:
            counted, rate = _counted_and_rate(text, fig)
            out.append((start, end, fig[3], fig[4], fig[5], fig[6], fig[7], counted, rate, fig[8],
                        fig[9], fig[12]))
        else:
            out.append(FigureSuggestion(start, end, text[start:end], None, (text, fig)))
        last_end = end
        if end > pos:
            pos = end
        if first:
            break
    return out


# A figure is passed around as a tuple:
#   (start, end, num_start, value, low, high, unit, qual, prec, form, unit_word, time_unit, pm)
# _build_parsed receives (text, fig).


def _skip_token(low: str, pos: int) -> int:
    n = len(low)
    while pos < n and not low[pos].isspace():
        pos += 1
    return pos


def _in_url(t: _Text, pos: int) -> bool:
    low = t.low
    a = pos
    while a > 0 and not low[a - 1].isspace() and pos - a < 200:
        a -= 1
    return P.URLISH.search(low[a:_skip_token(low, pos)]) is not None


def _prev_word(t: _Text, lm) -> str:
    """The word before the number (original case, quotes and brackets stripped), or ''."""
    if isinstance(lm, str):                 # found without the reversed match
        return lm
    a, b = lm.span(L_PW + 1)
    if a < 0:
        return ""
    words = t.text[t.n - b:t.n - a].split()
    return words[0].lstrip(_QUOTES_AND_BRACKETS) if words else ""


def _unit_of(orig: str):
    """(unit, unit word, is currency, hyphenated) for a unit as written, or None."""
    key = " ".join(orig.strip(" \u00a0").split())
    hyphen = key.startswith("-")
    key = key.lstrip("-")
    if key.endswith("-old"):
        key = key[:-4]
    low = key.lower()
    if low in L.PERCENT_WORDS or low.replace(" ", "") == "percent":
        return L.PERCENT_WORDS.get(low, "percent"), low, False, hyphen
    if key in L.CURRENCY_CODES:
        return L.CODE_ALIASES.get(key, key), low, True, hyphen
    if low in L.CURRENCY_CODES or low.upper() in L.CURRENCY_CODES:
        return None                     # "try", "aud" written in lowercase: not a code
    if key in ("€", "£"):
        return L.CURRENCY_PREFIXES[key], key, True, hyphen
    if low in L.CURRENCY_NAMES:
        return L.CURRENCY_NAMES[low], low, True, hyphen
    if key in L.UNITS_CASED:
        return L.UNITS_CASED[key], low, False, hyphen
    if low in L.UNITS:
        return L.UNITS[low], low, False, hyphen
    if low.startswith("°"):
        return {"°c": "°C", "°f": "°F"}.get(low, "°" + low[1:].upper() if len(low) > 1 else "degree"), \
            low, False, hyphen
    if low == "x":
        return "times", low, False, hyphen
    return None


# Last words of everything _left can recognise: when the word before a number is none of these
# (and no symbol touches the number), the reversed match can be skipped.
_LEFT_TRIGGERS = frozenset(
    {q.split()[-1] for q in L.QUALIFIERS_BEFORE}
    | {"between", "from", "a", "an"} | {mo.lower() for mo in L.MONTHS}
    | {mo.lower() + "." for mo in L.MONTHS} | {c.lower() for c in L.CURRENCY_CODES}
    | {k.lower() for k in L.CURRENCY_PREFIXES if k[-1].isalpha() or k[-1] == "."})


def _left(t: _Text, s: int, words: bool):
    """Read what precedes a number at ``s``.  Returns a tuple
    (start, sign, cur, qual, qual_start, btw_start, rfrom, frm, month_upper, left_match,
    article_start); ``article_start`` is set when "a"/"an" stands before number words, and
    ``_prev_word(t, left_match)`` gives the word before the number."""
    n = t.n
    if s > 1 and t.low[s - 1] == " ":
        low = t.low
        j = low.rfind(" ", max(0, s - 30), s - 1)
        if j >= 0 and low.find("\n", j, s) < 0:
            w = low[j + 1:s - 1]
            if w and w[-1].isalnum() and w not in _LEFT_TRIGGERS \
                    and w[0] not in _QUOTES_AND_BRACKETS:
                return s, None, None, None, None, None, False, False, False, \
                    t.text[j + 1:s - 1], None
    lm = _LEFT_MATCH(t.rev, n - s)
    if lm.start(L_PW + 1) == n - s or lm.end() == n - s:    # nothing but the previous word
        return s, None, None, None, None, None, False, False, False, lm, None
    g = lm.groups()
    start = s
    sign = cur = qual = qstart = btw_start = None
    rfrom = frm = month = False
    if g[L_SIGN] or g[L_CUR] or g[L_SYM]:
        if words:
            return s, None, None, None, None, None, False, False, False, "", None
        if g[L_SIGN]:
            sign = True
            start -= 1
        if g[L_CUR]:
            sym = g[L_CUR][::-1].strip(" \u00a0")
            code = P.CUR_PREFIX_LOWER.get(sym)
            if code is None:
                a = n - lm.end(L_CUR + 1)
                orig = t.text[a:a + len(g[L_CUR])].strip(" \u00a0")
                if not orig.isupper():
                    return s, sign, None, None, None, None, False, False, False, "", None
                code = L.CODE_ALIASES.get(orig, orig)
            cur = code
            start = n - lm.end(L_CUR + 1)
        if g[L_SYM]:
            qual = L.QUALIFIER_SYMBOLS[g[L_SYM].strip(" \u00a0")]
            start = n - lm.end(L_SYM + 1)
    art_start = None
    if g[L_ART]:
        if not words:
            return start, sign, cur, qual, None, None, False, False, False, "a", None
        art_start = n - lm.end(L_ART + 1)
    if g[L_QUAL] and qual is None:
        q = " ".join(g[L_QUAL][::-1].strip("“\"‘« \t\n\u00a0").split())
        qual = L.QUALIFIERS_BEFORE.get(q, q)
        qstart = n - lm.end(L_QUAL + 1)
    if g[L_BTW]:
        btw_start = n - lm.end(L_BTW + 1)
    elif g[L_RFROM]:
        rfrom = True
        btw_start = n - lm.end(L_RFROM + 1)
    frm = g[L_FRM] is not None
    if g[L_MONTH] and qual is None and cur is None:
        a = n - lm.end(L_MONTH + 1)
        month = t.text[a].isupper()
    return start, sign, cur, qual, qstart, btw_start, rfrom, frm, month, lm, art_start


def _digits(t: _Text, m, g):
    text, low, n, strict = t.text, t.low, t.n, t.strict
    s = m.start()
    raw = g[I_NUM]
    e = s + len(raw)
    c = low[s - 1] if s else " "
    if strict and c not in " \n\t(“\"$€£‘\u00a0":
        c2 = low[s - 2] if s > 1 else " "
        if c.isalpha() or c in "_#№@&%" or c == "=" and _in_url(t, s):
            return None, _skip_token(low, e)        # "G7", "MH17", "#5", "?id=12", "%20"
        if c in "-.,/–‑" and (c2.isalpha() or c2 in "/.") or c in ".," and c2 in ")”\"’]":
            return None, _skip_token(low, e)        # "COVID-19", footnotes "crimes.12", ").1"
        if c in "/:":
            return None, _skip_token(low, e)        # "15/02", "10:30"
        if c in "-–‑<>" and c2.isdigit() or c in "<>" and c2.isalpha():
            return None, e                          # "737–8" (second half), "Sep<11>2014"
        if c == "+":
            pm = P.PHONE_INTL_REST.match(low, e)
            return None, pm.end() if pm else e     # "+1 202-555-0143", "+41 (0)41 619 67 74"
        if c == ")" and s > 2 and low[s - 3:s] == "(0)":
            pm = P.PHONE_INTL_REST.match(low, e)
            return None, pm.end() if pm else e     # "+41 (0)41 619 67 74"
        if c in "'’" and len(raw) == 2:
            return None, _skip_token(low, e)        # "’80s", "'15"
    if strict and e < n and low[e] in "-_@./" and not (
            low[e] == "." and c.isspace() and (e + 1 == n or low[e + 1].isspace())) and _in_url(t, s):
        return None, _skip_token(low, e)            # "9-FAA-SACO@faa.gov", "site.com/2023"
    if strict and s > 5 and low[s - 2] == ")" and (c == " " or c == "\n" and P.PHONE_LOCAL.match(low, s)) \
            and P.AREA_CODE_BEFORE.search(low, s - 6, s):
        pm = P.PHONE_REST.match(low, e)
        return None, pm.end() if pm else e         # "(202) 512-4400"
    if strict and len(raw) > 1 and raw[0] == "0" and raw[1].isdigit():
        pm = P.PHONE_REST.match(low, e)
        return None, pm.end() if pm else e         # "020 7946 0958", "007"
    if strict and g[I_CHAIN] is not None and m.start(I_CHAIN + 1) == e:
        return None, max(m.end(I_CHAIN + 1), _skip_token(low, e))   # "2023-02-15", "9/11", "10:30"
    if " " in raw or "\u00a0" in raw or "\u202f" in raw or "\u2009" in raw:
        head = raw.split()[0] if " " in raw else raw
        if not (head.isdigit() and len(head) <= 3):  # "in 2019 500 people": no thousands
            m = P.MAIN_NO_SPACE.match(low, s)
            return _digits(t, m, m.groups())
    if len(raw) > MAX_NUMERAL:
        return None, e                              # a run of hundreds of digits is no figure
    if raw.isdigit():
        stripped = raw.rstrip("0")
        value, prec, plain = float(raw), 10.0 ** (len(raw) - len(stripped)) if stripped else 1.0, True
    else:
        rd = read_digits(raw)
        if rd is None:
            return None, e                          # "15.02.2023", "3.2.1"
        value, prec, plain = rd
    if strict and plain and len(raw) >= 8:
        return None, e                              # identifiers
    start, sign, cur, qual, qstart, btw_start, rfrom, frm, month, lm, _a = _left(t, s, False)
    if sign:
        value = -value
    num_start = start
    if m.lastindex == G_NUM and cur is None:     # a bare number: the common case
        if strict:
            if e < n and low[e].isalnum():
                return None, _skip_token(low, e)    # "1010data", "4G", "3rd", "1980s"
            skip = _reject_plain(t, m, g, s, e, e, raw, value, plain, qual, month, lm, c)
            if skip is not None:
                return None, skip
        if qual is not None:
            if qual in L.VAGUE_COUNT_QUALIFIERS:
                qual = None
            elif qstart is not None:
                start = qstart
        return (start, e, num_start, value, None, None, None, qual, prec, "number", None, False,
                None), e
    end = e
    unit = unit_word = pm = None
    time_unit = hyphen = False
    scale = 1.0
    form = "number"
    low_v = high_v = None
    done = False
    if g[I_EXP] is not None:
        k = exponent(g[I_EXP])
        if k is None:
            return None, m.end(I_EXP + 1)           # "1e6555": beyond any number a float holds
        value *= 10.0 ** k
        prec *= 10.0 ** k
        plain = False
        end = m.end(I_EXP + 1)
    if g[I_HALF] is not None:
        value += 0.5 if value >= 0 else -0.5
        prec = min(prec, 0.5)
        plain = False
        end = m.end(I_HALF + 1)
    if g[I_PM] is not None:
        pm = float(g[I_PM].strip(" \u00a0±+/-−").replace(",", "."))
        plain = False
        end = m.end(I_PM + 1)
    sc = g[I_SCALE]
    if sc is not None:
        key = sc.strip(" \u00a0-")
        if len(key) == 1:
            key = text[m.end(I_SCALE + 1) - 1]      # case matters: "M" million, "m" metres
        if key in L.SCALE_ABBREVIATIONS_NEED_CURRENCY or key == "t":
            done = True
            if cur is None and key == "m" and g[I_UNIT] is None and g[I_POST] is None:
                unit, unit_word, end = "m", "m", m.end(I_SCALE + 1)     # "100m": metres
            elif cur is not None and key != "t":
                scale = L.SCALE_ABBREVIATIONS[key]
                end = m.end(I_SCALE + 1)
                done = False
        else:
            scale = L.SCALE_WORDS.get(key) or L.SCALE_ABBREVIATIONS[key]
            end = m.end(I_SCALE + 1)
        if scale != 1.0:
            value *= scale
            prec *= scale
            plain = False
    if not done and g[I_UNIT] is not None:
        us, ue = m.span(I_UNIT + 1)
        u = _unit_of(text[us:ue])
        if u is None or cur is not None and u[0] != cur:
            done = True
        else:
            unit, unit_word, is_cur, hyphen = u
            if is_cur:
                if g[I_UNIT].strip() in L.CURRENCY_SUBUNITS:
                    value /= 100.0
                    prec /= 100.0
                cur = unit
            time_unit = unit in L.TIME_UNITS
            if hyphen:
                plain = False
            end = ue
    if cur is not None and unit is None:
        unit = cur
    if not done and g[I_POST] is not None:
        q = L.QUALIFIERS_AFTER.get(" ".join(g[I_POST].strip(" \u00a0").split()))
        if q == "something":                        # "$16-something": between 16 and 17
            low_v, high_v, value = value, value + prec, None
            form = "range"
        elif q and qual is None:
            qual = q
        end = m.end(I_POST + 1)
    if strict and end < n and low[end].isalnum() and low[end - 1].isalnum():
        return None, _skip_token(low, end)          # "1010data", "4G", "3rd", "1980s"
    tail_ok = not done
    if strict and unit is None and scale == 1.0 and form == "number":
        skip = _reject_plain(t, m, g, s, e, end, raw, value, plain, qual, month, lm, c)
        if skip is not None:
            return None, skip
    if qual is not None:
        if qual == "over" and time_unit or qual in L.VAGUE_COUNT_QUALIFIERS:
            qual = None                             # "$300 billion over two years"
        elif qstart is not None:
            start = qstart
    fig = (start, end, num_start, value, low_v, high_v, unit, qual, prec, form, unit_word,
           time_unit, pm)
    if tail_ok and form == "number":
        if g[I_CONN] is not None and m.start(I_CONN + 1) == end:
            r = _range(t, m, g, fig, cur, scale, plain, btw_start, rfrom, frm, True)
            if r is not None:
                if strict and r[6] is None and r[7] is None and plain and _bracketed(t, r[0], r[1]):
                    return None, P.LABEL_LIST.match(low, r[1]).end()   # "(284-286)": references
                if strict and r[6] is None and r[7] is None and plain and _in_page_list(t, r[0], r[1]):
                    return None, r[1]                                  # "advertising, 36, 45–46, 127"
                return r, r[1]
            n2 = g[I_N2]
            if strict and plain and g[I_CONN] in ("-", "–", "‑") and n2 is not None \
                    and n2.isdigit() and value >= int(n2):
                return None, m.end(I_N2 + 1)        # "737-8", "3-2": a code or a score
        elif g[I_RATIO] is not None and m.start(I_RATIO + 1) == end and unit is None:
            r = _ratio(t, m, g, fig, plain)
            if r is not None:
                return r, r[1]
    return fig, end


def _reject_plain(t, m, g, s, e, end, raw, v, is_int, qual, month, lm, c):
    """For a number without unit, currency or scale: is it a date, year, clock time, label,
    name, footnote or list marker?  Returns where to resume when it is, else None."""
    text, low, n = t.text, t.low, t.n
    if is_int:
        if g[I_TIME] is not None and m.start(I_TIME + 1) == end:
            return m.end(I_TIME + 1)                # "5 p.m.", "0900 GMT"
        if g[I_DMONTH] is not None and m.start(I_DMONTH + 1) == end and 1 <= v <= 31 \
                and text[m.start(G_MWORD)].isupper():
            return m.end(I_DMONTH + 1)              # "15 February 2023", "3rd of May"
        if month and (1 <= v <= 31 or 1000 <= v <= 2099):
            return e                                # "February 8", "November 2019"
        if len(raw) == 4 and 1000 <= v <= 2099:
            if g[I_CONN] is not None and m.start(I_CONN + 1) == end and g[I_N2] is not None:
                n2 = g[I_N2]
                if n2.isdigit() and (len(n2) <= 2 or len(n2) == 4 and 1000 <= int(n2) <= 2099):
                    return m.end(I_N2 + 1)          # "2011-12", "2019 to 2024"
            if qual is not None:
                if L.QUALIFIER_KIND.get(qual) == "approximate" and not _count_follows(text, end):
                    return e                        # "around 2010"
            elif v >= 1900 or not _count_follows(text, end):
                return e                            # "in 2019", "the 2016 players", "in 1500"

    if is_int:
        skip = _not_a_quantity(t, s, end, raw, c, qual)
        if skip is not None:
            return skip
    # LEGAL_AFTER and ADDRESS_AFTER start with white space and then a capital or a digit: neither
    # is tried before a lowercase word ("34 deaths")
    caps_after = is_int and text[end:end + 1].isspace() and not text[end + 1:end + 2].islower()
    if caps_after and P.LEGAL_AFTER.match(text, end):
        return e                                    # "14 CFR", "5 U.S.C.", "Under 1 CFR"
    if qual is not None:
        return None
    if caps_after and P.ADDRESS_AFTER.match(text, end):
        return e                                    # "441 G Street NW"
    if is_int or "." in raw:
        pw = _prev_word(t, lm)
        pl = pw.lower()
        if is_int and len(raw) >= 3 and pl in _DETERMINERS_BEFORE_NAMES \
                and not _count_follows(text, end):
            return e                                # "the 757", "his 757 was"
        if pl in L.LABEL_WORDS or pl.rstrip(",:") in L.LABEL_WORDS:
            return P.LABEL_LIST.match(low, end).end()   # "page 12", "Figs. 4 and 5"
        if pw and c in " \n" and pw[0].isupper() and pl not in L.CAPITALISED_OK and (
                pw.isalpha() or pw.isupper() and pw.replace("-", "").isalnum()) \
                and not (c == "\n" and _table_cell(text, s, end)):
            return e                                # "Royedad 24", "Boeing 737" (not "Alaska\n209\n3,062")
    if is_int and _bracketed(t, s, end) and v < 10000:
        return P.LABEL_LIST.match(low, end).end()   # "[3]", "(2)", "(12, 13)"
    ls = text.rfind("\n", 0, s) + 1
    if not text[ls:s].strip(" \t\u00a0-–—•*■▪●◆❚"):
        le = text.find("\n", end)
        rest = text[end:le if le >= 0 else n]
        if not rest.strip(" \t\u00a0-–.") and not _table_cell(text, s, end):
            return e                                # a line holding only a (page) number
        if (is_int or P.SECTION.fullmatch(raw)) and P.LIST_MARK.match(rest):
            return e                                # "1. Introduction", "2.3 Methods"
    return None


def _table_cell(text: str, s: int, end: int) -> bool:
    """Is the number ``text[s:end]``, alone on its line, a cell of a table whose cells a PDF gives one
    a line (the FBI's NICS table: "Alabama\n18,870\n23,022\n…"), rather than a page number or the
    end of a name ("Boeing\n737")? It is when the line before or after it also holds only a number."""
    ls = text.rfind("\n", 0, s) + 1
    le = text.find("\n", end)
    if not P.CELL_LINE.fullmatch(text, ls, le if le >= 0 else len(text)):
        return False                                # not alone on its line
    before = after = False
    if ls >= 2:
        ps = text.rfind("\n", 0, ls - 1) + 1
        before = P.CELL_LINE.fullmatch(text, ps, ls - 1) is not None
    if le >= 0:
        ne = text.find("\n", le + 1)
        after = P.CELL_LINE.fullmatch(text, le + 1, ne if ne >= 0 else len(text)) is not None
    return (before or after) and not _numbering(text, ls)


def _numbering(text: str, ls: int) -> bool:
    """Do the lines around ``ls`` that each hold one number just count 1, 2, 3… in some order (a
    book's printer's key "1 3 5 7 9 10 8 6 4 2", a table's row numbers), which states no quantity?"""
    a = ls
    for _ in range(30):                             # back to the first line of the run
        p = text.rfind("\n", 0, a - 1) + 1 if a >= 2 else -1
        if p < 0 or not P.CELL_LINE.fullmatch(text, p, a - 1):
            break
        a = p
    values = []
    for line in text[a:].split("\n", 60)[:60]:
        if not P.CELL_LINE.fullmatch(line):
            break
        v = line.strip(" \t\u00a0")
        if not v.isdigit():
            return False
        values.append(int(v))
    return len(values) >= 3 and sorted(values) == list(range(1, len(values) + 1))


def _not_a_quantity(t: _Text, s: int, end: int, raw: str, c: str, qual):
    """Numbers of reports and books that state no quantity: phone numbers in spaced groups, codes
    cut at a dash, model designations, addresses without a street word, page references (index
    entries, citations) and running heads.  Returns where to resume, or None."""
    text, n = t.text, t.n
    digits = raw.isdigit()
    nxt = text[end] if end < n else "\n"
    n1 = text[end + 1] if end + 1 < n else ""
    if nxt == " " or nxt == "\u00a0":
        if digits and n1.isdigit():
            pm = P.SPACED_GROUPS.match(text, s)
            if pm is not None:
                groups = pm.group().split()
                if len(groups) >= 3 and sum(map(len, groups)) >= 7 and any(len(g) == 2 for g in groups):
                    return pm.end()                 # "619 67 74": a phone number
    elif nxt in "-–‑":
        if P.CODE_AFTER.match(text, end):
            return _skip_token(t.low, end)          # "2274–COL–AC2–26", "9-\nANM-…@faa.gov"
    elif c == ";" and P.VOLUME_AFTER.match(text, end):
        return end                                  # "PLoS One. 2019;14:e0216277": a journal volume
    prv = text[s - 2] if s > 1 else ""
    if prv in "-–‑" and c in " \n" and P.CODE_BEFORE.search(text, max(0, s - 8), s):
        return end                                  # "M–\n30", "ET– 302": a code cut at its dash
    if n1.isupper() and digits:
        if len(raw) >= 3 and raw[-1] != "0" and end + 2 < n and text[end + 2].isupper():
            mm = P.MODEL_AFTER.match(text, end)
            if mm is not None and _model(t, raw, mm):
                return mm.end()                     # "737 MAX": a model designation
        if qual is None and prv == "," and c in " \n" and P.ADDRESS_CITY_AFTER.match(text, end):
            return end                              # "Branch, 901 Locust, Kansas City"
    if qual is not None or not digits:
        return None
    if (prv in ",\n-–" or c == ",") and _in_page_list(t, s, end):
        return end                                  # "Dylan, Bob, 270", "Apple, 203, 264", "106(g), 40113."
    if nxt == "\n":
        ls = text.rfind("\n", 0, s) + 1
        head = text[ls:s]
        if len(head) < 60 and head.upper() == head and any(ch.isalpha() for ch in head):
            return end                              # "“PIRACY” 37": a running head and page number
    return None


def _model(t: _Text, raw: str, mm) -> bool:
    """Is the unround number ``raw`` followed by the capitals ``mm`` a model designation ("737 MAX")
    rather than a count before an acronym ("287 PHC centres")?  A unit in capitals ("2362 IU/mL") is
    neither.  When a plural noun follows, the number must also be written as a model nearby (within
    :data:`_MODEL_WINDOW` characters: "Model 737–8", "737-9"), or the pair must come back there ("all 737 MAX
    airplanes. Some 737 MAX")."""
    w = mm.group(1)
    if w in L.CURRENCY_CODES or w in L.UNITS_CASED or w.lower() in L.UNITS:
        return False
    if not _count_follows(t.text, mm.end()):
        return True
    text = t.text
    lo, hi = max(0, mm.start() - _MODEL_WINDOW), mm.end() + _MODEL_WINDOW
    return _written_with_variant(text, raw, lo, hi) or _twice(text, raw + " " + w, raw + "\n" + w, lo, hi)


_MODEL_WINDOW = 6000    # about two pages


def _twice(text: str, a: str, b: str, lo: int, hi: int) -> bool:
    """Do ``a`` and ``b`` occur at least twice in ``text[lo:hi]`` together?"""
    i = text.find(a, lo, hi)
    j = text.find(b, lo, hi)
    if i < 0 and j < 0:
        return False
    if i >= 0 and j >= 0:
        return True
    k = max(i, j)
    return text.find(a if i >= 0 else b, k + 1, hi) >= 0


def _written_with_variant(text: str, raw: str, lo: int, hi: int) -> bool:
    """Is ``raw`` written in ``text[lo:hi]`` with a one- or two-digit variant after a dash ("737–8")?"""
    n = len(text)
    for d in "–-‑":
        key = raw + d
        i = text.find(key, lo, hi)
        while i >= 0:
            j = i + len(key)
            if (i == 0 or not text[i - 1].isdigit()) and j < n and text[j].isdigit() \
                    and not (j + 2 < n and text[j + 1].isdigit() and text[j + 2].isdigit()):
                return True
            i = text.find(key, j, hi)
    return False


def _in_page_list(t: _Text, s: int, end: int) -> bool:
    """Is the bare number or range ``text[s:end]`` a page or section reference in a comma list: an index
    entry ("Dylan, Bob, 270", "Apple, 203, 264", "advertising, 36, 45–46, 127"), a citation ("49 U.S.C.
    106(g), 40113, 44701.")?  It follows a comma and ends its line, or another number follows."""
    text = t.text
    k = s - 1
    while k >= 0 and s - k <= 3 and text[k] in " \n":
        k -= 1
    if k < 0 or k == s - 1 or text[k] != "," and not (text[k] in "-–" and k > 0 and text[k - 1].isdigit()):
        return False                                # "167–\n\n68": a page range cut by a page break
    if P.PAGE_LIST_AFTER.match(text, end):
        return not _unit_on_next_line(text, end)   # "show, 45\npercent of VCR owners" is a figure
    more = P.PAGE_LIST_MORE.match(text, end)
    if more is not None:                            # "Apple, 203, 264, 302" but not "20, 30, 40 million"
        after = more.end()
        return not (after < t.n and text[after] in " \u00a0" and P.NEXT_WORD.match(text, after)
                    and text[after + 1:after + 2].isalpha())
    return end < t.n and text[end] in ".;" and k > 0 and (text[k - 1].isdigit() or text[k - 1] == ")")


def _unit_on_next_line(text: str, end: int) -> bool:
    """Does the next line start with a unit, percent or scale word ("45\npercent")?"""
    nm = P.NEXT_WORD.match(text[end:end + 40].replace("\n", " "))
    if nm is None:
        return False
    w = nm.group(1).lower()
    return w in L.UNITS or w in L.PERCENT_WORDS or w in L.SCALE_WORDS


_DETERMINERS_BEFORE_NAMES = {"the", "his", "her", "its", "their", "our", "my", "your", "a",
                             "an", "this", "that"}


def _count_follows(text: str, end: int) -> bool:
    """Is the word after ``end`` a plural noun (or a superlative) that the number counts?"""
    nm = P.NEXT_WORD.match(text, end)
    if not nm:
        return False
    w = nm.group(1)
    return w[0].islower() and (is_plural(w) or w.endswith("est"))


def _bracketed(t: _Text, start: int, end: int) -> bool:
    """Is ``text[start:end]`` alone in brackets, or first in a bracketed list ("(12, 13)")?"""
    low = t.low
    return start > 0 and low[start - 1] in "[(" and end < t.n and low[end] in "]),;"


def _range(t, m, g, fig, cur, scale, plain, btw_start, rfrom, frm, first_is_num):
    """The figure ``fig`` and the number after a connector as one range, or None."""
    text, low, n = t.text, t.low, t.n
    conn = g[I_CONN].strip(" \u00a0∼~≈")
    if len(conn) > 1 and conn[0] == "-":
        conn = conn.split()[-1]                     # "8- to 16-meter"
    if conn == "and" and btw_start is None:
        return None                                 # "20 and 30": two figures
    if conn == "and" and rfrom:
        return None
    if conn == "to" and frm:
        return None                                 # "fell from 54% to 35%": a change
    n2, w2 = g[I_N2], g[I_W2]
    if conn in "-–—‒" and n2 is None:
        return None                                 # hyphenated words are compounds
    if conn == "or" and not (w2 is not None or plain and n2 is not None):
        return None
    if (w2 is None) != first_is_num and conn not in ("to", "or"):
        return None
    cur2 = None
    if g[I_CUR2] is not None:
        sym = g[I_CUR2].strip(" \u00a0")
        cur2 = P.CUR_PREFIX_LOWER.get(sym)
        if cur2 is None:
            a = m.start(I_CUR2 + 1)
            orig = text[a:a + len(sym)]
            if not orig.isupper():
                return None
            cur2 = L.CODE_ALIASES.get(orig, orig)
    if n2 is not None:
        rd = read_digits(n2)
        if rd is None:
            return None
        hi, hprec, _ = rd
        end = m.end(I_N2 + 1)
    else:
        tokens = [x for x in P.WORD_TOKEN.findall(w2) if x != "and"]
        hi = read_word_tokens(tokens)
        if hi is None:
            return None
        hprec = value_precision(hi)
        end = m.end(I_W2 + 1)
    if g[I_EXP2] is not None:
        k = exponent(g[I_EXP2])
        if k is None:
            return None
        hi *= 10.0 ** k
        hprec *= 10.0 ** k
        end = m.end(I_EXP2 + 1)
    scale2 = 1.0
    if g[I_SCALE2] is not None:
        key = g[I_SCALE2].strip(" \u00a0-")
        if len(key) == 1:
            key = text[m.end(I_SCALE2 + 1) - 1]
        if key in L.SCALE_ABBREVIATIONS_NEED_CURRENCY or key == "t":
            if not (cur or cur2) or key == "t":
                return None
            scale2 = L.SCALE_ABBREVIATIONS[key]
        else:
            scale2 = L.SCALE_WORDS.get(key) or L.SCALE_ABBREVIATIONS[key]
        hi *= scale2
        hprec *= scale2
        end = m.end(I_SCALE2 + 1)
    unit2 = None
    unit_word = fig[10]
    time_unit = fig[11]
    if g[I_UNIT2] is not None:
        us, ue = m.span(I_UNIT2 + 1)
        u = _unit_of(text[us:ue])
        if u is not None:
            unit2, unit_word = u[0], u[1]
            time_unit = time_unit or unit2 in L.TIME_UNITS
            end = ue
    if t.strict and end < n and low[end].isalnum() and low[end - 1].isalnum():
        return None
    if cur2 and unit2 and unit2 != cur2:
        return None
    unit2 = unit2 or cur2
    lo, lprec, unit = fig[3], fig[8], fig[6]
    if scale2 > 1 and scale == 1.0 and lo < hi / scale2:
        lo *= scale2                                # "30 to 40 thousand"
        lprec *= scale2
    if unit and unit2 and unit != unit2:
        return None
    if unit and not unit2 and not cur:
        return None                                 # "three weeks to 16.8 million": a change
    if not lo < hi:
        return None
    start = btw_start if btw_start is not None else fig[0]
    return (start, end, fig[2], None, lo, hi, unit or unit2, fig[7], max(lprec, hprec), "range",
            unit_word, time_unit, None)


def _ratio(t, m, g, fig, plain):
    """"one in five", "nine out of 10": a fraction."""
    v = fig[3]
    if v is None or v <= 0 or v != int(v):
        return None
    rn, rw = g[I_RN], g[I_RW]
    if rn is not None:
        if not rn.isdigit():
            return None
        d = float(rn)
        if len(rn) == 4 and 1000 <= d <= 2099:
            return None                             # "2 in 2019"
        end = m.end(I_RN + 1)
    else:
        d = read_word_tokens(P.WORD_TOKEN.findall(rw))
        if d is None:
            return None
        end = m.end(I_RW + 1)
    if not v < d:
        return None
    return (fig[0], end, fig[2], v / d, None, None, "fraction", fig[7], None, "ratio", None,
            False, None)


def _words(t: _Text, m, g):
    text, low, n, strict = t.text, t.low, t.n, t.strict
    s = m.start()
    raw = g[I_WORDS]
    e = s + len(raw)
    tokens = [x for x in P.WORD_TOKEN.findall(raw) if x != "and"]
    rd = read_words(tokens)
    if rd is None:
        return None, e                              # "one-two punch"
    value, is_frac = rd
    start, _sign, _cur, qual, qstart, btw_start, rfrom, frm, _month, lm, art = _left(t, s, True)
    t0 = tokens[0]
    if art is not None:
        if t0 in L.SCALE_WORDS or t0 in L.FRACTIONS and t0 != "half":
            start = art                             # "a dozen", "a third of"
        else:                                       # "a six-month contract": not ours
            qual = qstart = btw_start = None
            rfrom = frm = False
            lm = "a"
    num_start = start
    end = e
    unit = unit_word = None
    time_unit = False
    form = "number"
    prec = None
    if is_frac:
        unit, form = "fraction", "fraction"
        u = None
        if g[I_UNIT] is not None and m.start(I_UNIT + 1) == e:
            u = _unit_of(text[m.start(I_UNIT + 1):m.end(I_UNIT + 1)])
            uend = m.end(I_UNIT + 1)
        elif g[I_FUNIT] is not None and m.start(I_FUNIT + 1) == e:
            u = _unit_of(text[m.start(G_FUNITNAME):m.end(G_FUNITNAME)])
            uend = m.end(I_FUNIT + 1)
        if u is not None and (len(tokens) > 1 or start < s or t0 in ("half", "halves")):
            unit, unit_word, form = u[0], u[1], "number"    # "half a percentage point"
            time_unit = unit in L.TIME_UNITS
            end = uend
        elif len(tokens) == 1:
            if t0 in ("half", "halves"):
                if strict and not _half_ok(t, s, e, qual is not None, _prev_word(t, lm)):
                    return None, e
            else:
                nm = P.NEXT_WORD.match(text, e)
                if not (start < s and nm and nm.group(1).lower() == "of"):
                    return None, e                  # "the third time", "the second quarter"
    else:
        prec = value_precision(value)
        if g[I_HALF] is not None and m.start(I_HALF + 1) == e:
            value += 0.5                            # "two and a half"
            prec = 0.5
            end = m.end(I_HALF + 1)
        if g[I_UNIT] is not None and m.start(I_UNIT + 1) == end and g[I_SCALE] is None:
            u = _unit_of(text[end:m.end(I_UNIT + 1)])
            if u is not None:
                unit, unit_word, _is_cur, _h = u
                time_unit = unit in L.TIME_UNITS
                end = m.end(I_UNIT + 1)
                if g[I_POST] is not None:
                    q = L.QUALIFIERS_AFTER.get(" ".join(g[I_POST].strip().split()))
                    if q and q != "something":
                        qual = qual or q
                        end = m.end(I_POST + 1)
        if strict:
            if tokens == ["one"] and not _one_ok(t, m, g, end, unit, time_unit, lm):
                return None, e
            if t0 == "zero" and text[e:e + 1] == "-":
                return None, e                      # "zero-hours contracts"
            if len(tokens) == 1 and text[s].isupper() and s > 0 and text[s - 1] == " ":
                pw = _prev_word(t, lm)
                if pw and pw[0].isupper() and pw.isalpha() and pw.lower() not in L.CAPITALISED_OK:
                    return None, e                  # "Formula One", "Channel Four"
    low_v = high_v = None
    if qual in L.VAGUE_COUNT_QUALIFIERS:
        if len(tokens) == 1 and t0 in L.SCALE_WORDS:
            lo, hi = L.VAGUE_COUNT_QUALIFIERS[qual]
            low_v, high_v, value, form = lo * value, hi * value, None, "vague"
            start = qstart
        qual = None
    elif qual is not None:
        if qual == "over" and time_unit:
            qual = None
        elif qstart is not None:    # written before the number (not "hundred m or more")
            start = qstart
    fig = (start, end, num_start, value, low_v, high_v, unit, qual, prec, form, unit_word,
           time_unit, None)
    if form == "number" and not is_frac:
        if g[I_CONN] is not None and m.start(I_CONN + 1) == end:
            r = _range(t, m, g, fig, None, 1.0, False, btw_start, rfrom, frm, False)
            if r is not None:
                return r, r[1]
        elif g[I_RATIO] is not None and m.start(I_RATIO + 1) == end and unit is None:
            r = _ratio(t, m, g, fig, False)
            if r is not None:
                return r, r[1]
    return fig, end


def _one_ok(t, m, g, end, unit, time_unit, lm) -> bool:
    """A lone "one" is a figure only with a unit ("one percent"), a ratio ("one in five") or,
    for time units, a rate or a preposition before it ("one day a week", "for one day")."""
    if unit is None:
        return g[I_RATIO] is not None and m.start(I_RATIO + 1) == end
    if time_unit:
        return bool(P.RATE.match(t.text, end)) or \
            _prev_word(t, lm).lower() in _ONE_TIME_PREPOSITIONS
    return True


def _half_ok(t, s, e, qualified, pw) -> bool:
    if t.text[e:e + 1] == "-":
        return False                                # "half-time", "half-brother"
    if pw.lower() in _HALF_BLOCKERS:
        return False                                # "the second half"
    if qualified:
        return True
    nm = P.NEXT_WORD.match(t.text, e)
    return bool(nm) and nm.group(1).lower() in _HALF_FOLLOWERS


def _vague(t: _Text, m, g):
    s = m.start()
    raw = g[I_VAGUE]
    e = s + len(raw)
    parts = [p for p in raw.split() if p != "of"]
    low = 1.0
    for p in parts:
        low *= L.VAGUE_PLURALS[p]
    if parts[0] == "dozens":
        lo, hi = low * 2, low * 12 - 1
    else:
        lo, hi = low, low * 10 - 1
    end = e
    unit = unit_word = None
    if g[I_VCUR] is not None and m.start(I_VCUR + 1) == e:
        a, b = m.span(G_VCURNAME)
        u = _unit_of(t.text[a:b])
        if u is not None:
            unit, unit_word = u[0], u[1]
            end = m.end(I_VCUR + 1)
    start, _sign, _cur, qual, qstart, _b, _r, _f, _mo, _pw, art = _left(t, s, True)
    start = s
    if art is None and qual is not None and qual not in L.VAGUE_COUNT_QUALIFIERS and qual != "over" \
            and qstart is not None:
        start = qstart
    else:
        qual = None
    return (start, end, s, None, lo, hi, unit, qual, low, "vague", unit_word, False, None), end


def _fold(t: _Text, m, g):
    """"threefold", "ten-fold": a multiplier."""
    s = m.start()
    e = s + len(g[I_FOLD])
    word = g[I_FOLD].replace("-", "")[:-4]
    value = float(WORD_VALUES.get(word) or L.SCALE_WORDS[word])
    start, _sign, _cur, qual, qstart, _b, _r, _f, _mo, _pw, art = _left(t, s, True)
    start = s
    if art is None and qual is not None and qstart is not None \
            and qual not in L.VAGUE_COUNT_QUALIFIERS:
        start = qstart
    else:
        qual = None
    return (start, e, s, value, None, None, "times", qual, 1.0, "number", "fold", False,
            None), e


# ------------------------------------------------------------------------------------------------
# The parsed result (built lazily)
# ------------------------------------------------------------------------------------------------

_COUNTED_STOP = {
    "was", "were", "is", "are", "have", "has", "had", "will", "would", "could", "can", "may",
    "might", "should", "must", "be", "been", "being", "in", "on", "at", "to", "for", "from",
    "by", "with", "and", "or", "but", "per", "a", "an", "the", "that", "which", "who", "than",
    "as", "since", "during", "over", "under", "more", "less", "said", "says", "say", "last",
    "this", "next", "each", "every", "of", "into", "while", "whilst", "when", "where", "if",
    "so", "it", "its", "their", "his", "her", "they", "he", "she", "we", "i", "you", "do",
    "did", "does", "not", "also", "just", "only", "about", "around", "after", "before",
    "up", "down", "out", "off", "then", "there", "here", "through", "across", "against",
    "among", "between", "annually", "yearly", "monthly", "weekly", "daily", "ago", "earlier",
    "later", "alone", "now", "yet", "still", "even", "all", "both", "either", "such", "them",
    "us", "those", "these", "what", "how", "much", "many", "ever", "already", "above",
    "below", "near", "like", "because", "until", "including", "plus", "minus", "without",
    "within", "despite", "via", "toward", "towards", "versus", "left", "old", "ago", "later",
    "apiece", "each", "per", "than", "whose", "own", "some", "any", "no", "not", "nor",
}
_COUNTED_MODIFIERS = {"other", "more", "additional", "new", "extra", "further", "fewer", "less"}
_DETERMINERS = {"the", "its", "their", "his", "her", "all", "our", "your", "this", "that",
                "these", "those", "a", "an", "whom", "which"}
_COUNTED_STOP_OR_DETERMINER = _COUNTED_STOP | _DETERMINERS
_NEXT_WORDS_MATCH = P.NEXT_WORDS.match
_RATE_MATCH = P.RATE.match


def _rate_of(rm) -> str | None:
    word = rm.group("n") or rm.group("s")
    if word:
        return L.RATE_NOUNS.get(word.lower(), word.lower())
    adv = rm.group("adv")
    return L.RATE_ADVERBS.get(" ".join(adv.lower().split())) if adv else None


def _counted(text: str, pos: int, of_only: bool) -> tuple[str | None, int]:
    """The noun phrase after a figure: "(other) people", "(of the) total prison population".

    With ``of_only`` (percentages, fractions, units) only an "of" phrase counts."""
    m = _NEXT_WORDS_MATCH(text, pos)
    if not m:
        return None, pos
    phrase = m.group(1)
    words = phrase.split()
    # lowercased once (word by word gives the same: the words are split at spaces)
    lows = phrase.lower().split()
    n = len(words)
    i = 0
    if lows[0] == "of":
        i = 1
        while i < n and lows[i] in _DETERMINERS and i < 3:
            i += 1
    elif of_only:
        return None, pos
    while i < n and lows[i] in _COUNTED_MODIFIERS:
        i += 1
    out: list[str] = []
    while i < n and len(out) < 4:
        w = words[i]
        if lows[i] in _COUNTED_STOP_OR_DETERMINER:
            break
        out.append(w)
        if is_plural(w) or w.endswith(("’s", "'s")):
            break
        i += 1
    if not out:
        return None, pos
    if len(out) == 4 and not is_plural(out[-1]):
        out = out[:1]                       # no plural noun near: keep the first word only
    return " ".join(out), text.find(out[-1], m.start(1)) + len(out[-1])


def _build_parsed(text: str, fig: tuple) -> ParsedFigure:
    counted, rate = _counted_and_rate(text, fig)
    return ParsedFigure(fig[3], fig[4], fig[5], fig[6], fig[7], counted, rate, fig[8], fig[9], fig[12])


def _counted_and_rate(text: str, fig: tuple) -> tuple[str | None, str | None]:
    """The counted noun and the rate after the figure ``fig``."""
    end, num_start, unit, unit_word, time_unit = fig[1], fig[2], fig[6], fig[10], fig[11]
    rate = None
    pos = end
    rm = _RATE_MATCH(text, pos)
    if rm:
        rate, pos = _rate_of(rm), rm.end()
    hyphenated = unit is not None and "-" in text[num_start:end]     # "a six-month contract"
    of_only = unit is not None and unit not in _CURRENCY_CODES_OUT and not hyphenated
    counted, cend = _counted(text, pos, of_only)
    if rate is None and counted is not None:
        rm = _RATE_MATCH(text, cend)
        if rm:
            rate = _rate_of(rm)
    if counted is None and unit_word and unit not in ("percent", "fraction", "times") \
            and unit not in _CURRENCY_CODES_OUT and not time_unit and unit_word.isalpha() \
            and len(unit_word) > 3:
        counted = unit_word                 # "44,947 megawatts"
    return counted, rate
