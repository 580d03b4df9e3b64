"""Compiled regular expressions for figure detection.

``MAIN`` and ``LEFT`` run on a lowercased copy of the text (same length, same offsets); checks
that depend on case (currency codes, "May", "M" for million, names) look at the original text.
``LEFT`` runs on the reversed lowercased text, anchored at a number's start, so the words before
a number are read with one anchored match instead of a search.
"""

from __future__ import annotations

import re

from . import figures_lexicon as L
from .figures_numerals import trie

SP = r"[ \u00a0]"
_SYM = "".join(L.QUALIFIER_SYMBOLS)

# -- number cores ---------------------------------------------------------------------------------
# Groups of three digits after a space are taken here and checked by the reader ("1 500").
NUM = r"[0-9]+(?:[.,][0-9]+)*(?:[\u00a0\u202f\u2009 ][0-9]{3}(?![.,]?[0-9]))*"
NUM_NO_SPACE = r"[0-9]+(?:[.,][0-9]+)*"
_W = "(?:" + trie(list(L.SMALL_NUMBERS) + list(L.TENS) + list(L.SCALE_WORDS)) + r")\b"
_F = "(?:" + trie(L.FRACTIONS) + r")\b"
_V = "(?:" + trie(L.VAGUE_PLURALS) + r")\b"
# "and" joins number words only after a scale word: "two hundred and fifty", not "seven and eight"
_AND_AFTER_SCALE = "(?:" + "|".join(f"(?<={w})" for w in ("hundred", "thousand", "million",
                                                            "billion", "trillion")) + ")"
_WSEQ = (_W + r"(?:(?:-|" + SP + r"+|" + _AND_AFTER_SCALE + SP + r"+and" + SP + r"+)" + _W + r")*"
         r"(?:(?:-|" + SP + r"+)" + _F + r")?|" + _F)
_W2 = _W + r"(?:(?:-|" + SP + r"+)" + _W + r")*"
# "one" followed by these is a pronoun or determiner, never a figure: skipped by the pattern
_ONE_NOT = ("(?!one(?:" + SP + r"+(?:of|who|that|which|the|another|such|thing|way|side|hand|reason|"
            r"another|person|man|woman|more|last|time|point|or|and|by|to|at|on|for)\b|[,.;:!?)]))")
_FOLD = "(?:" + trie(list(L.SMALL_NUMBERS) + list(L.TENS) + ["hundred", "thousand"]) + r")-?fold\b"

# -- what may follow a number ---------------------------------------------------------------------
_UNIT_TRIE = trie(L.UNITS)
_CUR_NAMES = trie(L.CURRENCY_NAMES)
_CODES = trie({c.lower() for c in L.CURRENCY_CODES})
# every unit written as a word or symbol after a space (or glued), in one trie; the reader
# (figures._unit_of) tells percent, currency and unit apart and checks the case
_SPACED_UNITS = trie(set(L.UNITS) | set(L.CURRENCY_NAMES) | {c.lower() for c in L.CURRENCY_CODES}
                     | {k.lower() for k in L.UNITS_CASED}
                     | {"per cent", "percent", "pct", "percentage point", "percentage points",
                        "basis point", "basis points", "bps"})
