"""File ▸ Merge colleagues' files…, the merge report, and the Merge review panel.

* :func:`ask_merge_paths` (file dialog, several files) and :func:`apply_merge` (runs
  :func:`annotator.core.merge.merge_files` in a worker thread with progress and Cancel,
  through its own connection to the file, then reloads the views and shows the report). A
  merge is one transaction: cancelled or refused, nothing changed.
* :class:`MergeReportDialog`: what came in (added, updated, in conflict, kept yours), the
  documents recognised as other versions, orphans, figures whose digits changed, and the
  speakers that may be one person (merge one group, or leave them apart).
* :class:`MergePanel` (a dock): walk through the open conflicts side by side (keep mine,
  take theirs, or edit), place or delete orphans, check figures flagged "figure changed".

Every resolution, placement and flag change is an undoable command. The merge itself is
not undoable: it clears the undo stack (undoing an older edit could silently overwrite what
a colleague's file brought); the input files are never modified.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFrame, QHBoxLayout, \
    QHeaderView, QLabel, QListWidget, QListWidgetItem, QPushButton, QScrollArea, QSizePolicy, QTableWidget, \
    QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget

from annotator.core.errors import UserError
from annotator.core.model import Attribution, Figure, Speaker
from annotator.qt import commands, dialogs
from annotator.qt.actions import ActionSpec
from annotator.qt.feature_base import Job, WindowLink, add_dock, ensure_actions, move_before, need_store, \
    register_specs, run_command, short, show_dock, worker_store

SPECS = [
    ActionSpec("merge_files", "&Merge colleagues' files…", ("Ctrl+Alt+M",),
               "Merge the figures, speakers and comments of other annotation files into this one "
               "(several at once; they are not modified).", "File", 1),
    ActionSpec("show_merge_review", "&Merge review", ("Ctrl+5",),
               "Show or hide the merge review panel: conflicts, orphans, changed figures.", "View", 0,
               checkable=True),
]
register_specs(SPECS)

#: record tables as people call them
TABLE_LABELS = {"documents": "Documents", "figures": "Figures", "speakers": "Speakers",
                "attributions": "Attributions", "comments": "Comments", "relations": "Relations"}
TABLE_SINGULAR = {"figures": "figure", "speakers": "speaker", "attributions": "attribution",
                  "comments": "comment", "relations": "relation"}
#: how many orphans / changed figures the report lists before "… and N more"
LIST_LIMIT = 40


# --------------------------------------------------------------------------- commands


class ResolveConflict(commands.StoreCommand):
    """Settle a conflict (keep mine / take theirs / edited); undo reopens it and restores the record."""

    def __init__(self, store, conflict, choice: str, edited: dict | None, text: str, notify):
        super().__init__(store, text)
        self.conflict = conflict
        self.choice = choice
        self.edited = edited
        self.notify = notify
        self.previous = None

    def _do(self) -> None:
        from annotator.core.merge import resolve_conflict
        from annotator.core.model import RECORD_TYPES

        cls = RECORD_TYPES[self.conflict.table]
        self.previous = self.store.get(cls, self.conflict.record_id) or self.conflict.local
        resolve_conflict(self.store, self.conflict.id, self.choice, self.edited)
        self.notify()

    def _undo(self) -> None:
        from annotator.core.merge import reopen_conflict

        reopen_conflict(self.store, self.conflict.id, self.previous)
        self.notify()


class ChangeFigure(commands.StoreCommand):
    """A core call on one figure that returns the previous values (place an orphan, clear a flag…)."""

    def __init__(self, store, figure_id: str, fn, text: str):
        super().__init__(store, text)
        self.figure_id = figure_id
        self.fn = fn
        self.previous: dict | None = None

    def _do(self) -> None:
        prev = self.fn(self.store, self.figure_id)
        if self.previous is None:
            self.previous = prev

    def _undo(self) -> None:
        if self.previous:
            self.store.update(Figure, self.figure_id, **self.previous)


# --------------------------------------------------------------------------- merging


class _Quiet:
    """An in-memory store as the worker thread sees it: same connection, but its change
    events are held back (the window's listeners must run on the UI thread)."""

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    def notify(self, *_args) -> None:
        pass

    def _emit(self, *_args) -> None:
        pass


def ask_merge_paths(parent) -> list[str]:
    """Choose the annotation files to merge (several at once); [] when cancelled."""
    return dialogs.ask_open_paths(parent, "Merge colleagues' annotation files into this one", dialogs.ANNOT_FILTER)


def apply_merge(window, paths) -> Job | None:
    """Merge ``paths`` into the window's annotation file in a worker thread (progress, Cancel).
    When it ends, the views reload and the report is shown. Returns the running job."""
    if window.store is None:
        window.status("Open the annotation file to merge into first.")
        return None
    paths = [str(p) for p in paths]
    if not paths:
        return None
    if any(j.is_running() for j in window.findChildren(Job, "mergeJob")):
        window.status("A merge is already running.")
        return None
    window.editor.commit_note()
    store = window.store
    quiet = _Quiet(store)

    def work(progress, cancel):
        from annotator.core.merge import merge_files

        with worker_store(store) as target:
            return merge_files(target or quiet, paths, progress=progress, cancel=cancel)

    n = len(paths)
    job = Job(window, work, "Merging", f"Merging {n} file{'s' if n != 1 else ''} into {store.path.name}…",
              object_name="mergeProgress")
    job.setObjectName("mergeJob")
    job.finished.connect(lambda j: _merge_done(window, j, store))
    window.status(f"Merging {n} file{'s' if n != 1 else ''}…", 0)
    return job.start()


def _merge_done(window, job: Job, store) -> None:
    window.statusBar().clearMessage()
    err = job.error
    if job.cancelled:
        window.status("Merge cancelled; nothing was changed.")
        return
    if isinstance(err, UserError):
        dialogs.show_error(window, "Cannot merge", f"{err}\n\nNothing was changed.")
        return
    if err is not None:
        dialogs.show_error(window, "Cannot merge",
                           f"An unexpected error stopped the merge ({type(err).__name__}: {err}). Nothing was changed.")
        raise err
    report = job.result
    if window.store is not store:  # the file was switched meanwhile (cannot happen while the dialog is modal)
        return
    if report.changed:
        window.undo_stack.clear()
        _announce_reload(window, store, report)
    panel = window.findChild(MergePanel, "mergePanel")
    if panel is not None:
        panel.remember(report)
        panel.refresh()
    show_merge_report(window, report)


def _announce_reload(window, store, report) -> None:
    """Tell the window's listeners, on the UI thread, that the file changed under them.

    merge_files would send one ``(table, "reload")`` per table from the worker thread; every
    listener in the app (document state, models, panels) reloads everything on any
    "reload", and one reload of a 10,000-figure document costs about a second, so one event
    is sent: "documents" when the merge added documents (the window refills its document
    list), else "figures".
    """
    table = "documents" if report.added.get("documents") else "figures"
    store.notify(table, "reload", report)
    refresh = getattr(getattr(window, "speakers", None), "refresh_details", None)
    if callable(refresh) and (report.added.get("speakers") or report.updated.get("speakers")):
        refresh()


def show_merge_report(window, report) -> "MergeReportDialog":
    """The merge report, non-modal (the reviewer can keep it open while working)."""
    old = window.findChild(MergeReportDialog, "mergeReport")
    if old is not None:
        old.close()
        old.setObjectName("")
    dlg = MergeReportDialog(window, report)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.show()
    return dlg


# --------------------------------------------------------------------------- speakers


def proposal_speakers(window, proposal) -> list[Speaker]:
    """The speakers of a proposal still live and not merged into another."""
    out = []
    for s in proposal.speakers:
        sp = window.store.get(Speaker, s["id"]) if window.store is not None else None
        if sp is not None and not sp.deleted and not sp.merged_into:
            out.append(sp)
    return out


def accept_proposal(window, proposal, keep_id: str | None = None) -> bool:
    """Merge the speakers of a proposal into ``keep_id`` (default: the oldest); one undo step."""
    live = proposal_speakers(window, proposal)
    if len(live) < 2:
        window.status("These speakers are no longer separate.")
        return False
    keep = next((s for s in live if s.id == keep_id), live[0])
    others = [s for s in live if s.id != keep.id]
    stack = window.undo_stack
    if len(others) > 1:
        stack.beginMacro(f"merge speakers into “{short(keep.name)}”")
    try:
        ok = all([window.merge_speakers(keep.id, s.id) for s in others])
    finally:
        if len(others) > 1:
            stack.endMacro()
    return ok


def _speaker_label(s: dict) -> str:
    return f"“{s['name']}” (by {s.get('author') or 'unknown'})"


# --------------------------------------------------------------------------- conflicts, orphans


def _open_conflicts(store) -> list:
    """The open conflicts of the file. Most files have none: that is asked first in plain SQL, so the
    merge code (and what it imports) is loaded only once there is something to list (not at start-up)."""
    import sqlite3

    try:
        if store.conn.execute("SELECT 1 FROM conflicts WHERE resolved = 0 LIMIT 1").fetchone() is None:
            return []
    except sqlite3.OperationalError:  # a file without the table: the core knows what to do
        pass
    from annotator.core.merge import list_conflicts

    return list_conflicts(store)


def _conflict_by_id(store, conflict_id: str):
    from annotator.core.merge import list_conflicts

    for c in list_conflicts(store, include_resolved=True):
        if c.id == conflict_id:
            return c
    raise KeyError(conflict_id)


def resolve(window, conflict_id: str, choice: str, edited: dict | None = None) -> bool:
    """Settle a conflict: "local" (keep mine), "incoming" (take theirs) or "edited" (``edited`` values)."""
    if window.store is None:
        return False
    c = _conflict_by_id(window.store, conflict_id)
    if c.resolved:
        window.status("This conflict has already been resolved.")
        return False
    how = {"local": "keep mine", "incoming": "take theirs", "edited": "edited"}[choice]
    store = window.store
    what = TABLE_SINGULAR.get(c.table, c.table)
    # the conflicts table has no change events of its own: tell every listener (panels, summary)
    ok = run_command(window, ResolveConflict(store, c, choice, edited,
                                             f"conflict on {what} “{short(c.label)}”: {how}",
                                             lambda: store.notify("conflicts", "update", c.id)))
    if ok:
        window.status(f"Conflict on {what} “{short(c.label)}” resolved ({how}).")
    return ok


def place_orphan(window, figure_id: str, start: int | None = None, end: int | None = None) -> bool:
    """Put an orphan on the text selected in the document (or ``start:end``); clears its orphan flag."""
    from annotator.core import project
    from annotator.core.review import place_figure

    if not need_store(window):
        return False
    st = window.state
    f = st.figures.get(figure_id)
    if f is None:
        return False
    if start is None or end is None:
        sel = window.view.selection()
        if sel is None:
            window.status("Select the figure's text in the document first, then press “Place on selection”.")
            return False
        start, end = sel.start, sel.end
    span = project.snap_to_words(st.text, start, end)
    if span is None:
        window.status("Select the figure's text in the document first.")
        return False
    s, e = span
    geometry = getattr(window.view, "span_geometry", None)
    geo = geometry(s, e) if callable(geometry) else None

    def place(store, fid):
        prev = place_figure(store, fid, s, e)
        if geo is not None:
            store.update(Figure, fid, page=geo[0], quads=geo[1])
        return prev

    ok = run_command(window, ChangeFigure(window.store, figure_id, place, f"place orphan “{short(f.exact)}”"))
    if ok:
        window.go_to_figure(figure_id)
        window.status(f"“{f.exact}” placed on “{short(st.text[s:e])}”.")
    return ok


def delete_figure(window, figure_id: str, what: str = "orphan") -> bool:
    st = window.state
    f = st.figures.get(figure_id) if st is not None else None
    if f is None:
        return False
    items = [(Attribution, a.id) for a in st.figure_attributions(f.id)] + [(Figure, f.id)]
    return run_command(window, commands.DeleteRecords(window.store, items, f"delete {what} “{short(f.exact)}”"))


def clear_changed(window, figure_id: str, reread: bool = False) -> bool:
    """The reviewer checked a "figure changed" flag: clear it (``reread``: read the number again
    from the figure's new text first)."""
    from annotator.core import project
    from annotator.core.review import clear_flag

    st = window.state
    f = st.figures.get(figure_id) if st is not None else None
    if f is None:
        return False

    def check(store, fid):
        prev = clear_flag(store, fid, "figure_changed")
        if reread:
            fig = store.get(Figure, fid)
            fields = project.parse_fields(fig.exact, fig.prefix, fig.suffix)
            fields = {k: v for k, v in fields.items() if v is not None or k in ("value", "low", "high")}
            before = store.update(Figure, fid, **fields)
            prev = {**before, **prev}
        return prev

    label = "read the number again" if reread else "figure checked"
    return run_command(window, ChangeFigure(window.store, figure_id, check, f"{label}: “{short(f.exact)}”"))


def _show_value(v, field: str = "", store=None) -> str:
    if v is None or v == "" or v == []:
        return "—"
    if field == "speaker_id" and store is not None:
        sp = store.get(Speaker, v)
        if sp is not None:
            return sp.name
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:,.0f}" if v.is_integer() and abs(v) < 1e15 else f"{v:,g}"
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _edit_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}" if abs(v) < 1e15 else repr(v)
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def parse_edit(field: str, text: str, like, other=None):
    """A value typed in the Result column, of the type of the field (``like``: a value of it)."""
    from annotator.core.project import parse_number_input

    text = text.strip()
    sample = like if like is not None else other
    if isinstance(sample, bool):
        return text.casefold() in ("yes", "true", "1", "y")
    if field in ("value", "low", "high") or isinstance(sample, float):
        if not text:
            return None
        v = parse_number_input(text)
        if v is None:
            raise UserError(f"“{text}” is not a number (field {field}).")
        return v
    if isinstance(sample, int):
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            raise UserError(f"“{text}” is not a whole number (field {field}).") from None
    if isinstance(sample, (list, dict)):
        try:
            v = json.loads(text or "null")
        except ValueError:
            raise UserError(f"The value of {field} must be written as JSON, e.g. [\"a\", \"b\"].") from None
        return v if v is not None else type(sample)()
    if sample is None and not text:
        return None
    return text


