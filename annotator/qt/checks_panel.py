"""Check the numbers in the window (issue 6): the Checks panel and the mismatch flags.

The Checks dock lists every relation of the annotation file (rejected proposals hidden) with
its status (✓ agrees, ✗ mismatch, units do not match, incomplete), the computation spelled out
by :func:`annotator.core.checks.evaluate` and the mismatch message. Selecting a relation makes
its derived figure current. Buttons and actions: *New relation…* (:mod:`relation_dialog`),
*Suggest checks* (:func:`annotator.core.checks_suggest.add_suggestions`, listed in grey italics
until accepted or rejected), accept, reject, delete. Every edit is one undo step.

A figure whose relation does not compute is flagged in the figures list (a red ✗ icon before
its text, the message in the tooltip) and in the article text (red text, red wavy underline). The
results are recomputed after store changes, coalesced into one pass per event-loop turn.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHBoxLayout, QHeaderView, QLabel, QPushButton, \
    QSplitter, QStyledItemDelegate, QStyleOptionViewItem, QTextEdit, QToolTip, QTreeWidget, QTreeWidgetItem, \
    QVBoxLayout, QWidget

from annotator.core.model import Relation
from annotator.qt import commands, dialogs
from annotator.qt.actions import ActionSpec, register
from annotator.qt.factcheck_features import CapturedAdd, StoreWatcher, UndoList, ensure_actions, go_to_figure, \
    need_document, run_command
from annotator.qt.highlights import FLAG_INK, FLAG_LINE
from annotator.qt.models import FIGURE_ID_ROLE, FiguresModel

SPECS = [
    ActionSpec("show_checks", "C&hecks", ("Ctrl+7",), "Show or hide the Checks panel (relations between figures).",
               "View", 0, checkable=True),
    ActionSpec("new_relation", "&New relation…", ("Ctrl+Shift+K",),
               "State that the current figure derives from others (a share, a product, a sum, a period or "
               "currency conversion…); the app recomputes it.", "Figure/Chec&ks", 0),
    ActionSpec("suggest_checks", "&Suggest checks", ("Ctrl+Alt+K",),
               "Propose relations the text suggests (a share and its total, a monthly and a yearly amount…) "
               "for you to accept or reject.", "Figure/Chec&ks", 0),
    ActionSpec("accept_relation", "&Accept suggested check", ("Ctrl+Alt+Y",),
               "Accept the relation selected in the Checks panel.", "Figure/Chec&ks", 1),
    ActionSpec("reject_relation", "&Reject suggested check", ("Ctrl+Alt+X",),
               "Reject the relation selected in the Checks panel: hidden, never proposed again.", "Figure/Chec&ks",
               1),
    ActionSpec("delete_relation", "&Delete check", ("Ctrl+Shift+Backspace",),
               "Delete the relation selected in the Checks panel.", "Figure/Chec&ks", 1),
]
for _spec in SPECS:
    register(_spec)

#: how each check status is drawn: (label, colour)
STATUS_LOOK = {
    "ok": ("agrees", "#1e7b34"),
    "mismatch": ("mismatch", "#b3261e"),
    "unit_mismatch": ("units differ", "#b35c00"),
    "incomplete": ("incomplete", "#6b6b6b"),
}
MISMATCH_LINE = FLAG_LINE  # the flag's underline in the text (drawn by the highlight layer)
MISMATCH_INK = FLAG_INK
RELATION_ID_ROLE = Qt.ItemDataRole.UserRole + 20
_ICONS: dict[str, QIcon] = {}


def status_icon(status: str) -> QIcon:
    """A small round badge: ✓ agrees, ✗ mismatch, ! units differ, ? incomplete."""
    icon = _ICONS.get(status)
    if icon is None:
        colour = QColor(STATUS_LOOK.get(status, STATUS_LOOK["incomplete"])[1])
        mark = {"ok": "✓", "mismatch": "✗", "unit_mismatch": "!"}.get(status, "?")
        pm = QPixmap(32, 32)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(1, 1, 30, 30)
        p.setPen(QPen(QColor("white")))
        f = QFont()
        f.setPixelSize(22)
        f.setBold(True)
        p.setFont(f)
        p.drawText(pm.rect(), Qt.AlignmentFlag.AlignCenter, mark)
        p.end()
        icon = _ICONS[status] = QIcon(pm)
    return icon


# --------------------------------------------------------------------------- figures list flag


class MismatchDelegate(QStyledItemDelegate):
    """Draws the red ✗ badge before the text of a flagged figure in the figures list."""

    def __init__(self, ctl: "ChecksController", parent=None):
        super().__init__(parent)
        self.ctl = ctl

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:
        super().initStyleOption(option, index)
        if index.data(FIGURE_ID_ROLE) in self.ctl.mismatched:
            option.icon = status_icon("mismatch")
            option.features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration

    def helpEvent(self, event, view, option, index) -> bool:
        fid = index.data(FIGURE_ID_ROLE)
        if event.type() == QEvent.Type.ToolTip and fid in self.ctl.mismatched:
            QToolTip.showText(event.globalPos(), self.ctl.mismatch_tooltip(fid), view)
            return True
        return super().helpEvent(event, view, option, index)


# --------------------------------------------------------------------------- the panel


class ChecksPanel(QWidget):
    """The relations of the file, their status and computation."""

    COLUMNS = ("Status", "Derived figure", "Check", "Computation")

    def __init__(self, ctl: "ChecksController", parent=None):
        super().__init__(parent)
        self.setObjectName("checksPanel")
        self.ctl = ctl
        a = ctl.actions
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, label in (("new_relation", "New relation…"), ("suggest_checks", "Suggest checks"),
                            ("accept_relation", "Accept"), ("reject_relation", "Reject"),
                            ("delete_relation", "Delete")):
            b = QPushButton(label, self)
            b.setObjectName(f"{name}Button")
            b.setToolTip(a[name].toolTip())
            b.clicked.connect(a[name].trigger)
            row.addWidget(b)
            self.buttons[name] = b
        row.addStretch(1)
        self.count = QLabel(self)
        self.count.setObjectName("checksCount")
        row.addWidget(self.count)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("checksList")
        self.tree.setHeaderLabels(list(self.COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        hh = self.tree.header()
        hh.setStretchLastSection(True)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, w in enumerate((175, 210, 150)):
            self.tree.setColumnWidth(col, w)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemClicked.connect(lambda item, _c: self._go_to(item))

        self.detail = QTextEdit(self)
        self.detail.setObjectName("checkDetail")
        self.detail.setReadOnly(True)
        self.detail.setFrameShape(QTextEdit.Shape.NoFrame)
        self.detail.setPlaceholderText("Select a check to see its computation. Make one with “New relation…” "
                                       "(Ctrl+Shift+K) on the current figure, or let the app propose them with "
                                       "“Suggest checks”.")
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("checksSplitter")
        split.addWidget(self.tree)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(row)
        lay.addWidget(split, 1)
        self._filling = False

    # -- filling --------------------------------------------------------------------------

    def fill(self, results, labels: dict[str, str], doc_titles: dict[str, str] | None) -> None:
        keep = self.selected_id()
        self._filling = True
        try:
            self.tree.clear()
            italic = QFont()
            italic.setItalic(True)
            grey = QBrush(QColor("#5f6b7a"))
            for res in results:
                rel = res.relation
                label, colour = STATUS_LOOK.get(res.status, STATUS_LOOK["incomplete"])
                suggested = rel.status == "suggested"
                status_text = f"{label} (suggested)" if suggested else label
                target = labels.get(rel.target_id, "(missing figure)")
                if doc_titles and res.target is not None and res.target.document_id in doc_titles:
                    target = f"{target} — {doc_titles[res.target.document_id]}"
                from annotator.core.checks import KIND_LABELS

                item = QTreeWidgetItem(self.tree, [status_text, target, KIND_LABELS.get(rel.kind, rel.kind),
                                                   res.computation or res.message])
                item.setData(0, RELATION_ID_ROLE, rel.id)
                item.setIcon(0, status_icon(res.status))
                item.setForeground(0, QBrush(QColor(colour)))
                tip = res.computation + (f"\n{res.message}" if res.message and res.message not in res.computation
                                         else "")
                if rel.note:
                    tip += f"\nNote: {rel.note}"
                for c in range(1, 4):
                    item.setToolTip(c, tip)
                item.setToolTip(0, "Suggested by the app: accept or reject it." if suggested else label)
                if suggested:
                    for c in range(len(self.COLUMNS)):
                        item.setFont(c, italic)
                        if c:
                            item.setForeground(c, grey)
            if keep:
                self.select(keep)
        finally:
            self._filling = False
        self._show_detail(self.tree.currentItem())
        n = len(results)
        bad = sum(1 for r in results if r.is_mismatch)
        sug = sum(1 for r in results if r.relation.status == "suggested")
        parts = [f"{n} check{'s' if n != 1 else ''}"]
        if bad:
            parts.append(f"{bad} mismatch{'es' if bad != 1 else ''}")
        if sug:
            parts.append(f"{sug} suggested")
        self.count.setText(" · ".join(parts))
        self.update_buttons()

    def update_buttons(self) -> None:
        res = self.ctl.result(self.selected_id())
        has_doc = self.ctl.window.state is not None
        self.buttons["new_relation"].setEnabled(has_doc)
        self.buttons["suggest_checks"].setEnabled(has_doc)
        suggested = res is not None and res.relation.status == "suggested"
        self.buttons["accept_relation"].setEnabled(suggested)
        self.buttons["reject_relation"].setEnabled(suggested)
        self.buttons["delete_relation"].setEnabled(res is not None)

    # -- selection --------------------------------------------------------------------------

    def items(self) -> list[QTreeWidgetItem]:
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]

    def selected_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, RELATION_ID_ROLE) if item is not None else None

    def select(self, relation_id: str | None) -> None:
        for item in self.items():
            if item.data(0, RELATION_ID_ROLE) == relation_id:
                self.tree.setCurrentItem(item)
                return
        self.tree.setCurrentItem(None)

    def _current_changed(self, item, _previous) -> None:
        self._show_detail(item)
        self.update_buttons()
        if not self._filling and item is not None:
            self._go_to(item)

    def _go_to(self, item) -> None:
        res = self.ctl.result(item.data(0, RELATION_ID_ROLE)) if item is not None else None
        if res is not None:
            self.ctl.go_to_figure(res.relation.target_id)

    def _show_detail(self, item) -> None:
        res = self.ctl.result(item.data(0, RELATION_ID_ROLE)) if item is not None else None
        if res is None:
            self.detail.clear()
            return
        import html

        from annotator.core.checks import KIND_LABELS

        rel = res.relation
        label, colour = STATUS_LOOK.get(res.status, STATUS_LOOK["incomplete"])
        parts = [f"<b style='color:{colour}'>{html.escape(label.capitalize())}</b>"
                 f"{' · <i>suggested</i>' if rel.status == 'suggested' else ''} — "
                 f"{html.escape(KIND_LABELS.get(rel.kind, rel.kind))}"]
        # the verdict first (it is what the user looks for), then the arithmetic behind it
        if res.message and res.message not in res.computation:
            parts.append(f"<span style='color:{colour}'>{html.escape(res.message)}</span>")
        if res.computation:
            parts.append(html.escape(res.computation))
        params = rel.params if isinstance(rel.params, dict) else {}
        shown = {k: v for k, v in params.items() if k in ("rate", "base", "quote", "date", "source", "percent",
                                                          "factor", "tolerance", "per", "from", "to", "direction")}
        if shown:
            parts.append("<span style='color:#555'>" + html.escape(", ".join(f"{k}: {v}" for k, v in shown.items()))
                         + "</span>")
        if rel.note:
            parts.append(f"<i>{html.escape(rel.note)}</i>")
        self.detail.setHtml("<p style='margin:0 0 6px 0'>" + "</p><p style='margin:0 0 6px 0'>".join(parts) + "</p>")


# --------------------------------------------------------------------------- the controller


class ChecksController(QObject):
    """Keeps the check results of the open file and shows them (panel, figures list, text)."""

    resultsChanged = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("checksController")
        self.window = window
        self.results: list = []
        self.mismatched: set[str] = set()
        self._by_id: dict[str, object] = {}
        self._involved: set[str] = set()  # ids of the figures some relation reads
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)

        self.actions = ensure_actions(window, SPECS)
        self.panel = ChecksPanel(self, window)
        dock = QDockWidget("Checks", window)
        dock.setObjectName("checksDock")
        dock.setWidget(self.panel)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable |
                         QDockWidget.DockWidgetFeature.DockWidgetClosable |
                         QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        window.tabifyDockWidget(window.figures_dock, dock)
        window.figures_dock.raise_()
        self.dock = dock
        act = self.actions.show_checks
        act.setChecked(True)
        act.toggled.connect(self._toggle_dock)
        dock.visibilityChanged.connect(lambda _v: act.setChecked(not dock.isHidden()))

        self.delegate = MismatchDelegate(self, window.figures.table)
        window.figures.table.setItemDelegateForColumn(FiguresModel.TEXT, self.delegate)

        a = self.actions
        a.new_relation.triggered.connect(lambda: self.new_relation_dialog())
        a.suggest_checks.triggered.connect(lambda: self.suggest_checks())
        a.accept_relation.triggered.connect(lambda: self.accept_selected())
        a.reject_relation.triggered.connect(lambda: self.reject_selected())
        a.delete_relation.triggered.connect(lambda: self.delete_selected())

        self.watcher = StoreWatcher(window)
        self.watcher.changed.connect(self._store_changed)
        self.watcher.reset.connect(self.schedule)
        self.schedule()

    # -- results -------------------------------------------------------------------------------

    def _toggle_dock(self, on: bool) -> None:
        self.dock.setVisible(on)
        if on:
            self.dock.raise_()

    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()

    def _store_changed(self, table: str, op: str, rec) -> None:
        # a figure outside every relation changes no result (a Find figures pass adds hundreds)
        if table == "figures" and op != "reload" and getattr(rec, "id", None) not in self._involved:
            return
        if table in ("relations", "figures", "documents") or op == "reload":
            self.schedule()

    def schedule(self) -> None:
        self._timer.start()

    def pending(self) -> bool:
        """A refresh is scheduled (the store changed since the results were computed)."""
        return self._timer.isActive()

    def result(self, relation_id: str | None):
        return self._by_id.get(relation_id) if relation_id else None

    def refresh(self) -> None:
        """Recompute every check of the file and redraw the panel and the flags."""
        from annotator.core.checks import check_all, mismatched_figure_ids

        self._timer.stop()
        store = self.window.store
        results = check_all(store) if store is not None else []
        docs = store.documents() if store is not None else []
        order = {d.id: i for i, d in enumerate(docs)}

        def key(r):
            t = r.target
            return (order.get(t.document_id, len(order)) if t else len(order), t.start if t else 0, r.relation.created)

        results.sort(key=key)
        self.results = results
        self._by_id = {r.relation.id: r for r in results}
        self._involved = {fid for r in results for fid in r.figure_ids()}
        self.mismatched = mismatched_figure_ids(results)
        from annotator.qt.relation_dialog import figure_choice_label

        labels = {}
        for r in results:
            if r.target is not None:
                labels[r.target.id] = figure_choice_label(r.target).replace("  (suggested)", "")
        titles = {d.id: d.title or d.source_name for d in docs} if len(docs) > 1 else None
        self.panel.fill(results, labels, titles)
        self.window.figures.table.viewport().update()
        self._underline()
        self.resultsChanged.emit()

    def mismatch_tooltip(self, figure_id: str) -> str:
        lines = []
        for r in self.results:
            if r.is_mismatch and r.relation.target_id == figure_id:
                lines.append(r.message or r.computation)
        return "Check does not compute:\n" + "\n".join(lines)

    def results_for_current_document(self) -> list:
        st = self.window.state
        if st is None:
            return []
        return [r for r in self.results if r.target is not None and r.target.document_id == st.doc_id]

    def _underline(self) -> None:
        """Flag the mismatched figures in the highlight layer: the reader draws them with a red wavy
        underline and red text, the PDF view with a red underline."""
        self.window.highlights.set_flagged(self.mismatched)

    def flagged_in_text(self) -> list[tuple[int, int]]:
        """The code-point spans of the current document drawn as mismatches (for tests and scripts)."""
        return sorted((h.start, h.end) for h in self.window.highlights.highlights.values()
                      if h.flagged and h.kind == "figure")

    # -- navigation -------------------------------------------------------------------------------

    def go_to_figure(self, figure_id: str) -> None:
        go_to_figure(self.window, figure_id)

    # -- edits -----------------------------------------------------------------------------------

    def new_relation_dialog(self) -> str | None:
        from annotator.qt import relation_dialog

        if not need_document(self.window):
            return None
        values = relation_dialog.ask_new_relation(self.window)
        if values is None:
            return None
        return self.new_relation(**values)

    def new_relation(self, kind: str, target_id: str, input_ids: list[str], params: dict | None = None,
                     note: str = "") -> str | None:
        """Add a relation (apply part of New relation…); returns its id."""
        from annotator.qt.relation_dialog import apply_new_relation

        rid = apply_new_relation(self.window, kind, target_id, input_ids, params, note)
        if rid is not None:
            self.refresh()
            self.show_panel()
            self.panel.select(rid)
            res = self.result(rid)
            if res is not None:
                self.window.status(("✗ " if res.is_mismatch else "") + (res.message or res.computation), 12000)
        return rid

    def suggest_checks(self) -> int:
        """Add the relations the text suggests in the current document (one undo step); returns how many."""
        from annotator.core.checks_suggest import add_suggestions

        w = self.window
        if not need_document(w):
            return 0
        store, doc_id = w.store, w.doc_id
        cmd = CapturedAdd(store, lambda: add_suggestions(store, doc_id, author=w.me or "annotator",
                                                         statuses=("confirmed", "suggested")), "suggest checks")
        try:
            cmd.execute()
        except Exception as exc:  # a UserError from the store
            from annotator.core.errors import UserError

            if not isinstance(exc, UserError):
                raise
            dialogs.show_error(w, "Cannot suggest checks", str(exc))
            return 0
        n = len(cmd.result or [])
        if cmd.added:
            w.undo_stack.push(cmd)
        self.refresh()
        self.show_panel()
        if n:
            first = next((r for r in self.results if r.relation.id == cmd.result[0].id), None)
            if first is not None:
                self.panel.select(first.relation.id)
        w.status(f"{n} check{'s' if n != 1 else ''} suggested: accept or reject each in the Checks panel." if n else
                 "No new check to suggest in this document.", 10000)
        return n

    def _selected_id(self, suggested_only: bool = False) -> str | None:
        res = self.result(self.panel.selected_id())
        if res is None:
            self.window.status("Select a check in the Checks panel first.")
            return None
        if suggested_only and res.relation.status != "suggested":
            self.window.status("This check is not a suggestion.")
            return None
        return res.relation.id

    def _set_status(self, relation_id: str, accept: bool) -> bool:
        from annotator.core import checks_suggest

        store = self.window.store
        fn = checks_suggest.accept if accept else checks_suggest.reject
        verb = "accept" if accept else "reject"
        ok = run_command(self.window, UndoList(store, lambda: [(Relation, relation_id, fn(store, relation_id))],
                                               f"{verb} check"))
        if ok:
            self.refresh()
        return ok

    def accept_selected(self, relation_id: str | None = None) -> bool:
        """Accept a suggested check (the one selected in the panel by default)."""
        rid = relation_id or self._selected_id(True)
        return rid is not None and self._set_status(rid, True)

    def reject_selected(self, relation_id: str | None = None) -> bool:
        """Reject a suggested check: it stays in the file, hidden, and is not proposed again."""
        rid = relation_id or self._selected_id(True)
        return rid is not None and self._set_status(rid, False)

    def delete_selected(self, relation_id: str | None = None) -> bool:
        rid = relation_id or self._selected_id()
        if rid is None:
            return False
        ok = run_command(self.window, commands.DeleteRecords(self.window.store, [(Relation, rid)], "delete check"))
        if ok:
            self.refresh()
        return ok


def controller(window) -> ChecksController | None:
    return window.findChild(ChecksController, "checksController")


def install(window) -> ChecksController:
    """Add the Checks dock, the figures-list flag and the check actions to a constructed window (once)."""
    ctl = controller(window)
    return ctl if ctl is not None else ChecksController(window)


__all__ = ["ChecksController", "ChecksPanel", "MismatchDelegate", "controller", "install", "status_icon"]