EXP = (r"e[-+−]?[0-9]+(?![\w.])"
       r"|" + SP + r"?[×x·]" + SP + r"?10(?:\^[-+−]?[0-9]+|[−-][0-9]+|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
HALF = SP + r"+and" + SP + r"+a" + SP + r"+half\b"
PM = SP + r"?(?:±|\+/[-−])" + SP + r"?[0-9]+(?:[.,][0-9]+)?"
SCALE = (r"(?:" + SP + r"+|-)(?:thousand|million|billion|trillion|quadrillion|dozen)\b"
         r"|" + SP + r"?(?:bn|mn|mln|bln|tn|trn)\b|[kmbt](?!\w)")
UNIT = (SP + r"?(?:%|°[cfnsew]?(?![a-z])|[€£])"
        r"|" + SP + r"*(?:" + _SPACED_UNITS + r")(?![\w°]|-old\b)"
        r"|-(?:" + _UNIT_TRIE + r")(?:-old\b)?(?!\w|-(?!(?:a|an|per)-))|x(?!\w)")
POST = (r"-plus\b|-odd\b|-something\b|\+(?!\w)"
        r"|" + SP + r"+(?:or" + SP + r"+(?:more|so|fewer|less)\b|plus\b(?!" + SP + r"*[0-9]))")

_MONTHS = trie([m.lower() for m in L.MONTHS])
TIME = (r"\s{0,2}(?:[ap](?:\.[ \u00a0]?)?m\b\.?|o['’]clock\b|(?:gmt|utc|bst|cet|cest|est|edt|pst|pdt)\b"
        r"|(?:noon|midnight)\b)")
DMONTH = (r"(?:st|nd|rd|th)?,?" + SP + r"+(?:of" + SP + r"+)?(?P<mword>" + _MONTHS + r")\b\.?"
          r"(?:,?" + SP + r"+[0-9]{4}\b)?")
# identifiers: "2023-02-15", "2018–23–51", "202–493–2251", "206–231– \n3195", "9/11", "10:30"
CHAIN = r"(?:[-–‑/][ \n]{0,2}[0-9]+){2,}|/[0-9]+|:[0-9]"
VCUR = SP + r"+of" + SP + r"+(?P<vcurname>" + _CUR_NAMES + r")\b"
FUNIT = (SP + r"+(?:of" + SP + r"+)?an?" + SP + r"+(?P<funitname>percentage" + SP + r"+points?"
         r"|basis" + SP + r"+points?|" + _UNIT_TRIE + r")(?![\w°-])")
_CUR_PREFIX_LOWER = {k.lower(): v for k, v in L.CURRENCY_PREFIXES.items()}
CUR_PREFIX = ("(?:" + "|".join(re.escape(k) for k in sorted(_CUR_PREFIX_LOWER, key=len, reverse=True))
              + r")" + SP + r"?(?=[0-9])|(?:" + _CODES + r")" + SP + r"(?=[0-9])")
CONN = (r"(?P<conn>" + SP + r"*(?:-" + SP + r"+(?:to|and|or)(?=" + SP + r")|-|–|—|‒"
        r"|(?:to|and|or)(?=" + SP + r"))" + SP + r"*(?:[∼~≈]" + SP + r"?)?)")
def _main(num: str) -> re.Pattern:
    # Speed: everything after the first number is optional, so once the number has matched the match
    # cannot fail and the engine never backtracks into what it has matched: making those parts
    # atomic ("(?>...)", "?+") changes no match but spares the engine its backtracking bookkeeping
    # (about 25% of MAIN's time).  "cur2", "n2" and "rn" are followed by a required part and stay
    # as they are.
    range_ = (CONN + r"(?P<cur2>" + CUR_PREFIX + r")?(?:(?P<n2>" + num + r")|\b(?P<w2>" + _W2 + r"))"
              r"(?P<exp2>" + EXP + r")?+(?P<scale2>" + SCALE + r")?+(?P<unit2>" + UNIT + r")?+")
    ratio = (r"(?P<ratio>" + SP + r"+(?:in|out" + SP + r"+of)" + SP + r"+)"
             r"(?:(?P<rn>" + num + r")|\b(?P<rw>" + _W2 + r"))(?![\w%])")
    return re.compile(
        r"(?:(?P<num>(?>" + num + r"))|(?=[" + _FIRST_LETTERS + r"])\b" + _ONE_NOT + r"(?:(?P<vague>"
        + _V + r"(?:" + SP + r"+of" + SP + r"+" + _V + r")*)"
        r"|(?P<fold>" + _FOLD + r")|(?P<words>" + _WSEQ + r")))"
        r"(?P<exp>" + EXP + r")?+(?P<half>" + HALF + r")?+(?P<pm>" + PM + r")?+"
        r"(?P<scale>" + SCALE + r")?+(?P<unit>" + UNIT + r")?+(?P<post>" + POST + r")?+"
        r"(?:(?P<time>" + TIME + r")|(?P<dmonth>" + DMONTH + r")|(?P<chain>" + CHAIN + r")"
        r"|(?P<vcur>" + VCUR + r")|(?P<funit>" + FUNIT + r")|" + range_ + r"|" + ratio + r")?+"
    )


_FIRST_LETTERS = "".join(sorted({w[0] for w in list(L.SMALL_NUMBERS) + list(L.TENS)
                                 + list(L.SCALE_WORDS) + list(L.VAGUE_PLURALS) + list(L.FRACTIONS)}))
MAIN = _main(NUM)
# Where MAIN can match: at a digit, or at a word start (after a non-word character, or at 0) where a
# number word begins. Searching for these with expressions the regex engine scans fast (a character
# class first), then matching MAIN there, finds what MAIN.search finds, sooner (figures._Starts).
_NUMBER_WORDS = trie(set(L.SMALL_NUMBERS) | set(L.TENS) | set(L.SCALE_WORDS) | set(L.VAGUE_PLURALS)
                     | set(L.FRACTIONS) | {"hundred", "thousand"})
DIGIT = re.compile(r"[0-9]")
# A non-word character before a number word (``NUMBER_WORD_AFTER``, compiled on first use below), found
# faster in two: after a space (a literal: the engine skips to the next space with a fast string
# search), and after any other non-word character (a class of ASCII ranges, tested faster than the
# class \w, then a look back that keeps only non-word characters)
NUMBER_WORD_AFTER_SPACE = re.compile(r" (?=" + _NUMBER_WORDS + ")")
NUMBER_WORD_AFTER_OTHER = re.compile(r"[^0-9A-Za-z_ ](?<!\w)(?=" + _NUMBER_WORDS + ")")
NUMBER_WORD = re.compile(_NUMBER_WORDS)


def __getattr__(name: str):
    """``MAIN_NO_SPACE`` (when spaces in a numeral turn out not to group thousands) is compiled on
    first use: it is rarely needed and compiling it costs about as much as ``MAIN``."""
    if name == "MAIN_NO_SPACE":
        rx = globals()["MAIN_NO_SPACE"] = _main(NUM_NO_SPACE)
        return rx
    if name == "NUMBER_WORD_AFTER":                 # no longer used by the scanner
        rx = globals()["NUMBER_WORD_AFTER"] = re.compile(r"[^\w](?=" + _NUMBER_WORDS + ")")
        return rx
    raise AttributeError(name)

G = {name: i for name, i in MAIN.groupindex.items()}     # 1-based group numbers

# The words and marks before a number, read backwards from the number's start.
# words of a qualifier may be split by a line break ("for more\nthan 5 seconds" in a PDF column)
_REV_QUALS = trie([q[::-1] for q in L.QUALIFIERS_BEFORE]).replace(r"[ \u00a0]+", r"[ \u00a0\n]+")
_REV_CUR = trie([k[::-1] for k in _CUR_PREFIX_LOWER])
_REV_CODES = "|".join(c[::-1] for c in sorted(c.lower() for c in L.CURRENCY_CODES))
# Every part is optional, so the match never fails and never backtracks into a part it has matched:
# matching each part atomically ("?+") gives the same match, faster (about 40% of LEFT's time).
LEFT = re.compile(
    r"(?P<sign>[-−–](?=[\s(\[=$€£¥₹" + _SYM + r"]|$))?+"
    r"(?P<cur>" + SP + r"?(?:" + _REV_CUR + r")(?![a-z])|" + SP + r"(?:" + _REV_CODES + r")(?![a-z]))?+"
    r"(?P<sym>" + SP + r"?[" + _SYM + r"](?![<>])(?=[\s(\[]|$))?+"
    r"(?P<art>\s+(?:a|na)(?!\w))?+"
    r"(?P<qual>[“\"‘«]?\s+(?:" + _REV_QUALS + r")(?!\w))?+"
    r"(?P<btw>\s+neewteb(?!\w))?+"
    r"(?P<rfrom>\s+morf(?=\s+(?:gnignar|degnar|segnar|egnar|gniyrav|deirav)(?!\w)))?+"
    r"(?P<frm>\s+morf(?!\w))?+"
    r"(?P<month>,?" + SP + r"+\.?(?:" + trie([m.lower()[::-1] for m in L.MONTHS]) + r")(?![a-z]))?+"
    r"(?P<pw>[(\[“\"‘'’]*[ \u00a0\t]*\n?[ \u00a0\t]*[^\s]{1,40})?+"
)
LG = {name: i for name, i in LEFT.groupindex.items()}
CUR_PREFIX_LOWER = _CUR_PREFIX_LOWER

# -- after a figure (on the original text) --------------------------------------------------------
RATE = re.compile(
    r"(?:[ \u00a0]+|-)(?:(?i:a|an|per|each|every)[ \u00a0-]+(?P<n>(?i:" + trie(L.RATE_NOUNS)
    + r"))\b|(?P<adv>(?i:" + trie(L.RATE_ADVERBS) + r"))\b)"
    r"|[ \u00a0]?/[ \u00a0]?(?P<s>(?i:" + trie(L.RATE_NOUNS) + r"))\b")
NEXT_WORD = re.compile(r"[ \u00a0]+([A-Za-z][\w'’-]*)")
# (possessive: giving back a space or a letter never lets the rest match more, so the match is the same)
NEXT_WORDS = re.compile(r"[ \u00a0]++([A-Za-z][\w'’-]*+(?:[ \u00a0]++[A-Za-z][\w'’-]*+){0,5}+)")
LIST_MARK = re.compile(r"[.):]?[\s\x00-\x1f•·▪◦‣∙]+[A-Z]|[.):][ \t\u00a0]")
SECTION = re.compile(r"[0-9]+(?:\.[0-9]+)+")
# a line that holds only a number, as a table's cell does when a PDF gives its cells one a line
# ("18,870", "0", "2.5%", "$1,200", "(3.4)", "-12")
CELL_LINE = re.compile(r"[ \t\u00a0]*[-–(]?[$€£]?[0-9][0-9,.\u00a0]*%?\)?\*?[ \t\u00a0]*")
LABEL_LIST = re.compile(
    r"[a-z]?\)?(?:\s*(?:,\s*(?:and|or|&)?|and|&|–|-|to|or|through|of)\s*\(?[0-9]+(?:\.[0-9]+)*[a-z]?\)?(?![0-9]))*")
URLISH = re.compile(r"://|www\.|@|[a-z0-9]\.(?:com|org|net|gov|edu|int|info|io|co|uk|de|fr|eu)\b"
                    r"|[?&][a-z_]+=")
# street addresses: "441 G Street NW", "2200 South 216th St."
ADDRESS_AFTER = re.compile(
    r"(?:\s+[A-Z0-9][\w.]*){0,3}\s+(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.|Boulevard|Blvd\.?|Lane|"
    r"Drive|Place|Square|Plaza|Highway)(?![A-Za-z])")
AREA_CODE_BEFORE = re.compile(r"\([0-9]{3}\)[ \n]$")
# legal citations: "14 CFR 11.43", "5 U.S.C. 552"
LEGAL_AFTER = re.compile(r"\s+(?:CFR|C\.F\.R\.|U\.S\.C\.|USC|FR|Stat\.|U\.S\.)(?![A-Za-z])")
PHONE_REST = re.compile(r"(?:[ \u00a0\-.()]{1,2}[0-9]{2,})+")
WORD_TOKEN = re.compile(r"[a-z]+")

# -- report and book pages (PDFs): numbers that are not quantities ------------------------------------
# a phone number in spaced groups, at least one not three digits long: "619 67 74", "41 619 67 73"
SPACED_GROUPS = re.compile(r"[0-9]{1,4}(?:[ \u00a0][0-9]{2,4}){2,}(?![0-9]|[.,][0-9])")
# a journal volume before its issue or pages: "2022 Jun;29(6):474-486", "2019;14:e0216277"
VOLUME_AFTER = re.compile(r"(?:\([0-9]+\))?:[A-Za-z]?[0-9]")
# what follows "+41": " (0)41\n619 67 74"
PHONE_INTL_REST = re.compile(r"(?:[ \u00a0\-.\n]{1,2}(?:\(0\)[ \u00a0]?)?[0-9]{2,})+")
# a code going on after a dash: "2274–COL–AC2", "9-\nANM-Seattle-ACO@faa.gov"
CODE_AFTER = re.compile(r"[-–‑][ \n]?[A-Z]{2}")
# a capital-letter code cut at its dash before the number: "M–\n30", "ET– 302"
CODE_BEFORE = re.compile(r"(?<![\w-])[A-Z]{1,5}[-–‑][ \n]$")
# a model designation: "737 MAX", "A320 NEO" (a code word in capitals after the number)
MODEL_AFTER = re.compile(r"[ \u00a0\n]([A-Z]{2,})(?![\w'’./-])")
# a street address without a street word: "901 Locust, Kansas City", "901\nLocust, Room 301"
ADDRESS_CITY_AFTER = re.compile(r"\s[A-Z][a-z]+(?<!s),\s+(?:[A-Z][a-z]+|Room|Suite)\b")
# the end of a page or line reference list: "Dylan, Bob, 270\n", "Apple, 203, 264", "106(g), 40113,"
PAGE_LIST_AFTER = re.compile(r"[ \u00a0]*(?:\n|$|[,;][ \u00a0]*(?:\n|$)|[-–]\n+[0-9])")
# more page numbers of the list: ", 264, 302", ", 45–46, 127", ", 321n"
PAGE_LIST_MORE = re.compile(r"(?:[ \u00a0]*[,;][ \u00a0\n]*[0-9]+(?:[-–][0-9]+)?n?(?![0-9]))+")
# a phone number on the line after its area code: "(816)\n329–4059"
PHONE_LOCAL = re.compile(r"[0-9]{3}[-–‑.][0-9]{4}(?![0-9])")
