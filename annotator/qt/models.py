"""Thin Qt adapters over the store's change events: the figures table and the speakers list.

:class:`StoreEvents` is the one listener registered with ``store.subscribe``: it updates
the :class:`~annotator.qt.state.DocumentState` first, then re-emits the event as Qt
signals. The models below redraw from those signals only; the undo commands never
touch a view.
"""

from __future__ import annotations

import bisect
import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QObject, QSortFilterProxyModel, Qt, \
    QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from annotator.core.model import Speaker
from annotator.core.store import Updated
from annotator.qt.highlights import VERDICT_INK, verdict_color
from annotator.qt.state import Change, DocumentState

if TYPE_CHECKING:
    from annotator.core.store import AnnotationStore

FIGURE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
SPEAKER_IDS_ROLE = Qt.ItemDataRole.UserRole + 3
VERDICT_ROLE = Qt.ItemDataRole.UserRole + 4
AUTHOR_ROLE = Qt.ItemDataRole.UserRole + 5
STATUS_ROLE = Qt.ItemDataRole.UserRole + 6
SPEAKER_ID_ROLE = Qt.ItemDataRole.UserRole + 7
REVIEW_ROLE = Qt.ItemDataRole.UserRole + 8  # the review status ("" = not reviewed)

#: review statuses as the figures list shows them (the core's "" = not reviewed)
REVIEW_LABELS = {"": "Not reviewed", "accepted": "Accepted", "disputed": "Disputed", "needs_source": "Needs source"}


def review_text(f) -> str:
    """"Accepted · Ann" for a reviewed figure, "" for one not reviewed."""
    status = getattr(f, "review_status", "") or ""
    if not status:
        return ""
    label = REVIEW_LABELS.get(status, status)
    who = getattr(f, "reviewer", "") or ""
    return f"{label} · {who}" if who else label


