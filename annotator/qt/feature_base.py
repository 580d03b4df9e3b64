"""What the review, merge, agreement and export features share: following a main window,
running undoable edits, background jobs, and their actions and menus.

These features live in their own modules (review.py, merge_ui.py, agreement_view.py,
export_ui.py), each with an ``install(window)`` that adds docks, menus and handlers to a
constructed :class:`~annotator.qt.main_window.MainWindow` through its public attributes.

* Their action specs are registered (:func:`register_specs`) when the module is imported,
  so a window built afterwards has the actions in its menus and in Help ▸ Keyboard
  shortcuts. A window built before gets them from :func:`ensure_actions` (fallback).
* :class:`WindowLink` turns the window's state into stable signals: store events (the
  window replaces its ``events`` object whenever another annotation file opens), document
  resets, the current figure.
* :class:`Job` runs long work in a QThread with a progress dialog and Cancel.

No module-level import of the store stack here (start-up time): core modules are imported
inside functions.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from pathlib import Path

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QThread, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QProgressDialog, QWidget

from annotator.core.errors import Cancelled, UserError
from annotator.qt import actions as actions_mod
from annotator.qt import commands, dialogs

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- actions


def register_specs(specs: list[actions_mod.ActionSpec]) -> None:
    """Register action specs once (importing a module twice, or reloading it, is harmless)."""
    known = {s.name for s in actions_mod.SPECS}
    for spec in specs:
        if spec.name not in known:
            actions_mod.register(spec)
            known.add(spec.name)


def _menu(window, path: str) -> QMenu:
    """The menu at ``path`` ("File/&Export"), created as the window creates its menus when missing."""
    menus: dict = window.menus
    key = ""
    parent = None
    for part in path.split("/"):
        key = f"{key}/{part}" if key else part
        if key not in menus:
            m = QMenu(part, window)
            m.setObjectName("menu" + part.replace("&", "").replace(" ", ""))
            if parent is None:
                window.menuBar().addMenu(m)
            else:
                parent.addMenu(m)
            menus[key] = m
        parent = menus[key]
    return parent


def ensure_actions(window, specs: list[actions_mod.ActionSpec]) -> dict[str, QAction]:
    """The window's QActions for ``specs``, by name.

    A window built after the specs were registered already has them (in its menus, its
    shortcut list and as window actions). For a window built before, they are made here with
    ``window.actions.add`` (so Help ▸ Keyboard shortcuts lists them) and put in the menus.
    """
    out: dict[str, QAction] = {}
    for spec in specs:
        try:
            out[spec.name] = window.actions[spec.name]
            continue
        except KeyError:
            pass
        a = window.findChild(QAction, spec.name)  # made by an earlier call
        if a is not None:
            out[spec.name] = a
            continue
        a = window.actions.add(spec)
        _menu(window, spec.menu).addAction(a)
        window.addAction(a)
        out[spec.name] = a
    return out


def move_before(menu: QMenu, items: list, before: QAction | None) -> None:
    """Move ``items`` (QActions, or QMenus as submenus) in ``menu`` to the end of the group just
    above ``before`` (e.g. File ▸ Save a copy…, then Merge…, Import, Export, then the separator
    above Preferences); at the end of the menu when ``before`` is None."""
    acts = [it.menuAction() if isinstance(it, QMenu) else it for it in items]
    for act in acts:
        menu.removeAction(act)
    anchor = before
    if before is not None:
        listed = menu.actions()
        i = listed.index(before) if before in listed else -1
        if i > 0 and listed[i - 1].isSeparator():
            anchor = listed[i - 1]
    for act in acts:
        menu.insertAction(anchor, act)


def move_menu_before(window, menu: QMenu, before_key: str) -> None:
    """Put a top-level menu before another one (e.g. "Review" before "Help")."""
    bar = window.menuBar()
    other = window.menus.get(before_key)
    if other is None:
        return
    bar.removeAction(menu.menuAction())
    bar.insertAction(other.menuAction(), menu.menuAction())


def add_dock(window, title: str, widget: QWidget, name: str, area=Qt.DockWidgetArea.RightDockWidgetArea,
             tabify_with: QDockWidget | None = None, toggle: QAction | None = None) -> QDockWidget:
    """A dock like the window's own (movable, closable, floatable), hidden at first; ``toggle``
    (a checkable action) shows and hides it."""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable |
                     QDockWidget.DockWidgetFeature.DockWidgetClosable |
                     QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(area, dock)
    dock.hide()
    # tabified when first shown: a dock tabified and then hidden before the window is shown leaves a
    # stray tab bar (one tab, or a tab of the hidden dock) in a window that is not built deferred
    dock.setProperty("tabifyWith", tabify_with.objectName() if tabify_with is not None else "")
    if toggle is not None:
        toggle.setChecked(False)
        toggle.toggled.connect(lambda on: show_dock(dock) if on else dock.hide())
        dock.visibilityChanged.connect(lambda _vis: toggle.setChecked(not dock.isHidden()))
    return dock


def show_dock(dock: QDockWidget) -> None:
    """Show a dock (tabified with the dock :func:`add_dock` named, the first time, unless the window's
    saved layout put it elsewhere) and bring it to the front."""
    other_name = dock.property("tabifyWith")
    window = dock.parentWidget()
    if other_name and window is not None:
        dock.setProperty("tabifyWith", "")
        other = window.findChild(QDockWidget, other_name)
        if other is not None and other is not dock and not dock.isFloating() and not other.isFloating() and \
                not window.tabifiedDockWidgets(dock) and window.dockWidgetArea(dock) == window.dockWidgetArea(other):
            window.tabifyDockWidget(other, dock)
    dock.show()
    dock.raise_()


# --------------------------------------------------------------------------- following the window


class WindowLink(QObject):
    """Stable signals about one main window, whichever annotation file it has open.

    The window makes a new ``events`` object (StoreEvents) for every annotation file it
    opens; this link reconnects to the current one, following the window's ``storeChanged``
    and ``currentFigureChanged`` signals.
    """

    storeEvent = Signal(str, str, object)  # table, op, record (after the document state was updated)
    documentChanged = Signal(object)  # a Change of the current document
    documentReset = Signal()  # another document (or file) is shown, or it was reloaded
    currentFigureChanged = Signal(object)  # figure id or None

    NAME = "featureLink"

    @classmethod
    def of(cls, window) -> "WindowLink":
        link = window.findChild(WindowLink, cls.NAME)
        return link if link is not None else cls(window)

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName(self.NAME)
        self.window = window
        self._events = None
        self._current: object = object()
        window.opened.connect(lambda _doc: self.sync())
        window.storeChanged.connect(self.sync)
        window.currentFigureChanged.connect(lambda _fid: self.check_current())
        self.sync()

    @property
    def store(self):
        return self.window.store

    @property
    def state(self):
        return self.window.state

    def sync(self) -> None:
        """Connect to the window's current ``events`` object (after another file was opened)."""
        ev = self.window.events
        if ev is not self._events:
            self._events = ev
            if ev is not None:
                ev.recordChanged.connect(functools.partial(self._record, ev))
                ev.documentChanged.connect(functools.partial(self._document, ev))
                ev.documentReset.connect(functools.partial(self._reset, ev))
            self.documentReset.emit()
        self.check_current()

    def _record(self, ev, table: str, op: str, rec) -> None:
        if ev is self._events:
            self.storeEvent.emit(table, op, rec)

    def _document(self, ev, change) -> None:
        if ev is self._events:
            self.documentChanged.emit(change)
            self.check_current()

    def _reset(self, ev) -> None:
        if ev is self._events:
            self.documentReset.emit()
            self.check_current()

    def check_current(self) -> None:
        fid = self.window.current_figure_id
        if fid != self._current:
            self._current = fid
            self.currentFigureChanged.emit(fid)


