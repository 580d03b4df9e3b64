"""Every action of the main window, defined in one place.

Each action has an objectName (its key here), a text, one or more shortcuts, a
tooltip and the menu it sits in. The main window builds its menus and toolbar from
:data:`SPECS` and connects the handlers; Help ▸ Keyboard Shortcuts is generated from
the same list (:func:`shortcut_rows`). Later features add their own specs with
:func:`register` before the window is built.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence


@dataclass(frozen=True)
class ActionSpec:
    name: str  # objectName
    text: str  # menu text, with & mnemonic
    shortcuts: tuple[str, ...]  # QKeySequence portable strings; the first is shown in menus
    tip: str  # tooltip and status tip
    menu: str  # "File", "Edit", "Figure", "Figure/Set verdict", "Speakers", "View", "Help"
    group: int = 0  # a separator is drawn between groups of a menu
    toolbar: bool = False
    checkable: bool = False


def _s(*keys: str) -> tuple[str, ...]:
    return keys


SPECS: list[ActionSpec] = [
    # File
    ActionSpec("open", "&Open…", _s("Ctrl+O"),
               "Open a document (PDF, web page, text, Markdown) or an annotation file (.annot).", "File", 0, True),
    ActionSpec("clear_recent", "&Clear recent list", _s("Ctrl+Alt+Shift+R"),
               "Forget the recently opened files.", "File/Open &Recent", 9),
    ActionSpec("add_document", "&Add document to this file…", _s("Ctrl+Shift+O"),
               "Add another document to the open annotation file.", "File", 0),
    ActionSpec("save_copy", "Save a &copy as…", _s("Ctrl+Shift+S"),
               "Write a copy of the annotation file to share with a colleague (every edit is already saved).",
               "File", 1),
    ActionSpec("preferences", "&Preferences…", _s("Ctrl+,"), "Your name and the folder of annotation files.",
               "File", 2),
    ActionSpec("close_window", "&Close window", _s("Ctrl+W"), "Close this window (everything is saved).", "File", 3),
    ActionSpec("quit", "&Quit", _s("Ctrl+Q"), "Quit annotator (everything is saved).", "File", 3),
    # Edit
    ActionSpec("undo", "&Undo", _s("Ctrl+Z"), "Undo the last edit.", "Edit", 0),
    ActionSpec("redo", "&Redo", _s("Ctrl+Shift+Z", "Ctrl+Y"), "Redo the last undone edit.", "Edit", 0),
    ActionSpec("copy", "&Copy", _s("Ctrl+C"), "Copy the selected text.", "Edit", 1),
    ActionSpec("find", "&Find…", _s("Ctrl+F"), "Find text in the document.", "Edit", 2, True),
    ActionSpec("find_next", "Find &next", _s("F3", "Ctrl+G"), "Go to the next match.", "Edit", 2),
    ActionSpec("find_previous", "Find &previous", _s("Shift+F3", "Ctrl+Shift+G"), "Go to the previous match.",
               "Edit", 2),
    # Figure
    ActionSpec("mark_figure", "&Mark figure", _s("M", "Ctrl+M"),
               "Mark the selected text as a figure (snapped to whole words).", "Figure", 0, True),
    ActionSpec("delete_figure", "&Delete figure", _s("Del"), "Delete the current figure and its attributions.",
               "Figure", 0),
    ActionSpec("next_figure", "&Next figure", _s("Alt+Down"), "Go to the next figure in the document.", "Figure", 1),
    ActionSpec("previous_figure", "&Previous figure", _s("Alt+Up"), "Go to the previous figure in the document.",
               "Figure", 1),
    ActionSpec("edit_value", "Edit &value", _s("F2"), "Correct the parsed value of the current figure.", "Figure", 2),
    ActionSpec("edit_note", "Edit n&ote", _s("Ctrl+E"), "Write a note on the current figure.", "Figure", 2),
    ActionSpec("verdict_unchecked", "&Unchecked", _s("0"), "Verdict: not checked yet.", "Figure/Set &verdict"),
    ActionSpec("verdict_accurate", "&Accurate", _s("1"), "Verdict: the figure matches the best available evidence.",
               "Figure/Set &verdict"),
    ActionSpec("verdict_inaccurate", "&Inaccurate", _s("2"),
               "Verdict: the figure is wrong: the evidence gives a different number.", "Figure/Set &verdict"),
    ActionSpec("verdict_misleading", "&Misleading", _s("3"),
               "Verdict: the number is right but presented so that it gives a false impression.",
               "Figure/Set &verdict"),
    ActionSpec("verdict_unverifiable", "Un&verifiable", _s("4"),
               "Verdict: no reliable evidence can confirm or refute the figure.", "Figure/Set &verdict"),
    # Speakers
    ActionSpec("new_speaker", "&New speaker from selection", _s("S"),
               "Create a speaker named by the selected text (or type a name in the Speakers panel).", "Speakers", 0,
               True),
    ActionSpec("attribute_states", "Attribute: &states", _s("A"),
               "The selected speaker (or the name selected in the text) states the current figure.", "Speakers", 1,
               True),
    ActionSpec("attribute_relays", "Attribute: &relays", _s("R"),
               "The selected speaker relays the current figure (reports what someone else stated).", "Speakers", 1),
    ActionSpec("attribute_confirms", "Attribute: &confirms", _s("C"),
               "The selected speaker confirms the current figure.", "Speakers", 1),
    ActionSpec("attribute_disputes", "Attribute: &disputes", _s("D"),
               "The selected speaker disputes the current figure.", "Speakers", 1),
    ActionSpec("mark_evidence", "Mark &evidence", _s("E"),
               "Mark the selected quote or sentence as the evidence of the current attribution.", "Speakers", 2,
               True),
    ActionSpec("remove_attribution", "Re&move attribution", _s("Alt+Del"),
               "Remove the selected attribution of the current figure.", "Speakers", 2),
    ActionSpec("merge_speakers", "Mer&ge speakers…", _s("Ctrl+Shift+M"),
               "Merge the two selected speakers into one (names become aliases).", "Speakers", 3),
    ActionSpec("delete_speaker", "De&lete speaker", _s("Ctrl+Shift+Del"),
               "Delete the selected speaker and its attributions.", "Speakers", 3),
    # View
    ActionSpec("show_figure_editor", "&Figure editor", _s("Ctrl+1"), "Show or hide the figure editor.", "View", 0,
               checkable=True),
    ActionSpec("show_speakers", "&Speakers", _s("Ctrl+2"), "Show or hide the speakers panel.", "View", 0,
               checkable=True),
    ActionSpec("show_figures", "Figures &list", _s("Ctrl+3"), "Show or hide the list of figures.", "View", 0,
               checkable=True),
    ActionSpec("focus_figures", "Go to figures list", _s("Ctrl+L"), "Move the keyboard focus to the figures list.",
               "View", 1),
    ActionSpec("focus_document", "Go to document", _s("Ctrl+D"), "Move the keyboard focus to the document.", "View", 1),
    ActionSpec("zoom_in", "Zoom &in", _s("Ctrl++", "Ctrl+="), "Larger text or pages.", "View", 2),
    ActionSpec("zoom_out", "Zoom &out", _s("Ctrl+-"), "Smaller text or pages.", "View", 2),
    ActionSpec("zoom_reset", "&Actual size", _s("Ctrl+0"),
               "Text at its normal size; PDF pages at 100% (their printed size).", "View", 2),
    ActionSpec("fit_width", "Fit &width", _s("W"), "PDF pages as wide as the view (kept when the window is resized).",
               "View", 2),
    # pages (PDF and other page-based documents); in the page view PgDown, PgUp, Home and End work too
    ActionSpec("next_page", "Next pa&ge", _s("Ctrl+Shift+PgDown"), "Go to the next page (PgDown in the page view).",
               "View/&Pages", 0),
    ActionSpec("previous_page", "Previous pag&e", _s("Ctrl+Shift+PgUp"),
               "Go to the previous page (PgUp in the page view).", "View/&Pages", 0),
    ActionSpec("first_page", "&First page", _s("Ctrl+Home"), "Go to the first page (Home in the page view).",
               "View/&Pages", 0),
    ActionSpec("last_page", "&Last page", _s("Ctrl+End"), "Go to the last page (End in the page view).",
               "View/&Pages", 0),
    ActionSpec("go_to_page", "&Go to page…", _s("Ctrl+J"), "Jump to a page by its number.", "View/&Pages", 1),
    ActionSpec("rotate_left", "Rotate view &left", _s("Ctrl+Left"),
               "Turn the pages a quarter turn anticlockwise (for tables printed sideways).", "View/&Pages", 2),
    ActionSpec("rotate_right", "Rotate view &right", _s("Ctrl+Right"),
               "Turn the pages a quarter turn clockwise (for tables printed sideways).", "View/&Pages", 2),
    ActionSpec("next_document", "Ne&xt document", _s("Ctrl+PgDown"), "Show the next document of this file.", "View",
               3),
    ActionSpec("previous_document", "Pre&vious document", _s("Ctrl+PgUp"),
               "Show the previous document of this file.", "View", 3),
    # Help
    ActionSpec("shortcuts", "&Keyboard shortcuts", _s("F1"), "List every action and its keyboard shortcut.", "Help",
               0),
    ActionSpec("about", "&About annotator", _s("Shift+F1"), "Version and the annotation file in use.", "Help", 0),
]


def register(spec: ActionSpec) -> None:
    """Add an action spec (later features); call before the main window is built."""
    if any(s.name == spec.name for s in SPECS):
        raise ValueError(f"action {spec.name!r} already exists")
    SPECS.append(spec)


class Actions:
    """The QActions of one window, by name (``actions["mark_figure"]`` or ``actions.mark_figure``)."""

    def __init__(self, parent: QObject, specs: list[ActionSpec] | None = None):
        self.parent = parent
        self.specs: list[ActionSpec] = []
        self._by_name: dict[str, QAction] = {}
        for spec in specs if specs is not None else SPECS:
            self.add(spec)

    def add(self, spec: ActionSpec) -> QAction:
        """Make the action of ``spec`` (a feature installed after the window was built); it is listed in
        Help ▸ Keyboard shortcuts like the others. Putting it in a menu is the caller's part. An action
        of that name made already is returned as it is."""
        if spec.name in self._by_name:
            return self._by_name[spec.name]
        a = QAction(spec.text, self.parent)
        a.setObjectName(spec.name)
        a.setShortcuts([QKeySequence(k) for k in spec.shortcuts])
        a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        keys = ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in spec.shortcuts)
        a.setToolTip(f"{spec.tip} ({keys})" if keys else spec.tip)
        a.setStatusTip(spec.tip)
        a.setCheckable(spec.checkable)
        self.specs.append(spec)
        self._by_name[spec.name] = a
        return a

    def __getitem__(self, name: str) -> QAction:
        return self._by_name[name]

    def __getattr__(self, name: str) -> QAction:
        try:
            return self.__dict__["_by_name"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self):
        return iter(self._by_name.values())

    def spec(self, name: str) -> ActionSpec:
        return next(s for s in self.specs if s.name == name)


def shortcut_rows(actions: Actions) -> list[tuple[str, str, str, str]]:
    """(menu, action, shortcuts, description) for every action, in menu order (Help ▸ Keyboard Shortcuts)."""
    rows = []
    for spec in actions.specs:
        a = actions[spec.name]
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts())
        menu = " ▸ ".join(part.replace("&", "") for part in spec.menu.split("/"))
        rows.append((menu, spec.text.replace("&", "").rstrip("…"), keys, spec.tip))
    return rows