# --------------------------------------------------------------------------- the report


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class MergeReportDialog(QDialog):
    """What a merge did, and the speakers to merge (each proposal: merge or leave apart)."""

    def __init__(self, window, report):
        super().__init__(window)
        self.setObjectName("mergeReport")
        self.setWindowTitle("Merge report")
        self.window_ = window
        self.report = report
        self.proposal_rows: list[dict] = []

        body = QWidget(self)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(12, 12, 12, 12)
        names = ", ".join(s.name for s in report.sources)
        head = QLabel(f"<b>Merged {_plural(len(report.sources), 'file')}</b> ({_html(names)}) into "
                      f"<b>{_html(window.store.path.name if window.store else report.target)}</b>."
                      + ("" if report.changed else " Nothing new: this file already had everything."), body)
        head.setObjectName("mergeHeadline")
        head.setWordWrap(True)
        lay.addWidget(head)

        lay.addWidget(self._counts_table(report))
        self.summary_label = QLabel(self._summary_text(report), body)
        self.summary_label.setObjectName("mergeSummary")
        self.summary_label.setWordWrap(True)
        lay.addWidget(self.summary_label)

        n_conf = len(report.conflicts) + report.imported_conflicts
        if n_conf:
            box = self._section(f"{_plural(n_conf, 'conflict')} to resolve",
                                "The same record was changed differently here and in a colleague's file: "
                                "nothing was decided for you. Compare both sides and pick one, or edit.")
            btn = QPushButton("Resolve conflicts…", box)
            btn.setObjectName("openConflicts")
            btn.clicked.connect(lambda: self._open_panel(0))
            box.layout().addWidget(btn, 0, Qt.AlignmentFlag.AlignLeft)
            lay.addWidget(box)
        if report.speaker_proposals:
            lay.addWidget(self._proposals(report.speaker_proposals))
        if report.orphans:
            items = [f"“{_html(o.old_text)}” in {_html(o.document)} (from {_html(o.source)})" for o in report.orphans]
            box = self._section(f"{_plural(len(report.orphans), 'orphan')}: not found in the text",
                                "These figures could not be placed in this version of the document. They were "
                                "kept, not moved: place each one on its text, or delete it.<br>" + _bullets(items))
            btn = QPushButton("Place orphans…", box)
            btn.setObjectName("openOrphans")
            btn.clicked.connect(lambda: self._open_panel(1))
            box.layout().addWidget(btn, 0, Qt.AlignmentFlag.AlignLeft)
            lay.addWidget(box)
        if report.figure_changed:
            items = [f"“{_html(o.old_text)}” now reads “{_html(o.new_text)}” (from {_html(o.source)})"
                     for o in report.figure_changed]
            box = self._section(f"{_plural(len(report.figure_changed), 'figure')} changed",
                                "Re-anchored on text with other digits: check each against the source."
                                "<br>" + _bullets(items))
            btn = QPushButton("Check changed figures…", box)
            btn.setObjectName("openChanged")
            btn.clicked.connect(lambda: self._open_panel(2))
            box.layout().addWidget(btn, 0, Qt.AlignmentFlag.AlignLeft)
            lay.addWidget(box)
        versions = report.documents("text")
        if versions:
            lines = [f"{_html(Path(d.source).name)} annotated another version of “{_html(d.target_title)}”"
                     + (f" ({d.similarity:.0%} of the text alike)" if d.similarity is not None else "")
                     + ": its annotations were re-anchored on the version held here." for d in versions]
            lay.addWidget(self._section("Other versions of a document", "<br>".join(lines)))

        if report.evidence_orphans:
            items = [f"evidence “{_html(short(o.old_text, 80))}”" for o in report.evidence_orphans]
            lay.addWidget(self._section(f"{_plural(len(report.evidence_orphans), 'evidence quote')} not found",
                                        "The attributions were kept without their evidence:<br>" + _bullets(items)))
        lay.addStretch(1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 8)
        outer.addWidget(scroll, 1)
        outer.addWidget(buttons)
        buttons.setContentsMargins(12, 0, 12, 0)
        body.adjustSize()
        self.resize(680, min(820, body.sizeHint().height() + 70))

    # -- building ---------------------------------------------------------------------------------

    def _section(self, title: str, text: str) -> QFrame:
        box = QFrame(self)
        box.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(10, 8, 10, 8)
        t = QLabel(f"<b>{_html(title)}</b>", box)
        lay.addWidget(t)
        if text:
            body = QLabel(text, box)
            body.setWordWrap(True)
            body.setTextFormat(Qt.TextFormat.RichText)
            lay.addWidget(body)
        return box

    def _counts_table(self, report) -> QTableWidget:
        from annotator.core.merge import TABLES

        rows = [t for t in ("documents", *TABLES)
                if report.added.get(t) or report.updated.get(t) or report.kept_local.get(t)
                or any(c.table == t for c in report.conflicts) or t in ("figures", "speakers")]
        cols = ["", "New", "Updated", "In conflict", "Kept yours"]
        t = QTableWidget(len(rows), len(cols), self)
        t.setObjectName("mergeCounts")
        t.setHorizontalHeaderLabels(cols)
        t.verticalHeader().hide()
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        t.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        conflicts = {}
        for c in report.conflicts:
            conflicts[c.table] = conflicts.get(c.table, 0) + 1
        for r, table in enumerate(rows):
            vals = [TABLE_LABELS.get(table, table), report.added.get(table, 0),
                    report.updated.get(table, 0) if table != "documents" else "",
                    conflicts.get(table, 0) if table != "documents" else "",
                    report.kept_local.get(table, 0) if table != "documents" else ""]
            for c, v in enumerate(vals):
                it = QTableWidgetItem(str(v))
                it.setFlags(Qt.ItemFlag.ItemIsEnabled)
                if c:
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 3 and v:
                    it.setForeground(QBrush(QColor("#b3261e")))
                t.setItem(r, c, it)
        hh = t.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 6)
        t.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        t.setFixedHeight(hh.sizeHint().height() + (t.fontMetrics().height() + 6) * len(rows) + 4)
        t.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        return t

    @staticmethod
    def _summary_text(report) -> str:
        parts = []
        figs_added = report.added.get("figures", 0)
        figs_updated = report.updated.get("figures", 0)
        parts.append(f"{_plural(figs_added, 'figure')} added, {figs_updated} updated")
        if report.conflicts or report.imported_conflicts:
            parts.append(f"{_plural(len(report.conflicts) + report.imported_conflicts, 'conflict')}")
        if report.orphans:
            parts.append(_plural(len(report.orphans), "orphan"))
        if report.figure_changed:
            parts.append(f"{_plural(len(report.figure_changed), 'figure')} changed")
        if report.speaker_proposals:
            parts.append(f"{_plural(len(report.speaker_proposals), 'speaker merge')} proposed")
        invalid = sum(report.invalid.values())
        if invalid:
            parts.append(f"{_plural(invalid, 'unreadable record')} skipped")
        return "; ".join(parts) + "."

    def _proposals(self, proposals) -> QFrame:
        title = ("Speakers that may be one person" if len(proposals) == 1
                 else f"{len(proposals)} groups of speakers that may be one person")
        box = self._section(title,
                            "Speakers with the same name or alias were not merged for you. Merge those that are "
                            "one person (their names become aliases; undo with Ctrl+Z).")
        lay = box.layout()
        for i, p in enumerate(proposals):
            row = QWidget(box)
            row.setObjectName(f"proposal{i}")
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 2, 0, 2)
            label = QLabel(" and ".join(_html(_speaker_label(s)) for s in p.speakers), row)
            label.setWordWrap(True)
            keep = QComboBox(row)
            keep.setObjectName("proposalKeep")
            keep.setToolTip("The speaker that stays; the others become its aliases.")
            for s in p.speakers:
                keep.addItem(f"keep {s['name']} ({s.get('author') or 'unknown'})", s["id"])
            merge = QPushButton("Merge", row)
            merge.setObjectName("proposalMerge")
            apart = QPushButton("Not the same", row)
            apart.setObjectName("proposalReject")
            done = QLabel(row)
            done.setObjectName("proposalOutcome")
            done.hide()
            h.addWidget(label, 1)
            h.addWidget(keep)
            h.addWidget(merge)
            h.addWidget(apart)
            h.addWidget(done)
            entry = {"proposal": p, "row": row, "keep": keep, "merge": merge, "reject": apart, "outcome": done}
            merge.clicked.connect(lambda _c=False, e=entry: self.accept_row(e))
            apart.clicked.connect(lambda _c=False, e=entry: self.reject_row(e))
            self.proposal_rows.append(entry)
            lay.addWidget(row)
        return box

    # -- actions ------------------------------------------------------------------------------------

    def _settle(self, entry: dict, text: str) -> None:
        for w in (entry["keep"], entry["merge"], entry["reject"]):
            w.hide()
        entry["outcome"].setText(text)
        entry["outcome"].show()

    def accept_row(self, entry: dict) -> bool:
        ok = accept_proposal(self.window_, entry["proposal"], entry["keep"].currentData())
        if ok:
            self._settle(entry, "<span style='color:#1e7b34'>Merged.</span>")
        return ok

    def reject_row(self, entry: dict) -> None:
        self._settle(entry, "<span style='color:#5f6b7a'>Left apart.</span>")

    def _open_panel(self, tab: int) -> None:
        panel = self.window_.findChild(MergePanel, "mergePanel")
        if panel is not None:
            panel.open_tab(tab)


