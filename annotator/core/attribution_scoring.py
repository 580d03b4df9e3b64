"""Scores for speaker suggestions.

* :func:`score_speakers`: of the gold figures that the pipeline found (span overlap), the
  share whose first suggested speaker is the gold "states" speaker (names compared after
  folding case, diacritics, punctuation, articles and titles, against the gold name and its
  aliases; the document's own voice is name None on both sides). Relays are scored the
  same way, separately.
* :func:`score_sources`: precision / recall / F1 of source spans against brat-standoff gold
  (PolNeAR), with overlap matching (a predicted span counts when it overlaps a gold source
  span; each gold span is matched once).
* :func:`load_gold` / :func:`place_gold`: read a ``tests/gold/speakers/*.json`` file and place
  its figures in a (possibly slightly different) document text through their quote selectors.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.anchors import reanchor
from annotator.core.attribution import SpeakerCandidate, normalize_name

_TITLE_RE = re.compile(r"^(?:mr|mrs|ms|dr|prof|sen|rep|gov|senator|president|the)\s+")


def _fold(name: str | None) -> str | None:
    if name is None:
        return None
    n = normalize_name(name)
    while True:
        m = _TITLE_RE.match(n)
        if not m:
            break
        n = n[m.end() :]
    return n


def names_match(predicted: str | None, gold_name: str | None, gold_aliases: list[str] | tuple = ()) -> bool:
    """Same speaker? None (document voice) only matches None."""
    if gold_name is None or predicted is None:
        return gold_name is None and predicted is None
    p = _fold(predicted)
    return any(p == _fold(g) for g in [gold_name, *gold_aliases] if g)


# --------------------------------------------------------------------------- gold files


@dataclass
class GoldFigure:
    text: str
    start: int
    end: int
    speakers: list[dict]
    note: str | None = None

    @property
    def stated_by(self) -> dict:
        return next(s for s in self.speakers if s["role"] == "states")

    @property
    def relayed_by(self) -> list[dict]:
        return [s for s in self.speakers if s["role"] == "relays"]


@dataclass
class GoldDocument:
    document: str
    source: str
    text_source: str
    figures: list[GoldFigure]
    raw: dict = field(repr=False, default_factory=dict)


def load_gold(path: str | Path) -> GoldDocument:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    figs = [GoldFigure(f["text"], f["start"], f["end"], f["speakers"], f.get("note")) for f in data["figures"]]
    return GoldDocument(data["document"], data["source"], data["text_source"], figs, data)


def place_gold(gold: GoldDocument, text: str) -> list[GoldFigure | None]:
    """The gold figures re-placed in ``text`` (None where a figure cannot be found)."""
    out: list[GoldFigure | None] = []
    raw = gold.raw["figures"]
    for f, r in zip(gold.figures, raw):
        if text[f.start : f.end] == f.text:
            out.append(f)
            continue
        pl = reanchor(text, f.text, r.get("prefix", ""), r.get("suffix", ""), start_hint=f.start)
        if pl is None:
            out.append(None)
            continue
        delta = pl.start - f.start
        speakers = []
        for sp in f.speakers:
            sp = dict(sp)
            if "evidence" in sp:
                ev = dict(sp["evidence"])
                ev["start"] += delta
                ev["end"] += delta
                sp["evidence"] = ev
            speakers.append(sp)
        out.append(GoldFigure(f.text, pl.start, pl.end, speakers, f.note))
    return out


# --------------------------------------------------------------------------- speaker scores


@dataclass
class SpeakerScore:
    gold: int = 0  # gold figures placed in the text
    found: int = 0  # of those, found by the figure detector (span overlap)
    correct: int = 0  # found and the first candidate is the gold speaker
    relay_gold: int = 0  # found figures with a gold relay
    relay_correct: int = 0  # ... whose gold relays are all among the suggested relays
    errors: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (figure, gold, predicted)

    @property
    def accuracy(self) -> float:
        return self.correct / self.found if self.found else 0.0

    def add(self, other: "SpeakerScore") -> "SpeakerScore":
        return SpeakerScore(
            self.gold + other.gold, self.found + other.found, self.correct + other.correct,
            self.relay_gold + other.relay_gold, self.relay_correct + other.relay_correct, self.errors + other.errors,
        )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_speakers(
    gold: list[GoldFigure | None],
    predicted_spans: list[tuple[int, int]],
    predicted: list[list[SpeakerCandidate]],
) -> SpeakerScore:
    """Share of correctly found figures with the right speaker (first candidate), plus relay agreement."""
    sc = SpeakerScore()
    used: set[int] = set()
    for g in gold:
        if g is None:
            continue
        sc.gold += 1
        best, best_ov = None, 0
        for i, sp in enumerate(predicted_spans):
            if i in used:
                continue
            ov = _overlap((g.start, g.end), sp)
            if ov > best_ov:
                best, best_ov = i, ov
        if best is None:
            continue
        used.add(best)
        sc.found += 1
        cands = predicted[best]
        first = next((c for c in cands if c.role == "states"), cands[0] if cands else None)
        gs = g.stated_by
        pred_name = first.name if first is not None else None
        if names_match(pred_name, gs["name"], gs.get("aliases", [])):
            sc.correct += 1
        else:
            sc.errors.append((g.text, gs["name"], pred_name))
        if g.relayed_by:
            sc.relay_gold += 1
            relays = [c.name for c in cands if c.role == "relays"]
            if all(any(names_match(r, gr["name"], gr.get("aliases", [])) for r in relays) for gr in g.relayed_by):
                sc.relay_correct += 1
    return sc


# --------------------------------------------------------------------------- source spans (PolNeAR)


@dataclass
class SpanScore:
    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_pred: int = 0

    @property
    def precision(self) -> float:
        return self.matched_pred / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, o: "SpanScore") -> "SpanScore":
        return SpanScore(self.gold + o.gold, self.predicted + o.predicted, self.matched_gold + o.matched_gold,
                         self.matched_pred + o.matched_pred)


def read_brat(path: str | Path, label: str = "Source") -> list[tuple[int, int]]:
    """Spans of one label from a brat .ann file (a discontinuous span "0 5;9 12" counts as its hull)."""
    spans = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        typ, _, offs = parts[1].partition(" ")
        if typ != label:
            continue
        nums = [int(x) for x in re.findall(r"\d+", offs)]
        spans.append((min(nums), max(nums)))
    return sorted(set(spans))


def score_sources(gold: list[tuple[int, int]], predicted: list[tuple[int, int]]) -> SpanScore:
    """Overlap matching: each gold span is matched by at most one predicted span and vice versa."""
    gold = sorted(set(gold))
    predicted = sorted(set(predicted))
    sc = SpanScore(len(gold), len(predicted))
    taken: set[int] = set()
    for p in predicted:
        best, best_ov = None, 0
        for i, g in enumerate(gold):
            if i in taken:
                continue
            ov = _overlap(p, g)
            if ov > best_ov:
                best, best_ov = i, ov
        if best is not None:
            taken.add(best)
            sc.matched_pred += 1
    sc.matched_gold = len(taken)
    return sc


# --------------------------------------------------------------------------- PolNeAR figures


@dataclass
class BratAttribution:
    source: list[tuple[int, int]]  # empty for "Attribution-no-source"
    cue: list[tuple[int, int]]
    content: list[tuple[int, int]]


def read_brat_attributions(path: str | Path) -> list[BratAttribution]:
    """The attribution relations (E lines) of a PolNeAR .ann file, with their spans."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            typ, _, offs = parts[1].partition(" ")
            rngs = []
            for piece in offs.split(";"):
                a, b = piece.split()
                rngs.append((int(a), int(b)))
            spans[parts[0]] = (typ, rngs)
        elif line.startswith("E") and len(parts) >= 2:
            events.append(parts[1])
    out = []
    for ev in events:
        roles: dict[str, list[tuple[int, int]]] = {"Source": [], "Cue": [], "Content": []}
        for item in ev.split():
            role, _, tid = item.partition(":")
            if role in roles and tid in spans:
                roles[role].extend(spans[tid][1])
        out.append(BratAttribution(roles["Source"], roles["Cue"], roles["Content"]))
    return out


