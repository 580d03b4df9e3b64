"""Provenance in the window (issue 6): one figure as it travels across the documents of a file.

The Provenance dock lists the claims of :func:`annotator.core.provenance.claims` (figures with
the same value and unit, within their written precision), each with its appearances earliest
first: date, document, speakers with their roles, the words used. The selected claim's
timeline (:func:`~annotator.core.provenance.timeline_svg`) is drawn beside the list with
QSvgWidget. Selecting an appearance shows its document and makes the figure current.
The list is recomputed after store changes while the dock is on screen, in a worker thread on a
connection of its own (a 1000-page pass's figures took 100-150 ms to read and group on the UI
thread); :meth:`ProvenanceController.refresh` (shown on request) still computes at once.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QDockWidget, QHBoxLayout, QHeaderView, QLabel, \
    QScrollArea, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.qt.actions import ActionSpec, register
from annotator.qt.factcheck_features import StoreWatcher, ensure_actions, go_to_figure

SPECS = [
    ActionSpec("show_provenance", "&Provenance", ("Ctrl+8",),
               "Show or hide the Provenance panel: each figure's appearances across documents, earliest first.",
               "View", 0, checkable=True),
]
for _spec in SPECS:
    register(_spec)

CLAIM_ROLE = Qt.ItemDataRole.UserRole + 30  # claim index
FIGURE_ROLE = Qt.ItemDataRole.UserRole + 31  # figure id of an appearance


class ProvenancePanel(QWidget):
    COLUMNS = ("Claim / date", "Written as", "Speakers", "Document")

    def __init__(self, ctl: "ProvenanceController", parent=None):
        super().__init__(parent)
        self.setObjectName("provenancePanel")
        self.ctl = ctl
        self.across = QCheckBox("Only figures found in several documents", self)
        self.across.setObjectName("provenanceAcross")
        self.across.setChecked(True)
        self.across.setToolTip("Untick to see figures repeated within one document too.")
        self.suggested = QCheckBox("Include suggestions", self)
        self.suggested.setObjectName("provenanceSuggested")
        self.suggested.setToolTip("Count suggested figures (not yet accepted) as appearances too.")
        self.count = QLabel(self)
        self.count.setObjectName("provenanceCount")
        top = QHBoxLayout()
        top.addWidget(self.across)
        top.addWidget(self.suggested)
        top.addStretch(1)
        top.addWidget(self.count)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("claimsTree")
        self.tree.setHeaderLabels(list(self.COLUMNS))
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, w in enumerate((170, 150, 230)):
            self.tree.setColumnWidth(col, w)
        self.placeholder = QLabel(self)
        self.placeholder.setObjectName("provenancePlaceholder")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.placeholder.setStyleSheet("color: palette(placeholder-text); padding: 8px;")

        self.picture_area = QScrollArea(self)
        self.picture_area.setObjectName("timelineArea")
        self.picture_area.setWidgetResizable(False)
        self.picture_area.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.picture_area.setStyleSheet("QScrollArea { background: white; }")
        self.svg = None  # QSvgWidget, made on first use

        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.tree, 1)
        ll.addWidget(self.placeholder, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.picture_area)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        self.across.toggled.connect(lambda _on: ctl.refresh())
        self.suggested.toggled.connect(lambda _on: ctl.refresh())
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemActivated.connect(lambda item, _c: self._activate(item))
        self.tree.itemClicked.connect(lambda item, _c: self._activate(item))
        self._filling = False

    def fill(self, claims) -> None:
        keep = self.current_claim()
        keep_id = keep.id if keep is not None else None
        self._filling = True
        try:
            self.tree.clear()
            bold = QFont()
            bold.setBold(True)
            select = None
            for i, c in enumerate(claims):
                ndocs = len(c.document_ids)
                top = QTreeWidgetItem(self.tree, [c.label, f"{len(c.appearances)} appearance"
                                                           f"{'s' if len(c.appearances) != 1 else ''}",
                                                  ", ".join(c.speakers()),
                                                  f"{ndocs} document{'s' if ndocs != 1 else ''}"])
                top.setData(0, CLAIM_ROLE, i)
                top.setFont(0, bold)
                top.setToolTip(0, f"{c.label}: first stated {c.first.date or 'on an unknown date'} in "
                                  f"{c.first.document_title}")
                for a in c.appearances:
                    who = "; ".join(s.text() for s in a.speakers) or "no speaker recorded"
                    date = a.date or "no date"
                    if a.date_source == "added":
                        date += " (added)"
                    child = QTreeWidgetItem(top, [date, " ".join(a.exact.split()), who, a.document_title])
                    child.setData(0, CLAIM_ROLE, i)
                    child.setData(0, FIGURE_ROLE, a.figure.id)
                    child.setToolTip(0, "Publication date from the document" if a.date_source == "metadata" else
                                     "No publication date: the day the document was added to the file")
                    child.setToolTip(2, who)
                    child.setToolTip(3, a.document_title)
                top.setExpanded(True)
                if c.id == keep_id:
                    select = top
            if select is None and self.tree.topLevelItemCount():
                select = self.tree.topLevelItem(0)
            self.tree.setCurrentItem(select)
        finally:
            self._filling = False
        self.show_timeline(self.current_claim())
        has = bool(claims)
        self.tree.setVisible(has)
        self.placeholder.setVisible(not has)
        if not has:
            self.placeholder.setText(
                "No figure appears in two documents of this file yet. Add another document (File ▸ Add document "
                "to this file) and mark or accept its figures: the same number written in both is linked here."
                if self.across.isChecked() else "No figure appears twice yet.")
        n = len(claims)
        self.count.setText(f"{n} claim{'s' if n != 1 else ''}")

    def current_claim(self):
        item = self.tree.currentItem()
        if item is None:
            return None
        i = item.data(0, CLAIM_ROLE)
        return self.ctl.claims[i] if i is not None and 0 <= i < len(self.ctl.claims) else None

    def _current_changed(self, item, _prev) -> None:
        if not self._filling:
            self.show_timeline(self.current_claim())

    def _activate(self, item) -> None:
        fid = item.data(0, FIGURE_ROLE) if item is not None else None
        if fid:
            self.ctl.go_to_figure(fid)

    def show_timeline(self, claim) -> None:
        from annotator.core.provenance import timeline_svg

        if claim is None:
            if self.svg is not None:
                self.svg.hide()
            return
        if self.svg is None:
            from PySide6.QtSvgWidgets import QSvgWidget

            self.svg = QSvgWidget(self.picture_area)
            self.svg.setObjectName("timelineSvg")
            self.picture_area.setWidget(self.svg)
        self.svg.load(QByteArray(timeline_svg(claim).encode("utf-8")))
        self.svg.setFixedSize(self.svg.renderer().defaultSize())
        self.svg.show()


class _ClaimsThread(QThread):
    """:func:`annotator.core.provenance.claims` over the file on a connection of the worker's own."""

    def __init__(self, store, across: bool, statuses: tuple):
        super().__init__()
        self.store, self.across, self.statuses = store, across, statuses
        self.claims: list | None = None  # None: not computed (an in-memory file, an error)
        self.error: BaseException | None = None

    def run(self) -> None:
        from annotator.core.provenance import claims
        from annotator.qt.feature_base import worker_store

        try:
            with worker_store(self.store, readonly=True) as own:
                if own is not None:
                    self.claims = claims(own, across_documents=self.across, statuses=self.statuses)
        except BaseException as exc:  # the UI thread computes them itself then
            self.error = exc


