"""Text layer for speaker attribution: paragraphs, sentences, quotations, name mentions.

Everything works on code-point offsets into the document text and is computed once
per document with precompiled regular expressions (the C engine does the scanning;
Python only looks at the matches). :class:`TextIndex` answers "which paragraph /
sentence / quotation holds this offset" by bisection.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

# --------------------------------------------------------------------------- lexicons

TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor sen sen. senator rep rep. representative
    gov gov. governor president vice-president vice prime minister secretary mayor judge justice gen gen.
    general col col. colonel lt lt. sgt sgt. capt capt. captain adm adm. admiral rev rev. reverend sir dame
    lord lady king queen prince princess pope sheikh imam ayatollah chancellor ambassador congressman
    congresswoman councilman councilwoman commissioner chairman chairwoman director chief ceo cfo coo founder
    co-founder deputy speaker leader officer inspector superintendent sheriff attorney dean skipper coach
    spokesman spokeswoman spokesperson former then-rep. then-sen. acting presumptive nominee candidate
    state u.s. us federal premier emir crown lieutenant commander minister. treasurer auditor comptroller
    analyst economist editor correspondent reporter columnist host anchor co-host executive manager
    chairperson vice-chairman vice-chair""".split()
)

ORG_WORDS = frozenset(
    """ministry department office council union association institute institution commission committee
    agency party organization organisation bank fund university universities college colleges school
    center centre hospital group corp corp. corporation inc inc. company co co. ltd llc pac foundation
    society service services administration authority board bureau court congress senate parliament
    assembly government police army navy forces force command mojahedin brotherhood coalition alliance
    federation league caucus campaign club network trust tracker market foods research embassy regime
    reserve treasury fed nations cabinet tribunal airlines motors energy partners capital analytics labs
    technologies systems solutions brands stores communications pharmaceuticals holdings industries
    operator exchange organisation's employers movement front institute's bureau's chamber council's
    consortium commission's secretariat international watch amnesty""".split()
)

OUTLET_WORDS = frozenset(
    """news times post journal magazine tribune herald gazette daily tv television radio press reuters
    bloomberg politico cnn bbc nbc cbs abc npr afp ap guardian telegraph economist intercept
    playbook finance  wire chronicle broadcasting channel newspaper
    outlet website agency irna isna tasnim fars xinhua interfax tass yonhap kyodo""".split()
)

# words that describe a news outlet in the context of a name ("the state-run Roydad 24")
OUTLET_CONTEXT = re.compile(
    r"\b(?:state-run|state-affiliated|state-owned|state media|news agency|news site|news website|newspaper|"
    r"outlet|website|broadcaster|daily|weekly|tabloid|channel|tv|television|radio|magazine|wire service)\b",
    re.I,
)

KNOWN_OUTLETS = frozenset(
    """reuters ap afp bbc cnn nbc cbs abc npr politico bloomberg axios vox xinhua tass irna isna tasnim fars
    interfax yonhap kyodo""".split()
) | {"usa today"}

# institutions named by one or two words that read like a person's name ("Pentagon officials said",
# "the Kremlin said"): organisations
KNOWN_INSTITUTIONS = frozenset(
    """pentagon kremlin vatican treasury knesset bundestag duma politburo elysee élysée quai""".split()
) | {"white house", "downing street", "state department", "justice department", "supreme court",
     "european commission", "bank of england", "federal reserve"}

# nouns for documents and data that can be a source ("the report", "a new poll")
DOC_NOUNS = frozenset(
    """report reports study studies survey surveys poll polls analysis analyses data figures statistics
    research review assessment census audit investigation memo statement release letter paper book article
    filing records record document estimate estimates projection projections model index tracker ranking
    findings calculations count tally figures survey's report's study's""".split()
)

