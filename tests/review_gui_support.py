"""Shared by the GUI tests of review, merge, agreement and export (not a test module).

Importing this registers the features' actions before any window is built (as app.py must).
"""

from __future__ import annotations

import pytest
from gui_helpers import open_and_wait

from annotator.qt import features  # noqa: F401  (registers the actions)
from annotator.qt.main_window import MainWindow


@pytest.fixture
def make_window(qtbot):
    def make() -> MainWindow:
        win = MainWindow()
        features.install_all(win)
        qtbot.addWidget(win)
        with qtbot.waitExposed(win):
            win.show()
        win.activateWindow()
        return win

    return make


@pytest.fixture
def win(make_window, qtbot, sample_path):
    w = make_window()
    open_and_wait(qtbot, w, sample_path)
    assert w.state is not None
    return w


def figure_with(win, exact: str, author: str | None = None):
    found = [f for f in win.state.figures.values() if f.exact == exact and (author is None or f.author == author)]
    assert len(found) == 1, (exact, found)
    return found[0]
