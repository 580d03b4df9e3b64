"""A long suggestion pass uses a helper process for the pages ahead: same result, cancel, fallbacks.

The helper (annotator.core.figures_worker) is a fresh interpreter, started without fork, so a pass
from a worker thread (the app's Find figures runs in a QThread) can use it too.
"""

from __future__ import annotations

import threading
import time

import pytest

from annotator.core import figures_worker
from annotator.core.documents import load_document
from annotator.core.errors import Cancelled
from annotator.core.suggest import suggest


def _pages(doc) -> list[dict]:
    return [{"start": p.start, "end": p.end} for p in doc.pages]


def _same(a, b) -> None:
    assert [(s.start, s.end, s.text, s.parsed, s.page, s.speakers) for s in a] == \
        [(s.start, s.end, s.text, s.parsed, s.page, s.speakers) for s in b]


@pytest.fixture
def who(corpus_dir):
    """A real 155-page report (WHO hepatitis C guidelines): figures on most pages, quotes, sources."""
    return load_document(corpus_dir / "pdf" / "who-2022-hcv-children-adolescents-guidelines-155p.pdf")


@pytest.fixture
def from_helper(monkeypatch) -> list[int]:
    """The pages whose figures came from the helper process. The pass waits for the helper's first
    page before it starts (a short document would otherwise be done before the helper is up)."""
    pages: list[int] = []
    real_figures = figures_worker.FigureHelper.figures
    real_start = figures_worker.FigureHelper.start.__func__

    def start(cls, text, chunks, speakers=True):
        helper = real_start(cls, text, chunks, speakers)
        deadline = time.monotonic() + 60
        while helper is not None and time.monotonic() < deadline:
            helper._drain()
            if 0 in helper._figures:
                break
            time.sleep(0.005)
        return helper

    monkeypatch.setattr(figures_worker.FigureHelper, "start", classmethod(start))

    def figures(self, i):
        rows = real_figures(self, i)
        if rows is not None:
            pages.append(i)
        return rows

    monkeypatch.setattr(figures_worker.FigureHelper, "figures", figures)
    return pages


def test_the_helper_finds_exactly_what_one_process_finds(who, from_helper):
    alone = suggest(who.text, _pages(who), parallel=False)
    assert not from_helper
    helped = suggest(who.text, _pages(who), parallel=True)
    assert len(alone) > 500 and from_helper  # the helper did pages of the pass
    _same(alone, helped)


@pytest.fixture
def read_ahead(monkeypatch) -> list[int]:
    """The pass starts once the helper has read every page ahead; returns the pages whose
    attribution reading came from it."""
    pages: list[int] = []
    real_reading = figures_worker.FigureHelper.reading
    real_start = figures_worker.FigureHelper.start.__func__

    def start(cls, text, chunks, speakers=True):
        helper = real_start(cls, text, chunks, speakers)
        deadline = time.monotonic() + 120
        while helper is not None and not helper._eof and time.monotonic() < deadline:
            helper._drain()
            time.sleep(0.005)
        return helper

    def reading(self, i):
        got = real_reading(self, i)
        if got:
            pages.append(i)
        return got

    monkeypatch.setattr(figures_worker.FigureHelper, "start", classmethod(start))
    monkeypatch.setattr(figures_worker.FigureHelper, "reading", reading)
    return pages


def test_the_reading_done_ahead_gives_the_same_speakers(who, read_ahead):
    """Sentences, quotations, cue scans and verb-cue analysis made in the helper are installed
    instead of computed: every speaker candidate stays the same."""
    alone = suggest(who.text, _pages(who), parallel=False)
    helped = suggest(who.text, _pages(who), parallel=True)
    assert len(read_ahead) > 50
    _same(alone, helped)


def test_a_pass_from_a_worker_thread_can_use_the_helper(who, from_helper):
    got: dict = {}

    def run():
        got["found"] = suggest(who.text, _pages(who), parallel=True)

    t = threading.Thread(target=run)
    t.start()
    t.join(120)
    assert from_helper
    _same(suggest(who.text, _pages(who), parallel=False), got["found"])


def test_a_pass_from_a_qt_worker_thread_can_use_the_helper(who, from_helper, qtbot):
    """What Find figures does: the pass runs in a QThread (the helper is started from it)."""
    from PySide6.QtCore import QThread

    class Pass(QThread):
        found = None

        def run(self):
            self.found = suggest(who.text, _pages(who), parallel=True)

    t = Pass()
    t.start()
    qtbot.waitUntil(t.isFinished, timeout=120_000)
    t.wait()
    assert from_helper
    _same(suggest(who.text, _pages(who), parallel=False), t.found)


def test_without_a_helper_the_pass_carries_on_alone(who, monkeypatch):
    monkeypatch.setattr(figures_worker.sys, "executable", "/nonexistent/python")
    _same(suggest(who.text, _pages(who), parallel=False), suggest(who.text, _pages(who), parallel=True))


def test_a_helper_that_dies_is_replaced_by_the_pass_itself(who, monkeypatch):
    started = []
    real_start = figures_worker.FigureHelper.start.__func__

    def start_and_kill(cls, text, chunks, speakers=True):
        helper = real_start(cls, text, chunks, speakers)
        helper._proc.kill()
        started.append(helper)
        return helper

    monkeypatch.setattr(figures_worker.FigureHelper, "start", classmethod(start_and_kill))
    helped = suggest(who.text, _pages(who), parallel=True)
    assert started
    _same(suggest(who.text, _pages(who), parallel=False), helped)


def test_cancel_stops_a_helped_pass_and_its_helper(who, monkeypatch):
    started = []
    real_start = figures_worker.FigureHelper.start.__func__
    monkeypatch.setattr(figures_worker.FigureHelper, "start",
                        classmethod(lambda cls, t, c, sp=True: started.append(real_start(cls, t, c, sp)) or started[-1]))
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 20

    with pytest.raises(Cancelled):
        suggest(who.text, _pages(who), cancel=cancel, parallel=True)
    assert started and started[0]._proc.poll() is not None  # the helper process has ended


def test_the_helper_process_imports_only_what_it_uses():
    """Its start-up is paid inside every long pass: the calling side's modules (subprocess,
    tempfile, threading), pathlib, Qt, PyMuPDF and SQLite stay out of it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import annotator

    root = str(Path(annotator.__file__).resolve().parent.parent)
    code = ("import sys; from annotator.core.figures_worker import main; "
            "import annotator.core.figures, annotator.core.attribution; print(' '.join(sys.modules))")
    out = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": root}).stdout.split()
    assert "annotator.core.figures_worker" in out and "annotator.core.attribution" in out
    unwanted = {"subprocess", "tempfile", "threading", "pathlib", "sqlite3", "sqlite_utils", "pymupdf",
                "fitz", "PySide6", "json", "logging"}
    assert unwanted.isdisjoint(out), sorted(unwanted.intersection(out))
