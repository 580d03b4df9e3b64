"""The main window's hooks for feature modules: its signals and late actions."""

from __future__ import annotations

import pytest
from gui_features import alias_ask, find_figures, make_window, win  # noqa: F401
from gui_helpers import open_and_wait

from annotator.qt.actions import ActionSpec, shortcut_rows
from annotator.qt.feature_base import WindowLink, ensure_actions

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def test_window_signals_follow_the_file_and_the_current_figure(win, qtbot, sample_path):
    find_figures(qtbot, win)
    fids = [fid for _s, _e, fid in win.state.ordered()]
    seen: list = []
    win.currentFigureChanged.connect(seen.append)
    win.go_to_figure(fids[0])
    assert seen[-1] == fids[0]
    link = WindowLink.of(win)
    current: list = []
    link.currentFigureChanged.connect(current.append)
    win.set_current_figure(None)
    assert seen[-1] is None and current == [None]
    win.go_to_figure(fids[0])
    stores: list = []
    win.storeChanged.connect(lambda: stores.append(win.store))
    resets: list = []
    link.documentReset.connect(lambda: resets.append(1))
    win._close_store()
    assert stores and stores[-1] is None and seen[-1] is None and current[-1] is None
    open_and_wait(qtbot, win, sample_path)
    assert stores[-1] is win.store and win.store is not None
    assert resets  # the link followed the new file's events
    assert link._events is win.events


def test_an_action_added_late_is_listed_in_the_shortcuts(win):
    spec = ActionSpec("late_feature_test", "&Late feature", ("Ctrl+Alt+Shift+L",), "A feature installed late.",
                      "Figure", 9)
    acts = ensure_actions(win, [spec])
    assert acts["late_feature_test"] is win.actions["late_feature_test"]
    assert acts["late_feature_test"] in win.menus["Figure"].actions()
    rows = shortcut_rows(win.actions)
    assert any(action == "Late feature" and "L" in keys for _m, action, keys, _t in rows)
    # asking again gives the same action
    assert win.actions.add(spec) is acts["late_feature_test"]


def test_figures_list_menu_and_figure_menu_offer_accept_and_reject_for_a_suggestion(win, qtbot):
    from annotator.core.model import Figure

    find_figures(qtbot, win)
    accept, reject = win.actions["accept_suggestion"], win.actions["reject_suggestion"]
    figure_menu = win.menus["Figure"].actions()
    assert accept in figure_menu and reject in figure_menu
    first = win.current_figure()
    assert first is not None and first.status == "suggested"
    menu = win.figures_context_menu()
    assert menu.actions()[:2] == [accept, reject]
    accept.trigger()
    assert win.store.get(Figure, first.id).status == "confirmed"
    # a confirmed figure's menu has no review actions
    win.go_to_figure(first.id)
    menu = win.figures_context_menu()
    assert accept not in menu.actions() and win.actions.edit_value in menu.actions()


def test_hidden_feature_docks_leave_no_stray_tab_bar_and_tabify_when_shown(qtbot):
    from PySide6.QtWidgets import QDockWidget, QTabBar

    from annotator.qt.main_window import MainWindow

    w = MainWindow(features=True)  # not deferred: the features' docks are added before the first show
    qtbot.addWidget(w)
    with qtbot.waitExposed(w):
        w.show()
    qtbot.waitUntil(lambda: w.findChild(QDockWidget, "mergeDock") is not None)
    qtbot.wait(20)
    docks = {d.objectName(): d for d in w.findChildren(QDockWidget)}
    hidden_titles = {d.windowTitle() for d in docks.values() if d.isHidden()}
    assert "Merge review" in hidden_titles
    for bar in w.findChildren(QTabBar):
        if bar.parent() is w and bar.isVisible():
            titles = [bar.tabText(i) for i in range(bar.count())]
            assert len(titles) > 1, titles  # a one-tab bar is a stray
            assert not hidden_titles & set(titles), titles
    # shown from its menu action, the merge review sits in a tab beside the figures list
    w.actions["show_merge_review"].trigger()
    merge = docks["mergeDock"]
    assert merge.isVisible() and docks["figuresDock"] in w.tabifiedDockWidgets(merge)
