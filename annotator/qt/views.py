"""What the main window expects from a document view (the article reader, the PDF view).

Both views sit in the window's central QStackedWidget. Every offset crossing this
interface is a code-point offset into the stored document text (``store.document_text``),
never a Qt (UTF-16) position.

Signals a view has:

- ``selectionChanged()`` — the text selection changed;
- ``figureActivated(str)`` — the user put the cursor in (clicked) a figure's highlight.

Methods (see :class:`DocumentView`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from annotator.core.model import DocumentInfo
from annotator.qt.highlights import Highlight


@dataclass(frozen=True)
class Selection:
    """Selected text: code points ``[start, end)`` of the document text; PDFs add page and quads."""

    start: int
    end: int
    page: int | None = None
    quads: list | None = None


@runtime_checkable
class DocumentView(Protocol):
    def set_document(self, info: DocumentInfo, text: str, data: bytes | None = None,
                     password: str | None = None) -> None:
        """Show a document. ``data`` holds the original bytes (PDF view); the reader ignores it.
        May raise :class:`annotator.core.errors.PasswordRequired` (encrypted PDF) or ``DocumentError``."""

    def clear(self) -> None:
        """Show nothing (no document open)."""

    def selection(self) -> Selection | None:
        """The current text selection, or None when nothing is selected."""

    def set_highlights(self, highlights: Mapping[str, Highlight], changed: Iterable[str] | None = None) -> None:
        """Draw ``highlights`` (key -> Highlight). ``changed`` lists the keys that were added, removed or
        changed since the last call (None: redraw everything). The mapping is the full current set."""

    def select_span(self, start: int, end: int) -> None:
        """Select ``[start, end)`` as a user dragging over it would (scripts and tests use it)."""

    def reveal(self, start: int, end: int, page: int | None = None, select: bool = True) -> None:
        """Scroll so that ``[start, end)`` is visible (centred) and select it when ``select``."""

    def find(self, text: str, backward: bool = False, case_sensitive: bool = False) -> bool:
        """Select the next (previous) match after (before) the current selection, wrapping around."""

    def zoom(self, step: int) -> None:
        """Zoom in (step > 0), out (step < 0), or back to the normal size (step == 0)."""

    # Optional: ``span_geometry(start, end) -> (page, quads) | None`` (page-based views), used to
    # store the quads of a figure or evidence span as snapped to words; and a ``message(str)``
    # signal for status-bar notes ("page 3 has no text layer").