def _html(s: str) -> str:
    import html

    return html.escape(s or "")


def _bullets(items: list[str]) -> str:
    shown = items[:LIST_LIMIT]
    more = len(items) - len(shown)
    lines = [f"• {x}" for x in shown]
    if more > 0:
        lines.append(f"… and {more} more")
    return "<br>".join(lines)


# --------------------------------------------------------------------------- the panel


class MergePanel(QWidget):
    """The Merge review dock: conflicts side by side, orphans, changed figures."""

    def __init__(self, window, link: WindowLink, parent=None):
        super().__init__(parent)
        self.setObjectName("mergePanel")
        self.window = window
        self.link = link
        self.dock = None
        self.old_texts: dict[str, str] = {}  # figure id -> text before the last merge re-anchored it
        self._conflicts: dict[str, object] = {}

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mergeTabs")
        self.tabs.addTab(self._conflicts_page(), "Conflicts")
        self.tabs.addTab(self._orphans_page(), "Orphans")
        self.tabs.addTab(self._changed_page(), "Changed figures")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.tabs)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(80)
        self._timer.timeout.connect(self.refresh)
        link.documentReset.connect(self._timer.start)
        link.storeEvent.connect(self._store_event)
        self.refresh()

    # -- pages -------------------------------------------------------------------------------------

    def _conflicts_page(self) -> QWidget:
        page = QWidget(self)
        self.conflict_list = QListWidget(page)
        self.conflict_list.setObjectName("conflictList")
        self.conflict_list.setMaximumHeight(self.conflict_list.fontMetrics().height() * 5 + 8)
        self.conflict_list.currentItemChanged.connect(lambda *_a: self._show_conflict())
        self.conflict_title = QLabel(page)
        self.conflict_title.setObjectName("conflictTitle")
        self.conflict_title.setWordWrap(True)
        self.fields = QTableWidget(0, 4, page)
        self.fields.setObjectName("conflictFields")
        self.fields.setHorizontalHeaderLabels(["Field", "Yours", "Theirs", "Result (editable)"])
        self.fields.verticalHeader().hide()
        self.fields.setWordWrap(True)
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked |
                                    QAbstractItemView.EditTrigger.EditKeyPressed |
                                    QAbstractItemView.EditTrigger.AnyKeyPressed)
        hh = self.fields.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for c in (1, 2, 3):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        self.keep_btn = QPushButton("Keep mine", page)
        self.keep_btn.setObjectName("keepMine")
        self.keep_btn.setToolTip("Keep the record as it is in this file.")
        self.keep_btn.clicked.connect(lambda: self._resolve("local"))
        self.take_btn = QPushButton("Take theirs", page)
        self.take_btn.setObjectName("takeTheirs")
        self.take_btn.setToolTip("Take the version from the colleague's file.")
        self.take_btn.clicked.connect(lambda: self._resolve("incoming"))
        self.edit_btn = QPushButton("Save edited", page)
        self.edit_btn.setObjectName("saveEdited")
        self.edit_btn.setToolTip("Save the values typed in the Result column (double-click a cell to edit it).")
        self.edit_btn.clicked.connect(lambda: self._resolve("edited"))
        self.show_btn = QPushButton("Show in text", page)
        self.show_btn.setObjectName("showConflict")
        self.show_btn.clicked.connect(self._show_in_text)
        self.no_conflicts = QLabel("No open conflicts.", page)
        self.no_conflicts.setObjectName("noConflicts")
        self.no_conflicts.setStyleSheet("color: #5f6b7a;")
        row = QHBoxLayout()
        row.addWidget(self.show_btn)
        row.addStretch(1)
        row.addWidget(self.keep_btn)
        row.addWidget(self.take_btn)
        row.addWidget(self.edit_btn)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 6, 4, 4)
        lay.addWidget(self.no_conflicts)
        lay.addWidget(self.conflict_list)
        lay.addWidget(self.conflict_title)
        lay.addWidget(self.fields, 1)
        lay.addLayout(row)
        return page

    def _orphans_page(self) -> QWidget:
        page = QWidget(self)
        help_ = QLabel("Figures a merge could not place in this document's text. Select where each one "
                       "now is in the document, then press <b>Place on selection</b>; or delete it.", page)
        help_.setWordWrap(True)
        self.orphan_list = QListWidget(page)
        self.orphan_list.setObjectName("orphanList")
        self.orphan_list.setWordWrap(True)
        self.orphan_list.itemActivated.connect(lambda _i: self._find_orphan())
        self.orphan_list.currentItemChanged.connect(lambda *_a: self._go_orphan())
        self.find_btn = QPushButton("Find its text", page)
        self.find_btn.setObjectName("findOrphan")
        self.find_btn.setToolTip("Look for the figure's words in the document.")
        self.find_btn.clicked.connect(self._find_orphan)
        self.place_btn = QPushButton("Place on selection", page)
        self.place_btn.setObjectName("placeOrphan")
        self.place_btn.setToolTip("Anchor the orphan on the text selected in the document.")
        self.place_btn.clicked.connect(lambda: self._with_orphan(lambda fid: place_orphan(self.window, fid)))
        self.delete_btn = QPushButton("Delete", page)
        self.delete_btn.setObjectName("deleteOrphan")
        self.delete_btn.clicked.connect(lambda: self._with_orphan(lambda fid: delete_figure(self.window, fid)))
        row = QHBoxLayout()
        row.addWidget(self.find_btn)
        row.addStretch(1)
        row.addWidget(self.place_btn)
        row.addWidget(self.delete_btn)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 6, 4, 4)
        lay.addWidget(help_)
        lay.addWidget(self.orphan_list, 1)
        lay.addLayout(row)
        return page

    def _changed_page(self) -> QWidget:
        page = QWidget(self)
        help_ = QLabel("Figures re-anchored on text with other digits (“30,000” now reads “80,000”). "
                       "Check each against the source.", page)
        help_.setWordWrap(True)
        self.changed_list = QListWidget(page)
        self.changed_list.setObjectName("changedList")
        self.changed_list.setWordWrap(True)
        self.changed_list.currentItemChanged.connect(lambda *_a: self._go_changed())
        self.reread_btn = QPushButton("Read the number again", page)
        self.reread_btn.setObjectName("rereadChanged")
        self.reread_btn.setToolTip("Parse the value from the figure's new text and clear the flag.")
        self.reread_btn.clicked.connect(lambda: self._with_changed(lambda fid: clear_changed(self.window, fid, True)))
        self.checked_btn = QPushButton("Checked", page)
        self.checked_btn.setObjectName("clearChanged")
        self.checked_btn.setToolTip("Clear the “figure changed” flag, keeping the value as it is.")
        self.checked_btn.clicked.connect(lambda: self._with_changed(lambda fid: clear_changed(self.window, fid)))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reread_btn)
        row.addWidget(self.checked_btn)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 6, 4, 4)
        lay.addWidget(help_)
        lay.addWidget(self.changed_list, 1)
        lay.addLayout(row)
        return page

    # -- refreshing -----------------------------------------------------------------------------------

    def remember(self, report) -> None:
        for note in report.figure_changed:
            self.old_texts[note.record_id] = note.old_text

    def _store_event(self, table: str, op: str, rec) -> None:
        if op == "reload":
            self._timer.start()  # several tables reload after a merge: once for all
        elif table == "conflicts":
            self.refresh()
        elif table == "figures" and (getattr(rec, "flags", None) or getattr(rec, "id", None) in self._flagged):
            self.refresh()

    @property
    def _flagged(self) -> set:
        ids = set()
        for lst in (self.orphan_list, self.changed_list):
            ids |= {lst.item(i).data(Qt.ItemDataRole.UserRole) for i in range(lst.count())}
        return ids

    def refresh(self) -> None:
        self._fill_conflicts()
        self._fill_flagged(self.orphan_list, "orphan")
        self._fill_flagged(self.changed_list, "figure_changed")
        counts = (self.conflict_list.count(), self.orphan_list.count(), self.changed_list.count())
        for i, (name, n) in enumerate(zip(("Conflicts", "Orphans", "Changed figures"), counts)):
            self.tabs.setTabText(i, f"{name} ({n})" if n else name)
        self._update_buttons()

    def _fill_conflicts(self) -> None:
        keep = self.current_conflict_id()
        lst = self.conflict_list
        lst.blockSignals(True)
        lst.clear()
        self._conflicts = {}
        store = self.window.store
        for c in (_open_conflicts(store) if store is not None else []):
            self._conflicts[c.id] = c
            what = TABLE_SINGULAR.get(c.table, c.table)
            it = QListWidgetItem(f"{what} “{short(c.label, 50)}” — {', '.join(c.fields) or 'history only'}")
            it.setData(Qt.ItemDataRole.UserRole, c.id)
            it.setToolTip(f"From {Path(c.source).name}")
            lst.addItem(it)
        lst.blockSignals(False)
        row = next((i for i in range(lst.count()) if lst.item(i).data(Qt.ItemDataRole.UserRole) == keep), 0)
        if lst.count():
            lst.setCurrentRow(row)
        self.no_conflicts.setVisible(lst.count() == 0)
        lst.setVisible(lst.count() > 0)
        self._show_conflict()

    def _fill_flagged(self, lst: QListWidget, flag: str) -> None:
        st = self.window.state
        keep = lst.currentItem().data(Qt.ItemDataRole.UserRole) if lst.currentItem() else None
        lst.blockSignals(True)
        lst.clear()
        figs = sorted((f for f in st.figures.values() if flag in f.flags), key=lambda f: (f.start, f.id)) \
            if st is not None else []
        for f in figs:
            if flag == "orphan":
                text = f"“{f.exact}” — by {f.author or 'unknown'}"
                tip = f"…{f.prefix}[{f.exact}]{f.suffix}…"
            else:
                old = self.old_texts.get(f.id)
                text = f"“{f.exact}”" + (f" (was “{old}”)" if old else "") + f" — by {f.author or 'unknown'}"
                tip = f"Value stored: {f.value_text() or 'none'}"
            it = QListWidgetItem(text)
            it.setData(Qt.ItemDataRole.UserRole, f.id)
            it.setToolTip(tip)
            lst.addItem(it)
            if f.id == keep:
                lst.setCurrentItem(it)
        lst.blockSignals(False)

    # -- conflicts ----------------------------------------------------------------------------------------

    def current_conflict_id(self) -> str | None:
        it = self.conflict_list.currentItem()
        return it.data(Qt.ItemDataRole.UserRole) if it is not None else None

    def conflict_ids(self) -> list[str]:
        return [self.conflict_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.conflict_list.count())]

    def _show_conflict(self) -> None:
        c = self._conflicts.get(self.current_conflict_id() or "")
        self.fields.setRowCount(0)
        for b in (self.keep_btn, self.take_btn, self.edit_btn, self.show_btn):
            b.setEnabled(c is not None)
        self.conflict_title.setVisible(c is not None)
        self.fields.setVisible(c is not None)
        if c is None:
            return
        what = TABLE_SINGULAR.get(c.table, c.table)
        self.conflict_title.setText(f"<b>{what.capitalize()} “{_html(short(c.label, 80))}”</b> was changed here and, "
                                    f"differently, in <b>{_html(Path(c.source).name)}</b>.")
        store = self.window.store
        current = store.get(type(c.local), c.record_id) if store is not None else None
        mine = current.content() if current is not None else c.local.content()
        theirs = c.incoming.content()
        fields = c.fields or [k for k in mine if mine.get(k) != theirs.get(k)]
        self.fields.setRowCount(len(fields))
        for r, name in enumerate(fields):
            cells = [name, _show_value(mine.get(name), name, store), _show_value(theirs.get(name), name, store)]
            for col, v in enumerate(cells):
                it = QTableWidgetItem(v)
                it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                it.setToolTip(v)
                self.fields.setItem(r, col, it)
            res = QTableWidgetItem(_edit_text(mine.get(name)))
            res.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable)
            res.setData(Qt.ItemDataRole.UserRole, name)
            self.fields.setItem(r, 3, res)
        self.fields.resizeRowsToContents()

    def edited_values(self) -> dict:
        """The Result column parsed to the fields' types (raises UserError on a bad value)."""
        c = self._conflicts.get(self.current_conflict_id() or "")
        if c is None:
            return {}
        mine = c.local.content()
        theirs = c.incoming.content()
        out = {}
        for r in range(self.fields.rowCount()):
            name = self.fields.item(r, 0).text()
            out[name] = parse_edit(name, self.fields.item(r, 3).text(), mine.get(name), theirs.get(name))
        return out

    def set_result(self, field: str, text: str) -> None:
        """Type ``text`` in the Result cell of ``field`` (scripts and tests)."""
        for r in range(self.fields.rowCount()):
            if self.fields.item(r, 0).text() == field:
                self.fields.item(r, 3).setText(text)
                return
        raise KeyError(field)

    def _resolve(self, choice: str) -> None:
        cid = self.current_conflict_id()
        if cid is None:
            return
        edited = None
        if choice == "edited":
            try:
                edited = self.edited_values()
            except UserError as exc:
                dialogs.show_error(self.window, "Cannot save the edited values", str(exc))
                return
        row = self.conflict_list.currentRow()
        if resolve(self.window, cid, choice, edited):
            self.refresh()
            if self.conflict_list.count():
                self.conflict_list.setCurrentRow(min(row, self.conflict_list.count() - 1))

    def _show_in_text(self) -> None:
        c = self._conflicts.get(self.current_conflict_id() or "")
        if c is None:
            return
        rec = c.local
        fid = {"figures": rec.id, "attributions": getattr(rec, "figure_id", None),
               "comments": getattr(rec, "figure_id", None), "relations": getattr(rec, "target_id", None)}.get(c.table)
        if c.table == "speakers":
            self.window.speakers_dock.show()
            self.window.speakers.select(rec.id)
            return
        fig = self.window.store.get(Figure, fid) if fid else None
        if fig is None:
            self.window.status("This record is not attached to a figure in the text.")
            return
        if fig.document_id != self.window.doc_id:
            self.window.show_document(fig.document_id)
        self.window.go_to_figure(fig.id)

    # -- orphans and changed figures ------------------------------------------------------------------------

    def _selected(self, lst: QListWidget) -> str | None:
        it = lst.currentItem()
        return it.data(Qt.ItemDataRole.UserRole) if it is not None else None

    def _with_orphan(self, fn) -> None:
        fid = self._selected(self.orphan_list)
        if fid is not None:
            fn(fid)

    def _with_changed(self, fn) -> None:
        fid = self._selected(self.changed_list)
        if fid is not None:
            fn(fid)

    def _find_orphan(self) -> None:
        fid = self._selected(self.orphan_list)
        st = self.window.state
        f = st.figures.get(fid) if st is not None and fid else None
        if f is None:
            return
        self.window.go_to_figure(f.id)  # where it used to be
        if not self.window.find_in_document(f.exact):
            self.window.status(f"“{f.exact}” is not in the text any more: select where the figure now is.")

    def _go_orphan(self) -> None:
        fid = self._selected(self.orphan_list)
        if fid is not None:
            self.window.go_to_figure(fid)  # where it was: the figure may be near
        self._update_buttons()

    def _go_changed(self) -> None:
        fid = self._selected(self.changed_list)
        if fid is not None:
            self.window.go_to_figure(fid)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_orphan = self._selected(self.orphan_list) is not None
        for b in (self.find_btn, self.place_btn, self.delete_btn):
            b.setEnabled(has_orphan)
        has_changed = self._selected(self.changed_list) is not None
        for b in (self.reread_btn, self.checked_btn):
            b.setEnabled(has_changed)

    def open_tab(self, index: int) -> None:
        if self.dock is not None:
            show_dock(self.dock)
        self.tabs.setCurrentIndex(index)
        lst = (self.conflict_list, self.orphan_list, self.changed_list)[index]
        if lst.count() and lst.currentRow() < 0:
            lst.setCurrentRow(0)


