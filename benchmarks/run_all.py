"""Run every ``benchmarks/bench_*.py`` in its own process and print one summary table.

Each benchmark prints ratio lines (``_common.report``: name, raw, ours, ratio, target,
OK/OVER, or the project's own aim, met/not met) or a memory line (``... 208.7 MiB (target <= 400 MiB) OK``); this script collects
them into one table, prints it, and writes it with the machine's description (date, nproc,
CPU, Python, Qt/PySide6, PyMuPDF/MuPDF, SQLite, sqlite-utils, trafilatura) and every
benchmark's full output to ``benchmarks/RESULTS.md``.

Run: python benchmarks/run_all.py [--only NAME ...] [--quick] [--output FILE | --no-write]

``--quick`` runs each benchmark on a tiny input (smoke test; the numbers mean nothing).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

#: tiny inputs for the benchmarks that have no ``--quick`` option (smoke tests)
QUICK_ARGS = {
    "bench_pdf_open": ["--pages", "40", "--repeat", "1", "--rounds", "1"],
    "bench_merge": ["--files", "2", "--figures", "600", "--rounds", "1"],
    "bench_autosave": [],
    "bench_highlights": [],
    "bench_figures": ["--pages", "5", "--rounds", "1"],
    "bench_attribution": ["--pages", "5", "--rounds", "1"],
}

RATIO_LINE = re.compile(
    r"^(?P<name>\S.*?)\s+raw\s+(?P<raw>[\d.]+|inf|nan)\s+(?P<unit>\S+)\s+ours\s+(?P<ours>[\d.]+|inf|nan)\s+\S+\s+"
    r"ratio\s+(?P<ratio>[\d.]+|inf|nan)x\s+\((?P<kind>target|aim) <= (?P<target>[\d.]+)x\)\s+"
    r"(?P<status>OK|OVER|met|not met)\b"
)
VALUE_LINE = re.compile(
    r"^(?P<name>\S.*?)\s+(?P<value>[\d.]+)\s+(?P<unit>MiB|MB|GiB|s|ms)\s+\(target <= (?P<target>[\d.]+)\s*"
    r"(?P<tunit>MiB|MB|GiB|s|ms)\)\s+(?P<status>OK|OVER)\b"
)


@dataclass
class Row:
    bench: str
    name: str
    raw: str
    ours: str
    ratio: str
    target: str
    status: str


@dataclass
class Result:
    bench: str
    args: list[str]
    returncode: int | None
    seconds: float
    output: str
    rows: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""


def parse_output(bench: str, text: str) -> tuple[list[Row], list[str]]:
    """Rows of the summary table and the WARNING lines found in a benchmark's output."""
    rows, warnings = [], []
    for line in text.splitlines():
        m = RATIO_LINE.match(line)
        if m:
            unit = m["unit"]
            rows.append(Row(bench, m["name"].strip(), f"{m['raw']} {unit}", f"{m['ours']} {unit}",
                            f"{m['ratio']}x", f"<= {m['target']}x" + (" (aim)" if m["kind"] == "aim" else ""),
                            m["status"]))
            continue
        m = VALUE_LINE.match(line)
        if m:
            rows.append(Row(bench, m["name"].strip(), "-", f"{m['value']} {m['unit']}", "-",
                            f"<= {m['target']} {m['tunit']}", m["status"]))
            continue
        if line.startswith("WARNING"):
            warnings.append(line.strip())
    return rows, warnings


def discover(only: list[str] | None = None) -> list[Path]:
    scripts = sorted(HERE.glob("bench_*.py"))
    if only:
        scripts = [p for p in scripts if any(o in p.stem for o in only)]
    return scripts


def quick_args(script: Path) -> list[str] | None:
    """Arguments for a tiny run, or None when the benchmark has no quick mode."""
    if script.stem in QUICK_ARGS:
        return list(QUICK_ARGS[script.stem])
    if '"--quick"' in script.read_text(encoding="utf-8"):
        return ["--quick"]
    return None


def run_one(script: Path, args: list[str], timeout: float) -> Result:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONUNBUFFERED"] = "1"
    t = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(script), *args], cwd=str(ROOT), env=env, capture_output=True,
                              text=True, timeout=timeout)
        out = proc.stdout + (("\n" + proc.stderr) if proc.stderr.strip() else "")
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        code = None
    res = Result(script.stem, args, code, time.perf_counter() - t, out.rstrip())
    res.rows, res.warnings = parse_output(script.stem, res.output)
    if code is None:
        res.error = f"timed out after {timeout:.0f} s"
    elif "Traceback (most recent call last)" in res.output:
        res.error = f"crashed (exit {code})"
    elif not res.rows:
        res.error = f"printed no ratio line (exit {code})"
    return res


