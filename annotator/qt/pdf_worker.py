"""Render PDF pages in a separate process, for documents whose pages are slow to draw.

PyMuPDF holds the GIL while it renders, so a thread cannot keep the window responsive
while a scanned page takes 100 ms or more to draw; a process can. The page view starts
one worker per document when its pages prove slow (see ``PdfView``), sends it the
document once, then render requests; the pixels come back over the pipe.

Wire format (both ways): 4-byte big-endian length, then a pickled tuple. Only this
package's own processes talk over the pipe.

- to the worker: ``("open", data, password, name, kind)``, ``("render", req, page, zoom, clip)``
- from the worker: ``("ok", req, width, height, stride, samples, fmt)`` or ``("error", req, message)``

Run as ``python -m annotator.qt.pdf_worker`` (no Qt in this process). It exits when its
stdin closes.
"""

from __future__ import annotations

import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Callable

_HEADER = struct.Struct(">I")


def _read_exact(fd: int, n: int) -> bytes | None:
    chunks = []
    while n:
        b = os.read(fd, min(n, 1 << 20))
        if not b:
            return None
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)


def read_message(fd: int):
    head = _read_exact(fd, _HEADER.size)
    if head is None:
        return None
    body = _read_exact(fd, _HEADER.unpack(head)[0])
    return None if body is None else pickle.loads(body)


def write_message(stream, msg) -> None:
    body = pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(body)))
    stream.write(body)
    stream.flush()


# --------------------------------------------------------------------------- the worker process


def main() -> int:
    from annotator.core.errors import UserError
    from annotator.core.pdf import open_pdf

    fd_in = sys.stdin.buffer.fileno()
    out = sys.stdout.buffer
    source = None
    while True:
        msg = read_message(fd_in)
        if msg is None or msg[0] == "quit":
            return 0
        if msg[0] == "open":
            _kind, data, password, name, kind = msg
            if source is not None:
                source.close()
            source = open_pdf(data, password, name=name, kind=kind)
        elif msg[0] == "render":
            _kind, req, page, zoom, clip = msg
            try:
                w, h, stride, samples, fmt = source.render(page, zoom, clip=clip)
            except (UserError, IndexError) as exc:
                write_message(out, ("error", req, str(exc)))
            else:
                write_message(out, ("ok", req, w, h, stride, samples, fmt))


# --------------------------------------------------------------------------- the client side


class RenderWorker:
    """A worker process for one document; ``on_result(msg)`` is called from a reader thread."""

    def __init__(self, data: bytes, password: str | None, name: str, kind: str,
                 on_result: Callable[[tuple], None]):
        env = dict(os.environ)
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "annotator.qt.pdf_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._on_result = on_result
        # writes go through a thread: the GUI thread never waits on a full pipe (the document
        # itself can be megabytes, sent while the worker is still starting up)
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._broken = False
        self._outbox.put(("open", data, password, name, kind))
        self._writer = threading.Thread(target=self._write_loop, name="pdf-render-writer", daemon=True)
        self._writer.start()
        self._reader = threading.Thread(target=self._read_loop, name="pdf-render-reader", daemon=True)
        self._reader.start()

    def _send(self, msg) -> bool:
        if self._broken:
            return False
        self._outbox.put(msg)
        return True

    def _write_loop(self) -> None:
        stdin = self._proc.stdin
        while True:
            msg = self._outbox.get()
            if msg is None:
                break
            try:
                write_message(stdin, msg)
            except (BrokenPipeError, OSError, ValueError):
                self._broken = True
                break
        try:
            stdin.close()  # the worker exits at the end of its input
        except OSError:
            pass

    def render(self, req, page: int, zoom: float, clip=None) -> bool:
        """Ask for a page (or a clip of it); False if the worker is gone."""
        return self._send(("render", req, page, zoom, clip))

    def _read_loop(self) -> None:
        fd = self._proc.stdout.fileno()
        while True:
            try:
                msg = read_message(fd)
            except (OSError, EOFError, pickle.UnpicklingError):
                msg = None
            if msg is None:
                break
            self._on_result(msg)
        # the worker has gone (closed by us, or it died): reap it here, off the GUI thread
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc.stdout.close()
        self._on_result(("gone", None))

    def alive(self) -> bool:
        return self._proc.poll() is None

    def close(self) -> None:
        """Ask the worker to stop (it exits once its input closes); does not wait for it."""
        self._broken = True
        self._outbox.put(None)

    def join(self, timeout: float | None = None) -> bool:
        """Wait until the worker has exited and been reaped; True if it has."""
        self._reader.join(timeout)
        return not self._reader.is_alive()


if __name__ == "__main__":
    sys.exit(main())
