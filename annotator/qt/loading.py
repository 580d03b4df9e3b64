"""Loading documents off the UI thread, with progress and cancel.

:class:`LoadJob` runs ``annotator.core.documents.load_document`` in a QThread and
reports back on the UI thread through ``done(job)``: ``job.document`` on success,
``job.error`` (an exception) on failure or cancel. The window shows a progress dialog
that appears only when a load takes longer than a moment.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from annotator.core.errors import Cancelled


class CancelFlag:
    """A cancel request the loader can poll: call it, or use ``is_set()`` / ``set()``."""

    def __init__(self):
        self._event = threading.Event()

    def __call__(self) -> bool:
        return self._event.is_set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def set(self) -> None:
        self._event.set()

    def __bool__(self) -> bool:
        return self._event.is_set()


class _Worker(QThread):
    progressed = Signal(int, int)

    def __init__(self, job: "LoadJob"):
        super().__init__()
        self.job = job

    def run(self) -> None:
        job = self.job
        try:
            if job.source is not None:  # the pages are shown already: read the text
                from annotator.core.documents import document_from_source

                doc = document_from_source(job.source, progress=self._progress, cancel=job.cancel)
            else:
                from annotator.core.documents import load_document

                doc = load_document(job.path, password=job.password, progress=self._progress, cancel=job.cancel)
            if job.cancel.is_set():
                raise Cancelled()
            job.document = doc
        except BaseException as exc:  # delivered to the UI thread, which decides what to show
            job.error = exc

    def _progress(self, *args) -> None:
        """Accepts ``(done, total)``, ``(fraction,)`` or ``(done, total, message)``."""
        if self.job.cancel.is_set():
            raise Cancelled()
        done, total = 0, 0
        nums = [a for a in args if isinstance(a, (int, float))]
        if len(nums) >= 2:
            done, total = int(nums[0]), int(nums[1])
        elif len(nums) == 1:
            done, total = int(float(nums[0]) * 1000), 1000
        self.progressed.emit(done, total)


class LoadJob(QObject):
    """One document load. ``purpose`` says what to do with the result ("open" or "add")."""

    progressed = Signal(int, int)
    done = Signal(object)  # self

    def __init__(self, path: str | Path, password: str | None = None, purpose: str = "open", parent=None,
                 source=None):
        super().__init__(parent)
        self.source = source  # an open PdfSource whose text is to be read, or None: load ``path``
        self.path = Path(path)
        self.password = password
        self.purpose = purpose
        self.cancel = CancelFlag()
        self.document = None
        self.error: BaseException | None = None
        self._thread = _Worker(self)
        self._thread.progressed.connect(self.progressed)
        self._thread.finished.connect(self._finished)

    def start(self) -> None:
        self._thread.start()

    def request_cancel(self) -> None:
        self.cancel.set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = 30000) -> bool:
        return self._thread.wait(ms)

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def _finished(self) -> None:
        self.done.emit(self)


def import_store_lightly() -> None:
    """Import the annotation-file modules (sqlite-utils) without numpy and pandas.

    sqlite-utils only uses them to store numpy/pandas values, which this app never writes;
    leaving them out saves ~0.13 s of start-up. Run at start-up, off the UI thread.
    """
    if "annotator.core.project" in sys.modules:
        return
    blocked = [m for m in ("numpy", "pandas") if m not in sys.modules and "sqlite_utils" not in sys.modules]
    for m in blocked:
        sys.modules[m] = None  # type: ignore[assignment]  # "import numpy" raises ImportError meanwhile
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for m in blocked:
            if m in sys.modules and sys.modules[m] is None:
                del sys.modules[m]
    import annotator.core.project  # noqa: F401


class Warmup:
    """Runs :func:`import_store_lightly` in a background thread; ``done()`` tells when it finished."""

    def __init__(self):
        self._thread = threading.Thread(target=import_store_lightly, name="annotator-warmup", daemon=True)
        self._thread.start()

    def done(self) -> bool:
        return not self._thread.is_alive()
