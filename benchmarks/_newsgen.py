"""Generated news-like test documents for the benchmarks (no corpus needed).

:func:`make_news_pdf` writes an A4 text PDF of news-like sentences, about 530 words and
43 figures a page: counts with thousands separators, money in dollars, euros and pounds,
percentages, ranges, qualifiers, rates, figures in words, plus attribution cues
("according to X", "X said", "a spokesman for X", quotes closed by ", X adds") and
non-figures (dates, years, clock times, numbers inside names). The PDF is written directly
as PDF objects (base-14 Helvetica, WinAnsi), so 1000 pages take well under a second.

:func:`make_article` builds a long flowing article of the same sentences, for the reader.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

PEOPLE = ["Mehdi Hajian", "Anna Lindqvist", "Ravi Menon", "Carlos Ortega", "Fatima Zahra", "John Miller",
          "Hiroshi Tanaka", "Olga Petrova", "Samuel Okafor", "Laura Bianchi"]
ROLES = ["the finance minister", "a senior economist", "the mayor", "the head of the union", "a police spokesman"]
ORGS = ["the Ministry of Health", "Amnesty International", "the World Bank", "the central bank", "Reuters",
        "the statistics office", "the Interior Ministry", "Roydad 24", "the United Nations", "the Red Cross"]
NOUNS = ["protesters", "prisoners", "workers", "households", "voters", "patients", "students", "families",
         "refugees", "employees"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September", "October", "November"]
FILLER = (
    "the government announced new measures after weeks of pressure from the opposition and civil society "
    "groups while officials in the capital struggled to explain the delay in the programme which critics "
    "described as poorly planned and badly funded despite repeated promises made during the campaign last "
    "spring the report also noted that regional authorities had failed to publish their accounts on time"
).split()

# {n} count, {m} money, {p} percent, {a}/{b} range ends, {N} noun, {P} person, {O} organisation, {R} role
TEMPLATES = [
    "According to {O}, at least {n:,} {N} were detained and {a} injured during the protests",
    "{P} said the programme would cost ${m} million a year, {p}% more than planned",
    "The budget rose by {p}% to €{a}.{d}bn, {P} told reporters on {month} {day}",
    "\u201cWe counted between {a} and {b} thousand {N} in the square,\u201d {P} adds",
    "{O} estimated that {p}.{d} percent of the population, some {n:,} {N}, live in poverty",
    "A spokesman for {O} said that nearly {n:,} {N} had been released since {year}",
    "Some {n:,}-{n2:,} {N} are affected in {a} provinces, according to {O}",
    "{P}, {R}, announced that fines of {a} million rials per month would apply",
    "The deficit reached £{a}.{d}m in {year}, up from £{b}m a year earlier",
    "More than {a},{d}00 {N} signed the petition by {h}:{mm} p.m., {O} reported",
    "Officials expect up to {n:,} megawatts of new capacity by {year}, {P} wrote",
    "{P} claimed that less than {p}% of the {n:,} {N} received the payment",
    "The ministry spent roughly ${a}.{d} billion on the scheme and ${m} million on audits, {O} said",
    "Around {s} thousand {N} travelled to the border in {month}",
    "{P} underlined that {p} to {q} percent of {N} had no contract",
    "Prices climbed {p}.{d}% in {month} {year} compared with {q}% a year earlier",
    "The agency reported {n:,} new cases and {a} deaths in the week to {month} {day}",
    "In a statement, {O} said it had received {n:,} complaints from {N}",
    "{P} estimated the damage at ${m} million, or about ${a} per household",
    "Between {n:,} and {n2:,} {N} were evacuated, {P} told state television",
]


def _fill(tpl: str, rng: random.Random) -> str:
    a = rng.randint(2, 60)
    return tpl.format(
        n=rng.randint(1_000, 90_000), n2=rng.randint(90_001, 250_000), m=rng.randint(2, 900),
        p=rng.randint(1, 49), q=rng.randint(50, 99), d=rng.randint(1, 9), a=a, b=a + rng.randint(1, 30),
        N=rng.choice(NOUNS), P=rng.choice(PEOPLE), O=rng.choice(ORGS), R=rng.choice(ROLES),
        s=rng.choice(["two", "three", "five", "twelve", "forty"]), month=rng.choice(MONTHS),
        day=rng.randint(1, 28), year=rng.randint(1995, 2023), year2=rng.randint(1990, 1994),
        h=rng.randint(1, 12), mm=rng.randint(10, 59),
    )


def sentences(rng: random.Random, words: int, figures: int) -> list[str]:
    """Sentences of about ``words`` words holding about ``figures`` figures (a template holds ~1.55)."""
    out = []
    n_words = 0
    for _ in range(max(1, round(figures / 1.55))):
        s = _fill(rng.choice(TEMPLATES), rng)
        out.append(s)
        n_words += len(s.split())
    while n_words < words:
        k = rng.randint(8, 18)
        i = rng.randrange(len(FILLER) - k)
        s = " ".join(FILLER[i:i + k])
        out.append(s)
        n_words += len(s.split())
    rng.shuffle(out)
    return [s[0].upper() + s[1:] + "." for s in out]


def _wrap(sents: list[str], width: int) -> list[list[str]]:
    """Paragraphs of lines no longer than ``width`` characters."""
    paras, cur, line = [], [], ""
    for i, s in enumerate(sents):
        for w in s.split():
            if line and len(line) + 1 + len(w) > width:
                cur.append(line)
                line = w
            else:
                line = f"{line} {w}" if line else w
        if i % 5 == 4:  # a paragraph every five sentences
            if line:
                cur.append(line)
            paras.append(cur)
            cur, line = [], ""
    if line:
        cur.append(line)
    if cur:
        paras.append(cur)
    return paras


def _pdf_str(s: str) -> bytes:
    b = s.encode("cp1252")
    return b"(" + b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_news_pdf(path: Path, pages: int = 1000, seed: int = 1, words: int = 530, figures: int = 43) -> None:
    """Write an A4 PDF of ``pages`` pages of news-like text (10 pt Helvetica)."""
    rng = random.Random(seed)
    objs: dict[int, bytes] = {}
    kids = []
    num = 4  # 1 catalog, 2 page tree, 3 font
    for p in range(pages):
        ops = [b"BT /F1 10 Tf 12.4 TL 50 800 Td", b"(Page %d) Tj T* T*" % (p + 1)]
        lines_used = 2
        for para in _wrap(sentences(rng, words, figures), 92):
            for ln in para:
                ops.append(_pdf_str(ln) + b" '")
                lines_used += 1
            ops.append(b"T*")  # a blank line between paragraphs
            lines_used += 1
        if lines_used > 62:
            raise ValueError(f"page {p + 1} overflows ({lines_used} lines)")
        ops.append(b"ET")
        content = zlib.compress(b"\n".join(ops))
        objs[num] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream"
        objs[num + 1] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                         b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % num)
        kids.append(num + 1)
        num += 2
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids))
    objs[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for k in sorted(objs):
        offsets[k] = len(out)
        out += b"%d 0 obj\n" % k + objs[k] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % num
    for k in range(1, num):
        out += b"%010d 00000 n \n" % offsets[k]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (num, xref)
    Path(path).write_bytes(bytes(out))


def make_article(words: int = 50_000, seed: int = 2, figures_per_530: int = 43) -> str:
    """A long flowing article (paragraphs separated by blank lines) of the same sentences."""
    rng = random.Random(seed)
    paras = []
    n = 0
    while n < words:
        sents = sentences(rng, 110, max(1, round(110 * figures_per_530 / 530)))
        n += sum(len(s.split()) for s in sents)
        paras.append(" ".join(sents))
    return "\n\n".join(paras)
