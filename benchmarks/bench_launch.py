"""Whole-process launch to the first painted window vs a bare PySide6 window (issue 2: <= 1.5x).

Each launch is a fresh ``python`` process (offscreen Qt), timed from just before the
process is started to the moment its main window has been painted:

- raw: ``python -c`` creating a QApplication and an empty QMainWindow, shown;
- ours: ``python -m annotator`` with no argument (the app starts and opens the bundled
  sample article), run through :data:`DRIVER` so nothing in the app needs a hook.

Both processes run the same prelude first: it creates the QApplication (the app reuses an
existing one) and makes ``QMainWindow.show`` install an event filter on the window being
shown. At the window's first ``QEvent.Paint`` (a paint pass starts with the top-level widget,
then its children) it schedules a zero-delay timer, so the rest of that frame is painted too;
when the timer fires it writes the time (``time.monotonic()``, the same clock in every
process), the RSS and the heavy modules imported so far, and leaves with ``os._exit(0)`` (no
teardown is timed; the app's loading thread cannot abort the exit).

The filter sits on the main window only, not on the whole application: a Python filter on the
application receives every event of every object, and PySide then makes a Python wrapper for
each one, initialising the Python type (and its enums) of every Qt class that receives an
event: about 25 ms more for a window holding a QTextEdit, a cost the measured app does not have
when it runs without the probe. Only when the sample's text is awaited and was not in the first
frame does the probe fall back to an application-wide filter, from that first frame on.

Two moments are reported for ours: the first painted window and the first paint with the
sample's text in the reader (the app shows a small text file's text in its first frame, so
both are the same frame). An information line gives a third: the whole window built (the
app builds its actions, docks, panels and features right after the first frame; the probe
waits until its ``ready()`` is true).

The probe's filter is installed by ``show()``, after any filter the app installed on its
window while building it; Qt calls the most recently installed filter first, so the probe's
zero-delay timer is queued before any work the app itself queues at its first paint. Raw and ours are launched alternately, ``--runs`` times each, after one
untimed warm-up of each; medians and their ratio are printed.

Python's bytecode cache is on (``PYTHONPYCACHEPREFIX`` in the temporary folder, filled by
the warm-up), as for an installed app; an extra line shows launches without the app's bytecode
cache (``PYTHONDONTWRITEBYTECODE=1``, as some development shells set it).

The settings live in a temporary HOME / XDG_CONFIG_HOME with the author name pre-seeded
(``annotator/annotator.ini``, key ``author``, as ``annotator.qt.settings`` reads it), so
the first-start author dialog never shows; the library folder (annotation files) is in the
same temporary tree, so the sample's annotation file is created by the warm-up launch and
reopened by the timed ones, as on a user's second start.

Run: python benchmarks/bench_launch.py [--runs 11] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.5
#: modules that must not be imported before the first paint (slow: see ../shared/perf-limits.md)
FORBIDDEN = ("pymupdf", "fitz", "trafilatura", "numpy", "onnxruntime")
#: other modules worth knowing about when they are imported that early
NOTABLE = ("sqlite_utils", "sqlite3", "lxml", "text2num", "difflib", "PySide6.QtNetwork", "PySide6.QtSvg",
           "PySide6.QtPrintSupport")

PRELUDE = r"""
import os, sys, time, json
if os.environ.get("BENCH_PROFILE"):
    import cProfile
    _prof = cProfile.Profile()
    _prof.enable()
else:
    _prof = None
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTextEdit, QWidget

WAIT_TEXT = os.environ.get("BENCH_WAIT_TEXT") == "1"
WAIT_READY = os.environ.get("BENCH_WAIT_READY") == "1"
FORBIDDEN = %(forbidden)r
NOTABLE = %(notable)r


def _rss_mib():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import psutil
        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        return -1.0


