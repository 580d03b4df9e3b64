"""Command-line entry point.

``annotator [FILE]`` starts the desktop app; ``annotator SUBCOMMAND ...`` runs a
script-friendly command (see :mod:`annotator.commands`). Expected failures print
one clear line on stderr and exit non-zero; they never show a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys

from annotator import __version__
from annotator.core.errors import UserError

log = logging.getLogger("annotator")


def _command_modules():
    import annotator.commands as pkg

    mods = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        mods.append(importlib.import_module(f"annotator.commands.{info.name}"))
    return mods


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Mark figures in articles and PDFs, attribute them, review and merge annotation files.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands = {}
    for mod in _command_modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.register(p)
        commands[mod.NAME] = mod
    return parser, commands


def command_names() -> set[str]:
    """Subcommand names, read from the module names without importing them (start-up stays fast)."""
    import annotator.commands as pkg

    return {info.name.rstrip("_") for info in pkgutil.iter_modules(pkg.__path__) if not info.name.startswith("_")}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not argv or argv[0] not in command_names() and argv[0] not in ("-h", "--help", "--version"):
        # No subcommand: the desktop app, optionally with files to open.
        from annotator.qt.app import run_gui  # Qt only when the GUI is asked for

        return run_gui(argv)
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(commands[args.command].run(args) or 0)
    except UserError as exc:
        print(f"annotator {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"annotator {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