# head nouns of anonymous or descriptive sources ("officials said", "one GOP operative")
SPEAKER_NOUNS = frozenset(
    """official officials expert experts economist economists analyst analysts source sources spokesman
    spokeswoman spokesperson spokespeople authorities authority police resident residents witness witnesses
    doctor doctors worker workers organizer organizers organiser organisers volunteer volunteers voter voters
    lawmaker lawmakers legislator legislators politician politicians critic critics supporter supporters
    opponent opponents activist activists researcher researchers scientist scientists investigator
    investigators prosecutor prosecutors officer officers people person academic academics operative
    operatives aide aides diplomat diplomats observer observers member members staff employee employees
    manager managers executive executives leader leaders group groups administration government company
    firm ministry agency department office campaign media outlet outlets newspaper website others some many
    most insider insiders advocate advocates historian historians engineer engineers consultant consultants
    official's officials' economist's fishermen farmers teachers parents students professor professors
    physician physicians nurse nurses health-care observers strategist strategists pollster pollsters
    republicans democrats conservatives liberals adviser advisers advisor advisors union unions industry
    reporters journalists correspondent correspondents""".split()
) | DOC_NOUNS | ORG_WORDS

PERSON_ROLE_WORDS = frozenset(
    """president congressman congresswoman senator minister mayor governor doctor director spokesman
    spokeswoman spokesperson chairman chairwoman official secretary leader founder professor economist
    analyst judge ambassador commissioner chief candidate nominee skipper fisherman councilman
    vice-chairman neonatologist obstetrician fellow consultant adviser advisor executive manager
    physician surgeon officer""".split()
)

PLACE_WORDS = frozenset(
    """north south east west northern southern eastern western new san los las saint st. fort port mount
    lake river island islands strip city county states republic kingdom bay valley sea ocean coast gulf
    street avenue road square park district province region area terminal airport bridge hill hills beach
    united america europe africa asia middle""".split()
)

DAYS_MONTHS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan jan. feb feb. mar mar. apr apr. jun jun. jul jul. aug
    aug. sep sep. sept sept. oct oct. nov nov. dec dec. easter christmas""".split()
)

# capitalised words that start sentences but are not names
NON_NAMES = frozenset(
    """the a an in on at but and or however while when after before since this that these those it he she
    they we i his her their our its as if for from with by of to despite although though besides recently
    still meanwhile then now today yesterday last next also even so many some most more other others one two
    three four five six seven eight nine ten there here what who why how where which whether because during
    until unless once both each every all any no not nor yet only just about asked according between among
    under over into through across against toward towards within without around near like unlike my your
    thousands hundreds millions tens dozens half read share privately publicly currently ultimately
    initially finally instead normally usually already again indeed perhaps maybe rather whatever whoever
    overall further furthermore moreover therefore thus hence suppose supposing given let see look via
    analysis video watch related more: update updated editor's note""".split()
)

