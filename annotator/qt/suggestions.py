"""Suggestions in the window (issue 3): Find figures, then accept or reject each one by key.

*Figure ▸ Find figures* (Ctrl+Shift+F) runs :func:`annotator.core.suggest.suggest` over the
document's stored text in a worker thread, with a progress dialog and Cancel; the window stays
usable meanwhile. The worker also writes the result, on a connection of its own, with
:func:`~annotator.core.suggest.store_suggestions` in one transaction; the UI thread then reloads
its views once and pushes one undo step (an in-memory file is written on the UI thread).
Spans already marked, suggested or rejected are skipped by the core, so a rejected suggestion
is never proposed again (it stays in the file as "rejected").

Suggested figures are drawn by the window's own highlight and figures-list code (pale fill
and dashed underline in the text, grey italic rows in the list). Review keys, all registered
actions: Y accepts the current suggestion and goes to the next one, X rejects it, N / P move
to the next / previous suggestion; Ctrl+Shift+Y accepts every suggestion of the current
suggestion's speaker, Ctrl+Shift+J rejects them (each in one undo step, one store event per
table: ``accept_suggestions`` / ``reject_suggestions``). After a pass, near-identical speaker names ("Royedad 24" for
"Roydad 24") are offered as aliases (:func:`ask_alias_proposals` / :func:`apply_alias_proposals`).
"""

from __future__ import annotations

import bisect
import gc
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QProgressDialog, \
    QPushButton, QVBoxLayout, QWidget

from annotator.core.errors import UserError
from annotator.core.model import Speaker
from annotator.qt import dialogs, heap, settings
from annotator.qt.actions import ActionSpec, register
from annotator.qt.feature_base import worker_store
from annotator.qt.factcheck_features import CapturedAdd, StoreWatcher, UndoList, UndoMany, ensure_actions, \
    need_document, run_command, setting_bool
from annotator.qt.loading import CancelFlag

if TYPE_CHECKING:
    from annotator.core.store import AnnotationStore

log = logging.getLogger(__name__)

#: QSettings key of "Find figures automatically when opening a document" (off by default)
AUTO_KEY = "suggestions/find_on_open"

SPECS = [
    ActionSpec("find_figures", "&Find figures", ("Ctrl+Shift+F",),
               "Find every figure in the document and propose who states it: suggestions you accept (Y) or "
               "reject (X).", "Figure", 5, toolbar=True),
    ActionSpec("find_figures_on_open", "Find figures &automatically on opening", ("Ctrl+Alt+Shift+F",),
               "Find figures automatically when a document is opened.", "Figure", 5, checkable=True),
    ActionSpec("accept_suggestion", "A&ccept suggestion", ("Y", "Ctrl+Return"),
               "Confirm the current suggested figure and its suggested speakers, then go to the next suggestion.",
               "Figure", 6),
    ActionSpec("reject_suggestion", "Re&ject suggestion", ("X", "Ctrl+Backspace"),
               "Reject the current suggestion: it is hidden and never proposed again.", "Figure", 6),
    ActionSpec("next_suggestion", "Ne&xt suggestion", ("N", "Alt+Right"),
               "Go to the next suggestion in the document.", "Figure", 6),
    ActionSpec("previous_suggestion", "Previous s&uggestion", ("P", "Alt+Left"),
               "Go to the previous suggestion in the document.", "Figure", 6),
    ActionSpec("accept_speaker_suggestions", "Accept all from this spea&ker", ("Ctrl+Shift+Y",),
               "Confirm every suggestion attributed to the current suggestion's speaker (or to the speaker "
               "selected in the Speakers panel).", "Figure", 6),
    ActionSpec("reject_speaker_suggestions", "Reject all from this speake&r", ("Ctrl+Shift+J",),
               "Reject every suggestion attributed to the current suggestion's speaker (or to the speaker "
               "selected in the Speakers panel): hidden and never proposed again.", "Figure", 6),
]
for _spec in SPECS:
    register(_spec)

