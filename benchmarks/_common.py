"""Shared helpers for the benchmarks: side-by-side timing and ratio reporting."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def side_by_side(raw: Callable[[], object], ours: Callable[[], object], repeat: int, rounds: int = 5) -> tuple[float, float]:
    """Alternate raw and ours in rounds so machine noise hits both alike; return the two medians."""
    raw_t, ours_t = [], []
    for _ in range(rounds):
        raw_t.append(median_time(raw, repeat))
        ours_t.append(median_time(ours, repeat))
    return statistics.median(raw_t), statistics.median(ours_t)


def report(name: str, raw: float, ours: float, target: float, unit: str = "ms", scale: float = 1000.0,
           aim: bool = False) -> bool:
    """Print one ratio line and return whether it is within ``target``.

    ``aim``: the bound is the project's own aim, not a target an issue sets: the line says
    "(aim <= ...) met / not met" and a miss does not count as over target (returns True)."""
    ratio = ours / raw if raw else float("inf")
    ok = ratio <= target
    if aim:
        verdict = f"(aim <= {target}x) {'met' if ok else 'not met'}"
    else:
        verdict = f"(target <= {target}x) {'OK' if ok else 'OVER'}"
    print(f"{name:<48} raw {raw * scale:9.3f} {unit}  ours {ours * scale:9.3f} {unit}  "
          f"ratio {ratio:5.2f}x  {verdict}")
    return ok or aim
