"""Actions, shortcuts, start-up and settings of the desktop app."""

from __future__ import annotations

import subprocess
import sys

import pytest
from gui_helpers import open_and_wait
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel

from annotator import SAMPLE_ARTICLE
from annotator.qt import dialogs, settings
from annotator.qt.actions import shortcut_rows
from annotator.qt.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def win(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    return w


def test_every_action_has_a_name_a_tooltip_and_a_unique_shortcut(win):
    seen: dict[str, str] = {}
    actions = list(win.actions)
    assert len(actions) >= 40
    for a in actions:
        assert a.objectName(), a.text()
        assert a.toolTip() and a.toolTip() != a.text().replace("&", ""), a.objectName()
        assert a.shortcuts(), a.objectName()
        for k in a.shortcuts():
            key = k.toString(QKeySequence.SequenceFormat.PortableText)
            assert key not in seen, f"{key} is used by {seen.get(key)} and {a.objectName()}"
            seen[key] = a.objectName()
    # every action is reachable from a menu too
    in_menus = set()
    for m in win.menus.values():
        in_menus |= {x.objectName() for x in m.actions()}
    assert {a.objectName() for a in actions} <= in_menus


def test_help_lists_every_action_with_its_shortcut(win, qtbot):
    rows = shortcut_rows(win.actions)
    assert len(rows) == len(list(win.actions))
    assert ("Figure", "Mark figure", "M, Ctrl+M") == rows[[r[1] for r in rows].index("Mark figure")][:3]
    dlg = win.show_shortcuts()
    qtbot.addWidget(dlg)
    assert dlg.isVisible() and not dlg.isModal()
    assert dlg.table.rowCount() == len(rows)
    texts = {dlg.table.item(r, 2).text() for r in range(dlg.table.rowCount())}
    assert "Ctrl+O" in texts and "Ctrl+Shift+Z, Ctrl+Y" in texts


def test_pyside_void_calls_do_not_leak_references_to_none(qapp):
    # PySide6 6.12.0 on CPython 3.11 dropped a reference to None on every void-returning call and
    # aborted with "none_dealloc" after ~5,000 calls; pyproject keeps 3.11 on 6.11.
    label = QLabel()
    before = sys.getrefcount(None)
    for i in range(20_000):
        label.setText("x" if i % 2 else "y")
    after = sys.getrefcount(None)
    assert before - after < 1000, f"references to None fell by {before - after}"


def test_first_start_asks_the_name_once(monkeypatch, qapp):
    settings.set_author("")
    asked = []
    monkeypatch.setattr(dialogs, "ask_author", lambda _p, current="": asked.append(1) or "Zoë Ortega")
    assert dialogs.ensure_author(None) == "Zoë Ortega"
    assert dialogs.ensure_author(None) == "Zoë Ortega"
    assert asked == [1] and settings.author() == "Zoë Ortega"


def _mark_1500(w):
    """Mark "1500" in the sample (the window's only figure) and return it."""
    i = w.state.text.index("1500")
    w.reader.select_span(i, i + 4)
    w.actions.mark_figure.trigger()
    [f] = w.state.figures.values()
    return f


def test_preferences_change_the_name_on_new_marks(win, qtbot, sample_path, monkeypatch, tmp_path):
    open_and_wait(qtbot, win, sample_path)
    monkeypatch.setattr(dialogs, "ask_preferences", lambda _p: {"author": "Reviewer", "library_dir": ""})
    win.actions.preferences.trigger()
    assert settings.author() == "Reviewer" and win.me == "Reviewer"
    assert _mark_1500(win).author == "Reviewer"
    assert "Reviewer" in win.author_label.text()


def test_run_gui_without_arguments_opens_the_sample(monkeypatch, qtbot, qapp):
    from annotator.qt import app as app_module

    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    assert app_module.run_gui([]) == 0
    [w] = [x for x in QApplication.topLevelWidgets() if isinstance(x, MainWindow) and x.isVisible()]
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.state is not None and not w.is_loading(), timeout=10000)
    assert w.state.info.source_name == SAMPLE_ARTICLE.name
    assert settings.recent_files()[0].endswith(SAMPLE_ARTICLE.name)
    w.close()


def test_first_start_asks_the_name_over_the_shown_window_before_opening(monkeypatch, qtbot, qapp):
    from annotator.qt import app as app_module

    settings.set_author("")
    seen = []

    def ask(parent, current=""):
        seen.append((parent, parent is not None and parent.isVisible(), parent.state))
        return "Zoë Ortega"

    monkeypatch.setattr(dialogs, "ask_author", ask)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    assert app_module.run_gui([]) == 0
    [w] = [x for x in QApplication.topLevelWidgets() if isinstance(x, MainWindow) and x.isVisible()]
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.state is not None and not w.is_loading(), timeout=10000)
    # asked once, over the visible main window, before the sample was opened
    assert seen == [(w, True, None)]
    assert settings.author() == "Zoë Ortega" and w.me == "Zoë Ortega"
    assert _mark_1500(w).author == "Zoë Ortega"
    w.close()


