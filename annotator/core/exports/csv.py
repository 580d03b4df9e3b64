"""CSV: one row per figure, for spreadsheets.

UTF-8 with a byte-order mark, so Excel and LibreOffice pick the right encoding on
double-click; every field quoted as needed by :mod:`csv` (commas, quotes and line
breaks inside notes survive); CRLF line ends as RFC 4180 asks. Numbers are written
as plain numbers. A text cell that a spreadsheet would run as a formula (starting
with ``=``, ``@``, ``+`` or ``-`` and not a number) gets a leading apostrophe:
annotation files are shared, and a note must never execute in a colleague's
spreadsheet.
"""

from __future__ import annotations

import csv as _csv
import io
import math
import re

from annotator.core.exports.atomic import atomic_write
from annotator.core.exports.common import ExportResult, collect, review_label

COLUMNS = [
    "document",
    "document_sha256",
    "figure_id",
    "exact",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "value_text",
    "speakers",
    "verdict",
    "review_status",
    "reviewer",
    "note",
    "author",
    "created",
    "updated",
    "page",
    "start",
    "end",
    "sentence",
]

_NUMBER = re.compile(r"^[+-]?(\d[\d,. ]*)?(\.\d+)?%?$")


def safe_cell(text: str) -> str:
    """Neutralise spreadsheet formulas in a text cell (see module docstring)."""
    if not text:
        return ""
    first = text[0]
    if first in "=@\t\r" or (first in "+-" and not _NUMBER.match(text.strip())):
        return "'" + text
    return text


def number_cell(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(x) if isinstance(x, float) else str(x)


def rows(store, document_id=None) -> list[dict]:
    out = []
    for d in collect(store, document_id):
        doc = d.document
        for fi in d.figures:
            f = fi.figure
            out.append(
                {
                    "document": safe_cell(doc.title or doc.source_name),
                    "document_sha256": doc.sha256,
                    "figure_id": f.id,
                    "exact": safe_cell(f.exact),
                    "value": number_cell(f.value),
                    "low": number_cell(f.low),
                    "high": number_cell(f.high),
                    "unit": safe_cell(f.unit or ""),
                    "qualifier": safe_cell(f.qualifier or ""),
                    "value_text": safe_cell(f.value_text()),
                    "speakers": safe_cell(fi.speakers_text()),
                    "verdict": f.verdict or "unchecked",
                    "review_status": review_label(f.review_status) if f.review_status else "",
                    "reviewer": safe_cell(f.reviewer),
                    "note": safe_cell(f.note),
                    "author": safe_cell(f.author),
                    "created": f.created,
                    "updated": f.updated,
                    # people count pages from 1
                    "page": "" if fi.page is None else str(fi.page + 1),
                    "start": str(f.start),
                    "end": str(f.end),
                    "sentence": safe_cell(" ".join(fi.sentence.split())),
                }
            )
    return out


def render(table: list[dict]) -> bytes:
    buf = io.StringIO(newline="")
    w = _csv.DictWriter(buf, fieldnames=COLUMNS, quoting=_csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writeheader()
    w.writerows(table)
    return buf.getvalue().encode("utf-8-sig")


def export(store, out_path, document_id=None, settings=None) -> ExportResult:
    table = rows(store, document_id)
    return ExportResult(atomic_write(out_path, render(table)), len(table))
