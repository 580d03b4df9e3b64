"""Starting the desktop app: ``run_gui(argv)`` (``annotator [FILE…]``, ``python main.py [FILE…]``)."""

from __future__ import annotations

import sys

from annotator import SAMPLE_ARTICLE


def make_window(deferred: bool = False):
    """The main window as the app builds it: with every feature installed (suggestions, checks,
    provenance, review, merge, agreement, export) and their actions in the menus and in
    Help ▸ Keyboard shortcuts. ``deferred``: see :class:`~annotator.qt.main_window.MainWindow`."""
    from annotator.qt.main_window import MainWindow

    return MainWindow(deferred=deferred, features=True)


def start_session(win, paths) -> None:
    """Once the window is up: ask the user's name on the first start (over the window, so they see
    what it is for), then open ``paths``. Every record the user makes carries that name."""
    from annotator.qt import dialogs, settings

    if not settings.author():
        win.apply_preferences(author=dialogs.ensure_author(win))
    win.open_paths(paths)


def run_gui(argv: list[str] | None = None) -> int:
    """Start the app; open FILE arguments (documents or ``.annot`` files) or, with none, the sample article."""
    from PySide6.QtWidgets import QApplication

    from annotator.qt import settings

    argv = list(sys.argv[1:] if argv is None else argv)
    files = [a for a in argv if not a.startswith("-")]
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "annotator",
                                                   *[a for a in argv if a.startswith("-")]])
    app.setOrganizationName(settings.ORG)
    app.setApplicationName(settings.APP)
    app.setApplicationDisplayName("annotator")
    # the first frame (menu bar, reader) is painted before the rest of the window is built and
    # before anything is loaded; a small text file (the sample) is in that frame already
    win = make_window(deferred=True)
    paths = files or [SAMPLE_ARTICLE]
    win.preview_path(paths[0])
    win.when_ready(lambda: start_session(win, paths))
    win.show()
    return app.exec()


def main() -> int:
    return run_gui(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
