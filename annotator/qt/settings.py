"""The user's settings (QSettings, INI format): author name, library folder, recent files, window state.

Every read goes through :func:`settings`, so tests, benchmarks and scripts can point the whole app
at a temporary folder (:func:`use_folder`) and never touch the real settings.
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


def use_folder(base: Path, author: str) -> None:
    """Keep every setting (and Qt's standard locations) under ``base``, starting empty but for the
    user's name and a library folder ``base/library``: for tests, benchmarks and scripts."""
    QStandardPaths.setTestModeEnabled(True)
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(base / "config"))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(base / "system"))
    s = settings()
    s.clear()
    s.setValue("author", author)
    s.setValue("library_dir", str(base / "library"))
    s.sync()


def _str(key: str, default: str = "") -> str:
    v = settings().value(key, default)
    return default if v is None else str(v)


def author() -> str:
    """The user's name, shown on their annotations ("" until asked)."""
    return _str("author").strip()


def set_author(name: str) -> None:
    settings().setValue("author", name.strip())


def _data_home() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base) if base else Path.home() / ".local" / "share"


def default_library_dir() -> Path:
    """``<data folder>/annotator/annotations`` (e.g. ``~/.local/share/annotator/annotations``)."""
    return _data_home() / APP / "annotations"


def _legacy_library_dir() -> Path:
    # before 0.1.1 the default was AppDataLocation, which already ends in <org>/<app>: annotator/annotator
    return _data_home() / ORG / APP / "annotations"


def library_dir() -> Path:
    """Folder holding the annotation file of each opened document: the one set in the preferences,
    else the default one (or the old default folder, while it holds annotation files and the new
    one does not exist)."""
    v = _str("library_dir").strip()
    if v:
        return Path(v)
    new = default_library_dir()
    old = _legacy_library_dir()
    if not new.exists() and old.is_dir() and any(old.glob("*.annot")):
        return old
    return new


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