class StoreEvents(QObject):
    """Re-emits one store's change events as Qt signals, after updating the document state.

    Beyond :attr:`BURST` events in one event-loop turn, further record events are treated as
    reloads of their tables (below), so undoing thousands of additions costs one view reset.

    "reload" events (``store.add_many``, ``store.notify``: many records at once) are coalesced:
    every reload of one event-loop turn costs one state reload and one view reset, done on a
    zero-timer, or at once when the state is read, or when another change comes first.

    On the zero-timer, a flush that only adds or changes records (a Find figures pass landing, its
    redo, accept all from a speaker) is spread over several event-loop turns (:attr:`staged`): the
    state first, then one ``recordChanged`` per table a turn, then ``documentChanged``. The views lag
    the state by a turn or two but never show what the state lacks. A flush that takes figures away
    (an undo of a pass, reject all) announces ``documentChanged`` in the state's own turn. Any other
    change, :meth:`flush` or :meth:`set_document` first finishes the waiting steps at once."""

    recordChanged = Signal(str, str, object)  # table, op, record
    documentChanged = Signal(object)  # Change for the current document
    documentReset = Signal()  # another document is shown (or it was reloaded)

    #: record events announced one by one in one event-loop turn; later ones are coalesced
    BURST = 64

    def __init__(self, store: AnnotationStore, parent=None):
        super().__init__(parent)
        self.store = store
        self._state: DocumentState | None = None
        self._reloads: dict[str, object] = {}  # table -> payload, waiting for the flush
        self._flushing = False
        #: True while the 2nd, 3rd... table of one coalesced reload is announced (its listeners
        #: that reload everything anyway may skip it)
        self.batch_rest = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._next_turn)
        self._count = 0  # events heard this event-loop turn
        #: the rest of a flush spread over event-loop turns: one callable a turn (:meth:`_step`)
        self._steps: list = []
        #: the turns the last spread-out flush took (for tests: how the work was split)
        self.staged: list[str] = []
        self._stepping = False  # a step of a spread-out flush is running (:meth:`then`)
        self._step_timer = QTimer(self)
        self._step_timer.setSingleShot(True)
        self._step_timer.setInterval(0)
        self._step_timer.timeout.connect(self._step)
        store.subscribe(self._on_store)

    @property
    def state(self) -> DocumentState | None:
        if self._reloads and not self._flushing:
            self.flush()
        return self._state

    @state.setter
    def state(self, value: DocumentState | None) -> None:
        self._state = value

    def set_document(self, doc_id: str | None) -> None:
        self.flush()
        self._state = DocumentState(self.store, doc_id) if doc_id else None
        self.documentReset.emit()

    def detach(self) -> None:
        self._timer.stop()
        self._step_timer.stop()
        self._reloads.clear()
        self._steps.clear()
        self.store.unsubscribe(self._on_store)

    def _next_turn(self) -> None:
        self._count = 0
        self._flush(staged=True)

    def pending(self) -> bool:
        """Whether reloads wait for the next flush, or the views for the rest of one (:meth:`when_done`)."""
        return bool(self._reloads or self._steps)

    def when_done(self, fn) -> None:
        """Call ``fn`` (no arguments) in a turn of its own once the waiting reloads and steps are done (at
        once, within :meth:`flush`, when something forces them)."""
        self._steps.append(("after", fn))
        if not self._reloads:
            self._step_timer.start()

    def _step(self) -> None:
        """One step of a spread-out flush; the next one in the next event-loop turn."""
        if self._reloads:
            return  # a flush comes first (its timer is running); it starts the steps again
        if self._steps:
            _name, fn = self._steps.pop(0)
            self._stepping = True
            try:
                fn()
            finally:
                self._stepping = False
        if self._steps:
            self._step_timer.start()

    def _run_steps(self) -> None:
        self._step_timer.stop()
        while self._steps:
            _name, fn = self._steps.pop(0)
            fn()

    def flush(self) -> None:
        """Apply the waiting reloads and steps now: one state reload, one ``recordChanged`` per table, one reset."""
        self._flush(staged=False)

    def _flush(self, staged: bool) -> None:
        self._timer.stop()
        if self._flushing:
            return
        if not self._reloads:
            if not staged:
                self._run_steps()
            elif self._steps:
                self._step_timer.start()
            return
        self._count = 0  # the burst is dealt with: the next edit is announced at once again
        waiting, self._steps = self._steps, []  # steps of a previous flush, and calls waiting for this one
        finish = [st for st in waiting if st[0] != "after"]
        after = [st for st in waiting if st[0] == "after"]
        for _name, fn in finish:  # an earlier flush's announcements come before this one's
            fn()
        self._flushing = True
        try:
            reloads, self._reloads = self._reloads, {}
            change = None
            if self._state is not None:
                change = self._apply_reloads(reloads)
            takes_away = change is not None and bool(change.removed or change.removed_attributions) or \
                any(not isinstance(p, (list, Updated)) for p in reloads.values())
            steps: list = []
            if change is not None and takes_away:
                # the views must not show what the state no longer has: redrawn in the state's turn
                self.documentChanged.emit(change)
                change = None
            for i, (table, payload) in enumerate(reloads.items()):
                steps.append((f"record {table}", functools.partial(self._announce, table, payload, i > 0)))
            if change is not None:
                steps.append(("document", functools.partial(self.documentChanged.emit, change)))
        finally:
            self._flushing = False
        self._steps = steps + after
        self.staged = ["state" + (" + document" if takes_away else "")] + [name for name, _fn in self._steps]
        if staged:
            self._step_timer.start()
        else:
            self._run_steps()

    def then(self, name: str, fn) -> None:
        """From a listener: call ``fn`` in the next event-loop turn when this announcement is one step of a
        spread-out flush (before the steps left), else at once."""
        if self._stepping:
            self._steps.insert(0, (name, fn))
            self.staged.append(name)
        else:
            fn()

    def _announce(self, table: str, payload, rest: bool) -> None:
        self.batch_rest = rest
        try:
            self.recordChanged.emit(table, "reload", payload)
        finally:
            self.batch_rest = False

    def _apply_reloads(self, reloads: dict[str, object]) -> Change:
        """New records only (``store.add_many`` payloads): added to the state as they are; anything
        else (a reload without records, a burst of edits): the state is read again. Both redraw
        everything. Records changed together (``store.update_many``'s ``Updated`` payloads only: accept
        all from a speaker, its undo): brought up to date in the state, and only their figures redrawn."""
        from annotator.core.store import Tombstoned, Updated

        order = ("speakers", "figures", "attributions")
        if all(isinstance(p, Updated) for p in reloads.values()) and set(reloads) <= set(order):
            change = Change()
            if all(self._state.update_records(t, reloads[t], change) for t in order if t in reloads):
                return change
            self._state.reload()
            return Change(reset=True)
        if all(isinstance(p, list) or isinstance(p, Tombstoned) and p.deleted for p in reloads.values()) \
                and set(reloads) <= set(order):
            prepared = getattr(reloads.get("figures"), "prepared", None)
            if prepared is not None and prepared.doc_id != self._state.doc_id:
                prepared = None  # another document's figures: nothing to add here
            for table in order:
                if table in reloads:
                    p = reloads[table]
                    if table == "figures" and prepared is not None:
                        # sorted out off the UI thread (a Find figures pass landing, its redo)
                        self._state.add_prepared(prepared, getattr(reloads.get("attributions"), "prepared",
                                                                   None) is prepared)
                    elif table == "attributions" and prepared is not None and \
                            getattr(p, "prepared", None) is prepared:
                        pass  # added with the figures
                    elif table == "figures" and getattr(p, "prepared", None) is not None:
                        pass  # figures of another document
                    elif isinstance(p, list):
                        self._state.add_new(table, p)
                    else:  # store.delete_many (undo of a pass): taken out as they are
                        self._state.remove(table, p.ids)
        else:
            self._state.reload()
        return Change(reset=True)

    def _on_store(self, table: str, op: str, rec) -> None:
        self._count += 1
        if op == "reload" or self._count > self.BURST:
            # many records at once (an undone pass, a bulk edit): one reload instead of a view update each
            if op != "reload" or table in self._reloads:
                rec = None
            self._reloads[table] = rec
            self._timer.start()
            return
        if not self._timer.isActive():
            self._timer.start()  # the count starts again next turn
        if self._reloads or self._steps:
            self.flush()
        change = self._state.apply(table, op, rec) if self._state is not None else None
        self.recordChanged.emit(table, op, rec)
        if change is not None:
            self.documentChanged.emit(change)


