"""Fixtures shared by the GUI tests of the suggestions, checks and provenance features.

The feature modules register their actions when imported (before any window is built) and
are installed on a constructed window with ``factcheck_features.install_all(window)``, as the main
window will do itself once its one-line hook is in place (it is harmless to call twice).
"""

from __future__ import annotations

import pytest
from gui_helpers import open_and_wait

from annotator.qt import checks_panel, factcheck_features, provenance_view, suggestions
from annotator.qt.main_window import MainWindow


class AliasAsk:
    """Stands in for the alias dialog: records the proposals, answers with ``answer``."""

    def __init__(self):
        self.calls: list[list[tuple[str, str]]] = []
        self.answer = None  # None: "Keep separate"; "all": every proposal

    def __call__(self, _parent, proposals):
        self.calls.append(list(proposals))
        return list(proposals) if self.answer == "all" else self.answer


@pytest.fixture
def alias_ask(monkeypatch):
    ask = AliasAsk()
    monkeypatch.setattr(suggestions, "ask_alias_proposals", ask)
    return ask


@pytest.fixture
def make_window(qtbot, alias_ask):
    def make() -> MainWindow:
        win = MainWindow()
        qtbot.addWidget(win)
        factcheck_features.install_all(win)
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


def find_figures(qtbot, win, timeout: int = 10000):
    """Run Find figures as a user would (its action) and wait for the pass to be stored."""
    ctl = suggestions.controller(win)
    with qtbot.waitSignal(ctl.passFinished, timeout=timeout) as blocker:
        win.actions.find_figures.trigger()
    return blocker.args[0]


def figure_with(win, exact: str, statuses=("confirmed", "suggested")):
    found = [f for f in win.store.figures(win.doc_id, statuses=statuses) if f.exact == exact]
    assert len(found) == 1, (exact, [f.exact for f in win.store.figures(win.doc_id, statuses=statuses)])
    return found[0]


def checks_of(win):
    return checks_panel.controller(win)


def provenance_of(win):
    return provenance_view.controller(win)
