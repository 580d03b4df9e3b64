"""Exports: files other tools and people can read.

Use :func:`export` (or :func:`run_export` for a count and warnings)::

    from annotator.core.exports import FORMATS, export
    path = export(store, "csv", "figures.csv")                 # every document
    path = export(store, "pdf", "marked.pdf", document_id=doc.id)
    path = export(store, "claimreview", "reviews.json", settings={"organisation": "Factcheck.org"})

:data:`FORMATS` describes each format (name, file extension, label, description,
whether it needs a PDF document) for menus and file dialogs. Every export is
written atomically (temporary file, ``fsync``, rename): a failure raises
:class:`~annotator.core.errors.ExportError` with a clear message and never leaves a
half-written file. Formats are imported lazily, so importing this package is cheap.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ExportError
from annotator.core.exports.common import ExportResult


@dataclass(frozen=True)
class ExportFormat:
    name: str  # as given to ``annotator export --format``
    extension: str  # with the dot, for file dialogs
    label: str  # menu text
    description: str  # one sentence for tooltips and --help
    mime_type: str
    pdf_only: bool = False  # needs a PDF document
    module: str = ""

    @property
    def file_filter(self) -> str:
        """A Qt file-dialog filter, e.g. ``"CSV spreadsheet (*.csv)"``."""
        return f"{self.label} (*{self.extension})"


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "csv", ".csv", "CSV spreadsheet",
            "One row per figure (text, value, unit, speakers, verdict, review, note, page, offsets); "
            "UTF-8 that Excel and LibreOffice open with the right characters.",
            "text/csv", module="csv",
        ),
        ExportFormat(
            "w3c", ".jsonld", "W3C Web Annotations",
            "W3C Web Annotation Data Model JSON-LD, one annotation per figure with text-quote, "
            "text-position and page selectors; imports back into annotator.",
            "application/ld+json", module="w3c",
        ),
        ExportFormat(
            "pdf", ".pdf", "PDF with highlights",
            "A copy of the PDF carrying a highlight annotation per figure (author, speakers, value and "
            "verdict in the comment), visible in any PDF reader.",
            "application/pdf", pdf_only=True, module="pdf",
        ),
        ExportFormat(
            "html", ".html", "HTML report",
            "A standalone, printable report of the figures grouped by speaker, with the sentence around "
            "each, verdicts and notes; works offline.",
            "text/html", module="html",
        ),
        ExportFormat(
            "claimreview", ".json", "ClaimReview (schema.org)",
            "schema.org ClaimReview JSON-LD for every figure with a verdict, for publishing systems and "
            "search engines.",
            "application/ld+json", module="claimreview",
        ),
    )
}


def get_format(name: str) -> ExportFormat:
    fmt = FORMATS.get((name or "").strip().lower())
    if fmt is None:
        raise ExportError(f"Unknown export format “{name}”. Choose one of: {', '.join(FORMATS)}.")
    return fmt


def _refuse_overwriting_store(store, out_path: Path) -> None:
    src = getattr(store, "path", None)
    if src is None or str(src) == ":memory:":
        return
    try:
        same = Path(src).exists() and out_path.exists() and os.path.samefile(src, out_path)
    except OSError:
        same = False
    if same or Path(src).resolve() == out_path.resolve():
        raise ExportError(f"“{out_path.name}” is the annotation file itself: choose another file name.")


def run_export(store, fmt: str, out_path, document_id: str | None = None, settings=None) -> ExportResult:
    """Export and tell what was written (path, number of items, warnings)."""
    spec = get_format(fmt)
    out = Path(out_path).expanduser()
    _refuse_overwriting_store(store, out)
    mod = importlib.import_module(f"annotator.core.exports.{spec.module}")
    return mod.export(store, out, document_id=document_id, settings=settings)


def export(store, fmt: str, out_path, document_id: str | None = None, settings=None) -> Path:
    """Export the figures of one document (``document_id``: id, SHA-256 or file name) or of
    all documents to ``out_path`` in format ``fmt`` (a key of :data:`FORMATS`); returns the path.

    ``settings`` (a mapping, optional) may hold ``organisation`` and ``organisation_url``
    (ClaimReview author) and ``pdf_password`` (to export an encrypted PDF).
    """
    return run_export(store, fmt, out_path, document_id, settings).path


__all__ = ["FORMATS", "ExportFormat", "ExportResult", "export", "get_format", "run_export"]
