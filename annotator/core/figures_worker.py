"""A helper process for long suggestion passes: it reads the pages ahead of the pass.

A suggestion pass (:func:`annotator.core.suggest.suggest`) has two parts: figure detection, page
by page and independent of everything else, and speaker attribution, which reads the document in
order (a speaker named on page 3 resolves "he said" on page 4) and so stays in the calling process.
On a long document the pass starts one helper process (a fresh interpreter running this
module's :func:`main`: no fork, so it is safe from a Qt worker thread) that works on the
pages ahead of the pass, on the machine's second core:

1. it detects the figures of the next pages (:func:`figure_rows`), keeping a few pages ahead;
2. with time to spare it reads ahead for the attribution: the text-only analysis of the pages'
   paragraphs (sentences, quotations, cue scans, who a verb cue names as speaking:
   :meth:`~annotator.core.attribution.AttributionEngine.prepare_page`), which the pass installs
   instead of computing it.

The result is the same as in one process: the helper runs the same code on the same text, only
text-only work is moved, and whatever has not arrived when the pass needs it is computed in the
calling process (while the helper starts, when it is slow or gone). The calling process publishes
the page it has reached (in a small shared file), so the helper never works on pages already done.
A helper that cannot start or stops is not an error: the pass carries on alone.

Protocol: the request ``(text, [(start, end), ...], speakers, position file)`` as a length-prefixed
pickle on the helper's stdin; the helper answers length-prefixed pickles on stdout:
``("figures", page, rows)`` with rows ``(start, end, value, low, high, unit, qualifier, counted,
rate, precision, form, uncertainty)`` (offsets into the page's text) and ``("reading", page,
paragraphs)``.
"""

from __future__ import annotations

import mmap
import os
import pickle
import struct
import sys

# subprocess, tempfile and threading serve only the calling side: imported there, so the helper
# process (which runs this module) starts without them
__all__ = ["FigureHelper", "figure_rows", "main"]

#: the helper keeps the figures of this many pages ahead of the pass before it reads ahead
FIGURES_AHEAD = 6
#: when it falls to that, it detects the figures of this many more pages in one go: figure detection and
#: reading ahead each run faster in long stretches than alternating page by page (about 8% less CPU
#: time for the helper's work on a 1000-page document)
FIGURES_BATCH = 20
#: reading ahead starts this many pages after the pass's page (the next one may be reached too soon)
READING_MARGIN = 2

_LEN = struct.Struct("<I")
_POS = struct.Struct("<q")


def figure_rows(page_text: str) -> list[tuple]:
    """The figures of one page as plain tuples (what the helper sends): offsets into ``page_text``
    and the parsed fields in :class:`~annotator.core.figures.ParsedFigure` order."""
    from annotator.core.figures import _scan

    # what detect_figures finds, with every field of its parsed figures, without building the objects
    return _scan(page_text, strict=True, rows=True)


def _frame(obj) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _LEN.pack(len(data)) + data


# --------------------------------------------------------------------------- the calling side


