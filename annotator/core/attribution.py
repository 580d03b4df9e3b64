"""Speaker suggestions for figures, from the attribution cues in the text.

The engine reads a document once (:class:`AttributionEngine`) and finds *relations*:
a cue ("said", "according to", a quotation's attribution), its source mention and the
content span the cue covers. A figure gets the speaker of the innermost relation whose
content holds it ("states"), then the speakers of enclosing relations that pass the
claim on ("relays": a quotation that contains a reported statement, "X reminds the
claims of Y", ", Roydad 24 adds"). With no cue, the document's own voice.

Rules, in the order they are tried for a figure:

1. reported speech in the figure's sentence: "X said (that) …", "…, X said", "said X",
   "according to X", "X, a spokesman for Y, …", participles ("…, saying …"), "in a new poll";
2. quotations: the cue right after the closing mark (", X adds"), or before the opening
   mark in the same sentence ("X wrote: “…”"); a quotation with no cue continues the
   previous speaker (same paragraph, or the last speaker of the previous paragraph; a
   pull quote takes the speaker of the passage it repeats);
3. relays: a relation whose content holds another relation's cue near its start, any
   quotation holding a cue, and explicit relay verbs ("reminds the claims of");
4. carry-over: a sentence without a cue after a "said" sentence of the same paragraph
   (not after "according to", not after "In other words"/"But"/"However");
5. "This number was later confirmed by X" adds X as "confirms" (or "disputes");
6. speaker labels (transcripts: "TRUMP: …", "Rep. Trey Gowdy (R-S.C.):"…""): the labelled speaker states
   the whole turn unless a cue inside it says otherwise (it then relays); in a transcript a turn continues
   over the paragraphs up to the next label. A label alone on its line ("Donald Trump: (12:04)", "TRUMP:")
   speaks the lines below; a role label ("MODERATOR:", "THE PRESIDENT:") names the speaker by the role.
   Headings and notes ("Correction:", "SUMMARY:", "Q:") are not labels.

Names: titles go to the affiliation ("Tunisian Prime Minister"), appositives too
("Mehdi Hajian, the spokesman of FARAJA, …"); pronouns, surnames, acronyms and
definite descriptions ("the state-affiliated outlet") resolve to an earlier mention.
"""

from __future__ import annotations

import bisect
import functools
import re
from itertools import islice
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from annotator.core.attribution_text import (
    DAYS_MONTHS,
    DOC_NOUNS,
    KNOWN_INSTITUTIONS,
    KNOWN_OUTLETS,
    NAME_RE,
    NON_NAMES,
    ORG_WORDS,
    OUTLET_CONTEXT,
    OUTLET_WORDS,
    PERSON_ROLE_WORDS,
    PRONOUNS,
    SPEAKER_NOUNS,
    TITLES,
    Mention,
    Quote,
    TextIndex,
    is_cap,
    name_mentions,
    norm_token,
    sequence_mentions,
    split_title,
)

__all__ = [
    "SpeakerCandidate",
    "SpeakerMatch",
    "Relation",
    "AttributionEngine",
    "attribute",
    "release",
    "find_attributions",
    "match_speaker",
    "guess_kind",
    "normalize_name",
]

# --------------------------------------------------------------------------- public records


@dataclass(slots=True)
class SpeakerCandidate:
    name: str | None  # None = the document's own voice
    kind: str  # "person" | "organisation" | "outlet" | "anonymous" | "document"
    role: str  # "states" | "relays" | "confirms" | "disputes"
    evidence_start: int | None  # code-point span of the cue
    evidence_end: int | None
    affiliation: str | None = None
    confidence: float = 0.5
    rule: str = ""  # which rule produced it (for the UI's "why" and for debugging)

    def __post_init__(self) -> None:
        # a name read from the text is one line with single spaces, whatever the layout it was read from
        # (a PDF line break inside "the Indonesian accident\nreport")
        self.name = _one_space(self.name)
        self.affiliation = _one_space(self.affiliation)


def _one_space(name: str | None) -> str | None:
    """``name`` with every run of white space (line breaks, no-break spaces) made one space."""
    if not name:
        return name
    return " ".join(name.split())


@dataclass
class SpeakerMatch:
    speaker_id: str
    score: float
    exact: bool  # same name or a known alias; otherwise a fuzzy proposal to confirm


@dataclass(slots=True)
class Speaker:
    name: str | None
    kind: str
    affiliation: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(slots=True)
class Relation:
    """One attribution found in the text."""

    cue_start: int
    cue_end: int
    source_start: int | None  # the source as written ("he", "Mr. Marcus", "officials")
    source_end: int | None
    contents: list[tuple[int, int]]
    speaker: Speaker
    mode: str  # say | according | participle | quote | relay | poll | continuation | passive
    confidence: float
    role: str = "states"
    relays: bool = False  # an explicit relay cue ("reminds the claims of")
    evidence: tuple[int, int] = (0, 0)

    def covers(self, s: int, e: int) -> bool:
        mid = (s + e) / 2
        return any(a <= mid < b or (a <= s and e <= b) for a, b in self.contents)

    def size(self) -> int:
        return sum(b - a for a, b in self.contents)


# --------------------------------------------------------------------------- cue lexicon

_STRONG = """said says say saying told tells telling announced announces announcing wrote writes writing
added adds adding underlined underlines underlining stressed stresses stressing explained explains explaining
argued argues arguing insisted insists insisting warned warns warning stated declared declares declaring
acknowledged acknowledges acknowledging admitted admits admitting confirmed confirms confirming denied denies
denying disputed disputes predicted predicts predicting revealed reveals revealing contended contends asserted
asserts asserting emphasized emphasised emphasizes emphasises emphasizing recalled recalls recounted recounts
vowed vows conceded concedes testified alleged alleges alleging tweeted tweets replied replies responded
answered complained complains boasted boasts cautioned cautions disclosed discloses continued
acknowledge admit announce argue claim contend declare deny explain insist maintain predict recall reveal
stress warn write""".split()
_WEAK = """claimed claims claiming estimated estimates estimating reported reports reporting noted notes noting
indicated indicates indicating suggested suggests show showed shows showing found finds calculated calculates
observed asked asks described describes cited cites citing quoted believes believe believed thinks think
thought expects expected fears feared hopes hoped worries worried touted touts highlighted highlights
highlighting listed lists projected forecast forecasts speculated suspect suspects accused accuses accuse
maintained maintains referenced identified concluded determined counted tallied documented queried decried
decries""".split()
_MULTI = [
    r"pointed out", r"points out", r"called for", r"calls for", r"put the (?:number|figure|toll|cost|total) at",
    r"puts the (?:number|figure|toll|cost|total) at", r"(?:was|were|is|are) the first to (?:announce|report|reveal|say)",
]
_PARTICIPLES = {w for w in _STRONG + _WEAK if w.endswith("ing")}
_DISPUTE = {"denied", "denies", "denying", "disputed", "disputes", "deny"}
_STRONG_SET = set(_STRONG) | {"pointed out", "points out"}
_VERBS = sorted(set(_STRONG + _WEAK), key=len, reverse=True)


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation factored by common prefixes (much faster than a flat alternation)."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + walk(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if end else body

    return walk(tree)


CUE_RE = re.compile(
    r"(?<![\w'’-])(?:" + "|".join(_MULTI) + "|" + _trie_pattern(_VERBS) + r")(?![\w'’-])"
)
# (see the speed note in attribution_text: "[Aa](?<![\w-].)ccording" is "(?<![\w-])[Aa]ccording", faster)
ACCORDING_RE = re.compile(r"[Aa](?<![\w-].)ccording to(?![\w-])")
POLL_RE = re.compile(
    r"[IiBb](?<![\w-].)(?:(?<=[Ii])n|(?<=[Bb])y)\s+((?:a|an|the|one|another|its|their|his|her|this|that)\s+"
    r"(?:[\w’'.-]+\s+){0,5}?(?:poll|polls|survey|study|report|analysis|census|review|assessment|audit|memo))"
    r"(?:\s+(?:released|published|conducted|issued|out)\s+(?:on\s+)?[A-Z]\w+)?(?![\w-])"
)
POSSESSIVE_RE = re.compile(
    r"(?<![\w'’-])((?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.-]*)['’]s\s+(?:(?:own|latest|new|earlier|original)\s+)?"
    r"(claims?|assertions?|statements?|estimates?|arguments?|contention|remarks?|comments?|calculations?|"
    r"projections?|forecasts?|analysis|account|testimony|tally|count)\b(?:\s+that\b)?"
)
CAME_FROM_RE = re.compile(
    r"[fnedsct](?<![\w-].)(?:(?<=f)igures?|(?<=n)umbers?|(?<=e)stimates?|(?<=d)ata|(?<=s)tatistics?|(?<=c)laims?"
    r"|(?<=c)ounts?|(?<=t)ally|(?<=t)otal)[\"”’']?\s+"
    r"(?:(?:originally|actually|reportedly|also)\s+)?(?:comes?|came|come|originated|originates)\s+from\s+"
)
RELAY_RE = re.compile(
    r"([rcqe](?<![\w-].)(?:(?<=r)(?:eminds|eminded|ecalls|ecalled)|(?<=c)(?:ites|ited|iting)|(?<=q)(?:uotes|uoted|"
    r"uoting)|(?<=r)(?:epeats|epeated)|(?<=e)(?:choes|choed)|(?<=r)(?:elays|elayed)))\s+(?:the\s+)?(?:claims?|words|"
    r"statements?|remarks|comments|figures?|estimates?|"
    r"numbers?|data|account)\s+(?:of|by|from)\s+"
)
CONFIRM_PASSIVE_RE = re.compile(
    r"(?<![\w-])(?:[Tt]his|[Tt]hat|[Tt]he|[Tt]hese|[Tt]hose)\s+(?:number|numbers|figure|figures|estimate|count|toll|"
    r"tally|data|claim|statistic|statistics|report)\s+(?:was|were|has been|have been|is|are)\s+"
    r"(?:(?:later|since|also|independently|then|subsequently)\s+)?"
    r"(confirmed|corroborated|verified|backed up|disputed|denied|rejected|contested|questioned|challenged)\s+by\s+"
)
CONFIRM_ACTIVE_RE = re.compile(
    r"(?<![\w-])(?:(?:later|since|also|independently|then|subsequently)\s+)?"
    r"(confirmed|corroborated|verified|disputed|denied|rejected|contested|questioned|challenged)\s+"
    r"(?:this|that|the|these|those)\s+(?:number|numbers|figure|figures|estimate|count|toll|tally|claim|data)\b"
)
_DOC_ALT = "|".join(sorted(DOC_NOUNS, key=len, reverse=True))
_DOC_NP_RE = re.compile(r"\s*((?:The|A|An|This|That|Its|Their)\s+(?:[\w’'-]+\s+){0,3}?(?:" + _DOC_ALT + r"))\b")
_DOC_BY_RE = re.compile(r"^(?:(?:the|a|an|new|latest|recent)\s+)*(?:[\w’'-]+\s+){0,2}?(?:" + _DOC_ALT
                        + r")\s+(?:by|from|of)\s+(?:the\s+)?([A-Z+].*)$", re.I)
_CONFIRM_HINT = re.compile(r"confirmed|corroborated|verified|backed up|disputed|denied|rejected|contested|"
                           r"questioned|challenged")
# POLL_RE can only match where one of its nouns stands alone after a space
_POLL_HINT = re.compile(r"\s(?:polls?|survey|study|report|analysis|census|review|assessment|audit|memo)(?![\w-])")
_RELAY_HINT = re.compile(r"remind|recall|cite|citing|quot|repeat|echo|relay")
_SOURCE_HINT = re.compile(r"\n\s*(?:Sources?|SOURCES?|Data|Source of data)\s*:")
SOURCE_LINE_RE = re.compile(r"\s*(?:Sources?|SOURCES?|Data|Source of data)\s*:\s*(.+?)\s*$")
_BULLET_RE = re.compile(r"\s*(?:[-•*▪–]|\d{1,2}[.)])\s")
_CONFIRM_WORDS = {"confirmed", "corroborated", "verified", "backed up"}
_INVERTING = frozenset("""said says say added adds wrote writes explained explains continued noted notes argued
argues insisted insists warned warns stressed stresses recalled recalls replied asked asks declared declares
claimed claims estimated estimates reported reports observed concluded""".split())
_OBJECT_VERBS = frozenset("""announced announces announce declared declares revealed reveals disclosed discloses
acknowledged admitted denied confirmed touted touts highlighted highlights described describes cited cites
boasted""".split())
_SPEECH_VERBS = frozenset("""said says say told tells added adds explained explains noted notes argued argues
stressed stresses insisted insists wrote writes warned warns recalled recalls recounted recounts continued
saying adding explaining noting arguing insisting writing""".split())
_FINITE = frozenset("""had has have is are was were will would could can may might should must did does do
been be""".split())
_FUNCTION_BEFORE_SUBJECT = frozenset("""that which who and but or while because as when if so than where though
although since after before until unless whether then also said says according""".split())
_ADDITIVE_START = re.compile(
    r"\s*[\"“]?(?:A further|Another|In addition|Additionally|Also|It also|They also|The (?:report|study|survey|"
    r"data|analysis|poll) also)\b"
)

_DET_BEFORE_NOUN = frozenset(
    """the a an his her its their our my your this these those such no some any every each recent latest
    previous earlier official initial early first media press police other new local news of in on at for
    with by from to another same own several many most more further whose""".split()
)
#: words of _DET_BEFORE_NOUN that are also the speaker when a cue verb follows them ("Police said 12 people
#: were hurt", "the media reported"), where "police officers" / "press reports" are modifiers
_COLLECTIVE_SPEAKERS = frozenset(("police", "media", "press"))
_BE = frozenset("is are was were be been being 's".split())
_SKIP_LEFT = frozenset(
    """also then later previously recently still further again quickly repeatedly openly once reportedly
    publicly privately earlier first has have had would will could may might should can did does do never
    already just now initially subsequently separately similarly too today yesterday not often frequently
    long flatly specifically simply immediately ultimately clearly even indeed actually""".split()
)
_TIME_WORDS = frozenset("week month year weekend morning evening night".split()) | DAYS_MONTHS
_APPOS_START = frozenset(
    """the a an who which whose a.k.a aka also formerly now then one his her its their both each currently
    himself herself itself president chief head director member fellow""".split()
)
_STOP_LEFT = frozenset(
    """that which who whom whose and but while because as when if so than where though although since
    after before until unless whether or nor yet is are was were be been has have had do does did will would
    can could may might must should shall not no said says told asked""".split()
)
_NP_PREPS = frozenset("of for at in from by with on".split())
# sentence adverbs and connectives, never part of a name ("Then Clinton answered", ", later Obama said")
_SENTENCE_ADVERBS = frozenset(
    """then later now still also meanwhile however thus instead finally afterwards afterward earlier today
    yesterday again moreover furthermore nevertheless nonetheless indeed subsequently separately
    additionally similarly likewise eventually ultimately initially previously recently""".split()
)
_OPENERS = " \t\n\"“‘'(["  # what may stand before a sentence's first word
_NP_PREPS_AND = _NP_PREPS | {"and"}
_ADVERBIAL_START = frozenset("in on at during after before speaking asked reached interviewed writing".split())
_NP_DETS = frozenset("the a an one some most many several two three other its his her their our".split())
_MODIFIER_OK = frozenset("press news state senior local former top chief federal national".split())
# common words that, capitalised as a sentence's first word before a lowercase speaker noun, are a modifier
# ("Local media", "Foreign diplomats", "Senior officials"), not a name
_COMMON_MODIFIERS = _MODIFIER_OK | ORG_WORDS | frozenset(
    """foreign international regional military western eastern northern southern government official
    unnamed anonymous independent private public current several other some many most few""".split()
)
_TRAILING_OK = re.compile(
    r"\s*(?:(?:in|on|at|during|last|this|earlier|later|of|to|about|from|via|through|with|when|after|before|"
    r"while|recently|today|yesterday|on|afterwards|too|again|as well)\b[^.;:!?“\"]{0,80})?[.!?;]?[\"”’]?\s*$"
)
_AMOUNT_AFTER = re.compile(r"\s*(?:at (?:least|most)|about|around|up to|as (?:many|much) as)\s+[$€£]?\d")
_DOC_OF_BEFORE = re.compile(r"([A-Za-z]+)\s+of\s+$")
_PARTY_TAG = re.compile(r"[RDI]-[A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)?")  # "Rep. Chris Collins, R-N.Y., said"
_DESC_DETS = frozenset("the a an its his her their our".split()) | {"the"}
# a word (\+?[\w\u00C0-\u024F][\w\u00C0-\u024F'’.&\-/+]*) or a punctuation mark ([,;:()“”"—–\[\]]), written to
# start with one character class (the speed note in attribution_text; tests/test_attribution_regex.py)
_WORD_RE = re.compile(
    r"[+\w\u00C0-\u024F,;:()“”\"—–\[\]](?:(?<=[\w\u00C0-\u024F])[\w\u00C0-\u024F'’.&\-/+]*"
    r"|(?<=\+)[\w\u00C0-\u024F][\w\u00C0-\u024F'’.&\-/+]*|(?<=[,;:()“”\"—–\[\]]))"
)
_FIRST_PERSON = frozenset({"i", "we", "us", "me", "our"})
_NO_CARRY_START = re.compile(
    r"\s*[\"“]?(?:In other words|But|However|Yet|Still|Meanwhile|By contrast|In contrast|That said|Even so|"
    r"On the other hand|Nevertheless|Nonetheless|In fact|Indeed|Overall)\b"
)
_ACCORDING_NP = re.compile(r"[Aa]ccording\s+to\s")
_DEFINITE_RE = re.compile(
    r"^(?:the|this|that)\s+(?:[\w’'-]+\s+){0,3}?([a-z][\w-]*)$", re.I
)
_INDEF_DOC_RE = re.compile(r"^(?:a|an|one|another)\s+(?:[\w’'-]+\s+){0,3}?([a-z]+)$", re.I)


