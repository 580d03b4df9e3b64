"""Merging 10 files of 10,000 figures each into one (issue 4: <= 2x a raw ATTACH + INSERT … SELECT … ON CONFLICT).

Every input holds the same document (same SHA-256, a different document id in each file, as
when ten checkers each open the article), 10,000 figures, 150 speakers and 10,000
attributions. 500 figures and 50 speakers come from a shared starting file; each input
edits some of the shared figures (fast-forwards) and two inputs edit the same ones
differently (conflicts). Our merge checks each input (integrity check, foreign code),
maps the document ids, follows the revision history and records conflicts; the raw
baseline attaches the same files and copies the same rows with
``INSERT … SELECT … ON CONFLICT(id) DO UPDATE`` (last write wins), in one transaction.

Run: python benchmarks/bench_merge.py [--files 10] [--figures 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import report  # noqa: E402

from annotator.core.merge import MERGE_CACHE_KIB, _encode, merge_files  # noqa: E402
from annotator.core.model import Attribution, Figure, Speaker, new_id  # noqa: E402
from annotator.core.store import AnnotationStore  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "iran-prison-amnesty-2023.txt"


class _Doc:
    def __init__(self, text: str):
        self.text = text
        self.data = text.encode()
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self.kind = "text"
        self.title = "Iran prison amnesty"
        self.source_name = SAMPLE.name
        self.metadata = {}
        self.pages = None
        self.paragraphs = [(0, len(text))]


def _insert(conn: sqlite3.Connection, recs: list) -> None:
    if not recs:
        return
    names = recs[0].field_names()
    cols = ", ".join(f'"{c}"' for c in names)
    marks = ", ".join("?" for _ in names)
    conn.executemany(f"INSERT OR REPLACE INTO {recs[0].TABLE} ({cols}) VALUES ({marks})", [_encode(r) for r in recs])


def make_inputs(folder: Path, files: int, figures: int) -> list[Path]:
    text = SAMPLE.read_text(encoding="utf-8")
    doc = _Doc(text)
    n_text = len(text)
    # the shared starting point
    shared_sp = [Speaker(name=f"Shared speaker {i}", author="lead", rev=new_id(), created="2026-01-01T00:00:00.000Z",
                         updated="2026-01-01T00:00:00.000Z") for i in range(50)]
    shared_figs = [
        Figure(document_id="", start=(i * 7) % (n_text - 10), end=(i * 7) % (n_text - 10) + 5, exact="x",
               author="lead", rev=new_id(), created="2026-01-01T00:00:00.000Z", updated="2026-01-01T00:00:00.000Z")
        for i in range(500)
    ]
    paths = []
    for k in range(files):
        path = folder / f"checker{k}.annot"
        store = AnnotationStore.open(path, author=f"checker{k}")
        doc_id = store.add_document(doc)
        author = f"checker{k}"
        t = f"2026-02-{k + 1:02d}T00:00:00.000Z"
        speakers = list(shared_sp)
        speakers += [Speaker(name=f"Speaker {k}-{i}", author=author, rev=new_id(), created=t, updated=t)
                     for i in range(100)]
        figs = []
        for i, f in enumerate(shared_figs):
            f = f.replace(document_id=doc_id)
            if i % 10 == k:  # this checker edits some shared figures: a fast-forward
                f = f.replace(verdict="accurate", rev=new_id(), prev_revs=[f.rev], updated=t)
            elif k < 2 and i % 10 == 9:  # the first two edit the same ones differently: conflicts
                f = f.replace(verdict=("inaccurate", "misleading")[k], rev=new_id(), prev_revs=[f.rev], updated=t)
            figs.append(f)
        for i in range(figures - len(shared_figs)):
            s = (i * 13) % (n_text - 10)
            figs.append(Figure(document_id=doc_id, start=s, end=s + 6, exact=text[s:s + 6],
                               prefix=text[max(0, s - 32):s], suffix=text[s + 6:s + 38], value=float(i),
                               unit="people", author=author, rev=new_id(), created=t, updated=t))
        own = figs[len(shared_figs):]
        atts = [Attribution(figure_id=f.id, speaker_id=speakers[i % len(speakers)].id, author=author,
                            rev=new_id(), created=t, updated=t) for i, f in enumerate(own)]
        atts += [Attribution(figure_id=own[i].id, speaker_id=speakers[0].id, role="relays", author=author,
                             rev=new_id(), created=t, updated=t) for i in range(min(len(own), figures - len(atts)))]
        with store.transaction():
            _insert(store.conn, speakers)
            _insert(store.conn, figs)
            _insert(store.conn, atts)
        store.close()
        paths.append(path)
    return paths


RAW_TABLES = ("speakers", "figures", "attributions", "comments", "relations")


def raw_merge(target: Path, inputs: list[Path]) -> None:
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    # the same page cache our merge gives itself, so the ratio measures the merge logic only
    conn.execute(f"PRAGMA cache_size=-{MERGE_CACHE_KIB}")
    cols = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in (*RAW_TABLES, "documents")}
    for i, p in enumerate(inputs):
        conn.execute(f"ATTACH DATABASE ? AS in{i}", [p.resolve().as_uri() + "?mode=ro"])
    conn.execute("BEGIN IMMEDIATE")
    for i in range(len(inputs)):
        dc = ", ".join(f'"{c}"' for c in cols["documents"])
        conn.execute(f"INSERT INTO documents ({dc}) SELECT {dc} FROM in{i}.documents WHERE true ON CONFLICT DO NOTHING")
        conn.execute("INSERT INTO document_files SELECT * FROM in{0}.document_files WHERE true "
                     "ON CONFLICT DO NOTHING".format(i))
        for t in RAW_TABLES:
            c = ", ".join(f'"{x}"' for x in cols[t])
            sets = ", ".join(f'"{x}" = excluded."{x}"' for x in cols[t] if x != "id")
            conn.execute(
                f"INSERT INTO {t} ({c}) SELECT {c} FROM in{i}.{t} WHERE true "
                f"ON CONFLICT(id) DO UPDATE SET {sets} WHERE excluded.updated > {t}.updated"
            )
    conn.execute("COMMIT")
    for i in range(len(inputs)):
        conn.execute(f"DETACH DATABASE in{i}")
    conn.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10)
    ap.add_argument("--figures", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-merge-"))
    try:
        t = time.perf_counter()
        inputs = make_inputs(tmp, args.files, args.figures)
        print(f"generated {args.files} files x {args.figures} figures in {time.perf_counter() - t:.1f} s "
              f"({sum(p.stat().st_size for p in inputs) / 1e6:.1f} MB)")
        template = tmp / "empty.annot"
        AnnotationStore.open(template, author="reviewer").close()
        raw_t, ours_t = [], []
        last = None
        for r in range(args.rounds):
            out = tmp / f"raw{r}.annot"
            shutil.copy(template, out)
            t = time.perf_counter()
            raw_merge(out, inputs)
            raw_t.append(time.perf_counter() - t)

            out = tmp / f"ours{r}.annot"
            shutil.copy(template, out)
            store = AnnotationStore.open(out, author="reviewer")
            t = time.perf_counter()
            last = merge_files(store, inputs)
            ours_t.append(time.perf_counter() - t)
            store.close()
        added = last.added
        print(f"ours: added {added['figures']} figures, {added['speakers']} speakers, "
              f"{added['attributions']} attributions; updated {last.updated['figures']} figures; "
              f"{len(last.conflicts)} conflicts")
        ok = report(f"merge {args.files} files x {args.figures} figures", statistics.median(raw_t),
                    statistics.median(ours_t), 2.0)
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
