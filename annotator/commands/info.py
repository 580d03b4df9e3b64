"""``annotator info FILE``: what an annotation file holds."""

from __future__ import annotations

import json
import sys

NAME = "info"
HELP = "Show an annotation file's documents, counts, authors and schema version (--json for scripts)."


def register(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="annotation file")
    parser.add_argument("--json", action="store_true", help="print a machine-readable description")


def run(args) -> int:
    from annotator.core.merge import leave_no_sidecars
    from annotator.core.review import describe_file
    from annotator.core.store import AnnotationStore

    # read-only: looking at a file never changes it (not even a migration)
    with leave_no_sidecars([args.file]):
        with AnnotationStore.open(args.file, create=False, readonly=True) as store:
            info = describe_file(store)
    if args.json:
        json.dump(info, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    w = sys.stdout.write
    c = info["counts"]
    w(f"{info['file']}: annotation file, format version {info['schema_version']}\n")
    if info.get("created"):
        w(f"Created {info['created']} with {info.get('created_with') or 'annotator'}\n")
    w(f"Documents ({len(info['documents'])}):\n")
    for d in info["documents"]:
        extra = f", {d['pages']} pages" if d.get("pages") else ""
        w(f"  “{d['title'] or d['source_name'] or 'untitled'}” ({d['kind']}{extra}), {d['figures']} figures\n")
        w(f"      SHA-256 {d['sha256']}\n")
        if d.get("url"):
            w(f"      {d['url']}\n")
    w(
        f"Figures: {c['figures']}  Speakers: {c['speakers']}  Attributions: {c['attributions']}  "
        f"Comments: {c['comments']}  Relations: {c['relations']}\n"
    )
    r = info["review"]
    w(
        f"Review: {r.get('accepted', 0)} accepted, {r.get('disputed', 0)} disputed, "
        f"{r.get('needs_source', 0)} need a source, {r.get('unreviewed', 0)} not reviewed\n"
    )
    w(f"Open conflicts: {c['conflicts']}\n")
    w(f"Authors: {', '.join(info['authors']) or '(none)'}\n")
    return 0
