"""The user's settings (QSettings, INI format): author name, library folder, recent files, window state.

Every read goes through :func:`settings`, so tests can point the whole app at a
temporary folder with ``QSettings.setPath`` and never touch the real settings.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

ORG = "annotator"
APP = "annotator"
MAX_RECENT = 10


def settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG, APP)


def _str(key: str, default: str = "") -> str:
    v = settings().value(key, default)
    return default if v is None else str(v)


def author() -> str:
    """The user's name, shown on their annotations ("" until asked)."""
    return _str("author").strip()


def set_author(name: str) -> None:
    settings().setValue("author", name.strip())


def default_library_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if not base:
        base = str(Path.home() / ".local" / "share" / APP)
    return Path(base) / "annotations"


def library_dir() -> Path:
    """Folder holding the annotation file of each opened document."""
    v = _str("library_dir").strip()
    return Path(v) if v else default_library_dir()


def set_library_dir(path: str | os.PathLike) -> None:
    settings().setValue("library_dir", str(path))


def recent_files() -> list[str]:
    raw = _str("recent_files", "[]")
    try:
        items = json.loads(raw)
    except ValueError:
        return []
    return [str(x) for x in items if isinstance(x, str)][:MAX_RECENT] if isinstance(items, list) else []


def add_recent(path: str | os.PathLike) -> None:
    p = str(Path(path).resolve())
    items = [x for x in recent_files() if x != p]
    settings().setValue("recent_files", json.dumps([p, *items][:MAX_RECENT]))


def remove_recent(path: str | os.PathLike) -> None:
    p = str(Path(path).resolve())
    settings().setValue("recent_files", json.dumps([x for x in recent_files() if x != p]))


def clear_recent() -> None:
    settings().setValue("recent_files", "[]")


def value(key: str, default=None):
    return settings().value(key, default)


def set_value(key: str, v) -> None:
    settings().setValue(key, v)
