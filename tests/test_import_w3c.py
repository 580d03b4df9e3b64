"""A W3C export imports back into a new annotation file with the same figures, speakers,
attributions and comments; bad input says what is wrong and changes nothing."""

from __future__ import annotations

import dataclasses
import json

import pytest

from annotator.core.errors import ExportError
from annotator.core.exports import export
from annotator.core.exports import w3c
from annotator.core.importers import import_w3c
from annotator.core.model import Attribution, Comment, Figure, Speaker
from annotator.core.store import AnnotationStore
from export_support import (
    ARTICLE,
    attribute,
    make_pdf,
    mark,
    pdf_document,
    populate,
    sample_store,
    speaker,
    text_document,
)


def _snapshot(store) -> dict:
    """Every live record, keyed by id, without the file-local document id."""
    out = {}
    for cls in (Figure, Speaker, Attribution, Comment):
        rows = {}
        for rec in store.records(cls):
            d = dataclasses.asdict(rec)
            d.pop("document_id", None)
            rows[rec.id] = d
        out[cls.TABLE] = rows
    return out


def test_round_trip_gives_the_same_records(tmp_path):
    store, doc_id = sample_store()
    out = export(store, "w3c", tmp_path / "e.jsonld")
    new = AnnotationStore.open(tmp_path / "copy.annot", author="Someone Else")
    result = import_w3c(out, new, [text_document()])
    assert (result.figures, result.speakers, result.attributions, result.comments) == (5, 3, 4, 1)
    assert result.orphans == []
    assert _snapshot(new) == _snapshot(store)
    # offsets still point at the same text (the emoji before them counts as one code point)
    new_doc = new.documents()[0]
    assert new_doc.sha256 == store.document(doc_id).sha256
    text = new.document_text(new_doc.id)
    for f in new.figures():
        assert text[f.start : f.end] == f.exact
    # the repeated paragraph: the second "30,000" stays on the second copy
    starts = sorted(f.start for f in new.figures() if f.exact == "30,000")
    assert starts == [ARTICLE.index("30,000"), ARTICLE.rindex("30,000")]
    new.close()
    # and it is a proper annotation file on disk
    with AnnotationStore.open(tmp_path / "copy.annot", create=False, readonly=True) as again:
        assert len(again.figures()) == 5


def test_round_trip_of_a_pdf_keeps_pages_and_quads(tmp_path):
    store = AnnotationStore.create_memory(author="A")
    doc = pdf_document(make_pdf([["Cover."], ["Each inmate costs around 100 million rials, said Hajian."]]))
    doc_id = store.add_document(doc)
    from annotator.core.pdf import open_pdf

    with open_pdf(doc.data) as src:
        base = doc.pages[1].start
        s = doc.text.index("100 million rials")
        quads = src.page_text(1).span_quads(s - base, s - base + len("100 million rials"))
    fig = mark(store, doc_id, doc.text, "100 million rials", quads=quads)
    attribute(store, fig, speaker(store, "Hajian"))
    new = AnnotationStore.create_memory()
    import_w3c(w3c.build(store), new, [doc])
    (back,) = new.figures()
    assert back.page == 1 and back.quads == quads


def test_importing_twice_adds_nothing_the_second_time(tmp_path):
    store, _ = sample_store()
    data = w3c.build(store)
    new = AnnotationStore.create_memory()
    import_w3c(data, new, [text_document()])
    again = import_w3c(data, new, [text_document()])
    assert again.figures == 0 and again.already_present == 10
    assert len(new.figures()) == 5


def test_a_changed_text_extraction_reanchors_by_quote():
    store, _ = sample_store()
    data = w3c.build(store)
    # the same bytes, but a loader that adds a line in front of the text
    doc = text_document()
    doc.text = "Saved from example.org\n\n" + doc.text
    new = AnnotationStore.create_memory()
    result = import_w3c(data, new, [doc])
    assert result.orphans == []
    text = new.document_text(new.documents()[0].id)
    for f in new.figures():
        assert text[f.start : f.end] == f.exact


def test_the_wrong_document_is_refused_and_nothing_is_written():
    store, _ = sample_store()
    new = AnnotationStore.create_memory()
    other = text_document("Some other article with 12 figures.", source_name="other.txt")
    with pytest.raises(ExportError, match="not given.*Iran’s prisons.*other.txt"):
        import_w3c(w3c.build(store), new, [other])
    assert new.counts()["figures"] == 0 and new.documents() == []


def test_malformed_json_says_so(tmp_path):
    bad = tmp_path / "cut.jsonld"
    bad.write_text('{"type": "AnnotationCollection", "first": {"items": [', encoding="utf-8")
    with pytest.raises(ExportError, match=r"“cut.jsonld” is not valid JSON \(line 1"):
        import_w3c(bad, AnnotationStore.create_memory(), [text_document()])


@pytest.mark.parametrize("content, message", [
    ("", "is empty"),
    ('{"name": "a package.json"}', "not a W3C Web Annotation export"),
    ("[1, 2, 3]", "not a W3C Web Annotation export"),
    ('{"type": "AnnotationPage", "items": [{"type": "Note"}]}', "holds no W3C Web Annotation"),
    (b"\xff\xfe\x00junk", "not JSON"),
])
def test_not_an_export_says_so(tmp_path, content, message):
    f = tmp_path / "x.json"
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    store = AnnotationStore.create_memory()
    with pytest.raises(ExportError, match=message):
        import_w3c(f, store, [text_document()])
    assert store.documents() == []


def test_a_record_of_the_wrong_type_is_refused_clearly():
    store, _ = sample_store()
    data = w3c.build(store)
    body = data["first"]["items"][0]["body"][0]
    body["annotator:figure"]["start"] = "twelve"
    new = AnnotationStore.create_memory()
    with pytest.raises(ExportError, match="annotation 1: “start” has a value of the wrong type"):
        import_w3c(data, new, [text_document()])
    assert new.counts()["figures"] == 0


