"""The main window: document views in the centre, figure editor, speakers and figures list in docks.

Data flow: a user action -> a method here -> an undo command (annotator.qt.commands) that
calls the store -> the store's change event -> StoreEvents -> DocumentState, then the Qt
adapters (figures table, highlights, panels) redraw. Methods here never redraw views after
an edit themselves.

Central area: a QStackedWidget holding the article reader and, for page-based documents,
the PDF view from ``annotator.qt.pdf_view`` (imported on first use; see views.py for the
interface both views share).

Start-up (``MainWindow(deferred=True)``, as :func:`annotator.qt.app.run_gui` builds it): the
first frame holds the menu bar, the empty docks and the reader (with the text of a small text
file given to :meth:`MainWindow.preview_path`); everything else (actions, panels, toolbar,
status bar, the feature modules) is imported and built right after that frame is painted.
:meth:`MainWindow.ready` and the ``built`` signal tell when. Built without ``deferred`` (the
tests, scripts), the window is complete when the constructor returns.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QStackedWidget, QVBoxLayout, QWidget

from annotator.qt import settings
from annotator.qt.reader import ReaderView

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from annotator.core.model import Figure
    from annotator.core.store import AnnotationStore
    from annotator.qt.state import Change, DocumentState

log = logging.getLogger(__name__)

#: the top-level menus, in the menu bar's order (the feature modules add theirs before Help)
TOP_MENUS = ("File", "Edit", "Figure", "Speakers", "View", "Help")
#: the first window on a screen: this share of the available area, at most this size
FIRST_SIZE_SHARE = 0.9
FIRST_SIZE_MAX = (1400, 900)
#: a text file this small is shown in the first frame (read in the UI thread, before the loader)
PREVIEW_MAX_BYTES = 512 * 1024
NO_DOCUMENT_HINT = "Open a document or an annotation file (Ctrl+O), or drop one here."


def _import_rest() -> None:
    """Import what the first frame does not need into this module (after the first paint when the
    window is built deferred). Every method using these names runs after the build."""
    global __version__, Cancelled, PasswordRequired, UserError, ATTRIBUTION_ROLES, VERDICTS, Attribution
    global Figure, Speaker, commands, dialogs, heap, Actions, shortcut_rows, HighlightSource, LoadJob, StoreEvents
    global FigureEditor, FiguresPanel, FindBar, NoticeBar, SpeakersPanel, QByteArray, QAction, QGuiApplication
    global QUndoStack, QComboBox, QFrame, QLabel, QProgressDialog, QScrollArea, QToolBar, QApplication, Qt
    if "StoreEvents" in globals():
        return
    from PySide6.QtCore import QByteArray, Qt  # the Qt namespace costs ~30 ms: not before the first paint
    from PySide6.QtGui import QAction, QGuiApplication, QUndoStack
    from PySide6.QtWidgets import QApplication, QComboBox, QFrame, QLabel, QProgressDialog, QScrollArea, QToolBar

    from annotator import __version__
    from annotator.core.errors import Cancelled, PasswordRequired, UserError
    from annotator.core.model import ATTRIBUTION_ROLES, VERDICTS, Attribution, Figure, Speaker
    from annotator.qt import commands, dialogs, heap
    from annotator.qt.actions import Actions, shortcut_rows
    from annotator.qt.highlights import HighlightSource
    from annotator.qt.loading import LoadJob
    from annotator.qt.models import StoreEvents
    from annotator.qt.panels import FigureEditor, FiguresPanel, FindBar, NoticeBar, SpeakersPanel


class _FirstPaint(QObject):
    """Calls ``then`` once, right after the first frame of a widget was painted."""

    def __init__(self, widget: QWidget, then):
        super().__init__(widget)
        self._then = then
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self._widget, then)  # after the rest of this frame
        return False


class MainWindow(QMainWindow):
    #: a document is shown after an open or add (its id)
    opened = Signal(str)
    #: an open failed or was cancelled (the message shown)
    openFailed = Signal(str)

    #: the window is complete (actions, panels, features): see :meth:`ready`
    built = Signal()
    #: another annotation file is open, or none (end of ``set_store`` and of closing the file)
    storeChanged = Signal()
    #: the current figure changed (its id, or None)
    currentFigureChanged = Signal(object)

    def __init__(self, parent=None, *, deferred: bool = False, features: bool = False):
        """``deferred``: build only the first frame now and the rest after it is painted (start-up);
        ``features``: install the feature modules (suggestions, checks, provenance, review, merge,
        agreement, export) as the app does."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("annotator")
        self.store: AnnotationStore | None = None
        self.events = None
        self.doc_id: str | None = None
        self.current_figure_id: str | None = None
        self.me = settings.author()
        self._job = None
        self._progress = None
        self._queue: list[tuple[Path, str, str | None]] = []
        self._deferred = False  # a loaded document waits for its annotation file to open
        self._closed = False
        self._passwords: dict[str, str] = {}  # sha256 -> password, for this session only
        self._with_features = features
        self._built = False
        self._core_built = False
        self._when_built: list = []
        self._page_notices = True  # per-page "no text layer" notices (until the user dismisses one)
        self.pdf_view = None
        self.empty_page = None

        # the first frame: menu bar, the document views (reader), the docks' frames
        self.views = QStackedWidget(self)
        self.views.setObjectName("documentViews")
        self.reader = ReaderView(self.views)
        self.views.addWidget(self.reader)
        self.view = self.reader
        central = QWidget(self)
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.setSpacing(0)
        self._central_layout.addWidget(self.views, 1)
        self.setCentralWidget(central)
        self.menus: dict[str, QMenu] = {}
        for name in TOP_MENUS:
            m = QMenu(name, self)
            m.setObjectName("menu" + name)
            self.menuBar().addMenu(m)
            self.menus[name] = m
        self.setAcceptDrops(True)
        self._size_to_screen()
        if deferred:
            # the docks, toolbar and status bar come after the first frame: keep their room free, so
            # the text does not move when they arrive
            fm = self.fontMetrics()
            self._central_layout.setContentsMargins(0, fm.height() + 18, self._right_dock_width(),
                                                    self._bottom_dock_height() + fm.height() + 10)
            # a paint pass starts with the window itself; a window never painted (started minimised,
            # on a display that never exposes it) is built anyway after a moment
            _FirstPaint(self, lambda: self._build_rest(features_later=True))
            QTimer.singleShot(2000, self, lambda: self._build_rest(features_later=True))
        else:
            self._build_rest()

    def _build_rest(self, features_later: bool = False) -> None:
        """Everything but the first frame: actions and menus, panels, toolbar, status bar; then the
        features (``features_later``: in the next turn of the event loop, so the core window is
        painted before them)."""
        if self._built:
            return
        if not self._core_built:
            self._build_core()
        if features_later and self._with_features:
            QTimer.singleShot(0, self._build_rest)
            return
        if self._with_features:
            from annotator.qt import factcheck_features, features

            features.install_all(self)
            factcheck_features.install_all(self)
            self._restore_window_state()  # the features' docks where the user left them
            self._update_enabled()
        self._built = True
        self.built.emit()
        pending, self._when_built = self._when_built, []
        for fn in pending:
            fn()

    def _build_core(self) -> None:
        self._core_built = True
        _import_rest()
        if self._with_features:
            # importing them registers their actions: the menus and the shortcut list include them
            from annotator.qt import factcheck_features, features  # noqa: F401

            factcheck_features.register_actions()
        self.undo_stack = QUndoStack(self)
        commands.on_error = self._command_failed
        self.actions = Actions(self)

        self.notice = NoticeBar(self)
        self.notice.dismissed.connect(self._notice_dismissed)
        self.find_bar = FindBar(self, self)
        self._central_layout.insertWidget(0, self.notice)
        self._central_layout.addWidget(self.find_bar)

        self.highlights = HighlightSource(self)
        self.highlights.changed.connect(self._highlights_changed)
        self._connect_view(self.reader)

        self.reader.finish_setup()
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self.editor_dock = self._dock("Figure", "figureDock", Qt.DockWidgetArea.RightDockWidgetArea)
        self.speakers_dock = self._dock("Speakers", "speakersDock", Qt.DockWidgetArea.RightDockWidgetArea)
        self.figures_dock = self._dock("Figures", "figuresDock", Qt.DockWidgetArea.BottomDockWidgetArea)
        self.splitDockWidget(self.editor_dock, self.speakers_dock, Qt.Orientation.Vertical)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.editor = FigureEditor(self)
        self.speakers = SpeakersPanel(self)
        self.figures = FiguresPanel(self)
        self.figures.figureSelected.connect(lambda fid: self.set_current_figure(fid, "table"))
        self.speakers.showFiguresOf.connect(self._show_figures_of)
        editor_scroll = QScrollArea(self)
        editor_scroll.setObjectName("figureEditorScroll")
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        editor_scroll.setWidget(self.editor)
        self.editor_dock.setWidget(editor_scroll)
        self.speakers_dock.setWidget(self.speakers)
        self.figures_dock.setWidget(self.figures)

        self._build_menus()
        self._build_toolbar()
        self._build_statusbar()
        self._connect_actions()
        self._default_dock_sizes()
        self._restore_window_state()
        self._update_enabled()
        self._update_no_document()

    def ready(self) -> bool:
        """Whether the whole window is built (always, unless built ``deferred`` and not painted yet)."""
        return self._built

    def when_ready(self, fn) -> None:
        """Call ``fn`` once the window is built (at once when it is)."""
        if self._built:
            fn()
        else:
            self._when_built.append(fn)

    def ensure_built(self) -> None:
        """Build the rest now (a deferred window that is never shown, e.g. in a script)."""
        self._build_rest()

    def preview_path(self, path) -> bool:
        """Show a small plain-text file in the reader at once (the first frame at start-up); the
        loader reads it properly right after. False when the file is not one to preview."""
        path = Path(path)
        if path.suffix.lower() != ".txt":
            return False
        try:
            if path.stat().st_size > PREVIEW_MAX_BYTES:
                return False
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return False
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            return False
        self.reader.show_preview(path.stem, path.name, text)
        return True

    def _size_to_screen(self) -> None:
        """A first window that fits the screen; a saved geometry only when it fits too."""
        screen = self.screen()
        avail = screen.availableGeometry() if screen is not None else None
        if avail is None or avail.isEmpty():
            self.resize(*FIRST_SIZE_MAX)
            return
        w = min(FIRST_SIZE_MAX[0], int(avail.width() * FIRST_SIZE_SHARE))
        h = min(FIRST_SIZE_MAX[1], int(avail.height() * FIRST_SIZE_SHARE))
        self.resize(w, h)
        self.move(avail.x() + (avail.width() - w) // 2, avail.y() + (avail.height() - h) // 2)
        geo = settings.value("window/geometry")
        if geo is not None and hasattr(geo, "isEmpty") and not geo.isEmpty():
            before = self.geometry()
            self.restoreGeometry(geo)
            fits = avail.contains(self.frameGeometry()) or (
                self.width() <= avail.width() and self.height() <= avail.height() + 1)
            if not fits and not self.isMaximized():
                self.setGeometry(before)

    # ------------------------------------------------------------------ construction

    def _dock(self, title: str, name: str, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable |
                         QDockWidget.DockWidgetFeature.DockWidgetClosable |
                         QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _right_dock_width(self) -> int:
        return max(300, min(440, self.width() // 3))

    def _bottom_dock_height(self) -> int:
        return max(140, min(220, self.height() // 4))

    def _default_dock_sizes(self) -> None:
        """The right docks take about a third of the window, the figures list a quarter of its
        height; the user's own layout is restored over this."""
        self.resizeDocks([self.editor_dock], [self._right_dock_width()], Qt.Orientation.Horizontal)
        self.resizeDocks([self.editor_dock, self.speakers_dock], [3, 2], Qt.Orientation.Vertical)
        self.resizeDocks([self.figures_dock], [self._bottom_dock_height()], Qt.Orientation.Vertical)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        menus: dict[str, QMenu] = self.menus  # the top-level menus of the first frame
        last_group: dict[str, int] = {}
        for spec in self.actions.specs:
            path = spec.menu.split("/")
            key = ""
            parent_menu = None
            for i, part in enumerate(path):
                key = f"{key}/{part}" if key else part
                if key not in menus:
                    m = QMenu(part, self)
                    m.setObjectName("menu" + part.replace("&", "").replace(" ", ""))
                    if parent_menu is None:
                        bar.insertMenu(menus["Help"].menuAction(), m)  # Help stays last
                    else:
                        parent_menu.addMenu(m)
                    menus[key] = m
                parent_menu = menus[key]
            menu = menus[key]
            if key in last_group and last_group[key] != spec.group:
                menu.addSeparator()
            last_group[key] = spec.group
            menu.addAction(self.actions[spec.name])
        self.menus = menus
        self.recent_menu = menus["File/Open &Recent"]
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)

    def _build_toolbar(self) -> None:
        tb = QToolBar("Main toolbar", self)
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for spec in self.actions.specs:
            if spec.toolbar:
                if spec.name in ("mark_figure", "find"):
                    tb.addSeparator()
                tb.addAction(self.actions[spec.name])
        tb.addSeparator()
        tb.addWidget(QLabel(" Document: ", tb))
        self.doc_combo = QComboBox(tb)
        self.doc_combo.setObjectName("documentCombo")
        self.doc_combo.setToolTip("Documents held in this annotation file (Ctrl+PgDown / Ctrl+PgUp).")
        self.doc_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.doc_combo.setMinimumContentsLength(24)
        self.doc_combo.activated.connect(lambda i: self.show_document(self.doc_combo.itemData(i)))
        tb.addWidget(self.doc_combo)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self.toolbar = tb

    def _build_statusbar(self) -> None:
        sb = self.statusBar()
        self.file_label = QLabel(self)
        self.file_label.setObjectName("fileLabel")
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("countsLabel")
        self.author_label = QLabel(self)
        self.author_label.setObjectName("authorLabel")
        self.page_label = QLabel(self)
        self.page_label.setObjectName("pageLabel")
        self.page_label.setToolTip("Current page / pages (View ▸ Pages ▸ Go to page…, Ctrl+J)")
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLabel")
        self.zoom_label.setToolTip("Zoom (Ctrl++ / Ctrl+-; Ctrl+0 actual size; W fit width for pages)")
        sb.addPermanentWidget(self.page_label)
        sb.addPermanentWidget(self.zoom_label)
        sb.addPermanentWidget(self.counts_label)
        sb.addPermanentWidget(self.file_label)
        sb.addPermanentWidget(self.author_label)
        self._update_status()
        self._update_view_status()

    def _connect_actions(self) -> None:
        a = self.actions
        a.open.triggered.connect(self.open_dialog)
        a.add_document.triggered.connect(self.add_document_dialog)
        a.save_copy.triggered.connect(self.save_copy_dialog)
        a.clear_recent.triggered.connect(settings.clear_recent)
        a.preferences.triggered.connect(self.preferences_dialog)
        a.close_window.triggered.connect(self.close)
        a.quit.triggered.connect(self._quit)
        a.undo.triggered.connect(self.undo)
        a.redo.triggered.connect(self.redo)
        self.undo_stack.canUndoChanged.connect(a.undo.setEnabled)
        self.undo_stack.canRedoChanged.connect(a.redo.setEnabled)
        self.undo_stack.undoTextChanged.connect(
            lambda t: a.undo.setText(f"&Undo {t}" if t else "&Undo"))
        self.undo_stack.redoTextChanged.connect(
            lambda t: a.redo.setText(f"&Redo {t}" if t else "&Redo"))
        a.undo.setEnabled(False)
        a.redo.setEnabled(False)
        a.copy.triggered.connect(self.copy_selection)
        a.find.triggered.connect(self.open_find)
        a.find_next.triggered.connect(lambda: self._find_step(False))
        a.find_previous.triggered.connect(lambda: self._find_step(True))
        a.mark_figure.triggered.connect(self.mark_figure)
        a.delete_figure.triggered.connect(self.delete_figure)
        a.next_figure.triggered.connect(lambda: self.step_figure(1))
        a.previous_figure.triggered.connect(lambda: self.step_figure(-1))
        a.edit_value.triggered.connect(self._edit_value)
        a.edit_note.triggered.connect(self._edit_note)
        for v in VERDICTS:
            a[f"verdict_{v}"].triggered.connect(lambda _c=False, v=v: self.set_verdict(v))
        a.new_speaker.triggered.connect(self.new_speaker_from_selection)
        for role in ATTRIBUTION_ROLES:
            a[f"attribute_{role}"].triggered.connect(lambda _c=False, r=role: self.attribute(r))
        a.mark_evidence.triggered.connect(self.mark_evidence)
        a.remove_attribution.triggered.connect(lambda: self.remove_attribution())
        a.merge_speakers.triggered.connect(self.merge_selected_speakers)
        a.delete_speaker.triggered.connect(self.delete_selected_speakers)
        for name, dock in (("show_figure_editor", self.editor_dock), ("show_speakers", self.speakers_dock),
                           ("show_figures", self.figures_dock)):
            act = a[name]
            act.setChecked(True)
            act.toggled.connect(dock.setVisible)
            dock.visibilityChanged.connect(lambda vis, act=act, dock=dock: act.setChecked(not dock.isHidden()))
        a.focus_figures.triggered.connect(self._focus_figures)
        a.focus_document.triggered.connect(self.focus_document)
        a.zoom_in.triggered.connect(lambda: self._zoom(1))
        a.zoom_out.triggered.connect(lambda: self._zoom(-1))
        a.zoom_reset.triggered.connect(self.actual_size)
        a.fit_width.triggered.connect(self.fit_width)
        a.next_page.triggered.connect(lambda: self._pages("next_page"))
        a.previous_page.triggered.connect(lambda: self._pages("previous_page"))
        a.first_page.triggered.connect(lambda: self._pages("first_page"))
        a.last_page.triggered.connect(lambda: self._pages("last_page"))
        a.go_to_page.triggered.connect(self.go_to_page_dialog)
        a.rotate_left.triggered.connect(lambda: self.rotate_view(-90))
        a.rotate_right.triggered.connect(lambda: self.rotate_view(90))
        a.next_document.triggered.connect(lambda: self._step_document(1))
        a.previous_document.triggered.connect(lambda: self._step_document(-1))
        a.shortcuts.triggered.connect(self.show_shortcuts)
        a.about.triggered.connect(self._about)
        for act in a:
            self.addAction(act)  # shortcuts work even when a dock or the toolbar is hidden
        self.reader.context_actions = [a.mark_figure, a.new_speaker, a.attribute_states, a.attribute_relays,
                                       a.mark_evidence, a.delete_figure]
        self.figures.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.figures.table.customContextMenuRequested.connect(self._figures_menu)

    def _connect_view(self, view) -> None:
        view.figureActivated.connect(lambda fid: self.set_current_figure(fid, "view"))

    # ------------------------------------------------------------------ state

    @property
    def state(self) -> DocumentState | None:
        return self.events.state if self.events is not None else None

    def _update_enabled(self) -> None:
        if not self._built and not hasattr(self, "doc_combo"):
            return
        has_doc = self.doc_id is not None
        for name in ("add_document", "save_copy", "mark_figure", "delete_figure", "next_figure", "previous_figure",
                     "edit_value", "edit_note", "new_speaker", "mark_evidence", "remove_attribution",
                     "merge_speakers", "delete_speaker", "find", "find_next", "find_previous",
                     *(f"verdict_{v}" for v in VERDICTS), *(f"attribute_{r}" for r in ATTRIBUTION_ROLES)):
            self.actions[name].setEnabled(has_doc)
        n = self.doc_combo.count()
        self.actions.next_document.setEnabled(n > 1)
        self.actions.previous_document.setEnabled(n > 1)
        self.doc_combo.setEnabled(n > 1)
        self.speakers.set_store_open(self.store is not None)
        self._update_view_actions()

    def _is_paged(self) -> bool:
        return self.pdf_view is not None and self.view is self.pdf_view and self.pdf_view.pdf.page_count() > 0

    def _update_view_actions(self) -> None:
        """Page actions only for a page-based document on screen (their keys then go to the reader)."""
        paged = self._is_paged()
        for name in ("next_page", "previous_page", "first_page", "last_page", "go_to_page", "rotate_left",
                     "rotate_right", "fit_width"):
            self.actions[name].setEnabled(paged)
        has_view = self.view is not self.empty_page and (paged or bool(self.reader.text))
        for name in ("zoom_in", "zoom_out", "zoom_reset"):
            self.actions[name].setEnabled(has_view)
        self._update_view_status()

    def _update_view_status(self, *_args) -> None:
        """The page indicator ("p. 3 / 352") and the zoom level in the status bar."""
        if not hasattr(self, "page_label"):
            return
        if self._is_paged():
            pdf = self.pdf_view.pdf
            self.page_label.setText(f"p. {pdf.current_page() + 1} / {pdf.page_count()}")
            self.page_label.show()
            self.zoom_label.setText(f"{round(pdf.zoom_factor() * 100)}%")
            self.zoom_label.show()
        elif self.reader.text and self.view is self.reader:
            self.page_label.hide()
            self.zoom_label.setText(f"{round(self.reader.zoom_percent())}%")
            self.zoom_label.show()
        else:
            self.page_label.hide()
            self.zoom_label.hide()

    # ------------------------------------------------------------------ zoom, pages

    def _zoom(self, step: int) -> None:
        self.view.zoom(step)
        self._update_view_status()

    def actual_size(self) -> None:
        """Text at its normal size; pages at 100%."""
        if self._is_paged():
            self.pdf_view.pdf.set_zoom(1.0)
        else:
            self.view.zoom(0)
        self._update_view_status()

    def fit_width(self) -> None:
        if self._is_paged():
            self.pdf_view.pdf.fit_width()
            self._update_view_status()

    def _pages(self, method: str) -> None:
        if self._is_paged():
            getattr(self.pdf_view.pdf, method)()
            self._update_view_status()

    def go_to_page(self, number: int) -> None:
        """Show page ``number`` (1-based, as the page indicator counts)."""
        if self._is_paged():
            self.pdf_view.pdf.go_to_page(number - 1)
            self._update_view_status()

    def go_to_page_dialog(self) -> None:
        if not self._is_paged():
            return
        pdf = self.pdf_view.pdf
        n = dialogs.ask_page(self, pdf.current_page() + 1, pdf.page_count())
        if n is not None:
            self.go_to_page(n)

    def rotate_view(self, degrees: int) -> None:
        """Turn the pages of the view (not the document) by ``degrees`` (multiples of 90)."""
        if self._is_paged():
            self.pdf_view.pdf.rotate_view(degrees)
            turned = self.pdf_view.pdf.view_rotation()
            self.status(f"Pages turned by {turned}°." if turned else "Pages upright again.")
            self._update_view_status()

    def status(self, message: str, ms: int = 6000) -> None:
        self.statusBar().showMessage(message, ms)

    def _notify(self, message: str) -> None:
        """A message above the document (until dismissed or another document is shown)."""
        self.notice.setProperty("pageNotice", False)
        self.notice.show_message(message)

    def _update_no_document(self) -> None:
        """With no document: a hint in the central area instead of an empty reader."""
        has_doc = self.store is not None and self.doc_id is not None
        shown = self.views.currentWidget()
        if has_doc or self.is_loading() or (shown is self.pdf_view and self.pdf_view is not None
                                            and self.pdf_view.pdf.page_count() > 0) or \
                (shown is self.reader and self.reader.text):
            if shown is self.empty_page and self.empty_page is not None:
                self.views.setCurrentWidget(self.view if self.view is not self.empty_page else self.reader)
            return
        if self.empty_page is None:
            page = QLabel(NO_DOCUMENT_HINT, self.views)
            page.setObjectName("noDocumentHint")
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page.setWordWrap(True)
            page.setStyleSheet("#noDocumentHint { color: palette(placeholder-text); font-size: 13pt; "
                               "background: palette(base); padding: 24px; }")
            self.views.addWidget(page)
            self.empty_page = page
        self.views.setCurrentWidget(self.empty_page)
        self.editor.show_figure(None)

    def _update_status(self) -> None:
        self.author_label.setText(f"You: {self.me or '—'}")
        if self.store is None:
            self.file_label.setText("No annotation file")
            self.counts_label.setText("")
            return
        self.file_label.setText(f"Saved to {self.store.path.name}")
        self.file_label.setToolTip(f"Every edit is saved at once to {self.store.path}")
        st = self.state
        if st is not None:
            n = len(st.figures)
            sp = len(self.speakers.model._speakers)
            self.counts_label.setText(f"{n} figure{'s' if n != 1 else ''} · {sp} speaker{'s' if sp != 1 else ''}")

    def _update_title(self) -> None:
        if self.store is None:
            self.setWindowTitle("annotator")
            return
        title = ""
        if self.state is not None:
            info = self.state.info
            title = info.title or info.source_name
        name = self.store.path.name
        self.setWindowTitle(f"{title} — {name} — annotator" if title else f"{name} — annotator")
        self.setWindowFilePath(str(self.store.path))

    # ------------------------------------------------------------------ opening

    def open_dialog(self) -> None:
        paths = dialogs.ask_open_paths(self, "Open a document or an annotation file")
        if paths:
            self.open_paths(paths)

    def add_document_dialog(self) -> None:
        if self.store is None:
            return self.open_dialog()
        paths = dialogs.ask_open_paths(self, "Add documents to this annotation file", dialogs.ADD_FILTER)
        for p in paths:
            self.add_document_path(p)

    def open_paths(self, paths) -> None:
        """Open the first file; further documents are added to the same annotation file."""
        paths = [Path(p) for p in paths]
        if not paths:
            return
        self.open_path(paths[0])
        for p in paths[1:]:
            if _is_annotation_path(p):
                self.status(f"{p.name} was not opened: open one annotation file at a time.")
                continue
            self.add_document_path(p)

    def open_path(self, path, password: str | None = None) -> None:
        """Open a document (its library annotation file is opened or created) or an annotation file."""
        self._queue.append((Path(path), "open", password))
        self._pump()

    def add_document_path(self, path, password: str | None = None) -> None:
        """Load a document and add it to the open annotation file."""
        self._queue.append((Path(path), "add", password))
        self._pump()

    def is_loading(self) -> bool:
        return self._job is not None or self._deferred or bool(self._queue)

    def _pump(self) -> None:
        if not self._built:
            self._build_rest()  # opening needs the whole window (a script opening before the first paint)
        while self._job is None and not self._deferred and self._queue:
            path, purpose, password = self._queue.pop(0)
            if purpose == "add" and self.store is None:
                purpose = "open"
            if _is_annotation_path(path):
                if purpose == "open":
                    self._open_annotation_file(path)
                else:
                    self.status(f"{path.name} is an annotation file: use File ▸ Open to open it.")
                continue
            self._start_job(path, purpose, password)

    def _start_job(self, path: Path, purpose: str, password: str | None) -> None:
        source = None
        if purpose == "open" and path.suffix.lower() in _PAGED_SUFFIXES:
            opened = self._open_pages_first(path, password)
            if opened is None:  # refused, or no password: nothing changed
                return
            if opened is not False:
                source, password = opened
        job = LoadJob(path, password, purpose, self, source=source)
        self._job = job
        label = f"Reading the text of {path.name}…" if source is not None else f"Opening {path.name}…"
        dlg = QProgressDialog(label, "Cancel", 0, 0, self)
        dlg.setObjectName("loadProgress")
        dlg.setWindowTitle("Opening")
        # while the pages of a big PDF are read, its first pages can already be read on screen
        dlg.setWindowModality(Qt.WindowModality.NonModal if source is not None else Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(400)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.canceled.connect(job.request_cancel)
        job.progressed.connect(lambda done, total: (dlg.setMaximum(max(total, 0)), dlg.setValue(min(done, total))))
        job.done.connect(self._job_done)
        self._progress = dlg
        self.status(f"Opening {path.name}…", 0)
        job.start()

    def _open_pages_first(self, path: Path, password: str | None):
        """Open a page-based document in the UI thread and show its first page at once; its text is
        then read by the worker. Returns ``(source, password)``; False when this path must go the
        ordinary way (no PDF view, not a page-based file); None when it was refused or cancelled."""
        from annotator.core.documents import PAGED_KINDS, read_file, sniff_kind

        view = self._pdf_view()
        if view is None:
            return False
        try:
            data = read_file(path)
        except UserError:
            return False  # the loader reports it
        kind = sniff_kind(path.name, data)
        if kind not in PAGED_KINDS:
            return False
        from annotator.core.pdf import open_pdf

        while True:
            try:
                source = open_pdf(data, password, name=path.name, kind=kind)
                break
            except PasswordRequired as exc:
                password = dialogs.ask_password(self, path.name, exc.wrong or password is not None)
                if password is None:
                    self.status(f"{path.name} was not opened (no password).")
                    self.openFailed.emit("no password")
                    return None
            except UserError as exc:
                self._fail(f"Cannot open {path.name}", str(exc))
                return None
        import hashlib

        self._close_store()
        self._reset_views()
        view.show_source(source, hashlib.sha256(data).hexdigest())
        self.views.setCurrentWidget(view)
        self.view = view
        self.setWindowTitle(f"{path.name} — annotator")
        return source, password

    def _reset_views(self) -> None:
        """Show no document (the annotation file was closed)."""
        self.figures.reset(None, self.me)
        self.highlights.reset(None, self.me)
        self.speakers.reset(None)
        self.editor.show_figure(None)
        self.notice.hide()
        self._page_notices = True
        self._fill_documents()
        self._update_title()
        self._update_status()

    def _finish_progress(self) -> None:
        if self._progress is not None:
            self._progress.canceled.disconnect()
            self._progress.reset()
            self._progress.hide()
            self._progress.deleteLater()
            self._progress = None

    def _job_done(self, job: LoadJob) -> None:
        self._finish_progress()
        self._job = None
        job.deleteLater()
        self.statusBar().clearMessage()
        try:
            err = job.error
            if err is not None and job.source is not None and self.pdf_view is not None:
                self.pdf_view.clear()  # its pages were shown while the text was read
            if job.cancelled or isinstance(err, Cancelled):
                self.status(f"Opening {job.path.name} was cancelled.")
                self.openFailed.emit("cancelled")
            elif isinstance(err, PasswordRequired):
                pw = dialogs.ask_password(self, job.path.name, err.wrong or job.password is not None)
                if pw is not None:
                    self._queue.insert(0, (job.path, job.purpose, pw))
                else:
                    self.status(f"{job.path.name} was not opened (no password).")
                    self.openFailed.emit("no password")
            elif isinstance(err, UserError):
                self._fail(f"Cannot open {job.path.name}", str(err))
            elif err is not None:
                self._fail(f"Cannot open {job.path.name}",
                           f"An unexpected error stopped the loading of {job.path.name}: "
                           f"{type(err).__name__}: {err}")
                raise err
            elif self._can_preview(job):
                # start-up: paint the article at once; the annotation file opens right after
                self._preview(job.document)
                self._deferred = True
                self._when_store_imported(lambda: self._finish_deferred(job))
            elif not self.use_document(job.document, job.purpose, job.path) and job.source is not None \
                    and self.store is None and self.pdf_view is not None:
                self.pdf_view.clear()
        finally:
            self._pump()
            if not self.is_loading():
                self._update_no_document()

    def _can_preview(self, job: LoadJob) -> bool:
        doc = job.document
        return job.purpose == "open" and self.store is None and getattr(doc, "pages", None) is None

    def _preview(self, document) -> None:
        from annotator.core.model import DocumentInfo

        info = DocumentInfo(id="", sha256=document.sha256, kind=document.kind, title=document.title,
                            source_name=document.source_name, metadata=dict(document.metadata or {}), pages=None,
                            paragraphs=[list(p) for p in document.paragraphs], author="", created="",
                            text_length=len(document.text))
        self.reader.set_document(info, document.text)
        self.views.setCurrentWidget(self.reader)
        self.view = self.reader
        self.repaint()  # now, before the annotation file is opened

    def _when_store_imported(self, then) -> None:
        """Run ``then`` once the annotation-file modules are imported (off the UI thread, so the
        article can be read and scrolled meanwhile)."""
        import sys

        if "annotator.core.project" in sys.modules:
            QTimer.singleShot(0, then)
            return
        from annotator.qt.loading import Warmup

        warm = Warmup()
        timer = QTimer(self)
        timer.setInterval(10)

        def poll():
            if warm.done():
                timer.stop()
                timer.deleteLater()
                then()

        timer.timeout.connect(poll)
        timer.start()

    def _finish_deferred(self, job: LoadJob) -> None:
        self._deferred = False
        if self._closed:
            return
        try:
            if not self.use_document(job.document, job.purpose, job.path) and self.store is None:
                self.reader.clear()
        finally:
            self._pump()
            if not self.is_loading():
                self._update_no_document()

    def _fail(self, title: str, message: str) -> None:
        dialogs.show_error(self, title, message)
        self._update_no_document()
        self.openFailed.emit(message)

    def use_document(self, document, purpose: str = "open", path: Path | None = None) -> bool:
        """Show a loaded document: in its own library annotation file ("open") or added to this one ("add")."""
        from annotator.core import project

        try:
            if purpose == "add" and self.store is not None:
                doc_id = project.add_document(self.store, document)
                self._fill_documents()
            else:
                store, doc_id = project.open_or_create_for_document(document, settings.library_dir(), self.me)
                self.set_store(store, None)
        except UserError as exc:
            self._fail(f"Cannot open {document.source_name}", str(exc))
            return False
        if getattr(document, "password", None):
            self._passwords[document.sha256] = document.password
        self.show_document(doc_id)
        if path is not None:
            settings.add_recent(path)
        self.focus_document()  # single-key shortcuts (M, A, E…) work at once
        warnings = list(getattr(document, "warnings", None) or [])
        if self._is_paged():
            # pages without a text layer are named above each of them while it is shown
            warnings = [w for w in warnings if "no text layer" not in w]
        if warnings:
            self._notify(" ".join(warnings))
            self.status(warnings[0], 10000)
        self._update_page_notice()
        self.opened.emit(doc_id)
        return True

    def _open_annotation_file(self, path: Path) -> None:
        from annotator.core import project

        try:
            store = project.open_annotation_file(path, self.me)
        except UserError as exc:
            self._fail(f"Cannot open {path.name}", str(exc))
            return
        docs = store.documents()
        self.set_store(store, None)
        settings.add_recent(path)
        if not docs:
            self._notify(f"{path.name} holds no document yet: use File ▸ Add document to this file.")
            self.opened.emit("")
            return
        self.show_document(docs[0].id)
        self.focus_document()
        self.opened.emit(docs[0].id)

    def set_store(self, store: AnnotationStore, doc_id: str | None) -> None:
        """Switch the window to another annotation file."""
        self._close_store()
        self.store = store
        store.author = self.me
        self.events = StoreEvents(store, self)
        self.events.documentReset.connect(self._document_reset)
        self.events.documentChanged.connect(self._document_changed)
        self.events.recordChanged.connect(self._record_changed)
        self.undo_stack.clear()
        self.speakers.reset(store)
        self.notice.hide()
        self._fill_documents()
        if doc_id:
            self.show_document(doc_id)
        self._update_title()
        self._update_status()
        self.storeChanged.emit()

    def _close_store(self) -> None:
        self.editor.commit_note()
        if self.events is not None:
            self.events.detach()
            self.events.deleteLater()
            self.events = None
        if self.store is not None:
            self.store.close()
            self.store = None
            heap.release()  # its records are garbage now: the collector may look at them again
        self.doc_id = None
        self._reset_current_figure()
        self.undo_stack.clear()
        self.storeChanged.emit()

    def _reset_current_figure(self) -> None:
        if self.current_figure_id is not None:
            self.current_figure_id = None
            self.currentFigureChanged.emit(None)

    def _fill_documents(self) -> None:
        self.doc_combo.clear()
        if self.store is not None:
            for info in self.store.documents():
                self.doc_combo.addItem(info.title or info.source_name, info.id)
                self.doc_combo.setItemData(self.doc_combo.count() - 1, info.source_name, Qt.ItemDataRole.ToolTipRole)
        if self.doc_id:
            self.doc_combo.setCurrentIndex(max(0, self.doc_combo.findData(self.doc_id)))
        self._update_enabled()

    def show_document(self, doc_id: str | None) -> None:
        """Show one document of the open annotation file."""
        if self.store is None or not doc_id:
            return
        self.editor.commit_note()
        self.doc_id = doc_id
        self._reset_current_figure()
        self.events.set_document(doc_id)  # -> _document_reset

    def _document_reset(self) -> None:
        st = self.state
        self.editor.show_figure(None)
        if st is None:
            self.view.clear()
            return
        self.view = self._view_for(st)
        self.figures.reset(st, self.me)
        self.highlights.reset(st, self.me)
        if len(st.figures) >= heap.BIG_BATCH:
            heap.keep_long_lived()  # the document's records stay while it is shown
        self.doc_combo.setCurrentIndex(max(0, self.doc_combo.findData(st.doc_id)))
        self._page_notices = True
        self._update_title()
        self._update_status()
        self._update_enabled()
        self._update_page_notice()

    def _view_for(self, st: DocumentState):
        """Put the right view in front and give it the document."""
        info = st.info
        view = self.reader
        if info.pages is not None:
            pdf = self._pdf_view()
            if pdf is not None:
                data = self.store.document_bytes(st.doc_id)
                password = self._passwords.get(info.sha256)
                while True:
                    try:
                        pdf.set_document(info, st.text, data, password)
                        view = pdf
                        if password:
                            self._passwords[info.sha256] = password
                        break
                    except PasswordRequired as exc:
                        password = dialogs.ask_password(self, info.source_name, exc.wrong or password is not None)
                        if password is None:
                            self._notify("Without the password the pages cannot be drawn: "
                                                     "the document's text is shown instead.")
                            break
                    except UserError as exc:
                        self._notify(f"{exc} The document's text is shown instead.")
                        break
        if view is self.reader:
            self.reader.set_document(info, st.text)
        self.views.setCurrentWidget(view)
        return view

    def _pdf_view(self):
        if self.pdf_view is None:
            try:
                from annotator.qt.pdf_adapter import PdfDocumentView

                view = PdfDocumentView(self.views)
            except ImportError:  # no PDF view installed: page-based documents show as text
                return None
            self.pdf_view = view
            self.views.addWidget(view)
            self._connect_view(view)
            view.message.connect(lambda m: self.status(m, 8000))
            view.pdf.pageChanged.connect(self._page_changed)
            view.pdf.zoomChanged.connect(self._update_view_status)
        return self.pdf_view

    def _page_changed(self, page: int) -> None:
        self._update_view_status()
        self._update_page_notice()

    def _update_page_notice(self) -> None:
        """While the current page has no text layer, say so above it (not on the pages that have one)."""
        if not self._built:
            return
        st = self.state
        showing = self.notice.property("pageNotice")
        if not self._is_paged() or st is None or not st.info.pages or not self._page_notices:
            if showing:
                self._hide_page_notice()
            return
        n = self.pdf_view.pdf.current_page()
        page = next((p for p in st.info.pages if p.get("number") == n), None)
        if page is not None and page.get("has_text") is False:
            message = f"Page {n + 1} has no text layer (it is probably a scan): its text cannot be selected or marked."
            if self.notice.text() != message:
                self.notice.show_message(message)
                self.status(message, 8000)
            self.notice.setProperty("pageNotice", True)
        elif showing:
            self._hide_page_notice()

    def _hide_page_notice(self) -> None:
        text = self.notice.text()
        self.notice.hide()
        if text and self.statusBar().currentMessage() == text:
            self.statusBar().clearMessage()

    def _notice_dismissed(self) -> None:
        if self.notice.property("pageNotice"):
            self._page_notices = False  # the user knows: no more page notices for this document
        self.notice.setProperty("pageNotice", False)

    def _step_document(self, step: int) -> None:
        n = self.doc_combo.count()
        if n > 1:
            i = (self.doc_combo.currentIndex() + step) % n
            self.show_document(self.doc_combo.itemData(i))

    # ------------------------------------------------------------------ events from the store

    def _highlights_changed(self, keys) -> None:
        self.view.set_highlights(self.highlights.highlights, keys)

    def _document_changed(self, change: Change) -> None:
        self.figures.on_change(change)
        if self.events is not None and not change.removed and not change.removed_attributions:
            # figures added or changed, announced in a turn of a spread-out flush: the highlights in the next
            # turn (until then the text draws what it drew: nothing the state lacks)
            self.events.then("highlights", functools.partial(self.highlights.on_change, change))
        else:
            self.highlights.on_change(change)
        if self.current_figure_id in change.removed:
            self._reset_current_figure()
            self.editor.show_figure(None)
        elif self.current_figure_id and (self.current_figure_id in change.updated or change.speakers or change.reset):
            self.editor.refresh()
        self._update_status()

    def _record_changed(self, table: str, op: str, rec) -> None:
        if not (op == "reload" and self.events is not None and self.events.batch_rest) or rec is not None:
            # a reload reloads it all: once per batch; records added, tombstoned or changed together (add_many,
            # delete_many, update_many: the payload says which) are counted each
            self.speakers.model.on_record(table, op, rec)
        if table == "speakers":
            self.speakers.refresh_details()
            self.figures.refill_filters()
            self._update_status()
        elif table == "documents":
            self._fill_documents()

    def _command_failed(self, exc: Exception) -> None:
        dialogs.show_error(self, "The edit could not be saved", str(exc))
        if self.events is not None and self.doc_id:
            self.events.set_document(self.doc_id)  # redraw from what the file holds

    # ------------------------------------------------------------------ current figure

    def set_current_figure(self, figure_id: str | None, origin: str = "") -> None:
        st = self.state
        if figure_id is not None and (st is None or figure_id not in st.figures):
            figure_id = None
        self.current_figure_id = figure_id
        self.editor.show_figure(figure_id)
        if origin != "table":
            self.figures.select(figure_id)
        if figure_id is not None and origin in ("table", "nav"):
            f = st.figures[figure_id]
            self.view.reveal(f.start, f.end, f.page)
        self.currentFigureChanged.emit(figure_id)

    def go_to_figure(self, figure_id: str) -> None:
        """Make a figure current: select its row, scroll to its highlight and select it."""
        self.set_current_figure(figure_id, "nav")

    def current_figure(self) -> Figure | None:
        st = self.state
        return st.figures.get(self.current_figure_id) if st is not None and self.current_figure_id else None

    def step_figure(self, step: int) -> None:
        st = self.state
        if st is None:
            return
        sel = self.view.selection()
        offset = sel.start if sel else 0
        fid = st.neighbour(self.current_figure_id, offset, step)
        if fid is None:
            self.status("No more figures in this direction.")
            return
        self.set_current_figure(fid, "nav")

    # ------------------------------------------------------------------ edits

    def _run(self, cmd: commands.StoreCommand) -> bool:
        try:
            commands.run(self.undo_stack, cmd)
        except UserError as exc:
            dialogs.show_error(self, "The edit could not be saved", str(exc))
            return False
        return True

    def _need_document(self) -> bool:
        if self.store is None or self.state is None:
            self.status("Open a document first.")
            return False
        return True

    def _need_figure(self) -> Figure | None:
        f = self.current_figure()
        if f is None:
            self.status("No figure selected: select text and press M, or pick a figure in the list.")
        return f

    def mark_figure(self) -> str | None:
        """Mark the selected text as a figure; returns its id."""
        from annotator.core import project

        if not self._need_document():
            return None
        st = self.state
        sel = self.view.selection()
        if sel is None:
            self.status("Select the figure's text first, then press M.")
            return None
        try:
            fig = project.figure_from_span(self.store, st.doc_id, st.text, sel.start, sel.end,
                                           page=sel.page, quads=sel.quads)
        except UserError as exc:
            self.status(str(exc))
            return None
        geo = self._geometry(fig.start, fig.end)
        if geo is not None:  # quads of the span as snapped to words
            fig = fig.replace(page=geo[0], quads=geo[1])
        for other in st.figures.values():
            if other.start == fig.start and other.end == fig.end:
                self.set_current_figure(other.id, "mark")
                self.status(f"“{fig.exact}” is already marked.")
                return other.id
        cmd = commands.AddRecords(self.store, [fig], f"mark “{_short(fig.exact)}”")
        if not self._run(cmd):
            return None
        added = cmd.records[0]
        self.set_current_figure(added.id, "mark")
        value = st.value_text(added)
        self.status(f"Marked “{added.exact}”" + (f" = {value} {added.unit or ''}".rstrip() if value else
                                                 " (no number read: type its value in the Figure panel)"))
        return added.id

    def update_figure(self, figure_id: str, merge: bool = False, **changes) -> bool:
        st = self.state
        if st is None or figure_id not in st.figures:
            return False
        f = st.figures[figure_id]
        if all(getattr(f, k) == v for k, v in changes.items()):
            return True
        what = ", ".join(changes)
        return self._run(commands.UpdateRecord(self.store, Figure, figure_id, changes,
                                               f"set {what} of “{_short(f.exact)}”", merge=merge))

    def set_verdict(self, verdict: str) -> None:
        f = self._need_figure()
        if f is not None and self.update_figure(f.id, verdict=verdict):
            self.status(f"“{f.exact}”: {verdict}")

    def delete_figure(self) -> None:
        f = self._need_figure()
        if f is None:
            return
        items = [(Attribution, a.id) for a in self.state.figure_attributions(f.id)] + [(Figure, f.id)]
        self._run(commands.DeleteRecords(self.store, items, f"delete “{_short(f.exact)}”"))

    # speakers

    def create_speaker(self, name: str, select: bool = True, context: str = "") -> str | None:
        """Create a speaker (or find the one with this name or alias); returns its id. Its kind is
        guessed from the name and ``context`` (the words around it): "MEK" is an organisation."""
        if self.store is None:
            return None
        name = " ".join(name.split())
        if not name:
            return None
        existing = self.store.find_speaker(name)
        if existing is not None:
            if select:
                self.speakers.select(existing.id)
            self.status(f"“{name}” is already a speaker" +
                        (f" (alias of {existing.name})." if existing.name.casefold() != name.casefold() else "."))
            return existing.id
        sp = Speaker(name=name, kind=self._guess_kind(name, context), author=self.me)
        if not self._run(commands.AddRecords(self.store, [sp], f"new speaker “{_short(name)}”")):
            return None
        if select:
            self.speakers.select(sp.id)
        self.status(f"New speaker “{name}”. Set its kind and role in the Speakers panel.")
        return sp.id

    def _selected_name(self) -> str | None:
        """The text selected in the document, if it is not a figure (a speaker's name)."""
        from annotator.core import project

        st = self.state
        sel = self.view.selection()
        if st is None or sel is None:
            return None
        span = project.snap_to_words(st.text, sel.start, sel.end)
        if span is None:
            return None
        for f in st.figures.values():
            if f.start == span[0] and f.end == span[1]:
                return None
        return " ".join(st.text[span[0]:span[1]].split()) or None

    def new_speaker_from_selection(self) -> str | None:
        if not self._need_document():
            return None
        name = self._selected_name()
        if not name:
            self.speakers_dock.show()
            self.speakers.new_name.setFocus()
            self.status("Type the speaker's name and press Enter (or select it in the text and press S).")
            return None
        return self.create_speaker(name, context=self._selection_context())

    def _selection_context(self) -> str:
        """The words before and after the selected text, within its sentence (to guess a speaker's kind)."""
        st = self.state
        sel = self.view.selection()
        if st is None or sel is None:
            return ""
        text = st.text
        before = text[max(0, sel.start - 60):sel.start]
        after = text[sel.end:sel.end + 30]
        for stop in (". ", "\n"):
            if stop in before:
                before = before.rsplit(stop, 1)[1]
            if stop in after:
                after = after.split(stop, 1)[0]
        return f"{before} {text[sel.start:sel.end]} {after}".strip()

    @staticmethod
    def _guess_kind(name: str, context: str = "") -> str:
        from annotator.core.attribution import guess_kind
        from annotator.core.model import SPEAKER_KINDS

        kind = guess_kind(name, context)
        return kind if kind in SPEAKER_KINDS and kind != "document" else "person"

    def update_speaker(self, speaker_id: str, **changes) -> bool:
        sp = self.store.get(Speaker, speaker_id) if self.store else None
        if sp is None:
            return False
        return self._run(commands.UpdateRecord(self.store, Speaker, speaker_id, changes,
                                               f"edit speaker “{_short(sp.name)}”"))

    def attribute(self, role: str = "states", use_text_selection: bool = True) -> str | None:
        """Attribute the current figure to a speaker with ``role``; returns the attribution id.

        The speaker is the name selected in the text (created when new), else the one
        selected in the Speakers panel.
        """
        if not self._need_document():
            return None
        f = self._need_figure()
        if f is None:
            return None
        st = self.state
        name = self._selected_name() if use_text_selection else None
        new_speaker = None
        if name:
            existing = self.store.find_speaker(name)
            if existing is not None:
                speaker_id = existing.id
            else:
                new_speaker = Speaker(name=name, kind=self._guess_kind(name, self._selection_context()),
                                      author=self.me)
                speaker_id = new_speaker.id
        else:
            ids = self.speakers.selected_ids()
            if len(ids) != 1:
                self.status("Select the speaker's name in the text, or one speaker in the Speakers panel.")
                return None
            speaker_id = ids[0]
        for a in st.figure_attributions(f.id):
            if a.speaker_id == speaker_id and a.role == role:
                self.editor.select_attribution(a.id)
                self.status("This attribution already exists.")
                return a.id
        att = Attribution(figure_id=f.id, speaker_id=speaker_id, role=role, author=self.me)
        records = ([new_speaker] if new_speaker else []) + [att]
        sp_name = new_speaker.name if new_speaker else (st.speaker(speaker_id).name if st.speaker(speaker_id) else "?")
        if not self._run(commands.AddRecords(self.store, records,
                                             f"{sp_name} {role} “{_short(f.exact)}”")):
            return None
        self.speakers.select(speaker_id)
        self.editor.select_attribution(att.id)
        self.status(f"{sp_name} {role} “{f.exact}”. Select the quote and press E to mark the evidence.")
        return att.id

    def _geometry(self, start: int, end: int):
        """(page, quads) of a span in the current view (PDF view), or None (article reader)."""
        geometry = getattr(self.view, "span_geometry", None)
        return geometry(start, end) if callable(geometry) else None

    def _target_attribution(self, f: Figure) -> Attribution | None:
        atts = self.state.figure_attributions(f.id)
        chosen = self.editor.selected_attribution()
        for a in atts:
            if a.id == chosen:
                return a
        return atts[-1] if atts else None

    def mark_evidence(self) -> None:
        from annotator.core import project

        if not self._need_document():
            return
        f = self._need_figure()
        if f is None:
            return
        att = self._target_attribution(f)
        if att is None:
            self.status("Attribute the figure to a speaker first (A), then mark the evidence (E).")
            return
        sel = self.view.selection()
        if sel is None:
            self.status("Select the quote or sentence that attributes the figure, then press E.")
            return
        try:
            fields = project.evidence_fields(self.state.text, sel.start, sel.end, page=sel.page, quads=sel.quads)
        except UserError as exc:
            self.status(str(exc))
            return
        geo = self._geometry(fields["evidence_start"], fields["evidence_end"])
        if geo is not None:
            fields["evidence_page"], fields["evidence_quads"] = geo
        elif self.state.info.pages:
            fields["evidence_page"] = self.state.info.page_of(fields["evidence_start"])
        if self.update_attribution(att.id, **fields):
            self.status(f"Evidence marked for “{f.exact}”.")

    def update_attribution(self, att_id: str, **changes) -> bool:
        att = self.store.get(Attribution, att_id) if self.store else None
        if att is None:
            return False
        if all(getattr(att, k) == v for k, v in changes.items()):
            return True
        label = "evidence" if "evidence_start" in changes else ", ".join(changes)
        return self._run(commands.UpdateRecord(self.store, Attribution, att_id, changes, f"set attribution {label}"))

    def remove_attribution(self, att_id: str | None = None) -> None:
        f = self._need_figure()
        if f is None:
            return
        if att_id is None:
            att_id = self.editor.selected_attribution()
            atts = self.state.figure_attributions(f.id)
            if att_id is None and len(atts) == 1:
                att_id = atts[0].id
        if att_id is None:
            self.status("Select the attribution to remove in the Figure panel.")
            return
        self._run(commands.DeleteRecords(self.store, [(Attribution, att_id)], f"remove attribution of “{_short(f.exact)}”"))

    def merge_selected_speakers(self) -> None:
        ids = self.speakers.selected_ids()
        if len(ids) != 2:
            self.status("Select exactly two speakers to merge (Ctrl+click).")
            return
        st = self.store
        labels = [(sid, st.get(Speaker, sid).name) for sid in ids]
        keep = dialogs.ask_merge_keep(self, labels)
        if keep is None:
            return
        gone = ids[1] if keep == ids[0] else ids[0]
        self.merge_speakers(keep, gone)

    def merge_speakers(self, keep_id: str, gone_id: str) -> bool:
        """Merge ``gone_id`` into ``keep_id`` (undoable)."""
        keep = self.store.get(Speaker, keep_id)
        gone = self.store.get(Speaker, gone_id)
        if keep is None or gone is None or keep_id == gone_id:
            return False
        ok = self._run(commands.MergeSpeakers(self.store, keep_id, gone_id,
                                              f"merge “{_short(gone.name)}” into “{_short(keep.name)}”"))
        if ok:
            self.speakers.select(keep_id)
            self.status(f"“{gone.name}” merged into “{keep.name}”.")
        return ok

    def delete_speaker(self, speaker_id: str) -> bool:
        sp = self.store.get(Speaker, speaker_id) if self.store else None
        if sp is None:
            return False
        items = [(Attribution, a.id) for a in self.store.attributions(speaker_id=speaker_id,
                                                                      statuses=("confirmed", "suggested"))]
        items.append((Speaker, speaker_id))
        return self._run(commands.DeleteRecords(self.store, items, f"delete speaker “{_short(sp.name)}”"))

    def delete_selected_speakers(self) -> None:
        ids = self.speakers.selected_ids()
        if not ids:
            self.status("Select a speaker in the Speakers panel first.")
            return
        self.undo_stack.beginMacro("delete speakers") if len(ids) > 1 else None
        try:
            for sid in ids:
                self.delete_speaker(sid)
        finally:
            if len(ids) > 1:
                self.undo_stack.endMacro()

    def undo(self) -> None:
        self.editor.commit_note()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.undo_stack.redo()

    # ------------------------------------------------------------------ other commands

    def save_copy_dialog(self) -> None:
        if self.store is None:
            return
        path = dialogs.ask_save_copy_path(self, self.store.path.stem + "-copy.annot")
        if path:
            self.save_copy(path)

    def save_copy(self, path) -> bool:
        """Write a copy of the annotation file (apply part of File ▸ Save a copy as…)."""
        from annotator.core import project

        self.editor.commit_note()
        try:
            dest = project.save_copy(self.store, path)
        except UserError as exc:
            dialogs.show_error(self, "Cannot save a copy", str(exc))
            return False
        self.status(f"Copy saved to {dest}.")
        return True

    def preferences_dialog(self) -> None:
        prefs = dialogs.ask_preferences(self)
        if prefs is not None:
            self.apply_preferences(**prefs)

    def apply_preferences(self, author: str | None = None, library_dir: str | None = None) -> None:
        dialogs.apply_preferences(author, library_dir)
        self.me = settings.author()
        if self.store is not None:
            self.store.author = self.me
        self._update_status()

    def copy_selection(self) -> None:
        st = self.state
        sel = self.view.selection()
        if st is not None and sel is not None:
            QGuiApplication.clipboard().setText(st.text[sel.start:sel.end])

    def open_find(self) -> None:
        sel = self.view.selection()
        text = self.state.text[sel.start:sel.end] if sel and self.state and sel.end - sel.start < 80 else ""
        self.find_bar.open_bar(text)

    def find_in_document(self, text: str, backward: bool = False, case_sensitive: bool = False) -> bool:
        return self.view.find(text, backward=backward, case_sensitive=case_sensitive)

    def _find_step(self, backward: bool) -> None:
        if not self.find_bar.field.text():
            self.open_find()
            return
        self.find_bar.show()
        self.find_bar.find(backward)

    def focus_document(self) -> None:
        self.view.setFocus()

    def _focus_figures(self) -> None:
        self.figures_dock.show()
        self.figures.table.setFocus()

    def _edit_value(self) -> None:
        if self._need_figure() is not None:
            self.editor_dock.show()
            self.editor.focus_value()

    def _edit_note(self) -> None:
        if self._need_figure() is not None:
            self.editor_dock.show()
            self.editor.focus_note()

    def _figures_menu(self, pos) -> None:
        menu = self.figures_context_menu()
        if menu is not None:
            menu.popup(self.figures.table.viewport().mapToGlobal(pos))

    def figures_context_menu(self) -> QMenu | None:
        """The figures list's right-click menu for the current figure (None: no current figure).
        A suggestion offers Accept / Reject first (when the suggestions feature is installed)."""
        f = self.current_figure()
        if f is None:
            return None
        menu = QMenu(self)
        menu.setObjectName("figuresContextMenu")
        if f.status == "suggested":
            review = []
            for name in ("accept_suggestion", "reject_suggestion"):
                try:
                    review.append(self.actions[name])
                except KeyError:
                    continue  # a window without the suggestions feature
            if review:
                menu.addActions(review)
                menu.addSeparator()
        menu.addAction(self.actions.edit_value)
        menu.addAction(self.actions.edit_note)
        menu.addMenu(self.menus["Figure/Set &verdict"])
        menu.addSeparator()
        menu.addAction(self.actions.delete_figure)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return menu

    def _show_figures_of(self, speaker_id: str) -> None:
        self.figures_dock.show()
        self.figures.filter_by(speaker_id=speaker_id)

    def show_shortcuts(self):
        return dialogs.show_shortcuts(self, shortcut_rows(self.actions))

    def _about(self) -> None:
        where = f"\n\nAnnotation file: {self.store.path}" if self.store is not None else ""
        dialogs.show_info(self, "About annotator",
                          f"annotator {__version__}\nMark figures, attribute them to speakers, review and merge.{where}")

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        for act in list(menu.actions()):
            if act.property("recent"):
                menu.removeAction(act)
                act.deleteLater()
        first = menu.actions()[0] if menu.actions() else None
        items = settings.recent_files()
        for i, p in enumerate(items):
            act = QAction(f"&{(i + 1) % 10} {Path(p).name}", menu)
            act.setProperty("recent", True)
            act.setToolTip(p)
            act.setStatusTip(p)
            act.triggered.connect(lambda _c=False, p=p: self.open_recent(p))
            menu.insertAction(first, act)
        if items and first is not None:
            sep = menu.insertSeparator(first)
            sep.setProperty("recent", True)
        self.actions.clear_recent.setEnabled(bool(items))

    def open_recent(self, path: str) -> None:
        if not Path(path).exists():
            settings.remove_recent(path)
            dialogs.show_error(self, "File not found", f"{path} no longer exists; it was removed from the list.")
            return
        self.open_path(path)

    def _quit(self) -> None:
        self.close()
        QApplication.quit()

    # ------------------------------------------------------------------ window events

    def dragEnterEvent(self, event) -> None:
        md = event.mimeData()
        if md.hasUrls() and any(u.isLocalFile() for u in md.urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        if not self._built:  # closed before its first frame was painted
            self._build_rest()
        self.editor.commit_note()
        self._queue.clear()
        if self._job is not None:
            self._job.request_cancel()
            self._job.wait()
            self._finish_progress()
            self._job = None
        settings.set_value("window/geometry", self.saveGeometry())
        settings.set_value("window/state", self.saveState())
        self._close_store()
        if commands.on_error == self._command_failed:
            commands.on_error = lambda exc: log.error("%s", exc)
        super().closeEvent(event)

    def _restore_window_state(self) -> None:
        """The docks and toolbars where the user left them (the window's size is restored by
        :meth:`_size_to_screen`, when it fits the screen)."""
        state = settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self._state_restored = self.restoreState(state) or self._state_restored

    _state_restored = False
    _shown_once = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shown_once and self._core_built and not self._state_restored:
            # resized between construction and showing (scripts, tests): the default dock sizes for
            # the size it is shown at
            self._default_dock_sizes()
        self._shown_once = True


#: files that may be page-based (PDF, EPUB, XPS...): their first page is shown before their text is read
_PAGED_SUFFIXES = (".pdf", ".epub", ".xps", ".oxps", ".cbz", ".fb2", ".mobi")


def _is_annotation_path(path: Path) -> bool:
    # the same test as annotator.core.project.is_annotation_path, without importing the store at start-up
    return path.suffix.lower() == ".annot"


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"

