"""Formatting of figure values for people (lists, exports, reports)."""

from __future__ import annotations

import math

_SCALES = ((1e15, "quadrillion"), (1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def format_number(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    ax = abs(x)
    for scale, word in _SCALES:
        if ax >= scale:
            v = x / scale
            s = f"{v:.3f}".rstrip("0").rstrip(".")
            return f"{s} {word}"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.6f}".rstrip("0").rstrip(".")


def format_value(value, low=None, high=None, unit=None) -> str:
    if low is not None and high is not None and value is None:
        text = f"{format_number(low)}–{format_number(high)}"
    else:
        text = format_number(value)
    if not text:
        return ""
    if unit == "percent":
        return f"{text}%"
    return f"{text} {unit}" if unit else text
