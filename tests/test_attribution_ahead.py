"""Reading ahead (prepare_page in a helper process, install in the pass) changes no result, whatever the
helper prepared: every page, pages prepared for other figures, or pages the pass read before they came."""

import pickle
import re
from pathlib import Path

from annotator.core import attribution as A

SAMPLE = Path(__file__).resolve().parent.parent / "resources" / "iran-prison-amnesty-2023.txt"
_FIG = re.compile(r"\d[\d,.]*%?")


def _doc():
    text = SAMPLE.read_text(encoding="utf-8")
    text = "\n\n".join([text] * 3)  # long enough for several pages
    step = len(text) // 9
    chunks = [(i, min(len(text), i + step)) for i in range(0, len(text), step)]
    spans = [[m.span() for m in _FIG.finditer(text, s, e)] for s, e in chunks]
    return text, chunks, spans


def _plain(text, chunks, spans):
    t = "".join([text[:1], text[1:]])
    out = [A.attribute(t, sp) for sp in spans]
    A.release(t)
    return out


def _ahead(text, chunks, spans, helper_spans, late=()):
    eng = A.AttributionEngine(text, focus=[])
    prepared = [pickle.loads(pickle.dumps(eng.prepare_page(s, e, hs), 5)) for (s, e), hs in zip(chunks, helper_spans)]
    t = "".join([text[:1], text[1:]])
    out = []
    for i, (sp, pr) in enumerate(zip(spans, prepared)):
        if i not in late:
            A.install(t, pr)
        out.append(A.attribute(t, sp))
        if i in late:
            A.install(t, pr)  # came too late: paragraphs read already keep their own
    A.release(t)
    return out


def test_install_gives_the_same_results():
    text, chunks, spans = _doc()
    want = _plain(text, chunks, spans)
    assert _ahead(text, chunks, spans, spans) == want
    # the helper chose its sentences for other figures (none, or the next page's)
    assert _ahead(text, chunks, spans, [[] for _ in spans]) == want
    assert _ahead(text, chunks, spans, spans[1:] + [[]]) == want
    assert _ahead(text, chunks, spans, spans, late={0, 3, 4}) == want
