"""annotator: mark figures in news articles and PDFs, attribute them to speakers, review and merge."""

from pathlib import Path

__version__ = "0.1.0"

#: Top-level ``resources/`` folder (bundled sample article, icons).
RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SAMPLE_ARTICLE = RESOURCES / "iran-prison-amnesty-2023.txt"
