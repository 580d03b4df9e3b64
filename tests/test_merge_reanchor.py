"""Merging annotations made on another version of a document: re-anchoring by quote selector.

A colleague annotated a different save of the same article. Their figures are moved onto
our version: exact text first (copies told apart by context and by the diff of the two
texts), then position, then fuzzy. A figure that cannot be placed is an orphan (kept,
flagged, listed); one whose digits changed is flagged "figure_changed".
"""

import hashlib
from types import SimpleNamespace

import pytest

from annotator.core.documents import load_document
from annotator.core.merge import OffsetMap, merge_files, place_quote, similarity
from annotator.core.model import Attribution, Figure, Speaker
from annotator.core.store import AnnotationStore
from merge_support import attribute, dump, locate, mark, new_file, text_document

NYT = "html/nyt-2018-09-25-debt-interest-vs-military.html"


def paragraphs_of(doc) -> list[str]:
    return [doc.text[s:e] for s, e in doc.paragraphs]


@pytest.fixture
def nyt(corpus_dir, tmp_path):
    """Alice annotated the saved NYT page; our file holds an edited re-save of its text."""
    doc = load_document(corpus_dir / NYT)
    paras = paragraphs_of(doc)
    assert "$900 billion" in paras[4] and "$30 billion" in paras[19] and paras[39].startswith("In 2013,")
    assert paras[17].endswith("6.6 percent in 2017.")
    reworded = paras[14].replace("rate of 4.2 percent in", "rate of 4.2 per cent in")
    edited = list(paras)
    edited[4] = paras[4].replace("$900 billion", "$800 billion")  # a changed number
    edited[14] = reworded  # a reworded figure
    edited.insert(40, paras[39])  # duplicated paragraphs
    del edited[19]  # a removed paragraph
    edited.insert(18, paras[17])
    edited_text = "\n\n".join(edited)

    alice = AnnotationStore.open(tmp_path / "alice.annot", author="alice")
    a_doc = alice.add_document(doc)
    cbo = alice.add(Speaker(name="Tax Policy Center", kind="organisation"))
    p17 = doc.paragraphs[17][0]
    p39 = doc.paragraphs[39][0]
    figs = {
        "changed": mark(alice, a_doc, "$900 billion"),
        "orphan": mark(alice, a_doc, "$30 billion"),
        "fuzzy": mark(alice, a_doc, "4.2 percent", nth=0),
        "dup_end": mark(alice, a_doc, "2017", after=p17 + len(paras[17]) - 6),  # its suffix runs into p18
        "dup_mid": mark(alice, a_doc, "13 percent", after=p17),
        "dup_start": mark(alice, a_doc, "2013", after=p39),  # its prefix runs back into p38
        "shifted": mark(alice, a_doc, "$631 billion"),
    }
    atts = {
        "shifted": attribute(alice, figs["shifted"], cbo, evidence="according to the Tax Policy Center"),
        "orphan": attribute(alice, figs["orphan"], cbo, evidence="grants to students from low-income families"),
    }
    alice.close()
    ours, our_doc = new_file(tmp_path / "ours.annot", "rita", edited_text, "nyt-resave.txt")
    yield SimpleNamespace(dir=tmp_path, store=ours, doc=our_doc, text=ours.document_text(our_doc),
                          figs=figs, atts=atts, paras=paras, reworded=reworded)
    ours.close()


def copies(text: str, para: str) -> list[tuple[int, int]]:
    first = text.index(para)
    second = text.index(para, first + 1)
    return [(first, first + len(para)), (second, second + len(para))]


def test_other_version_is_matched_by_text_and_not_added(nyt):
    report = merge_files(nyt.store, [nyt.dir / "alice.annot"])
    [note] = report.documents("text")
    assert note.target_sha256 != note.sha256 and note.similarity >= 0.5
    assert [d.id for d in nyt.store.documents()] == [nyt.doc]
    assert all(f.document_id == nyt.doc for f in nyt.store.figures(include_deleted=True))


def test_changed_number_is_flagged_not_silently_moved(nyt):
    report = merge_files(nyt.store, [nyt.dir / "alice.annot"])
    fig = nyt.store.get(Figure, nyt.figs["changed"].id)
    assert nyt.text[fig.start:fig.end] == "$800 billion" == fig.exact
    assert "figure_changed" in fig.flags
    [note] = report.figure_changed
    assert (note.old_text, note.new_text) == ("$900 billion", "$800 billion")


def test_removed_paragraph_makes_an_orphan_that_is_kept_and_listed(nyt):
    report = merge_files(nyt.store, [nyt.dir / "alice.annot"])
    fig = nyt.store.get(Figure, nyt.figs["orphan"].id)
    assert fig is not None and not fig.deleted
    assert fig.flags == ["orphan"] and fig.start == fig.end
    assert fig.exact == "$30 billion"  # the quote is kept for the reviewer
    assert [o.record_id for o in report.orphans] == [fig.id]
    # its attribution is kept too; the evidence quote stays, its highlight is gone
    att = nyt.store.get(Attribution, nyt.atts["orphan"].id)
    assert att.evidence_exact.startswith("grants to students") and att.evidence_start is None
    assert [o.record_id for o in report.evidence_orphans] == [att.id]