_DOC_ACTIONS = ("find_figures", "accept_suggestion", "reject_suggestion", "next_suggestion", "previous_suggestion",
                "accept_speaker_suggestions", "reject_speaker_suggestions")


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------- the worker


class _Thread(QThread):
    progressed = Signal(int, int)

    def __init__(self, job: "FindJob"):
        super().__init__()
        self.job = job

    def run(self) -> None:
        job = self.job
        # No cyclic collection during the whole job (the pass, storing, sorting the records out for the
        # window): on a 1000-page PDF it makes ~0.5 million objects, and a collection over them holds the
        # GIL for 0.2-0.3 s, a freeze of the window. What is still alive at the end is frozen instead
        # (heap.keep_long_lived: no collection walks it; the records stay as long as the document is
        # shown, the rest is freed by reference counting as usual). The pass's own pause (suggest) sees
        # the collector off and leaves it so.
        collecting = gc.isenabled()
        gc.disable()
        try:
            from annotator.core.suggest import suggest  # imported here, not on the UI thread (~0.1 s)

            job.suggestions = suggest(job.text, job.pages, progress=self._progress, cancel=job.cancel)
            if not job.cancel.is_set():
                job.store_here()
        except BaseException as exc:  # delivered to the UI thread
            job.error = exc
        finally:
            heap.keep_long_lived()
            if collecting:
                gc.enable()

    def _progress(self, done: int, total: int) -> None:
        self.progressed.emit(int(done), int(total))


class FindJob(QObject):
    """One suggestion pass over a document's text, off the UI thread.

    ``done(job)`` on the UI thread: ``job.suggestions`` on success, ``job.error`` on failure;
    a cancel request wins until the worker starts writing (``stored``): from then on the pass's
    suggestions are in the file and reported as such.
    """

    progressed = Signal(int, int)
    done = Signal(object)

    def __init__(self, store: AnnotationStore, doc_id: str, text: str, pages: list | None, parent=None):
        super().__init__(parent)
        self.store = store
        self.doc_id = doc_id
        self.text = text
        self.pages = pages
        self.cancel = CancelFlag()
        self.suggestions: list | None = None
        self.error: BaseException | None = None
        self.stored = False  # written by the worker (``report`` and ``added`` set)
        self.report = None
        self.added: list[tuple[type, str]] = []
        self.records: list = []  # the records added, in the order of ``added``
        self.new_records: dict[str, list] = {}  # table -> the records the worker added (for the views)
        self._thread = _Thread(self)
        self._thread.progressed.connect(self.progressed)
        self._thread.finished.connect(self._finished)  # queued: ``done`` is emitted on the UI thread

    def start(self) -> None:
        heap.keep_long_lived()  # collections during the pass walk only the pass's objects, not the window's
        self._thread.start()

    def store_here(self) -> None:
        """In the worker: write the suggestions through a connection of its own (one transaction),
        recording the ids of the records added, so the UI thread only reloads its views. An
        in-memory file has no second connection: the UI thread writes it then (``stored`` stays False)."""
        from annotator.core.suggest import store_suggestions

        with worker_store(self.store) as own:
            if own is None or self.cancel.is_set():
                return
            added: list[tuple[type, str]] = []
            records: list = []

            def capture(table, op, rec):
                if op == "add":
                    added.append((type(rec), rec.id))
                    records.append(rec)
                elif op == "reload" and isinstance(rec, list):  # store.add_many: the new records
                    added.extend((type(r), r.id) for r in rec)
                    records.extend(rec)
                    self.new_records.setdefault(table, []).extend(rec)

            own.subscribe(capture)
            try:
                self.report = store_suggestions(own, self.doc_id, self.suggestions or [])
            finally:
                own.unsubscribe(capture)
            from annotator.qt.state import prepare_new

            self.added = added
            self.records = records
            # sorted out for the window's document state here, off the UI thread
            self.new_records = prepare_new(self.new_records)
            self.stored = True
            # freed here, in the worker: tens of thousands of suggestions take ~1 s to deallocate, a stall
            # if the last reference went on the UI thread
            self.suggestions = None
            if len(added) >= heap.BIG_BATCH:
                # the new records live as long as the document is shown: the collector stops walking them
                # (a full collection over them would stall the window when the pass lands)
                heap.keep_long_lived()

    def request_cancel(self) -> None:
        self.cancel.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def wait(self, ms: int = 30000) -> bool:
        return self._thread.wait(ms)

    def _finished(self) -> None:
        self.done.emit(self)