class _FirstPaint(QObject):
    def __init__(self):
        super().__init__()
        self.first = None
        self.pending = False
        self.app_wide = False

    def _in_main_window(self, obj):
        return isinstance(obj, QWidget) and isinstance(obj.window(), QMainWindow)

    def _shows_text(self, obj):
        edit = obj.parent() if isinstance(obj, QWidget) else None
        return isinstance(edit, QTextEdit) and not edit.document().isEmpty()

    def _window_shows_text(self, win):
        # toPlainText: a str (document() would make the probe initialise QTextDocument's Python type)
        return any(e.isVisibleTo(win) and e.toPlainText().strip() for e in win.findChildren(QTextEdit))

    def eventFilter(self, obj, ev):
        if self.pending or ev.type() != QEvent.Type.Paint:
            return False
        if not self.app_wide:  # the main window's own paint: the first frame
            if self.first is None:
                self.first = time.monotonic()
            if not WAIT_TEXT or self._window_shows_text(obj):
                self.pending = True
                QTimer.singleShot(0, self._done)
            else:  # the text comes later: watch every widget from now on
                self.app_wide = True
                QApplication.instance().installEventFilter(self)
        elif self._in_main_window(obj) and self._shows_text(obj):
            self.pending = True
            QTimer.singleShot(0, self._done)
        return False

    def _done(self):
        if WAIT_READY:  # then wait until the window says it is complete (an app's ``ready()``, if it has one)
            wins = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
            if not all(getattr(w, "ready", lambda: True)() for w in wins):
                QTimer.singleShot(1, self._done)
                return
        t = time.monotonic()
        # a None entry is a module kept out on purpose ("import numpy" raises ImportError): not imported
        mods = sorted(m for m in (*FORBIDDEN, *NOTABLE) if sys.modules.get(m) is not None)
        out = {"painted": t, "first_paint_event": self.first, "rss_mib": _rss_mib(), "modules": mods,
               "module_count": sum(v is not None for v in sys.modules.values())}
        if _prof is not None:
            _prof.disable()
            _prof.dump_stats(os.environ["BENCH_PROFILE"])
        sys.stdout.write("BENCH " + json.dumps(out) + "\n")
        sys.stdout.flush()
        os._exit(0)


_app = QApplication(sys.argv[:1])
_filter = _FirstPaint()
_show = QMainWindow.show


def _show_watched(self):
    self.installEventFilter(_filter)
    return _show(self)


