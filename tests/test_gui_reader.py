"""The article reader: highlights redrawn edit by edit look exactly like a full redraw."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.core.model import DocumentInfo
from annotator.qt.highlights import Highlight
from annotator.qt.reader import ReaderView

pytestmark = pytest.mark.gui

TEXT = ("Officials 😀 said 30,000 protesters were held; “about 100,000 prisoners were pardoned,” Roydad 24 added. "
        "In other words 15% of 200,000 is 30,000 🎉 and $79 million a year. ") * 3


def _formats(view: ReaderView) -> list[tuple]:
    doc = view.edit.document()
    out = []
    cur = QTextCursor(doc)
    for pos in range(1, doc.characterCount()):
        cur.setPosition(pos)
        f = cur.charFormat()
        out.append((f.background().color().name() if f.background().style() != Qt.BrushStyle.NoBrush else "",
                    f.underlineStyle().value, f.underlineColor().name()))
    return out


def _random_highlight(rnd: random.Random, key: str) -> Highlight:
    s = rnd.randrange(0, len(TEXT) - 40)
    e = s + rnd.randrange(1, 40)
    kind = rnd.choice(["figure", "figure", "evidence"])
    return Highlight(key, kind, key, s, e, rnd.choice(["unchecked", "accurate", "inaccurate"]),
                     rnd.choice(["confirmed", "confirmed", "suggested"]))


@pytest.mark.parametrize("seed", range(4))
def test_incremental_redraw_equals_full_redraw(qtbot, seed):
    info = DocumentInfo(id="d", sha256="0" * 64, kind="text", title="T", source_name="t.txt", metadata={},
                        pages=None, paragraphs=[], author="", created="", text_length=len(TEXT))
    live, fresh = ReaderView(), ReaderView()
    qtbot.addWidget(live)
    qtbot.addWidget(fresh)
    live.set_document(info, TEXT)
    fresh.set_document(info, TEXT)
    rnd = random.Random(seed)
    shown: dict[str, Highlight] = {}
    live.set_highlights(shown, None)
    for step in range(40):
        key = f"k{rnd.randrange(12)}"
        if key in shown and rnd.random() < 0.3:
            del shown[key]
        else:
            shown[key] = _random_highlight(rnd, key)
        live.set_highlights(dict(shown), [key])
        if step % 8 == 7:
            fresh.set_highlights(dict(shown), None)
            assert _formats(live) == _formats(fresh), step
    fresh.set_highlights(dict(shown), None)
    assert _formats(live) == _formats(fresh)
    # clicks find the innermost figure under the cursor
    figs = [h for h in shown.values() if h.kind == "figure"]
    for h in figs:
        inner = min((g for g in figs if g.start <= h.start < g.end), key=lambda g: g.end - g.start)
        assert live.figure_at(h.start) == inner.figure_id