@dataclass
class PolnearFigureScore:
    figures: int = 0  # figures scored (those under a no-source attribution are left out)
    correct: int = 0
    document_gold: int = 0  # of the scored figures, those outside every gold content (document voice)
    errors: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.figures if self.figures else 0.0

    def add(self, o: "PolnearFigureScore") -> "PolnearFigureScore":
        return PolnearFigureScore(self.figures + o.figures, self.correct + o.correct,
                                  self.document_gold + o.document_gold, self.errors + o.errors)


def score_polnear_figures(
    text: str,
    gold: list[BratAttribution],
    spans: list[tuple[int, int]],
    predicted: list[list[SpeakerCandidate]],
) -> PolnearFigureScore:
    """Speaker of each detected figure against PolNeAR: the source of the innermost gold attribution whose
    content holds the figure, or the document's voice when none does. A prediction is right when its evidence
    overlaps the gold source or cue span, or its name matches the gold source text (pronoun sources only match
    by span)."""
    sc = PolnearFigureScore()
    for (s, e), cands in zip(spans, predicted):
        mid = (s + e) / 2
        holding = [a for a in gold if any(x <= mid < y for x, y in a.content)]
        first = next((c for c in cands if c.role == "states"), cands[0] if cands else None)
        if not holding:
            sc.figures += 1
            sc.document_gold += 1
            if first is None or first.name is None:
                sc.correct += 1
            else:
                sc.errors.append((text[s:e], None, first.name))
            continue
        inner = min(holding, key=lambda a: sum(y - x for x, y in a.content))
        if not inner.source:
            continue
        sc.figures += 1
        gold_text = " ".join(text[x:y] for x, y in inner.source)
        ok = False
        if first is not None and first.name is not None:
            if first.evidence_start is not None:
                ev = (first.evidence_start, first.evidence_end)
                ok = any(_overlap(ev, g) for g in inner.source + inner.cue)
            if not ok:
                g = _fold(gold_text) or ""
                p = _fold(first.name) or ""
                ok = bool(p) and (p == g or (len(p.split()) >= 1 and p.split()[-1] in g.split()))
        if ok:
            sc.correct += 1
        else:
            sc.errors.append((text[s:e], gold_text, first.name if first else None))
    return sc


# --------------------------------------------------------------------------- helpers for scripts and tests


def predicted_sources(text: str) -> list[tuple[int, int]]:
    """Source spans (as written) of every attribution the engine finds, for span scoring. Quotations
    repeat their cue's source and are not counted twice; "I"/"we" inside a quotation is the quoted
    speaker, not a new source."""
    from annotator.core.attribution import AttributionEngine

    eng = AttributionEngine(text)
    out = set()
    for r in eng.all_relations():
        if r.source_start is None or r.mode in ("quote", "continuation"):
            continue
        src = text[r.source_start : r.source_end].lower()
        if src in ("i", "we", "me", "us") and eng.ix.quote_at(r.source_start) is not None:
            continue
        out.add((r.source_start, r.source_end))
    return sorted(out)


def polnear_documents(polnear_dir: str | Path) -> list[tuple[str, str, Path]]:
    """(name, text, .ann path) of each article in a PolNeAR sample directory (text/ and attributions/)."""
    d = Path(polnear_dir)
    out = []
    for ann in sorted((d / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]  # the annotator id follows the last underscore
        txt = d / "text" / (stem + ".txt")
        if txt.exists():
            out.append((stem, txt.read_text(encoding="utf-8"), ann))
    return out
