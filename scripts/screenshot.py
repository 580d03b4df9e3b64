"""Refresh docs/screenshot.png: the sample article open, a few figures marked and attributed.

    python scripts/screenshot.py [OUT.png]

Runs offscreen (set QT_QPA_PLATFORM to use a real display) with temporary settings and a
temporary annotation folder: your own settings and annotation files are not touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

# (figure text, occurrence, [(speaker, kind, role, evidence text or None)], verdict, note)
SCRIPT = [
    ("30,000", 0, [("MEK", "organisation", "states",
                    "The People’s Mojahedin of Iran (PMOI/MEK) was the first to announce")],
     "unverifiable", "Only the MEK's own count; no independent tally found."),
    ("1500", 0, [("MEK", "organisation", "states", None), ("Reuters", "outlet", "confirms",
                                                            "This number was later confirmed by Reuters")],
     "accurate", "Reuters, 23 Dec 2019: about 1,500 killed."),
    ("between 30 to 40 thousand", 0, [("Roydad 24", "outlet", "relays", None)], "unchecked", ""),
    ("around 100,000 prisoners", 0, [("Roydad 24", "outlet", "states", None)], "misleading",
     "Pardons are counted per year, not per amnesty."),
    ("100 million rials", 0, [("Mehdi Hajian", "person", "states",
                               "Mehdi Hajian, the spokesman of FARAJA, a.k.a state law enforcement forces, "
                               "announced"),
                              ("Roydad 24", "outlet", "relays", "Roydad 24 adds")], "unchecked", ""),
    ("15%", 0, [("Roydad 24", "outlet", "states", None)], "accurate", "30,000 / 200,000 = 15%."),
    ("$79 million", 0, [("MEK Iran (the article)", "document", "states", None)], "inaccurate",
     "3.6 quadrillion rials is about $86 million at 42,000 rials/$."),
]


def main(out: Path) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="annotator-shot-"))
    app = QApplication(sys.argv[:1])
    from annotator import SAMPLE_ARTICLE
    from annotator.core.model import Figure
    from annotator.qt import settings
    from annotator.qt.app import make_window

    settings.use_folder(tmp, "Maryam")
    win = make_window(deferred=True)  # as the app builds it: every feature installed, default dock layout
    win.resize(1440, 900)
    win.show()
    t = time.time()
    while not win.ready() and time.time() - t < 30:
        app.processEvents()
    win.open_path(SAMPLE_ARTICLE)
    t = time.time()
    while win.is_loading() and time.time() - t < 30:
        app.processEvents()
    text = win.state.text

    def span(needle: str, nth: int = 0) -> tuple[int, int]:
        i = -1
        for _ in range(nth + 1):
            i = text.index(needle, i + 1)
        return i, i + len(needle)

    focus = None
    for needle, nth, who, verdict, note in SCRIPT:
        win.reader.select_span(*span(needle, nth))
        fid = win.mark_figure()
        for name, kind, role, evidence in who:
            sid = win.create_speaker(name)
            win.update_speaker(sid, kind=kind)
            win.speakers.select(sid)
            att = win.attribute(role, use_text_selection=False)
            if evidence:
                win.editor.select_attribution(att)
                win.reader.select_span(*span(evidence))
                win.mark_evidence()
        win.set_verdict(verdict)
        if note:
            win.update_figure(fid, note=note)
        if needle == "100 million rials":
            focus = fid
    # a colleague's figure, and a suggestion as issue 3 will propose them
    s, e = span("3 trillion rials")
    win.store.add(Figure(document_id=win.doc_id, start=s, end=e, exact=text[s:e], value=3e12, unit="IRR",
                         author="Daniel", status="suggested"))
    s, e = span("Thirty thousand")
    win.store.add(Figure(document_id=win.doc_id, start=s, end=e, exact=text[s:e], value=30000, author="Daniel",
                         verdict="accurate"))
    win.update_speaker(win.store.find_speaker("Roydad 24").id, aliases=["Royedad 24"],
                       affiliation="state-affiliated news outlet")
    win.go_to_figure(focus)
    f = win.state.figures[focus]
    win.reader.set_cursor(f.start + 2)  # the cursor in the highlight: current, its verdict colour visible
    win.speakers.select(win.store.find_speaker("Roydad 24").id)
    win.reader.edit.setFocus()
    app.processEvents()
    win.statusBar().showMessage("Marked “100 million rials” = 100 million IRR")
    for _ in range(5):
        app.processEvents()
        time.sleep(0.05)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = win.grab().save(str(out))
    win.close()
    print(f"{'wrote' if ok else 'FAILED to write'} {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png"))
