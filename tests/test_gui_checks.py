"""Check the numbers in the window: relations, mismatches flagged, suggested checks, provenance."""

from __future__ import annotations

import pytest
from gui_features import (alias_ask, checks_of, figure_with, find_figures, make_window,  # noqa: F401
                          provenance_of, win)
from gui_helpers import Messages, open_and_wait
from PySide6.QtCore import QByteArray, QEvent, Qt
from PySide6.QtGui import QHelpEvent, QTextCharFormat
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QStyleOptionViewItem, QToolTip

from annotator.core.model import Figure, Relation
from annotator.qt import relation_dialog
from annotator.qt.checks_panel import MISMATCH_INK, MISMATCH_LINE, RELATION_ID_ROLE
from annotator.qt.models import FiguresModel

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def the_period_check(win, qtbot):
    """The sample's yearly cost: 12 × “more than 3 trillion rials” (per month) vs “3,6 quadrillion rials”."""
    find_figures(qtbot, win)
    year = figure_with(win, "3,6 quadrillion rials")
    month = figure_with(win, "more than 3 trillion rials")
    win.go_to_figure(year.id)
    rid = checks_of(win).new_relation("period", year.id, [month.id])
    assert rid is not None
    return rid, year, month


def settle(qtbot, ctl):
    """Wait for the checks to be recomputed after a store change (coalesced, next event-loop turn)."""
    qtbot.waitUntil(lambda: not ctl.pending(), timeout=5000)


def row_of(ctl, rid):
    [item] = [it for it in ctl.panel.items() if it.data(0, RELATION_ID_ROLE) == rid]
    return item


def test_a_period_check_on_the_sample_is_a_mismatch_shown_in_the_panel_list_and_text(win, qtbot):
    rid, year, month = the_period_check(win, qtbot)
    ctl = checks_of(win)
    res = ctl.result(rid)
    assert res.status == "mismatch"
    assert res.expected == pytest.approx(36e12)
    assert "× 12" in res.computation and "3.6 quadrillion" in res.computation
    assert "factor of about 100" in res.message
    # the panel: a red row with the computation, selected, its detail spelled out
    item = row_of(ctl, rid)
    assert item.text(0) == "mismatch"
    assert item.text(3) == res.computation
    assert item.foreground(0).color().name() == "#b3261e"
    assert ctl.panel.selected_id() == rid
    assert "factor of about 100" in ctl.panel.detail.toPlainText()
    assert "mismatch" in ctl.panel.count.text()
    # the figures list: a red badge on the derived figure only, the message as its tooltip
    table = win.figures.table
    proxy = win.figures.proxy
    src = win.figures.model
    idx = proxy.mapFromSource(src.index(src.row_of(year.id), FiguresModel.TEXT))
    opt = QStyleOptionViewItem()
    ctl.delegate.initStyleOption(opt, idx)
    assert opt.features & QStyleOptionViewItem.ViewItemFeature.HasDecoration and not opt.icon.isNull()
    other = proxy.mapFromSource(src.index(src.row_of(month.id), FiguresModel.TEXT))
    opt2 = QStyleOptionViewItem()
    ctl.delegate.initStyleOption(opt2, other)
    assert opt2.icon.isNull()
    assert "factor of about 100" in ctl.mismatch_tooltip(year.id)
    rect = table.visualRect(idx)
    ev = QHelpEvent(QEvent.Type.ToolTip, rect.center(), table.viewport().mapToGlobal(rect.center()))
    assert ctl.delegate.helpEvent(ev, table, QStyleOptionViewItem(), idx)
    assert "factor of about 100" in QToolTip.text()
    QToolTip.hideText()
    # the text: a red wavy underline under the derived figure
    assert ctl.flagged_in_text() == [(year.start, year.end)]
    fmt = win.reader.format_at(year.start)
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    assert fmt.underlineColor().name() == MISMATCH_LINE
    assert fmt.foreground().color().name() == MISMATCH_INK
    assert win.reader.is_highlighted(year.start)  # the verdict fill stays under the flag
    other = win.reader.format_at(month.start)
    assert other.underlineStyle() != QTextCharFormat.UnderlineStyle.WaveUnderline
    # undo removes the relation and every flag; redo brings them back
    win.undo()
    assert win.store.get(Relation, rid).deleted
    settle(qtbot, ctl)
    assert ctl.panel.items() == [] and ctl.mismatched == set() and ctl.flagged_in_text() == []
    assert win.reader.format_at(year.start).underlineStyle() != QTextCharFormat.UnderlineStyle.WaveUnderline
    win.redo()
    settle(qtbot, ctl)
    assert ctl.mismatched == {year.id} and ctl.flagged_in_text() == [(year.start, year.end)]