class FiguresModel(QAbstractTableModel):
    COLUMNS = ("Text", "Value", "Unit", "Speakers", "Verdict", "Author", "Where", "Review")
    TEXT, VALUE, UNIT, SPEAKERS, VERDICT, AUTHOR, WHERE, REVIEW = range(8)
    #: more rows than this added or removed by one change: the model is reset instead
    MANY_ROWS = 200

    def __init__(self, parent=None):
        super().__init__(parent)
        self.state: DocumentState | None = None
        self.me = ""
        self._ids: list[str] = []
        self._row: dict[str, int] | None = {}  # figure id -> row; None: made when first read (:meth:`_rows`)
        self._cells: dict[str, tuple[tuple, tuple]] = {}  # figure id -> (display texts, sort keys)
        self.sort_column = self.WHERE  # the rows' order (set through the proxy's ``sort``)
        self.sort_order = Qt.SortOrder.AscendingOrder

    # -- feeding ----------------------------------------------------------------

    def reset(self, state: DocumentState | None, me: str = "") -> None:
        self.beginResetModel()
        self.state = state
        self.me = me
        self._cells = {}
        self._ids = self._sorted([fid for _s, _e, fid in state.ordered()]) if state is not None else []
        self._reindex()
        self.endResetModel()

    # -- sorting: done here, with keys worked out once per row, instead of by the proxy (whose
    # comparisons each call ``data`` twice: seconds for tens of thousands of suggestions)

    def _sort_key(self, col: int):
        figs = self.state.figures
        if col == self.WHERE:
            return lambda fid: figs[fid].start
        if col == self.TEXT:
            return lambda fid: figs[fid].exact.casefold()
        return lambda fid: self._row_cells(fid, figs[fid])[1][col]

    def _sorted(self, ids: list[str]) -> list[str]:
        """``ids`` (in text order) in the table's order; equal keys keep the text order."""
        col, order = self.sort_column, self.sort_order
        if not 0 <= col < len(self.COLUMNS) or self.state is None or col == self.WHERE and \
                order == Qt.SortOrder.AscendingOrder:
            return ids
        return sorted(ids, key=self._sort_key(col), reverse=order == Qt.SortOrder.DescendingOrder)

    def sort_rows(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Put the rows in the order of a column (a layout change: selections follow their rows)."""
        self.sort_column, self.sort_order = column, order
        self._resort()

    def _resort(self) -> None:
        if not self._ids or self.state is None:
            return
        base = sorted(self._ids, key=lambda fid: (self.state.figures[fid].start, self.state.figures[fid].end, fid))
        new = self._sorted(base)
        if new == self._ids:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        fids = [self._ids[i.row()] if 0 <= i.row() < len(self._ids) else None for i in old]
        self._ids = new
        self._reindex()
        self.changePersistentIndexList(
            old, [self.index(self._rows()[fid], i.column()) if fid in self._rows() else QModelIndex()
                  for i, fid in zip(old, fids)])
        self.layoutChanged.emit()

    def _insert_row(self, fid: str) -> int:
        """Where a new figure goes in the current order (after rows with an equal key)."""
        col, order = self.sort_column, self.sort_order
        if not 0 <= col < len(self.COLUMNS):
            return len(self._ids)
        key = self._sort_key(col)
        keys = [key(x) for x in self._ids]
        k = key(fid)
        if order == Qt.SortOrder.DescendingOrder:
            keys.reverse()
            return len(keys) - bisect.bisect_left(keys, k)
        return bisect.bisect_right(keys, k)

    def _reindex(self) -> None:
        self._row = None  # made when first read: not in the turn of a reset of tens of thousands of rows

    def _rows(self) -> dict[str, int]:
        if self._row is None:
            self._row = {fid: i for i, fid in enumerate(self._ids)}
        return self._row

    def _row_cells(self, fid: str, f) -> tuple[tuple, tuple]:
        """(display texts, sort keys) of a figure's row, worked out once until it changes."""
        got = self._cells.get(fid)
        if got is None:
            st = self.state
            shown = (f.exact, st.value_text(f), f.unit or f.counted or "", st.speakers_text(fid),
                     f.verdict if f.status == "confirmed" else f"{f.verdict} (suggested)", f.author,
                     st.location(f), review_text(f))
            v = f.value if f.value is not None else f.low
            keys = [str(x or "").casefold() for x in shown]
            keys[self.VALUE] = float("-inf") if v is None else v
            keys[self.WHERE] = f.start
            got = self._cells[fid] = (shown, tuple(keys))
        return got

    def on_change(self, change: Change) -> None:
        if self.state is None:
            return
        if change.reset or len(change.removed) + len(change.added) > self.MANY_ROWS:
            # (rows inserted or removed one at a time each re-index every row: thousands at once, e.g.
            # reject all from a speaker, are cheaper as one reset)
            self.reset(self.state, self.me)
            return
        for fid in change.removed:
            self._cells.pop(fid, None)
            row = self._rows().get(fid)
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._ids[row]
                self._reindex()
                self.endRemoveRows()
        for fid in change.added:
            if fid in self._rows():
                continue
            row = self._insert_row(fid)
            self.beginInsertRows(QModelIndex(), row, row)
            self._ids.insert(row, fid)
            self._reindex()
            self.endInsertRows()
        for fid in change.updated:
            self._cells.pop(fid, None)
            row = self._rows().get(fid)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
        if change.speakers:
            self._cells.clear()
        if change.speakers and self._ids:
            self.dataChanged.emit(self.index(0, self.SPEAKERS), self.index(len(self._ids) - 1, self.SPEAKERS))
        if change.speakers and self.sort_column == self.SPEAKERS or \
                change.updated and not all(self._in_order(fid) for fid in change.updated):
            self._resort()  # a changed value moved its row

    def _in_order(self, fid: str) -> bool:
        """Whether a row whose record changed is still in order with the rows before and after it (when
        every changed row is, the whole list is: only a status changed, e.g. accept all from a speaker,
        costs no sort of tens of thousands of rows)."""
        row = self._rows().get(fid)
        if row is None or self.state is None:
            return True
        col, ids, figs = self.sort_column, self._ids, self.state.figures
        if not 0 <= col < len(self.COLUMNS):
            return True
        key = self._sort_key(col)

        def k(x):
            f = figs[x]
            return key(x), (f.start, f.end, x)

        here = k(fid)
        desc = self.sort_order == Qt.SortOrder.DescendingOrder
        for other, before in ((row - 1, True), (row + 1, False)):
            if 0 <= other < len(ids):
                o = k(ids[other])
                if desc and o[0] != here[0]:
                    ok = (o[0] > here[0]) == before
                else:
                    ok = (o < here) == before
                if not ok:
                    return False
        return True

    # -- reading --------------------------------------------------------------------

    def figure_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, figure_id: str) -> int | None:
        return self._rows().get(figure_id)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.state is None:
            return None
        fid = self._ids[index.row()]
        f = self.state.figures.get(fid)
        if f is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._row_cells(fid, f)[0][col] if 0 <= col < len(self.COLUMNS) else None
        if role == SORT_ROLE:
            return self._row_cells(fid, f)[1][col] if 0 <= col < len(self.COLUMNS) else None
        if role == FIGURE_ID_ROLE:
            return fid
        if role == SPEAKER_IDS_ROLE:
            return self.state.speaker_ids(fid)
        if role == VERDICT_ROLE:
            return f.verdict
        if role == AUTHOR_ROLE:
            return f.author
        if role == STATUS_ROLE:
            return f.status
        if role == REVIEW_ROLE:
            return f.review_status or ""
        if role == Qt.ItemDataRole.DecorationRole and col == self.VERDICT:
            return verdict_color(f.verdict)
        if role == Qt.ItemDataRole.ForegroundRole:
            if f.status == "suggested":
                return QBrush(QColor("#5f6b7a"))
            if col == self.VERDICT:
                return QBrush(QColor(VERDICT_INK.get(f.verdict, "#000")))
        if role == Qt.ItemDataRole.FontRole and (f.status == "suggested" or col == self.UNIT and not f.unit):
            font = QFont()
            font.setItalic(True)  # suggestions; a counted noun standing in for a unit
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            who = f.author or "unknown"
            mine = " (you)" if self.me and who == self.me else ""
            tip = f"“{f.exact}” — marked by {who}{mine}"
            if f.note:
                tip += f"\nNote: {f.note[:200]}"
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class FigureFilterProxy(QSortFilterProxyModel):
    """Filters by speaker, verdict, author, review status and confirmed / suggested; sorting is the
    source model's own (:meth:`sort`)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.speaker_id: str | None = None
        self.verdict: str | None = None
        self.author: str | None = None
        self.review: str | None = None  # a review status, "" = not reviewed, None = any
        self.show: str | None = None  # "confirmed" or "suggested" (None: both)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """A :class:`FiguresModel` source sorts its rows itself (keys worked out once a row); the proxy
        keeps the source's order then."""
        src = self.sourceModel()
        if isinstance(src, FiguresModel) and column >= 0:
            src.sort_rows(column, order)
            super().sort(-1, Qt.SortOrder.AscendingOrder)  # column -1, descending: the source's order reversed
        else:
            super().sort(column, order)

    def set_filters(self, *, speaker_id=..., verdict=..., author=..., review=..., show=...) -> None:
        """Change filters (None = no filter on that field; omitted = unchanged). ``review`` is a review
        status or "" (not reviewed); ``show`` is "confirmed" or "suggested" ("all" or None: both).
        Unchanged filters filter nothing again (each row costs a Python call: tens of thousands after a pass)."""
        before = (self.review, self.show, self.speaker_id, self.verdict, self.author)
        after = (self.review if review is ... else review,
                 self.show if show is ... else (show if show in ("confirmed", "suggested") else None),
                 self.speaker_id if speaker_id is ... else (speaker_id or None),
                 self.verdict if verdict is ... else (verdict or None),
                 self.author if author is ... else author)
        if after == before:
            return
        self.beginFilterChange()
        if review is not ...:
            self.review = review
        if show is not ...:
            self.show = show if show in ("confirmed", "suggested") else None
        if speaker_id is not ...:
            self.speaker_id = speaker_id or None
        if verdict is not ...:
            self.verdict = verdict or None
        if author is not ...:
            self.author = author
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if self.verdict is None and self.author is None and self.speaker_id is None and self.review is None \
                and self.show is None:
            return True
        src = self.sourceModel()
        idx = src.index(source_row, 0, source_parent)
        if self.verdict is not None and src.data(idx, VERDICT_ROLE) != self.verdict:
            return False
        if self.author is not None and (src.data(idx, AUTHOR_ROLE) or "") != self.author:
            return False
        if self.speaker_id is not None and self.speaker_id not in (src.data(idx, SPEAKER_IDS_ROLE) or set()):
            return False
        if self.review is not None and (src.data(idx, REVIEW_ROLE) or "") != self.review:
            return False
        if self.show is not None and src.data(idx, STATUS_ROLE) != self.show:
            return False
        return True