def test_reworded_figure_is_placed_by_fuzzy_match_on_the_right_sentence(nyt):
    report = merge_files(nyt.store, [nyt.dir / "alice.annot"])
    fig = nyt.store.get(Figure, nyt.figs["fuzzy"].id)
    para = nyt.text.index(nyt.reworded)
    assert nyt.text[fig.start:fig.end] == "4.2 per cent"
    # not moved onto the other "4.2 percent" of the article (the 2021 forecast)
    assert para <= fig.start < para + len(nyt.reworded)
    assert "figure_changed" not in fig.flags and "orphan" not in fig.flags
    assert report.reanchored["fuzzy"] >= 1


def test_duplicated_paragraph_keeps_each_mark_on_the_copy_its_context_names(nyt):
    merge_files(nyt.store, [nyt.dir / "alice.annot"])
    (a1, b1), (a2, b2) = copies(nyt.text, nyt.paras[17])
    end = nyt.store.get(Figure, nyt.figs["dup_end"].id)
    assert nyt.text[end.start:end.end] == "2017" and a2 <= end.start < b2  # the copy followed by p18
    (a1s, b1s), _ = copies(nyt.text, nyt.paras[39])
    start = nyt.store.get(Figure, nyt.figs["dup_start"].id)
    assert nyt.text[start.start:start.end] == "2013" and a1s <= start.start < b1s  # the copy after p38
    # mid-paragraph, both copies read the same: it lands, unflagged, on one of them
    mid = nyt.store.get(Figure, nyt.figs["dup_mid"].id)
    assert nyt.text[mid.start:mid.end] == "13 percent" and mid.flags == []
    assert a1 <= mid.start < b1 or a2 <= mid.start < b2


def test_text_after_the_edits_moves_with_its_offsets(nyt):
    merge_files(nyt.store, [nyt.dir / "alice.annot"])
    fig = nyt.store.get(Figure, nyt.figs["shifted"].id)
    assert fig.start != nyt.figs["shifted"].start
    assert nyt.text[fig.start:fig.end] == "$631 billion" and fig.flags == []
    assert fig.prefix == nyt.text[max(0, fig.start - 32):fig.start]
    att = nyt.store.get(Attribution, nyt.atts["shifted"].id)
    assert nyt.text[att.evidence_start:att.evidence_end] == "according to the Tax Policy Center"


def test_remerging_the_other_version_changes_nothing(nyt):
    merge_files(nyt.store, [nyt.dir / "alice.annot"])
    before = dump(nyt.store)
    again = merge_files(nyt.store, [nyt.dir / "alice.annot"])
    assert dump(nyt.store) == before and not again.changed


def test_an_edit_on_the_other_version_fast_forwards_and_is_re_anchored(nyt):
    merge_files(nyt.store, [nyt.dir / "alice.annot"])
    alice = AnnotationStore.open(nyt.dir / "alice.annot", author="alice")
    alice.update(Figure, nyt.figs["shifted"].id, verdict="accurate")
    alice.close()
    report = merge_files(nyt.store, [nyt.dir / "alice.annot"])
    fig = nyt.store.get(Figure, nyt.figs["shifted"].id)
    assert report.updated["figures"] == 1 and not report.conflicts
    assert fig.verdict == "accurate" and nyt.text[fig.start:fig.end] == "$631 billion"


def test_every_corpus_article_resave_reanchors_every_figure_exactly(corpus_dir, tmp_path):
    """Numbers marked on each saved news page land on the same text in a plain-text re-save."""
    import re

    for k, page in enumerate(sorted((corpus_dir / "html").glob("*.html"))):
        doc = load_document(page)
        alice = AnnotationStore.open(tmp_path / f"a{k}.annot", author="alice")
        a_doc = alice.add_document(doc)
        marked = []
        for m in list(re.finditer(r"\d[\d,.]*\d|\d", doc.text))[:15]:
            marked.append(mark(alice, a_doc, m.group(), after=m.start()))
        alice.close()
        # the re-save: another title line on top and an extra line at the end
        ours, our_doc = new_file(tmp_path / f"o{k}.annot", "rita", "Saved copy\n\n" + doc.text + "\n\nShare this",
                                 f"resave{k}.txt")
        report = merge_files(ours, [tmp_path / f"a{k}.annot"])
        text = ours.document_text(our_doc)
        assert report.documents("text"), page.name
        for f in marked:
            got = ours.get(Figure, f.id)
            assert got.start == f.start + len("Saved copy\n\n"), (page.name, f.exact)
            assert text[got.start:got.end] == f.exact and got.flags == []
        ours.close()


# ----------------------------------------------------------------- the sample, no corpus needed