def machine() -> dict[str, str]:
    from importlib import metadata
    import sqlite3

    def ver(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    info = {
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": _cpu_model(),
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "PySide6": ver("PySide6-Essentials") if ver("PySide6-Essentials") != "not installed" else ver("PySide6"),
        "PyMuPDF": ver("pymupdf"),
        "sqlite-utils": ver("sqlite-utils"),
        "SQLite": sqlite3.sqlite_version,
        "trafilatura": ver("trafilatura"),
    }
    try:
        from PySide6.QtCore import qVersion

        info["Qt"] = qVersion()
    except ImportError:
        info["Qt"] = "not installed"
    try:
        sys.path.insert(0, str(ROOT))
        from annotator.core.pdf import pymupdf

        info["MuPDF"] = getattr(pymupdf(), "mupdf_version", "?")
    except ImportError:
        info["MuPDF"] = "not installed"
    try:
        with open("/proc/meminfo") as fh:
            kib = int(fh.readline().split()[1])
        info["memory"] = f"{kib / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return info


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def table_text(rows: list[Row]) -> str:
    head = ("benchmark", "measure", "raw", "ours", "ratio", "target", "result")
    cells = [head] + [(r.bench.removeprefix("bench_"), r.name, r.raw, r.ours, r.ratio, r.target, r.status)
                      for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    lines = []
    for i, c in enumerate(cells):
        lines.append("  ".join(x.ljust(w) if j < 2 else x.rjust(w) for j, (x, w) in enumerate(zip(c, widths)))
                     .rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def table_markdown(rows: list[Row]) -> str:
    out = ["| benchmark | measure | raw | ours | ratio | target | result |", "|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        status = "**OVER**" if r.status == "OVER" else r.status  # "met" / "not met": the project's own aims
        out.append(f"| {r.bench.removeprefix('bench_')} | {r.name} | {r.raw} | {r.ours} | {r.ratio} | "
                   f"{r.target} | {status} |")
    return "\n".join(out)


def results_markdown(results: list[Result], info: dict[str, str], command: str) -> str:
    rows = [r for res in results for r in res.rows]
    errors = [(res.bench, res.error) for res in results if res.error]
    over = sum(r.status == "OVER" for r in rows)
    aims = [r for r in rows if r.status in ("met", "not met")]
    missed = sum(r.status == "not met" for r in aims)
    parts = [
        "# Benchmark results",
        "",
        f"Latest `{command}` ({info['date']}). Every ratio compares our code with the raw library",
        "call measured side by side in the same run (medians); absolute times move 15% and more",
        "between runs on this shared machine. See each script's docstring for what it includes.",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items() if k != "date"),
        "",
        table_markdown(rows),
        "",
        f"{len(rows) - len(aims)} measures against an issue's target, {over} over target; {len(aims)} against the "
        f"project's own aims (marked \"(aim)\"), {missed} not met"
        + (f"; {len(errors)} benchmarks failed" if errors else "") + ".",
    ]
    for bench, err in errors:
        parts.append(f"- **{bench}**: {err}")
    warns = [(res.bench, w) for res in results for w in res.warnings]
    if warns:
        parts += ["", "Warnings:", ""] + [f"- {b}: {w}" for b, w in warns]
    parts += ["", "## Full output", ""]
    for res in results:
        parts += [f"### {res.bench} ({res.seconds:.0f} s{', ' + ' '.join(res.args) if res.args else ''})", "",
                  "```", res.output or "(no output)", "```", ""]
    return "\n".join(parts).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", metavar="NAME", help="run only benchmarks whose name contains NAME")
    ap.add_argument("--quick", action="store_true", help="tiny inputs (smoke test; numbers mean nothing)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed per benchmark")
    ap.add_argument("--output", default=str(HERE / "RESULTS.md"))
    ap.add_argument("--no-write", action="store_true", help="print only, do not write the results file")
    args = ap.parse_args(argv)

    scripts = discover(args.only)
    if not scripts:
        print("no benchmark matched", file=sys.stderr)
        return 2
    results = []
    for script in scripts:
        bargs: list[str] = []
        if args.quick:
            q = quick_args(script)
            if q is None:
                print(f"== {script.stem}: no quick mode, skipped", flush=True)
                continue
            bargs = q
        print(f"== {script.stem} {' '.join(bargs)}".rstrip(), flush=True)
        res = run_one(script, bargs, args.timeout)
        print(res.output, flush=True)
        if res.error:
            print(f"!! {script.stem}: {res.error}", flush=True)
        print(f"   ({res.seconds:.1f} s)", flush=True)
        results.append(res)

    rows = [r for res in results for r in res.rows]
    print()
    print(table_text(rows))
    for res in results:
        if res.error:
            print(f"{res.bench}: {res.error}")
    for res in results:
        for w in res.warnings:
            print(f"{res.bench}: {w}")
    if not args.no_write:
        command = "python benchmarks/run_all.py" + (" --quick" if args.quick else "") + \
            "".join(f" --only {o}" for o in (args.only or []))
        Path(args.output).write_text(results_markdown(results, machine(), command), encoding="utf-8")
        print(f"\nwritten to {args.output}")
    failed = any(res.error for res in results)
    over = any(r.status == "OVER" for r in rows)
    return 2 if failed else (1 if over else 0)


if __name__ == "__main__":
    sys.exit(main())
