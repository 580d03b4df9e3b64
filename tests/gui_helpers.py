"""Helpers shared by the GUI tests (driving the real main window offscreen)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.qt import dialogs


def open_and_wait(qtbot, win, path, timeout: int = 10000) -> None:
    win.open_path(path)
    qtbot.waitUntil(lambda: not win.is_loading(), timeout=timeout)


def span_of(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i, i + len(needle)


def qt_pos(text: str, cp: int) -> int:
    """Qt (UTF-16) position of code point ``cp``, computed independently of the app."""
    return len(text[:cp].encode("utf-16-le")) // 2


def background_at_qt(win, pos: int):
    """Background colour name drawn on the character starting at Qt position ``pos`` ('' when none)."""
    cur = QTextCursor(win.reader.edit.document())
    cur.setPosition(pos + 1)
    fmt = cur.charFormat()
    return fmt.background().color().name() if fmt.background().style() != Qt.BrushStyle.NoBrush else ""


def press(qtbot, win, key: str) -> None:
    """Press a key with the keyboard focus in the document view (as a user would)."""
    target = win.view.focusProxy() or win.view
    target.setFocus()
    qtbot.keyClick(target, key)


def select(win, needle: str, nth: int = 0) -> tuple[int, int]:
    s, e = span_of(win.state.text, needle, nth)
    win.view.select_span(s, e)
    return s, e


class Messages:
    """Captures every error message the window would show."""

    def __init__(self, monkeypatch):
        self.shown: list[tuple[str, str]] = []
        monkeypatch.setattr(dialogs, "show_error", lambda _parent, title, msg: self.shown.append((title, msg)))
        monkeypatch.setattr(dialogs, "show_info", lambda _parent, title, msg: self.shown.append((title, msg)))

    @property
    def texts(self) -> list[str]:
        return [m for _t, m in self.shown]


def library_files(settings_dir: Path) -> dict[str, bytes]:
    lib = settings_dir / "library"
    if not lib.exists():
        return {}
    return {p.name: p.read_bytes() for p in sorted(lib.iterdir())}
