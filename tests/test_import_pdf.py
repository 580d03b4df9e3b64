"""Highlights already in a PDF (from other readers, or from this app's PDF export) are
offered as figures with their authors and notes."""

from __future__ import annotations

import pytest

from annotator.core.errors import ExportError
from annotator.core.exports import export
from annotator.core.importers import import_pdf_highlights, pdf_highlights, scan_highlights
from annotator.core.store import AnnotationStore
from export_support import attribute, make_pdf, mark, pdf_document, speaker

LINES = [
    ["Cover page."],
    ["The MEK said that at least 30,000 protesters were arrested.",
     "Each inmate costs around 100 million rials, said",
     "Mehdi Hajian on Monday."],
]


@pytest.mark.parametrize("rotation", [0, 90, 270])
def test_highlights_become_proposed_figures(rotation):
    data = make_pdf(LINES, rotation=rotation, highlights=[
        (1, "30,000 protesters", "Okular User", "Too high?"),
        (1, "100 million rials", "Zotero User", ""),
    ])
    doc = pdf_document(data)
    found = pdf_highlights(doc.data, doc.text, doc.pages)
    assert [(p.exact, p.author, p.note, p.page) for p in found] == [
        ("30,000 protesters", "Okular User", "Too high?", 1),
        ("100 million rials", "Zotero User", "", 1),
    ]
    for p in found:
        assert doc.text[p.start : p.end] == p.exact
        assert p.quads and all(len(q) == 8 for q in p.quads)
        # quads in display coordinates: inside the page as shown
        w, h = doc.pages[1].width, doc.pages[1].height
        for q in p.quads:
            assert all(-1 <= x <= w + 1 for x in q[0::2]) and all(-1 <= y <= h + 1 for y in q[1::2])


def test_a_highlight_over_two_lines_is_one_figure():
    data = make_pdf(LINES)
    import pymupdf

    pdf = pymupdf.open(stream=data)
    page = pdf[1]
    quads = page.search_for("rials, said", quads=True) + page.search_for("Mehdi Hajian", quads=True)
    page.add_highlight_annot(quads).set_info(title="Acrobat User", content="who?")
    doc = pdf_document(pdf.tobytes())
    (p,) = pdf_highlights(doc.data, doc.text, doc.pages)
    assert p.exact.startswith("rials, said") and p.exact.endswith("Mehdi Hajian")
    assert len(p.quads) == 2


def test_the_corpus_pdf_with_an_existing_highlight(corpus_dir):
    from annotator.core.documents import load_document

    doc = load_document(corpus_dir / "pdf" / "pypdf-example-existing-highlight-stamp-attachment.pdf")
    scan = scan_highlights(doc.data, doc.text, doc.pages)
    (p,) = scan.proposals
    assert p.exact == "France" and p.author == "Ievgen"
    assert p.note.startswith("Not only in Europe.")
    assert p.created.startswith("2025-10-30T09:28:06")  # +01:00 in the PDF, UTC here
    # the sticky note, the stamp and the attachment are not attached to text
    assert dict(scan.other_annotations) == {"Text": 1, "Stamp": 1, "FileAttachment": 1}
    store = AnnotationStore.create_memory(author="Me")
    doc_id = store.add_document(doc)
    result = import_pdf_highlights(store, doc_id)
    assert result.figures == 1
    (fig,) = store.figures(doc_id, statuses=("suggested",))
    assert (fig.exact, fig.author, fig.page) == ("France", "Ievgen", 0)
    assert fig.note.startswith("Not only in Europe.")


def test_import_adds_suggested_figures_once():
    data = make_pdf(LINES, highlights=[(1, "30,000", "Okular User", "check")])
    doc = pdf_document(data)
    store = AnnotationStore.create_memory(author="Me")
    doc_id = store.add_document(doc)
    first = import_pdf_highlights(store, doc_id)
    assert first.figures == 1
    (fig,) = store.figures(doc_id, statuses=("suggested",))
    assert fig.value == 30000  # parsed like a figure marked in the app
    assert fig.author == "Okular User"
    again = import_pdf_highlights(store, doc_id, status="confirmed")
    assert again.figures == 0 and again.already_present == 1


def test_own_pdf_export_is_recognised_on_import(tmp_path):
    data = make_pdf(LINES)
    doc = pdf_document(data)
    store = AnnotationStore.create_memory(author="Chloé")
    doc_id = store.add_document(doc)
    fig = mark(store, doc_id, doc.text, "30,000", verdict="accurate")
    attribute(store, fig, speaker(store, "MEK", "organisation"))
    out = export(store, "pdf", tmp_path / "marked.pdf")
    marked = pdf_document(out.read_bytes(), name="marked.pdf")
    (p,) = pdf_highlights(marked.data, marked.text, marked.pages)
    assert p.figure_id == fig.id and p.author == "Chloé"
    assert "Verdict: Accurate" in p.note
    # into a fresh file the figure keeps its id
    other = AnnotationStore.create_memory(author="Reviewer")
    other_id = other.add_document(marked)
    import_pdf_highlights(other, other_id, status="confirmed")
    (back,) = other.figures(other_id)
    assert back.id == fig.id and back.exact == "30,000"


def test_a_pdf_without_annotations_says_so():
    doc = pdf_document(make_pdf(LINES))
    assert pdf_highlights(doc.data, doc.text, doc.pages) == []
    store = AnnotationStore.create_memory()
    doc_id = store.add_document(doc)
    with pytest.raises(ExportError, match="has no highlights to import: the PDF carries no annotations"):
        import_pdf_highlights(store, doc_id)
    assert store.figures(doc_id, statuses=()) == []


def test_a_pdf_with_only_notes_says_so():
    import pymupdf

    pdf = pymupdf.open(stream=make_pdf(LINES))
    pdf[1].add_text_annot((50, 50), "a sticky note")
    doc = pdf_document(pdf.tobytes())
    store = AnnotationStore.create_memory()
    doc_id = store.add_document(doc)
    with pytest.raises(ExportError, match=r"its annotations \(1 Text\) are not attached to text"):
        import_pdf_highlights(store, doc_id)


def test_not_a_pdf():
    from export_support import text_document

    store = AnnotationStore.create_memory()
    doc_id = store.add_document(text_document())
    with pytest.raises(ExportError, match="is not a PDF"):
        import_pdf_highlights(store, doc_id)


def test_cli_imports_highlights_from_a_pdf(tmp_path, capsys):
    from annotator.cli import main

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(make_pdf(LINES, highlights=[(1, "30,000 protesters", "Okular User", "Too high?")]))
    annot = tmp_path / "report.annot"
    assert main(["import", "pdf", str(pdf), "-o", str(annot)]) == 0
    assert "Imported 1 highlight as suggested figures" in capsys.readouterr().out
    with AnnotationStore.open(annot, create=False, readonly=True) as store:
        (fig,) = store.figures(statuses=("suggested",))
        assert (fig.exact, fig.author, fig.note) == ("30,000 protesters", "Okular User", "Too high?")
    # from the annotation file itself: already there
    assert main(["import", "pdf", str(annot)]) == 0
    assert "1 already marked were skipped" in capsys.readouterr().out


def test_cli_pdf_without_highlights_exits_2(tmp_path, capsys):
    from annotator.cli import main

    pdf = tmp_path / "plain.pdf"
    pdf.write_bytes(make_pdf(LINES))
    annot = tmp_path / "plain.annot"
    assert main(["import", "pdf", str(pdf), "-o", str(annot)]) == 2
    err = capsys.readouterr().err
    assert "has no highlights to import" in err and "Traceback" not in err
    assert not annot.exists()