def test_selecting_a_check_selects_its_derived_figure(win, qtbot):
    rid, year, month = the_period_check(win, qtbot)
    ctl = checks_of(win)
    win.go_to_figure(month.id)
    ctl.panel.tree.setCurrentItem(None)
    ctl.panel.tree.setCurrentItem(row_of(ctl, rid))
    assert win.current_figure_id == year.id
    sel = win.view.selection()
    assert (sel.start, sel.end) == (year.start, year.end)


def test_a_corrected_figure_clears_its_flag(win, qtbot):
    rid, year, month = the_period_check(win, qtbot)
    ctl = checks_of(win)
    # the writer meant 36 trillion a year: once the value is corrected the check agrees
    win.update_figure(year.id, value=3.6e13)
    qtbot.waitUntil(lambda: ctl.result(rid).status == "ok")
    assert ctl.mismatched == set() and ctl.flagged_in_text() == []
    assert row_of(ctl, rid).text(0) == "agrees"


def test_suggest_checks_lists_proposals_apart_then_accept_reject_and_delete(win, qtbot):
    find_figures(qtbot, win)
    ctl = checks_of(win)
    win.actions.suggest_checks.trigger()
    proposed = win.store.relations(statuses=("suggested",))
    assert proposed and {r.kind for r in proposed} >= {"share", "period"}
    items = ctl.panel.items()
    assert len(items) == len(proposed)
    assert all("(suggested)" in it.text(0) and it.font(1).italic() for it in items)
    # the sample's 12 × 3 trillion ≠ 3.6 quadrillion is proposed, and flagged at once
    year = figure_with(win, "3,6 quadrillion rials")
    [period] = [r for r in proposed if r.kind == "period" and r.target_id == year.id]
    assert ctl.result(period.id).status == "mismatch" and year.id in ctl.mismatched
    # the share 30,000 = 15% of 200,000 agrees
    [share] = [r for r in proposed if r.kind == "share"]
    assert ctl.result(share.id).status == "ok"
    # accept one with its button
    ctl.panel.select(share.id)
    assert ctl.panel.buttons["accept_relation"].isEnabled()
    ctl.panel.buttons["accept_relation"].click()
    assert win.store.get(Relation, share.id).status == "confirmed"
    item = row_of(ctl, share.id)
    assert item.text(0) == "agrees" and not item.font(1).italic()
    assert not ctl.panel.buttons["accept_relation"].isEnabled()  # already accepted
    # reject another with its action: hidden, kept as rejected, not proposed again
    ctl.panel.select(period.id)
    win.actions.reject_relation.trigger()
    assert win.store.get(Relation, period.id).status == "rejected"
    assert period.id not in [it.data(0, RELATION_ID_ROLE) for it in ctl.panel.items()]
    assert year.id not in ctl.mismatched
    win.actions.suggest_checks.trigger()
    assert not [r for r in win.store.relations(statuses=("suggested", "confirmed"))
                if r.kind == "period" and r.target_id == year.id]
    # undo the rejection: back as a suggestion
    win.undo()
    settle(qtbot, ctl)
    assert win.store.get(Relation, period.id).status == "suggested" and year.id in ctl.mismatched
    # delete the accepted one
    ctl.panel.select(share.id)
    ctl.panel.buttons["delete_relation"].click()
    assert win.store.get(Relation, share.id).deleted
    win.undo()
    assert not win.store.get(Relation, share.id).deleted