# --------------------------------------------------------------------------- helpers


def _strip_diacritics(s: str) -> str:
    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


_PASSIVE = "passive"  # _verb_analysis: "was said by X"
_PROGRESSIVE = re.compile(r"(?:\b(?:is|are|was|were|been|be)|['’](?:re|s))\s*$")
_PROGRESSIVE_BE = re.compile(r"(?:\s+(?:is|are|was|were|been|be)|['’](?:re|s))\s*$")
_APPOSITIVE_AFTER = re.compile(r"\s*,[^,.;“\"]{0,120},")
_THAT_AFTER = re.compile(r"\s*(?:(?:in|on|at)\s[^,;:“\"]{0,60}?\s)?(?:that\b|:|,)?\s*")
_CLAUSE_AFTER = re.compile(r"\s*(?:that\b|:|[“\"])")
_OBJECT_AFTER = re.compile(r"\s*(?:his|her|its|their|a|an|the|this|these|our)\s")
_OBJECT_END = re.compile(r"[,;.]|\s(?:just|in|on|at|during|before|after|since|when|while|as|because|with|"
                         r"by|last|earlier|later)\s")
_BY_AFTER = re.compile(r"\s+by\s+")
_APPOS_RIGHT = re.compile(r"\s*,\s*([^,.;:“”\"]{2,140}?)(?=[,.;:“”\"]|$)")
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z/.&\- ]{1,20})\)")
_ALIAS_SPLIT = re.compile(r"[/,]\s*")
_LEADING_THAT = re.compile(r"^\s*(?:that\s+)?")
_LIST_ITEM = re.compile(r"\s*(?:[-•*▪–]|\d{1,2}[.)])\s")
# on the reversed text (AttributionEngine._rev): spaces, then a word of alphanumerics (str.isalnum:
# [^\W_]) and ' ’ . - ; or just alphanumerics and apostrophes
_WORD_BEFORE_REV = re.compile(r"[ \t\n]*((?:[^\W_]|['’.\-])*)")
_ALNUM_BEFORE_REV = re.compile(r"(?:[^\W_]|['’])*")
_WS_ONE = re.compile(r"\s")
_MORE = object()  # a partial window was not enough
_VERB_AT = re.compile(r"\w+(?:\s+out|\s+for)?")
_PUNCT_RE = re.compile(r"[^\w\s]")
_WS_RE = re.compile(r"\s+")
_NORM_TITLES = frozenset(t.rstrip(".") for t in TITLES if len(t) <= 4) | {"mister", "doctor"}


@functools.lru_cache(maxsize=32768)
def normalize_name(name: str) -> str:
    """Case, diacritics, punctuation and leading article folded: "The People’s Mojahedin" -> "peoples mojahedin"."""
    s = _strip_diacritics(name).casefold().replace("’", "'")
    s = s.replace("'s ", " ").replace("'s", "").replace("-", " ")
    s = _PUNCT_RE.sub(" ", s)
    s = _WS_RE.sub(" ", s).strip()
    if s.startswith(("the ", "a ", "an ")):
        s = s.split(" ", 1)[1]
    return s


_DIGIT_RUNS = re.compile(r"\d+")


@functools.lru_cache(maxsize=8192)
def _strip_titles(norm: str) -> str:
    toks = norm.split()
    while len(toks) > 1 and toks[0] in _NORM_TITLES:
        toks = toks[1:]
    return " ".join(toks)


def _acronym(norm: str) -> str:
    stop = {"of", "and", "the", "for", "in", "on", "at", "de", "la", "&"}
    return "".join(t[0] for t in norm.split() if t not in stop and t)


@functools.lru_cache(maxsize=32768)
def guess_kind(name: str, context: str = "") -> str:
    """Rough kind of a speaker name: person, organisation, outlet, anonymous (or document for no name)."""
    if not name:
        return "document"
    toks = name.split()
    low = [norm_token(t) for t in toks]
    if low and low[0] in ("a", "an", "one", "some", "several", "many", "most", "two", "three", "other", "unnamed",
                          "anonymous", "senior", "local", "two") and not any(is_cap(t) for t in toks[1:2]):
        return "anonymous"
    caps = [t for t in toks if is_cap(t) and norm_token(t) not in NON_NAMES]
    if not caps:
        if any(t in OUTLET_WORDS for t in low) and ("news" in low or "media" in low):
            return "outlet"
        if low and (low[-1] in DOC_NOUNS or low[-1] == "police"):
            return "organisation"  # "the police" speak as an organisation
        return "anonymous"
    if " ".join(low) in KNOWN_INSTITUTIONS:
        return "organisation"
    if " ".join(low) in KNOWN_OUTLETS or any(t in OUTLET_WORDS for t in low):
        if not any(t in ("ministry", "department", "party", "university", "union") for t in low):
            return "outlet"
    if any(t in ORG_WORDS for t in low):
        return "organisation"
    if context and OUTLET_CONTEXT.search(context):
        return "outlet"
    if any(t.isdigit() for t in low):
        return "outlet"
    title, rest = split_title(toks)
    if title:
        return "person"
    if len(toks) == 1 and (toks[0].isupper() or "/" in toks[0]) and len(toks[0]) >= 2:
        return "organisation"
    if low[-1] in DOC_NOUNS:
        return "organisation"
    if 2 <= len(toks) <= 4 and all(is_cap(t) or t.lower() in ("al-", "bin", "de", "van", "von") for t in toks):
        return "person"
    if len(toks) == 1:
        return "person"
    return "organisation"



_RESOLVE_DOT_OK = re.compile(r"\b(?:[A-Z]\.)+$|\b(?:Jr|Sr|Inc|Co|Corp|Ltd)\.$")
_SPLIT_ALIASES = re.compile(r"[/,]")
_SPOKES_FOR = re.compile(r"\bspokes(?:man|woman|person|people)\s+(?:for|of|at)\s+(.+)$", re.I)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_TRAILING_PAREN = re.compile(r"\s*\(([^)]{1,20})\)$")
_ORG_SPOKES = re.compile(r"^(?:an?|the)\s+(.+?)\s+spokes(?:man|woman|person)$", re.I)


@functools.lru_cache(maxsize=32768)
def _resolve_plan(np: str, appos: tuple[str, ...]) -> tuple:
    """What a source noun phrase says by itself, before the document is consulted (a pure function of
    the phrase and its appositives, so it is cached). One of:
    ("none",), ("pronoun", p), ("fixed", speaker fields), ("spokesperson", org, aliases),
    ("spokesperson-of", org), ("document-by", org, affiliation),
    ("definite", np, head, try the definite look-back, try cataphora, fallback speaker fields or None),
    ("name", np, raw name, titled, affiliation, context, aliases)."""
    np = np.strip().rstrip(",;:")
    if np.endswith(".") and not _RESOLVE_DOT_OK.search(np):
        np = np[:-1]
    toks = np.split()
    if not toks:
        return ("none",)
    low0 = toks[0].lower()
    aff = None
    aliases: tuple[str, ...] = ()
    for a in appos:
        if a.startswith("(") and a.endswith(")"):
            aliases = tuple(x.strip() for x in _SPLIT_ALIASES.split(a[1:-1]) if x.strip())
        elif aff is None:
            aff = a
    # pronouns
    if len(toks) == 1 and low0 in PRONOUNS:
        return ("pronoun", low0)
    if len(toks) == 1 and low0 in ("who", "which", "that"):
        return ("none",)
    # "a spokesman for X" / "X spokeswoman"
    m = _SPOKES_FOR.search(np)
    if m:
        org = _LEADING_ARTICLE.sub("", m.group(1).strip())
        pm = _TRAILING_PAREN.search(org)
        if pm:
            aliases = tuple(x.strip() for x in _SPLIT_ALIASES.split(pm.group(1)) if x.strip()) + aliases
            org = org[: pm.start()]
        return ("spokesperson", org, aliases)
    m = _ORG_SPOKES.match(np)
    if m and is_cap(m.group(1).split()[0]):
        return ("spokesperson-of", m.group(1))
    # "The report by the University and College Union", "data from California ISO"
    m = _DOC_BY_RE.match(np)
    if m and is_cap(m.group(1)):
        return ("document-by", m.group(1), aff)
    caps = [t for t in toks if is_cap(t) and norm_token(t) not in NON_NAMES]
    lowered = [t.lower() for t in toks]
    # definite descriptions: "the state-affiliated outlet", "the president", "the report"
    if not caps or (low0 in ("the", "this") and not is_cap(toks[-1])):
        head = lowered[-1].strip("’'s")
        definite = low0 in ("the", "this", "that") or (len(toks) == 1 and head in DOC_NOUNS)
        cataphora = low0 in ("a", "an", "one", "another") and head in DOC_NOUNS
        fallback = None
        if head not in PRONOUNS:
            fallback = (np[4:] if lowered[0] == "the" and len(toks) > 1 and not caps else np,
                        guess_kind(np, ""), aff, ())
        return ("definite", np, head, definite, cataphora, fallback)
    # "one GOP operative in the state": an indefinite head noun makes it anonymous
    if low0 in ("a", "an", "one", "some", "several", "many", "two", "three", "other", "another", "most"):
        content_words = [t for t in lowered if t not in _NP_PREPS and t not in ("the", "a", "an")]
        if any(t in SPEAKER_NOUNS for t in content_words) and not is_cap(toks[-1]) and lowered[-1] not in DOC_NOUNS:
            return ("fixed", (np, "anonymous", aff, ()))
    # names: drop articles and lowercase pre-modifiers, split titles off
    name_toks = list(toks)
    pre: list[str] = []
    # last run of capitalised tokens (with particles) is the name
    runs = []
    cur: list[str] = []
    for t in name_toks:
        if is_cap(t) or (cur and t.lower() in ("of", "and", "&", "de", "al-", "bin", "for", "the")):
            cur.append(t)
        else:
            if cur:
                runs.append(cur)
            cur = []
            runs.append([t])
    if cur:
        runs.append(cur)
    cap_runs = [r for r in runs if is_cap(r[0])]
    run = cap_runs[-1] if cap_runs else toks
    # "the Health Ministry in Gaza", "Tax Policy Center in Washington": a place after a preposition
    # is not the speaker; a role word between runs ("Department of Correction spokesman Jason Kersten")
    # makes the last run the name
    if len(cap_runs) >= 2:
        k = runs.index(cap_runs[-1])
        if k >= 2 and len(runs[k - 1]) == 1 and runs[k - 1][0].lower() in ("in", "at", "from", "near"):
            run = cap_runs[-2]
    # a trailing document noun belongs to the name: "Fox News poll"
    idx = len(runs) - 1 - runs[::-1].index(run)
    tail = [t for r in runs[idx + 1 :] for t in r]
    doc_tail = tail and tail[-1].lower() in DOC_NOUNS and len(tail) <= 2
    pre = [t for r in runs[:idx] for t in r if t.lower() not in ("the", "a", "an")]
    while run and run[-1].lower() in ("of", "and", "&", "for", "the"):
        run = run[:-1]
    title, name = split_title(run)
    if not name:
        name = run
    if title and name and name[0].lower() == "of":
        # "Secretary of State Clinton": the title's complement is one word (or "X and Y"), the rest the name
        k = 2
        while k + 1 < len(name) and name[k].lower() in ("and", "&"):
            k += 2
        if k < len(name):
            title, name = title + name[:k], name[k:]
    if title and "of" in name:
        name = name[: name.index("of")]
    # acronyms and single words with a trailing role noun: "Department of Correction spokesman Jason Kersten"
    affil_parts = [x for x in (" ".join(pre + title) if (pre or title) else "", aff or "") if x]
    affiliation = ", ".join(affil_parts) or None
    if name and name[0].lower() in ("the",):
        name = name[1:]
    if not name:
        return ("none",)
    if all(norm_token(t) in DAYS_MONTHS or norm_token(t) in NON_NAMES for t in name):
        return ("none",)
    raw = " ".join(name)
    if doc_tail:
        raw = raw + " " + " ".join(tail)
    ctx = np + " " + " ".join(appos)
    return ("name", np, raw, bool(title), affiliation, ctx, aliases)


def _scan_paragraph(text: str, ps: int, pe: int) -> tuple[list, tuple]:
    """The cue scans of one paragraph: the verb cues [(start, end, cue)] and whether each other kind of
    cue may occur (according to, poll, possessive, came from, relay: cheap tests; their expressions run
    only where these are true)."""
    cues = [(m.start(), m.end(), m.group()) for m in CUE_RE.finditer(text, ps, pe)]
    para = text[ps:pe]
    acc = "ccording" in para
    poll = _POLL_HINT.search(para) is not None
    poss = "'s " in para or "’s " in para
    came = " from " in para and ("came" in para or "come" in para or "originat" in para)
    relay = _RELAY_HINT.search(para) is not None
    return cues, (acc, poll, poss, came, relay)


def _size_key(r: Relation) -> tuple[int, int]:
    size = 0
    for a, b in r.contents:
        size += b - a
    return size, -r.cue_start


_RULES = {"say": "reported speech", "according": "according to", "participle": "reported speech",
          "quote": "quotation", "relay": "relay", "poll": "poll/report", "continuation": "quotation continues",
          "passive": "passive with agent", "label": "speaker label",
          "label-turn": "speaker label (turn continues)"}  # the rule a candidate comes from, shown as the UI's "why"
_LABEL_MODES = ("label", "label-turn")
_TURN_END = frozenset(".?!\"”’')]…—–-:;")  # how a turn of speech ends (a heading or a link does not)


# --------------------------------------------------------------------------- speaker labels (transcripts)

