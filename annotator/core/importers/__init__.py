"""Imports: annotations made elsewhere brought into an annotation file.

* :func:`pdf_highlights` / :func:`import_pdf_highlights`: highlights already in a PDF
  (Acrobat, Okular, Zotero...) offered as figures with their authors and notes;
* :func:`import_w3c`: a W3C Web Annotation export (this app's, exactly; other tools'
  text annotations, as figures).

Failures (malformed JSON, not an export, a PDF without highlights, the document
missing) raise :class:`~annotator.core.errors.ExportError` with a clear message.
"""

from annotator.core.importers.common import ImportResult
from annotator.core.importers.pdf import (
    HighlightScan,
    ProposedFigure,
    import_pdf_highlights,
    pdf_highlights,
    scan_highlights,
)
from annotator.core.importers.w3c import annotations_in, import_w3c, read_json

__all__ = [
    "HighlightScan",
    "ImportResult",
    "ProposedFigure",
    "annotations_in",
    "import_pdf_highlights",
    "import_w3c",
    "pdf_highlights",
    "read_json",
    "scan_highlights",
]
