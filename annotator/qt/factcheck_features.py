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

from PySide6.QtCore import QByteArray, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

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
        self.store.undelete_many(self.added, recs)

    def _undo(self) -> None:
        self.store.delete_many(reversed(self.added or []))


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
    redo calls it again. Thousands of records cost one event per table, not one each."""

    def __init__(self, store: AnnotationStore, fn: Callable[[], list], text: str):
        super().__init__(store, text)
        self.fn = fn
        self.undo_data: list = []

    def _do(self) -> None:
        with self.store.transaction():
            self.undo_data = list(self.fn())

    def _undo(self) -> None:
        with self.store.transaction():
            for cls, previous in reversed(self.undo_data):
                self.store.restore_many(cls, previous)


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


__all__ = ["ActionMap", "CapturedAdd", "StoreWatcher", "ensure_actions", "UndoList", "UndoMany", "go_to_figure", "install_all", "need_document", "register_actions",
           "run_command", "setting_bool"]
