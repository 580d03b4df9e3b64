"""``annotator export``: every format from the command line; bad input exits 2 with one
clear line on stderr and leaves no file behind."""

from __future__ import annotations

import csv
import io
import json

import pypdf
import pytest

from annotator.cli import main
from annotator.core.store import AnnotationStore
from export_support import make_pdf, mark, pdf_document, populate, text_document


@pytest.fixture
def annot(tmp_path):
    path = tmp_path / "work.annot"
    store = AnnotationStore.open(path, author="Chloé")
    populate(store, store.add_document(text_document()))
    pdf = pdf_document(make_pdf([["Prices rose 7.5 percent in May."]]))
    pdf_id = store.add_document(pdf)
    mark(store, pdf_id, pdf.text, "7.5 percent", verdict="accurate")
    store.close()
    return path


def test_every_format(annot, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", str(annot), "--format", "csv", "-o", str(out / "f.csv")]) == 0
    assert "Wrote 6 figures" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO((out / "f.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert len(rows) == 6

    assert main(["export", str(annot), "-f", "w3c", "-o", str(out / "f.jsonld")]) == 0
    assert json.loads((out / "f.jsonld").read_text(encoding="utf-8"))["total"] == 6

    assert main(["export", str(annot), "-f", "html", "-o", str(out / "r.html"), "--document", "iran.txt"]) == 0
    assert "Wrote 5 figures" in capsys.readouterr().out

    assert main(["export", str(annot), "-f", "claimreview", "-o", str(out / "cr.json"),
                 "--organisation", "Desk", "--organisation-url", "https://desk.example"]) == 0
    reviews = json.loads((out / "cr.json").read_text(encoding="utf-8"))
    assert len(reviews) == 5 and reviews[0]["author"]["url"] == "https://desk.example"

    assert main(["export", str(annot), "-f", "pdf", "-o", str(out / "m.pdf")]) == 0
    assert "Wrote 1 highlight to" in capsys.readouterr().out
    (a,) = pypdf.PdfReader(out / "m.pdf").pages[0]["/Annots"]
    assert a.get_object()["/T"] == "Chloé"


def _files(folder):
    # SQLite may leave its -wal/-shm companions next to the annotation file it read
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("work.annot-"))


@pytest.mark.parametrize("argv_tail, message", [
    (["-f", "csv", "-o", "{tmp}/missing/f.csv"], "does not exist"),
    (["-f", "claimreview", "-o", "{tmp}/cr.json"], "organisation"),
    (["-f", "html", "-o", "{tmp}/r.html", "--document", "nope"], "No document “nope”"),
    (["-f", "csv", "-o", "{annot}"], "annotation file itself"),
])
def test_bad_requests_exit_2_with_a_clear_message(annot, tmp_path, capsys, argv_tail, message):
    before = _files(tmp_path)
    argv = ["export", str(annot)] + [a.format(tmp=tmp_path, annot=annot) for a in argv_tail]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("annotator export: ") and message in err and "Traceback" not in err
    assert _files(tmp_path) == before


def test_not_an_annotation_file(tmp_path, capsys):
    bogus = tmp_path / "notes.annot"
    bogus.write_text("hello", encoding="utf-8")
    assert main(["export", str(bogus), "-f", "csv", "-o", str(tmp_path / "x.csv")]) == 2
    assert "not an annotation file" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_unknown_format_is_refused_by_the_parser(annot, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export", str(annot), "-f", "docx", "-o", str(tmp_path / "x")])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