# "TRUMP: …", "Rep. Trey Gowdy (R-S.C.):"…"", and a label alone on its line, the speech on the next lines
# ("Donald Trump: (12:04)", "TRUMP:"): a label is found from its colon (followed by a space, an opening
# quotation mark or the line's end, after a timestamp), then read back to the start of its line
_STAMP = r"(?:\(\d{1,2}:\d\d(?::\d\d)?\)|\[\d{1,2}:\d\d(?::\d\d)?\])"  # "(12:04)", "[01:02:33]"
_LABEL_COLON = re.compile(rf":(?=[ \t\"“‘']|[ \t]*{_STAMP}?[ \t]*$)", re.M)
_LABEL_AFTER = re.compile(rf"[ \t]*({_STAMP})?[ \t]*(\n?)\s*")  # what is between a label's colon and its turn
_QUOTE_OPEN = "\"“‘'"
# role labels: the speaker is named by the role ("MODERATOR:", "THE PRESIDENT:"); "Q:" stays unknown
_ROLE_LABELS = frozenset((
    "moderator", "the moderator", "interviewer", "questioner", "panelist", "participant", "narrator", "announcer",
    "audience member", "the president", "the vice president", "the first lady", "the prime minister",
    "the secretary", "the chairman", "the chairwoman", "the chair", "chairman", "chairwoman", "the speaker",
    "the clerk", "the witness", "the court",
))
_ROLE_ANONYMOUS = frozenset(("unidentified male", "unidentified female", "unidentified man", "unidentified woman",
                             "unidentified speaker"))
_LABEL_PAREN = re.compile(r"^(.*?)\s*\(([^()]{1,30})\)$")
_LABEL_CHARS = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F.'’\- ]*")
_LABEL_UPPER_RUN = re.compile(r"[^\W\d_]+")
_LABEL_PARTICLES = frozenset("de del della di da van von der den du la le dos das bin ibn al el ben".split())
_LABEL_TITLE_GLUE = frozenset(("of", "the", "for", "and"))
# words of headings, captions and notes that take a colon ("Correction:", "SUMMARY:", "Key points:")
_LABEL_STOP = frozenset(
    """note notes correction corrections update updates updated clarification editor editors editor's source
    sources photo photos photograph image images picture caption credit credits video videos audio watch listen
    read more related see key points point tip tips table figure fig chart graph graphic map exhibit appendix
    chapter section part step box summary abstract background introduction conclusion conclusions method
    methods results discussion keywords references reference disclaimer disclaimers disclosure warning caution
    important attention agency action dates date time address addresses location contact subject title author
    authors published posted filed transcript question questions answer answers claim claims fact facts verdict
    ruling rating analysis context bottom line breaking exclusive opinion live follow share email phone fax web
    website copyright objective objectives goal goals purpose scope definition definitions example examples
    total notice pros cons bonus lesson lessons factbox timeline quote quotes excerpt excerpts moderator
    audience interviewer unidentified unknown male female voice crowd narrator announcer information
    supplementary findings recommendation recommendations overview highlights takeaways comments response
    responses issue issues details description status procedure procedures requirements limitations contents
    glossary preface foreword afterword prologue epilogue agenda minutes attendees participants present""".split()
)


def _title_case(word: str) -> str:
    """"O'ROURKE" -> "O'Rourke", "MCCAIN" -> "McCain", "SEN." -> "Sen."; a possessive s stays small."""
    out = _LABEL_UPPER_RUN.sub(lambda m: m.group()[0] + m.group()[1:].lower(), word)
    if out.startswith("Mc") and len(out) > 3:
        out = "Mc" + out[2].upper() + out[3:]
    if out[-2:] in ("'S", "’S"):
        out = out[:-1] + "s"
    return out


@functools.lru_cache(maxsize=4096)
def _parse_label(raw: str) -> tuple | None:
    """What the words before a line's colon say as a speaker label: (the name as the engine reads it,
    title-cased if written in capitals ("Sen. Bernie Sanders"), the affiliation in parentheses or None,
    all capitals, titled, one word, the kind of a role label ("Moderator", "The President") or None), or
    None when they do not look like a person or organisation ("Correction", "The Facts", "Table 2", "Q")."""
    lab = raw.strip()
    paren = None
    m = _LABEL_PAREN.match(lab)
    if m:
        lab, paren = m.group(1), m.group(2).strip()
    if not 2 <= len(lab) <= 60 or not _LABEL_CHARS.fullmatch(lab):
        return None  # digits, commas, symbols: not a name
    upper = lab.isupper()
    toks = lab.split()
    if upper:
        toks = [_title_case(t) for t in toks]
    role = " ".join(toks).lower()
    if role in _ROLE_LABELS or role in _ROLE_ANONYMOUS:
        return " ".join(toks), paren, upper, False, len(toks) == 1, "person" if role in _ROLE_LABELS else "anonymous"
    # titles and roles first ("Former secretary of state", "Rep.", "MR."), then the name
    i = 0
    titled = False
    while i < len(toks) - 1:
        low = toks[i].lower()
        if low in TITLES or low.rstrip(".") in TITLES:
            titled = True
        elif not (titled and low in _LABEL_TITLE_GLUE):
            break
        i += 1
    name = toks[i:]
    if not 1 <= len(name) <= 4 or not is_cap(name[0]) or not any(len(t.strip(".'’-")) >= 2 for t in name):
        return None
    for t in name:
        low = norm_token(t)
        if not is_cap(t) and low not in _LABEL_PARTICLES:
            return None  # "Another notable example"
        if low in _LABEL_STOP or low in NON_NAMES or low in DAYS_MONTHS:
            return None
    if len(name) == 1 and not titled and (name[0].lower() in SPEAKER_NOUNS or name[0].lower() in TITLES):
        return None  # "AUTHORITY", "AGENCY", "PRESIDENT": a role or a heading, not whose turn it is
    return " ".join(toks), paren, upper, titled, len(name) == 1, None


# --------------------------------------------------------------------------- engine


@dataclass(slots=True)
class _Entity:
    name: str
    kind: str
    affiliation: str | None
    aliases: set[str] = field(default_factory=set)
    tokens: tuple[str, ...] = ()