# --------------------------------------------------------------------------- install


def install(window) -> MergePanel:
    """Add File ▸ Merge colleagues' files… and the Merge review dock to ``window``."""
    existing = window.findChild(MergePanel, "mergePanel")
    if existing is not None:
        return existing
    acts: dict[str, QAction] = ensure_actions(window, SPECS)
    link = WindowLink.of(window)
    panel = MergePanel(window, link)
    dock = add_dock(window, "Merge review", panel, "mergeDock", Qt.DockWidgetArea.BottomDockWidgetArea,
                    tabify_with=window.figures_dock, toggle=acts["show_merge_review"])
    panel.dock = dock
    window.merge_panel = panel
    file_menu = window.menus.get("File")
    prefs = getattr(window.actions, "preferences", None)
    if file_menu is not None and prefs is not None:
        move_before(file_menu, [acts["merge_files"]], prefs)

    def merge_dialog() -> None:
        if window.store is None:
            window.status("Open the annotation file to merge into first.")
            return
        paths = ask_merge_paths(window)
        if paths:
            apply_merge(window, paths)

    acts["merge_files"].triggered.connect(merge_dialog)

    def enable() -> None:
        acts["merge_files"].setEnabled(window.store is not None)

    link.documentReset.connect(enable)
    enable()
    return panel


__all__ = ["ChangeFigure", "MergePanel", "MergeReportDialog", "ResolveConflict", "accept_proposal", "apply_merge",
           "ask_merge_paths", "clear_changed", "delete_figure", "install", "parse_edit", "place_orphan", "resolve",
           "show_merge_report"]
