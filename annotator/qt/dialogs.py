"""Every dialog of the app. ``ask_*`` and ``show_*`` functions are the only places that call
``exec()``; the ``apply_*`` functions do the work and are plain functions tests call.

The window calls these through the module (``dialogs.ask_password(...)``), so a test
replaces one with ``monkeypatch.setattr(dialogs, "ask_password", fake)`` and no modal
dialog ever blocks.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, \
    QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from annotator.qt import settings

DOCUMENT_FILTER = (
    "Documents and annotation files (*.pdf *.epub *.xps *.oxps *.cbz *.fb2 *.mobi *.html *.htm *.txt *.md "
    "*.markdown *.annot);;PDF (*.pdf);;Web pages (*.html *.htm);;Text and Markdown (*.txt *.md *.markdown);;"
    "Annotation files (*.annot);;All files (*)"
)
ADD_FILTER = (
    "Documents (*.pdf *.epub *.xps *.oxps *.cbz *.fb2 *.mobi *.html *.htm *.txt *.md *.markdown);;All files (*)"
)
ANNOT_FILTER = "Annotation files (*.annot)"

# --------------------------------------------------------------------------- messages


#: messages are at least this wide (and as wide as their title), so a title is never cut ("Cannot ope…")
MESSAGE_MIN_WIDTH = 420


def message_box(parent: QWidget | None, icon, title: str, message: str) -> QMessageBox:
    """A message box wide enough for its title and a readable line of its message."""
    from PySide6.QtWidgets import QSizePolicy, QSpacerItem

    box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    title_w = box.fontMetrics().horizontalAdvance(title) + 140  # the title bar's buttons and margins
    width = max(MESSAGE_MIN_WIDTH, min(title_w, 900))
    # QMessageBox sizes itself from its label: a spacer in its grid sets the least width
    lay = box.layout()
    lay.addItem(QSpacerItem(width, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding),
                lay.rowCount(), 0, 1, lay.columnCount())
    return box


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """A modal error message (tests replace this to capture the message)."""
    message_box(parent, QMessageBox.Icon.Warning, title, message).exec()


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    message_box(parent, QMessageBox.Icon.Information, title, message).exec()


# --------------------------------------------------------------------------- author


def ask_author(parent: QWidget | None, current: str = "") -> str | None:
    """Ask the user's name (first start, or Preferences). None when cancelled."""
    name, ok = QInputDialog.getText(
        parent,
        "Your name",
        "Your name is shown on the figures and speakers you mark, so colleagues and reviewers\n"
        "know who did what. You can change it later in File ▸ Preferences.",
        QLineEdit.EchoMode.Normal,
        current,
    )
    return name.strip() if ok and name.strip() else None


def apply_author(name: str) -> None:
    settings.set_author(name)


def ensure_author(parent: QWidget | None) -> str:
    """The user's name, asked once and kept in the settings."""
    name = settings.author()
    if not name:
        asked = ask_author(parent)
        name = asked or os.environ.get("USER") or os.environ.get("USERNAME") or "anonymous"
        apply_author(name)
    return name


# --------------------------------------------------------------------------- files


def ask_open_paths(parent: QWidget | None, title: str = "Open", filters: str = DOCUMENT_FILTER) -> list[str]:
    start = settings.value("last_dir", "") or str(Path.home())
    paths, _ = QFileDialog.getOpenFileNames(parent, title, str(start), filters)
    if paths:
        settings.set_value("last_dir", str(Path(paths[0]).parent))
    return paths


def ask_save_copy_path(parent: QWidget | None, suggested: str) -> str | None:
    start = settings.value("last_dir", "") or str(Path.home())
    path, _ = QFileDialog.getSaveFileName(parent, "Save a copy of the annotation file",
                                          str(Path(str(start)) / suggested), ANNOT_FILTER)
    if not path:
        return None
    if not path.lower().endswith(".annot"):
        path += ".annot"
    return path


def ask_password(parent: QWidget | None, name: str, wrong: bool) -> str | None:
    """Ask the password of an encrypted document; ``wrong`` says the last one was refused."""
    text = (f"The password for “{name}” is wrong. Try again:" if wrong
            else f"“{name}” is protected by a password. Enter it to open the document:")
    pw, ok = QInputDialog.getText(parent, "Password required", text, QLineEdit.EchoMode.Password)
    return pw if ok else None


def ask_page(parent: QWidget | None, current: int, count: int) -> int | None:
    """A page number (1-based) to go to, or None when cancelled."""
    n, ok = QInputDialog.getInt(parent, "Go to page", f"Page (1–{count}):", current, 1, max(1, count), 1)
    return n if ok else None


# --------------------------------------------------------------------------- speakers


def ask_merge_keep(parent: QWidget | None, names: list[tuple[str, str]]) -> str | None:
    """Which of two speakers (id, label) to keep; the other is merged into it. None when cancelled."""
    labels = [label for _id, label in names]
    choice, ok = QInputDialog.getItem(
        parent, "Merge speakers",
        "Keep which speaker? The other one's names become aliases and its attributions move to it.",
        labels, 0, False,
    )
    if not ok:
        return None
    return names[labels.index(choice)][0]


# --------------------------------------------------------------------------- preferences


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None, author: str, library_dir: str):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        form = QFormLayout()
        self.author = QLineEdit(author, self)
        self.author.setToolTip("Shown on the figures, speakers and attributions you create.")
        self.library = QLineEdit(library_dir, self)
        self.library.setToolTip("Folder where the annotation file of each opened document is kept.")
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.library, 1)
        row.addWidget(browse)
        form.addRow("Your name:", self.author)
        form.addRow("Annotation folder:", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def _browse(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "Annotation folder", self.library.text())
        if d:
            self.library.setText(d)


def ask_preferences(parent: QWidget | None) -> dict | None:
    dlg = PreferencesDialog(parent, settings.author(), str(settings.library_dir()))
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return {"author": dlg.author.text().strip(), "library_dir": dlg.library.text().strip()}


def apply_preferences(author: str | None = None, library_dir: str | None = None) -> None:
    if author:
        settings.set_author(author)
    if library_dir:
        settings.set_library_dir(library_dir)


# --------------------------------------------------------------------------- help


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard Shortcuts: generated from the actions (non-modal)."""

    def __init__(self, parent: QWidget | None, rows: list[tuple[str, str, str, str]]):
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(rows), 4, self)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels(["Menu", "Action", "Shortcut", "What it does"])
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                item = QTableWidgetItem(v)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                table.setItem(r, c, item)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        self.table = table
        note = QLabel("Single-key shortcuts work while the document or a list has the keyboard focus "
                      "(not while you type in a field).", self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(table)
        lay.addWidget(note)
        lay.addWidget(buttons)
        self.resize(900, 600)


def show_shortcuts(parent: QWidget | None, rows: list[tuple[str, str, str, str]]) -> ShortcutsDialog:
    dlg = ShortcutsDialog(parent, rows)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.show()
    return dlg
