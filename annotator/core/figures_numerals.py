"""Reading numerals for figure detection: digits with either thousands convention, number words,
fractions, exponents, and the written precision of a number."""

from __future__ import annotations

import re

from . import figures_lexicon as L

SPACES = " \u00a0\u202f\u2009"
_SPACE_SPLIT = re.compile("[" + SPACES + "]")


def int_precision(digits: str) -> float:
    """Place value of the last non-zero digit of an integer written as ``digits`` ("30000" -> 1e4)."""
    stripped = digits.rstrip("0")
    if not stripped:
        return 1.0
    return 10.0 ** (len(digits) - len(stripped))


def _valid_groups(groups: list[str]) -> bool:
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


#: a numeral written with more characters than this is no figure (a run of digits in a table dump, a
#: hash); it would also overflow the float of its precision
MAX_NUMERAL = 100


def read_digits(raw: str) -> tuple[float, float, bool] | None:
    """Read a digit numeral: (value, precision, plain integer?), or None when it is no number.

    "30,000" and "1,500" are thousands; "3,6" and "1,50" have a decimal comma (the group after the
    only comma is not three digits long); "4.2" and "1.234" have a decimal point; "1.234.567" and
    "1.234,5" use dots for thousands; "1 500" (space, no-break or thin space) is 1500.  A plain
    integer has no separator at all ("1500", "2019").
    """
    if len(raw) > MAX_NUMERAL:
        return None
    if raw.isdigit():
        stripped = raw.rstrip("0")
        return float(raw), 10.0 ** (len(raw) - len(stripped)) if stripped else 1.0, True
    has_c, has_d = "," in raw, "." in raw
    if not has_c and not has_d or " " in raw or "\u00a0" in raw or "\u202f" in raw \
            or "\u2009" in raw:
        digits = "".join(_SPACE_SPLIT.split(raw))
        if not digits.isdigit():
            return None                 # "1,500 300": separators mixed with spaces
        return float(int(digits)), int_precision(digits), False
    if has_c and has_d:
        last = max(raw.rfind(","), raw.rfind("."))
        dec_sep = raw[last]
        int_part, frac = raw[:last], raw[last + 1:]
        if dec_sep in int_part:
            return None
        groups = int_part.split("," if dec_sep == "." else ".")
        if not _valid_groups(groups):
            return None
        return float("".join(groups) + "." + frac), 10.0 ** -len(frac), False
    sep = "," if has_c else "."
    groups = raw.split(sep)
    if len(groups) > 2:
        if not _valid_groups(groups):
            return None                 # "15.02.2023", "3.2.1", "1,2,3"
        digits = "".join(groups)
        return float(int(digits)), int_precision(digits), False
    a, b = groups
    if sep == "," and len(b) == 3 and 1 <= len(a) <= 3 and a != "0":
        return float(int(a + b)), int_precision(a + b), False
    return float(a + "." + b), 10.0 ** -len(b), False


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺−", "0123456789-+-")


def exponent(s: str) -> int | None:
    """The power of ten written as "e-3", "×10^6", "×10−5" or "×10⁻⁵"; None beyond what a float
    holds ("e6555": garbage, not a figure)."""
    s = s.strip(" \u00a0")
    if s[0] in "eE":
        rest = s[1:].translate(_SUPERSCRIPTS)
    else:
        rest = s.split("10", 1)[1].lstrip("^").translate(_SUPERSCRIPTS).replace("+", "")
    if len(rest.lstrip("+-−")) > 3:
        return None
    k = int(rest)
    return k if -300 <= k <= 300 else None


def value_precision(v: float) -> float:
    """Precision of an integer written in words: the place of its last non-zero digit."""
    if v <= 0 or v != int(v):
        return 1.0
    iv, p = int(v), 1.0
    while iv % 10 == 0:
        iv //= 10
        p *= 10
    return p


WORD_VALUES = {**L.SMALL_NUMBERS, **L.TENS}


def read_word_tokens(tokens: list[str]) -> float | None:
    """Value of lowercase number words ("thirty", "thousand"); None when they are not one number."""
    total, current, last_scale = 0.0, 0.0, float("inf")
    prev = None
    for t in tokens:
        if t in WORD_VALUES:
            v = WORD_VALUES[t]
            if prev == "small" or prev == "tens" and (v >= 10 or v == 0):
                return None             # "one two", "twenty thirty"
            current += v
            prev = "tens" if t in L.TENS else "small"
        elif t == "hundred":
            if prev == "hundred" or current >= 100:
                return None
            current = (current or 1) * 100
            prev = "hundred"
        elif t == "dozen":
            current = (current or 1) * 12
            prev = "scale"
        else:
            scale = L.SCALE_WORDS[t]
            if scale >= last_scale:
                return None
            total += (current or 1) * scale
            current, last_scale, prev = 0.0, scale, "scale"
    return total + current


def read_words(tokens: list[str]) -> tuple[float, bool] | None:
    """(value, is_fraction) of lowercase number-word tokens, or None ("one-two")."""
    last = tokens[-1]
    if last in L.FRACTIONS:
        denom = L.FRACTIONS[last]
        if len(tokens) == 1:
            return 1.0 / denom, True
        num = read_word_tokens(tokens[:-1])
        if num is None or num == 0:
            return None
        if last not in ("half", "halves") and (num == 1) == last.endswith("s"):
            return None                 # "one thirds", "two third"
        return num / denom, True
    v = read_word_tokens(tokens)
    return None if v is None else (v, False)


def is_plural(word: str) -> bool:
    """Does ``word`` look like a plural noun ("protesters", "people")?"""
    w = word.lower()
    if w in L.PLURAL_NOUNS or w.endswith("men") and len(w) > 4:    # "gunmen", "policemen"
        return True
    return (len(w) > 3 and w[-1] == "s" and w[-2] != "s" and w.isalpha()
            and w not in L.NOT_PLURAL and not w.endswith("ous") and not w.endswith("ics"))


def trie(words) -> str:
    """A regex alternation of ``words`` factored as a trie: faster than a flat list, and the
    longest alternative is tried first.  A space in a word matches one or more spaces."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node) -> str:
        alts = [(r"[ \u00a0]+" if ch == " " else re.escape(ch)) + emit(node[ch])
                for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return emit(tree)
