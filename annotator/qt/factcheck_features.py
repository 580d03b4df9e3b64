"""The fact-checking features of the main window (suggestions, checks, provenance), installed on a built window.

Each feature module registers its :class:`~annotator.qt.actions.ActionSpec` objects when it is
imported (the window builds its menus from ``actions.SPECS``, so the import must come before
the window is constructed) and exposes ``install(window)`` that connects those actions, adds
its docks and listens to the store. :func:`install_all` installs every feature.

What is shared here:

- :class:`StoreWatcher`: follows the window's current annotation file and document and
  re-emits their change events (the window replaces its ``StoreEvents`` on every open);
- :class:`CapturedAdd` and :class:`UndoList`: undo commands over core calls that add records
  themselves (``store_suggestions``, ``checks_suggest.add_suggestions``) or return undo data
  (``accept_suggestion``, ``merge_speakers``…), and :class:`UndoMany` over bulk ones
  (``accept_suggestions``, ``reject_suggestions``);
- :func:`run_command`: execute and push a command, showing a failure to the user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu

from annotator.core.errors import UserError
from annotator.qt import commands, dialogs, settings

if TYPE_CHECKING:
    from annotator.core.store import AnnotationStore


class ActionMap(dict):
    """QActions by name: ``acts["find_figures"]`` or ``acts.find_figures``."""

    def __getattr__(self, name: str) -> QAction:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def ensure_actions(window, specs) -> ActionMap:
    """The window's QActions for ``specs``. A window built after the specs were registered has them
    already (menus, shortcuts list); for one built before, they are made here like the window makes
    its own (``window.actions.add``, so Help ▸ Keyboard shortcuts lists them) and put in its menus."""
    out = ActionMap()
    for spec in specs:
        try:
            out[spec.name] = window.actions[spec.name]
            continue
        except KeyError:
            pass
        a = window.actions.add(spec)  # listed in Help ▸ Keyboard shortcuts too
        _menu(window, spec.menu).addAction(a)
        window.addAction(a)
        out[spec.name] = a
    return out


def _menu(window, path: str) -> QMenu:
    menus: dict = window.menus
    key, parent = "", None
    for part in path.split("/"):
        key = f"{key}/{part}" if key else part
        if key not in menus:
            m = QMenu(part, window)
            m.setObjectName("menu" + part.replace("&", "").replace(" ", ""))
            (window.menuBar() if parent is None else parent).addMenu(m)
            menus[key] = m
        parent = menus[key]
    return menus[key]


class StoreWatcher(QObject):
    """The window's store events, whichever annotation file is open.

    ``changed(table, op, record)`` after every store change (the window's document state is
    already updated); ``reset()`` when another file or another document is shown.
    """

    changed = Signal(str, str, object)
    reset = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._events = None
        window.opened.connect(lambda _doc_id: self.attach())
        self.attach()

    def attach(self) -> None:
        events = self.window.events
        if events is not None and events is not self._events:
            # the previous StoreEvents is deleted by the window, and its connections with it
            events.recordChanged.connect(self.changed)
            events.documentReset.connect(self.reset)
        self._events = events
        self.reset.emit()

    @property
    def store(self) -> AnnotationStore | None:
        return self.window.store


#: a bulk write of at least this many records runs on a connection of its own in a worker thread
OFF_THREAD = 2000


class _WriteThread(QThread):
    def __init__(self, store: AnnotationStore, fn: Callable):
        super().__init__()
        self.store = store
        self.fn = fn
        self.result = None
        self.error: BaseException | None = None
        self.events: list[tuple[str, str, object]] = []  # the store events of the write, for the window

    def run(self) -> None:
        from annotator.qt.feature_base import worker_store

        try:
            with worker_store(self.store) as own:
                own.subscribe(lambda table, op, payload: self.events.append((table, op, payload)))
                self.result = self.fn(own)
            self._prepare()
        except BaseException as exc:  # raised again on the UI thread
            self.error = exc

    def _prepare(self) -> None:
        """New records announced (redo of a pass): sorted out for the window here, off the UI thread."""
        from annotator.qt.state import prepare_new

        lists = {t: p for t, op, p in self.events if op == "reload" and type(p) is list}
        if "figures" not in lists or len(lists) != sum(op == "reload" and type(p) is list for _t, op, p in self.events):
            return
        lists = prepare_new(lists)
        self.events = [(t, op, lists[t] if op == "reload" and type(p) is list else p) for t, op, p in self.events]


#: the writes running off the UI thread now (tests and the benchmark look at it)
busy_writes: list = []


def write(store: AnnotationStore, fn: Callable[[AnnotationStore], object], size: int):
    """``fn(store)``: one bulk write (``delete_many``, ``update_many``...), returning its result.

    A write of ``size`` >= :data:`OFF_THREAD` records to an annotation file runs in a worker thread on a
    connection of its own (SQLite works without the GIL: ~1 s for a 44,000-suggestion pass), while the
    window's event loop keeps turning with user input held back (a wait cursor): the window repaints and
    its timers run, reading the last committed state, but no edit can start. Once it has committed, the
    store events it made are announced on the window's store, on the UI thread, as if it had made them.
    Smaller writes, and in-memory files, are written here at once."""
    if size < OFF_THREAD or str(store.path) == ":memory:" or store.readonly or store._depth:
        return fn(store)
    th = _WriteThread(store, fn)
    loop = QEventLoop()
    th.finished.connect(loop.quit)
    busy_writes.append(th)
    app = QApplication.instance()
    if app is not None:
        app.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        th.start()
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        th.wait()
    finally:
        busy_writes.remove(th)
        if app is not None:
            app.restoreOverrideCursor()
    if th.error is not None:
        raise th.error
    for table, op, payload in th.events:
        store.notify(table, op, payload)
    return th.result


class CapturedAdd(commands.StoreCommand):
    """A core call that adds records itself, made undoable: the records it adds are captured
    from the store's events; undo tombstones them, redo brings them back, each in one transaction
    with one store event per table (``delete_many`` / ``undelete_many``: a Find figures pass adds
    tens of thousands)."""

    def __init__(self, store: AnnotationStore, fn: Callable[[], object], text: str):
        super().__init__(store, text)
        self.fn = fn
        self.result = None
        self.added: list[tuple[type, str]] | None = None
        #: the records added, as the call made them (redo announces them again instead of reading them)
        self.records: list | None = None

    def _do(self) -> None:
        if self.added is None:
            added: list[tuple[type, str]] = []
            records: list = []

            def capture(_table, op, rec):
                if op == "add":
                    added.append((type(rec), rec.id))
                    records.append(rec)
                elif op == "reload" and isinstance(rec, list):  # store.add_many: the new records
                    added.extend((type(r), r.id) for r in rec)
                    records.extend(rec)

            self.store.subscribe(capture)
            try:
                self.result = self.fn()
            finally:
                self.store.unsubscribe(capture)
            self.added = added
            self.records = records
            return
        recs = self.records if self.records is not None and len(self.records) == len(self.added) else None
        added = self.added
        write(self.store, lambda s: s.undelete_many(added, recs), len(added))

    def _undo(self) -> None:
        added = list(reversed(self.added or []))
        write(self.store, lambda s: s.delete_many(added), len(added))


class UndoList(commands.StoreCommand):
    """A core call returning undo data ``[(cls, id, previous values), ...]``; undo restores the
    previous values (last change first), redo calls it again."""

    def __init__(self, store: AnnotationStore, fn: Callable[[], list], text: str):
        super().__init__(store, text)
        self.fn = fn
        self.undo_data: list = []

    def _do(self) -> None:
        with self.store.transaction():
            self.undo_data = list(self.fn())

    def _undo(self) -> None:
        with self.store.transaction():
            for cls, rid, previous in reversed(self.undo_data):
                if previous:
                    self.store.update(cls, rid, **previous)


class UndoMany(commands.StoreCommand):
    """A core bulk call returning undo data ``[(cls, {id: previous values}), ...]`` (``accept_suggestions``,
    ``reject_suggestions``: one ``store.update_many`` per table); undo gives every record its previous
    values with ``store.restore_many`` (one statement and one store event per table, last table first),
    redo calls it again. Thousands of records cost one event per table, not one each.

    ``fn(store)`` is given the store to write to: with ``size`` >= :data:`OFF_THREAD` records, a connection
    of its own in a worker thread (:func:`write`)."""

    def __init__(self, store: AnnotationStore, fn: Callable[[AnnotationStore], list], text: str, size: int = 0):
        super().__init__(store, text)
        self.fn = fn
        self.size = size
        self.undo_data: list = []

    def _do(self) -> None:
        def do(s):
            with s.transaction():
                return list(self.fn(s))

        self.undo_data = write(self.store, do, self.size)

    def _undo(self) -> None:
        data = list(reversed(self.undo_data))

        def undo(s):
            with s.transaction():
                for cls, previous in data:
                    s.restore_many(cls, previous)

        write(self.store, undo, sum(len(p) for _c, p in data))


def run_command(window, cmd: commands.StoreCommand) -> bool:
    """Execute ``cmd`` and push it on the window's undo stack; a failure is shown, nothing pushed."""
    try:
        commands.run(window.undo_stack, cmd)
    except UserError as exc:
        dialogs.show_error(window, "The edit could not be saved", str(exc))
        return False
    return True


