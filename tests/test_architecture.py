"""The core never imports Qt: it must run in scripts, on servers and in CI without a display."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE_DIRS = [ROOT / "annotator" / "core", ROOT / "annotator" / "commands"]
CORE_FILES = [ROOT / "annotator" / "cli.py", ROOT / "annotator" / "__init__.py"]


def _core_files():
    for d in CORE_DIRS:
        yield from sorted(d.rglob("*.py"))
    yield from CORE_FILES


def test_core_sources_do_not_import_qt():
    offenders = []
    for path in _core_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in ("PySide6", "PyQt5", "PyQt6", "shiboken6") or name.startswith("annotator.qt"):
                    # the CLI may start the GUI lazily, inside a function, when no subcommand is given
                    if path.name == "cli.py" and name == "annotator.qt.app":
                        continue
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    modules = []
    for path in _core_files():
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules.append(".".join(parts))
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "from annotator.cli import build_parser; build_parser()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
