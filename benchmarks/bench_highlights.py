"""5,000 highlights in a long article: the reader's set_highlights vs raw QTextCursor.mergeCharFormat
over the same ranges in one edit block (issue 2: <= 1.5x). Also one edit's redraw (a verdict change).

Run: python benchmarks/bench_highlights.py
"""

from __future__ import annotations

import os
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import report, side_by_side  # noqa: E402
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.anchors import Utf16Map  # noqa: E402
from annotator.qt.highlights import Highlight  # noqa: E402
from annotator.qt.reader import ReaderView  # noqa: E402

N_FIGURES = 5000


def article(words: int = 50_000, seed: int = 7) -> str:
    rnd = random.Random(seed)
    vocab = ("the ministry said that prisoners were released in the province according to officials "
             "report costs rials per year protesters detained more than about").split()
    out, paragraph = [], []
    for i in range(words):
        w = rnd.choice(vocab)
        if rnd.random() < 0.12:
            w = f"{rnd.randint(1, 999)},{rnd.randint(0, 999):03d}"
        paragraph.append(w)
        if len(paragraph) > 80 and rnd.random() < 0.05:
            out.append(" ".join(paragraph) + ".")
            paragraph = []
    out.append(" ".join(paragraph) + ".")
    return "\n\n".join(out)


def main() -> int:
    app = QApplication.instance() or QApplication([])
    text = article()
    spans = [(m.start(), m.end()) for m in re.finditer(r"\d{1,3},\d{3}", text)][:N_FIGURES]
    assert len(spans) == N_FIGURES, len(spans)
    verdicts = ["unchecked", "accurate", "inaccurate", "misleading", "unverifiable"]
    highlights = {f"f:{i}": Highlight(f"f:{i}", "figure", str(i), s, e, verdicts[i % 5])
                  for i, (s, e) in enumerate(spans)}

    # raw: the same ranges merged on a plain QTextDocument, one edit block
    raw_doc = QTextDocument()
    raw_doc.setUndoRedoEnabled(False)
    raw_doc.setPlainText(text)
    m = Utf16Map(text)
    fmts = {v: QTextCharFormat() for v in verdicts}
    for i, v in enumerate(verdicts):
        fmts[v].setBackground(QColor.fromHsv(i * 60, 80, 255))
    raw_ranges = [(m.to_utf16(s), m.to_utf16(e), verdicts[i % 5]) for i, (s, e) in enumerate(spans)]

    def raw():
        cur = QTextCursor(raw_doc)
        cur.beginEditBlock()
        for a, b, v in raw_ranges:
            cur.setPosition(a)
            cur.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
            cur.mergeCharFormat(fmts[v])
        cur.endEditBlock()

    view = ReaderView()
    from annotator.core.model import DocumentInfo

    info = DocumentInfo(id="d", sha256="0" * 64, kind="text", title="Bench", source_name="bench.txt", metadata={},
                        pages=None, paragraphs=[], author="", created="", text_length=len(text))
    view.set_document(info, text)

    def ours():
        view.set_highlights(highlights, None)

    raw_t, ours_t = side_by_side(raw, ours, repeat=3, rounds=5)
    ok = report(f"{N_FIGURES} highlights (reader vs raw mergeCharFormat)", raw_t, ours_t, 1.5)

    # one edit: a verdict change redraws one range
    toggled = dict(highlights)
    state = {"i": 0}

    def one_edit():
        state["i"] += 1
        k = f"f:{state['i'] % N_FIGURES}"
        h = toggled[k]
        toggled[k] = Highlight(h.key, h.kind, h.figure_id, h.start, h.end,
                               verdicts[(verdicts.index(h.verdict) + 1) % 5])
        view.set_highlights(toggled, [k])

    def raw_one():
        state["i"] += 1
        a, b, v = raw_ranges[state["i"] % N_FIGURES]
        cur = QTextCursor(raw_doc)
        cur.beginEditBlock()
        cur.setPosition(a)
        cur.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        cur.setCharFormat(QTextCharFormat())
        cur.mergeCharFormat(fmts[v])
        cur.endEditBlock()

    raw1, ours1 = side_by_side(raw_one, one_edit, repeat=50, rounds=5)
    report("one edit redraw (reader vs raw reset+merge of one range)", raw1, ours1, 10.0, unit="us", scale=1e6, aim=True)
    view.deleteLater()
    app.processEvents()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
