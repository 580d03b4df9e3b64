"""Qt-free operations shared by the GUI and the CLI (annotator.core.project)."""

import sqlite3

import pytest

from annotator.core import project
from annotator.core.documents import load_document
from annotator.core.errors import DocumentError, StoreError, UserError
from annotator.core.model import Attribution, Figure, Speaker
from annotator.core.store import AnnotationStore


def span_of(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i, i + len(needle)


# --------------------------------------------------------------------------- snapping


@pytest.mark.parametrize(
    "text, selected, expected",
    [
        ("at least 30,000 protesters", "0,00", "30,000"),  # inside a number: whole number
        ("costs around $79 million a year", "79 million", "$79 million"),  # currency sign joins
        ("killed 1500 protesters, during", "1500 protesters,", "1500 protesters"),  # trailing comma dropped
        ("make up 15% of the total", "15", "15%"),  # percent sign joins
        ("(PMOI/MEK) was the first", "MEK", "MEK"),  # slash and parenthesis are not part of a name
        ("3,6 quadrillion rials per year", "6 quadril", "3,6 quadrillion"),
        ("“between 30 to 40 thousand prisoners,”", "“between 30 to 40 thousand", "between 30 to 40 thousand"),
        ("the MEK’s account", "MEK", "MEK"),  # a possessive does not swallow the name
    ],
)
def test_snap_to_words_grows_to_whole_words_and_trims_punctuation(text, selected, expected):
    s, e = span_of(text, selected)
    a, b = project.snap_to_words(text, s, e)
    assert text[a:b] == expected


def test_snap_to_words_gives_none_for_blank_selection():
    assert project.snap_to_words("a  ,  b", 1, 5) is None


# --------------------------------------------------------------------------- figures


def test_figure_from_span_fills_anchor_parse_and_defaults(sample_text):
    store = AnnotationStore.create_memory(author="Ana")
    doc = load_document_text(sample_text)
    doc_id = store.add_document(doc)
    s, e = span_of(sample_text, "30,000")
    fig = project.figure_from_span(store, doc_id, sample_text, s + 1, e - 1)
    assert (fig.start, fig.end, fig.exact) == (s, e, "30,000")
    assert sample_text[fig.start - len(fig.prefix):fig.start] == fig.prefix
    assert sample_text[fig.end:fig.end + len(fig.suffix)] == fig.suffix
    assert fig.prefix.endswith("at least ") and fig.suffix.startswith(" protesters")
    assert fig.value == 30000
    assert fig.qualifier == "at least"
    assert (fig.verdict, fig.note, fig.status, fig.author) == ("unchecked", "", "confirmed", "Ana")
    # unsaved until added
    assert store.figures(doc_id) == []
    store.add(fig)
    assert [f.exact for f in store.figures(doc_id)] == ["30,000"]


@pytest.mark.parametrize(
    "needle, value, low, high, unit",
    [
        ("$79 million", 79e6, None, None, "USD"),
        ("15%", 15, None, None, "percent"),
        ("3,6 quadrillion rials", 3.6e15, None, None, "IRR"),
        ("between 30 to 40 thousand", None, 30000, 40000, None),
    ],
)
def test_figure_from_span_parses_the_issue_examples(sample_text, needle, value, low, high, unit):
    store = AnnotationStore.create_memory(author="Ana")
    doc_id = store.add_document(load_document_text(sample_text))
    s, e = span_of(sample_text, needle)
    fig = project.figure_from_span(store, doc_id, sample_text, s, e)
    assert (fig.value, fig.low, fig.high, fig.unit) == (value, low, high, unit)


def test_figure_from_span_refuses_a_blank_selection(sample_text):
    store = AnnotationStore.create_memory(author="Ana")
    doc_id = store.add_document(load_document_text(sample_text))
    with pytest.raises(UserError):
        project.figure_from_span(store, doc_id, sample_text, 0, 0)


def test_evidence_fields_hold_a_quote_selector(sample_text):
    s, e = span_of(sample_text, "Roydad 24 added")
    ev = project.evidence_fields(sample_text, s, e + 1)  # the "." after is trimmed
    assert ev["evidence_exact"] == "Roydad 24 added"
    assert (ev["evidence_start"], ev["evidence_end"]) == (s, e)
    assert sample_text[:s].endswith(ev["evidence_prefix"])


# --------------------------------------------------------------------------- files


def load_document_text(text: str, name: str = "sample.txt"):
    import hashlib

    from annotator.core.documents import load_bytes

    doc = load_bytes(text.encode("utf-8"), name)
    assert doc.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    return doc


def test_annotation_path_is_named_after_the_document_and_its_fingerprint(tmp_path, sample_path):
    doc = load_document(sample_path)
    p = project.annotation_path_for(doc, tmp_path)
    assert p == tmp_path / f"iran-prison-amnesty-2023-{doc.sha256[:8]}.annot"
    odd = load_document_text("Hello 5 people.", name="we/ird: name?.txt")
    assert project.annotation_path_for(odd, tmp_path).name.endswith(f"-{odd.sha256[:8]}.annot")
    assert "/" not in project.annotation_path_for(odd, tmp_path).name


def test_reopening_a_document_finds_its_annotations(tmp_path, sample_path, sample_text):
    lib = tmp_path / "lib"
    store, doc_id = project.open_or_create_for_document(sample_path, lib, "Ana")
    # a mark on the second copy of a repeated paragraph
    s, e = span_of(sample_text, "five months", nth=1)
    first = sample_text.index("five months")
    assert s > first
    store.add(project.figure_from_span(store, doc_id, store.document_text(doc_id), s, e))
    path = store.path
    store.close()

    store2, doc_id2 = project.open_or_create_for_document(sample_path, lib, "Ben")
    try:
        assert store2.path == path and doc_id2 == doc_id
        figs = store2.figures(doc_id2)
        assert [(f.start, f.end, f.author) for f in figs] == [(s, e, "Ana")]
        assert store2.document_text(doc_id2)[s:e] == "five months"
        assert len(list(lib.glob("*.annot"))) == 1
    finally:
        store2.close()


@pytest.mark.parametrize("content, name", [(b"", "empty.txt"), (bytes(range(256)) * 40, "junk.bin"),
                                           (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "picture.png")])
def test_a_document_that_cannot_be_loaded_creates_no_annotation_file(tmp_path, content, name):
    bad = tmp_path / name
    bad.write_bytes(content)
    lib = tmp_path / "lib"
    with pytest.raises(DocumentError) as info:
        project.open_or_create_for_document(bad, lib, "Ana")
    assert name in str(info.value)
    assert not lib.exists() or list(lib.iterdir()) == []


def test_open_annotation_file_refuses_a_file_that_is_not_ours(tmp_path):
    junk = tmp_path / "x.annot"
    sqlite3.connect(junk).execute("CREATE TABLE t(x)").connection.commit()
    before = junk.read_bytes()
    with pytest.raises(StoreError):
        project.open_annotation_file(junk, "Ana")
    assert junk.read_bytes() == before


def test_save_copy_writes_a_single_self_contained_file(tmp_path, sample_path, sample_text):
    store, doc_id = project.open_or_create_for_document(sample_path, tmp_path / "lib", "Ana")
    s, e = span_of(sample_text, "100 million rials")
    fig = store.add(project.figure_from_span(store, doc_id, store.document_text(doc_id), s, e))
    sp = store.add(Speaker(name="Mehdi Hajian"))
    store.add(Attribution(figure_id=fig.id, speaker_id=sp.id, role="states"))
    text = store.document_text(doc_id)
    dest = tmp_path / "share" / "copy.annot"
    dest.parent.mkdir()
    project.save_copy(store, dest)
    with pytest.raises(StoreError):
        project.save_copy(store, store.path)  # never over the open file
    store.close()
    assert not (dest.parent / "copy.annot-wal").exists()
    copy = project.open_annotation_file(dest, "Ben")
    try:
        [d] = copy.documents()
        assert copy.document_text(d.id) == text
        assert [f.exact for f in copy.figures(d.id)] == ["100 million rials"]
        assert [a.role for a in copy.attributions()] == ["states"]
        assert copy.document_bytes(d.id) == sample_path.read_bytes()
    finally:
        copy.close()


# --------------------------------------------------------------------------- small helpers


@pytest.mark.parametrize("typed, value", [("30000", 30000), ("30,000", 30000), ("30 000", 30000), ("3,6", 3.6),
                                          ("3.6e15", 3.6e15), ("79 million", 79e6), ("1.234,5", 1234.5),
                                          ("-12", -12), ("", None)])
def test_parse_number_input_reads_what_people_type(typed, value):
    assert project.parse_number_input(typed) == value


def test_parse_number_input_rejects_words():
    with pytest.raises(ValueError, match="not a number"):
        project.parse_number_input("lots")


def test_location_label_says_paragraph_or_page(sample_path):
    store = AnnotationStore.create_memory()
    doc_id = store.add_document(load_document(sample_path))
    info = store.document(doc_id)
    text = store.document_text(doc_id)
    s, _ = span_of(text, "30,000")
    assert project.location_label(info, s).startswith("¶ ")
    assert project.location_label(info, 0) == "¶ 1"
    info.pages = [{"number": 0, "start": 0, "end": 10, "width": 1, "height": 1, "has_text": True},
                  {"number": 1, "start": 11, "end": len(text), "width": 1, "height": 1, "has_text": True}]
    assert project.location_label(info, s) == "p. 2"


def test_resolve_speaker_follows_merges():
    store = AnnotationStore.create_memory()
    a = store.add(Speaker(name="Roydad 24"))
    b = store.add(Speaker(name="Royedad 24"))
    fig = store.add(Figure(document_id="d", start=0, end=1, exact="1"))
    att = store.add(Attribution(figure_id=fig.id, speaker_id=b.id, role="relays"))
    store.merge_speakers(a.id, b.id)
    assert project.resolve_speaker(store, b.id).id == a.id
    [(att2, sp)] = project.attributions_with_speakers(store, fig.id)
    assert att2.id == att.id and sp.name == "Roydad 24" and "Royedad 24" in sp.aliases