QMainWindow.show = _show_watched
QTimer.singleShot(30000, lambda: os._exit(3))  # never hang the benchmark
""" % {"forbidden": FORBIDDEN, "notable": NOTABLE}

RAW_BODY = r"""
win = QMainWindow()
win.setWindowTitle("bare")
win.resize(1200, 800)
win.show()
sys.exit(_app.exec())
"""

#: ``python -m annotator`` with no argument, exactly as the module runs it
DRIVER = r"""
import runpy
sys.argv = ["annotator"]
runpy.run_module("annotator", run_name="__main__", alter_sys=True)
"""


def isolated_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for k in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        env.pop(k, None)
    dirs = {"HOME": home, "XDG_CONFIG_HOME": home / "config", "XDG_DATA_HOME": home / "data",
            "XDG_CACHE_HOME": home / "cache", "XDG_STATE_HOME": home / "state", "XDG_RUNTIME_DIR": home / "run"}
    for k, d in dirs.items():
        d.mkdir(parents=True, exist_ok=True)
        env[k] = str(d)
    os.chmod(home / "run", 0o700)
    ini = home / "config" / "annotator" / "annotator.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text("[General]\nauthor=Benchmark\n", encoding="utf-8")
    env["QT_QPA_PLATFORM"] = "offscreen"
    # bytecode cached, as for an installed app (the warm-up launch writes it), kept out of the tree
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("BENCH_WAIT_TEXT", None)
    return env


def launch(code: str, env: dict, wait_text: bool = False, timeout: float = 60.0, profile: str | None = None,
           wait_ready: bool = False) -> dict:
    env = dict(env)
    if profile:
        env["BENCH_PROFILE"] = profile
    if wait_text:
        env["BENCH_WAIT_TEXT"] = "1"
    if wait_ready:
        env["BENCH_WAIT_READY"] = "1"
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=str(ROOT), capture_output=True, text=True,
                          timeout=timeout)
    wall = time.monotonic() - t0
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"the launched process painted nothing (exit {proc.returncode}):\n"
                           f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    out = json.loads(line[6:])
    out["t"] = out["painted"] - t0
    out["first_event_t"] = out["first_paint_event"] - t0
    out["wall"] = wall
    out["stderr"] = proc.stderr
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--quick", action="store_true", help="1 run each, no profile unless asked (smoke test)")
    ap.add_argument("--profile", action="store_true",
                    help="also profile one launch of ours up to the sample's text painted (cProfile)")
    args = ap.parse_args(argv)
    if args.quick:
        args.runs = 1

    home = Path(tempfile.mkdtemp(prefix="bench_launch_"))
    try:
        env = isolated_env(home)
        raw_code = PRELUDE + RAW_BODY
        our_code = PRELUDE + DRIVER
        # warm-up (pyc files, disk cache; the sample's annotation file is created here)
        launch(raw_code, env)
        first = launch(our_code, env, wait_text=True)
        launch(our_code, env)
        floor = []
        raw, ours, ours_text, ours_ready = [], [], [], []
        for _ in range(args.runs):
            t0 = time.monotonic()
            subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
            floor.append(time.monotonic() - t0)
            raw.append(launch(raw_code, env))
            ours.append(launch(our_code, env))
            ours_text.append(launch(our_code, env, wait_text=True))
            ours_ready.append(launch(our_code, env, wait_ready=True))

        def med(runs, key="t"):
            return statistics.median(r[key] for r in runs)

        print(f"python -c pass: {statistics.median(floor) * 1000:.0f} ms (floor); "
              f"{args.runs} launches of each, alternated, offscreen")
        ok = report("launch to first painted window", med(raw), med(ours), TARGET)
        ok &= report("launch to the sample's text painted", med(raw), med(ours_text), TARGET)
        print(f"info: the whole window built (menus, docks, panels, features; ready()): "
              f"{med(ours_ready) * 1000:.0f} ms ({med(ours_ready) / med(raw):.2f}x the bare window)")
        print(f"RSS at first paint: bare window {med(raw, 'rss_mib'):.0f} MiB, annotator "
              f"{med(ours, 'rss_mib'):.0f} MiB ({med(ours_text, 'rss_mib'):.0f} MiB with the sample shown); "
              f"modules loaded: bare {med(raw, 'module_count'):.0f}, annotator {med(ours, 'module_count'):.0f}")
        # information: without the app's bytecode cache (PYTHONDONTWRITEBYTECODE=1, the source tree has no
        # __pycache__): every launch compiles the app's modules, as in a development shell that sets it
        nocache = dict(env, PYTHONDONTWRITEBYTECODE="1")
        nocache.pop("PYTHONPYCACHEPREFIX")
        k = max(1, min(3, args.runs))
        nc_raw = [launch(raw_code, nocache)["t"] for _ in range(k)]
        nc_ours = [launch(our_code, nocache)["t"] for _ in range(k)]
        print(f"info: without a bytecode cache for the app: bare {statistics.median(nc_raw) * 1000:.0f} ms, annotator "
              f"{statistics.median(nc_ours) * 1000:.0f} ms to the first painted window "
              f"({statistics.median(nc_ours) / statistics.median(nc_raw):.2f}x; {k} launches each)")
        early = sorted({m for r in ours for m in r["modules"]})  # in any launch (a loading thread may race)
        early_text = {m for r in ours_text for m in r["modules"]}
        print(f"imported before the first paint: {', '.join(early) or 'none of the watched modules'}")
        bad = [m for m in FORBIDDEN if m in early]
        bad_text = [m for m in FORBIDDEN if m in early_text]
        if bad:
            print(f"WARNING: {', '.join(bad)} imported before the first paint (slow start-up: import lazily)")
        if bad_text:
            print(f"WARNING: {', '.join(bad_text)} imported before the sample's text was painted")
        # the offscreen platform's own note about window size hints is not the app's
        lines = [ln for ln in (first["stderr"] + ours[-1]["stderr"]).splitlines()
                 if ln.strip() and "propagateSizeHints" not in ln]
        if lines:
            print("stderr of the app:\n" + "\n".join("  " + ln for ln in lines[:20]))
        if args.profile or (not ok and not args.quick):
            import pstats

            prof = home / "launch.prof"
            launch(our_code, env, wait_text=True, profile=str(prof))
            print("hot spots of one launch of ours, to the sample's text painted (cProfile, cumulative; "
                  "the app's own functions and module bodies):")
            st = pstats.Stats(str(prof), stream=sys.stdout)
            st.sort_stats("cumulative").print_stats(r"annotator[/\\]", 25)
        return 0 if ok and not bad else 1
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
