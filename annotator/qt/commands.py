"""Undoable edits: each QUndoCommand only calls the core store.

Records are never erased: undoing an addition tombstones the record, undoing a
deletion brings it back (``store.undelete``), so a later merge still tells "deleted"
from "never had it". The views are not touched here: they redraw from the store's
change events.

The window runs a command with :func:`run`: the first execution happens before the
command is pushed, so a failure (disk full, file locked) is reported to the user and
leaves nothing on the undo stack. Failures in a later undo or redo are reported
through :data:`on_error` and make the command obsolete.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.errors import UserError
from annotator.core.model import Record
if TYPE_CHECKING:
    from annotator.core.store import AnnotationStore

log = logging.getLogger(__name__)

#: called with the exception when an undo or redo fails (the window shows it)
on_error: Callable[[Exception], None] = lambda exc: log.error("%s", exc)  # noqa: E731


class StoreCommand(QUndoCommand):
    """Base: ``_do`` and ``_undo`` call the store; the first ``redo`` after :func:`run` is skipped."""

    def __init__(self, store: AnnotationStore, text: str):
        super().__init__(text)
        self.store = store
        self._skip_redo = False

    def execute(self) -> None:
        """First run, before the push (raises on failure)."""
        self._do()
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._guard(self._do)

    def undo(self) -> None:
        self._guard(self._undo)

    def _guard(self, fn) -> None:
        try:
            fn()
        except (UserError, KeyError, ValueError) as exc:
            self.setObsolete(True)
            on_error(exc)

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class AddRecords(StoreCommand):
    """Add new records (a figure, a speaker, an attribution, or several at once)."""

    def __init__(self, store: AnnotationStore, records: list[Record], text: str):
        super().__init__(store, text)
        self.records = list(records)
        self._added = False

    def _do(self) -> None:
        with self.store.transaction():
            if not self._added:
                self.records = [self.store.add(r) for r in self.records]
            else:
                for r in self.records:
                    self.store.undelete(type(r), r.id)
        self._added = True

    def _undo(self) -> None:
        with self.store.transaction():
            for r in reversed(self.records):
                self.store.delete(type(r), r.id)


class DeleteRecords(StoreCommand):
    """Tombstone records (e.g. a figure and its attributions)."""

    def __init__(self, store: AnnotationStore, items: list[tuple[type, str]], text: str):
        super().__init__(store, text)
        self.items = list(items)

    def _do(self) -> None:
        with self.store.transaction():
            for cls, rid in self.items:
                self.store.delete(cls, rid)

    def _undo(self) -> None:
        with self.store.transaction():
            for cls, rid in reversed(self.items):
                self.store.undelete(cls, rid)


class UpdateRecord(StoreCommand):
    """Change fields of one record. Consecutive edits of the same field of the same record
    (typing a note) merge into one undo step when ``merge`` is true."""

    _ID = 0x46494755  # any constant: commands with the same id are offered to mergeWith

    def __init__(self, store: AnnotationStore, cls: type, rec_id: str, changes: dict, text: str,
                 merge: bool = False):
        super().__init__(store, text)
        self.cls = cls
        self.rec_id = rec_id
        self.changes = dict(changes)
        self.previous: dict | None = None
        self.merge = merge

    def _do(self) -> None:
        prev = self.store.update(self.cls, self.rec_id, **self.changes)
        if self.previous is None:
            self.previous = prev

    def _undo(self) -> None:
        if self.previous is not None:
            self.store.update(self.cls, self.rec_id, **self.previous)

    def id(self) -> int:
        return self._ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, UpdateRecord) and other.merge and self.merge):
            return False
        if other.cls is not self.cls or other.rec_id != self.rec_id or set(other.changes) != set(self.changes):
            return False
        self.changes = dict(other.changes)
        return True


class UpdateMany(StoreCommand):
    """Change several records in one undo step: ``[(cls, id, changes), ...]``."""

    def __init__(self, store: AnnotationStore, edits: list[tuple[type, str, dict]], text: str):
        super().__init__(store, text)
        self.edits = list(edits)
        self.previous: list[tuple[type, str, dict]] | None = None

    def _do(self) -> None:
        prev = []
        with self.store.transaction():
            for cls, rid, changes in self.edits:
                prev.append((cls, rid, self.store.update(cls, rid, **changes)))
        if self.previous is None:
            self.previous = prev

    def _undo(self) -> None:
        with self.store.transaction():
            for cls, rid, changes in reversed(self.previous or []):
                self.store.update(cls, rid, **changes)


class MergeSpeakers(StoreCommand):
    """Merge speaker ``gone_id`` into ``keep_id`` (its attributions move, its names become aliases)."""

    def __init__(self, store: AnnotationStore, keep_id: str, gone_id: str, text: str):
        super().__init__(store, text)
        self.keep_id = keep_id
        self.gone_id = gone_id
        self._undo_list: list[tuple] = []

    def _do(self) -> None:
        self._undo_list = self.store.merge_speakers(self.keep_id, self.gone_id)

    def _undo(self) -> None:
        with self.store.transaction():
            for cls, rid, previous in reversed(self._undo_list):
                self.store.update(cls, rid, **previous)


def run(stack: QUndoStack, cmd: StoreCommand) -> StoreCommand:
    """Execute ``cmd`` now and push it on ``stack``; raises (and pushes nothing) when it fails."""
    cmd.execute()
    stack.push(cmd)
    return cmd


__all__ = ["AddRecords", "DeleteRecords", "MergeSpeakers", "StoreCommand", "UpdateMany", "UpdateRecord", "run"]
