"""Provenance (issue 6): the same figure across documents, who stated or relayed it, and when.

Figures with the same units (unit and rate) whose stated values agree within their written
precision ("30,000", "Thirty thousand" and "at least 30,000" agree; "7,844" and "7,800" agree
because "7,800" is written to the hundred) are linked as *appearances of one claim*. A
confirmed ``same`` relation links two figures whatever their values; a rejected ``same``
relation keeps two figures apart, and the groups they belong to (for equal numbers that are
different things).

Each appearance carries its document, its date (the document's publication date from its
metadata, else the day it was added to the file) and the speakers the attributions give, with
their roles (states, relays, confirms, disputes). Appearances are sorted earliest first
(same date: in the order of the documents in the file, then of the text).

:func:`claims` lists them; :func:`timeline_svg` draws one claim as a small standalone SVG
(for ``QSvgWidget`` or an export).
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

from annotator.core.checks import figure_label, unit_label
from annotator.core.checks_precision import as_percent, figure_step, rounding_below
from annotator.core.checks_units import figure_dims
from annotator.core.model import Figure, Relation, Speaker


@dataclass
class SpeakerRole:
    speaker_id: str
    name: str
    kind: str
    affiliation: str
    role: str  # states | relays | confirms | disputes

    def text(self) -> str:
        aff = f", {self.affiliation}" if self.affiliation else ""
        return f"{self.name}{aff} ({self.role})"


@dataclass
class Appearance:
    figure: Figure
    document_id: str
    document_title: str
    date: str  # ISO date "YYYY-MM-DD" when known, else the raw text ("" when none)
    date_source: str  # "metadata" (publication date) | "added" (when the document entered the file) | ""
    speakers: list[SpeakerRole] = field(default_factory=list)
    document_index: int = 0  # order of the document in the file

    @property
    def exact(self) -> str:
        return self.figure.exact

    def to_json(self) -> dict:
        return {
            "figure_id": self.figure.id,
            "document_id": self.document_id,
            "document": self.document_title,
            "date": self.date,
            "date_source": self.date_source,
            "text": self.figure.exact,
            "start": self.figure.start,
            "end": self.figure.end,
            "speakers": [
                {"id": s.speaker_id, "name": s.name, "kind": s.kind, "affiliation": s.affiliation, "role": s.role}
                for s in self.speakers
            ],
        }


@dataclass
class Claim:
    """One figure as it travels: its appearances, earliest first."""

    id: str  # the id of the earliest appearance's figure
    label: str  # "30,000", "3.6 quadrillion IRR/year"
    unit: str
    appearances: list[Appearance]

    @property
    def first(self) -> Appearance:
        return self.appearances[0]

    @property
    def document_ids(self) -> list[str]:
        out: list[str] = []
        for a in self.appearances:
            if a.document_id not in out:
                out.append(a.document_id)
        return out

    @property
    def figure_ids(self) -> list[str]:
        return [a.figure.id for a in self.appearances]

    def speakers(self) -> list[str]:
        """Speaker names in the order they appear (first statement first)."""
        out: list[str] = []
        for a in self.appearances:
            for s in a.speakers:
                if s.name not in out:
                    out.append(s.name)
        return out

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "unit": self.unit,
            "documents": len(self.document_ids),
            "appearances": [a.to_json() for a in self.appearances],
        }


# --------------------------------------------------------------------------- dates

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %Y", "%Y-%m", "%Y")


def normalize_date(text: str) -> str:
    """An ISO date ("2023-02-15") from the usual ways of writing one; the text itself otherwise."""
    s = (text or "").strip()
    if not s:
        return ""
    m = re.match(r"(\d{4}-\d{2}-\d{2})", s)
    if m:
        return m.group(1)
    s2 = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", s).replace("Sept ", "Sep ")
    for fmt in _DATE_FORMATS:
        try:
            d = datetime.strptime(s2, fmt)
        except ValueError:
            continue
        return d.strftime("%Y-%m-%d" if "%d" in fmt else ("%Y-%m" if "%m" in fmt or "%B" in fmt else "%Y"))
    return s


# --------------------------------------------------------------------------- grouping


class _Groups:
    """Union-find that never joins two groups holding a pair the user said are not the same."""

    def __init__(self, n: int, apart: dict[int, set[int]]):
        self.parent = list(range(n))
        self.members = {i: {i} for i in range(n)}
        self.apart = apart

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, force: bool = False) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        small, big = sorted((ra, rb), key=lambda r: len(self.members[r]))
        if not force and any(self.apart.get(x, set()) & self.members[big] for x in self.members[small]):
            return
        self.parent[small] = big
        self.members[big] |= self.members.pop(small)


def _value_key(f: Figure) -> tuple[float, float, float] | None:
    """(stated value, lowest and highest values that round to it) of a point figure; None for ranges."""
    if f.value is None or not math.isfinite(f.value):
        return None
    if f.low is not None and f.high is not None and f.low != f.high:
        return None
    x = float(f.value)
    step = figure_step(f) or 0.0
    down = rounding_below(x, step)
    if x >= 0:
        return x, x - down, x + step / 2
    return x, x - step / 2, x + down


def _range_key(f: Figure) -> tuple[float, float] | None:
    if f.low is not None and f.high is not None and f.low != f.high and f.value is None:
        return float(f.low), float(f.high)
    return None


def claims(store, min_appearances: int = 2, across_documents: bool = False,
           statuses=("confirmed",)) -> list[Claim]:
    """Every claim with at least ``min_appearances`` appearances (in several documents if
    ``across_documents``), the claims seen in most documents first, then earliest first."""
    docs = store.documents()
    doc_index = {d.id: i for i, d in enumerate(docs)}
    doc_info = {d.id: d for d in docs}
    figs = [f for f in store.figures(statuses=statuses) if f.document_id in doc_index]
    norm = [as_percent(f) for f in figs]
    index = {f.id: i for i, f in enumerate(figs)}

    apart: dict[int, set[int]] = {}
    forced: list[list[int]] = []
    for rel in store.records(Relation, "kind = 'same'", include_deleted=False):
        ids = [index[i] for i in [rel.target_id, *rel.input_ids] if i in index]
        if rel.status == "rejected":
            for other in ids[1:]:
                apart.setdefault(ids[0], set()).add(other)
                apart.setdefault(other, set()).add(ids[0])
        elif rel.status == "confirmed":
            forced.append(ids)
    uf = _Groups(len(figs), apart)
    for ids in forced:
        for k in ids[1:]:
            uf.union(ids[0], k, force=True)

    # bucket by units, then link values that agree within the written precision of either;
    # links inside one document first, then the closest values, so that a rejected pair keeps
    # apart the two claims it names rather than whichever figures happen to come first
    pairs: list[tuple] = []
    buckets: dict = {}
    for i, f in enumerate(norm):
        buckets.setdefault(figure_dims(f.unit, f.rate, f.counted), []).append(i)
    for members in buckets.values():
        points = sorted((*k, i) for i in members if (k := _value_key(norm[i])) is not None)
        values = [p[0] for p in points]
        for v, low, high, i in points:
            lo = bisect.bisect_left(values, low)
            hi = bisect.bisect_right(values, high)
            for v2, _l2, _h2, j in points[lo:hi]:
                if j != i:
                    pairs.append((figs[i].document_id != figs[j].document_id, abs(v2 - v), min(i, j), max(i, j)))
        ranges: dict = {}
        for i in members:
            rk = _range_key(norm[i])
            if rk is not None:
                ranges.setdefault(rk, []).append(i)
        for group in ranges.values():
            for j in group[1:]:
                pairs.append((figs[group[0]].document_id != figs[j].document_id, 0.0, group[0], j))
    for _cross, _diff, i, j in sorted(set(pairs)):
        uf.union(i, j)

    groups: dict[int, list[int]] = {}
    for i in range(len(figs)):
        groups.setdefault(uf.find(i), []).append(i)

    speakers = {s.id: s for s in store.speakers(include_merged=True)}
    out = []
    for members in groups.values():
        if len(members) < min_appearances:
            continue
        if across_documents and len({figs[i].document_id for i in members}) < 2:
            continue
        apps = [_appearance(store, figs[i], doc_info[figs[i].document_id], doc_index, speakers) for i in members]
        apps.sort(key=_order)
        first = apps[0].figure
        dims = figure_dims(as_percent(first).unit, first.rate, first.counted)
        out.append(Claim(id=first.id, label=figure_label(as_percent(first)), unit=unit_label(dims),
                         appearances=apps))
    out.sort(key=lambda c: (-len(c.document_ids), _order(c.first)))
    return out


def claim_of(store, figure_id: str) -> Claim | None:
    """The claim a figure belongs to (None when it appears only once)."""
    for c in claims(store):
        if figure_id in c.figure_ids:
            return c
    return None


def _order(a: Appearance) -> tuple:
    return (a.date or "9999", a.document_index, a.figure.start)


def _resolve(speakers: dict, sid: str) -> Speaker | None:
    sp = speakers.get(sid)
    seen = set()
    while sp is not None and sp.merged_into and sp.merged_into not in seen:
        seen.add(sp.id)
        sp = speakers.get(sp.merged_into, sp)
        if sp.id in seen:
            break
    return sp


def _appearance(store, f: Figure, doc, doc_index: dict, speakers: dict) -> Appearance:
    if doc.date:
        date, source = normalize_date(doc.date), "metadata"
    elif doc.created:
        date, source = normalize_date(doc.created), "added"
    else:
        date, source = "", ""
    roles = []
    for att in store.attributions(figure_id=f.id):
        sp = _resolve(speakers, att.speaker_id)
        if sp is None or sp.deleted:
            continue
        roles.append(SpeakerRole(sp.id, sp.name, sp.kind, sp.affiliation, att.role))
    title = doc.title or doc.source_name or "document"
    return Appearance(f, doc.id, title, date, source, roles, doc_index.get(doc.id, 0))


# --------------------------------------------------------------------------- picture

_ROLE_STYLE = {
    "states": ("#1f4e99", "#1f4e99"),  # fill, stroke
    "relays": ("#ffffff", "#1f4e99"),
    "confirms": ("#2e7d32", "#2e7d32"),
    "disputes": ("#c62828", "#c62828"),
    "": ("#9e9e9e", "#9e9e9e"),
}


def _short(s: str, n: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def timeline_svg(claim: Claim, width: int = 640) -> str:
    """A small standalone SVG: the claim's appearances down a time line, earliest at the top.

    Each dot is one appearance (filled: stated; hollow: relayed; green: confirmed; red:
    disputed; grey: no speaker recorded), with its date, speakers and roles, the words used
    and the document. An arrow marks each move to another document.
    """
    row, top, x_line = 46, 34, 96
    n = len(claim.appearances)
    height = top + row * n + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(_short(claim.label, 80))}: {n} appearances</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
        f'<text x="8" y="18" font-weight="bold">{escape(_short(claim.label, 70))}'
        f' — {len(claim.document_ids)} document(s)</text>',
    ]
    ys = [top + row * i + 12 for i in range(n)]
    for i in range(1, n):
        a, b = claim.appearances[i - 1], claim.appearances[i]
        moved = a.document_id != b.document_id
        marker = ' marker-end="url(#arrow)"' if moved else ""
        dash = "" if moved else ' stroke-dasharray="3,3"'
        out.append(f'<line x1="{x_line}" y1="{ys[i - 1] + 7}" x2="{x_line}" y2="{ys[i] - 8}" '
                   f'stroke="#555" stroke-width="1.5"{dash}{marker}/>')
    for a, y in zip(claim.appearances, ys):
        role = a.speakers[0].role if a.speakers else ""
        fill, stroke = _ROLE_STYLE.get(role, _ROLE_STYLE[""])
        out.append(f'<circle cx="{x_line}" cy="{y}" r="6" fill="{fill}" stroke="{stroke}" stroke-width="2"/>')
        out.append(f'<text x="{x_line - 14}" y="{y + 4}" text-anchor="end" fill="#333">'
                   f"{escape(a.date or 'no date')}</text>")
        who = "; ".join(s.text() for s in a.speakers) or "no speaker recorded"
        out.append(f'<text x="{x_line + 16}" y="{y + 1}" font-weight="bold">{escape(_short(who, 80))}</text>')
        detail = f"“{_short(a.exact, 40)}” — {_short(a.document_title, 48)}"
        out.append(f'<text x="{x_line + 16}" y="{y + 16}" fill="#555" font-size="11">{escape(detail)}</text>')
    out.append("</svg>")
    return "\n".join(out)


__all__ = ["Appearance", "Claim", "SpeakerRole", "claim_of", "claims", "normalize_date", "timeline_svg"]