def test_sample_repeated_paragraphs_and_changed_number(tmp_path, sample_text):
    alice, a_doc = new_file(tmp_path / "alice.annot", "alice", sample_text, "iran.txt")
    text = alice.document_text(a_doc)
    months = mark(alice, a_doc, "five months", nth=1)  # on the second copy of a repeated paragraph
    f30 = mark(alice, a_doc, "30,000", nth=0)
    quad = mark(alice, a_doc, "3,6 quadrillion rials")
    alice.close()
    edited = text.replace(
        "Besides, videos from Iran showed the security forces viciously cracking down on protests, killing and "
        "imprisoning unarmed protesters. Even though Tehran denied it completely, now the state media acknowledge "
        "this fact.\n", ""
    ).replace("at least 30,000 protesters", "at least 80,000 protesters")
    assert edited.count("five months") == 2 and edited.count("30,000") == 1
    ours, o_doc = new_file(tmp_path / "ours.annot", "rita", edited, "iran-resave.txt")
    new_text = ours.document_text(o_doc)
    merge_files(ours, [tmp_path / "alice.annot"])

    got = ours.get(Figure, months.id)
    assert got.start == locate(new_text, "five months", nth=1)
    got = ours.get(Figure, f30.id)
    assert new_text[got.start:got.end] == "80,000" and got.flags == ["figure_changed"]
    got = ours.get(Figure, quad.id)
    assert new_text[got.start:got.end] == "3,6 quadrillion rials" and got.flags == []
    ours.close()


def test_a_different_document_is_added_with_its_bytes(tmp_path, sample_text):
    other = "A different article entirely. The council spent 12 million euros on 3 bridges in 2021.\n"
    alice, a_doc = new_file(tmp_path / "alice.annot", "alice", other, "bridges.txt")
    fig = mark(alice, a_doc, "12 million euros")
    alice.close()
    ours, o_doc = new_file(tmp_path / "ours.annot", "rita", sample_text, "iran.txt")
    report = merge_files(ours, [tmp_path / "alice.annot"])
    [note] = report.documents("added")
    assert note.title == "bridges" or note.title
    docs = {d.sha256: d for d in ours.documents()}
    assert hashlib.sha256(other.encode()).hexdigest() in docs
    new_doc = docs[hashlib.sha256(other.encode()).hexdigest()]
    assert ours.document_bytes(new_doc.id) == other.encode()
    got = ours.get(Figure, fig.id)
    assert got.document_id == new_doc.id and ours.document_text(new_doc.id)[got.start:got.end] == "12 million euros"
    ours.close()


def test_reanchored_figures_on_a_paged_document_get_the_page_and_lose_stale_quads(tmp_path):
    def paged(text, name):
        doc = text_document(text, name + ".txt")
        cut = text.index("Page two")
        doc.kind = "pdf"
        doc.pages = [SimpleNamespace(number=0, start=0, end=cut, width=595, height=842, has_text=True),
                     SimpleNamespace(number=1, start=cut, end=len(text), width=595, height=842, has_text=True)]
        return doc

    old = "Page one says little.\n\nPage two: the ministry counted 4,500 arrests in May and 900 in June.\n"
    new = old.replace("says little.", "says little, and now a bit more here.")
    alice = AnnotationStore.open(tmp_path / "a.annot", author="alice")
    a_doc = alice.add_document(paged(old, "report-v1"))
    fig = mark(alice, a_doc, "4,500 arrests", page=1, quads=[[1, 2, 3, 4, 5, 6, 7, 8]])
    alice.close()
    ours = AnnotationStore.open(tmp_path / "o.annot", author="rita")
    o_doc = ours.add_document(paged(new, "report-v2"))
    merge_files(ours, [tmp_path / "a.annot"])
    got = ours.get(Figure, fig.id)
    assert new[got.start:got.end] == "4,500 arrests"
    assert got.page == 1 and got.quads is None and got.document_id == o_doc
    ours.close()


def test_offset_map_and_place_quote_on_small_texts():
    old = "Intro line.\nThe count was 30,000 people.\nThe count was 30,000 people.\nEnd.\n"
    new = "Intro line, longer now.\nThe count was 30,000 people.\nThe count was 30,000 people.\nEnd.\n"
    second = old.index("30,000", old.index("30,000") + 1)
    pos, sure = OffsetMap(old, new).map(second)
    assert sure and new[pos:pos + 6] == "30,000" and pos == new.index("30,000", new.index("30,000") + 1)
    # same context on both copies: the mapped position decides
    p = place_quote(new, "30,000", old[second - 32:second], old[second + 6:second + 38], pos, sure)
    assert p.start == pos and p.method == "exact"
    # a quote nowhere near its context is not placed on a stray copy of the number
    assert place_quote("Other text with 30,000 in it.", "30,000", "The count was ", " people.\nEnd", 0) is None


def test_similarity_tells_versions_from_other_documents(sample_text):
    resave = sample_text.replace("30,000", "80,000").replace("Recently", "Lately", 1)
    assert similarity(sample_text, resave) > 0.8
    assert similarity(sample_text, "The council spent 12 million euros on 3 bridges in 2021.") < 0.1