def need_document(window) -> bool:
    if window.store is None or window.state is None:
        window.status("Open a document first.")
        return False
    return True


def go_to_figure(window, figure_id: str) -> bool:
    """Make a figure current, showing its document first when it is in another one."""
    from annotator.core.model import Figure

    store = window.store
    if store is None or not figure_id:
        return False
    st = window.state
    if st is None or figure_id not in st.figures:
        f = store.get(Figure, figure_id)
        if f is None or f.deleted or f.status == "rejected":
            window.status("That figure no longer exists (deleted or rejected).")
            return False
        if f.document_id != window.doc_id:
            window.show_document(f.document_id)
    if window.state is not None and figure_id in window.state.figures:
        window.go_to_figure(figure_id)
        return True
    return False


def setting_bool(key: str, default: bool = False) -> bool:
    v = settings.value(key, default)
    if isinstance(v, str):
        return v.strip().lower() in ("1", "true", "yes", "on")
    return bool(v)


def register_actions() -> None:
    """Register the features' actions (importing their modules does it); call before ``MainWindow()``
    builds its menus. Idempotent."""
    from annotator.qt import checks_panel, provenance_view, suggestions  # noqa: F401


def install_all(window) -> None:
    """Install every feature on a constructed main window (the one hook the window needs)."""
    from annotator.qt import checks_panel, provenance_view, suggestions

    suggestions.install(window)
    checks_panel.install(window)
    provenance_view.install(window)
    # the docks added here take the places the user left them in (saved by the window on close)
    state = settings.value("window/state")
    if isinstance(state, QByteArray) and not state.isEmpty():
        window.restoreState(state)


__all__ = ["OFF_THREAD", "write", "ActionMap", "CapturedAdd", "StoreWatcher", "ensure_actions", "UndoList", "UndoMany", "go_to_figure", "install_all", "need_document", "register_actions",
           "run_command", "setting_bool"]