#: SQLite's NOCASE collation: ASCII capitals as small letters, nothing else folded
_NOCASE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class SpeakersModel(QAbstractListModel):
    """The live speakers of the file (merged and deleted ones hidden), by name."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.store: AnnotationStore | None = None
        self._speakers: list[Speaker] = []
        self._counts: dict[str, int] = {}  # speaker id -> confirmed figures attributed to them
        self._suggested: dict[str, int] = {}  # speaker id -> suggested figures (a Find figures pass)

    def reset(self, store: AnnotationStore | None) -> None:
        self.beginResetModel()
        self.store = store
        self._load()
        self.endResetModel()

    def _load(self) -> None:
        if self.store is None:
            self._speakers, self._counts = [], {}
            return
        self._speakers = self.store.speakers()
        self._load_counts()

    def _load_counts(self) -> None:
        self._counts, self._suggested = {}, {}
        # counted in SQL (one scan, ~30 ms for 48,000 attributions), not by reading every attribution
        for sid, status, n in self.store.conn.execute(
                "SELECT speaker_id, status, count(*) FROM attributions NOT INDEXED WHERE deleted = 0 "
                "AND status IN ('confirmed', 'suggested') GROUP BY speaker_id, status"):
            (self._counts if status == "confirmed" else self._suggested)[sid] = n

    def _count(self, attributions) -> None:
        """Add attributions to the per-speaker counts of confirmed and of suggested figures."""
        for a in attributions:
            if a.deleted:
                continue
            counts = self._counts if a.status == "confirmed" else self._suggested if a.status == "suggested" else None
            if counts is not None:
                counts[a.speaker_id] = counts.get(a.speaker_id, 0) + 1

    def on_record(self, table: str, op: str, rec) -> None:
        if self.store is None or table not in ("speakers", "attributions") and op != "reload":
            return
        if table == "speakers" and op == "update":
            row = self.row_of(rec.id)
            if row is not None and not rec.deleted and not rec.merged_into and rec.name == self._speakers[row].name:
                self._speakers[row] = rec
                self.dataChanged.emit(self.index(row), self.index(row))
                return
        from annotator.core.store import Tombstoned, Updated

        if op == "reload" and table == "figures" and isinstance(rec, (list, Tombstoned, Updated)):
            return  # figures added, tombstoned or changed together: the counts are the attributions'
        if op == "reload" and table == "attributions" and isinstance(rec, Tombstoned):
            self._counts_refresh()  # attributions tombstoned or back together (undo / redo of a pass)
            return
        if op == "reload" and table == "speakers" and isinstance(rec, Tombstoned):
            self.beginResetModel()  # speakers tombstoned or back together: their counts are the attributions'
            self._speakers = self.store.speakers()
            self.endResetModel()
            return
        if op == "reload" and isinstance(rec, Updated) and table in ("attributions", "figures"):
            # records changed together (store.update_many: accept all from a speaker): only the counts of
            # the speakers of the attributions changed may change; counted again in one query
            if table == "attributions":
                self._recount(rec.ids)
            return
        if op == "reload" and isinstance(rec, list) and table == "attributions":
            # new attributions only (store.add_many, e.g. a Find figures pass): counted from them, not by
            # reading every attribution of the file; the list of speakers is the same
            self._count(rec)
            if self._speakers:
                self.dataChanged.emit(self.index(0), self.index(len(self._speakers) - 1))
            return
        if op == "reload" and isinstance(rec, list) and table == "speakers":
            # new speakers only (a Find figures pass, its redo): put in their places by name, not every
            # speaker read again
            self.beginResetModel()
            self._speakers = self.merged_with(rec)
            self.endResetModel()
            return
        if table == "attributions" and op in ("update",):
            # role or evidence changes do not change counts
            self._counts_refresh()
            return
        self.reset(self.store)

    def merged_with(self, new: list[Speaker]) -> list[Speaker]:
        """The list with new speakers (records just added) in their places, in the store's order
        (``store.speakers()``: by name, ASCII letters without case, as SQLite's NOCASE; equal names
        in the order they were added)."""
        have = {s.id for s in self._speakers}
        add = [s for s in new if not s.deleted and not s.merged_into and s.id not in have]
        if not add:
            return list(self._speakers)
        return sorted([*self._speakers, *add], key=lambda s: s.name.translate(_NOCASE))

    def speakers(self) -> list[Speaker]:
        """The speakers listed (``store.speakers()`` as the events left it)."""
        return list(self._speakers)

    def _recount(self, attribution_ids) -> None:
        """The counts of confirmed and of suggested figures of the speakers of these attributions, in one query."""
        import json

        rows = self.store.conn.execute(
            "WITH sp AS (SELECT DISTINCT speaker_id AS sid FROM attributions WHERE id IN "
            "(SELECT value FROM json_each(?))) "
            "SELECT sp.sid, a.status, count(a.id) FROM sp LEFT JOIN attributions AS a ON a.speaker_id = sp.sid "
            "AND a.deleted = 0 AND a.status IN ('confirmed', 'suggested') GROUP BY sp.sid, a.status",
            [json.dumps(list(attribution_ids))]).fetchall()
        counts, suggested = dict(self._counts), dict(self._suggested)
        for sid in {r[0] for r in rows}:
            counts.pop(sid, None)
            suggested.pop(sid, None)
        for sid, status, n in rows:
            if status is not None and n:
                (counts if status == "confirmed" else suggested)[sid] = n
        if (counts, suggested) != (self._counts, self._suggested):
            self._counts, self._suggested = counts, suggested
            if self._speakers:
                self.dataChanged.emit(self.index(0), self.index(len(self._speakers) - 1))

    def _counts_refresh(self) -> None:
        self._load_counts()
        if self._speakers:
            self.dataChanged.emit(self.index(0), self.index(len(self._speakers) - 1))

    def speaker(self, row: int) -> Speaker:
        return self._speakers[row]

    def row_of(self, speaker_id: str) -> int | None:
        for i, s in enumerate(self._speakers):
            if s.id == speaker_id:
                return i
        return None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._speakers)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        sp = self._speakers[index.row()]
        n = self._counts.get(sp.id, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            m = self._suggested.get(sp.id, 0)
            more = f"  ·  {m} suggested" if m else ""
            return f"{sp.name}  ·  {sp.kind}  ·  {n} figure{'s' if n != 1 else ''}{more}"
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [sp.name, f"Kind: {sp.kind}"]
            if sp.affiliation:
                lines.append(f"Role: {sp.affiliation}")
            if sp.aliases:
                lines.append("Also: " + ", ".join(sp.aliases))
            lines.append(f"Created by {sp.author or 'unknown'}")
            return "\n".join(lines)
        if role == SPEAKER_ID_ROLE:
            return sp.id
        return None
