import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
SAMPLE = ROOT / "resources" / "iran-prison-amnesty-2023.txt"


@pytest.fixture
def corpus_dir() -> Path:
    """The shared real-document corpus; tests using it skip when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- Qt settings sandbox
# GUI tests must never read or write the user's real settings or annotation folder. For every
# test that uses Qt (a test_gui* module, or a test taking qtbot/qapp), QSettings and
# QStandardPaths point into a fresh temporary folder, the author is preset (so no first-start
# dialog blocks), and the library folder is a temporary one.

GUI_AUTHOR = "Tester"


def _uses_qt(request) -> bool:
    name = request.node.path.name if hasattr(request.node, "path") else ""
    return name.startswith("test_gui") or bool({"qtbot", "qapp"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def qt_settings_sandbox(request, tmp_path_factory):
    """A temporary settings folder for Qt tests; yields it (None for tests without Qt)."""
    if not _uses_qt(request):
        yield None
        return
    from annotator.qt.settings import settings, use_folder

    base = tmp_path_factory.mktemp("qt-settings")
    use_folder(base, GUI_AUTHOR)
    yield base
    s = settings()
    s.clear()
    s.sync()