def test_annotations_from_another_tool_become_figures():
    doc = text_document()
    hypothesis_like = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "https://hyp.example/a/1",
        "creator": {"type": "Person", "name": "Ann Other"},
        "created": "2024-02-01T10:00:00Z",
        "body": [{"type": "TextualBody", "purpose": "commenting", "value": "Source?"}],
        "target": {"source": "https://example.org/iran-prisons",
                   "selector": [{"type": "TextQuoteSelector", "exact": "$79 million", "prefix": "budget is "}]},
    }
    store = AnnotationStore.create_memory(author="Me")
    result = import_w3c([hypothesis_like], store, [doc])
    assert result.figures == 1
    (fig,) = store.figures()
    assert (fig.exact, fig.note, fig.author) == ("$79 million", "Source?", "Ann Other")
    assert doc.text[fig.start : fig.end] == "$79 million"


def test_cli_round_trip(tmp_path, capsys):
    from annotator.cli import main
    from export_support import populate

    src = tmp_path / "work.annot"
    store = AnnotationStore.open(src, author="Chloé")
    populate(store, store.add_document(text_document()))
    store.close()
    original = tmp_path / "iran.txt"
    original.write_bytes(text_document().data)
    assert main(["export", str(src), "--format", "w3c", "-o", str(tmp_path / "e.jsonld")]) == 0
    assert main(["import", "w3c", str(tmp_path / "e.jsonld"), "--document", str(original),
                 "-o", str(tmp_path / "back.annot")]) == 0
    out = capsys.readouterr().out
    assert "Imported 5 figures, 3 speakers, 4 attributions, 1 comment" in out
    with AnnotationStore.open(src, create=False, readonly=True) as a, \
            AnnotationStore.open(tmp_path / "back.annot", create=False, readonly=True) as b:
        assert _snapshot(a) == _snapshot(b)
    # the annotation file itself can stand in for the original document
    assert main(["import", "w3c", str(tmp_path / "e.jsonld"), "--document", str(src),
                 "-o", str(tmp_path / "back2.annot")]) == 0


def test_cli_bad_input_exits_2_and_creates_no_file(tmp_path, capsys):
    from annotator.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    doc = tmp_path / "iran.txt"
    doc.write_bytes(text_document().data)
    out = tmp_path / "new.annot"
    assert main(["import", "w3c", str(bad), "--document", str(doc), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "is not valid JSON" in err and "Traceback" not in err
    assert not out.exists()
    # a valid export but the wrong document: the file being created is removed again
    store, _ = sample_store()
    (tmp_path / "e.jsonld").write_text(json.dumps(w3c.build(store)), encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("not the article", encoding="utf-8")
    assert main(["import", "w3c", str(tmp_path / "e.jsonld"), "--document", str(other), "-o", str(out)]) == 2
    assert "not given" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "e.jsonld", "iran.txt", "other.txt"]


def _with_relations():
    """The sample with two relations between its figures: the repeated "30,000" is the same quantity
    (confirmed), and a suggested one the reviewer rejected (it must not come back after a round trip)."""
    from annotator.core.checks import new_relation

    store = AnnotationStore.create_memory(author="Checker Chloé")
    doc_id = store.add_document(text_document())
    figs = populate(store, doc_id)["figures"]
    same = new_relation(store, "same", figs[0].id, [figs[4].id], note="the repeated paragraph")
    rejected = new_relation(store, "same", figs[4].id, [figs[0].id], status="rejected")
    return store, doc_id, figs, [same, rejected]


def test_relations_travel_as_linking_annotations_and_come_back(tmp_path):
    store, _doc_id, figs, rels = _with_relations()
    out = export(store, "w3c", tmp_path / "e.jsonld")
    items = json.loads(out.read_text(encoding="utf-8"))["first"]["items"]
    links = [a for a in items if a["motivation"] == "linking"]
    assert len(items) == 7 and len(links) == 2
    same = next(a for a in links if a["id"] == f"urn:uuid:{rels[0].id}")
    # the figures' text as targets, the computed figure first, and the relation in words
    assert [t["selector"][0]["exact"] for t in same["target"]] == ["30,000", "30,000"]
    assert [t["selector"][1]["start"] for t in same["target"]] == [figs[0].start, figs[4].start]
    assert same["body"][0]["value"].startswith("Relation: a and b are the same quantity")
    new = AnnotationStore.open(tmp_path / "copy.annot", author="Someone Else")
    result = import_w3c(out, new, [text_document()])
    assert (result.figures, result.relations) == (5, 2) and result.warnings == []
    assert "2 relations" in result.summary()
    back = {r.id: r for r in new.relations(statuses=None)}
    for rel in rels:
        assert dataclasses.asdict(back[rel.id]) == dataclasses.asdict(rel)
    assert back[rels[1].id].status == "rejected"
    new.close()


def test_a_relation_whose_figures_are_missing_is_skipped_with_a_warning(tmp_path):
    store, _doc_id, figs, rels = _with_relations()
    data = w3c.build(store)
    # keep only the relations and the first "30,000": the second figure of each relation is missing
    data["first"]["items"] = [a for a in data["first"]["items"]
                              if a["motivation"] == "linking" or a["id"] == f"urn:uuid:{figs[0].id}"]
    new = AnnotationStore.create_memory(author="Someone Else")
    result = import_w3c(data, new, [text_document()])
    assert (result.figures, result.relations) == (1, 0)
    assert len(result.warnings) == 2 and "not in the file" in result.warnings[0]
    assert new.relations(statuses=None) == []
