"""The benchmark scripts keep working: each runs its real code path on a tiny input and prints
its ratio lines, and run_all collects them into the results table. Timings are never asserted
(speed is measured by ``python benchmarks/run_all.py``, not by tests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"


def _run_all():
    spec = importlib.util.spec_from_file_location("bench_run_all", BENCH / "run_all.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_run_all", mod)
    spec.loader.exec_module(mod)
    return mod


run_all = _run_all()

# the benchmarks this test keeps alive, the measures each must print, and other lines it must print
EXPECTED = {
    "bench_suggest": (["suggest() pass", "suggest() + store_suggestions"], ["per page:", "figures suggested"]),
    "bench_extract": (["extract_all", "load_document"], ["per page:"]),
    "bench_launch": (["launch to first painted window", "launch to the sample's text painted"],
                     ["RSS at first paint", "imported before the first paint"]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_benchmark_runs_on_a_tiny_input_and_prints_its_ratios(name):
    script = BENCH / f"{name}.py"
    res = run_all.run_one(script, run_all.quick_args(script), timeout=240)
    assert not res.error, f"{name}: {res.error}\n{res.output}"
    names = [r.name for r in res.rows]
    measures, lines = EXPECTED[name]
    for measure in measures:
        assert any(n.startswith(measure) for n in names), f"{measure!r} missing in:\n{res.output}"
    for line in lines:
        assert line in res.output
    for r in res.rows:
        assert r.ratio.endswith("x") and float(r.ratio[:-1]) > 0
        assert r.status in (("met", "not met") if r.target.endswith("(aim)") else ("OK", "OVER"))


def test_results_table_parses_ratio_memory_and_warning_lines():
    out = "\n".join([
        "generated 5 pages",
        "open 1000 pages -> first page painted            raw     7.434 ms  ours     9.907 ms  ratio  1.33x  "
        "(target <= 2.0x) OK",
        "peak RSS, 1000 pages open and scrolled through       208.7 MiB (target <= 400 MiB) OK, process high-water",
        "one edit redraw (reader vs raw reset+merge of one range) raw     4.482 us  ours    20.150 us  ratio  4.50x  "
        "(target <= 10.0x) OK",
        "suggest() pass, 5 p vs get_text words            raw     0.006 s  ours     0.025 s  ratio  4.50x  "
        "(target <= 1.5x) OVER",
        "detect_figures vs get_text('words'), generated   raw   989.705 ms  ours   708.329 ms  ratio  0.72x  "
        "(aim <= 0.25x) not met",
        "WARNING: pymupdf imported before the first paint (slow start-up: import lazily)",
        "per page: get_text('words') 1.31 ms | suggest 7.26 ms",
    ])
    rows, warnings = run_all.parse_output("bench_x", out)
    assert [(r.name, r.ratio, r.target, r.status) for r in rows] == [
        ("open 1000 pages -> first page painted", "1.33x", "<= 2.0x", "OK"),
        ("peak RSS, 1000 pages open and scrolled through", "-", "<= 400 MiB", "OK"),
        ("one edit redraw (reader vs raw reset+merge of one range)", "4.50x", "<= 10.0x", "OK"),
        ("suggest() pass, 5 p vs get_text words", "4.50x", "<= 1.5x", "OVER"),
        ("detect_figures vs get_text('words'), generated", "0.72x", "<= 0.25x (aim)", "not met"),
    ]
    assert rows[1].ours == "208.7 MiB"
    assert warnings == ["WARNING: pymupdf imported before the first paint (slow start-up: import lazily)"]


def test_run_all_writes_the_table_with_the_machine(tmp_path):
    out = tmp_path / "RESULTS.md"
    code = run_all.main(["--quick", "--only", "bench_extract", "--output", str(out)])
    assert code in (0, 1)  # 1: a measure over its target on this tiny input
    text = out.read_text(encoding="utf-8")
    assert "| benchmark | measure | raw | ours | ratio | target | result |" in text
    assert "| extract | extract_all, 5 p vs open+get_text words |" in text
    for key in ("nproc", "python", "PySide6", "PyMuPDF", "SQLite"):
        assert key in text
    assert "### bench_extract" in text


def test_a_crashing_benchmark_is_reported_not_hidden(tmp_path):
    script = tmp_path / "bench_broken.py"
    script.write_text("raise SystemExit(__import__('nonexistent_module_for_the_test'))\n", encoding="utf-8")
    res = run_all.run_one(script, [], timeout=60)
    assert res.error.startswith("crashed")
    assert res.rows == []