PRONOUNS = {
    "he": "person", "she": "person", "him": "person", "her": "person",
    "they": "plural", "them": "plural", "it": "thing", "we": "first", "i": "first", "us": "first",
}
RELATIVES = frozenset({"who", "which", "that", "whom"})

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt adm rev st jr sr inc co corp ltd no vs v etc e.g
    i.e a.k.a aka u.s u.k u.n u.s.a jan feb mar apr jun jul aug sep sept oct nov dec calif ill mass fla
    n.c s.c d.c n.y n.j wash ore tex ariz colo conn ga ky la md mich minn miss mo nev okla pa tenn va wis
    a.m p.m approx dept est fig figs no nos op pp vol mt ft sq min max al""".split()
)

# --------------------------------------------------------------------------- regexes

_SENT_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9$£€])")
_SENT_END_FAST = None  # built below, once ABBREVIATIONS exists


def _abbrev_lookbehinds() -> str:
    """Fixed-width negative look-behinds for the abbreviations, so most sentence ends are decided in C."""
    by_len: dict[int, list[str]] = {}
    for a in ABBREVIATIONS:
        if "." in a:
            continue
        by_len.setdefault(len(a), []).append(a)
    parts = []
    for n, words in sorted(by_len.items()):
        alt = "|".join(re.escape(w) for w in sorted(words))
        parts.append(r"(?<!\b(?i:" + alt + r")\.)")
    return "".join(parts)
# Speed note for the scanning expressions below: an expression that starts with a character class (or
# with alternatives that each start with a letter) lets the C scanner skip ahead to the next position
# where that class matches; a look-behind written first disables that, so the "not preceded by" test
# is written after the first character, one character wider: "[Aa](?<![\w-].)ccording" is
# "(?<![\w-])[Aa]ccording". tests/test_attribution_regex.py checks each against its plain form.
_SENT_END_FAST = re.compile(
    r"[.!?](?:(?<=[!?])[!?]*|(?<=\.)" + _abbrev_lookbehinds()
    + r"(?<!\b[A-Za-z]\.)(?<!\.[A-Za-z]\.)[.!?]*)(?:[\"”’)\]]|'')*"
    r"(?=\s+(?:[\"“‘(\[]|''|``)?[A-Z0-9$£€])"  # (with '' and `` quotes, Penn Treebank style)
)
_AFTER_QUOTE_CUE = re.compile(
    r"\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?:said|says|asked|asks|added|adds|wrote|writes|told|replied|continued|"
    r"explained|declared|noted|insisted|argued|warned)\b"
)
_BLOCK_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
_QUOTE_MARK = re.compile(r"[“”\"'`](?:(?<=[“”\"])|(?<=')'|(?<=`)`)")  # “ ” " and '' `` (Penn Treebank style)
_NEWLINE = re.compile(r"\n")
_BULLET = re.compile(r"\s*(?:[-•*▪–]\s|\d{1,2}[.)]\s)")

# a capitalised word: names, acronyms, dotted abbreviations, al-/el- prefixes, possessive
_CAP = r"(?:(?:[Aa]l|[Ee]l|[Bb]en|[Bb]in|[Aa]bu|[Ii]bn)-)?(?:Mc|Mac|O['’])?[A-Z][A-Za-z\u00C0-\u024F'’\-]*\.?|\+?\d{1,3}(?!\d)(?![,.:]\d)[A-Za-z]*"
_PART = r"(?:al|el|bin|ibn|abu|de|del|della|di|da|van|von|der|den|du|la|le|dos|das|y|of|for|and|the|&)"
NAME_RE = re.compile(  # (?<![\w'’-])(?:[A-Z][…]*\.?|(?:[Aa]l|[Ee]l)-[A-Z][\w'’-]*|\+\d+)(?: …)*, faster
    rf"[A-Z+ae](?<![\w'’-].)(?:(?<=[A-Z])[A-Za-z\u00C0-\u024F'’\-]*\.?|(?<=a)l-[A-Z][\w'’-]*|(?<=e)l-[A-Z][\w'’-]*"
    rf"|(?<=\+)\d+)(?:[ \t]+(?:{_PART}[ \t]+)*(?:{_CAP}))*"
)
_WORD = re.compile(r"[\w\u00C0-\u024F][\w\u00C0-\u024F'’.\-]*")


def is_cap(tok: str) -> bool:
    return bool(tok) and (tok[0].isupper() or (tok[:3].lower() in ("al-", "el-") and len(tok) > 3 and tok[3].isupper())
                          or (tok[0] == "+" and tok[1:2].isdigit()) or tok[0].isdigit())


def norm_token(tok: str) -> str:
    return tok.lower().rstrip(".,;:").replace("’", "'")


# --------------------------------------------------------------------------- index


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    open_mark: int | None  # position of the opening mark (None: opened in an earlier paragraph)
    close_mark: int | None  # position of the closing mark (None: runs to the end of its paragraph)


class TextIndex:
    """Paragraphs of one text (found once, with regular expressions), and its sentences and
    quotations (found per paragraph, on demand, and cached)."""

    def __init__(self, text: str):
        self.text = text
        sample = text[:100_000].split("\n")
        lengths = sorted(len(ln.strip()) for ln in sample if ln.strip())
        typical = lengths[int(len(lengths) * 0.75)] if lengths else 0
        self._short = 0.6 * typical
        self._pstarts: list[int] = []  # known paragraphs, sorted by start
        self._pend: dict[int, int] = {}
        self._sents: dict[int, list[int]] = {}
        self._quotes: dict[int, list[Quote]] = {}
        self._ends_cache: dict[int, bool] = {}
        self._hit_a, self._hit_b = 1, 0  # last paragraph found by para_index (none yet)
        # The app's loader separates paragraphs with blank lines (line breaks inside a paragraph are
        # soft wraps); plain texts with one paragraph a line are walked line by line instead.
        blank = text.count("\n\n")
        self.blocks = blank >= 2 and blank * 10 >= text.count("\n")
        self._order: dict[int, int] = {}
        if self.blocks:
            self._split_blocks()
            self.blocks = bool(self._pstarts)

    def _split_blocks(self) -> None:
        text = self.text
        cuts = [0]
        for m in _BLOCK_BREAK.finditer(text):
            cuts.append(m.start())
            cuts.append(m.end())
        cuts.append(len(text))
        for a, b in zip(cuts[::2], cuts[1::2]):
            while a < b and text[a] in " \t\n\u00a0":
                a += 1
            while b > a and text[b - 1] in " \t\n\u00a0":
                b -= 1
            if b > a:
                self._order[a] = len(self._pstarts)
                self._pstarts.append(a)
                self._pend[a] = b

    # ---- paragraphs (found lazily around the positions asked for; a paragraph is keyed by its start)
    def _line(self, ls: int) -> tuple[int, int]:
        le = self.text.find("\n", ls)
        return ls, (len(self.text) if le < 0 else le)

    def _ends_paragraph(self, ls: int, le: int) -> bool:
        got = self._ends_cache.get(ls)
        if got is None:
            got = self._ends_cache[ls] = self._ends_paragraph_(ls, le)
        return got

    def _ends_paragraph_(self, ls: int, le: int) -> bool:
        """Does the line [ls, le) end its paragraph? A blank next line, sentence-final punctuation, a
        short line (a heading, or a paragraph's last line in PDF text) or a bullet around it ends it."""
        text = self.text
        if le >= len(text):
            return True
        stripped = text[ls:le].strip()
        ns, ne = self._line(le + 1)
        nxt = text[ns:ne]
        if not nxt.strip():
            return True
        if _BULLET.match(nxt) is not None or _BULLET.match(text, ls, le) is not None:
            return True
        if stripped.endswith(("-", ",")):
            return False
        return stripped[-1:] in '.!?:"”’)]' or len(stripped) < self._short

    def para_index(self, pos: int) -> int:
        """Key (start offset) of the paragraph holding ``pos``; a position between paragraphs belongs to
        the paragraph before it (or the first one)."""
        if self._hit_a <= pos <= self._hit_b:
            return self._hit_a  # the paragraph of the previous question (most questions come in runs)
        text = self.text
        pos = max(0, min(pos, len(text)))
        i = bisect.bisect_right(self._pstarts, pos) - 1
        if i >= 0 and pos <= self._pend[self._pstarts[i]]:
            a = self._pstarts[i]
            self._hit_a, self._hit_b = a, self._pend[a]
            return a
        if self.blocks:
            return self._pstarts[max(i, 0)] if self._pstarts else self._build(pos)
        # in the gap after a paragraph, or unknown territory
        p = pos
        while p > 0 and text[p - 1 : p] in (" ", "\t", "\n", "\u00a0") and text[p : p + 1] in (" ", "\t", "\n", "\u00a0", ""):
            p -= 1
        if not text[p : p + 1].strip():
            # only whitespace here: attach to the paragraph before, else the one after
            q = p
            while q > 0 and not text[q - 1].strip():
                q -= 1
            if q > 0:
                return self._build(q - 1)
            r = pos
            while r < len(text) and not text[r].strip():
                r += 1
            return self._build(min(r, max(len(text) - 1, 0)))
        return self._build(p)

    def _build(self, pos: int) -> int:
        i = bisect.bisect_right(self._pstarts, pos) - 1
        if i >= 0 and pos <= self._pend[self._pstarts[i]]:
            return self._pstarts[i]
        text = self.text
        ls = text.rfind("\n", 0, pos) + 1
        # back to the first line of the paragraph
        while ls > 0:
            pls = text.rfind("\n", 0, ls - 1) + 1
            if not text[pls : ls - 1].strip() or self._ends_paragraph(pls, ls - 1):
                break
            ls = pls
        # forward to its last line
        le = self._line(ls)[1]
        while not self._ends_paragraph(text.rfind("\n", 0, le) + 1, le):
            le = self._line(le + 1)[1]
        a, b = ls, le
        while a < b and text[a] in " \t\n\u00a0":
            a += 1
        while b > a and text[b - 1] in " \t\n\u00a0":
            b -= 1
        if a not in self._pend:
            bisect.insort(self._pstarts, a)
        self._pend[a] = b
        self._hit_a, self._hit_b = 1, 0
        return a

    def para_span(self, key: int) -> tuple[int, int]:
        return key, self._pend[key]

    def para_prev(self, key: int) -> int | None:
        if self.blocks:
            i = self._order[key]
            return self._pstarts[i - 1] if i > 0 else None
        q = key
        while q > 0 and not self.text[q - 1].strip():
            q -= 1
        return self._build(q - 1) if q > 0 else None

    def para_next(self, key: int) -> int | None:
        if self.blocks:
            i = self._order[key] + 1
            return self._pstarts[i] if i < len(self._pstarts) else None
        e = self._pend[key]
        r = e
        n = len(self.text)
        while r < n and not self.text[r].strip():
            r += 1
        return self._build(r) if r < n else None

    def para_keys(self):
        """Every paragraph, in order."""
        if not self.text.strip():
            return
        k = self.para_index(0)
        while k is not None:
            yield k
            k = self.para_next(k)

    # ---- sentences
    def _sentences_of(self, pi: int) -> list[int]:
        got = self._sents.get(pi)
        if got is not None:
            return got
        text = self.text
        ps, pe = self.para_span(pi)
        starts = [ps]
        # "Mr. Smith", "U.S. Senate", "William G. Gale": the regex's look-behinds skip abbreviations and initials
        for m in _SENT_END_FAST.finditer(text, ps, pe):
            e = m.end()
            # "“Are you sure?” King asked." keeps the cue with its quotation
            if text[e - 1] in "\"”’'" and _AFTER_QUOTE_CUE.match(text, e):
                continue
            while e < pe and text[e] in " \t\n":
                e += 1
            if e < pe:
                starts.append(e)
        self._sents[pi] = starts
        return starts

    def sentence_span(self, pos: int) -> tuple[int, int]:
        """The sentence holding ``pos`` (within its paragraph)."""
        pi = self.para_index(pos)
        ps, pe = self.para_span(pi)
        starts = self._sentences_of(pi)
        i = bisect.bisect_right(starts, pos) - 1
        s = starts[max(i, 0)]
        e = starts[i + 1] if i + 1 < len(starts) else pe
        while e > s and self.text[e - 1] in " \t\n":
            e -= 1
        return s, e

    def sentences_in(self, start: int, end: int) -> list[tuple[int, int]]:
        out = []
        pi = self.para_index(start)
        while pi is not None and pi < end:
            ps, pe = self.para_span(pi)
            starts = self._sentences_of(pi)
            for k, s in enumerate(starts):
                e = starts[k + 1] if k + 1 < len(starts) else pe
                s2, e2 = max(s, start), min(e, end)
                while e2 > s2 and self.text[e2 - 1] in " \t\n":
                    e2 -= 1
                if e2 > s2:
                    out.append((s2, e2))
            pi = self.para_next(pi)
        return out

    # ---- quotations
    def _quotes_of(self, pi: int) -> list[Quote]:
        """Quotations of one paragraph. A quotation left open runs to the paragraph's end (the next
        paragraph re-opens it); a closing mark without an opening one closes a quotation that began in
        an earlier paragraph, so it runs from the paragraph's start."""
        got = self._quotes.get(pi)
        if got is not None:
            return got
        text = self.text
        ps, pe = self.para_span(pi)
        out: list[Quote] = []
        open_at: int | None = None
        open_len = 1
        for m in _QUOTE_MARK.finditer(text, ps, pe + 1):
            p = m.start()
            ch = m.group()
            if ch == "''" and (text[p - 1 : p].isalpha() and text[p + 2 : p + 3].isalpha()):
                continue  # an apostrophe pair inside a word
            if ch in ("“", "``"):
                opening = True
            elif ch == "”":
                opening = False
            else:
                prev = text[p - 1] if p else " "
                nxt = text[p + len(ch) : p + len(ch) + 1]
                # ' Clinton:"We learned …"': after a colon a mark before a word opens
                opening = prev.isspace() or prev in "([{—–-“‘/" or p == ps or (prev == ":" and nxt.isalnum())
                if opening and open_at is not None:
                    # a straight mark after a space can still close ("… it, " said); pair it up
                    if not nxt or nxt.isspace() or nxt in ",.;:":
                        opening = False
            if opening:
                if open_at is not None:
                    out.append(Quote(open_at + open_len, p, open_at, None))
                open_at = p
                open_len = len(ch)
            elif open_at is not None:
                out.append(Quote(open_at + open_len, p, open_at, p))
                open_at = None
            elif p > ps:
                out.append(Quote(ps, p, None, p))
        if open_at is not None:
            out.append(Quote(open_at + open_len, pe, open_at, None))
        self._quotes[pi] = out
        return out

    def quote_at(self, start: int, end: int | None = None) -> Quote | None:
        """The innermost quotation holding [start, end)."""
        end = start if end is None else end
        best = None
        for q in self._quotes_of(self.para_index(start)):
            if q.start <= start and end <= q.end and (best is None or q.end - q.start < best.end - best.start):
                best = q
        return best

    def quotes_in(self, start: int, end: int) -> list[Quote]:
        out = []
        pi = self.para_index(start)
        while pi is not None and pi < end:
            out.extend(q for q in self._quotes_of(pi) if start <= q.start < end)
            pi = self.para_next(pi)
        return out


# --------------------------------------------------------------------------- names


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    name: str  # without titles
    title: str  # titles and pre-modifiers ("Tunisian Prime Minister")
    kind: str  # person | organisation | outlet | place | unknown
    entity: object = None  # the document entity it refers to (set by the engine)


_MODIFIER_TITLES = frozenset("state u.s. us federal former acting presumptive then-rep. then-sen. vice crown".split())


def split_title(tokens: list[str]) -> tuple[list[str], list[str]]:
    """("Tunisian Prime Minister Habib Essid") -> (["Tunisian","Prime","Minister"], ["Habib","Essid"]).

    Organisations keep their words ("State Department"); modifiers such as "State" or "former"
    are part of a title only before a real title ("State Sen. Jim Davis")."""
    if tokens and norm_token(tokens[-1]) in ORG_WORDS:
        return [], tokens
    last = -1
    for i, t in enumerate(tokens[:-1]):
        low = norm_token(t)
        if (low in TITLES or t.lower().rstrip(".") in TITLES) and low not in _MODIFIER_TITLES:
            last = i
    return tokens[: last + 1], tokens[last + 1 :]


def name_mentions(text: str, start: int, end: int) -> list[Mention]:
    """Capitalised name sequences in text[start:end], with titles split off and a rough kind.

    How a name sequence splits into mentions depends only on its own characters (cached: names
    recur); only the kind also looks at the words before each mention."""
    out: list[Mention] = []
    for m in NAME_RE.finditer(text, start, end) if end - start > 0 else ():
        a = m.start()
        for rs, re_, name, title, name_t, titled in _split_names(m.group()):
            s = a + rs
            out.append(Mention(s, a + re_, name, title, _kind(name_t, titled, text, s)))
    return out


def sequence_mentions(text: str, start: int, end: int) -> list[Mention]:
    """``name_mentions(text, start, end)`` for a span that :data:`NAME_RE` matched as a whole (found by a
    search over a longer stretch: searching the span again finds that same match), without that search."""
    out: list[Mention] = []
    for rs, re_, name, title, name_t, titled in _split_names(text[start:end]):
        s = start + rs
        out.append(Mention(s, start + re_, name, title, _kind(name_t, titled, text, s)))
    return out


@functools.lru_cache(maxsize=16384)
def _split_names(raw: str) -> tuple:
    """The mentions of one name sequence, offsets relative to it, kind not yet decided:
    ((start, end, name, title, name tokens, titled), ...)."""
    out: list = []
    _scan_names(raw, 0, len(raw), out)
    return tuple(out)


def _scan_names(text: str, start: int, end: int, out: list) -> None:
    for m in NAME_RE.finditer(text, start, end) if end - start > 0 else ():
        s, e = m.start(), m.end()
        raw = m.group()
        toks = raw.split()
        # a sentence ends inside the match ("… in Gaza. U.S. President Joe Biden")
        for k, t in enumerate(toks[:-1]):
            if t.endswith(".") and len(t) > 2 and "." not in t[:-1] and t[:-1].lower() not in ABBREVIATIONS \
                    and norm_token(t) not in TITLES:
                first = toks[: k + 1]
                _mention(text, s, first, out)
                s2 = text.find(toks[k + 1], s + len(" ".join(first)))
                _scan_names(text, s2, e, out)
                toks = None
                break
        if toks is None:
            continue
        # drop sentence-start function words and trailing particles
        while toks and norm_token(toks[0]) in NON_NAMES:
            s += len(toks[0])
            s = _skip_ws(text, s)
            toks = toks[1:]
        while toks and toks[-1].lower() in ("of", "for", "and", "the", "&", "al", "de"):
            toks = toks[:-1]
        if not toks:
            continue
        e = s + len(" ".join(toks)) if " ".join(toks) == text[s : s + len(" ".join(toks))] else e
        low = [norm_token(t) for t in toks]
        if all(t in DAYS_MONTHS or t in NON_NAMES for t in low):
            continue
        # "Trump and Clinton": split at "and" unless it is an organisation's name
        if "and" in low and not any(t in ORG_WORDS for t in low):
            k = low.index("and")
            first = toks[:k]
            if first:
                _mention(text, s, first, out)
            rest_start = text.find(toks[k + 1], s) if k + 1 < len(toks) else -1
            if rest_start >= 0:
                _mention(text, rest_start, toks[k + 1 :], out)
            continue
        _mention(text, s, toks, out)


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _mention(text: str, s: int, toks: list[str], out: list) -> None:
    toks = [t.rstrip(",;:") for t in toks]
    # possessive "Meadows'" / "Iran’s"
    if toks and (toks[-1].endswith("’s") or toks[-1].endswith("'s")):
        toks[-1] = toks[-1][:-2]
    elif toks and toks[-1].endswith(("'", "’")):
        toks[-1] = toks[-1][:-1]
    toks = [t for t in toks if t]
    if toks and toks[-1].endswith(".") and toks[-1][:-1].lower() not in ABBREVIATIONS and "." not in toks[-1][:-1] \
            and len(toks[-1]) > 2:
        toks[-1] = toks[-1][:-1]
    if not toks:
        return
    e = s + len(" ".join(toks))
    title, name = split_title(toks)
    if not name:
        return
    # "Senator Mitch McConnell of Kentucky": a person's name stops at "of"
    if title and "of" in name:
        name = name[: name.index("of")]
    low = [norm_token(t) for t in name]
    if all(t in DAYS_MONTHS for t in low):
        return
    out.append((s, e, " ".join(name), " ".join(title), tuple(name), bool(title)))


def classify_name(name: list[str], title: list[str], text: str, s: int) -> str:
    """Rough kind of a name at ``s`` in ``text`` (its words and the words before it)."""
    return _kind(tuple(name), bool(title), text, s)


_PLACE_PREPS = frozenset(("in", "at", "near", "across", "throughout", "outside", "inside", "to", "from", "into",
                          "of", "toward"))


@functools.lru_cache(maxsize=16384)
def _kind_by_words(name: tuple[str, ...], titled: bool) -> str | tuple:
    """What the words of a name tell of its kind: a kind, or (has a digit, an acronym, a place word)
    for :func:`_kind` to finish with the context."""
    low = [norm_token(t) for t in name]
    if any(t in OUTLET_WORDS for t in low) or " ".join(low) in KNOWN_OUTLETS:
        if not any(t in ("ministry", "department", "party", "university") for t in low):
            return "outlet"
    if any(t in ORG_WORDS for t in low):
        return "organisation"
    return (any(t.isdigit() for t in low), len(name) == 1 and name[0].isupper() and len(name[0]) >= 2,
            any(t in PLACE_WORDS for t in low))


def _kind(name: tuple[str, ...], titled: bool, text: str, s: int) -> str:
    got = _kind_by_words(name, titled)
    if type(got) is str:
        return got
    digit, acronym, place = got
    before = text[max(0, s - 40) : s]
    if OUTLET_CONTEXT.search(before[-28:]) or digit:
        return "outlet"
    if titled:
        return "person"
    if acronym:
        return "organisation"  # acronym: MEK, UCEA, CBO
    prev = before.rstrip().rsplit(None, 1)[-1].lower() if before.strip() else ""
    if prev in _PLACE_PREPS:
        return "place"
    if place:
        return "place"
    if 2 <= len(name) <= 4:
        return "person"
    return "unknown"
