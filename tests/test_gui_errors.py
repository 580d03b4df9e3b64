"""Bad input never crashes the window and never touches an annotation file."""

from __future__ import annotations

import sqlite3
import time

import pytest
from gui_helpers import Messages, library_files, open_and_wait, press, select

from annotator.core import documents as documents_module
from annotator.core.errors import StoreError
from annotator.core.store import AnnotationStore
from annotator.qt import dialogs, settings
from annotator.qt.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def win(qtbot, sample_path):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    open_and_wait(qtbot, w, sample_path)
    select(w, "30,000")
    press(qtbot, w, "m")
    return w


def _make_pdf(path, *, password=None, text=True):
    from annotator.core.pdf import pymupdf

    fitz = pymupdf()
    doc = fitz.open()
    page = doc.new_page()
    if text:
        page.insert_text((72, 100), "The ministry said 4,200 prisoners were released.")
    else:
        page.draw_rect(fitz.Rect(72, 72, 300, 300), color=(0, 0, 0), fill=(0.5, 0.5, 0.5))
    kw = {}
    if password:
        kw = dict(encryption=fitz.PDF_ENCRYPT_AES_256, user_pw=password, owner_pw=password + "-owner")
    doc.save(str(path), **kw)
    doc.close()


def _bad_files(tmp_path):
    files = {}
    (tmp_path / "empty.txt").write_bytes(b"")
    files["empty.txt"] = "empty"
    (tmp_path / "junk.bin").write_bytes(bytes(range(256)) * 64)
    files["junk.bin"] = "junk.bin"
    (tmp_path / "mystery.xyz").write_bytes(b"\x00\x01\x02\xff" * 500)
    files["mystery.xyz"] = "mystery.xyz"
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    files["photo.png"] = "image"
    (tmp_path / "fake.pdf").write_bytes(b"this is not a pdf at all\n" * 10)
    files["fake.pdf"] = "fake.pdf"
    (tmp_path / "missing.txt").unlink(missing_ok=True)
    files["missing.txt"] = "missing.txt"
    (tmp_path / "junk.annot").write_bytes(b"not a database" * 10)
    files["junk.annot"] = "junk.annot"
    other = sqlite3.connect(tmp_path / "other.annot")
    other.execute("CREATE TABLE t(x)")
    other.commit()
    other.close()
    files["other.annot"] = "not an annotation file"
    newer = AnnotationStore.open(tmp_path / "newer.annot", author="x")
    newer.conn.execute("PRAGMA user_version=999")
    newer.close()
    files["newer.annot"] = "newer version"
    return files


def test_every_bad_input_shows_a_message_and_changes_no_annotation_file(win, qtbot, tmp_path, monkeypatch,
                                                                        qt_settings_sandbox):
    messages = Messages(monkeypatch)
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    cases = _bad_files(bad_dir)
    counts = win.store.counts()
    shown_doc = win.doc_id
    library = library_files(qt_settings_sandbox)
    bad_before = {p.name: p.read_bytes() for p in bad_dir.iterdir()}
    for name, expected in cases.items():
        messages.shown.clear()
        open_and_wait(qtbot, win, bad_dir / name)
        assert len(messages.texts) == 1, name
        assert expected.lower() in messages.texts[0].lower(), (name, messages.texts[0])
        assert "Traceback" not in messages.texts[0]
        # the open file and document stay as they were
        assert win.doc_id == shown_doc and win.store.counts() == counts, name
    assert library_files(qt_settings_sandbox) == library
    assert {name: (bad_dir / name).read_bytes() for name in bad_before} == bad_before


def test_encrypted_pdf_asks_for_the_password_until_it_is_right(win, qtbot, tmp_path, monkeypatch,
                                                               qt_settings_sandbox):
    messages = Messages(monkeypatch)
    pdf = tmp_path / "locked.pdf"
    _make_pdf(pdf, password="secret")
    asked = []
    answers = iter(["guess", "secret"])

    def ask(_parent, name, wrong):
        asked.append((name, wrong))
        return next(answers)

    monkeypatch.setattr(dialogs, "ask_password", ask)
    open_and_wait(qtbot, win, pdf)
    assert asked == [("locked.pdf", False), ("locked.pdf", True)]  # the second prompt says it was wrong
    assert messages.texts == []
    assert win.state.info.source_name == "locked.pdf"
    assert "4,200 prisoners" in win.state.text
    s, e = select(win, "4,200")
    press(qtbot, win, "m")
    assert [(f.start, f.page) for f in win.state.figures.values()] == [(s, 0)]


def test_cancelling_the_password_prompt_opens_nothing(win, qtbot, tmp_path, monkeypatch, qt_settings_sandbox):
    messages = Messages(monkeypatch)
    pdf = tmp_path / "locked.pdf"
    _make_pdf(pdf, password="secret")
    monkeypatch.setattr(dialogs, "ask_password", lambda *_a: None)
    before = library_files(qt_settings_sandbox)
    doc = win.doc_id
    open_and_wait(qtbot, win, pdf)
    assert win.doc_id == doc and messages.texts == []
    assert library_files(qt_settings_sandbox) == before