class ProvenanceController(QObject):
    refreshed = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("provenanceController")
        self.window = window
        self.claims: list = []
        self._dirty = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._maybe_refresh)
        self._thread: _ClaimsThread | None = None
        self._again = False  # the store changed while the worker computed: once more after it
        window.installEventFilter(self)
        self.actions = ensure_actions(window, SPECS)
        self.panel = ProvenancePanel(self, window)
        dock = QDockWidget("Provenance", window)
        dock.setObjectName("provenanceDock")
        dock.setWidget(self.panel)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable |
                         QDockWidget.DockWidgetFeature.DockWidgetClosable |
                         QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        window.tabifyDockWidget(window.figures_dock, dock)
        window.figures_dock.raise_()
        self.dock = dock
        act = self.actions.show_provenance
        act.setChecked(True)
        act.toggled.connect(self._toggle_dock)
        dock.visibilityChanged.connect(self._visibility)
        self.watcher = StoreWatcher(window)
        self.watcher.changed.connect(self._store_changed)
        self.watcher.reset.connect(self.schedule)

    def _toggle_dock(self, on: bool) -> None:
        self.dock.setVisible(on)
        if on:
            self.dock.raise_()

    def _visibility(self, visible: bool) -> None:
        self.actions.show_provenance.setChecked(not self.dock.isHidden())
        if visible and self._dirty:
            self.schedule()

    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.refresh()

    def _store_changed(self, table: str, op: str, _rec) -> None:
        if table in ("figures", "attributions", "speakers", "relations", "documents") or op == "reload":
            self.schedule()

    def schedule(self) -> None:
        self._dirty = True
        self._timer.start()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window and event.type() == QEvent.Type.Close and self._thread is not None:
            self._thread.wait()  # it reads the file: done before the window (and its store) goes
        return False

    def pending(self) -> bool:
        """Whether claims are being computed in the worker."""
        return self._thread is not None

    def _maybe_refresh(self) -> None:
        if not self.dock.isVisible():  # a tab behind another is not visible: refreshed when raised
            return
        if self._thread is not None:
            self._again = True
            return
        store = self.window.store
        if store is None:
            self.refresh()
            return
        self._dirty = False
        self._again = False
        statuses = ("confirmed", "suggested") if self.panel.suggested.isChecked() else ("confirmed",)
        th = self._thread = _ClaimsThread(store, self.panel.across.isChecked(), statuses)
        th.finished.connect(lambda: self._computed(th, store))  # queued: on the UI thread
        th.start()

    def _computed(self, th: _ClaimsThread, store) -> None:
        th.wait()
        self._thread = None
        th.deleteLater()
        statuses = ("confirmed", "suggested") if self.panel.suggested.isChecked() else ("confirmed",)
        if self._again or self.window.store is not store or (th.across, th.statuses) != \
                (self.panel.across.isChecked(), statuses):
            self.schedule()  # changed meanwhile: computed again
            return
        if th.claims is None:  # an in-memory file (no second connection) or a failure: here
            self.refresh()
            return
        self.claims = th.claims
        self.panel.fill(self.claims)
        self.refreshed.emit()

    def refresh(self) -> None:
        """Compute the claims now, on this thread, and show them."""
        from annotator.core.provenance import claims

        self._timer.stop()
        self._dirty = False
        if self._thread is not None:
            self._again = True  # the worker's result is older than this
        store = self.window.store
        statuses = ("confirmed", "suggested") if self.panel.suggested.isChecked() else ("confirmed",)
        self.claims = claims(store, across_documents=self.panel.across.isChecked(),
                             statuses=statuses) if store is not None else []
        self.panel.fill(self.claims)
        self.refreshed.emit()

    def go_to_figure(self, figure_id: str) -> None:
        go_to_figure(self.window, figure_id)


def controller(window) -> ProvenanceController | None:
    return window.findChild(ProvenanceController, "provenanceController")


def install(window) -> ProvenanceController:
    """Add the Provenance dock to a constructed window (once)."""
    ctl = controller(window)
    return ctl if ctl is not None else ProvenanceController(window)


__all__ = ["ProvenanceController", "ProvenancePanel", "controller", "install"]
