"""The suggestion pipeline and its command line: detect, new, accept/reject that sticks."""

import json

import pytest

from annotator.cli import main
from annotator.core.documents import load_document
from annotator.core.errors import Cancelled
from annotator.core.model import Attribution, Figure, Speaker
from annotator.core.store import AnnotationStore
from annotator.core.suggest import (
    accept_suggestion,
    reject_suggestion,
    store_suggestions,
    suggest,
    suggestions_from_speaker,
)


@pytest.fixture
def sample_store(tmp_path, sample_path):
    doc = load_document(sample_path)
    store = AnnotationStore.open(tmp_path / "s.annot", author="alice")
    doc_id = store.add_document(doc)
    yield store, doc_id, doc
    store.close()


def by_text(found, text):
    return next(s for s in found if s.text.endswith(text))


def test_sample_relay_is_told_apart_from_the_original_speaker(sample_text):
    found = suggest(sample_text)
    rials = by_text(found, "100 million rials")
    names = [(c.name, c.role) for c in rials.speakers]
    assert names[0] == ("Mehdi Hajian", "states")
    assert any(role == "relays" and "Roydad" in (name or "") for name, role in names[1:])
    j = rials.to_json()
    assert j["value"] == 100_000_000 and j["unit"] == "IRR" and j["speaker"] == "Mehdi Hajian"
    assert sample_text[j["evidence"]["start"]:j["evidence"]["end"]]


def test_offsets_count_code_points_into_the_text(sample_text):
    for s in suggest(sample_text):
        assert sample_text[s.start:s.end] == s.text


def test_pages_are_processed_separately_and_reported():
    text = "First we count 30,000 protesters.\n\nLater, 15% of them left."
    pages = [{"start": 0, "end": 33}, {"start": 35, "end": len(text)}]
    seen = []
    found = suggest(text, pages, progress=lambda d, t: seen.append((d, t)))
    assert [(s.text, s.page) for s in found] == [("30,000", 0), ("15%", 1)]
    assert seen == [(1, 2), (2, 2)]


def test_cancel_stops_the_pass():
    with pytest.raises(Cancelled):
        suggest("30,000 people.\n\n" * 10, [{"start": 0, "end": 16}] * 5, cancel=lambda: True)


def test_rejected_suggestion_is_never_proposed_again(sample_store):
    store, doc_id, doc = sample_store
    first = store_suggestions(store, doc_id, suggest(doc.text))
    assert first.figures > 10 and store.figures(doc_id) == []  # suggested, not confirmed
    target = next(f for f in store.figures(doc_id, statuses=("suggested",)) if f.exact.endswith("15%"))
    reject_suggestion(store, target.id)
    again = store_suggestions(store, doc_id, suggest(doc.text))
    assert again.figures == 0 and again.skipped_rejected == 1
    assert store.get(Figure, target.id).status == "rejected"


def test_accept_confirms_figure_and_its_attributions(sample_store):
    store, doc_id, doc = sample_store
    store_suggestions(store, doc_id, suggest(doc.text))
    fig = next(f for f in store.figures(doc_id, statuses=("suggested",)) if f.exact.endswith("100 million rials"))
    accept_suggestion(store, fig.id)
    assert [f.id for f in store.figures(doc_id)] == [fig.id]
    atts = store.attributions(figure_id=fig.id)
    names = {store.get(Speaker, a.speaker_id).name: a.role for a in atts}
    assert names.get("Mehdi Hajian") == "states"


def test_accept_all_from_one_speaker(sample_store):
    store, doc_id, doc = sample_store
    store_suggestions(store, doc_id, suggest(doc.text))
    hajian = store.find_speaker("Mehdi Hajian")
    ids = suggestions_from_speaker(store, doc_id, hajian.id)
    assert ids and all(store.get(Figure, i).status == "suggested" for i in ids)


def test_fuzzy_speaker_names_are_proposed_not_merged(sample_store):
    store, doc_id, doc = sample_store
    store.add(Speaker(name="Roydad 24", kind="outlet"))
    rep = store_suggestions(store, doc_id, suggest(doc.text), accept=True)
    names = sorted(s.name for s in store.speakers())
    assert "Roydad 24" in names and "Royedad 24" in names  # two speakers: never merged silently
    assert ("Royedad 24", "Roydad 24") in rep.alias_proposals


