"""Exports that cannot be written: a clear message, and never a half-written file."""

from __future__ import annotations

import errno
import os

import pytest

from annotator.core.errors import ExportError
from annotator.core.exports import export
from annotator.core.exports import atomic
from annotator.core.exports.atomic import atomic_write
from export_support import sample_store

ALL_TEXT_FORMATS = ["csv", "w3c", "html", "claimreview"]
SETTINGS = {"organisation": "Desk"}


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("fmt", ALL_TEXT_FORMATS)
def test_missing_folder(tmp_path, fmt):
    store, _ = sample_store()
    with pytest.raises(ExportError, match="does not exist"):
        export(store, fmt, tmp_path / "no" / "such" / "out.txt", settings=SETTINGS)
    assert _leftovers(tmp_path) == []


def test_folder_that_is_a_file(tmp_path):
    store, _ = sample_store()
    (tmp_path / "notes.txt").write_text("a file")
    with pytest.raises(ExportError, match="is a file, not a folder"):
        export(store, "csv", tmp_path / "notes.txt" / "out.csv")
    assert (tmp_path / "notes.txt").read_text() == "a file"


def test_destination_is_a_folder(tmp_path):
    store, _ = sample_store()
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export(store, "csv", tmp_path / "out.csv")


def test_read_only_folder(tmp_path, monkeypatch):
    """Tests run as root in CI, where chmod does not stop writes: simulate the refusal."""
    store, _ = sample_store()

    def refuse(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    with pytest.raises(ExportError, match="permission denied"):
        export(store, "html", tmp_path / "r.html")
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ALL_TEXT_FORMATS)
def test_full_disk_leaves_no_partial_file_and_keeps_the_old_one(tmp_path, monkeypatch, fmt):
    store, _ = sample_store()
    out = tmp_path / "export.out"
    out.write_bytes(b"previous export")
    real_fdopen = os.fdopen

    class FullDisk:
        """A file whose writes fail after a few bytes, as on a full disk."""

        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            self.fh.write(bytes(data)[:10])
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    with pytest.raises(ExportError, match="disk is full"):
        export(store, fmt, out, settings=SETTINGS)
    assert out.read_bytes() == b"previous export"
    assert _leftovers(tmp_path) == ["export.out"]


def test_failure_at_rename_cleans_up(tmp_path, monkeypatch):
    def boom(src, dst):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(ExportError, match="read-only"):
        atomic_write(tmp_path / "a.txt", "data")
    assert _leftovers(tmp_path) == []


def test_a_bug_in_the_writer_is_not_hidden_but_cleans_up(tmp_path):
    def writer(fh):
        fh.write(b"half")
        raise ValueError("bug")

    with pytest.raises(ValueError):
        atomic_write(tmp_path / "a.bin", writer)
    assert _leftovers(tmp_path) == []


def test_replaced_file_keeps_its_permissions(tmp_path):
    out = tmp_path / "shared.csv"
    out.write_text("old")
    os.chmod(out, 0o640)
    atomic_write(out, "new")
    assert out.read_text() == "new"
    assert (out.stat().st_mode & 0o777) == 0o640


def test_new_file_is_readable_by_others_like_any_new_file(tmp_path):
    out = atomic_write(tmp_path / "new.csv", "x")
    assert out.stat().st_mode & 0o444 == 0o444 & ~atomic._umask()


def test_export_refuses_to_overwrite_its_own_annotation_file(tmp_path):
    from annotator.core.store import AnnotationStore
    from export_support import populate, text_document

    path = tmp_path / "work.annot"
    store = AnnotationStore.open(path, author="A")
    populate(store, store.add_document(text_document()))
    with pytest.raises(ExportError, match="annotation file itself"):
        export(store, "csv", path)
    store.close()
    with AnnotationStore.open(path, create=False, readonly=True) as again:
        assert len(again.figures()) == 5
