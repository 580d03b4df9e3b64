"""A helper process for long suggestion passes: it finds the figures of the pages ahead.

A suggestion pass (:func:`annotator.core.suggest.suggest`) has two parts: figure detection, page
by page and independent of everything else, and speaker attribution, which reads the document in
order (a speaker named on page 3 resolves "he said" on page 4), so it stays in the calling process.
On a long document the pass starts one helper process (a fresh interpreter, ``python -m
annotator.core.figures_worker``: no fork, so it is safe from a Qt worker thread) that detects the
figures of the pages ahead of the attribution and sends them back, page by page, while the calling
process attributes the pages already found. The machine's second core does the detection.

The result is the same as in one process: the helper runs the same code on the same page texts,
and any page whose figures have not arrived when the pass needs them is detected in the calling
process (while the helper starts, or when it is slow or gone). The calling process tells the helper
which page it has reached, so the helper never works on pages already done. A helper that cannot
start or stops is not an error: the pass carries on alone.

Protocol (pickle over the helper's stdin/stdout): the request ``(text, [(start, end), ...])``, then
lines ``b"<page>\\n"`` (the page the caller has reached); the helper answers ``(page, figures)``
per page, each figure ``(start, end, value, low, high, unit, qualifier, counted, rate, precision,
form, uncertainty)`` with offsets into the page's text, until every page is sent or stdin closes.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading

__all__ = ["FigureHelper", "figure_rows", "main"]


def figure_rows(page_text: str) -> list[tuple]:
    """The figures of one page as plain tuples (what the helper sends): offsets into ``page_text``
    and the parsed fields in :class:`~annotator.core.figures.ParsedFigure` order."""
    from annotator.core.figures import detect_figures

    out = []
    for f in detect_figures(page_text):
        p = f.parsed
        out.append((f.start, f.end, p.value, p.low, p.high, p.unit, p.qualifier, p.counted, p.rate, p.precision,
                    p.form, p.uncertainty))
    return out


# --------------------------------------------------------------------------- the calling side


class FigureHelper:
    """The helper process of one pass. ``take(i)`` gives page ``i``'s figure rows if they have
    arrived (else None: detect them yourself); ``reached(i)`` tells the helper to skip pages up to
    ``i``; ``close()`` stops it. Never raises once constructed; :meth:`start` returns None when no
    helper can run here."""

    def __init__(self, proc: subprocess.Popen, text: str, chunks: list[tuple[int, int]]):
        self._proc = proc
        self._rows: dict[int, list[tuple]] = {}
        self._lock = threading.Lock()
        self._pos = -1
        self._sent_pos = -1
        self._wake = threading.Condition()
        self._closed = False
        self._writer = threading.Thread(target=self._write, args=(text, chunks), name="figures-helper-in",
                                        daemon=True)
        self._reader = threading.Thread(target=self._read, name="figures-helper-out", daemon=True)
        self._writer.start()
        self._reader.start()

    @classmethod
    def start(cls, text: str, chunks: list[tuple[int, int]]) -> FigureHelper | None:
        exe = sys.executable
        if not exe or getattr(sys, "frozen", False):
            return None
        import annotator

        root = os.path.dirname(os.path.dirname(os.path.abspath(annotator.__file__)))
        env = dict(os.environ)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        try:
            proc = subprocess.Popen(
                [exe, "-m", "annotator.core.figures_worker"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                close_fds=True,
            )
        except OSError:
            return None
        return cls(proc, text, chunks)

    def take(self, i: int) -> list[tuple] | None:
        with self._lock:
            return self._rows.pop(i, None)

    def reached(self, i: int) -> None:
        if i > self._pos:
            with self._wake:
                self._pos = i
                self._wake.notify()

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
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

    # ---- threads
    def _write(self, text: str, chunks: list[tuple[int, int]]) -> None:
        out = self._proc.stdin
        try:
            pickle.dump((text, list(chunks)), out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
            while True:
                with self._wake:
                    while self._pos == self._sent_pos and not self._closed:
                        self._wake.wait()
                    if self._closed:
                        return
                    pos = self._sent_pos = self._pos
                out.write(b"%d\n" % pos)
                out.flush()
        except (OSError, ValueError):
            return  # the helper is gone: the pass carries on alone

    def _read(self) -> None:
        src = self._proc.stdout
        try:
            while True:
                i, rows = pickle.load(src)
                with self._lock:
                    if i > self._pos:
                        self._rows[i] = rows
        except Exception:  # EOF, a killed helper, a broken stream: no more pages from it
            return


# --------------------------------------------------------------------------- the helper process


def main() -> int:
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    try:
        text, chunks = pickle.load(inp)
    except Exception:
        return 1
    reached = [-1]

    def listen() -> None:
        try:
            for line in inp:
                reached[0] = int(line)
        except (OSError, ValueError):
            pass

    threading.Thread(target=listen, daemon=True).start()
    i = 0
    try:
        while i < len(chunks):
            if i <= reached[0]:
                i = reached[0] + 1  # the caller did these pages itself
                continue
            s, e = chunks[i]
            pickle.dump((i, figure_rows(text[s:e])), out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
            i += 1
    except (OSError, ValueError):
        return 0  # the caller closed the pipe: it needs no more pages
    return 0


if __name__ == "__main__":
    sys.exit(main())
