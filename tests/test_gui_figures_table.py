"""The figures table: its order kept while figures come and change, its filters."""

from __future__ import annotations

import pytest
from gui_features import alias_ask, make_window, win  # noqa: F401
from PySide6.QtCore import Qt

from annotator.core.model import Figure
from annotator.qt.models import FIGURE_ID_ROLE, FiguresModel

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def add_figure(win, needle: str, value: float | None, **kw) -> Figure:
    text = win.state.text
    i = text.index(needle)
    return win.store.add(Figure(document_id=win.doc_id, start=i, end=i + len(needle), exact=needle, value=value,
                                **kw))


def values_shown(win) -> list:
    m = win.figures.model
    return [win.state.figures[fid].value for fid in win.figures.visible_ids() if fid in m._row]


def test_sorted_table_keeps_its_order_when_figures_are_added_and_changed(win, qtbot):
    table = win.figures.table
    big = add_figure(win, "240,000", 240000.0)
    add_figure(win, "100,000", 100000.0)
    table.sortByColumn(FiguresModel.VALUE, Qt.SortOrder.DescendingOrder)
    assert win.figures.visible_ids()[0] == big.id
    # a new figure goes where its value puts it, not at the end
    huge = add_figure(win, "30,000", 9e9)
    assert win.figures.visible_ids()[0] == huge.id
    # a changed value moves its row; the current row stays selected on the same figure
    win.go_to_figure(big.id)
    win.store.update(Figure, huge.id, value=1.0)
    ids = win.figures.visible_ids()
    assert ids[0] == big.id and ids[-1] == huge.id
    assert table.currentIndex().data(FIGURE_ID_ROLE) == big.id
    shown = values_shown(win)
    assert shown == sorted(shown, reverse=True)
    # ascending by value: the reverse order (equal keys keep the text order)
    table.sortByColumn(FiguresModel.VALUE, Qt.SortOrder.AscendingOrder)
    shown = values_shown(win)
    assert shown == sorted(shown)
