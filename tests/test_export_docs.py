"""docs/annotation-file.md describes every table and column of the annotation file, and
its example queries run on a real file (so people querying with sqlite3 or Datasette can
trust it)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from annotator.core.store import AnnotationStore
from export_support import populate, text_document

DOC = Path(__file__).resolve().parent.parent / "docs" / "annotation-file.md"
RECORD_COLUMNS = {"id", "author", "created", "updated", "deleted", "rev", "prev_revs"}


@pytest.fixture
def annot(tmp_path):
    path = tmp_path / "doc.annot"
    store = AnnotationStore.open(path, author="Chloé")
    populate(store, store.add_document(text_document()))
    store.close()
    return path


def _sections(md: str) -> dict[str, str]:
    parts = re.split(r"^### `([a-z_]+)`\s*$", md, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_every_table_and_column_is_described(annot):
    md = DOC.read_text(encoding="utf-8")
    sections = _sections(md)
    conn = sqlite3.connect(annot)
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE '\\_%' ESCAPE '\\'")]
    assert tables
    missing = []
    for table in tables:
        if table not in sections:
            missing.append(table)
            continue
        text = sections[table]
        described = set(re.findall(r"^\| `([a-z_0-9]+)`", text, flags=re.M))
        described |= {c for row in re.findall(r"^\| (`[a-z_0-9]+`(?:, `[a-z_0-9]+`)+)", text, flags=re.M)
                      for c in re.findall(r"`([a-z_0-9]+)`", row)}
        if "*(record columns)*" in text:
            described |= RECORD_COLUMNS
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        missing += [f"{table}.{c}" for c in columns if c not in described]
    conn.close()
    assert missing == []


def test_example_queries_run(annot):
    md = DOC.read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", md, flags=re.S)
    assert len(queries) >= 8
    conn = sqlite3.connect(f"{annot.resolve().as_uri()}?mode=ro", uri=True)
    results = {}
    for q in queries:
        if "writefile(" in q:  # a function of the sqlite3 shell only
            continue
        results[q.split("\n")[0]] = conn.execute(q).fetchall()
    conn.close()
    by_speaker = results["SELECT s.name AS speaker, a.role, f.exact, f.value, f.unit, f.verdict"]
    assert ("Roydad 24", "relays", "100 million rials", 1e8, "IRR", "accurate") in by_speaker
    # the context query cuts the document text at the figure's code-point offsets
    contexts = [row[1] for row in results["SELECT f.exact,"]]
    assert any("[30,000] protesters" in c for c in contexts)
