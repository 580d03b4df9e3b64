"""``annotator check FILE [--suggest] [--json]``: recompute the relations between figures.

Lists every relation of the annotation file (confirmed and suggested; ``--all`` adds the
rejected ones), what its derived figure should be, what the text says, the tolerance that
the way it was written allows, and every mismatch. With ``--suggest`` the relations the app
proposes are first added to FILE as suggestions (nothing else changes in the file; without
``--suggest`` the file is opened read-only).

JSON (``--json``)::

    {"file": "...", "suggested": 4,
     "relations": [{"id", "kind", "relation_status", "status", "target": {figure}, "inputs": [{figure}],
                    "params", "expected", "expected_range", "actual", "allowed", "tolerance",
                    "tolerance_rule", "unit", "computation", "message", "note"}],
     "mismatches": [relation ids whose status is "mismatch" or "unit_mismatch"],
     "counts": {"ok": n, "mismatch": n, "unit_mismatch": n, "incomplete": n}}

``status`` is "ok", "mismatch", "unit_mismatch" or "incomplete" (a figure or the exchange
rate is missing). Exit status 0, or 1 with ``--strict`` when there is a mismatch; 2 for bad
input.
"""

from __future__ import annotations

import json
import sys

NAME = "check"
HELP = "Recompute the relations between figures of an annotation file and list every mismatch."

_MARK = {"ok": "✓ ok", "mismatch": "✗ MISMATCH", "unit_mismatch": "✗ UNITS", "incomplete": "… incomplete"}


def register(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="the annotation file (.annot)")
    parser.add_argument("--suggest", action="store_true",
                        help="first add the relations the app proposes (as suggestions) to FILE")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a readable listing")
    parser.add_argument("--all", action="store_true", help="also list rejected relations")
    parser.add_argument("--author", default=None, metavar="NAME",
                        help="author recorded on added suggestions (default: annotator)")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when there is a mismatch")


def run(args) -> int:
    from annotator.core.checks import check_all
    from annotator.core.checks_suggest import SUGGESTION_AUTHOR, add_suggestions
    from annotator.core.store import AnnotationStore

    store = AnnotationStore.open(args.file, create=False, readonly=not args.suggest)
    try:
        added = add_suggestions(store, author=args.author or SUGGESTION_AUTHOR) if args.suggest else []
        statuses = ("confirmed", "suggested", "rejected") if args.all else ("confirmed", "suggested")
        results = check_all(store, statuses=statuses)
    finally:
        store.close()
    mismatches = [r.relation.id for r in results if r.is_mismatch]
    counts = {k: sum(1 for r in results if r.status == k) for k in ("ok", "mismatch", "unit_mismatch", "incomplete")}
    if args.json:
        doc = {
            "file": str(args.file),
            "suggested": len(added),
            "relations": [r.to_json() for r in results],
            "mismatches": mismatches,
            "counts": counts,
        }
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_listing(args.file, results, added, counts)
    return 1 if (args.strict and mismatches) else 0


def _print_listing(path, results, added, counts) -> None:
    out = sys.stdout
    head = f"{path}: {len(results)} relation{'s' if len(results) != 1 else ''}"
    if added:
        head += f" ({len(added)} suggested just now)"
    out.write(head + "\n")
    if not results:
        out.write("No relations yet. Run with --suggest to add the ones the text suggests.\n")
        return
    for r in results:
        rel = r.relation
        target = r.target.exact if r.target else "(missing figure)"
        flag = "" if rel.status == "confirmed" else f" [{rel.status}]"
        out.write(f"\n{_MARK.get(r.status, r.status)}  {rel.kind}{flag}: “{' '.join(target.split())}”\n")
        out.write(f"    {r.computation or r.message}\n")
        if r.status != "ok" and r.message and r.message != r.computation:
            out.write(f"    → {r.message}\n")
        if rel.note:
            out.write(f"    note: {rel.note}\n")
    out.write(
        f"\n{counts['ok']} ok, {_n(counts['mismatch'], 'mismatch')}, "
        f"{_n(counts['unit_mismatch'], 'unit mismatch')}, {counts['incomplete']} incomplete\n"
    )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "es")