class FigureHelper:
    """The helper process of one pass, seen from the pass.

    ``figures(i)`` gives page ``i``'s figure rows if they have arrived (else None: detect them
    here), ``reading(i)`` its paragraphs' analysis (else None), ``reached(i)`` publishes the pass's
    page, ``close()`` stops the helper. Never raises once started; :meth:`start` returns None when
    no helper can run here.
    """

    def __init__(self, proc: "subprocess.Popen", pos_path: str, pos_map: mmap.mmap, request: bytes):
        self._proc = proc
        self._pos_path = pos_path
        self._pos_map = pos_map
        self._figures: dict[int, list[tuple]] = {}
        self._reading: dict[int, list[tuple]] = {}
        self._buf = bytearray()
        self._eof = False
        import threading

        self._lock = threading.Lock()
        self._fd = proc.stdout.fileno()
        # POSIX: the pass reads the helper's answers itself, between pages (no thread to wait for);
        # elsewhere a thread reads them
        self._poll = None
        if os.name == "posix":
            import select

            self._poll = select.poll()
            self._poll.register(self._fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        else:
            threading.Thread(target=self._read_thread, name="figures-helper-out", daemon=True).start()
        # the request is written by a thread: the helper reads it only once it has started
        threading.Thread(target=self._send, args=(request,), name="figures-helper-in", daemon=True).start()

    @classmethod
    def start(cls, text: str, chunks: list[tuple[int, int]], speakers: bool = True) -> FigureHelper | None:
        exe = sys.executable
        if not exe or getattr(sys, "frozen", False):
            return None
        import subprocess
        import tempfile

        import annotator

        root = os.path.dirname(os.path.dirname(os.path.abspath(annotator.__file__)))
        env = dict(os.environ)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        pos_path = pos_map = None
        try:
            fd, pos_path = tempfile.mkstemp(prefix="annotator-pass-", suffix=".pos")
            with os.fdopen(fd, "wb") as f:
                f.write(_POS.pack(-1))
            with open(pos_path, "r+b") as f:
                pos_map = mmap.mmap(f.fileno(), _POS.size)
            # -S: no site-packages (the helper needs only the standard library and this package,
            # found through PYTHONPATH), which starts it sooner; -c rather than -m: runpy not needed
            proc = subprocess.Popen(
                [exe, "-S", "-c", "import sys; from annotator.core.figures_worker import main; sys.exit(main())"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                close_fds=True,
            )
        except (OSError, ValueError):
            if pos_map is not None:
                pos_map.close()
            if pos_path is not None:
                _remove(pos_path)
            return None
        return cls(proc, pos_path, pos_map, _frame((text, list(chunks), speakers, pos_path)))

    def figures(self, i: int) -> list[tuple] | None:
        self._drain()
        with self._lock:
            return self._figures.pop(i, None)

    def reading(self, i: int) -> list[tuple] | None:
        self._drain()
        with self._lock:
            return self._reading.pop(i, None)

    def reached(self, i: int) -> None:
        try:
            _POS.pack_into(self._pos_map, 0, i)
        except (ValueError, TypeError):
            pass
        with self._lock:
            for d in (self._figures, self._reading):
                for k in [k for k in d if k <= i]:
                    del d[k]

    def close(self) -> None:
        import subprocess

        try:
            self._proc.kill()
        except OSError:
            pass
        try:
            self._proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        for f in (self._proc.stdin, self._proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        try:
            self._pos_map.close()
        except (OSError, ValueError):
            pass
        _remove(self._pos_path)

    # ---- answers
    def _drain(self) -> None:
        """Read whatever the helper has written so far (POSIX, without waiting)."""
        if self._poll is None or self._eof:
            return
        try:
            while self._poll.poll(0):
                data = os.read(self._fd, 1 << 20)
                if not data:
                    self._eof = True
                    break
                self._buf += data
        except OSError:
            self._eof = True
        self._unpack()

    def _read_thread(self) -> None:
        try:
            while True:
                data = os.read(self._fd, 1 << 20)
                if not data:
                    return
                with self._lock:
                    self._buf += data
                self._unpack()
        except OSError:
            return

    def _unpack(self) -> None:
        with self._lock:
            buf = self._buf
            k = 0
            while len(buf) - k >= _LEN.size:
                (n,) = _LEN.unpack_from(buf, k)
                if len(buf) - k - _LEN.size < n:
                    break
                try:
                    kind, i, payload = pickle.loads(buf[k + _LEN.size:k + _LEN.size + n])
                except Exception:  # a broken stream: ignore the rest
                    self._eof = True
                    k = len(buf)
                    break
                k += _LEN.size + n
                (self._figures if kind == "figures" else self._reading)[i] = payload
            del buf[:k]

    def _send(self, request: bytes) -> None:
        try:
            self._proc.stdin.write(request)
            self._proc.stdin.flush()
        except (OSError, ValueError):
            pass  # the helper is gone: the pass carries on alone


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


# --------------------------------------------------------------------------- the helper process


def _read_exact(fd: int, n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        b = os.read(fd, n - got)
        if not b:
            raise EOFError
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def main() -> int:
    import gc

    gc.disable()  # a short-lived process; its reading of the text holds many objects and no cycles
    if os.name == "nt":  # binary pipes (no newline translation)
        import msvcrt

        msvcrt.setmode(0, os.O_BINARY)
        msvcrt.setmode(1, os.O_BINARY)
    if hasattr(os, "nice"):
        try:
            os.nice(10)  # on a busy machine the pass itself (and everything else) goes first
        except OSError:
            pass
    try:
        (n,) = _LEN.unpack(_read_exact(0, _LEN.size))
        text, chunks, speakers, pos_path = pickle.loads(_read_exact(0, n))
        with open(pos_path, "rb") as f:
            pos_map = mmap.mmap(f.fileno(), _POS.size, access=mmap.ACCESS_READ)
    except Exception:
        return 1
    out = os.fdopen(1, "wb", buffering=0)
    engine = None
    count = len(chunks)
    spans: dict[int, list[tuple[int, int]]] = {}  # page -> figure spans (found, not read ahead yet)
    next_fig = 0
    fig_until = -1  # detecting figures (a batch) up to this page
    try:
        while True:
            (pos,) = _POS.unpack_from(pos_map, 0)  # the page the pass has reached
            next_fig = max(next_fig, pos + 1)
            for k in [k for k in spans if k <= pos + READING_MARGIN - 1]:
                del spans[k]  # too late to read these ahead
            if next_fig <= pos + FIGURES_AHEAD:
                fig_until = max(fig_until, pos + FIGURES_AHEAD + FIGURES_BATCH)
            elif not spans:  # nothing to read ahead: more figures
                fig_until = max(fig_until, next_fig + FIGURES_BATCH - 1)
            if next_fig < count and next_fig <= fig_until:
                i = next_fig
                s, e = chunks[i]
                rows = figure_rows(text[s:e])
                out.write(_frame(("figures", i, rows)))
                if speakers and rows:
                    spans[i] = [(r[0] + s, r[1] + s) for r in rows]
                next_fig += 1
            elif spans:
                if engine is None:  # imported once the first pages' figures are out
                    from annotator.core.attribution import AttributionEngine

                    engine = AttributionEngine(text, focus=[])
                i = min(spans)
                s, e = chunks[i]
                out.write(_frame(("reading", i, engine.prepare_page(s, e, spans.pop(i)))))
            else:
                return 0
    except (OSError, ValueError):
        return 0  # the caller closed the pipe: it needs no more pages


if __name__ == "__main__":
    sys.exit(main())
