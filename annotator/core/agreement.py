"""Agreement between people who annotated the same document.

* Figure spans: B's figures measured against A's (precision = share of B's figures that
  A also marked, recall = share of A's that B also marked, F1), with overlap matching:
  two spans match when they share at least one character, paired one-to-one by the
  largest overlap (intersection over union). Exact-boundary agreement is reported too.
* Speakers: the share of matched figures given the same set of speakers. A speaker is
  the same when it is the same record (merged speakers followed) or shares a name or
  alias with the other one (two checkers who each typed "MEK" agree).
* Verdicts on matched figures: observed agreement, Cohen's kappa and Gwet's AC1 (which
  stays meaningful when nearly every figure gets the same verdict, where kappa
  collapses).
* The disagreements, in document order, for the reviewer to walk through.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from annotator.core.model import VERDICTS, Figure, Speaker
from annotator.core.review import figure_speakers
from annotator.core.store import AnnotationStore

#: kinds of disagreement
ONLY_A, ONLY_B, BOUNDARY, SPEAKERS, VERDICT = "only_a", "only_b", "boundary", "speakers", "verdict"


# --------------------------------------------------------------------------- statistics


def cohen_kappa(a: list, b: list) -> float | None:
    """Cohen's kappa of two raters' labels (None when undefined: no items, or both raters
    used one and the same label for everything)."""
    if len(a) != len(b):
        raise ValueError("both raters must label the same items")
    n = len(a)
    if n == 0:
        return None
    po = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if pe >= 1.0:
        return None
    return (po - pe) / (1 - pe)


def gwet_ac1(a: list, b: list, categories: list | tuple | None = None) -> float | None:
    """Gwet's AC1 of two raters' labels over ``categories`` (default: the labels seen)."""
    if len(a) != len(b):
        raise ValueError("both raters must label the same items")
    n = len(a)
    if n == 0:
        return None
    cats = list(categories) if categories else sorted(set(a) | set(b))
    q = len(cats)
    po = sum(x == y for x, y in zip(a, b)) / n
    if q < 2:
        return 1.0 if po == 1.0 else None
    ca, cb = Counter(a), Counter(b)
    pe = sum(((ca[k] + cb[k]) / (2 * n)) * (1 - (ca[k] + cb[k]) / (2 * n)) for k in cats) / (q - 1)
    if pe >= 1.0:
        return None
    return (po - pe) / (1 - pe)


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def match_spans(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (index in a, index in b) of overlapping spans, largest overlap first."""
    cands = []
    order_b = sorted(range(len(b)), key=lambda j: b[j][0])
    for i, (s1, e1) in enumerate(a):
        for j in order_b:
            s2, e2 = b[j]
            if s2 >= max(e1, s1 + 1):
                break
            inter = min(e1, e2) - max(s1, s2)
            if inter > 0 or (s1 == s2 and e1 == e2):
                union = max(e1, e2) - min(s1, s2)
                iou = inter / union if union else 1.0
                cands.append((-iou, abs(s1 - s2), i, j))
    cands.sort()
    used_a, used_b, pairs = set(), set(), []
    for _, _, i, j in cands:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j))
    return pairs


# --------------------------------------------------------------------------- report


@dataclass
class Disagreement:
    """One place where two people differ. ``kinds`` holds one or more of "only_a",
    "only_b", "boundary", "speakers", "verdict"."""

    kinds: list[str]
    start: int
    end: int
    figure_a: Figure | None
    figure_b: Figure | None
    detail: str

    def to_dict(self) -> dict:
        return {
            "kinds": list(self.kinds),
            "start": self.start,
            "end": self.end,
            "figure_a": self.figure_a.id if self.figure_a else None,
            "figure_b": self.figure_b.id if self.figure_b else None,
            "text_a": self.figure_a.exact if self.figure_a else None,
            "text_b": self.figure_b.exact if self.figure_b else None,
            "detail": self.detail,
        }


@dataclass
class AgreementReport:
    document_id: str
    author_a: str
    author_b: str
    figures_a: int = 0
    figures_b: int = 0
    matched: int = 0  # overlapping pairs
    exact: int = 0  # pairs with identical boundaries
    precision: float | None = None  # share of B's figures matched by A's
    recall: float | None = None  # share of A's figures matched by B's
    f1: float | None = None
    exact_f1: float | None = None
    speakers_compared: int = 0
    speakers_same: int = 0
    speaker_agreement: float | None = None
    verdicts_compared: int = 0
    verdict_agreement: float | None = None  # observed share of equal verdicts
    cohen_kappa: float | None = None
    gwet_ac1: float | None = None
    disagreements: list[Disagreement] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "disagreements"}
        d["disagreements"] = [x.to_dict() for x in self.disagreements]
        return d


