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


def test_review_column_and_review_filter(win, qtbot):
    from annotator.core.review import set_review_status

    a = add_figure(win, "240,000", 240000.0)
    b = add_figure(win, "100,000", 100000.0)
    c = add_figure(win, "30,000", 30000.0)
    set_review_status(win.store, a.id, "disputed", "Rita")
    set_review_status(win.store, b.id, "accepted", "Sam")
    m = win.figures.model
    assert m.COLUMNS[m.REVIEW] == "Review"
    assert m.index(m.row_of(a.id), m.REVIEW).data() == "Disputed · Rita"
    assert m.index(m.row_of(b.id), m.REVIEW).data() == "Accepted · Sam"
    assert m.index(m.row_of(c.id), m.REVIEW).data() == ""
    panel = win.figures
    panel.filter_by(review="disputed")
    assert panel.visible_ids() == [a.id]
    panel.filter_by(review="")  # not reviewed
    assert panel.visible_ids() == [c.id]
    # the combo offers the same choices to the user
    combo = panel.review_filter
    combo.setCurrentIndex(combo.findData("accepted"))
    combo.activated.emit(combo.currentIndex())
    assert panel.visible_ids() == [b.id]
    # a review given later moves the figure in or out of the filtered list
    set_review_status(win.store, b.id, "", "")
    assert panel.visible_ids() == []
    panel.filter_by(review=None)
    assert set(panel.visible_ids()) == {a.id, b.id, c.id}
    # sorting by the Review column
    win.figures.table.sortByColumn(m.REVIEW, Qt.SortOrder.DescendingOrder)
    assert panel.visible_ids()[0] == a.id  # "disputed · rita" after "" in descending order


def test_show_filter_keeps_only_suggestions_or_only_confirmed_figures(win, qtbot):
    from gui_features import find_figures

    confirmed = add_figure(win, "240,000", 240000.0)
    report = find_figures(qtbot, win)
    assert report is not None and report.figures > 0
    panel = win.figures
    total = len(panel.visible_ids())
    panel.filter_by(show="suggested")
    shown = panel.visible_ids()
    assert len(shown) == report.figures and confirmed.id not in shown
    assert all(win.state.figures[i].status == "suggested" for i in shown)
    assert "of" in panel.count.text()
    panel.filter_by(show="confirmed")
    assert panel.visible_ids() == [confirmed.id]
    # accepting a suggestion moves it from one list to the other
    panel.filter_by(show="suggested")
    win.go_to_figure(shown[0])
    win.actions["accept_suggestion"].trigger()
    assert shown[0] not in panel.visible_ids()
    panel.filter_by(show="all")
    assert len(panel.visible_ids()) == total


def test_a_burst_of_edits_is_shown_once_and_the_next_edit_at_once(win, qtbot):
    """More than a burst's worth of events in one turn cost one reload; an edit after it is not held back."""
    from annotator.qt.models import StoreEvents

    needles = [w for w in ("240,000", "100,000", "30,000") if w in win.state.text]
    figs = [add_figure(win, n, float(i)) for i, n in enumerate(needles)]
    resets: list = []
    win.figures.model.modelReset.connect(lambda: resets.append(1))
    with win.store.transaction():
        for i in range(StoreEvents.BURST + 10):
            win.store.update(Figure, figs[0].id, note=f"note {i}")
    assert win.state.figures[figs[0].id].note == f"note {StoreEvents.BURST + 9}"  # reading the state settles it
    assert len(resets) == 1
    win.store.update(Figure, figs[-1].id, value=42.0)
    m = win.figures.model
    assert win.events.pending() is False
    assert m.index(m.row_of(figs[-1].id), m.VALUE).data() == win.state.value_text(win.state.figures[figs[-1].id])
    assert len(resets) == 1  # one figure changed: no reset