# --------------------------------------------------------------------------- edits


def run_command(window, cmd: commands.StoreCommand) -> bool:
    """Run an undoable edit on the window's undo stack; a failure is shown and nothing is pushed."""
    try:
        commands.run(window.undo_stack, cmd)
    except UserError as exc:
        dialogs.show_error(window, "The edit could not be saved", str(exc))
        return False
    return True


def need_store(window) -> bool:
    if window.store is None or window.state is None:
        window.status("Open a document first.")
        return False
    return True


def local_time(iso: str, fmt: str = "d MMM yyyy, HH:mm") -> str:
    """An ISO 8601 UTC time of the store shown in local time ("" stays "")."""
    if not iso:
        return ""
    dt = QDateTime.fromString(iso, Qt.DateFormat.ISODateWithMs)
    if not dt.isValid():
        dt = QDateTime.fromString(iso, Qt.DateFormat.ISODate)
    return dt.toLocalTime().toString(fmt) if dt.isValid() else iso


def short(text: str, n: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------- background work


@contextlib.contextmanager
def worker_store(store, readonly: bool = False):
    """The annotation file opened again, on its own connection, for a worker thread (None for an
    in-memory store). The window's connection keeps reading the last committed state meanwhile,
    and an edit made on it cannot slip into the worker's transaction: it waits for the commit."""
    from annotator.core.store import AnnotationStore

    if str(store.path) == ":memory:" or not Path(store.path).exists():
        yield None
        return
    other = AnnotationStore.open(store.path, author=store.author, create=False, readonly=readonly)
    try:
        yield other
    finally:
        other.close()


class _Thread(QThread):
    progressed = Signal(int, int, str)

    def __init__(self, job: "Job"):
        super().__init__()
        self.job = job

    def run(self) -> None:
        job = self.job
        try:
            job.result = job.fn(self._progress, job.cancel_requested)
            if job.cancel_requested():
                raise Cancelled()
        except BaseException as exc:  # handed to the UI thread, which decides what to show
            job.error = exc

    def _progress(self, done: int, total: int, message: str = "") -> None:
        if self.job.cancel_requested():
            raise Cancelled()
        self.progressed.emit(int(done), int(total), str(message or ""))


class Job(QObject):
    """``fn(progress, cancel)`` run in a worker thread, with a window-modal progress dialog.

    ``progress(done, total, message)`` may be called from the worker; ``cancel()`` says
    whether the user pressed Cancel. ``finished(job)`` is emitted on the UI thread with
    ``job.result`` or ``job.error`` set. The window must not touch what the worker
    uses meanwhile; the modal dialog keeps the user from editing.
    """

    finished = Signal(object)

    def __init__(self, parent: QWidget, fn, title: str, label: str, cancellable: bool = True,
                 object_name: str = "jobProgress"):
        super().__init__(parent)
        self.fn = fn
        self.result = None
        self.error: BaseException | None = None
        self._cancel = threading.Event()
        self._thread = _Thread(self)
        self._thread.finished.connect(self._finished)
        dlg = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
        dlg.setObjectName(object_name)
        dlg.setWindowTitle(title)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(300)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        if not cancellable:
            dlg.setCancelButton(None)
        dlg.canceled.connect(self.request_cancel)
        self._thread.progressed.connect(self._progressed)
        self.dialog = dlg
        parent.installEventFilter(self)  # closing the window stops (or waits for) the work first

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Close and self.is_running():
            self.request_cancel()
            self._thread.wait()
        return False

    def start(self) -> "Job":
        self._thread.start()
        return self

    def request_cancel(self) -> None:
        self._cancel.set()
        self.dialog.setLabelText("Cancelling…")

    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set() or isinstance(self.error, Cancelled)

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = 60000) -> bool:
        return self._thread.wait(ms)

    def _progressed(self, done: int, total: int, message: str) -> None:
        if self._cancel.is_set():
            return
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if message:
            self.dialog.setLabelText(message)

    def _finished(self) -> None:
        self.parent().removeEventFilter(self)
        dlg = self.dialog
        dlg.canceled.disconnect()
        dlg.reset()
        dlg.hide()
        dlg.deleteLater()
        self.finished.emit(self)


__all__ = ["Job", "WindowLink", "add_dock", "ensure_actions", "local_time", "move_before", "move_menu_before",
           "need_store", "register_specs", "run_command", "short", "show_dock", "worker_store"]