# --------------------------------------------------------------------------- alias proposals


class AliasDialog(QDialog):
    """Speaker names found in the text that look like existing speakers: add them as aliases?"""

    def __init__(self, parent: QWidget | None, proposals: list[tuple[str, str]]):
        super().__init__(parent)
        self.setObjectName("aliasDialog")
        self.setWindowTitle("Same speaker?")
        intro = QLabel("These names found in the text look like speakers you already have. Checked names are "
                       "added as aliases of the existing speaker (their figures move to it); unchecked ones stay "
                       "separate speakers.", self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("aliasList")
        for name, existing in proposals:
            item = QListWidgetItem(f"“{name}”  →  alias of  “{existing}”", self.list)
            item.setData(Qt.ItemDataRole.UserRole, (name, existing))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        buttons = QDialogButtonBox(self)
        ok = buttons.addButton("Add as aliases", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton("Keep separate", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.list, 1)
        lay.addWidget(buttons)
        self.resize(520, 260)

    def chosen(self) -> list[tuple[str, str]]:
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(tuple(item.data(Qt.ItemDataRole.UserRole)))
        return out


def ask_alias_proposals(parent: QWidget | None, proposals: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """Ask which (suggested name, existing speaker name) proposals to apply; None when refused."""
    dlg = AliasDialog(parent, proposals)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return dlg.chosen() or None


def apply_alias_proposals(window, chosen: list[tuple[str, str]]) -> int:
    """Make each suggested name an alias of the existing speaker (one undo step); the speaker the
    pass created for that name is merged into the existing one. Returns how many were applied."""
    store = window.store
    if store is None or not chosen:
        return 0
    plan: list[tuple[str, str | None, str]] = []  # (existing id, created id or None, name)
    for name, existing_name in chosen:
        keep = _speaker_named(store, existing_name)
        if keep is None:
            continue
        other = _speaker_named(store, name)
        if other is not None and other.id == keep.id:
            continue  # already one speaker
        plan.append((keep.id, other.id if other is not None else None, name))
    if not plan:
        return 0

    def do() -> list:
        undo: list = []
        for keep_id, other_id, name in plan:
            if other_id is not None:
                undo.extend(store.merge_speakers(keep_id, other_id))
            else:
                sp = store.get(Speaker, keep_id)
                if name.casefold() not in (a.casefold() for a in sp.aliases):
                    undo.append((Speaker, keep_id, store.update(Speaker, keep_id, aliases=[*sp.aliases, name])))
        return undo

    names = ", ".join(f"“{_short(n, 24)}”" for _k, _o, n in plan)
    if not run_command(window, UndoList(store, do, f"add alias {names}")):
        return 0
    window.status(f"Added as alias{'es' if len(plan) > 1 else ''}: {names}.")
    return len(plan)


def _speaker_named(store, name: str) -> Speaker | None:
    key = name.strip().casefold()
    for sp in store.speakers():
        if sp.name.strip().casefold() == key:
            return sp
    return store.find_speaker(name)


# --------------------------------------------------------------------------- the controller


class SuggestionsController(QObject):
    """Find figures, review suggestions; one per window (``controller(window)``)."""

    #: a pass ended: its StoreReport, or None (cancelled, failed, or its file was closed)
    passFinished = Signal(object)

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("suggestionsController")
        self.window = window
        self.job: FindJob | None = None
        self.progress: QProgressDialog | None = None
        self.cancel_button: QPushButton | None = None
        self.last_report = None
        self._pending: list[str] = []  # documents waiting for an automatic pass
        self.watcher = StoreWatcher(window)
        self.watcher.reset.connect(self._update_enabled)
        self.actions = a = ensure_actions(window, SPECS)
        a.find_figures.triggered.connect(lambda: self.find_figures())
        auto = a.find_figures_on_open
        auto.setChecked(setting_bool(AUTO_KEY, False))
        auto.toggled.connect(lambda on: settings.set_value(AUTO_KEY, bool(on)))
        a.accept_suggestion.triggered.connect(lambda: self.accept_current())
        a.reject_suggestion.triggered.connect(lambda: self.reject_current())
        a.next_suggestion.triggered.connect(lambda: self.step(1))
        a.previous_suggestion.triggered.connect(lambda: self.step(-1))
        a.accept_speaker_suggestions.triggered.connect(lambda: self.accept_all_from_speaker())
        a.reject_speaker_suggestions.triggered.connect(lambda: self.reject_all_from_speaker())
        window.opened.connect(self._opened)
        window.installEventFilter(self)
        # right-click in the text offers the review actions too
        window.reader.context_actions.extend([a.accept_suggestion, a.reject_suggestion])
        self._update_enabled()

    # -- state ---------------------------------------------------------------------

    def _update_enabled(self) -> None:
        has_doc = self.window.doc_id is not None and self.window.store is not None
        for name in _DOC_ACTIONS:
            self.actions[name].setEnabled(has_doc)
        if self.job is not None:
            self.actions.find_figures.setEnabled(False)

    def is_running(self) -> bool:
        return self.job is not None

    def suggested_ids(self) -> list[str]:
        """The suggestions of the current document, in text order."""
        st = self.window.state
        if st is None:
            return []
        return [fid for _s, _e, fid in st.ordered() if st.figures[fid].status == "suggested"]

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window and event.type() == QEvent.Type.Close:
            self._pending.clear()
            if self.job is not None:  # the thread must end before the window (and its store) goes
                self.job.request_cancel()
                self.job.wait()
        return False

    # -- finding -------------------------------------------------------------------------

    def _opened(self, doc_id: str) -> None:
        if doc_id and self.actions.find_figures_on_open.isChecked():
            self._pending.append(doc_id)
            QTimer.singleShot(0, self._next_pending)

    def _next_pending(self) -> None:
        while self._pending and self.job is None:
            doc_id = self._pending.pop(0)
            if self.window.store is not None and doc_id in {d.id for d in self.window.store.documents()}:
                self.find_figures(doc_id)

    def find_figures(self, doc_id: str | None = None) -> bool:
        """Start a pass over ``doc_id`` (default: the current document); False when none started."""
        w = self.window
        if self.job is not None:
            w.status("Figures are being found already.")
            return False
        if not need_document(w):
            return False
        doc_id = doc_id or w.doc_id
        store = w.store
        info = store.document(doc_id)
        text = store.document_text(doc_id)
        # annotator.core.suggest is imported by the worker (on the UI thread its regular expressions took
        # 0.1-0.2 s to compile: a stall as the pass started)
        job = FindJob(store, doc_id, text, info.pages, self)
        self.job = job
        name = info.title or info.source_name
        dlg = QProgressDialog(f"Finding figures in {_short(name, 60)}…", "", 0, 0, w)
        dlg.setObjectName("findFiguresProgress")
        dlg.setWindowTitle("Find figures")
        self.cancel_button = QPushButton("Cancel", dlg)
        self.cancel_button.setObjectName("findFiguresCancel")
        dlg.setCancelButton(self.cancel_button)
        dlg.setWindowModality(Qt.WindowModality.NonModal)  # read on while it runs
        dlg.setMinimumDuration(400)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.canceled.connect(self.cancel)
        job.progressed.connect(lambda done, total: (dlg.setMaximum(max(total, 0)), dlg.setValue(min(done, total))))
        job.done.connect(self._job_done)
        self.progress = dlg
        w.status(f"Finding figures in {_short(name, 60)}…", 0)
        self._update_enabled()
        job.start()
        return True

    def cancel(self) -> None:
        """Stop the running pass; nothing is written."""
        if self.job is not None:
            self.job.request_cancel()

    def _finish_progress(self) -> None:
        dlg, self.progress = self.progress, None
        self.cancel_button = None
        if dlg is not None:
            dlg.canceled.disconnect()
            dlg.reset()
            dlg.hide()
            dlg.deleteLater()

    def _job_done(self, job: FindJob) -> None:
        self._finish_progress()
        self.job = None
        job.wait()
        job.deleteLater()
        w = self.window
        w.statusBar().clearMessage()
        self._update_enabled()
        report = None
        landed = False  # stored: passFinished comes once the views show the pass (``_landed``)
        try:
            if job.stored and w.store is not job.store:
                w.status("The figures found were saved in the annotation file that was closed meanwhile.")
            elif job.stored:
                report = self.store_pass(job.doc_id, job.suggestions or [], job)
                landed = report is not None
            elif job.cancelled:
                w.status("Finding figures was cancelled: nothing was changed.")
            elif isinstance(job.error, UserError):
                dialogs.show_error(w, "Cannot find figures", str(job.error))
            elif job.error is not None:
                log.error("finding figures failed", exc_info=job.error)
                dialogs.show_error(w, "Cannot find figures", f"An unexpected error stopped the search: "
                                                             f"{type(job.error).__name__}: {job.error}")
            elif w.store is not job.store:
                w.status("The annotation file was closed before the figures were found: nothing was changed.")
            else:
                report = self.store_pass(job.doc_id, job.suggestions or [])
                landed = report is not None
        finally:
            self.last_report = report
            if not landed:
                self._pass_finished(report)

    def _pass_finished(self, report) -> None:
        self.passFinished.emit(report)
        if self._pending:
            QTimer.singleShot(0, self._next_pending)

    def store_pass(self, doc_id: str, suggestions: list, job: FindJob | None = None):
        """Write a pass's suggestions (one undo step); once the views show them (the window's store events
        spread that over a few event-loop turns), go to the first, offer alias proposals and emit
        ``passFinished`` (:meth:`_landed`). Returns the report (None when nothing could be saved:
        ``passFinished`` is then the caller's).

        When the worker has written them already (``job.stored``), the window's connection only
        announces the new records (one reload) and the undo step is made from the ids it added."""
        from annotator.core.suggest import store_suggestions

        w = self.window
        store = w.store
        cmd = CapturedAdd(store, lambda: store_suggestions(store, doc_id, suggestions), "find figures")
        if job is not None and job.stored:
            cmd.result, cmd.added, cmd.records = job.report, list(job.added), list(job.records)
            cmd._skip_redo = True  # done: the push must not add them again
            tables = {cls.TABLE for cls, _rid in cmd.added}
            for table in sorted(tables):  # the views take the new records as they are (no re-read)
                store.notify(table, "reload", job.new_records.get(table))
        else:
            try:
                cmd.execute()
            except UserError as exc:
                dialogs.show_error(w, "The suggestions could not be saved", str(exc))
                return None
        report = cmd.result
        if cmd.added:
            w.undo_stack.push(cmd)
        events = w.events
        if events is not None:
            # not in this turn: reading the window's state here would redraw every view at once
            events.when_done(lambda: self._landed(doc_id, report, store))
        else:
            self._landed(doc_id, report, store)
        return report

    def _landed(self, doc_id: str, report, store) -> None:
        """The views show the pass: say so, go to its first suggestion, offer alias proposals."""
        w = self.window
        try:
            if w.store is not store:
                return
            skipped = report.skipped_existing + report.skipped_rejected
            extra = f" ({skipped} already marked or rejected)" if skipped else ""
            if report.figures:
                w.status(f"{report.figures} figure{'s' if report.figures != 1 else ''} suggested{extra}: "
                         f"Y accepts, X rejects, N goes to the next.", 12000)
                st = w.state
                if doc_id == w.doc_id and st is not None:
                    new_ids = set(report.figure_ids)
                    figs = st.figures
                    # walking the text order up to the first one (not listing every suggestion first)
                    first = next((i for _s, _e, i in st.ordered() if i in new_ids and figs[i].status == "suggested"),
                                 None)
                    if first is not None:
                        w.go_to_figure(first)
            else:
                w.status(f"No new figures found{extra}.", 8000)
            if report.alias_proposals:
                chosen = ask_alias_proposals(w, list(report.alias_proposals))
                if chosen:
                    apply_alias_proposals(w, chosen)
        finally:
            self._pass_finished(report)

    # -- reviewing -----------------------------------------------------------------------

    def neighbour(self, figure_id: str | None, step: int) -> str | None:
        """The suggestion after (step 1) or before (step -1) a figure, or the cursor when none."""
        st = self.window.state
        if st is None:
            return None
        keys = [(st.figures[fid].start, fid) for fid in self.suggested_ids()]
        if not keys:
            return None
        f = st.figures.get(figure_id) if figure_id else None
        if f is not None:
            here = (f.start, f.id)
            i = bisect.bisect_right(keys, here) if step > 0 else bisect.bisect_left(keys, here) - 1
        else:
            sel = self.window.view.selection()
            offset = sel.start if sel is not None else 0
            starts = [k[0] for k in keys]
            i = bisect.bisect_left(starts, offset) if step > 0 else bisect.bisect_left(starts, offset) - 1
        return keys[i][1] if 0 <= i < len(keys) else None

    def step(self, step: int) -> str | None:
        if not need_document(self.window):
            return None
        fid = self.neighbour(self.window.current_figure_id, step)
        if fid is None:
            self.window.status("No more suggestions in this direction." if self.suggested_ids() else
                               "No suggestions in this document: use Figure ▸ Find figures (Ctrl+Shift+F).")
            return None
        self.window.go_to_figure(fid)
        return fid

    def _current_suggestion(self):
        w = self.window
        if not need_document(w):
            return None
        f = w.current_figure()
        if f is None or f.status != "suggested":
            w.status("The current figure is not a suggestion: press N to go to the next suggestion.")
            return None
        return f

    def accept_current(self) -> bool:
        """Accept the current suggestion (Y) and go to the next one."""
        from annotator.core.suggest import accept_suggestion

        f = self._current_suggestion()
        if f is None:
            return False
        w = self.window
        nxt = self.neighbour(f.id, 1)
        store = w.store
        cmd = UndoList(store, lambda: accept_suggestion(store, f.id), f"accept “{_short(f.exact)}”")
        if not run_command(w, cmd):
            return False
        self._after_review(f"Accepted “{_short(f.exact)}”.", nxt)
        return True

    def reject_current(self) -> bool:
        """Reject the current suggestion (X): hidden, kept as rejected so it is not proposed again."""
        from annotator.core.suggest import reject_suggestion

        f = self._current_suggestion()
        if f is None:
            return False
        w = self.window
        nxt = self.neighbour(f.id, 1)
        store = w.store
        cmd = UndoList(store, lambda: reject_suggestion(store, f.id), f"reject “{_short(f.exact)}”")
        if not run_command(w, cmd):
            return False
        self._after_review(f"Rejected “{_short(f.exact)}”.", nxt)
        return True

    def _after_review(self, message: str, nxt: str | None) -> None:
        w = self.window
        if nxt is not None and w.state is not None and nxt in w.state.figures:
            w.go_to_figure(nxt)
            w.status(message)
        else:
            left = len(self.suggested_ids())
            w.status(f"{message} No suggestion after this one" + (f" ({left} left above: press P)." if left else
                                                                  "; every suggestion is reviewed."))

    def speaker_of_current(self) -> str | None:
        """The speaker "accept all" applies to: the current suggestion's original speaker, else the one
        selected in the Speakers panel."""
        w = self.window
        f = w.current_figure()
        st = w.state
        if f is not None and f.status == "suggested" and st is not None:
            atts = [a for a in st.figure_attributions(f.id) if a.status == "suggested"]
            atts.sort(key=lambda a: a.role != "states")
            if atts:
                return atts[0].speaker_id
        ids = w.speakers.selected_ids()
        return ids[0] if len(ids) == 1 else None

    def accept_all_from_speaker(self, speaker_id: str | None = None) -> int:
        """Accept every suggestion of the current document attributed to a speaker (one undo step);
        returns how many."""
        return self._all_from_speaker(speaker_id, accept=True)

    def reject_all_from_speaker(self, speaker_id: str | None = None) -> int:
        """Reject every suggestion of the current document attributed to a speaker (one undo step): kept
        as rejected, never proposed again. Returns how many."""
        return self._all_from_speaker(speaker_id, accept=False)

    def _all_from_speaker(self, speaker_id: str | None, accept: bool) -> int:
        from annotator.core.suggest import accept_suggestions, reject_suggestions, suggestions_from_speaker

        w = self.window
        verb = "accept" if accept else "reject"
        if not need_document(w):
            return 0
        speaker_id = speaker_id or self.speaker_of_current()
        if speaker_id is None:
            w.status(f"Go to a suggestion, or select one speaker in the Speakers panel, then {verb} all from it.")
            return 0
        store = w.store
        sp = w.state.speaker(speaker_id)
        name = sp.name if sp is not None else "?"
        ids = suggestions_from_speaker(store, w.doc_id, speaker_id)
        if not ids:
            w.status(f"No suggestion is attributed to {name}.")
            return 0
        nxt = None
        cur = w.current_figure_id
        st = w.state
        if cur in st.figures:
            taken = set(ids)
            if cur in taken:
                # the next suggestion left, walking on from the current figure (not listing all 44,000 first)
                import itertools

                order, f = st.ordered(), st.figures[cur]
                at = bisect.bisect_right(order, (f.start, f.end, cur))
                nxt = next((i for _s, _e, i in itertools.islice(order, at, None)
                            if i not in taken and st.figures[i].status == "suggested"), None)
        bulk = accept_suggestions if accept else reject_suggestions
        n = len(ids)
        what = f"{n} suggestion{'s' if n != 1 else ''}"
        if not run_command(w, UndoMany(store, lambda s: bulk(s, ids), f"{verb} {what} from {_short(name)}",
                                          size=2 * n)):
            return 0
        message = f"{'Accepted' if accept else 'Rejected'} {what} from {name}."

        def then() -> None:
            if nxt is not None and w.store is store and w.state is not None and nxt in w.state.figures:
                w.go_to_figure(nxt)
            w.status(message)

        if w.events is not None:
            w.events.when_done(then)  # not now: reading the state here would redraw every view in this turn
        else:
            then()
        return n


def controller(window) -> SuggestionsController | None:
    return window.findChild(SuggestionsController, "suggestionsController")


def install(window) -> SuggestionsController:
    """Connect the suggestion actions of a constructed main window (once)."""
    ctl = controller(window)
    return ctl if ctl is not None else SuggestionsController(window)


__all__ = ["AUTO_KEY", "AliasDialog", "FindJob", "SuggestionsController", "apply_alias_proposals",
           "ask_alias_proposals", "controller", "install"]
