"""The attribution cues are found by fast forms of their expressions: the same matches as the plain forms.

For speed, the scanning expressions in ``attribution`` and ``attribution_text`` start with a character
class and test "not preceded by a word character" after it (``[Aa](?<![\\w-].)ccording``) instead of
before it (``(?<![\\w-])[Aa]ccording``): the regex engine then skips ahead to candidate characters.
These tests hold each fast form to its plain form, on real sentences and on generated texts full of
the characters that matter (word boundaries, quotes, apostrophes, hyphens, "al-" names).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import attribution as A
from annotator.core import attribution_text as AT

PLAIN = {
    "QUOTE": (AT._QUOTE_MARK, r"[“”\"]|''|``"),
    "SENT": (
        AT._SENT_END_FAST,
        r"(?:[!?]+|\." + AT._abbrev_lookbehinds() + r"(?<!\b[A-Za-z]\.)(?<!\.[A-Za-z]\.)[.!?]*)(?:[\"”’)\]]|'')*"
        r"(?=\s+(?:[\"“‘(\[]|''|``)?[A-Z0-9$£€])",
    ),
    "NAME": (
        AT.NAME_RE,
        rf"(?<![\w'’-])(?:[A-Z][A-Za-z\u00C0-\u024F'’\-]*\.?|(?:[Aa]l|[Ee]l)-[A-Z][\w'’-]*|\+\d+)"
        rf"(?:[ \t]+(?:{AT._PART}[ \t]+)*(?:{AT._CAP}))*",
    ),
    "ACCORDING": (A.ACCORDING_RE, r"(?<![\w-])[Aa]ccording to(?![\w-])"),
    "POLL": (
        A.POLL_RE,
        r"(?<![\w-])(?:[Ii]n|[Bb]y)\s+((?:a|an|the|one|another|its|their|his|her|this|that)\s+"
        r"(?:[\w’'.-]+\s+){0,5}?(?:poll|polls|survey|study|report|analysis|census|review|assessment|audit|memo))"
        r"(?:\s+(?:released|published|conducted|issued|out)\s+(?:on\s+)?[A-Z]\w+)?(?![\w-])",
    ),
    "CAME_FROM": (
        A.CAME_FROM_RE,
        r"(?<![\w-])(?:figures?|numbers?|estimates?|data|statistics?|claims?|counts?|tally|total)[\"”’']?\s+"
        r"(?:(?:originally|actually|reportedly|also)\s+)?(?:comes?|came|come|originated|originates)\s+from\s+",
    ),
    "WORD": (A._WORD_RE, r"\+?[\w\u00C0-\u024F][\w\u00C0-\u024F'’.&\-/+]*|[,;:()“”\"—–\[\]]"),
    "RELAY": (
        A.RELAY_RE,
        r"(?<![\w-])(reminds|reminded|recalls|recalled|cites|cited|citing|quotes|quoted|quoting|repeats|repeated|"
        r"echoes|echoed|relays|relayed)\s+(?:the\s+)?(?:claims?|words|statements?|remarks|comments|figures?|estimates?|"
        r"numbers?|data|account)\s+(?:of|by|from)\s+",
    ),
}

SENTENCES = [
    "“We counted between 54 and 58 thousand families in the square,” Ravi Menon adds. Mr. Smith said so.",
    "According to the World Bank, at least 48,079 patients were detained; according to Al-Hams (the U.S. "
    "envoy) it was more. In a new Fox News poll released on Tuesday, 52 percent backed him.",
    "The outlet then reminds the claims of Hassan Nowrozi, vice-chairman of the parliament's commission. "
    "The “90 to 95 percent” figure came from the Clinton campaign; the data comes from Census.",
    "He said: ``It is over,'' and then he cited the figures from el-Baradei's report by the IAEA. "
    "+44 20 7946 0958 is a number; al-Sisi spoke. Dr. Jones, Ph.D., wrote! Really? Yes.",
]

ALPHABET = list("aAbBcCeEfFiInNqQrRsStTdDlLyYmM -'’.!?“”\"`+0123456789,;:&/—–_\n\t()[]é") + [
    "al-", "el-", "Al-", "In ", "By ", "in a new poll ", "According to ", "according to ", "Mr. ", "U.S. ",
    "cited the claims of ", "figures came from ", "data comes from ", "''", "``", " said", "reminds ",
]


def _matches(rx: re.Pattern, text: str, a: int, b: int) -> list:
    return [(m.span(), m.groups(), [m.span(i) for i in range(1, rx.groups + 1)]) for m in rx.finditer(text, a, b)]


def _same(name: str, text: str) -> None:
    fast, plain = PLAIN[name]
    plain_rx = re.compile(plain, fast.flags)
    n = len(text)
    for a, b in ((0, n), (min(n, 3), n), (0, max(0, n - 2)), (n // 3, 2 * n // 3)):
        assert _matches(fast, text, a, b) == _matches(plain_rx, text, a, b), (name, text, a, b)


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_fast_expression_finds_what_the_plain_one_finds_in_real_sentences(name):
    for s in SENTENCES:
        _same(name, s)
    _same(name, " ".join(SENTENCES))


@pytest.mark.parametrize("name", sorted(PLAIN))
@settings(max_examples=150, deadline=None)
@given(text=st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join))
def test_fast_expression_finds_what_the_plain_one_finds_in_generated_texts(name, text):
    _same(name, text)