def test_start_up_imports_no_pymupdf_nor_the_merge_code_and_main_py_runs(tmp_path):
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from PySide6.QtCore import QSettings, QStandardPaths\n"
        "QStandardPaths.setTestModeEnabled(True)\n"
        f"QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, {str(tmp_path)!r})\n"
        "app = QApplication([])\n"
        "from annotator.qt import settings\n"
        f"settings.set_author('T'); settings.set_library_dir({str(tmp_path / 'lib')!r})\n"
        "from annotator.qt.main_window import MainWindow\n"
        "from annotator import SAMPLE_ARTICLE\n"
        "w = MainWindow(features=True); w.show(); w.open_path(SAMPLE_ARTICLE)\n"
        "import time; t = time.time()\n"
        "while w.is_loading() and time.time() - t < 20: app.processEvents()\n"
        "assert w.state is not None\n"
        "t = time.time()\n"
        "while 'annotator.qt.merge_ui' not in sys.modules and time.time() - t < 5: app.processEvents()\n"
        "for _ in range(20): app.processEvents(); time.sleep(0.01)\n"
        "print('pymupdf' in sys.modules, 'fitz' in sys.modules)\n"
        "print('annotator.qt.merge_ui' in sys.modules, 'annotator.core.merge' in sys.modules)\n"
        "w.close()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[:2] == ["False", "False"]
    # the merge feature is installed, but the merge code is loaded only when there is something to merge
    assert out.stdout.split()[2:] == ["True", "False"]
    main = subprocess.run([sys.executable, "main.py", "--version"], capture_output=True, text=True, timeout=60,
                          cwd=str(SAMPLE_ARTICLE.parent.parent))
    assert main.returncode == 0 and "annotator" in main.stdout


# --------------------------------------------------------------------------- the app's window (run_gui)


@pytest.fixture
def app_window(qtbot):
    """The main window exactly as ``run_gui`` builds it: deferred, with every feature installed."""
    from annotator.qt import app as app_module

    w = app_module.make_window(deferred=True)
    qtbot.addWidget(w)
    assert not w.ready()  # only the first frame so far
    w.show()
    qtbot.waitUntil(w.ready, timeout=10000)
    return w


def _window_shortcuts(w) -> dict[str, list[str]]:
    """Key -> names of the window-wide actions it triggers (every QAction of the window, not only
    those the window made itself)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction

    keys: dict[str, list[str]] = {}
    for a in w.findChildren(QAction):
        if a.shortcutContext() == Qt.ShortcutContext.WidgetShortcut:
            continue
        for k in a.shortcuts():
            keys.setdefault(k.toString(QKeySequence.SequenceFormat.PortableText), []).append(a.objectName())
    return keys


def test_the_app_window_has_every_feature_and_unique_shortcuts(app_window, qtbot):
    w = app_window
    names = {a.objectName() for a in w.actions}
    for name in ("find_figures", "accept_suggestion", "show_checks", "new_relation", "show_provenance",
                 "merge_files", "show_merge_review", "export_csv", "import_w3c", "review_accepted", "show_review",
                 "show_agreement", "next_page", "go_to_page", "rotate_right", "fit_width"):
        assert name in names, name
    menu_text = {m.title().replace("&", "") for m in w.menus.values()}
    assert {"Review", "Export", "Checks", "Pages"} <= menu_text
    assert w.menuBar().actions()[-1].text().replace("&", "") == "Help"  # Help stays last
    # every window-wide shortcut triggers one action only
    clashes = {k: v for k, v in _window_shortcuts(w).items() if len(v) > 1}
    assert not clashes
    # Help ▸ Keyboard shortcuts lists the features' actions too
    rows = shortcut_rows(w.actions)
    assert len(rows) == len(list(w.actions))
    listed = {r[1] for r in rows}
    assert {"Find figures", "Merge colleagues' files", "Review panel", "Next page", "Go to page"} <= listed
    dlg = w.show_shortcuts()
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == len(rows)
    # the docks of the features are there, the default layout is not cluttered: the right side holds
    # the figure editor and the speakers, the bottom the figures list; the rest is tabbed or hidden
    from PySide6.QtWidgets import QDockWidget

    docks = {d.objectName(): d for d in w.findChildren(QDockWidget)}
    assert {"figureDock", "speakersDock", "figuresDock", "checksDock"} <= set(docks)
    visible = [n for n, d in docks.items() if d.isVisible() and not w.tabifiedDockWidgets(d)]
    assert set(visible) <= {"figureDock", "speakersDock", "figuresDock"}


def test_the_app_window_opens_the_sample_after_its_first_frame(qtbot, sample_path, monkeypatch):
    from annotator.qt import app as app_module

    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    made = []
    real = app_module.make_window
    monkeypatch.setattr(app_module, "make_window", lambda deferred=False: made.append(real(deferred)) or made[-1])
    assert app_module.run_gui([]) == 0
    [w] = made
    qtbot.addWidget(w)
    # the first frame holds the sample's text already (read before the rest of the window is built)
    assert w.reader.text == sample_path.read_text(encoding="utf-8")
    qtbot.waitUntil(lambda: w.ready() and w.state is not None and not w.is_loading(), timeout=10000)
    assert w.state.text == w.reader.text
    assert w.actions.find_figures.isEnabled()
    w.close()


def test_a_deferred_window_never_painted_is_built_anyway(qtbot):
    from annotator.qt import app as app_module

    w = app_module.make_window(deferred=True)
    qtbot.addWidget(w)  # never shown: no first paint
    assert not w.ready()
    qtbot.waitUntil(w.ready, timeout=5000)
    assert w.actions.find_figures.objectName() == "find_figures"
