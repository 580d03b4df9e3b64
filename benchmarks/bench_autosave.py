"""Autosave of one edit vs a raw one-row upsert in WAL mode (issue 2: <= 5x).

Run: python benchmarks/bench_autosave.py
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import report, side_by_side  # noqa: E402

from annotator.core.model import Figure  # noqa: E402
from annotator.core.store import AnnotationStore  # noqa: E402


def main() -> int:
    tmp = Path(tempfile.mkdtemp())
    store = AnnotationStore.open(tmp / "bench.annot", author="bench")
    figs = [store.add(Figure(document_id="d", start=i, end=i + 3, exact="1,0")) for i in range(500)]

    raw = sqlite3.connect(tmp / "raw.sqlite", isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")
    raw.execute("CREATE TABLE figures (id TEXT PRIMARY KEY, note TEXT, updated TEXT)")
    raw.executemany("INSERT INTO figures VALUES (?, '', '')", [(f.id,) for f in figs])

    counter = {"n": 0}

    def raw_edit():
        counter["n"] += 1
        fid = figs[counter["n"] % len(figs)].id
        raw.execute("BEGIN")
        raw.execute(
            "INSERT INTO figures (id, note, updated) VALUES (?, ?, 'now') "
            "ON CONFLICT(id) DO UPDATE SET note = excluded.note, updated = excluded.updated",
            [fid, f"note {counter['n']}"],
        )
        raw.execute("COMMIT")

    def our_edit():
        counter["n"] += 1
        store.update(Figure, figs[counter["n"] % len(figs)].id, note=f"note {counter['n']}")

    raw_t, ours_t = side_by_side(raw_edit, our_edit, repeat=400, rounds=7)
    ok = report("autosave one edit (store.update vs raw upsert)", raw_t, ours_t, 5.0, unit="us", scale=1e6)
    store.close()
    raw.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
