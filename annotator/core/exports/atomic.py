"""Write a file all at once or not at all.

The data goes to a temporary file in the destination folder, is flushed to disk
(``fsync``), then renamed over the destination (``os.replace``, atomic on one file
system). On any failure the temporary file is removed and the destination is left
as it was: a reader never sees a half-written export, and a full disk never
destroys an earlier export of the same name.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from annotator.core.errors import ExportError

Writer = Callable[[BinaryIO], None]


def _folder_problem(path: Path) -> str | None:
    """A clear sentence when ``path`` cannot even be attempted, else None."""
    if path.name in ("", ".", ".."):
        return f"“{path}” is not a file name."
    if path.is_dir():
        return f"“{path}” is a folder: choose a file name inside it."
    folder = path.parent
    # walk up to the first part that exists, to tell "missing" from "not a folder"
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        return f"Cannot write “{path.name}”: “{probe}” is a file, not a folder."
    if not folder.exists():
        return f"Cannot write “{path.name}”: the folder “{folder}” does not exist."
    return None


def describe_os_error(exc: OSError, path: Path) -> str:
    """A user-facing sentence for a failed write of ``path``."""
    code = exc.errno
    name = path.name
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        return (
            f"The disk is full: “{name}” could not be written. Nothing was changed; "
            "free some space and try again."
        )
    if code in (errno.EACCES, errno.EPERM):
        return f"Cannot write “{name}”: permission denied in “{path.parent}”. Choose another folder."
    if code == errno.EROFS:
        return f"Cannot write “{name}”: “{path.parent}” is on a read-only disk. Choose another folder."
    if code == errno.ENOENT:
        return f"Cannot write “{name}”: the folder “{path.parent}” does not exist."
    if code == errno.ENOTDIR:
        return f"Cannot write “{name}”: part of “{path.parent}” is a file, not a folder."
    if code == errno.EISDIR:
        return f"“{path}” is a folder: choose a file name inside it."
    if code == errno.ENAMETOOLONG:
        return f"Cannot write “{name}”: the file name is too long."
    reason = exc.strerror or str(exc)
    return f"“{name}” could not be written: {reason}."


def _default_mode(path: Path) -> int:
    """Keep the mode of a file being replaced; new files get 0666 minus the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # os.umask() can only be read by setting it, which races with other threads: read it
    # from /proc where available, else assume the common 022.
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    return 0o022


def atomic_write(path: str | os.PathLike, data: bytes | str | Writer, encoding: str = "utf-8") -> Path:
    """Write ``data`` (bytes, text, or a function that writes into a binary file) to ``path``.

    Raises :class:`ExportError` with a clear message when the path cannot be
    written; the destination is then untouched and no temporary file remains.
    """
    dest = Path(path).expanduser()
    problem = _folder_problem(dest)
    if problem:
        raise ExportError(problem)
    if isinstance(data, str):
        data = data.encode(encoding)
    folder = dest.parent if str(dest.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(describe_os_error(exc, dest)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _default_mode(dest))
        os.replace(tmp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ExportError(describe_os_error(exc, dest)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    # make the rename itself durable (best effort: not every platform can open folders)
    with contextlib.suppress(OSError, AttributeError):
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return dest
