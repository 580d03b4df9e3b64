"""``annotator merge OUT IN [IN …]``: merge colleagues' annotation files into OUT."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from annotator.core.errors import UserError

NAME = "merge"
HELP = "Merge annotation files into OUT (created when missing); the input files are never changed."


def register(parser) -> None:
    parser.add_argument("out", metavar="OUT", help="annotation file to merge into (created if it does not exist)")
    parser.add_argument("inputs", metavar="IN", nargs="+", help="annotation files to merge from")
    parser.add_argument("--json", action="store_true", help="print a machine-readable summary")
    parser.add_argument("--dry-run", action="store_true", help="show what would change without writing OUT")
    parser.add_argument("--author", default="", help="your name, recorded on OUT when it is created")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


_SINGULAR = {
    "documents": "document",
    "figures": "figure",
    "speakers": "speaker",
    "attributions": "attribution",
    "comments": "comment",
    "relations": "relation",
}


def _counts(c) -> str:
    parts = [_plural(n, _SINGULAR.get(t, t)) for t, n in c.items() if n]
    return ", ".join(parts)


def _memory_copy(out: Path, author: str):
    """An in-memory copy of OUT (or a new empty file when OUT does not exist yet)."""
    import sqlite3

    from annotator.core.store import AnnotationStore

    if not out.exists():
        return AnnotationStore.create_memory(author=author)
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    src = sqlite3.connect(f"{out.resolve().as_uri()}?mode=ro", uri=True)
    try:
        src.backup(conn)
    finally:
        src.close()
    return AnnotationStore(out, conn, author, readonly=False)


def _remove_new_file(path: Path) -> None:
    for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def run(args) -> int:
    from annotator.core.merge import leave_no_sidecars

    with leave_no_sidecars([*args.inputs, args.out]):
        return _run(args)


def _run(args) -> int:
    from annotator.core.merge import merge_files
    from annotator.core.store import AnnotationStore, inspect_file

    out = Path(args.out)
    inputs = [Path(p) for p in args.inputs]
    # check every input before touching OUT, so a refused input leaves OUT exactly as it was
    for p in inputs:
        inspect_file(p)
    out_exists = out.exists()
    if out_exists:
        inspect_file(out)
        for p in inputs:
            if os.path.samefile(p, out):
                raise UserError(f"“{p.name}” is OUT itself; a file cannot be merged into itself.")
    if args.dry_run:
        store = _memory_copy(out, args.author)  # OUT is only read, never opened for writing
    else:
        store = AnnotationStore.open(out, author=args.author)
    ok = False
    try:
        report = merge_files(store, inputs, dry_run=args.dry_run)
        ok = True
    finally:
        store.close()
        if not ok and not out_exists and not args.dry_run:
            _remove_new_file(out)
    report.target = str(out)
    if args.json:
        data = report.to_dict()
        data["created"] = not out_exists
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    _print_report(report, out, created=not out_exists)
    return 0


def _print_report(report, out: Path, created: bool) -> None:
    w = sys.stdout.write
    verb = "Would merge" if report.dry_run else "Merged"
    w(f"{verb} {_plural(len(report.sources), 'file')} into {out.name}{' (new file)' if created else ''}.\n")
    for s in report.sources:
        bits = []
        for d in s.documents:
            if d.how == "sha256":
                bits.append(f"document “{d.title}” (same fingerprint)")
            elif d.how == "text":
                bits.append(
                    f"document “{d.title}” is another version of “{d.target_title}” "
                    f"({d.similarity:.0%} similar): annotations re-anchored, that version not added"
                )
            else:
                bits.append(f"new document “{d.title}”")
        if sum(s.added.values()):
            bits.append("added " + _counts(s.added))
        if sum(s.updated.values()):
            bits.append("updated " + _counts(s.updated))
        if sum(s.kept_local.values()):
            bits.append("kept newer local " + _counts(s.kept_local))
        if sum(s.conflicts.values()):
            bits.append(_plural(sum(s.conflicts.values()), "conflict"))
        if sum(s.invalid.values()):
            bits.append(f"skipped {_counts(s.invalid)} that could not be read")
        if not any(sum(c.values()) for c in (s.added, s.updated, s.conflicts)):
            bits.append("nothing new")
        w(f"  {s.name}: " + "; ".join(bits) + ".\n")
    if report.conflicts:
        w(f"Conflicts to resolve ({len(report.conflicts)}): open {out.name} in annotator and choose a side.\n")
        for c in report.conflicts:
            what = ", ".join(c.fields) or "history"
            verb = "differs" if len(c.fields) == 1 else "differ"
            w(f"  {_SINGULAR.get(c.table, c.table)} “{c.label}”: {what} {verb} (from {c.source})\n")
    if report.settled:
        w(f"Conflicts settled by a later file of this merge: {report.settled}.\n")
    if report.imported_conflicts:
        w(f"Unresolved conflicts carried over from the inputs: {report.imported_conflicts}.\n")
    if report.orphans:
        w(f"Orphans ({len(report.orphans)}): kept with the flag “orphan”, not placed in the text.\n")
        for o in report.orphans:
            w(f"  figure “{o.old_text}” (from {o.source}; not found in “{o.document}”)\n")
    if report.figure_changed:
        w(f"Figures whose digits changed ({len(report.figure_changed)}): flagged “figure_changed”.\n")
        for o in report.figure_changed:
            w(f"  “{o.old_text}” now reads “{o.new_text}” (from {o.source})\n")
    if report.evidence_orphans:
        w(f"Attribution evidence not found ({len(report.evidence_orphans)}): quote kept, highlight removed.\n")
        for o in report.evidence_orphans:
            w(f"  “{o.old_text}” (from {o.source})\n")
    if report.speaker_proposals:
        w("Speakers that may be the same (not merged; merge them in the Speakers panel if they are):\n")
        for p in report.speaker_proposals:
            who = " = ".join(f"“{s['name']}” ({s['author'] or 'unknown'})" for s in p.speakers)
            w(f"  {who}\n")
    if report.dry_run:
        w(f"Dry run: {out.name} was not changed.\n")
