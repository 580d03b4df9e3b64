"""Starting the desktop app: ``run_gui(argv)`` (``annotator [FILE…]``, ``python main.py [FILE…]``)."""

from __future__ import annotations

import sys

from annotator import SAMPLE_ARTICLE


def run_gui(argv: list[str] | None = None) -> int:
    """Start the app; open FILE arguments (documents or ``.annot`` files) or, with none, the sample article."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.qt import dialogs, settings
    from annotator.qt.main_window import MainWindow

    argv = list(sys.argv[1:] if argv is None else argv)
    files = [a for a in argv if not a.startswith("-")]
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "annotator",
                                                   *[a for a in argv if a.startswith("-")]])
    app.setOrganizationName(settings.ORG)
    app.setApplicationName(settings.APP)
    app.setApplicationDisplayName("annotator")
    dialogs.ensure_author(None)
    win = MainWindow()
    win.show()
    # the window paints first; the document loads right after, off the UI thread
    QTimer.singleShot(0, lambda: win.open_paths(files or [SAMPLE_ARTICLE]))
    return app.exec()


def main() -> int:
    return run_gui(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