def test_relation_dialog_builds_a_currency_check_with_rate_date_and_source(win, qtbot):
    find_figures(qtbot, win)
    usd = figure_with(win, "around $79 million")
    irr = figure_with(win, "3,6 quadrillion rials")
    st = win.state
    figures = [st.figures[fid] for _s, _e, fid in st.ordered()]
    dlg = relation_dialog.RelationDialog(win, win.store, figures, usd.id)
    qtbot.addWidget(dlg)
    dlg.kind.setCurrentIndex(dlg.kind.findData("currency"))
    assert set(dlg.param_fields) >= {"rate", "base", "quote", "date", "source"}
    assert "exchange rate" in dlg.param_fields["rate"].placeholderText()
    assert usd.id not in [dlg.inputs.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
                          for i in range(dlg.inputs.topLevelItemCount())]
    dlg.set_inputs([irr.id])
    dlg.param_fields["rate"].setText("45,000")
    dlg.param_fields["date"].setText("2023-02-15")
    dlg.param_fields["source"].setText("bonbast.com")
    values = dlg.values()
    assert values == {"kind": "currency", "target_id": usd.id, "input_ids": [irr.id],
                      "params": {"rate": "45,000", "date": "2023-02-15", "source": "bonbast.com"}, "note": ""}
    rid = checks_of(win).new_relation(**values)
    rel = win.store.get(Relation, rid)
    assert rel.params["rate"] == 45000.0 and rel.params["source"] == "bonbast.com"
    res = checks_of(win).result(rid)
    assert "rate of 2023-02-15" in res.computation and "bonbast.com" in res.computation
    assert res.expected == pytest.approx(3.6e15 / 45000)


def test_relation_dialog_keeps_a_wrong_relation_open_with_its_reason(win, qtbot, monkeypatch):
    find_figures(qtbot, win)
    st = win.state
    figures = [st.figures[fid] for _s, _e, fid in st.ordered()]
    dlg = relation_dialog.RelationDialog(win, win.store, figures, figures[0].id)
    qtbot.addWidget(dlg)
    dlg.kind.setCurrentIndex(dlg.kind.findData("product"))
    dlg.set_inputs([figures[1].id])
    dlg.accept()  # one factor is not a product: the dialog stays, the reason is shown
    assert dlg.result() == 0 and dlg.error.isVisibleTo(dlg)
    assert "needs at least 2 input figure(s)" in dlg.error.text()
    # the apply part says the same to the user and adds nothing
    messages = Messages(monkeypatch)
    assert checks_of(win).new_relation("currency", figures[0].id, [figures[1].id], {"rate": "abc"}) is None
    assert messages.texts == ["The rate “abc” is not a number."]
    assert win.store.relations(statuses=()) == []


def test_provenance_lists_a_claim_across_two_documents_earliest_first(win, qtbot, tmp_path):
    # a second report repeating the MEK's figure, added to the same annotation file
    other = tmp_path / "second-report.txt"
    other.write_text("Iran protests: a follow-up\n\nThe MEK said at least 30,000 people were detained during the "
                     "protests, a figure repeated by rights groups.\n", encoding="utf-8")
    find_figures(qtbot, win)
    sample_doc = win.doc_id
    first = figure_with(win, "at least 30,000")
    win.go_to_figure(first.id)
    win.actions.accept_suggestion.trigger()
    win.add_document_path(other)
    qtbot.waitUntil(lambda: not win.is_loading() and len(win.store.documents()) == 2, timeout=10000)
    second_doc = [d.id for d in win.store.documents() if d.id != sample_doc][0]
    if win.doc_id != second_doc:
        win.show_document(second_doc)
    find_figures(qtbot, win)
    second = figure_with(win, "at least 30,000")
    win.go_to_figure(second.id)
    win.actions.accept_suggestion.trigger()

    pv = provenance_of(win)
    win.actions.show_provenance.setChecked(False)
    win.actions.show_provenance.setChecked(True)  # shown and raised: refreshed
    qtbot.waitUntil(lambda: bool(pv.claims), timeout=5000)
    claim = next(c for c in pv.claims if first.id in c.figure_ids)
    assert claim.figure_ids == [first.id, second.id]  # the sample was added first: earliest
    assert claim.document_ids == [sample_doc, second_doc]
    tree = pv.panel.tree
    top = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).text(0) == claim.label)
    assert top.text(3) == "2 documents" and top.childCount() == 2
    assert top.child(0).text(3) == win.store.document(sample_doc).title
    assert "People’s Mojahedin of Iran" in top.child(0).text(2) and "(states)" in top.child(0).text(2)
    assert top.child(1).text(1) == "at least 30,000"
    # the timeline picture of the selected claim is drawn
    tree.setCurrentItem(top)
    svg = pv.panel.svg
    assert svg is not None and svg.isVisibleTo(pv.panel) and svg.renderer().isValid()
    assert svg.size() == svg.renderer().defaultSize()
    from annotator.core.provenance import timeline_svg

    assert QSvgRenderer(QByteArray(timeline_svg(claim).encode())).isValid()
    # choosing an appearance shows its document and selects the figure
    pv.panel.tree.itemClicked.emit(top.child(0), 0)
    assert win.doc_id == sample_doc and win.current_figure_id == first.id
    # suggestions counted too, when asked: the sample's own “Thirty thousand” and “30,000” join the claim
    pv.panel.suggested.setChecked(True)
    claim = next(c for c in pv.claims if first.id in c.figure_ids)
    assert {figure_with(win, "Thirty thousand").id, figure_with(win, "30,000").id} < set(claim.figure_ids)


