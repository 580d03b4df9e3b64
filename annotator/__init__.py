"""annotator: mark figures in news articles and PDFs, attribute them to speakers, review and merge."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["RESOURCES", "SAMPLE_ARTICLE", "__version__"]


def __getattr__(name: str):
    """``RESOURCES``: the top-level ``resources/`` folder (bundled sample article, icons);
    ``SAMPLE_ARTICLE``: the bundled sample. Made on first use, so that importing a core module (the
    suggestion pass's helper process imports nothing else) does not import pathlib."""
    if name in ("RESOURCES", "SAMPLE_ARTICLE"):
        from pathlib import Path

        resources = Path(__file__).resolve().parent.parent / "resources"
        globals().update(RESOURCES=resources, SAMPLE_ARTICLE=resources / "iran-prison-amnesty-2023.txt")
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