def test_cli_detect_json_contract(sample_path, capsysbinary):
    assert main(["detect", str(sample_path), "--json"]) == 0
    data = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    text = sample_path.read_text(encoding="utf-8")
    assert data and all(text[d["start"]:d["end"]] == d["text"] for d in data)
    for key in ("text", "start", "end", "value", "unit", "qualifier", "speaker", "speaker_role", "evidence"):
        assert all(key in d for d in data), key
    rng = next(d for d in data if "between 30 to 40 thousand" in d["text"])
    assert rng["value"] == [30000, 40000]


def test_cli_detect_pdf_has_pages(tmp_path, capsysbinary):
    pymupdf = pytest.importorskip("pymupdf")
    pdf = pymupdf.open()
    for line in ("Officials said 30,000 people marched.", "The budget is $79 million a year."):
        pdf.new_page().insert_text((72, 72), line)
    path = tmp_path / "two.pdf"
    pdf.save(path)
    assert main(["detect", str(path), "--json"]) == 0
    data = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert [(d["text"], d["page"]) for d in data] == [("30,000", 0), ("$79 million", 1)]


def test_cli_new_accepts_suggestions(sample_path, tmp_path, capsys):
    out = tmp_path / "batch.annot"
    assert main(["new", str(sample_path), "-o", str(out), "--author", "night-batch", "--accept-suggestions"]) == 0
    assert "figures accepted" in capsys.readouterr().out
    with AnnotationStore.open(out, create=False) as store:
        figs = store.figures()
        assert len(figs) >= 15 and {f.author for f in figs} == {"night-batch"}
        assert store.records(Attribution) and store.documents()[0].source_name == sample_path.name


def test_cli_new_with_pdf_stores_quads(tmp_path):
    pymupdf = pytest.importorskip("pymupdf")
    pdf = pymupdf.open()
    pdf.new_page().insert_text((72, 72), "Police said 30,000 people marched.")
    src = tmp_path / "one.pdf"
    pdf.save(src)
    out = tmp_path / "one.annot"
    assert main(["new", str(src), "-o", str(out), "--accept-suggestions"]) == 0
    with AnnotationStore.open(out, create=False) as store:
        (fig,) = store.figures()
        assert fig.exact == "30,000" and fig.page == 0 and fig.quads and len(fig.quads[0]) == 8


@pytest.mark.parametrize("content,name,message", [
    (b"", "empty.txt", "empty"),
    (b"\x00\x01\x02\x03junk" * 50, "junk.bin", ""),
])
def test_cli_bad_input_is_a_message_not_a_traceback(tmp_path, capsys, content, name, message):
    p = tmp_path / name
    p.write_bytes(content)
    assert main(["detect", str(p), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("annotator detect: ") and "Traceback" not in err and message in err.lower()
    assert main(["new", str(p), "-o", str(tmp_path / "x.annot")]) == 2
    assert not (tmp_path / "x.annot").exists()


def test_cli_new_never_changes_an_existing_file(sample_path, tmp_path, capsys):
    out = tmp_path / "once.annot"
    assert main(["new", str(sample_path), "-o", str(out), "--accept-suggestions"]) == 0
    before = out.read_bytes()
    capsys.readouterr()
    assert main(["new", str(sample_path), "-o", str(out), "--accept-suggestions"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == before


def test_cli_warns_on_stderr_when_pages_have_no_text(tmp_path, capsysbinary):
    pymupdf = pytest.importorskip("pymupdf")
    pdf = pymupdf.open()
    pdf.new_page()  # a page with no text at all, like a scan
    path = tmp_path / "scan.pdf"
    pdf.save(path)
    for cmd in (["text", str(path)], ["detect", str(path), "--json"]):
        assert main(cmd) == 0
        err = capsysbinary.readouterr().err.decode("utf-8")
        assert "warning:" in err and "text" in err


def test_cli_sqlite_and_docx_get_specific_messages(tmp_path, capsys):
    import sqlite3
    import zipfile

    db = tmp_path / "data.sqlite"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.commit()
    docx = tmp_path / "report.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert main(["text", str(db)]) == 2
    assert "SQLite database but not an annotation file" in capsys.readouterr().err
    assert main(["text", str(docx)]) == 2
    assert "Word document" in capsys.readouterr().err
