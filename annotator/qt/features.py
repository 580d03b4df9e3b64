"""The review, merge, agreement and export features, installed on a main window.

Importing this module registers their actions (it must happen before the window is
built, so the window's menus and shortcut list include them); :func:`install_all` then
adds their docks and connects their handlers::

    from annotator.qt import features      # before MainWindow()
    win = MainWindow()
    features.install_all(win)
"""

from __future__ import annotations

from annotator.qt import agreement_view, export_ui, merge_ui, review

MODULES = (review, merge_ui, agreement_view, export_ui)


def install_all(window) -> None:
    """Install every feature on ``window`` (idempotent).

    A window that installs them while it is being built restores its saved layout afterwards
    itself; on a window already built (``window.ready()``), the saved layout is applied again
    here so the Review, Merge review and Agreement docks come back where the user left them.
    """
    from PySide6.QtCore import QByteArray

    from annotator.qt import settings

    for mod in MODULES:
        mod.install(window)
    ready = getattr(window, "ready", None)
    if callable(ready) and not ready():
        return  # the window restores its layout at the end of its build
    state = settings.value("window/state")
    if isinstance(state, QByteArray) and not state.isEmpty():
        window.restoreState(state)


__all__ = ["MODULES", "install_all"]