def test_provenance_says_what_to_do_when_no_figure_repeats(win, qtbot):
    pv = provenance_of(win)
    pv.show_panel()
    assert pv.claims == []
    assert pv.panel.placeholder.isVisibleTo(pv.panel) and "Add another document" in pv.panel.placeholder.text()


def test_check_actions_are_in_the_menus_with_unique_shortcuts(win):
    names = {"new_relation", "suggest_checks", "accept_relation", "reject_relation", "delete_relation"}
    sub = win.menus["Figure/Chec&ks"]
    assert names <= {a.objectName() for a in sub.actions()}
    view = {a.objectName() for a in win.menus["View"].actions()}
    assert {"show_checks", "show_provenance"} <= view
    seen = {}
    for a in win.actions:
        for k in a.shortcuts():
            assert k.toString() not in seen, (k.toString(), seen.get(k.toString()), a.objectName())
            seen[k.toString()] = a.objectName()


def test_new_relation_action_asks_then_adds_one_undoable_relation(win, qtbot, monkeypatch):
    find_figures(qtbot, win)
    share = figure_with(win, "15%")
    part = figure_with(win, "Thirty thousand")
    whole = figure_with(win, "at least 200,000")
    win.go_to_figure(share.id)
    asked = []

    def ask(window, target_id=None):
        asked.append(window.current_figure_id)
        return {"kind": "share", "target_id": share.id, "input_ids": [part.id, whole.id], "params": {}, "note": ""}

    monkeypatch.setattr(relation_dialog, "ask_new_relation", ask)
    win.actions.new_relation.trigger()
    assert asked == [share.id]
    [rel] = win.store.relations()
    ctl = checks_of(win)
    res = ctl.result(rel.id)
    # “at least 200,000” makes 30,000 at most 15%: the stated 15% is allowed
    assert res.status == "ok" and "÷" in res.computation
    assert row_of(ctl, rel.id).text(0) == "agrees" and ctl.dock.isVisible()
    win.undo()
    assert win.store.relations() == []


def test_relation_dialog_orders_inputs_and_marks_the_ones_that_divide(win, qtbot):
    find_figures(qtbot, win)
    total = figure_with(win, "more than 3 trillion rials")
    each = figure_with(win, "around 100 million rials")
    people = figure_with(win, "30,000")
    st = win.state
    figures = [st.figures[fid] for _s, _e, fid in st.ordered()]
    dlg = relation_dialog.RelationDialog(win, win.store, figures, each.id)
    qtbot.addWidget(dlg)
    dlg.kind.setCurrentIndex(dlg.kind.findData("product"))
    assert not dlg.inputs.isColumnHidden(1) and "divides" in dlg.inputs.headerItem().text(1)
    assert "divide" not in dlg.param_fields and "per" in dlg.param_fields
    dlg.set_inputs([people.id, total.id], flagged=[people.id])
    # Move up: the total first, then the people it is divided by
    dlg.inputs.setCurrentItem(dlg.inputs.topLevelItem(1))
    dlg.up.click()
    v = dlg.values()
    assert v["input_ids"] == [total.id, people.id] and v["params"] == {"divide": [people.id]}
    dlg.kind.setCurrentIndex(dlg.kind.findData("period"))
    assert dlg.inputs.isColumnHidden(1) and "divide" not in dlg.values()["params"]


def test_the_alias_dialog_returns_only_the_names_left_ticked(qtbot):
    from annotator.qt.suggestions import AliasDialog

    dlg = AliasDialog(None, [("Roydad 24", "Royedad 24"), ("Hajian", "Mehdi Hajian")])
    qtbot.addWidget(dlg)
    assert dlg.chosen() == [("Roydad 24", "Royedad 24"), ("Hajian", "Mehdi Hajian")]
    dlg.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dlg.chosen() == [("Hajian", "Mehdi Hajian")]