def test_page_without_text_layer_is_reported_without_a_modal_dialog(win, qtbot, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    pdf = tmp_path / "scan.pdf"
    _make_pdf(pdf, text=False)
    open_and_wait(qtbot, win, pdf)
    assert messages.texts == []
    assert win.state.info.source_name == "scan.pdf"
    assert "text" in win.notice.text().lower()
    assert win.statusBar().currentMessage()


def test_a_damaged_pdf_is_repaired_or_refused_clearly(win, qtbot, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    good = tmp_path / "good.pdf"
    _make_pdf(good)
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(good.read_bytes()[: int(good.stat().st_size * 0.6)])
    open_and_wait(qtbot, win, damaged)
    if messages.texts:
        assert "damaged.pdf" in messages.texts[0]
    else:
        assert win.state.info.source_name == "damaged.pdf"


def test_a_slow_load_runs_off_the_ui_thread_and_can_be_cancelled(win, qtbot, tmp_path, monkeypatch,
                                                                   qt_settings_sandbox):
    messages = Messages(monkeypatch)
    doc = tmp_path / "slow.txt"
    doc.write_text("One 1 figure.\n", encoding="utf-8")
    started = []

    def slow_load(path, password=None, progress=None, cancel=None):
        started.append(True)
        for i in range(400):
            if cancel():
                from annotator.core.errors import Cancelled

                raise Cancelled()
            progress(i, 400)
            time.sleep(0.005)
        raise AssertionError("the load was not cancelled")

    monkeypatch.setattr(documents_module, "load_document", slow_load)
    before = library_files(qt_settings_sandbox)
    failed = []
    win.openFailed.connect(failed.append)
    win.open_path(doc)
    qtbot.waitUntil(lambda: bool(started))
    # the UI thread keeps running events while the worker loads
    ticks = []
    from PySide6.QtCore import QTimer

    QTimer.singleShot(10, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: bool(ticks), timeout=1000)
    assert win.is_loading()
    from PySide6.QtWidgets import QPushButton

    win._progress.findChild(QPushButton).click()  # the progress dialog's Cancel button
    qtbot.waitUntil(lambda: not win.is_loading(), timeout=5000)
    assert failed == ["cancelled"] and messages.texts == []
    assert library_files(qt_settings_sandbox) == before


def test_a_failed_save_is_reported_and_leaves_no_undo_step(win, qtbot, monkeypatch):
    messages = Messages(monkeypatch)
    f = next(iter(win.state.figures.values()))
    win.go_to_figure(f.id)
    steps = win.undo_stack.count()

    def locked(*_a, **_k):
        raise StoreError("“x.annot” is locked by another program; your change was not saved. Try again.")

    monkeypatch.setattr(win.store, "update", locked)
    press(qtbot, win, "1")
    assert messages.texts and "locked" in messages.texts[0]
    assert win.undo_stack.count() == steps
    assert win.state.figures[f.id].verdict == "unchecked"


def test_library_folder_that_cannot_be_created_is_reported(qtbot, tmp_path, monkeypatch, sample_path):
    messages = Messages(monkeypatch)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    settings.set_library_dir(blocker / "annotations")
    w = MainWindow()
    qtbot.addWidget(w)
    open_and_wait(qtbot, w, sample_path)
    assert w.store is None
    assert messages.texts and "annotation folder" in messages.texts[0]


def test_cancelling_while_a_pdf_text_is_read_closes_it_and_writes_nothing(qtbot, tmp_path, monkeypatch,
                                                                          qt_settings_sandbox):
    messages = Messages(monkeypatch)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    if w._pdf_view() is None:
        pytest.skip("no PDF view installed")
    pdf = tmp_path / "big.pdf"
    _make_pdf(pdf)

    def slow(source, progress=None, cancel=None):
        for i in range(400):
            if cancel():
                from annotator.core.errors import Cancelled

                raise Cancelled()
            progress(i, 400)
            time.sleep(0.005)
        raise AssertionError("the reading was not cancelled")

    monkeypatch.setattr(documents_module, "document_from_source", slow)
    failed = []
    w.openFailed.connect(failed.append)
    w.open_path(pdf)
    assert w.pdf_view.pdf.source() is not None  # page 1 is shown at once
    from PySide6.QtWidgets import QPushButton

    w._progress.findChild(QPushButton).click()
    qtbot.waitUntil(lambda: not w.is_loading(), timeout=5000)
    assert failed == ["cancelled"] and messages.texts == []
    assert w.pdf_view.pdf.source() is None and w.store is None
    assert library_files(qt_settings_sandbox) == {}