class AttributionEngine:
    """Finds the attribution relations of one text and answers per-figure questions."""

    def __init__(self, text: str, focus: list[tuple[int, int]] | None = None):
        self.text = text
        self._rev = text[::-1]  # for reading words backwards with one match
        self.ix = TextIndex(text)
        # the figures being attributed, by paragraph: cues elsewhere are not read (see _focus_sentences)
        self._focus: dict[int, list[int]] | None = None
        self._para_keep: dict[int, set[int] | None] = {}
        self._para_rel: dict[int, list[Relation]] = {}
        self._busy: set[int] = set()
        self._remembered: set[int] = set()  # relations remembered: source start * _span_base + cue start
        self._span_base = len(text) + 1
        self._searched: dict[str, int] = {}
        self._source_lines: list[int] | None = None
        self._confirm_at: list[tuple[int, int]] | None = None
        self._spans_cache: dict[int, list[tuple[int, int]]] = {}
        self._mention_cache: dict[int, list[Mention]] = {}
        self._quote_rel: dict[int, Relation | None] = {}
        self._carry_last: tuple = (None, None, None)  # (relations, sentence start, _carry_over_fields result)
        self._items_cache: dict[int, tuple[int, list]] = {}  # see _items_before
        self._cand_last: tuple = (None, None, None)  # (relation, speaker, _cand_fields(relation, speaker, its role))
        self._views: dict[int, tuple] = {}
        self._verb_pre: dict[int, tuple] = {}  # cue start -> (cue end, _verb_analysis result), computed ahead
        self._cues: dict[int, tuple] = {}  # paragraph -> _scan_paragraph result, computed ahead
        self._by_token: dict[str, list[_Entity]] = {}
        self._by_norm: dict[str, _Entity] = {}
        self._speakers_seen: list[tuple[int, Speaker, str | None]] = []  # (pos, speaker, NP head)
        self._seen_by_para: dict[int, list[tuple[int, Speaker, str | None]]] = {}
        self._label_list: tuple | None = None  # see _labels
        self._label_rels: dict[int, Relation | None] = {}
        self._turn_ok: dict[int, bool] = {}
        if focus is not None:
            self._focus = {}
            self.add_focus(focus)

    def add_focus(self, spans: list[tuple[int, int]]) -> None:
        """More figures to attribute with this engine (a page at a time): paragraphs read for fewer
        sentences than the new figures need are read again."""
        if self._focus is None:
            return
        touched = set()
        for a, b in spans:
            pi = self.ix.para_index(a)
            self._focus.setdefault(pi, []).append((a + b) // 2)
            touched.add(pi)
        for pi in touched:
            if pi in self._para_rel:
                old = self._para_keep.get(pi)
                if old is not None and not self._focus_sentences(pi) <= old:
                    del self._para_rel[pi]

    # ------------------------------------------------------------------ reading ahead (helper process)

    def prepare_page(self, start: int, end: int, spans: list[tuple[int, int]]) -> list[tuple]:
        """The text-only analysis of the paragraphs that start in [start, end), for an engine in another
        process to :meth:`install`: sentences, quotations, cue scans, the sentences the figures ``spans``
        (this page's) depend on with the verb cues in them and their analysis, and the analysis of the
        "according to" cues. Nothing here depends on the document read so far, so installing it changes
        no result, only who computes it. Texts without blank-line paragraphs (found lazily) are not
        prepared."""
        if not self.ix.blocks:
            return []
        self.add_focus(spans)
        ix, text = self.ix, self.text
        out = []
        k = bisect.bisect_left(ix._pstarts, start)
        while k < len(ix._pstarts) and ix._pstarts[k] < end:
            pi = ix._pstarts[k]
            k += 1
            ps, pe = ix.para_span(pi)
            starts = ix._sentences_of(pi)
            quotes = [(q.start, q.end, q.open_mark, q.close_mark) for q in ix._quotes_of(pi)]
            cues, flags = _scan_paragraph(text, ps, pe)
            keep = self._focus_sentences(pi)
            kept, rest, pre = cues, [], {}
            if keep is not None:
                kept = []
                for c in cues:
                    (kept if bisect.bisect_right(starts, c[0]) - 1 in keep else rest).append(c)
            for cs, ce, cue in kept:
                pre[cs] = (ce, self._verb_analysis(cs, ce, cue))
            acc = [(m.start(), m.end(), self._according_analysis(m.start(), m.end()))
                   for m in ACCORDING_RE.finditer(text, ps, pe)] if flags[0] else []
            # the figures the kept sentences were chosen for: the main process uses them if it has the same
            figs = None if self._focus is None else self._focus.get(pi, [])
            out.append((ps, pe, starts, quotes, kept, rest, flags, figs, keep, pre, acc))
        return out

    def install(self, paragraphs: list[tuple]) -> None:
        """Take the analysis :meth:`prepare_page` made in another process (paragraphs already read here
        keep their own)."""
        ix = self.ix
        for ps, pe, starts, quotes, kept, rest, flags, figs, keep, pre, acc in paragraphs:
            if ix._pend.get(ps) != pe or ps in self._para_rel:
                continue
            ix._sents.setdefault(ps, starts)
            if ps not in ix._quotes:
                ix._quotes[ps] = [Quote(*q) for q in quotes]
            self._cues[ps] = (kept, rest, flags, figs, keep, acc)
            self._verb_pre.update(pre)

    # ------------------------------------------------------------------ relations per paragraph

    def relations(self, pi: int) -> list[Relation]:
        rel = self._para_rel.get(pi)
        if rel is None:
            if pi in self._busy:
                return []
            if len(self._busy) >= 3:
                return []  # look-back depth reached: resolve from name mentions only
            self._busy.add(pi)
            try:
                rel = self._find_relations(pi)
            finally:
                self._busy.discard(pi)
            self._para_rel[pi] = rel
        return rel

    def all_relations(self) -> list[Relation]:
        out = []
        for pi in self.ix.para_keys():
            out.extend(self.relations(pi))
        return out

    def _find_relations(self, pi: int) -> list[Relation]:
        text = self.text
        ps, pe = self.ix.para_span(pi)
        rels: list[Relation] = []
        ahead = self._cues.pop(pi, None)  # the scans below, done ahead (prepare_page)
        acc_pre = None
        if ahead is None:
            cues, (acc, poll, poss, came, relay) = _scan_paragraph(text, ps, pe)
        else:
            cues, rest, (acc, poll, poss, came, relay), figs, keep, acc_pre = ahead
            if figs != (None if self._focus is None else self._focus.get(pi, [])):
                cues = sorted(cues + rest)  # chosen for other figures: choose again
                ahead = None
        if ahead is None:
            keep = self._focus_sentences(pi)
            starts = self.ix._sentences_of(pi) if keep is not None else None
            cues = [c for c in cues if keep is None or bisect.bisect_right(starts, c[0]) - 1 in keep]
        self._para_keep[pi] = keep
        # a speaker label opening the paragraph ("TRUMP: …"), or the turn of the last one continuing
        turn = self._turn_relation(pi)
        # 1. verb cues (of the sentences some figure depends on)
        for cs, ce, cue in cues:
            r = self._verb_relation(cs, ce, cue)
            if r is not None:
                if turn is not None and r.speaker.name is None and r.source_start is not None and \
                        text[r.source_start : r.source_end].lower() in ("i", "we"):
                    r.speaker = turn.speaker  # "TRUMP: I said it then: …": the turn's speaker
                rels.append(r)
                self._remember(r)
        # 2. according to
        if acc_pre is None:
            acc_pre = [(m.start(), m.end(), self._according_analysis(m.start(), m.end()))
                       for m in ACCORDING_RE.finditer(text, ps, pe)] if acc else ()
        for cs, ce, an in acc_pre:
            r = self._according_relation(cs, ce, an)
            if r is not None:
                rels.append(r)
        # 3. "in a new Fox News poll"
        for m in (POLL_RE.finditer(text, ps, pe) if poll else ()):
            if any(r.source_start is not None and r.source_start <= m.start(1) < r.source_end for r in rels):
                continue
            r = self._poll_relation(m)
            if r is not None:
                rels.append(r)
        # 3b. "Clinton's claim that …", "the ministry's estimate"
        for m in (POSSESSIVE_RE.finditer(text, ps, pe) if poss else ()):
            r = self._possessive_relation(m)
            if r is not None:
                rels.append(r)
        # 3c. "The “90 to 95 percent” figure came from the Clinton campaign"
        for m in (CAME_FROM_RE.finditer(text, ps, pe) if came else ()):
            ss, se = self.ix.sentence_span(m.start())
            np_ = self._np_right(m.end(), se, loose=True)
            if np_ is None:
                continue
            sp = self._resolve(np_[2], np_[0], np_[1], np_[3])
            if sp is None or sp.name is None:
                continue
            head = text[ss : m.start()]
            cut = max(head.rfind(","), head.rfind(";"), head.rfind(":"), head.rfind(" that "))
            c0 = ss + (cut + 1 if cut >= 0 else 0)
            r = Relation(m.start(), m.end(), np_[0], np_[1], [(c0, m.start())], sp, "according", 0.8,
                         evidence=(m.start(), np_[1]))
            rels.append(r)
            self._remember(r)
        # 4. relay verbs ("reminds the claims of Hassan Nowrozi")
        for m in (RELAY_RE.finditer(text, ps, pe) if relay else ()):
            rels.extend(self._relay_relations(m))
        rels = self._dedupe(rels)
        rels.sort(key=lambda r: r.cue_start)
        for r in rels:
            if r.mode != "say" or r.source_start is None:
                self._remember(r)
        # 4b. the labelled turn holds the paragraph (any cue in it is smaller, so it wins)
        if turn is not None:
            rels.insert(0, turn)
            self._remember(turn)
        # 5. quotations of this paragraph
        for q in self.ix._quotes_of(pi):
            qr = self._quote_relation(q, rels, pi)
            self._quote_rel[q.start] = qr
            if qr is not None:
                rels.append(qr)
        # 6. a cue ending the paragraph with a colon covers the list that follows
        self._colon_list(pi, rels)
        # 7. "Source: …" under a list or table
        if self._source_line_near(pe) and (self._list_like(pi) or pe - ps < 200):
            sl = self._source_line(pi)
            if sl is not None:
                rels.append(sl)
        return rels

    def _focus_sentences(self, pi: int) -> set[int] | None:
        """Sentences (indexes in the paragraph) whose cues can matter for the figures being attributed:
        a figure's sentence and the two before it (carry-over), and for a figure inside a quotation everything
        up to the quotation's end (its cue and the speaker it may continue). A paragraph without figures,
        read for look-back, keeps its last two sentences (the speaker a quotation may continue). None: all."""
        if self._focus is None:
            return None
        figs = self._focus.get(pi)
        starts = self.ix._sentences_of(pi)
        n = len(starts)
        if not figs:
            return {n - 1, n - 2}
        keep: set[int] = set()
        quoted = bool(self.ix._quotes_of(pi))
        last = None
        for f in figs:
            k = bisect.bisect_right(starts, f) - 1
            if k != last:  # (figures come in runs from one sentence)
                keep.update((k, k - 1, k - 2))
                last = k
            q = self.ix.quote_at(f) if quoted else None
            if q is not None:
                end = q.close_mark if q.close_mark is not None else q.end
                k2 = bisect.bisect_right(starts, end) - 1
                keep.update(range(0, min(n, k2 + 2)))
        return keep

    @staticmethod
    def _dedupe(rels: list[Relation]) -> list[Relation]:
        seen = set()
        out = []
        for r in rels:
            key = (r.cue_start, r.cue_end)
            if key in seen:
                continue
            seen.add(key)
            out.append(r)
        return out

    # ------------------------------------------------------------------ verb cues

    def _verb_relation(self, vs: int, ve: int, verb: str) -> Relation | None:
        pre = self._verb_pre.pop(vs, None)
        if pre is None or pre[0] != ve:
            pre = self._verb_analysis(vs, ve, verb)
        else:
            pre = pre[1]
        if pre is None:
            return None
        if pre == _PASSIVE:
            return self._passive_relation(vs, ve, verb)
        s_start, s_end, np, appos, weak, contents, conf, ev, mode, role = pre
        speaker = self._resolve(np, s_start, s_end, appos)
        if speaker is None:
            return None
        if weak and not self._credible(np, speaker):
            return None
        if not contents:
            return None
        # the analysis is used once (taken out of _verb_pre or just made): its list becomes the relation's
        return Relation(vs, ve, s_start, s_end, contents, speaker, mode, conf, role=role, evidence=ev)

    def _verb_analysis(self, vs: int, ve: int, verb: str):
        """What a verb cue says by the text alone (who is named as speaking, what is said), before the
        speaker is resolved against the document: None (no relation), :data:`_PASSIVE` ("was said
        by"), or (source start, source end, source phrase, appositives, weak verb, contents,
        confidence, evidence, mode, role). A pure function of the text (a helper process may compute
        it ahead: see :meth:`prepare_page`)."""
        text = self.text
        ss, se = self.ix.sentence_span(vs)
        if vs < ss:
            return None
        # the words of the 40 characters before the cue; only the last three are read (and whether there
        # are three), so they are first read from the last space 16+ characters back (a tokenisation from
        # a space agrees with the longer one)
        lo = max(ss, vs - 40)
        sp = text.rfind(" ", lo, vs - 16)
        words = _WORD_RE.findall(text, sp, vs) if sp > lo else ()
        if len(words) < 3:
            words = _WORD_RE.findall(text, lo, vs)
        prev = words[-1].lower() if words else ""
        if verb == "told" and prev == "all":
            return None  # "All told, …"
        first_word = verb.split()[0]
        special_first = first_word in ("was", "were", "is", "are", "put", "puts")
        if not special_first:
            if prev in _DET_BEFORE_NOUN and not (prev == "to" and len(words) >= 3 and words[-2].lower() == "first") \
                    and not (verb.endswith("ing") and prev in ("in", "by", "after", "before", "while", "when", "for")) \
                    and not (prev in _COLLECTIVE_SPEAKERS and not verb.endswith("ing")):
                return None
            if prev in _BE or (prev in _SKIP_LEFT and len(words) >= 2 and words[-2].lower() in _BE):
                return _PASSIVE
            if prev and prev[0].isdigit() and not (len(words) >= 2 and is_cap(words[-2])):
                return None
        weak = verb not in _STRONG_SET and not special_first
        participle = verb.endswith("ing")
        dispute = verb in _DISPUTE
        # --- who is speaking
        src = None
        inverted = False
        if not participle:
            src = self._subject_left(ss, vs)
        if src is None and not participle and verb in _INVERTING:
            src = self._subject_right(ve, se)
            inverted = src is not None
        if participle and _PROGRESSIVE.search(text[max(ss, vs - 12) : vs]):
            participle = False  # progressive: "they're saying", "is claiming"
            m_be = _PROGRESSIVE_BE.search(text[max(ss, vs - 12) : vs])
            src = self._subject_left(ss, max(ss, vs - 12) + m_be.start())
            if src is None:
                return None
        elif participle:
            src = self._participle_subject(ss, vs, se)
        if src is None:
            return None
        s_start, s_end, np, appos = src
        # --- what is said
        contents = []
        after_from = ve
        if inverted:
            after_from = max(ve, s_end)
        rest = text[after_from:se]
        m_app = _APPOSITIVE_AFTER.match(rest) if inverted else None
        if m_app:
            after_from += m_app.end()
            rest = text[after_from:se]
        m_that = _THAT_AFTER.match(rest)
        a_start = after_from + (m_that.end() if m_that else 0)
        trailing = self._is_trailing(rest)
        # "a decision he disclosed in an interview …": the verb's object is the noun before it
        if not inverted and not participle and s_end >= vs - 24 and (np.lower() in PRONOUNS or is_cap(np.split()[0])) \
                and self._reduced_relative(ss, s_start) and not _CLAUSE_AFTER.match(rest):
            trailing = True
        # "declared his retirement just three days before …": an object, not a clause
        a_end = se
        if verb in _OBJECT_VERBS and not inverted:
            mo = _OBJECT_AFTER.match(rest)
            if mo:
                cut = _OBJECT_END.search(rest, mo.end())
                if cut:
                    a_end = after_from + cut.start()
        left_edge = min(s_start, vs)
        before_txt = text[ss:left_edge].rstrip()
        # what stands before the subject, a sentence adverb left out (", then the Marx Brothers would insist")
        lead = before_txt
        parts = lead.rsplit(None, 1)
        if parts and parts[-1].lower() in _SENTENCE_ADVERBS:
            lead = parts[0] if len(parts) == 2 else ""
        preceded = bool(lead) and lead[-1] in ",”\"—–:’'"
        if inverted:
            if before_txt:
                contents.append((ss, left_edge))
            if (m_app or rest.lstrip().startswith(",")) and not trailing:
                contents.append((a_start, se))  # "Currently, said Dr. X, the director, there are 70 children"
        elif (trailing or (preceded and not rest.strip(" ,.;”\"’"))) and preceded:
            contents.append((ss, left_edge))
        elif preceded and rest.lstrip().startswith(","):
            contents.append((ss, left_edge))  # parenthetical ", say economists,"
            contents.append((a_start, se))
        elif not trailing:
            contents.append((a_start, a_end))
        if not contents and trailing and lead and self.ix.quote_at(vs) is not None:
            q = self.ix.quote_at(vs)
            contents.append((max(ss, q.start), left_edge))  # "“It's like 60% black they're saying,”"
        contents = [(a, b) for a, b in contents if b > a]
        conf = 0.85 if not weak else 0.7
        if np.lower() in PRONOUNS:
            conf -= 0.1
        ev = (min(s_start, vs), max(s_end, ve))
        if participle:
            ev = (vs, ve)
        mode = "participle" if participle else "say"
        return (s_start, s_end, np, appos, weak, contents, conf, ev, mode, "disputes" if dispute else "states")

    def _passive_relation(self, vs: int, ve: int, verb: str) -> Relation | None:
        text = self.text
        m = _BY_AFTER.match(text[ve : ve + 8])
        if not m:
            return None
        ss, se = self.ix.sentence_span(vs)
        np_span = self._np_right(ve + m.end(), se)
        if np_span is None:
            return None
        a, b, np, appos = np_span
        speaker = self._resolve(np, a, b, appos)
        if speaker is None:
            return None
        contents = [(ss, vs)]
        if verb in _CONFIRM_WORDS or verb in _DISPUTE:
            return None  # handled by the confirm/dispute rule
        return Relation(vs, ve, a, b, contents, speaker, "passive", 0.7, evidence=(vs, b))

    @staticmethod
    def _is_trailing(rest: str) -> bool:
        """What follows the cue is only an adverbial (", Essid declared in a televised address Wednesday.")."""
        r = rest.strip()
        if not r or r[0] in ".!?;" or not r.strip(".!?;”\"’ "):
            return True
        if r[0] == "," :
            return False
        if _AMOUNT_AFTER.match(rest):
            return False  # "identified at least $130 million": an amount, not an adverbial
        if not _TRAILING_OK.match(rest):
            return False
        words = {w.lower() for w in r.split()}
        return not (words & _FINITE) and "that" not in words

    def _reduced_relative(self, ss: int, s_start: int) -> bool:
        before = self.text[ss:s_start].rstrip()
        if not before or before[-1] in ",;:“”\"—–(":
            return False
        w = before.rsplit(None, 1)[-1]
        return w.isalpha() and w.islower() and w not in _FUNCTION_BEFORE_SUBJECT and w not in _SENTENCE_ADVERBS

    def _credible(self, np: str, speaker: Speaker) -> bool:
        """A weak verb ("claims", "shows", "found") needs a subject that can speak."""
        low = np.lower().split()
        if not low:
            return False
        if low[0] in PRONOUNS or low[0] in ("who", "which"):
            return low[0] not in ("it",) or speaker.kind != "anonymous"
        if any(is_cap(t) for t in np.split()):
            return True
        return low[-1] in SPEAKER_NOUNS or low[-1] in _COLLECTIVE_SPEAKERS

    # ------------------------------------------------------------------ subjects

    def _subject_left(self, ss: int, vs: int):
        """(start, end, np_text, appositives) of the subject before a verb, or None."""
        text = self.text
        pos = vs
        rev, n = self._rev, len(text)
        # skip adverbs and auxiliaries between subject and verb
        for _ in range(6):
            # the word before pos (alphanumerics and ' ’ . -), after the spaces: one match on the reversed text
            m = _WORD_BEFORE_REV.match(rev, n - pos, n - ss)
            j, k = n - m.start(1), n - m.end(1)
            w = text[k:j].lower()
            if not w:
                break
            if w in ("today", "now") and text[k].isupper() and self._cap_word_before(ss, k):
                break  # part of a name: "USA Today said", "Radio Now reported"
            if w in _SKIP_LEFT or w in _TIME_WORDS or w in ("this", "last", "on") and pos != vs:
                pos = k
                continue
            if w in _TIME_WORDS:
                pos = k
                continue
            if w == "fact" and text[k - 3 : k].lower() == "in ":
                pos = k - 3  # "have in fact reported"
                continue
            break
        # strip "this week" / "on Thursday" leftovers
        j = pos
        while j > ss and text[j - 1] in " \t\n":
            j -= 1
        if j <= ss:
            return None
        ch = text[j - 1]
        if ch == ",":
            if pos == vs and self._subject_right_ok(vs):
                return None  # ", said Skaik" / ", says a report": the caller reads it to the right
            return self._subject_across_commas(ss, j - 1)
        if ch in "”\"":
            return None
        if ch == ")":
            return self._np_left(ss, j)
        # a pronoun or relative right before the verb
        k = n - _ALNUM_BEFORE_REV.match(rev, n - j, n - ss).end()
        w = text[k:j]
        wl = w.lower()
        if "'" in wl or "’" in wl:
            for suf in ("'re", "’re", "'s", "’s", "'ve", "’ve", "'d", "’d", "'ll", "’ll"):
                if wl.endswith(suf) and wl[: -len(suf)] in PRONOUNS:
                    wl = wl[: -len(suf)]
                    j = k + len(wl)
                    break
        if wl in PRONOUNS:
            return (k, j, text[k:j], [])
        if wl in ("who", "which") or (wl == "that" and k > ss and text[k - 2 : k - 1] == ","):
            ante = self._antecedent(ss, k)
            return ante
        if wl in ("and", "but"):
            return self._coordinated_subject(ss, k)
        return self._document_head(ss, self._np_left(ss, j))

    def _cap_word_before(self, ss: int, k: int) -> bool:
        """The word before position k (in the sentence) is a capitalised name word."""
        parts = self.text[ss:k].rsplit(None, 1)
        return bool(parts) and is_cap(parts[-1]) and parts[-1].lower() not in NON_NAMES

    def _document_head(self, ss: int, np):
        """"a POLITICO analysis of other data identified": the subject is the document, not its
        complement after "of"."""
        if np is None:
            return None
        lo = max(ss, np[0] - 24)
        if self.text.find("of", lo, np[0]) < 0:
            return np  # (the expression below needs an "of")
        m = _DOC_OF_BEFORE.search(self.text, lo, np[0])
        if m is None or m.group(1).lower() not in DOC_NOUNS:
            return np
        head = self._np_left(ss, m.end(1))
        return np if head is None else head

    def _np_left(self, ss: int, j: int):
        """Noun phrase ending at j (exclusive), walking back over name-like tokens (at most 160
        characters back). The tokens of the last ~64 characters are read first, from a whitespace
        (where the tokenisation of the longer window agrees); only a walk reaching the first of them
        reads the whole window."""
        text = self.text
        seg_start = max(ss, j - 160)
        if j - seg_start > 64:
            w = _WS_ONE.search(text, j - 64, j)
            if w is not None and w.start() > seg_start:
                got = self._np_walk(ss, j, w.start(), True)
                if got is not _MORE:
                    return got
        return self._np_walk(ss, j, seg_start, False)

    def _np_walk(self, ss: int, j: int, seg_start: int, partial: bool):
        text = self.text
        toks = list(_WORD_RE.finditer(text, seg_start, j))  # matches: tok[0] is the token's text
        if not toks:
            return _MORE if partial else None
        i = len(toks) - 1
        paren = []
        # "The People’s Mojahedin of Iran (PMOI/MEK)"
        if toks[i][0] == ")":
            k = i
            while k >= 0 and toks[k][0] != "(":
                k -= 1
            if partial and k <= 0:
                return _MORE
            if k < 0:
                return None
            paren = [t[0] for t in toks[k + 1 : i]]
            i = k - 1
        end = toks[i].end() if i >= 0 else j
        end_tok = i if i >= 0 else None
        start_i = None
        n = 0
        mods = 0
        while i >= 0 and n < 10:
            if partial and i == 0:
                return _MORE  # the window's first token: read the whole window
            tok = toks[i][0]
            low = tok.lower()
            if tok in ",;:()“”\"—–[]" or tok.endswith("''"):
                break  # ('' closes a quotation, Penn Treebank style: "''The Art of the Deal.'' Mr. Trump said")
            name_and = (low in ("and", "&") and i > 0 and is_cap(toks[i - 1][0]) and start_i is not None
                        and is_cap(toks[start_i][0]))
            if low in _STOP_LEFT and not name_and:
                break
            if low in _SENTENCE_ADVERBS and (tok.islower() or not text[ss : toks[i].start()].strip(_OPENERS)):
                break  # (capitalised, only as the sentence's first word: "Radio Now Network" keeps its "Now")
            if name_and:
                pass
            elif low in _NP_PREPS:
                # keep a preposition inside a name or a role ("Department of Correction", "spokesman for X")
                if start_i is None:
                    break
                nxt = toks[start_i][0]
                if not (is_cap(nxt) or nxt.lower() in ("the", "a", "an")):
                    break
                prev_tok = toks[i - 1][0] if i > 0 else ""
                if not prev_tok or prev_tok in ",;:()“”\"":
                    break
            elif not (tok[0].isupper() or is_cap(tok)) and low not in SPEAKER_NOUNS and low not in _NP_DETS \
                    and not (start_i is None and low in _COLLECTIVE_SPEAKERS):  # "the press reported"
                # a lowercase word is a modifier of what follows ("press secretary Josh Earnest",
                # "state-run Royedad 24", "veteran volunteers"), never the head, never a verb
                if low.endswith("ly") or low in _STOP_LEFT or (low.endswith("ed") and "-" not in low):
                    break
                if start_i is None:
                    break
                nxt = toks[start_i][0]
                head = toks[end_tok][0] if end_tok is not None else nxt
                if not (is_cap(nxt) or nxt.lower() in SPEAKER_NOUNS or nxt.lower() in PERSON_ROLE_WORDS
                        or "-" in nxt or nxt.lower() in _MODIFIER_OK
                        or (mods < 3 and (is_cap(head) or head.lower() in SPEAKER_NOUNS))):
                    break
                mods += 1
            start_i = i
            n += 1
            i -= 1
        if start_i is None:
            return None
        # trim a leading preposition or conjunction
        while start_i < len(toks) and toks[start_i][0].lower() in _NP_PREPS_AND:
            start_i += 1
        if start_i >= len(toks) or toks[start_i].start() >= end:
            return None
        s = toks[start_i].start()
        np = text[s:end]
        if paren:
            return (s, end, np, ["(" + " ".join(paren) + ")"])
        return (s, end, np, [])

    def _subject_right_ok(self, vs: int) -> bool:
        m = _VERB_AT.match(self.text, vs)
        if not m or m.group() not in _INVERTING:
            return False
        ve = vs + m.end()
        _, se = self.ix.sentence_span(vs)
        return self._np_right(ve, se) is not None and self._subject_right(ve, se) is not None

    def _subject_across_commas(self, ss: int, comma: int):
        """"Mehdi Hajian, the spokesman of FARAJA, …, announced": walk back over appositives."""
        text = self.text
        appos: list[str] = []
        end = comma
        for _ in range(4):
            seg_start = max(text.rfind(",", ss, end), ss - 1) + 1
            # a quote mark or dash also bounds the segment
            for mark in "“”\"—(":
                p = text.rfind(mark, seg_start, end)
                if p >= 0:
                    seg_start = p + 1
            seg = text[seg_start:end].strip()
            if not seg:
                return None
            first = seg.split()[0].lower()
            second = seg.split()[1] if len(seg.split()) > 1 else ""
            proper = first in ("the",) and is_cap(second)
            participial = first == "including" or (first.endswith(("ing", "ed")) and first not in SPEAKER_NOUNS
                                                    and seg[0].islower())
            if first in _ADVERBIAL_START and len(seg.split()) <= 8:
                # "Mr. Trump, in a brief interview on Saturday, said"
                if seg_start - 1 <= ss or text[seg_start - 1] != ",":
                    return None
                end = seg_start - 1
                appos.append("")
                continue
            if (first in _APPOS_START and not proper) or participial or _PARTY_TAG.fullmatch(seg):
                if first in ("who", "which", "whose"):
                    pass
                else:
                    appos.insert(0, seg)
                if seg_start - 1 <= ss or text[seg_start - 1] != ",":
                    return None
                end = seg_start - 1
                continue
            # the segment should end in a name or a speaker noun
            if not appos:
                # "There are 10,000 patients in the Gaza Strip, said …" is content, not a subject, but
                # "The group's president, John Smith, said" names its subject between the commas
                return self._name_after_description(ss, seg_start, end)
            np = self._np_left(seg_start, end)
            if np is None:
                return None
            s, e, t, par = np
            if not (any(is_cap(x) for x in t.split()) or t.split()[-1].lower() in SPEAKER_NOUNS):
                return None
            if len(seg.split()) > len(t.split()) + 6:
                return None
            if not appos and text[e:comma].strip():
                return None
            return (s, e, t, [a for a in appos if a] + par)
        return None

    def _name_after_description(self, ss: int, seg_start: int, end: int):
        """"The Democrats' leading candidate, Vermont Sen. Bernie Sanders, also decries": a name filling
        the segment between two commas, after a description that opens the sentence and ends in a role."""
        text = self.text
        np = self._np_left(seg_start, end)
        if np is None or text[seg_start:np[0]].strip() or text[np[1]:end].strip():
            return None
        toks = np[2].split()
        if not all(is_cap(t) for t in toks) or toks[0][0].isdigit():
            return None
        comma = seg_start - 1
        if comma <= ss or text[comma] != ",":
            return None
        desc = text[ss:comma].strip(" “\"")
        words = desc.split()
        if not 2 <= len(words) <= 8 or words[0].lower() not in _DESC_DETS or any(c in desc for c in ",;:—("):
            return None
        head = words[-1].lower()
        if head not in PERSON_ROLE_WORDS and head not in SPEAKER_NOUNS:
            return None
        return (np[0], np[1], np[2], [desc])

    def _antecedent(self, ss: int, k: int):
        """Subject for "who said"/"which said": the name before the relative pronoun."""
        text = self.text
        j = k
        while j > ss and text[j - 1] in " \t":
            j -= 1
        if j > ss and text[j - 1] == ",":
            r = self._subject_across_commas(ss, j - 1)
            if r is not None:
                return r
            if text.startswith("that", k):
                return None  # ", that said, …" is no relative clause
            j -= 1  # "The agency, which reported": the noun phrase before the comma
            r = self._participle_head(ss, j) or self._np_left(ss, j)
            if r is not None and _ACCORDING_NP.match(r[2]):
                return None  # "according to the agency, which reported": the "according to" cue's
            c = text.rfind(",", ss, r[0]) if r is not None else -1
            between = text[c + 1 : r[0]].split() if c >= 0 else ()
            if between and between[0].lower() in _APPOS_START:
                return None  # "Hassan Nowrozi, the vice-chairman of the … commission, who": not the commission
        else:
            r = self._np_left(ss, j)
        # "the Asheville Tea PAC, a local organization which said": the name before the description
        if r is not None and not any(is_cap(t) and norm_token(t) not in NON_NAMES for t in r[2].split()):
            b = r[0]
            while b > ss and text[b - 1] in " \t":
                b -= 1
            if b > ss and text[b - 1] == ",":
                r2 = self._np_left(ss, b - 1)
                if r2 is not None and any(is_cap(t) and norm_token(t) not in NON_NAMES for t in r2[2].split()):
                    return (r2[0], r2[1], r2[2], [r[2]] + r2[3])
        return r

    def _participle_head(self, ss: int, j: int):
        """"super PACs supporting presidential candidates, which": the noun phrase (a name or a speaker
        noun) before a participle modifier and its object, at most five words back."""
        words = list(_WORD_RE.finditer(self.text, max(ss, j - 80), j))[-6:]
        for w in reversed(words[1:-1]):  # the participle has an object ("The Senate hearing, which")
            t = w.group()
            if t in ",;:()“”\"—–[]":
                return None
            if t.islower() and t.endswith("ing") and t not in SPEAKER_NOUNS:
                r = self._np_left(ss, w.start())
                last = r[2].split()[-1] if r is not None else ""
                return r if is_cap(last) or last.lower() in SPEAKER_NOUNS else None
        return None

    def _coordinated_subject(self, ss: int, k: int):
        """"Josh Earnest condemned the attack and said …": the last name mentioned before."""
        ms = [m for m in name_mentions(self.text, ss, k) if m.kind in ("person", "organisation", "outlet")]
        if not ms:
            return None
        m = ms[0]
        return (m.start, m.end, self.text[m.start : m.end], [])

    def _participle_subject(self, ss: int, vs: int, se: int):
        """", saying …" / "while claiming …": the subject of the sentence's main clause."""
        text = self.text
        # a finite cue in the same sentence
        for m in CUE_RE.finditer(text, ss, se):
            if m.start() == vs or m.group().endswith("ing"):
                continue
            r = self._subject_left(ss, m.start())
            if r is not None and r[2].lower() not in ("who", "which"):
                return r
        # "data showing" / "figures showing": the sentence's opening noun phrase
        words = text[max(ss, vs - 30) : vs].split()
        if words and words[-1].lower() in DOC_NOUNS:
            m = _DOC_NP_RE.match(text[ss:vs])
            if m:
                return (ss + m.start(1), ss + m.end(1), m.group(1), [])
        ms = [m for m in name_mentions(text, ss, vs) if m.kind in ("person", "organisation", "outlet", "unknown")]
        if ms:
            m = ms[-1]
            return (m.start, m.end, text[m.start : m.end], [])
        return None

    def _subject_right(self, ve: int, se: int):
        """Inverted subject: '…,” said Lotfi Azzouz, Tunisia country director …'."""
        text = self.text
        j = ve
        while j > 0 and text[j - 1] != " " and j > ve - 20:
            j -= 1
        before = text[max(0, ve - 60) : ve - len(text[j:ve])].rstrip()
        if not before or before[-1] not in ",”\"—:’'" and not before.endswith(("Currently", "Today")):
            ss, _ = self.ix.sentence_span(ve)
            if text[ss:j].strip():
                return None
        r = self._np_right(ve, se)
        if r is None:
            return None
        a, b, np, appos = r
        first = np.split()[0].lower()
        if first in PRONOUNS or first in ("that", "it", "this", "there"):
            return None
        # "said Whole Foods was selling": a clause, not an inverted subject
        tail = text[b:se].split(None, 1)
        if tail and (tail[0].lower() in _FINITE or tail[0].lower() in _STRONG_SET):
            return None
        return r

    def _np_right(self, p: int, se: int, loose: bool = False):
        """Noun phrase starting at p (after skipping spaces); appositive after a comma is returned too."""
        text = self.text
        # the walk below reads at most 13 tokens (12, and one ahead): only those are made
        toks = [(m.start(), m.end(), m.group()) for m in islice(_WORD_RE.finditer(text, p, min(se, p + 200)), 13)]
        if not toks:
            return None
        i = 0
        first = toks[0][2]
        fl = first.lower()
        if not (is_cap(first) or fl in ("a", "an", "the", "one", "some", "two", "three", "several", "many", "most",
                                         "other", "another", "senior", "unnamed", "data", "people", "sources")
                or fl in SPEAKER_NOUNS or (loose and first.isalpha())):
            return None
        end_i = -1
        while i < len(toks) and i < 12:
            tok = toks[i][2]
            low = tok.lower()
            if tok in ",;:()“”\"—–[]" or (i and text[toks[i][0] - 2 : toks[i][0]] == "''"):
                break  # ('' opens a quotation, Penn Treebank style)
            if low in ("who", "which", "that", "whose", "and") and not (
                low == "and" and i + 1 < len(toks) and is_cap(toks[i + 1][2]) and is_cap(toks[i - 1][2])
            ):
                break
            if low.endswith("ing") and not is_cap(tok) and low not in SPEAKER_NOUNS:
                break
            if not is_cap(tok) and (low in _FINITE or low in _STRONG_SET):
                break
            if low in _NP_PREPS and not is_cap(tok):
                nxt = toks[i + 1][2] if i + 1 < len(toks) else ""
                if not nxt or nxt in ",;:()“”\"":
                    break
                # "a spokesperson for UCEA", "one GOP operative in the state", "data from California ISO"
                head = toks[end_i][2].lower() if end_i >= 0 else ""
                if not (head in SPEAKER_NOUNS or head in PERSON_ROLE_WORDS or is_cap(nxt)
                        or nxt.lower() in ("the", "a", "an")):
                    break
            end_i = i
            i += 1
        if end_i < 0:
            return None
        # drop trailing prepositions/articles
        while end_i > 0 and toks[end_i][2].lower() in _NP_PREPS | {"the", "a", "an", "and"}:
            end_i -= 1
        a, b = toks[0][0], toks[end_i][1]
        np = text[a:b].rstrip(".")
        b = a + len(np)
        appos: list[str] = []
        # appositive: ", Tunisia country director for Amnesty International, a London-based rights group"
        m = _APPOS_RIGHT.match(text[b:se])
        if m and len(m.group(1).split()) <= 16:
            seg = m.group(1).strip()
            first = seg.split()[0].lower() if seg else ""
            if first in _APPOS_START or first in ("of", "from", "at", "with", "chief", "president") or (
                seg[:1].isupper() and any(w.lower() in PERSON_ROLE_WORDS | {"director"} for w in seg.split())
            ) or (first.endswith("-based")):
                if first not in ("who", "which", "whose"):
                    appos.append(seg)
        return (a, b, np, appos)

    # ------------------------------------------------------------------ other cues

    def _according_analysis(self, cs: int, ce: int) -> tuple | None:
        """What an "according to" cue says by the text alone: None, or (source start, source end, source
        phrase, appositives, contents). A pure function of the text (see :meth:`prepare_page`)."""
        ss, se = self.ix.sentence_span(cs)
        r = self._np_right(ce, se, loose=True)
        if r is None:
            return None
        a, b, np, appos = r
        opener = not self.text[ss:cs].strip(" ,\"“").split() or self.text[ss:cs].strip().lower() in ("but", "and", "yet")
        if opener:
            appos = [x for x in appos if x.startswith("(")]
        tail_end = b
        if appos:
            k = self.text.find(appos[0], b, se + 1)
            if k >= 0:
                tail_end = k + len(appos[0])
        contents = [(ss, cs), (tail_end, se)]
        contents = [(x, y) for x, y in contents if y > x and self.text[x:y].strip(" ,.;”\"")]
        return a, b, np, tuple(appos), contents

    def _according_relation(self, cs: int, ce: int, an: tuple | None) -> Relation | None:
        """The relation of an "according to" cue from its :meth:`_according_analysis` ``an`` (used once)."""
        if an is None:
            return None
        a, b, np, appos, contents = an
        speaker = self._resolve(np, a, b, appos)
        if speaker is None:
            return None
        return Relation(cs, ce, a, b, contents, speaker, "according", 0.9, evidence=(cs, b))

    def _poll_relation(self, m: re.Match) -> Relation | None:
        ss, se = self.ix.sentence_span(m.start())
        a, b = m.start(1), m.end(1)
        np = m.group(1)
        if not any(is_cap(t) for t in np.split()) and not re.search(r"\b(?:national|new|latest|recent)\b", np):
            return None
        speaker = self._resolve(np, a, b, [])
        if speaker is None:
            return None
        contents = [(ss, m.start()), (m.end(), se)]
        contents = [(x, y) for x, y in contents if y > x]
        return Relation(m.start(), a, a, b, contents, speaker, "poll", 0.75, evidence=(m.start(), b))

    def _possessive_relation(self, m: re.Match) -> Relation | None:
        ss, se = self.ix.sentence_span(m.start())
        a, b = m.start(1), m.end(1)
        if norm_token(m.group(1).split()[0]) in NON_NAMES and len(m.group(1).split()) == 1:
            return None
        speaker = self._resolve(m.group(1), a, b, [])
        if speaker is None or speaker.kind == "place":
            return None
        if m.group().rstrip().endswith("that"):
            contents = [(m.end(), se)]
        else:
            contents = [(ss, a), (m.end(), se)]  # "the figure, the ministry's estimate, …"
        contents = [(x, y) for x, y in contents if y > x]
        if not contents:
            return None
        return Relation(m.start(2), m.end(2), a, b, contents, speaker, "according", 0.75, evidence=(a, m.end(2)))

    def _relay_relations(self, m: re.Match) -> list[Relation]:
        """"The outlet then reminds the claims of Hassan Nowrozi, …, who …": Nowrozi states, the outlet relays."""
        ss, se = self.ix.sentence_span(m.start())
        subj = self._subject_left(ss, m.start())
        emb = self._np_right(m.end(), se)
        if subj is None or emb is None:
            return []
        relay_speaker = self._resolve(subj[2], subj[0], subj[1], subj[3])
        a, b, np, appos = emb
        orig = self._resolve(np, a, b, appos)
        if relay_speaker is None or orig is None:
            return []
        end = se
        q = self.ix.quotes_in(m.end(), se)
        for qq in q:
            end = max(end, qq.end)
        content = [(b, end)]
        r1 = Relation(m.start(1), m.end(1), a, b, content, orig, "say", 0.8, evidence=(a, b))
        r2 = Relation(
            m.start(1), m.end(), subj[0], subj[1], content, relay_speaker, "relay", 0.8, relays=True,
            evidence=(subj[0], m.end()),
        )
        return [r2, r1]

    # ------------------------------------------------------------------ quotations

    def _quote_relation(self, q: Quote, rels: list[Relation], pi: int) -> Relation | None:
        text = self.text
        say = [r for r in rels if r.mode in ("say", "participle", "passive") and r.speaker.name is not None
               or r.mode == "say"]
        # a. cue right after the closing mark: "…,” Roydad 24 adds." / "…,” said Lotfi Azzouz"
        if q.close_mark is not None:
            cs, ce = self.ix.sentence_span(q.close_mark)
            best = None
            for r in say:
                left = min(r.cue_start, r.source_start if r.source_start is not None else r.cue_start)
                if q.close_mark < left <= ce and text[q.close_mark + 1 : left].strip(" ,\n\t") == "":
                    best = r
                    break
            if best is not None:
                return self._quote_rel_from(q, best, 0.95)
        # b. cue before the opening mark in the same sentence: "Royedad 24 wrote: “…"
        if q.open_mark is not None:
            os_, oe = self.ix.sentence_span(q.open_mark)
            before = [r for r in say if os_ <= r.cue_start < q.open_mark and r.mode != "passive"]
            if before:
                return self._quote_rel_from(q, before[-1], 0.9)
        # b1. a quotation opening a labelled turn: "Rep. Trey Gowdy (R-S.C.):"…""
        turn = rels[0] if rels and rels[0].mode in _LABEL_MODES else None
        if turn is not None and turn.mode == "label" and q.open_mark == turn.contents[0][0]:
            return self._turn_quote(q, turn)
        # b2. "Rep. Trey Gowdy (R-S.C.):“…”", "The Clinton campaign, in a Q&A, worded it carefully: “…”"
        if q.open_mark is not None:
            os_, oe = self.ix.sentence_span(q.open_mark)
            lead = text[os_ : q.open_mark].rstrip()
            if lead.endswith(":") and len(lead) < 300:
                sub = self._np_left(os_, os_ + len(lead) - 1) if re.search(r"[A-Z]", lead[:1]) else None
                ms = [mm for mm in name_mentions(text, os_, os_ + len(lead)) if mm.kind in ("person", "organisation",
                                                                                         "outlet", "unknown")]
                cand = None
                if sub is not None and sub[0] == os_ + (len(lead) - len(lead.lstrip())):
                    cand = sub  # the whole lead is the speaker's name
                elif ms:
                    mm = ms[0]
                    cand = (mm.start, mm.end, text[mm.start : mm.end], [])
                if cand is not None:
                    sp = self._resolve(cand[2], cand[0], cand[1], cand[3])
                    if sp is not None and sp.name is not None and sp.kind != "place":
                        r = Relation(q.open_mark, q.open_mark, cand[0], cand[1], [(q.start, q.end)], sp, "quote",
                                     0.75, evidence=(cand[0], os_ + len(lead)))
                        self._remember(r)
                        return r
        # c. a cue later in the sentence that closes the quotation
        if q.close_mark is not None:
            cs, ce = self.ix.sentence_span(q.close_mark)
            after = [r for r in say if q.close_mark < r.cue_start <= ce]
            if after:
                return self._quote_rel_from(q, after[0], 0.85)
        # d. a pull quote (a quotation standing alone as a paragraph) repeats a passage quoted elsewhere
        inner = text[q.start : q.end].strip()
        key = inner[:60].rstrip(",.")
        pa, pb = self.ix.para_span(pi)
        if len(key) >= 25 and (q.end - q.start) >= 0.8 * (pb - pa):
            lo, hi = max(0, q.start - 30000), q.end + 30000
            p = text.find(key, lo, hi)
            while p >= 0:
                if not (q.start <= p < q.end):
                    other = self.ix.quote_at(p, p + len(key))
                    if other is not None and other.start != q.start:
                        rel = self._quote_rel.get(other.start)
                        if rel is None and other.start > q.start:
                            opi = self.ix.para_index(other.start)
                            self.relations(opi)
                            rel = self._quote_rel.get(other.start)
                        if rel is not None and rel.speaker.name is not None:
                            return self._quote_rel_from(q, rel, 0.75, mode="continuation")
                p = text.find(key, p + 1, hi)
        # e. continuation of the previous speaker
        ps, pe = self.ix.para_span(pi)
        prev_in_para = [r for r in rels if r.mode in ("say", "quote", "continuation", *_LABEL_MODES)
                        and r.cue_start < q.start and r.speaker.name is not None]
        if prev_in_para:
            if prev_in_para[-1].mode in _LABEL_MODES:
                return self._turn_quote(q, prev_in_para[-1])  # a quotation without a cue: the turn's speaker's
            return self._quote_rel_from(q, prev_in_para[-1], 0.75, mode="continuation")
        lead = text[ps : (q.open_mark if q.open_mark is not None else q.start)].strip()
        prev_pi = self.ix.para_prev(pi) if not lead else None
        if prev_pi is not None:
            prev = self._last_speaker_of_para(prev_pi)
            if prev is not None:
                return self._quote_rel_from(q, prev, 0.7, mode="continuation")
        return None

    def _quote_rel_from(self, q: Quote, r: Relation, conf: float, mode: str = "quote") -> Relation:
        return Relation(
            r.cue_start, r.cue_end, r.source_start, r.source_end, [(q.start, q.end)], r.speaker, mode,
            min(conf, r.confidence + 0.1), evidence=r.evidence,
        )

    @staticmethod
    def _turn_quote(q: Quote, turn: Relation) -> Relation:
        return Relation(turn.cue_start, turn.cue_end, turn.source_start, turn.source_end, [(q.start, q.end)],
                        turn.speaker, turn.mode, turn.confidence, evidence=turn.evidence)

    # ------------------------------------------------------------------ speaker labels (transcripts)

    def _labels(self) -> tuple[list[int], dict[int, tuple], dict[int, int]]:
        """The speaker labels opening a paragraph, found once (one scan for colons): (their starts, sorted;
        start -> (colon, turn start, turn paragraph, _parse_label plan); turn paragraph -> label start).
        A label with a title, a timestamp or before a quotation mark counts by itself; one in capitals only
        in a transcript (at least two such labels: a lone "WASHINGTON:" is a dateline); a plain name
        ("Clinton:", "Chris Wallace:") only in a transcript too. A label alone on its line speaks the next
        line, or the next paragraph when it is a paragraph by itself. A turn must read like speech (end
        like a sentence or open a quotation): "VIDEO: The 20-second hand wash" is a link."""
        got = self._label_list
        if got is not None:
            return got
        text, ix = self.text, self.ix
        strong, weak = [], []
        for m in _LABEL_COLON.finditer(text):
            k = m.start()
            a = text.rfind("\n", max(0, k - 80), k) + 1
            if a == 0 and k > 80:
                continue
            while a < k and text[a] in " \t":
                a += 1
            if not text[a].isupper():
                continue
            plan = _parse_label(text[a:k])
            if plan is None or ix.para_index(a) != a:
                continue  # not a name, or a line inside a paragraph
            tp = a  # the paragraph of the turn
            pe = ix.para_span(a)[1]
            after = _LABEL_AFTER.match(text, k + 1)
            c = after.end()
            if c >= pe:  # "TRUMP:" as a paragraph by itself: the next paragraph is the turn
                tp = ix.para_next(a)
                if tp is None:
                    continue
                c, pe = ix.para_span(tp)
            quoted = text[c] in _QUOTE_OPEN
            if not quoted and text[pe - 1] not in _TURN_END:
                continue
            stamped = after.group(1) is not None
            (strong if quoted or stamped or plan[2] or plan[3] else weak).append((a, (k, c, tp, plan, stamped)))
        if len(strong) >= 2:
            labels = sorted(strong + weak)
        else:  # titled, stamped or quoted
            labels = [x for x in strong if x[1][3][3] or x[1][4] or text[x[1][1]] in _QUOTE_OPEN]
        at = {a: x[:4] for a, x in labels}
        labels = [a for a, _ in labels if at[a][2] == a or at[a][2] not in at]  # "TRUMP:" before "BIDEN: …"
        got = self._label_list = (labels, {a: at[a] for a in labels}, {at[a][2]: a for a in labels})
        return got

    def _label_rel(self, a: int) -> Relation | None:
        """The relation of the label starting at ``a``: the labelled speaker states the turn's text."""
        if a in self._label_rels:
            return self._label_rels[a]
        k, c, tp, (np, paren, upper, titled, single, role) = self._labels()[1][a]
        src_end = k
        while src_end > a and self.text[src_end - 1] in " \t":
            src_end -= 1
        if role is not None:  # "MODERATOR", "The President": the role names the speaker
            sp = Speaker(np, role, paren, ())
        else:
            sp = self._resolve(np, a, src_end, [paren] if paren else [])
        r = None
        if sp is not None and sp.name is not None and sp.kind != "place":
            if sp.kind not in ("person", "organisation", "outlet", "anonymous"):
                sp = Speaker(sp.name, "person", sp.affiliation, sp.aliases)
            r = Relation(k, k + 1, a, src_end, [(c, self.ix.para_span(tp)[1])], sp, "label", 0.8,
                         evidence=(a, k + 1))
        self._label_rels[a] = r
        return r

    def _turn_relation(self, pi: int) -> Relation | None:
        """The label whose turn is paragraph ``pi``, or in a transcript the turn of the last label continuing
        over this paragraph: only between two labels, at most 12 paragraphs apart, with nothing between them
        that is not speech (a heading, a list item, a "Source:" line)."""
        starts, at, heads = self._labels()
        if not starts:
            return None
        if pi in heads:
            return self._label_rel(heads[pi])
        if len(starts) < 2 or pi in at:
            return None  # one label, or a label line of its own ("TRUMP:")
        i = bisect.bisect_left(starts, pi)
        if i == 0 or i == len(starts):
            return None
        first = starts[i - 1]
        ok = self._turn_ok.get(first)
        if ok is None:
            ok = self._turn_ok[first] = self._turn_continues(first, starts[i])
        lab = self._label_rel(first) if ok else None
        if lab is None:
            return None
        ps, pe = self.ix.para_span(pi)
        return Relation(lab.cue_start, lab.cue_end, lab.source_start, lab.source_end, [(ps, pe)], lab.speaker,
                        "label-turn", 0.65, evidence=lab.evidence)

    def _turn_continues(self, first: int, nxt: int) -> bool:
        text = self.text
        j = self.ix.para_next(first)
        steps = 0
        while j is not None and j < nxt:
            steps += 1
            a, b = self.ix.para_span(j)
            if steps > 12 or text[b - 1] not in _TURN_END or _BULLET_RE.match(text, a) or SOURCE_LINE_RE.match(
                    text[a:b]):
                return False
            j = self.ix.para_next(j)
        return j == nxt

    def _last_speaker_of_para(self, pi: int) -> Relation | None:
        """The relation speaking at the end of paragraph pi (for a quotation that opens the next one)."""
        rels = self.relations(pi)
        ps, pe = self.ix.para_span(pi)
        sents = self.ix.sentences_in(ps, pe)
        if not sents:
            return None
        ls, le = sents[-1]
        cands = [r for r in rels if r.mode in ("say", "quote", "continuation") and r.speaker.name is not None
                 and any(b >= le - 2 for a, b in r.contents) or (r.mode in ("say",) and r.cue_start >= ls)]
        cands = [r for r in cands if r.speaker.name is not None]
        if not cands:
            return None
        return max(cands, key=lambda r: r.cue_start)

    def _colon_list(self, pi: int, rels: list[Relation]) -> None:
        """"President Obama also said:" followed by a bulleted list."""
        text = self.text
        ps, pe = self.ix.para_span(pi)
        if not text[ps:pe].rstrip().endswith(":"):
            return
        say = [r for r in rels if r.mode == "say" and r.cue_start > pe - 60]
        if not say:
            return
        r = say[-1]
        j = self.ix.para_next(pi)
        while j is not None:
            a, b = self.ix.para_span(j)
            if not _LIST_ITEM.match(text[a : a + 4]):
                break
            r.contents.append((a, b))
            j = self.ix.para_next(j)

    # ------------------------------------------------------------------ mentions and coreference

    def _name_spans(self, j: int) -> list[tuple[int, int]]:
        got = self._spans_cache.get(j)
        if got is None:
            ps, pe = self.ix.para_span(j)
            got = self._spans_cache[j] = [m.span() for m in NAME_RE.finditer(self.text, ps, pe)]
        return got

    def _mentions_in(self, a: int, b: int) -> list[Mention]:
        got = self._mention_cache.get(a)
        if got is None:
            got = self._mention_cache[a] = sequence_mentions(self.text, a, b)  # (a, b): a NAME_RE match
            for m in got:
                self._learn(m)
        return got

    def _learn(self, m: Mention) -> _Entity:
        norm = normalize_name(m.name)
        ent = self._by_norm.get(norm)
        toks = tuple(norm.split())
        if ent is None and len(toks) <= 2 and m.kind in ("person", "unknown", "organisation"):
            ent = self._surname_tokens(toks)
        m.entity = ent
        if ent is None:
            ent = _Entity(m.name, m.kind, m.title or None, set(), toks)
            m.entity = ent
            self._by_norm[norm] = ent
            if m.kind == "person" or len(toks) > 1:
                for t in toks[1:] if m.kind == "person" else ():
                    self._by_token.setdefault(t, []).append(ent)
                if m.kind == "person" and toks:
                    self._by_token.setdefault(toks[0], []).append(ent)
        elif m.title and not ent.affiliation:
            ent.affiliation = m.title
        if m.kind in ("organisation", "outlet") and ent.kind in ("unknown", "place", "person") and len(toks) > 1:
            ent.kind = m.kind
        # acronym in parentheses right after: "(PMOI/MEK)", "(UCEA)"
        after = self.text[m.end : m.end + 24]
        pm = _ACRONYM_AFTER.match(after)
        if pm and m.kind != "person":
            for al in _ALIAS_SPLIT.split(pm.group(1)):
                al = al.strip()
                if al:
                    ent.aliases.add(al)
                    self._by_norm.setdefault(normalize_name(al), ent)
        return ent

    def _search_back(self, raw: str, pos: int) -> None:
        """Register the earlier full form of a surname ("Hajian" -> "Mehdi Hajian") or of an acronym
        ("MEK" -> "The People’s Mojahedin of Iran (PMOI/MEK)") with targeted searches back in the text."""
        done = self._searched.get(raw, -1)
        if done >= pos:
            return
        self._searched[raw] = pos
        text = self.text
        k = pos
        lo = max(0, pos - 120_000, done - len(raw))  # text before `done` was searched already
        for _ in range(6):
            k = text.rfind(raw, lo, k)
            if k < 0:
                return
            after = text[k + len(raw) : k + len(raw) + 1]
            if after.isalnum():
                continue
            if raw.isupper() and text[k - 1 : k] in "(/" and after in ")/":
                op = text.rfind("(", max(0, k - 30), k + 1)
                for m in name_mentions(text, max(0, op - 120), op):
                    if m.end >= op - 2:
                        self._learn(m)
                        return
                continue
            before = text[max(0, k - 60) : k]
            if before[-1:] in (" ", "\u00a0") and before.rstrip()[-1:].isalpha() and before.rstrip()[-1:].isupper() \
                    or re.search(r"[A-Z][\w'’.-]*\s$", before):
                for m in name_mentions(text, max(0, k - 60), k + len(raw)):
                    if m.start < k < m.end + 1 and len(m.name.split()) >= 2 and m.kind == "person":
                        self._learn(m)
                        return

    def _surname_tokens(self, toks: tuple[str, ...]) -> _Entity | None:
        """A person introduced earlier whose name ends with these tokens ("al hams" -> "marwan al hams")."""
        if not toks:
            return None
        cands = self._by_token.get(toks[-1]) or []
        people = [e for e in cands if e.kind == "person" and len(e.tokens) > len(toks) and e.tokens[-len(toks):] == toks]
        if people:
            return people[-1]
        if len(toks) == 1:
            return self._surname(toks[0], 0)
        return None

    def _surname(self, tok: str, before: int) -> _Entity | None:
        cands = self._by_token.get(tok)
        if not cands:
            return None
        people = [e for e in cands if e.kind == "person" and len(e.tokens) > 1]
        if not people:
            return None
        # prefer a last-name match, then the most recent
        last = [e for e in people if e.tokens[-1] == tok]
        return (last or people)[-1]

    def _remember(self, r: Relation) -> None:
        if r.source_start is None:
            return
        key = r.source_start * self._span_base + r.cue_start  # (source start, cue start) as one number
        if key in self._remembered:
            return
        self._remembered.add(key)
        words = self.text[r.source_start : r.source_end].split()
        head = words[-1].lower() if words else None
        seen = (r.source_start, r.speaker, head)  # one tuple in both lists (never changed)
        self._speakers_seen.append(seen)
        self._seen_by_para.setdefault(self.ix.para_index(r.source_start), []).append(seen)

    def _items_before(self, j: int) -> list[tuple]:
        """The name-like spans and the speakers of paragraph ``j``, last first (ties: spans first):
        [(position, "span", (start, end)) or (position, "speaker", speaker)]. Look-ups come in runs over
        the same few paragraphs, so the lists of the last ones are kept (a paragraph's speakers only grow:
        a list is made again when there are more)."""
        seen = self._seen_by_para.get(j, ())
        got = self._items_cache.get(j)
        if got is not None and got[0] == len(seen):
            return got[1]
        items = [(a, "span", (a, b)) for a, b in self._name_spans(j)]
        items += [(p, "speaker", sp) for p, sp, head in seen]
        items.sort(key=lambda x: -x[0])
        if len(self._items_cache) >= 16:
            self._items_cache.clear()
        self._items_cache[j] = (len(seen), items)
        return items

    def _mentions_before(self, pos: int, back: int = 2500):
        """Mentions and speakers before pos, most recent first, paragraph by paragraph (a generator:
        callers stop at the first that fits, so most look-ups read one or two paragraphs)."""
        pi = self.ix.para_index(pos)
        j = pi
        lo = pos - back
        steps = 0
        while j is not None:
            ps, pe = self.ix.para_span(j)
            if pe < lo:
                break
            if 0 < steps <= 2:
                self.relations(j)  # speakers of the paragraphs just before
            # name-like spans are cheap to find; a Mention is only built for those the caller reaches
            for p, what, obj in self._items_before(j):
                if p >= pos:
                    continue
                if what == "span":
                    for m in reversed(self._mentions_in(*obj)):
                        if m.start < pos:
                            yield (m.start, "mention", m)
                else:
                    yield (p, what, obj)
            j = self.ix.para_prev(j)
            steps += 1

    def _resolve(self, np: str, s: int, e: int, appos: list[str]) -> Speaker | None:
        """Speaker for a source noun phrase as written (the text analysis is :func:`_resolve_plan`,
        cached; what depends on the document read so far is done here)."""
        if not _has_letter(np):
            return None  # "92 (72%) reported …": a count of studies or people, not who states anything
        if self._initial_modifier(np, s):
            kind = "outlet" if OUTLET_CONTEXT.search(np) else guess_kind(np.lower())
            return Speaker(np, kind, None, ())
        plan = _resolve_plan(np, tuple(appos))
        what = plan[0]
        if what == "name":
            _, np, raw, titled, affiliation, ctx, aliases = plan
            canon, al = self._canonical(raw, s, title=titled)
            if not _has_letter(canon):
                return None
            kind = self._kind_of(canon, raw, ctx, titled)
            if aliases:
                al = tuple(sorted(set(al) | set(aliases)))
                ent = self._by_norm.get(normalize_name(canon))
                if ent is not None:
                    for a_ in aliases:
                        ent.aliases.add(a_)
                        self._by_norm.setdefault(normalize_name(a_), ent)
            if kind == "person" and affiliation is None:
                ent = self._by_norm.get(normalize_name(canon))
                if ent is not None and ent.affiliation:
                    affiliation = ent.affiliation
            return Speaker(canon, kind, affiliation, al)
        if what == "fixed":
            return Speaker(*plan[1])
        if what == "definite":
            _, np, head, definite, cataphora, fallback = plan
            if definite:
                sp = self._resolve_definite(head, s, np)
                if sp is not None:
                    return sp
            if cataphora:
                sp = self._cataphora(head, e)
                if sp is not None:
                    return sp
            return None if fallback is None else Speaker(*fallback)
        if what == "pronoun":
            return self._resolve_pronoun(plan[1], s)
        if what == "spokesperson":
            _, org, aliases = plan
            org_ent = self._canonical(org, s)
            return Speaker(org_ent[0], "organisation", "spokesperson", tuple(aliases) or org_ent[1])
        if what == "spokesperson-of":
            org_ent = self._canonical(plan[1], s)
            return Speaker(org_ent[0], "organisation", "spokesperson", org_ent[1])
        if what == "document-by":
            _, org, aff = plan
            name, al = self._canonical(org, s)
            return Speaker(name, guess_kind(name, ""), aff, al)
        return None

    def _initial_modifier(self, np: str, s: int) -> bool:
        """"Local media", "Foreign diplomats" as a sentence's first words: the capital is the sentence's,
        the word a common one (known, or written in lowercase elsewhere), so the phrase is not a name."""
        toks = np.split()
        if len(toks) < 2 or not toks[0][:1].isupper() or toks[0].isupper() or toks[-1] not in SPEAKER_NOUNS:
            return False
        if not all(t.isalpha() and t.islower() and t not in NON_NAMES and t not in _NP_PREPS for t in toks[1:]):
            return False
        if self.text[self.ix.sentence_span(s)[0] : s].strip(_OPENERS):
            return False
        low = toks[0].lower()
        if low in NON_NAMES or low in _NP_DETS:
            return False  # "The agency", "Some officials": determiners, read as before
        return low in _COMMON_MODIFIERS or re.search(r"\b" + re.escape(low) + r"\b", self.text) is not None

    def _kind_of(self, canon: str, raw: str, ctx: str, titled: bool) -> str:
        ent = self._by_norm.get(normalize_name(canon))
        if titled:
            return "person"
        k = guess_kind(raw, ctx)
        if ent is not None and ent.kind in ("person", "organisation", "outlet") and k not in ("outlet",):
            if ent.kind == "person" and k == "organisation" and len(raw.split()) == 1 and raw.isupper():
                return k
            return ent.kind
        return k

    def _canonical(self, raw: str, pos: int, title: bool = False) -> tuple[str, tuple[str, ...]]:
        """Full name for a surname, acronym or alias mentioned earlier; else the name as written."""
        norm = normalize_name(raw)
        ent = self._by_norm.get(norm)
        toks0 = tuple(norm.split())
        if ent is None and len(raw.split()) == 1 and self._surname_tokens(toks0) is None:
            self._search_back(raw, pos)
            ent = self._by_norm.get(norm)
        if ent is not None and normalize_name(ent.name) != norm:
            if norm in {normalize_name(a) for a in ent.aliases} or len(norm.split()) < len(ent.tokens):
                return ent.name, tuple(sorted(ent.aliases | {raw}))
        toks = tuple(norm.split())
        if ent is None and len(toks) <= 2:
            e2 = self._surname_tokens(toks)
            if e2 is not None:
                return e2.name, tuple(sorted(e2.aliases | {raw}))
        if ent is not None:
            return ent.name, tuple(sorted(ent.aliases))
        return raw, ()

    def _resolve_pronoun(self, pron: str, pos: int) -> Speaker | None:
        kind = PRONOUNS[pron]
        if kind == "plural" and self.ix.quote_at(pos) is not None:
            return Speaker(pron, "anonymous")  # "they're saying" inside a quotation: unnamed others
        # first person inside a quotation: the quotation's speaker (resolved by the caller); outside: the author
        if kind == "first":
            if self.ix.quote_at(pos) is not None:
                return Speaker("\u0000quote-speaker", "person")
            return Speaker(None, "document")
        back = 1800 if kind == "person" else 700  # "they"/"it": a group or organisation named just before
        for p, what, obj in self._mentions_before(pos, back=back):
            if what == "speaker":
                sp: Speaker = obj
                if sp.name is None or sp.name.startswith("\u0000"):
                    continue
                if kind == "person" and sp.kind in ("person",):
                    return Speaker(sp.name, sp.kind, sp.affiliation, sp.aliases)
                if kind == "person" and sp.kind == "organisation" and sp.affiliation == "spokesperson":
                    return Speaker(sp.name, sp.kind, sp.affiliation, sp.aliases)
                if kind == "person" and sp.kind == "anonymous" and not sp.name.endswith("s"):
                    return Speaker(sp.name, sp.kind, sp.affiliation, sp.aliases)
                if kind == "plural" and (sp.kind == "anonymous" and sp.name.endswith("s")
                                         or sp.kind == "organisation" and sp.affiliation != "spokesperson"):
                    return Speaker(sp.name, sp.kind, sp.affiliation, sp.aliases)
                if kind == "thing" and sp.kind in ("organisation", "outlet"):
                    return Speaker(sp.name, sp.kind, sp.affiliation, sp.aliases)
            else:
                m: Mention = obj
                ent = m.entity or self._by_norm.get(normalize_name(m.name))
                if kind == "person" and len(m.name.split()) == 1 and (ent is None or ent.kind != "person"):
                    # a lone surname: link it to an earlier full name ("Al-Hams" -> "Marwan Al-Hams")
                    self._search_back(m.name, m.start)
                    ent2 = self._surname_tokens(tuple(normalize_name(m.name).split()))
                    if ent2 is not None:
                        m.entity = ent = ent2
                mk = ent.kind if ent is not None else m.kind
                if kind == "person" and mk == "person":
                    name = ent.name if ent is not None else m.name
                    return Speaker(name, "person", ent.affiliation if ent else (m.title or None),
                                   tuple(sorted(ent.aliases)) if ent else ())
                if kind == "thing" and mk in ("organisation", "outlet"):
                    return Speaker(ent.name if ent else m.name, mk, None, ())
        if kind == "plural":
            return Speaker(pron, "anonymous")
        return None

    def _source_line_near(self, pe: int) -> bool:
        """Is there a "Source: …" line within 1500 characters after pe? (one scan of the text, then bisection)"""
        if self._source_lines is None:
            self._source_lines = [m.start() for m in _SOURCE_HINT.finditer(self.text)]
        i = bisect.bisect_left(self._source_lines, pe)
        return i < len(self._source_lines) and self._source_lines[i] < pe + 1500

    def _list_like(self, pi: int) -> bool:
        """A list item or table row: a bullet, or a short line without a full stop."""
        a, b = self.ix.para_span(pi)
        if _BULLET_RE.match(self.text, a):
            return True
        line = self.text[a:b].rstrip()
        return len(line) < 120 and not line.endswith((".", "?", "!", ":", "”", '"')) and not SOURCE_LINE_RE.match(line)

    def _source_line(self, pi: int) -> Relation | None:
        """A "Source: CDC, Chicago Department of Public Health" line under a list, table or chart."""
        text = self.text
        j = self.ix.para_next(pi)
        steps = 0
        while j is not None and steps < 12:
            a, b = self.ix.para_span(j)
            steps += 1
            if self._list_like(j):
                j = self.ix.para_next(j)
                continue
            m = SOURCE_LINE_RE.match(text, a, b)
            if not m or b - a > 240:
                return None
            names = [x.strip() for x in re.split(r"[;,]|\band\b", m.group(1)) if x.strip()]
            if not names:
                return None
            ps, pe = self.ix.para_span(pi)
            sp = self._resolve(names[0], m.start(1), m.start(1) + len(names[0]), [])
            if sp is None:
                return None
            return Relation(a, m.end(1), m.start(1), m.start(1) + len(names[0]), [(ps, pe)], sp, "source-line", 0.8,
                            evidence=(a, b))
        return None

    def _resolve_definite(self, head: str, pos: int, np: str) -> Speaker | None:
        """"the outlet" -> last outlet, "the president" -> last person titled president, "the report" -> its author."""
        if head in ("outlet", "agency", "website", "newspaper", "paper", "broadcaster", "channel", "site", "daily",
                    "media"):
            want = "outlet"
        elif head in PERSON_ROLE_WORDS or head in ("congressman", "man", "woman", "doctor"):
            want = "person"
        elif head in DOC_NOUNS:
            for p, sp, h in reversed(self._speakers_seen):
                if p < pos and h and h.rstrip("s") == head.rstrip("s") and sp.name and sp.kind != "anonymous":
                    return Speaker(sp.name, sp.kind, sp.affiliation, sp.aliases)
            # "The report by the University and College Union" said earlier without a cue
            m = None
            lo = max(0, pos - 20000)
            rx = re.compile(r"[Tt]he\s+" + re.escape(head) + r"\s+(?:by|from|of)\s+(?:the\s+)?"
                            r"((?:[A-Z][\w’'-]*\s*(?:and\s+|of\s+|&\s+)?)+)")
            k = pos
            for _ in range(8):
                k = self.text.rfind(head, lo, k)
                if k < 4:
                    break
                m = rx.match(self.text, k - 4)
                if m is not None:
                    break
            if m is not None:
                name, al = self._canonical(m.group(1).strip(), m.start(1))
                return Speaker(name, "organisation", None, al)
            return None
        elif head in ORG_WORDS or head in ("company", "firm", "group", "organization", "organisation", "government",
                                           "ministry", "union", "party", "operator", "office"):
            want = "organisation"
        else:
            return None
        for p, what, obj in self._mentions_before(pos, back=2000):
            if what == "speaker":
                sp = obj
                if sp.name and not sp.name.startswith("\u0000") and sp.kind == want:
                    if want == "person" and head in PERSON_ROLE_WORDS and head not in (sp.affiliation or "").lower():
                        continue
                    return Speaker(sp.name, sp.kind, sp.affiliation, sp.aliases)
            else:
                m = obj
                ent = m.entity or self._by_norm.get(normalize_name(m.name))
                mk = ent.kind if ent is not None else m.kind
                if mk != want:
                    continue
                if want == "person" and head not in (m.title or "").lower() and head not in (
                        (ent.affiliation or "") if ent else "").lower():
                    continue
                if want == "organisation" and head not in ("company", "firm", "group", "organization",
                                                           "organisation") and head not in m.name.lower():
                    continue
                name = ent.name if ent else m.name
                return Speaker(name, mk, ent.affiliation if ent else None, tuple(sorted(ent.aliases)) if ent else ())
        return None

    def _cataphora(self, head: str, pos: int) -> Speaker | None:
        """"…, says a report …. The report by the University and College Union claims …"."""
        ps = self.ix.para_index(pos)
        nxt = self.ix.para_next(ps)
        end = self.ix.para_span(nxt if nxt is not None else ps)[1]
        m = re.search(r"\b[Tt]he\s+" + re.escape(head) + r"\s+(?:by|from|of)\s+(?:the\s+)?"
                      r"((?:[A-Z][\w’'-]*\s*(?:and\s+|of\s+|&\s+)?)+)", self.text[pos:end])
        if not m:
            return None
        name = m.group(1).strip()
        return Speaker(name, guess_kind(name, ""), None, ())

    # ------------------------------------------------------------------ per figure

    def candidates(self, s: int, e: int, confirm: list[SpeakerCandidate] | None = None) -> list[SpeakerCandidate]:
        pi = self.ix.para_index(s)
        rels = self.relations(pi)
        view = self._view(pi, rels)
        # a figure inside a source's own description ("the nonprofit entity that controls … 80 percent …")
        inside_source = False
        for a, b in view[1]:
            if a <= s and e <= b:
                inside_source = True
                break
        mid = (s + e) / 2
        holding = []  # the relations covering the figure, by (size, -cue_start) (see _view)
        for r, contents, src_a, src_b, quotelike in view[2]:
            for a, b in contents:
                if a <= mid < b or (a <= s and e <= b):
                    break
            else:
                continue
            if src_a is not None and src_a <= s < src_b:
                continue
            if inside_source and not quotelike:
                continue
            holding.append(r)
        out: list[SpeakerCandidate] = []
        if holding:
            inner = holding[0]
            # an explicit relay cue never "states"
            if inner.relays:
                stating = [r for r in holding if not r.relays]
                if stating:
                    inner = stating[0]
            inner_sp = self._final_speaker(inner, s)
            last = self._cand_last  # the figures of a sentence mostly share their innermost relation
            if last[0] is not inner or last[1] is not inner_sp:
                last = self._cand_last = (inner, inner_sp, self._cand_fields(inner, inner_sp, inner.role))
            out.append(SpeakerCandidate(*last[2]))
            if len(holding) > 1:
                seen = {normalize_name(inner_sp.name or "")}
                inner_left = inner.source_start if inner.source_start is not None else inner.cue_start
            for r in holding[1:]:
                sp = self._final_speaker(r, s)
                key = normalize_name(sp.name or "")
                if key in seen or sp.name is None:
                    continue
                if r.relays or (r.mode in ("quote", "continuation", *_LABEL_MODES) and self._contains_cue(r, inner)) or (
                    r.mode in ("say",) and self._near_start(r, inner_left)
                ):
                    if inner.mode in ("quote", "continuation") and r.mode in ("quote", "continuation"):
                        continue
                    out.append(self._cand(r, sp, "relays"))
                    seen.add(key)
            if out[0].role == "disputes":
                out.insert(0, SpeakerCandidate(None, "document", "states", None, None, None, 0.3, "disputed claim"))
        else:
            carried = None if inside_source else self._carry_over(s, e, pi, rels)
            if carried is not None:
                out.append(carried)
                out.append(SpeakerCandidate(None, "document", "states", None, None, None, 0.3, "no cue"))
            else:
                out.append(SpeakerCandidate(None, "document", "states", None, None, None, 0.6, "no cue"))
        if confirm:
            out.extend(confirm)
        return out

    def _view(self, pi: int, rels: list[Relation]) -> tuple:
        """What :meth:`candidates` needs of a paragraph's relations, computed once per relations list:
        (rels, spans that make a figure part of a source's own description (the source, an appositive
        holding the speaker's affiliation), [(relation, contents, source start, source end, is a
        quotation)] sorted by (size, -cue_start) (stable, so any subset keeps that order))."""
        got = self._views.get(pi)
        if got is not None and got[0] is rels:
            return got
        text = self.text
        enclosing = []
        for r in rels:
            if r.source_start is not None:
                enclosing.append((r.source_start, r.source_end))
        for r in rels:
            # the speaker's affiliation written right after the source ("Mehdi Hajian, the spokesman of …")
            if r.source_end is None or r.speaker.affiliation is None:
                continue
            aff = r.speaker.affiliation
            k = text.find(aff, r.source_end, r.source_end + len(aff) + 8)
            if k >= 0:
                enclosing.append((k, k + len(aff)))
        order = sorted(rels, key=_size_key) if len(rels) > 1 else rels
        ordered = [(r, r.contents, r.source_start, r.source_end, r.mode in ("quote", "continuation", *_LABEL_MODES))
                   for r in order]
        got = self._views[pi] = (rels, enclosing, ordered)
        return got

    def _contains_cue(self, outer: Relation, inner: Relation) -> bool:
        left = inner.source_start if inner.source_start is not None else inner.cue_start
        return any(a <= left < b for a, b in outer.contents) and inner is not outer

    def _near_start(self, outer: Relation, left: int) -> bool:
        for a, b in outer.contents:
            if a <= left < b:
                head = self.text[a:left]
                head = _LEADING_THAT.sub("", head)
                return len(head.split()) <= 4
        return False

    def _final_speaker(self, r: Relation, pos: int) -> Speaker:
        sp = r.speaker
        if sp.name == "\u0000quote-speaker":
            q = self.ix.quote_at(r.cue_start)
            if q is not None:
                qr = self._quote_rel.get(q.start)
                if qr is not None and qr.speaker.name != "\u0000quote-speaker":
                    return qr.speaker
            return Speaker(None, "document")
        return sp

    def _cand(self, r: Relation, sp: Speaker, role: str) -> SpeakerCandidate:
        return SpeakerCandidate(*self._cand_fields(r, sp, role))

    @staticmethod
    def _cand_fields(r: Relation, sp: Speaker, role: str) -> tuple:
        rule = _RULES.get(r.mode, r.mode)
        kind = sp.kind if sp.name is not None else "document"
        if kind not in ("person", "organisation", "outlet", "anonymous", "document"):
            kind = guess_kind(sp.name or "", "")
        conf = r.confidence if role != "relays" else min(r.confidence, 0.8)
        return (sp.name, kind, role, r.evidence[0], r.evidence[1], sp.affiliation, round(conf, 2), rule)

    def _carry_over(self, s: int, e: int, pi: int, rels: list[Relation]) -> SpeakerCandidate | None:
        """A sentence without a cue right after a "said" sentence of the same paragraph."""
        if not any(r.mode in ("say", "participle") and r.cue_start < s for r in rels):
            return None
        # the answer reads only the sentences before the figure's, so it is the same for every figure of a
        # sentence: figures come in runs, the last sentence's answer is kept (a new candidate each time)
        ss = self.ix.sentence_span(s)[0]
        last = self._carry_last
        if last[0] is not rels or last[1] != ss:
            last = self._carry_last = (rels, ss, self._carry_over_fields(ss, pi, rels))
        return None if last[2] is None else SpeakerCandidate(*last[2])

    def _carry_over_fields(self, ss: int, pi: int, rels: list[Relation]) -> tuple | None:
        """:meth:`_carry_over` for the sentence starting at ``ss``: the candidate's fields, or None."""
        if _NO_CARRY_START.match(self.text, ss):
            return None
        sents = self._last_sentences_before(pi, ss)
        if not sents:
            return None
        for back in (1, 2):
            if len(sents) < back:
                break
            a, b = sents[-back]
            if back == 2 and _NO_CARRY_START.match(self.text, sents[-1][0]):
                return None
            sent_rels = [r for r in rels if any(x < b and y > a for x, y in r.contents) and a <= r.cue_start < b]
            if not sent_rels:
                if back == 1:
                    continue
                break
            r = sent_rels[-1]
            if r.mode not in ("say", "participle") or r.speaker.name is None or r.role != "states":
                return None
            verb = self.text[r.cue_start : r.cue_end]
            if verb not in _SPEECH_VERBS and not (back == 1 and _ADDITIVE_START.match(self.text, ss)):
                return None
            sp = self._final_speaker(r, ss)
            if sp.name is None:
                return None
            kind = sp.kind if sp.kind in ("person", "organisation", "outlet", "anonymous") else "anonymous"
            return (sp.name, kind, "states", r.evidence[0], r.evidence[1], sp.affiliation, 0.5,
                    "carried over from the previous sentence")
        return None

    def _last_sentences_before(self, pi: int, ss: int) -> list[tuple[int, int]]:
        """The last two of ``ix.sentences_in(paragraph start, ss)`` (``ss`` a sentence start in paragraph
        ``pi``): the sentences before ``ss``, cut at it, without trailing spaces; empty ones skipped."""
        text = self.text
        starts = self.ix._sentences_of(pi)
        pe = self.ix._pend[pi]
        k = bisect.bisect_left(starts, ss) - 1
        out: list[tuple[int, int]] = []
        while k >= 0 and len(out) < 2:
            s = starts[k]
            e = starts[k + 1] if k + 1 < len(starts) else pe
            if e > ss:
                e = ss
            while e > s and text[e - 1] in " \t\n":
                e -= 1
            if e > s:
                out.append((s, e))
            k -= 1
        out.reverse()
        return out

    # ------------------------------------------------------------------ confirms / disputes

    def confirmations(self, spans: list[tuple[int, int]]) -> dict[int, list[SpeakerCandidate]]:
        """"This number was later confirmed by Reuters": extra candidates for the figures it points back to."""
        text = self.text
        out: dict[int, list[SpeakerCandidate]] = {}
        if not spans:
            return out
        # only paragraphs holding figures (and the one after each) can point back at them
        cand = set()
        last = None
        for a, _ in spans:
            k = self.ix.para_index(a)
            if k == last:
                continue  # figures come in runs from one paragraph
            last = k
            cand.add(k)
            nk = self.ix.para_next(k)
            if nk is not None:
                cand.add(nk)
        if self._confirm_at is None:  # where confirmation words occur: one scan of the text
            self._confirm_at = [(m.start(), m.end()) for m in _CONFIRM_HINT.finditer(text)]
        hits = self._confirm_at
        paras = []
        for k in sorted(cand):
            pe = self.ix.para_span(k)[1]
            i = bisect.bisect_left(hits, (k, -1))
            if i < len(hits) and hits[i][1] <= pe:
                paras.append(k)  # a confirmation word in the paragraph (never across its end: spaces follow)
        for pi in paras:
            ps, pe = self.ix.para_span(pi)
            for rx, passive in ((CONFIRM_PASSIVE_RE, True), (CONFIRM_ACTIVE_RE, False)):
                for m in rx.finditer(text, ps, pe):
                    ss, se = self.ix.sentence_span(m.start())
                    if passive:
                        np = self._np_right(m.end(), se)
                    else:
                        np = self._subject_left(ss, m.start())
                    if np is None:
                        continue
                    sp = self._resolve(np[2], np[0], np[1], np[3])
                    if sp is None or sp.name is None:
                        continue
                    verb = m.group(1)
                    role = "confirms" if verb in _CONFIRM_WORDS else "disputes"
                    targets = [i for i, (a, b) in enumerate(spans) if ss <= a < m.start()]
                    if not targets:
                        prev = [i for i, (a, b) in enumerate(spans) if a < ss and self.ix.para_index(a) in (
                            pi, self.ix.para_prev(pi))]
                        if prev:
                            last_sent = self.ix.sentence_span(spans[prev[-1]][0])
                            targets = [i for i in prev if self.ix.sentence_span(spans[i][0]) == last_sent]
                    ev = (m.start(1), np[1]) if passive else (np[0], m.end(1))
                    for i in targets:
                        out.setdefault(i, []).append(
                            SpeakerCandidate(sp.name, sp.kind if sp.kind != "unknown" else "organisation", role,
                                             ev[0], ev[1], sp.affiliation, 0.7, "confirmation" if role == "confirms"
                                             else "dispute"))
        return out


# --------------------------------------------------------------------------- public functions


_LAST: list = [None, None]  # the last text object attributed and its engine


def _has_letter(s: str) -> bool:
    if s[:1].isalpha():
        return True  # the common case, without a generator
    return any(ch.isalpha() for ch in s)


def attribute(text: str, spans: list[tuple[int, int]]) -> list[list[SpeakerCandidate]]:
    """For each figure span (code points), the ordered speaker candidates: the original speaker first
    ("states"), then those who relay it, then confirmations/disputes. Never empty: with no cue the first
    candidate is the document's own voice (name None).

    Calling it page by page with the *same* full text object (and offsets into it) reuses the reading
    of the text, so speakers introduced on earlier pages are still found."""
    eng = _engine(text)
    eng.add_focus(spans)
    extra = eng.confirmations(spans)
    return [eng.candidates(s, e, extra.get(i)) for i, (s, e) in enumerate(spans)]


def _engine(text: str) -> AttributionEngine:
    """The engine that :func:`attribute` uses for this text object (made on first use)."""
    if _LAST[0] is text and _LAST[1] is not None:
        return _LAST[1]
    eng = AttributionEngine(text, focus=[])
    _LAST[0], _LAST[1] = text, eng
    return eng


def install(text: str, paragraphs: list[tuple]) -> None:
    """Give :func:`attribute` the analysis of some paragraphs of ``text`` made ahead by
    :meth:`AttributionEngine.prepare_page` in a helper process (the results do not change)."""
    if paragraphs:
        _engine(text).install(paragraphs)


def release(text: str) -> None:
    """Drop the reading of ``text`` kept by :func:`attribute` (a pass that has finished calls this:
    the reading of a long document holds hundreds of thousands of objects)."""
    if _LAST[0] is text:
        _LAST[0] = _LAST[1] = None


def find_attributions(text: str) -> list[Relation]:
    """Every attribution relation in the text (source span as written, cue span, content spans)."""
    return AttributionEngine(text).all_relations()


def match_speaker(name: str, known: list[tuple[str, str, list[str]]]) -> SpeakerMatch | None:
    """Match a suggested name to existing speakers [(speaker_id, name, aliases)].

    ``exact`` is True only for the same name or a known alias (after folding case, diacritics,
    punctuation, a leading article and titles). Spelling variants ("Royedad 24" vs "Roydad 24"), a
    surname alone ("Hajian" for "Mehdi Hajian") and acronyms ("UCU") are proposals (exact False) that
    the user confirms, e.g. by adding the alias.
    """
    if not name or not known:
        return None
    n = normalize_name(name)
    nt = _strip_titles(n)
    if not nt:
        return None
    best: SpeakerMatch | None = None

    def offer(sid: str, score: float, exact: bool):
        nonlocal best
        if best is None or (exact, score) > (best.exact, best.score):
            best = SpeakerMatch(sid, round(score, 3), exact)

    ndig = _DIGIT_RUNS.findall(nt)
    for sid, kname, aliases in known:
        for cand in [kname, *aliases]:
            if not cand:
                continue
            c = normalize_name(cand)
            ct = _strip_titles(c)
            if not ct:
                continue
            if c == n or ct == nt:
                offer(sid, 1.0, True)
                continue
            ctoks, ntoks = ct.split(), nt.split()
            # surname reuse: "Hajian" -> "Mehdi Hajian", "Mr Obama" -> "Barack Obama"
            if len(ntoks) == 1 and len(ctoks) > 1 and ntoks[0] == ctoks[-1] and len(ntoks[0]) > 2:
                offer(sid, 0.9, False)
                continue
            if len(ctoks) == 1 and len(ntoks) > 1 and ctoks[0] == ntoks[-1] and len(ctoks[0]) > 2:
                offer(sid, 0.85, False)
                continue
            # acronym: "UCU" -> "University and College Union"
            if len(ntoks) == 1 and len(ntoks[0]) >= 2 and name.strip().isupper() and _acronym(ct) == ntoks[0]:
                offer(sid, 0.85, False)
                continue
            if len(ctoks) == 1 and len(ctoks[0]) >= 2 and cand.strip().isupper() and _acronym(nt) == ctoks[0]:
                offer(sid, 0.85, False)
                continue
            # spelling variants; numbers must agree ("Channel 4" is not "Channel 5")
            if _DIGIT_RUNS.findall(ct) != ndig:
                continue
            if min(len(ct), len(nt)) < 4:
                continue
            sm = SequenceMatcher(None, nt, ct, autojunk=False)
            # real_quick_ratio and quick_ratio are upper bounds of ratio, far cheaper: below the threshold
            # the ratio itself is not needed (the branches below then give what they give for any ratio < 0.84)
            ratio = sm.ratio() if sm.real_quick_ratio() >= 0.84 and sm.quick_ratio() >= 0.84 else 0.0
            if len(ntoks) == len(ctoks) and len(ntoks) > 1:
                # every word must be close, so "Mark Meadows" is not "Debbie Meadows"
                per = [SequenceMatcher(None, a, b, autojunk=False).ratio() for a, b in zip(ntoks, ctoks)]
                if min(per) < 0.7:
                    continue
            if ratio >= 0.84:
                offer(sid, 0.95 * ratio, False)
            elif len(ntoks) == 1 and len(ctoks) > 1:
                r2 = SequenceMatcher(None, ntoks[0], ctoks[-1], autojunk=False).ratio()
                if r2 >= 0.85 and len(ntoks[0]) > 4:
                    offer(sid, 0.8 * r2, False)
    return best
