"""The docks of the main window: figure editor, speakers, figures list; and the find and notice bars.

Panels read from the window's :class:`~annotator.qt.state.DocumentState` and ask the
window (``ctl``) to make edits; the window turns each request into an undo command.
They refresh from the store's change events, never from their own edits.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QFrame, QGridLayout, QGroupBox, \
    QHBoxLayout, \
    QHeaderView, QLabel, QLineEdit, QListView, QPlainTextEdit, QPushButton, QSizePolicy, QTableView, QToolButton, \
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.core.model import ATTRIBUTION_ROLES, SPEAKER_KINDS, VERDICT_HELP, VERDICTS, Figure, Speaker
from annotator.qt.highlights import VERDICT_COLORS
from annotator.qt.models import FIGURE_ID_ROLE, REVIEW_LABELS, SPEAKER_ID_ROLE, FigureFilterProxy, FiguresModel, \
    SpeakersModel

COMMON_UNITS = ["", "people", "percent", "USD", "EUR", "GBP", "IRR", "prisoners", "years", "days", "months", "km",
                "tonnes", "MW"]
QUALIFIERS = ["", "at least", "more than", "nearly", "around", "about", "less than", "up to", "over", "exactly"]


def swatch(color: str, size: int = 12) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(QColor(color))
    return QIcon(pm)


def _num_text(v: float | None) -> str:
    if v is None:
        return ""
    if float(v).is_integer() and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:.6g}"


# --------------------------------------------------------------------------- figure editor


class FigureEditor(QWidget):
    """Corrects the current figure: value, range, unit, qualifier, verdict, note; lists its attributions."""

    def __init__(self, ctl, parent=None):
        super().__init__(parent)
        self.setObjectName("figureEditor")
        self.ctl = ctl
        self.figure_id: str | None = None
        self._errors: set[str] = set()

        self.placeholder = QLabel(self.PLACEHOLDER, self)
        self.placeholder.setWordWrap(True)
        self.placeholder.setObjectName("figurePlaceholder")

        self.exact = QLabel(self)
        self.exact.setObjectName("figureExact")
        self.exact.setWordWrap(True)
        self.exact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel(self)
        self.meta.setObjectName("figureMeta")
        self.meta.setWordWrap(True)

        self.value = QLineEdit(self)
        self.value.setObjectName("figureValue")
        self.value.setPlaceholderText("number, e.g. 30000 or 3.6e15")
        self.value.setToolTip("The number the figure states. Type 30,000 or 79 million; leave empty for a range.")
        self.low = QLineEdit(self)
        self.low.setObjectName("figureLow")
        self.low.setPlaceholderText("low")
        self.low.setToolTip("Lower end of a range (\"between 30 and 40 thousand\").")
        self.high = QLineEdit(self)
        self.high.setObjectName("figureHigh")
        self.high.setPlaceholderText("high")
        self.high.setToolTip("Upper end of a range.")
        self.unit = QComboBox(self)
        self.unit.setObjectName("figureUnit")
        self.unit.setEditable(True)
        self.unit.addItems(COMMON_UNITS)
        self.unit.setToolTip("Unit: a currency code (USD, IRR), percent, or what is counted.")
        self.qualifier = QComboBox(self)
        self.qualifier.setObjectName("figureQualifier")
        self.qualifier.setEditable(True)
        self.qualifier.addItems(QUALIFIERS)
        self.qualifier.setToolTip("How the text hedges the number: at least, nearly, around…")
        self.counted = QLineEdit(self)
        self.counted.setObjectName("figureCounted")
        self.counted.setPlaceholderText("what is counted, e.g. protesters")
        self.rate = QLineEdit(self)
        self.rate.setObjectName("figureRate")
        self.rate.setPlaceholderText("per year, per month…")
        self.verdict = QComboBox(self)
        self.verdict.setObjectName("figureVerdict")
        for i, v in enumerate(VERDICTS):
            self.verdict.addItem(swatch(VERDICT_COLORS[v]), v, v)
            self.verdict.setItemData(i, VERDICT_HELP[v], Qt.ItemDataRole.ToolTipRole)
        self.verdict.setToolTip("Your verdict on the figure (keys 0–4).\n" +
                                "\n".join(f"{i} {v}: {VERDICT_HELP[v]}" for i, v in enumerate(VERDICTS)))
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("figureNote")
        self.note.setPlaceholderText("Note: sources, reasoning, what to check…")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(58)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(400)
        self._note_timer.timeout.connect(self.commit_note)

        rng = QHBoxLayout()
        rng.setContentsMargins(0, 0, 0, 0)
        rng.addWidget(self.low)
        rng.addWidget(QLabel("–", self))
        rng.addWidget(self.high)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Value:", self.value)
        form.addRow("Range:", rng)
        form.addRow("Unit:", self.unit)
        form.addRow("Qualifier:", self.qualifier)
        form.addRow("Counted:", self.counted)
        form.addRow("Rate:", self.rate)
        form.addRow("Verdict:", self.verdict)
        form.addRow("Note:", self.note)

        self.attributions = QTreeWidget(self)
        self.attributions.setObjectName("attributionList")
        self.attributions.setHeaderLabels(["Speaker", "Role", "Evidence"])
        self.attributions.setRootIsDecorated(False)
        self.attributions.setToolTip("Who states this figure. Select a speaker and press A (states), R (relays), "
                                     "C (confirms) or D (disputes); select the quote and press E for evidence.")
        self.attributions.setMinimumHeight(70)
        self.attributions.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.attributions.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.remove_att = QPushButton("Remove", self)
        self.remove_att.setObjectName("removeAttribution")
        self.remove_att.setToolTip("Remove the selected attribution (Alt+Del).")
        self.remove_att.clicked.connect(lambda: self.ctl.remove_attribution())
        self.evidence_hint = QLabel("Select the quote and press <b>E</b> to mark the evidence.", self)
        self.evidence_hint.setWordWrap(True)
        self.evidence_hint.setStyleSheet("color: palette(placeholder-text);")
        att_row = QHBoxLayout()
        att_row.addWidget(self.evidence_hint, 1)
        att_row.addWidget(self.remove_att)
        att_box = QGroupBox("Attributed to", self)
        att_lay = QVBoxLayout(att_box)
        att_lay.addWidget(self.attributions)
        att_lay.addLayout(att_row)

        self.form_widget = QWidget(self)
        fl = QVBoxLayout(self.form_widget)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.exact)
        fl.addWidget(self.meta)
        fl.addLayout(form)
        fl.addWidget(att_box, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.placeholder)
        lay.addWidget(self.form_widget, 1)

        for w, name in ((self.value, "value"), (self.low, "low"), (self.high, "high")):
            w.editingFinished.connect(lambda name=name, w=w: self._commit_number(name, w))
        self.counted.editingFinished.connect(lambda: self._commit_text("counted", self.counted.text()))
        self.rate.editingFinished.connect(lambda: self._commit_text("rate", self.rate.text()))
        self.unit.lineEdit().editingFinished.connect(lambda: self._commit_text("unit", self.unit.currentText()))
        self.unit.activated.connect(lambda _i: self._commit_text("unit", self.unit.currentText()))
        self.qualifier.lineEdit().editingFinished.connect(
            lambda: self._commit_text("qualifier", self.qualifier.currentText()))
        self.qualifier.activated.connect(lambda _i: self._commit_text("qualifier", self.qualifier.currentText()))
        self.verdict.activated.connect(self._verdict_chosen)
        self.note.textChanged.connect(self._note_timer.start)
        self.note.installEventFilter(self)
        self.show_figure(None)

    # -- showing -----------------------------------------------------------------------

    def figure(self) -> Figure | None:
        st = self.ctl.state
        return st.figures.get(self.figure_id) if st is not None and self.figure_id else None

    def show_figure(self, figure_id: str | None) -> None:
        if figure_id != self.figure_id:
            self.commit_note()
        self.figure_id = figure_id
        self.refresh()

    PLACEHOLDER = "Select text and press <b>M</b> to mark a figure, or pick one in the text or the list."
    NO_DOCUMENT = "No document open. Open one with File ▸ Open (Ctrl+O), then select a number and press <b>M</b>."

    def refresh(self) -> None:
        f = self.figure()
        self.placeholder.setVisible(f is None)
        self.form_widget.setVisible(f is not None)
        if f is None:
            self.figure_id = None
            self.placeholder.setText(self.PLACEHOLDER if self.ctl.state is not None else self.NO_DOCUMENT)
            return
        st = self.ctl.state
        blockers = [QSignalBlocker(w) for w in (self.value, self.low, self.high, self.unit, self.qualifier,
                                                self.counted, self.rate, self.verdict, self.note)]
        self.exact.setText(f"<span style='font-size:13pt'>“{_esc(f.exact)}”</span>")
        status = " · <i>suggested</i>" if f.status == "suggested" else ""
        who = f.author or "unknown"
        mine = " (you)" if who == self.ctl.me else ""
        where = st.location(f)
        self.meta.setText(f"{_esc(where)} · marked by <b>{_esc(who)}</b>{mine}{status}")
        for w, v in ((self.value, f.value), (self.low, f.low), (self.high, f.high)):
            if w.objectName() not in self._errors and not w.hasFocus():
                w.setText(_num_text(v))
        self.unit.setCurrentText(f.unit or "")
        self.qualifier.setCurrentText(f.qualifier or "")
        if not self.counted.hasFocus():
            self.counted.setText(f.counted or "")
        if not self.rate.hasFocus():
            self.rate.setText(f.rate or "")
        self.verdict.setCurrentIndex(VERDICTS.index(f.verdict) if f.verdict in VERDICTS else 0)
        if self.note.toPlainText() != f.note and not self._note_timer.isActive():
            self.note.setPlainText(f.note)
        del blockers
        self._fill_attributions(st, f)

    def _fill_attributions(self, st, f: Figure) -> None:
        keep = self.selected_attribution()
        self.attributions.clear()
        for a in st.figure_attributions(f.id):
            sp = st.speaker(a.speaker_id)
            name = sp.name if sp is not None else "?"
            ev = f"“{a.evidence_exact[:60]}{'…' if len(a.evidence_exact) > 60 else ''}”" if a.evidence_exact else "—"
            item = QTreeWidgetItem([name, a.role + (" (suggested)" if a.status == "suggested" else ""), ev])
            item.setData(0, Qt.ItemDataRole.UserRole, a.id)
            item.setToolTip(0, f"By {a.author or 'unknown'}")
            item.setToolTip(2, a.evidence_exact or "No evidence marked.")
            self.attributions.addTopLevelItem(item)
            combo = QComboBox(self.attributions)
            combo.addItems(ATTRIBUTION_ROLES)
            combo.setCurrentText(a.role)
            combo.setToolTip("How this speaker relates to the figure.")
            combo.activated.connect(lambda _i, aid=a.id, c=combo: self.ctl.update_attribution(aid, role=c.currentText()))
            self.attributions.setItemWidget(item, 1, combo)
            if a.id == keep:
                item.setSelected(True)
                self.attributions.setCurrentItem(item)
        self.remove_att.setEnabled(self.attributions.topLevelItemCount() > 0)

    def selected_attribution(self) -> str | None:
        items = self.attributions.selectedItems()
        return items[0].data(0, Qt.ItemDataRole.UserRole) if items else None

    def select_attribution(self, att_id: str) -> None:
        for i in range(self.attributions.topLevelItemCount()):
            item = self.attributions.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == att_id:
                self.attributions.setCurrentItem(item)
                item.setSelected(True)

    # -- committing ------------------------------------------------------------------------

    def _commit_number(self, name: str, w: QLineEdit) -> None:
        f = self.figure()
        if f is None:
            return
        from annotator.core.project import parse_number_input

        try:
            v = parse_number_input(w.text())
        except ValueError as exc:
            self._errors.add(w.objectName())
            w.setStyleSheet("background: #ffd6d6;")
            self.ctl.status(str(exc))
            return
        self._errors.discard(w.objectName())
        w.setStyleSheet("")
        if getattr(f, name) != v:
            self.ctl.update_figure(f.id, **{name: v})
        w.setText(_num_text(v))

    def _commit_text(self, name: str, text: str) -> None:
        f = self.figure()
        if f is None:
            return
        v = text.strip() or None
        if (getattr(f, name) or None) != v:
            self.ctl.update_figure(f.id, **{name: v})

    def _verdict_chosen(self, index: int) -> None:
        f = self.figure()
        if f is not None and VERDICTS[index] != f.verdict:
            self.ctl.update_figure(f.id, verdict=VERDICTS[index])

    def commit_note(self) -> None:
        self._note_timer.stop()
        f = self.figure()
        if f is not None and self.note.toPlainText() != f.note:
            self.ctl.update_figure(f.id, note=self.note.toPlainText(), merge=True)

    def eventFilter(self, obj, event):
        if obj is self.note and event.type() == event.Type.FocusOut:
            self.commit_note()
        return super().eventFilter(obj, event)

    def focus_value(self) -> None:
        if self.figure() is not None:
            self.value.setFocus()
            self.value.selectAll()

    def focus_note(self) -> None:
        if self.figure() is not None:
            self.note.setFocus()


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------- speakers


class SpeakersPanel(QWidget):
    """Speakers of the file: create, edit (kind, affiliation, aliases), attribute, merge, delete."""

    showFiguresOf = Signal(str)  # speaker id: filter the figures list

    def __init__(self, ctl, parent=None):
        super().__init__(parent)
        self.setObjectName("speakersPanel")
        self.ctl = ctl
        self.model = SpeakersModel(self)

        self.new_name = QLineEdit(self)
        self.new_name.setObjectName("newSpeakerName")
        self.new_name.setPlaceholderText("New speaker: type a name and press Enter")
        self.new_name.setClearButtonEnabled(True)
        self.new_name.returnPressed.connect(self._add_typed)
        self.new_name.textChanged.connect(
            lambda t: self.add_button.setEnabled(self._store_open and bool(t.strip())))
        add = self.add_button = QPushButton("Add", self)
        add.setObjectName("addSpeaker")
        add.setToolTip("Create a speaker with the typed name (or select a name in the text and press S).")
        add.clicked.connect(self._add_typed)
        top = QHBoxLayout()
        top.addWidget(self.new_name, 1)
        top.addWidget(add)

        self.view = QListView(self)
        self.view.setObjectName("speakerList")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setToolTip("Select a speaker, then press A/R/C/D to attribute the current figure. "
                             "Double-click to list its figures. Select two and merge them (Ctrl+Shift+M).")
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(self._double_clicked)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self._kept: list[str] = []
        self.empty_hint = QLabel(self)
        self.empty_hint.setObjectName("speakersEmptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: palette(placeholder-text);")
        for sig in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            sig.connect(self._update_empty_hint)
        self._store_open = False

        self.role = QComboBox(self)
        self.role.setObjectName("attributionRole")
        self.role.addItems(ATTRIBUTION_ROLES)
        self.role.setToolTip("Role of the speaker for the current figure.")
        attribute = self.attribute_button = QPushButton("Attribute", self)
        attribute.setObjectName("attributeButton")
        attribute.setToolTip("Attribute the current figure to the selected speaker with this role (A, R, C, D).")
        attribute.clicked.connect(lambda: self.ctl.attribute(self.role.currentText(), use_text_selection=False))
        row = QHBoxLayout()
        row.addWidget(self.role)
        row.addWidget(attribute, 1)

        self.name = QLineEdit(self)
        self.name.setObjectName("speakerName")
        self.kind = QComboBox(self)
        self.kind.setObjectName("speakerKind")
        self.kind.addItems(SPEAKER_KINDS)
        self.kind.setToolTip("person, organisation, outlet, anonymous source, or the document's own voice")
        self.affiliation = QLineEdit(self)
        self.affiliation.setObjectName("speakerAffiliation")
        self.affiliation.setPlaceholderText("role or affiliation")
        self.aliases = QLineEdit(self)
        self.aliases.setObjectName("speakerAliases")
        self.aliases.setPlaceholderText("other spellings, separated by ;")
        self.aliases.setToolTip("Other names of the same speaker, e.g. “Royedad 24; Roydad 24”.")
        details = QGroupBox("Selected speaker", self)
        grid = QGridLayout(details)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(4)
        grid.addWidget(QLabel("Name:", details), 0, 0)
        grid.addWidget(self.name, 0, 1)
        grid.addWidget(QLabel("Kind:", details), 0, 2)
        grid.addWidget(self.kind, 0, 3)
        grid.addWidget(QLabel("Role:", details), 1, 0)
        grid.addWidget(self.affiliation, 1, 1)
        grid.addWidget(QLabel("Aliases:", details), 1, 2)
        grid.addWidget(self.aliases, 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self.details = details
        self.name.editingFinished.connect(lambda: self._commit("name", self.name.text().strip()))
        self.kind.activated.connect(lambda _i: self._commit("kind", self.kind.currentText()))
        self.affiliation.editingFinished.connect(lambda: self._commit("affiliation", self.affiliation.text().strip()))
        self.aliases.editingFinished.connect(
            lambda: self._commit("aliases", [a.strip() for a in self.aliases.text().split(";") if a.strip()]))

        merge = self.merge_button = QPushButton("Merge…", self)
        merge.setObjectName("mergeSpeakersButton")
        merge.setToolTip("Merge the two selected speakers into one (Ctrl+Shift+M).")
        merge.clicked.connect(lambda: self.ctl.merge_selected_speakers())
        delete = self.delete_button = QPushButton("Delete", self)
        delete.setObjectName("deleteSpeakerButton")
        delete.setToolTip("Delete the selected speaker and its attributions (Ctrl+Shift+Del).")
        delete.clicked.connect(lambda: self.ctl.delete_selected_speakers())
        edit_row = QHBoxLayout()  # its own row: the dock stays narrow enough for small screens
        edit_row.addStretch(1)
        edit_row.addWidget(merge)
        edit_row.addWidget(delete)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.addLayout(top)
        lay.addWidget(self.empty_hint)
        lay.addWidget(self.view, 1)
        lay.addLayout(row)
        lay.addLayout(edit_row)
        lay.addWidget(details)
        self.set_store_open(False)

    def reset(self, store) -> None:
        self.model.reset(store)
        self.set_store_open(store is not None)

    def set_store_open(self, is_open: bool) -> None:
        """Creating, merging and deleting speakers need an open annotation file."""
        self._store_open = is_open
        self.new_name.setEnabled(is_open)
        self.add_button.setEnabled(is_open and bool(self.new_name.text().strip()))
        self._selection_changed()
        self._update_empty_hint()

    def _update_empty_hint(self, *_args) -> None:
        if not self._store_open:
            self.empty_hint.setText("Open a document to list and create its speakers.")
        else:
            self.empty_hint.setText("No speakers yet: select a name in the text and press <b>S</b>, "
                                    "or type one above and press Enter.")
        self.empty_hint.setVisible(self.model.rowCount() == 0)

    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [self.model.speaker(r).id for r in rows]

    def select(self, speaker_id: str) -> None:
        row = self.model.row_of(speaker_id)
        if row is None:
            return
        idx = self.model.index(row)
        self.view.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(idx)

    def select_many(self, speaker_ids: list[str]) -> None:
        sm = self.view.selectionModel()
        sm.clearSelection()
        for sid in speaker_ids:
            row = self.model.row_of(sid)
            if row is not None:
                sm.select(self.model.index(row), QItemSelectionModel.SelectionFlag.Select)

    def current(self) -> Speaker | None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return None
        row = self.model.row_of(ids[0])
        return self.model.speaker(row) if row is not None else None

    def _remember_selection(self) -> None:
        self._kept = self.selected_ids() if self.model.rowCount() else []

    def _restore_selection(self) -> None:
        sm = self.view.selectionModel()
        for sid in self._kept:
            row = self.model.row_of(sid)
            if row is not None:
                sm.select(self.model.index(row), QItemSelectionModel.SelectionFlag.Select)
                sm.setCurrentIndex(self.model.index(row), QItemSelectionModel.SelectionFlag.NoUpdate)
        self._selection_changed()

    def _selection_changed(self, *_args) -> None:
        sp = self.current()
        self.details.setEnabled(sp is not None)
        n = len(self.view.selectionModel().selectedRows())
        self.merge_button.setEnabled(self._store_open and n == 2)
        self.delete_button.setEnabled(self._store_open and n >= 1)
        self.attribute_button.setEnabled(self._store_open and n == 1)
        self.role.setEnabled(self._store_open and n == 1)
        blockers = [QSignalBlocker(w) for w in (self.name, self.kind, self.affiliation, self.aliases)]
        self.name.setText(sp.name if sp else "")
        self.kind.setCurrentText(sp.kind if sp else "person")
        self.affiliation.setText(sp.affiliation if sp else "")
        self.aliases.setText("; ".join(sp.aliases) if sp else "")
        del blockers

    def refresh_details(self) -> None:
        if not any(w.hasFocus() for w in (self.name, self.affiliation, self.aliases)):
            self._selection_changed()

    def _commit(self, field: str, value) -> None:
        sp = self.current()
        if sp is None:
            return
        if field == "name" and not value:
            self.name.setText(sp.name)
            return
        if getattr(sp, field) != value:
            self.ctl.update_speaker(sp.id, **{field: value})

    def _add_typed(self) -> None:
        name = " ".join(self.new_name.text().split())
        if not name:
            return
        sid = self.ctl.create_speaker(name)
        if sid:
            self.new_name.clear()

    def _double_clicked(self, index: QModelIndex) -> None:
        sid = index.data(SPEAKER_ID_ROLE)
        if sid:
            self.showFiguresOf.emit(sid)


# --------------------------------------------------------------------------- figures list


class FiguresPanel(QWidget):
    """All figures of the document: sortable, filterable by speaker, verdict and author."""

    figureSelected = Signal(str)

    def __init__(self, ctl, parent=None):
        super().__init__(parent)
        self.setObjectName("figuresPanel")
        self.ctl = ctl
        self.model = FiguresModel(self)
        self.proxy = FigureFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.speaker_filter = QComboBox(self)
        self.speaker_filter.setObjectName("speakerFilter")
        self.speaker_filter.setToolTip("Show only the figures of one speaker.")
        self.speaker_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.verdict_filter = QComboBox(self)
        self.verdict_filter.setObjectName("verdictFilter")
        self.verdict_filter.setToolTip("Show only the figures with one verdict.")
        self.verdict_filter.addItem("All verdicts", None)
        for i, v in enumerate(VERDICTS):
            self.verdict_filter.addItem(swatch(VERDICT_COLORS[v]), v, v)
            self.verdict_filter.setItemData(i + 1, VERDICT_HELP[v], Qt.ItemDataRole.ToolTipRole)
        self.author_filter = QComboBox(self)
        self.author_filter.setObjectName("authorFilter")
        self.author_filter.setToolTip("Show only the figures marked by one person.")
        self.review_filter = QComboBox(self)
        self.review_filter.setObjectName("reviewFilter")
        self.review_filter.setToolTip("Show only the figures with one review status.")
        self.review_filter.addItem("Any review", None)
        for status, label in REVIEW_LABELS.items():
            self.review_filter.addItem(label, status)
        self.show_filter = QComboBox(self)
        self.show_filter.setObjectName("showFilter")
        self.show_filter.setToolTip("Show every figure, only confirmed figures, or only suggestions.")
        for label, data in (("All", "all"), ("Confirmed", "confirmed"), ("Suggestions", "suggested")):
            self.show_filter.addItem(label, data)
        self.count = QLabel(self)
        self.count.setObjectName("figureCount")
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show:", self))
        filters.addWidget(self.show_filter)
        filters.addWidget(QLabel("Speaker:", self))
        filters.addWidget(self.speaker_filter)
        filters.addWidget(QLabel("Verdict:", self))
        filters.addWidget(self.verdict_filter)
        filters.addWidget(QLabel("Author:", self))
        filters.addWidget(self.author_filter)
        filters.addWidget(QLabel("Review:", self))
        filters.addWidget(self.review_filter)
        filters.addStretch(1)
        filters.addWidget(self.count)

        self.table = QTableView(self)
        self.table.setObjectName("figuresTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(FiguresModel.WHERE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(False)
        # the text and speakers columns share the room left by the others: no sideways scrolling in a
        # window on a small screen (the others keep widths the user can drag)
        widths = {FiguresModel.VALUE: 100, FiguresModel.UNIT: 72, FiguresModel.VERDICT: 104, FiguresModel.AUTHOR: 80,
                  FiguresModel.WHERE: 62, FiguresModel.REVIEW: 110}
        for col, w in widths.items():
            self.table.setColumnWidth(col, w)
        hh.setMinimumSectionSize(40)
        hh.setSectionResizeMode(FiguresModel.TEXT, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(FiguresModel.SPEAKERS, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.clicked.connect(self._clicked)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(filters)
        lay.addWidget(self.table, 1)

        self.speaker_filter.activated.connect(self._filters_changed)
        self.verdict_filter.activated.connect(self._filters_changed)
        self.author_filter.activated.connect(self._filters_changed)
        self.review_filter.activated.connect(self._filters_changed)
        self.show_filter.activated.connect(self._filters_changed)
        # the proxy removes its row while the source row is still there (QSortFilterProxyModel acts on the
        # source's rowsAboutToBeRemoved): count again once the source has changed too
        for sig in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset, self.proxy.layoutChanged,
                    self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            sig.connect(self._update_count)
        self._syncing = False
        self.refill_filters()

    def reset(self, state, me: str) -> None:
        self.model.reset(state, me)
        self.refill_filters()

    def on_change(self, change) -> None:
        self.model.on_change(change)
        if change.speakers or change.reset or change.added:
            events = getattr(self.ctl, "events", None)
            if events is not None:  # in the next turn when this is a step of a spread-out flush
                events.then("filters", self.refill_filters)
            else:
                self.refill_filters()

    def refill_filters(self) -> None:
        st = self.ctl.state
        store = self.ctl.store
        cur_sp = self.speaker_filter.currentData()
        cur_author = self.author_filter.currentData()
        with QSignalBlocker(self.speaker_filter):
            self.speaker_filter.clear()
            self.speaker_filter.addItem("All speakers", None)
            if store is not None:
                # the Speakers panel's list, kept by the store's events (not every speaker read again)
                listed = getattr(self.ctl, "speakers", None)
                model = getattr(listed, "model", None)
                speakers = model.speakers() if isinstance(model, SpeakersModel) and model.store is store \
                    else store.speakers()
                for sp in speakers:
                    self.speaker_filter.addItem(sp.name, sp.id)
            i = self.speaker_filter.findData(cur_sp) if cur_sp else 0
            self.speaker_filter.setCurrentIndex(max(0, i))
        with QSignalBlocker(self.author_filter):
            self.author_filter.clear()
            self.author_filter.addItem("All authors", None)
            authors = sorted({f.author for f in st.figures.values()}) if st is not None else []
            me = self.ctl.me
            for a in authors:
                self.author_filter.addItem(f"{a or 'unknown'}{' (you)' if a == me else ''}", a)
            i = self.author_filter.findData(cur_author) if cur_author is not None else 0
            self.author_filter.setCurrentIndex(max(0, i))
        self._filters_changed()

    def _filters_changed(self, *_args) -> None:
        self.proxy.set_filters(speaker_id=self.speaker_filter.currentData(),
                               verdict=self.verdict_filter.currentData(),
                               author=self.author_filter.currentData(),
                               review=self.review_filter.currentData(),
                               show=self.show_filter.currentData())
        self._update_count()

    def filter_by(self, *, speaker_id=..., verdict=..., author=..., review=..., show=...) -> None:
        """Set the filter combos (None = all; ``review`` "" = not reviewed; ``show`` "all", "confirmed"
        or "suggested")."""
        for combo, v in ((self.speaker_filter, speaker_id), (self.verdict_filter, verdict),
                         (self.author_filter, author), (self.review_filter, review),
                         (self.show_filter, "all" if show is None else show)):
            if v is ...:
                continue
            i = combo.findData(v) if v is not None else 0
            combo.setCurrentIndex(max(0, i))
        self._filters_changed()

    def _update_count(self, *_args) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "figure" if total == 1 else "figures"
        self.count.setText(f"{shown} of {total} {noun}" if shown != total else f"{total} {noun}")

    def visible_ids(self) -> list[str]:
        return [self.proxy.index(r, 0).data(FIGURE_ID_ROLE) for r in range(self.proxy.rowCount())]

    def select(self, figure_id: str | None) -> None:
        """Select the row of ``figure_id`` without echoing it back as a user choice."""
        self._syncing = True
        try:
            sm = self.table.selectionModel()
            row = self.model.row_of(figure_id) if figure_id else None
            if row is None:
                sm.clearSelection()
                return
            pidx = self.proxy.mapFromSource(self.model.index(row, 0))
            if not pidx.isValid():
                sm.clearSelection()
                return
            sm.setCurrentIndex(pidx, QItemSelectionModel.SelectionFlag.ClearAndSelect |
                               QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(pidx)
        finally:
            self._syncing = False

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        fid = current.data(FIGURE_ID_ROLE)
        if fid:
            self.figureSelected.emit(fid)

    def _clicked(self, index: QModelIndex) -> None:
        fid = index.data(FIGURE_ID_ROLE)
        if fid:
            self.figureSelected.emit(fid)


# --------------------------------------------------------------------------- bars


class FindBar(QFrame):
    """Find in the document: Enter = next, Shift+Enter = previous, Esc closes."""

    def __init__(self, ctl, parent=None):
        super().__init__(parent)
        self.setObjectName("findBar")
        self.ctl = ctl
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.field = QLineEdit(self)
        self.field.setObjectName("findField")
        self.field.setPlaceholderText("Find in document")
        self.field.setClearButtonEnabled(True)
        prev = QToolButton(self)
        prev.setText("Previous")
        prev.setToolTip("Previous match (Shift+F3)")
        nxt = QToolButton(self)
        nxt.setText("Next")
        nxt.setToolTip("Next match (F3)")
        self.case = QCheckBox("Match case", self)
        self.result = QLabel(self)
        self.result.setObjectName("findResult")
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 3, 6, 3)
        lay.addWidget(QLabel("Find:", self))
        lay.addWidget(self.field, 1)
        lay.addWidget(prev)
        lay.addWidget(nxt)
        lay.addWidget(self.case)
        lay.addWidget(self.result)
        lay.addWidget(close)
        self.field.returnPressed.connect(lambda: self.find(False))
        nxt.clicked.connect(lambda: self.find(False))
        prev.clicked.connect(lambda: self.find(True))
        close.clicked.connect(self.close_bar)
        QShortcut(QKeySequence("Shift+Return"), self.field, lambda: self.find(True),
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Escape"), self, self.close_bar, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hide()

    def open_bar(self, text: str = "") -> None:
        if text:
            self.field.setText(text)
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.result.clear()
        self.ctl.focus_document()

    def find(self, backward: bool) -> bool:
        text = self.field.text()
        if not text:
            self.result.clear()
            return False
        ok = self.ctl.find_in_document(text, backward=backward, case_sensitive=self.case.isChecked())
        self.result.setText("" if ok else "Not found")
        self.field.setStyleSheet("" if ok else "background: #ffd6d6;")
        return ok


class NoticeBar(QFrame):
    """A non-modal message over the document (warnings such as "no text layer on page 3")."""

    dismissed = Signal()  # the user closed it

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setStyleSheet("#noticeBar { background: #fff4ce; border-bottom: 1px solid #e0c860; }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setObjectName("noticeText")
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.setAutoRaise(True)
        close.clicked.connect(self._dismiss)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 4, 6, 4)
        lay.addWidget(self.label, 1)
        lay.addWidget(close)
        self.hide()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


__all__ = ["FigureEditor", "FiguresPanel", "FindBar", "NoticeBar", "SpeakersPanel"]
