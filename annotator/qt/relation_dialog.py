"""The "New relation…" dialog (issue 6): state that one figure derives from others.

``ask_new_relation(window)`` shows the dialog (the only ``exec()``) and returns what the user
chose; ``apply_new_relation(window, ...)`` validates it with the core and adds the relation as
one undoable step. Tests call the apply part; the dialog itself is driven through
:meth:`RelationDialog.values`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, \
    QHeaderView, QLabel, QLineEdit, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.core.errors import UserError
from annotator.core.model import Figure, Relation
from annotator.qt import commands, dialogs
from annotator.qt.factcheck_features import run_command

#: parameters typed as numbers (the others are text)
NUMERIC_PARAMS = ("percent", "rate", "factor", "tolerance")
#: parameters given per input (a column of the inputs list) rather than typed
INPUT_FLAGS = {"product": ("divide", "÷ divides"), "sum": ("subtract", "− subtracts")}
#: what the inputs are, per kind (shown above the list)
INPUT_HELP = {
    "share": "Inputs: the percentage and the whole (or only the whole, with the percentage typed below). "
             "When the derived figure is the percentage: the part, then the whole.",
    "product": "Inputs: the factors. Tick “÷” for a factor that divides (cost per person = total ÷ people).",
    "sum": "Inputs: the terms. Tick “−” for a term that is subtracted.",
    "period": "Input: the same amount per another period (per month → per year).",
    "currency": "Input: the amount in the other currency. Enter the exchange rate with its date and source.",
    "same": "Input: the same quantity, from another source.",
    "change": "Inputs, in order: the old value and the new value (or the old value and the % change).",
}


def figure_choice_label(f: Figure) -> str:
    from annotator.core.checks import figure_label

    exact = " ".join(f.exact.split())
    label = figure_label(f)
    text = f"“{exact}”" if exact.casefold() == label.casefold() else f"“{exact}” = {label}"
    return text + ("  (suggested)" if f.status == "suggested" else "")


class RelationDialog(QDialog):
    def __init__(self, parent: QWidget | None, store, figures: list[Figure], target_id: str | None = None):
        from annotator.core.checks import KIND_LABELS, KINDS

        super().__init__(parent)
        self.setObjectName("relationDialog")
        self.setWindowTitle("New relation")
        self.store = store
        self.figures = figures

        self.kind = QComboBox(self)
        self.kind.setObjectName("relationKind")
        for k in KINDS:
            self.kind.addItem(f"{k}: {KIND_LABELS[k]}", k)
        self.target = QComboBox(self)
        self.target.setObjectName("relationTarget")
        self.target.setToolTip("The derived figure: the one the others should compute.")
        for f in figures:
            self.target.addItem(figure_choice_label(f), f.id)
        if target_id is not None:
            self.target.setCurrentIndex(max(0, self.target.findData(target_id)))

        self.input_help = QLabel(self)
        self.input_help.setWordWrap(True)
        self.inputs = QTreeWidget(self)
        self.inputs.setObjectName("relationInputs")
        self.inputs.setHeaderLabels(["Input figure", ""])
        self.inputs.setRootIsDecorated(False)
        self.inputs.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.inputs.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.inputs.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.inputs.header().setStretchLastSection(False)
        self.up = QPushButton("Move up", self)
        self.down = QPushButton("Move down", self)
        self.up.setToolTip("Order matters for some kinds (part before whole, old before new).")
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))

        self.params_box = QWidget(self)
        self.params_form = QFormLayout(self.params_box)
        self.params_form.setContentsMargins(0, 0, 0, 0)
        self.param_fields: dict[str, QLineEdit] = {}
        self.note = QLineEdit(self)
        self.note.setObjectName("relationNote")
        self.note.setPlaceholderText("why these figures are related (optional)")
        self.error = QLabel(self)
        self.error.setObjectName("relationError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()

        form = QFormLayout()
        form.addRow("Kind:", self.kind)
        form.addRow("Derived figure:", self.target)
        moves = QHBoxLayout()
        moves.addStretch(1)
        moves.addWidget(self.up)
        moves.addWidget(self.down)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add relation")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.input_help)
        lay.addWidget(self.inputs, 1)
        lay.addLayout(moves)
        lay.addWidget(self.params_box)
        note_row = QFormLayout()
        note_row.addRow("Note:", self.note)
        lay.addLayout(note_row)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.target.currentIndexChanged.connect(self._fill_inputs)
        self._fill_inputs()
        self._kind_changed()
        self.resize(640, 560)

    # -- filling -----------------------------------------------------------------------

    def current_kind(self) -> str:
        return self.kind.currentData()

    def _fill_inputs(self) -> None:
        checked = set(self.checked_ids())
        target = self.target.currentData()
        self.inputs.clear()
        for f in self.figures:
            if f.id == target:
                continue
            item = QTreeWidgetItem(self.inputs, [figure_choice_label(f), ""])
            item.setData(0, Qt.ItemDataRole.UserRole, f.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if f.id in checked else Qt.CheckState.Unchecked)
            item.setCheckState(1, Qt.CheckState.Unchecked)
        self._kind_changed()

    def _kind_changed(self, *_args) -> None:
        from annotator.core.checks import KIND_PARAMS

        kind = self.current_kind()
        self.input_help.setText(INPUT_HELP.get(kind, ""))
        flag = INPUT_FLAGS.get(kind)
        self.inputs.setColumnHidden(1, flag is None)
        if flag is not None:
            self.inputs.headerItem().setText(1, flag[1])
        old = {k: w.text() for k, w in self.param_fields.items()}
        while self.params_form.rowCount():
            self.params_form.removeRow(0)
        self.param_fields = {}
        for name, help_text in KIND_PARAMS.get(kind, {}).items():
            if flag is not None and name == flag[0]:
                continue
            field = QLineEdit(old.get(name, ""), self.params_box)
            field.setObjectName(f"param_{name}")
            field.setPlaceholderText(help_text)
            field.setToolTip(help_text)
            self.params_form.addRow(f"{name.capitalize()}:", field)
            self.param_fields[name] = field

    def _move(self, step: int) -> None:
        item = self.inputs.currentItem()
        if item is None:
            return
        row = self.inputs.indexOfTopLevelItem(item)
        new = row + step
        if not 0 <= new < self.inputs.topLevelItemCount():
            return
        self.inputs.takeTopLevelItem(row)
        self.inputs.insertTopLevelItem(new, item)
        self.inputs.setCurrentItem(item)

    # -- reading ---------------------------------------------------------------------------

    def _items(self):
        return [self.inputs.topLevelItem(i) for i in range(self.inputs.topLevelItemCount())]

    def checked_ids(self) -> list[str]:
        return [it.data(0, Qt.ItemDataRole.UserRole) for it in self._items()
                if it.checkState(0) == Qt.CheckState.Checked]

    def set_inputs(self, ids: list[str], flagged: list[str] = ()) -> None:
        """Tick ``ids`` as inputs, in that order, and ``flagged`` in the ÷/− column (scripts, tests)."""
        items = {it.data(0, Qt.ItemDataRole.UserRole): it for it in self._items()}
        for it in items.values():
            it.setCheckState(0, Qt.CheckState.Unchecked)
        for pos, fid in enumerate(ids):
            it = items.get(fid)
            if it is None:
                continue
            self.inputs.takeTopLevelItem(self.inputs.indexOfTopLevelItem(it))
            self.inputs.insertTopLevelItem(pos, it)
            it.setCheckState(0, Qt.CheckState.Checked)
            it.setCheckState(1, Qt.CheckState.Checked if fid in flagged else Qt.CheckState.Unchecked)

    def values(self) -> dict:
        """What the dialog says: kind, target_id, input_ids, params (as typed), note."""
        kind = self.current_kind()
        ids = self.checked_ids()
        params: dict = {k: w.text().strip() for k, w in self.param_fields.items() if w.text().strip()}
        flag = INPUT_FLAGS.get(kind)
        if flag is not None:
            flagged = [it.data(0, Qt.ItemDataRole.UserRole) for it in self._items()
                       if it.checkState(0) == Qt.CheckState.Checked and it.checkState(1) == Qt.CheckState.Checked]
            if flagged:
                params[flag[0]] = flagged
        return {"kind": kind, "target_id": self.target.currentData(), "input_ids": ids, "params": params,
                "note": self.note.text().strip()}

    def accept(self) -> None:
        try:
            check_relation(self.store, **self.values())
        except UserError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()


def convert_params(params: dict) -> dict:
    """Typed parameters as the core reads them: numbers for rate, percent, factor, tolerance."""
    from annotator.core.checks import RelationError
    from annotator.core.project import parse_number_input

    out = {}
    for k, v in (params or {}).items():
        if k in NUMERIC_PARAMS and isinstance(v, str):
            try:
                num = parse_number_input(v)
            except ValueError:
                raise RelationError(f"The {k} “{v}” is not a number.") from None
            if num is None:
                continue
            out[k] = num
        elif v not in (None, "", []):
            out[k] = v
    return out


def check_relation(store, kind: str, target_id: str, input_ids: list[str], params: dict | None = None,
                   note: str = "") -> dict:
    """Validate a relation as the dialog or a script gives it; returns the converted params."""
    from annotator.core.checks import validate_relation

    p = convert_params(params or {})
    validate_relation(store, kind, target_id, list(input_ids), p)
    return p


def ask_new_relation(window, target_id: str | None = None) -> dict | None:
    """Show the New relation dialog for the current document; None when cancelled."""
    st = window.state
    if st is None or window.store is None:
        return None
    figures = [st.figures[fid] for _s, _e, fid in st.ordered()]
    if len(figures) < 2:
        dialogs.show_info(window, "New relation", "A relation needs at least two figures: mark them first "
                                                  "(or use Figure ▸ Find figures).")
        return None
    dlg = RelationDialog(window, window.store, figures, target_id or window.current_figure_id)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return dlg.values()


def apply_new_relation(window, kind: str, target_id: str, input_ids: list[str], params: dict | None = None,
                       note: str = "") -> str | None:
    """Add the relation (one undo step); returns its id, or None when it cannot be made (told to the user)."""
    from annotator.core.checks import KIND_LABELS

    store = window.store
    if store is None:
        return None
    try:
        p = check_relation(store, kind, target_id, input_ids, params, note)
    except UserError as exc:
        dialogs.show_error(window, "Cannot add the relation", str(exc))
        return None
    rel = Relation(kind=kind, target_id=target_id, input_ids=list(input_ids), params=p, note=note,
                   status="confirmed", author=window.me)
    target = store.get(Figure, target_id)
    exact = " ".join(target.exact.split())
    cmd = commands.AddRecords(store, [rel], f"relation “{KIND_LABELS[kind]}” on “{exact}”")
    if not run_command(window, cmd):
        return None
    return cmd.records[0].id


__all__ = ["RelationDialog", "apply_new_relation", "ask_new_relation", "check_relation", "convert_params"]