def _speaker_keys(store: AnnotationStore) -> dict[str, str]:
    """speaker id -> a key shared by speakers that are the same (merged, or sharing a name/alias)."""
    speakers = store.records(Speaker, include_deleted=True)
    parent = {s.id: s.id for s in speakers}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        if x in parent and y in parent:
            parent[find(x)] = find(y)

    by_name: dict[str, str] = {}
    for sp in speakers:
        if sp.merged_into:
            union(sp.id, sp.merged_into)
        for n in sp.all_names():
            k = " ".join(n.casefold().split())
            if not k:
                continue
            if k in by_name:
                union(sp.id, by_name[k])
            else:
                by_name[k] = sp.id
    return {s.id: find(s.id) for s in speakers}


def authors_of(store: AnnotationStore, document_id: str) -> list[str]:
    """People who marked confirmed figures on the document."""
    rows = store.conn.execute(
        "SELECT DISTINCT author FROM figures WHERE document_id = ? AND deleted = 0 AND status = 'confirmed' "
        "AND author != '' ORDER BY author",
        [document_id],
    )
    return [r[0] for r in rows]


def agreement(store: AnnotationStore, document_id: str, author_a: str, author_b: str) -> AgreementReport:
    """How far ``author_b``'s figures on a document agree with ``author_a``'s."""
    figs = [f for f in store.figures(document_id) if "orphan" not in f.flags]  # orphans have no span
    fa = sorted((f for f in figs if f.author == author_a), key=lambda f: (f.start, f.end))
    fb = sorted((f for f in figs if f.author == author_b), key=lambda f: (f.start, f.end))
    rep = AgreementReport(document_id, author_a, author_b, len(fa), len(fb))
    pairs = match_spans([(f.start, f.end) for f in fa], [(f.start, f.end) for f in fb])
    rep.matched = len(pairs)
    rep.exact = sum(1 for i, j in pairs if (fa[i].start, fa[i].end) == (fb[j].start, fb[j].end))
    rep.precision = rep.matched / len(fb) if fb else None
    rep.recall = rep.matched / len(fa) if fa else None
    rep.f1 = _f1(rep.precision, rep.recall)
    rep.exact_f1 = _f1(rep.exact / len(fb) if fb else None, rep.exact / len(fa) if fa else None)
    if not fa and not fb:
        rep.precision = rep.recall = rep.f1 = rep.exact_f1 = None

    keys = _speaker_keys(store)
    speakers = figure_speakers(store, document_id)
    names = {}

    def key_set(f: Figure) -> frozenset:
        out = set()
        for sp in speakers.get(f.id, []):
            out.add(keys.get(sp.id, sp.id))
            names.setdefault(keys.get(sp.id, sp.id), sp.name)
        return frozenset(out)

    va, vb = [], []
    found: list[Disagreement] = []
    for i, j in pairs:
        a, b = fa[i], fb[j]
        kinds, details = [], []
        if (a.start, a.end) != (b.start, b.end):
            kinds.append(BOUNDARY)
            details.append(f"marked “{a.exact}” / “{b.exact}”")
        ka, kb = key_set(a), key_set(b)
        rep.speakers_compared += 1
        if ka == kb:
            rep.speakers_same += 1
        else:
            kinds.append(SPEAKERS)
            sa = ", ".join(sorted(names[k] for k in ka)) or "no speaker"
            sb = ", ".join(sorted(names[k] for k in kb)) or "no speaker"
            details.append(f"speakers {sa} / {sb}")
        va.append(a.verdict)
        vb.append(b.verdict)
        if a.verdict != b.verdict:
            kinds.append(VERDICT)
            details.append(f"verdict {a.verdict} / {b.verdict}")
        if kinds:
            found.append(Disagreement(kinds, min(a.start, b.start), max(a.end, b.end), a, b, "; ".join(details)))
    matched_a = {i for i, _ in pairs}
    matched_b = {j for _, j in pairs}
    for i, f in enumerate(fa):
        if i not in matched_a:
            found.append(Disagreement([ONLY_A], f.start, f.end, f, None, f"only {author_a} marked “{f.exact}”"))
    for j, f in enumerate(fb):
        if j not in matched_b:
            found.append(Disagreement([ONLY_B], f.start, f.end, None, f, f"only {author_b} marked “{f.exact}”"))
    found.sort(key=lambda d: (d.start, d.end))
    rep.disagreements = found
    rep.speaker_agreement = rep.speakers_same / rep.speakers_compared if rep.speakers_compared else None
    rep.verdicts_compared = len(va)
    rep.verdict_agreement = sum(x == y for x, y in zip(va, vb)) / len(va) if va else None
    rep.cohen_kappa = cohen_kappa(va, vb)
    rep.gwet_ac1 = gwet_ac1(va, vb, VERDICTS)
    return rep


def pairwise_agreement(
    store: AnnotationStore, document_id: str, authors: list[str] | None = None
) -> list[AgreementReport]:
    """:func:`agreement` for every pair of ``authors`` (default: everyone who marked figures)."""
    people = list(authors) if authors is not None else authors_of(store, document_id)
    return [agreement(store, document_id, a, b) for a, b in combinations(people, 2)]


__all__ = [
    "AgreementReport",
    "Disagreement",
    "agreement",
    "authors_of",
    "cohen_kappa",
    "gwet_ac1",
    "match_spans",
    "pairwise_agreement",
]
