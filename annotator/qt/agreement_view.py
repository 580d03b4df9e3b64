"""The Agreement panel: how far two people who annotated the same document agree.

Pick two authors of the current document: the panel shows figure-span precision, recall
and F1 (B's figures against A's; exact-boundary F1 too), how often matched figures got the
same speakers, and agreement on verdicts (observed share, Cohen's kappa, Gwet's AC1, which
stays meaningful when nearly every figure has the same verdict). Below, the disagreements
in document order; Next / Previous (Alt+PgDown / Alt+PgUp) select each in the text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QListWidget, \
    QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from annotator.qt.actions import ActionSpec
from annotator.qt.feature_base import WindowLink, add_dock, ensure_actions, register_specs, short, show_dock

SPECS = [
    ActionSpec("show_agreement", "&Agreement between authors", ("Ctrl+6",),
               "Show or hide the agreement panel: how far two people who marked this document agree.", "View", 0,
               checkable=True),
    ActionSpec("next_disagreement", "Next &disagreement", ("Alt+PgDown",),
               "Select the next place where the two compared authors disagree.", "Review", 2),
    ActionSpec("previous_disagreement", "Previous disagreement", ("Alt+PgUp",),
               "Select the previous place where the two compared authors disagree.", "Review", 2),
]
register_specs(SPECS)

KIND_LABELS = {"only_a": "only A", "only_b": "only B", "boundary": "boundaries", "speakers": "speakers",
               "verdict": "verdict"}


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.0%}"


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def kappa_words(k: float | None) -> str:
    """A plain reading of a kappa-like coefficient (Landis and Koch's bands)."""
    if k is None:
        return "not defined"
    if k <= 0:
        return "no better than chance"
    for limit, words in ((0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial")):
        if k <= limit:
            return words
    return "almost perfect"


def describe(d, name_a: str, name_b: str) -> str:
    """A disagreement in words, naming who did what ("verdict: Ali accurate, Bita misleading")."""
    a, b = d.figure_a, d.figure_b
    if a is None or b is None:
        return d.detail
    parts = []
    for kind, segment in zip([k for k in d.kinds if k in ("boundary", "speakers", "verdict")], d.detail.split("; ")):
        if kind == "boundary":
            parts.append(f"{name_a} marked “{a.exact}”, {name_b} “{b.exact}”")
        elif kind == "verdict":
            parts.append(f"verdict: {name_a} {a.verdict}, {name_b} {b.verdict}")
        elif kind == "speakers" and segment.startswith("speakers ") and " / " in segment:
            sa, sb = segment[len("speakers "):].split(" / ", 1)
            parts.append(f"speakers: {name_a} {sa}, {name_b} {sb}")
        else:
            parts.append(segment)
    return f"“{short(a.exact, 30)}”: " + "; ".join(parts)


class AgreementPanel(QWidget):
    def __init__(self, window, link: WindowLink, parent=None):
        super().__init__(parent)
        self.setObjectName("agreementPanel")
        self.window = window
        self.link = link
        self.report = None
        self.dock = None
        self._n_authors = 0

        self.author_a = QComboBox(self)
        self.author_a.setObjectName("agreementAuthorA")
        self.author_a.setToolTip("The reference: precision is the share of B's figures A also marked.")
        self.author_b = QComboBox(self)
        self.author_b.setObjectName("agreementAuthorB")
        self.author_b.setToolTip("Compared with A: recall is the share of A's figures B also marked.")
        for c in (self.author_a, self.author_b):
            c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            c.activated.connect(lambda _i: self.recompute())
        pick = QHBoxLayout()
        pick.addWidget(QLabel("A:", self))
        pick.addWidget(self.author_a, 1)
        pick.addWidget(QLabel("B:", self))
        pick.addWidget(self.author_b, 1)

        self.note = QLabel(self)
        self.note.setObjectName("agreementNote")
        self.note.setWordWrap(True)
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        rows = [
            ("figures", "Figures (A / B)", "How many figures each person marked on this document."),
            ("matched", "Matched", "Figures both marked (overlapping spans, paired one to one); exact: same "
                                   "boundaries."),
            ("prf", "Precision · recall · F1", "Precision: share of B's figures A also marked; recall: share of "
                                               "A's that B also marked; F1 combines both."),
            ("exact_f1", "F1, exact boundaries", "The same, counting only figures with identical boundaries."),
            ("speakers", "Same speakers", "Matched figures given the same speakers (same record, or same "
                                          "name or alias)."),
            ("verdicts", "Same verdict", "Matched figures given the same verdict."),
            ("kappa", "Cohen's κ", "Agreement on verdicts beyond chance (1 = perfect, 0 = chance)."),
            ("ac1", "Gwet's AC1", "Like κ, but stays meaningful when nearly every figure has the same verdict."),
        ]
        for r, (key, label, tip) in enumerate(rows):
            name = QLabel(label, self)
            name.setToolTip(tip)
            val = QLabel("—", self)
            val.setObjectName(f"agreement_{key}")
            val.setToolTip(tip)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, r, 0)
            grid.addWidget(val, r, 1)
            self.values[key] = val
        grid.setColumnStretch(1, 1)

        self.list = QListWidget(self)
        self.list.setObjectName("disagreementList")
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._row_changed)
        self.prev_btn = QPushButton("Previous", self)
        self.prev_btn.setObjectName("previousDisagreement")
        self.prev_btn.clicked.connect(lambda: self.step(-1))
        self.next_btn = QPushButton("Next", self)
        self.next_btn.setObjectName("nextDisagreement")
        self.next_btn.clicked.connect(lambda: self.step(1))
        self.position = QLabel(self)
        self.position.setObjectName("disagreementPosition")
        nav = QHBoxLayout()
        nav.addWidget(QLabel("<b>Disagreements</b>", self))
        nav.addStretch(1)
        nav.addWidget(self.position)
        nav.addWidget(self.prev_btn)
        nav.addWidget(self.next_btn)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(pick)
        lay.addWidget(self.note)
        lay.addLayout(grid)
        lay.addLayout(nav)
        lay.addWidget(self.list, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self._refresh_if_shown)
        self._dirty = True
        link.documentReset.connect(self._document_reset)
        link.storeEvent.connect(self._store_event)
        self._document_reset()

    # -- data ---------------------------------------------------------------------------------------

    def _document_reset(self) -> None:
        self.fill_authors()
        self._dirty = True
        self._timer.start()

    def _store_event(self, table: str, _op: str, _rec) -> None:
        if table in ("figures", "attributions", "speakers"):
            self._dirty = True
            self._timer.start()

    def _refresh_if_shown(self) -> None:
        if self._dirty and self.isVisible():
            self.fill_authors()
            self.recompute()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._refresh_if_shown()

    def authors(self) -> list[str]:
        from annotator.core.agreement import authors_of

        w = self.window
        if w.store is None or not w.doc_id:
            return []
        return authors_of(w.store, w.doc_id)

    def fill_authors(self) -> None:
        people = self.authors()
        me = self.window.me
        for i, combo in enumerate((self.author_a, self.author_b)):
            cur = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for p in people:
                combo.addItem(p + (" (you)" if p == me else ""), p)
            j = combo.findData(cur) if cur is not None else -1
            if j < 0:
                j = min(i, len(people) - 1)
            combo.setCurrentIndex(j)
            combo.blockSignals(False)
        self._n_authors = len(people)

    def compare(self, author_a: str, author_b: str):
        """Compare two authors on the current document (sets the combos); returns the AgreementReport."""
        for combo, who in ((self.author_a, author_a), (self.author_b, author_b)):
            i = combo.findData(who)
            if i < 0:
                self.fill_authors()
                i = combo.findData(who)
            combo.setCurrentIndex(i)
        return self.recompute()

    def recompute(self):
        from annotator.core.agreement import agreement

        self._dirty = False
        w = self.window
        a, b = self.author_a.currentData(), self.author_b.currentData()
        self.report = None
        note = ""
        if self._n_authors < 2:
            note = ("Agreement needs figures marked by two people on this document: merge a colleague's "
                    "file first (File ▸ Merge colleagues' files…).")
        elif a == b:
            note = "Pick two different people."
        elif w.store is not None and w.doc_id:
            self.report = agreement(w.store, w.doc_id, a, b)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self._show()
        return self.report

    def _show(self) -> None:
        rep = self.report
        v = self.values
        keep = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        if rep is None:
            for lab in v.values():
                lab.setText("—")
            self.list.blockSignals(False)
            self._update_nav()
            return
        v["figures"].setText(f"{rep.figures_a} / {rep.figures_b}")
        v["matched"].setText(f"{rep.matched} (exact: {rep.exact})")
        v["prf"].setText(f"{_pct(rep.precision)} · {_pct(rep.recall)} · {_pct(rep.f1)}")
        v["exact_f1"].setText(_pct(rep.exact_f1))
        v["speakers"].setText(f"{_pct(rep.speaker_agreement)} ({rep.speakers_same} of {rep.speakers_compared})")
        v["verdicts"].setText(f"{_pct(rep.verdict_agreement)} ({rep.verdicts_compared} compared)")
        v["kappa"].setText(f"{_num(rep.cohen_kappa)} ({kappa_words(rep.cohen_kappa)})")
        v["ac1"].setText(f"{_num(rep.gwet_ac1)} ({kappa_words(rep.gwet_ac1)})")
        st = self.window.state
        for d in rep.disagreements:
            kinds = ", ".join(KIND_LABELS.get(k, k) for k in d.kinds)
            where = st.location(d.figure_a or d.figure_b) if st is not None else ""
            it = QListWidgetItem(f"{where} · {describe(d, rep.author_a, rep.author_b)}")
            it.setToolTip(f"Differs in: {kinds}")
            it.setData(Qt.ItemDataRole.UserRole, list(d.kinds))
            self.list.addItem(it)
        self.list.blockSignals(False)
        if 0 <= keep < self.list.count():
            self.list.setCurrentRow(keep)
        self._update_nav()

    def _update_nav(self) -> None:
        n = self.list.count()
        i = self.list.currentRow()
        self.position.setText(f"{i + 1} of {n}" if n and i >= 0 else (f"{n} to check" if n else "none"))
        self.prev_btn.setEnabled(n > 0)
        self.next_btn.setEnabled(n > 0)

    # -- walking -----------------------------------------------------------------------------------------

    def step(self, delta: int) -> int | None:
        """Select the next (delta=1) or previous (-1) disagreement, wrapping around; returns its row."""
        n = self.list.count()
        if not n:
            self.window.status("No disagreement to show.")
            return None
        i = self.list.currentRow()
        j = (0 if delta > 0 else n - 1) if i < 0 else (i + delta) % n
        self.list.setCurrentRow(j)
        if i >= 0 and (i + delta) // n != 0:
            self.window.status("Back to the first disagreement." if delta > 0 else "Back to the last disagreement.")
        return j

    def _row_changed(self, row: int) -> None:
        self._update_nav()
        rep = self.report
        if rep is None or not (0 <= row < len(rep.disagreements)):
            return
        d = rep.disagreements[row]
        f = d.figure_a or d.figure_b
        w = self.window
        st = w.state
        if st is not None and f.id in st.figures:
            w.go_to_figure(f.id)  # the figure becomes current: its row, its highlight
        other = d.figure_b if f is d.figure_a else None
        if (d.start, d.end) != (f.start, f.end) or other is not None:
            w.view.reveal(d.start, d.end, f.page)  # select the whole place where both differ
        w.status(f"{short(d.detail, 120)}")


def install(window) -> AgreementPanel:
    """Add the Agreement dock and the next/previous disagreement actions to ``window``."""
    existing = window.findChild(AgreementPanel, "agreementPanel")
    if existing is not None:
        return existing
    acts: dict[str, QAction] = ensure_actions(window, SPECS)
    link = WindowLink.of(window)
    panel = AgreementPanel(window, link)
    review_dock = window.findChild(QWidget, "reviewDock")
    dock = add_dock(window, "Agreement", panel, "agreementDock", tabify_with=review_dock or window.speakers_dock,
                    toggle=acts["show_agreement"])
    panel.dock = dock
    window.agreement_panel = panel

    def walk(delta: int) -> None:
        show_dock(dock)
        if panel.report is None:
            panel.fill_authors()
            panel.recompute()
        panel.step(delta)

    acts["next_disagreement"].triggered.connect(lambda: walk(1))
    acts["previous_disagreement"].triggered.connect(lambda: walk(-1))
    return panel


__all__ = ["AgreementPanel", "install", "kappa_words"]
