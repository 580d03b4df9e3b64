"""Agreement between two checkers on the same document: spans, speakers, verdicts."""

import pytest

from annotator.core.agreement import agreement, cohen_kappa, gwet_ac1, match_spans, pairwise_agreement
from annotator.core.merge import merge_files
from annotator.core.model import Speaker
from annotator.core.store import AnnotationStore
from merge_support import attribute, locate, mark, new_file


def test_cohen_kappa_and_gwet_ac1_on_a_worked_example():
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    # p_o = 0.7, p_e = 0.5*0.6 + 0.5*0.4 = 0.5
    assert cohen_kappa(a, b) == pytest.approx((0.7 - 0.5) / (1 - 0.5))
    # Gwet: pi_yes = (0.5+0.6)/2 = 0.55, p_e = 2 * 0.55 * 0.45 / (2 - 1)
    pe = 2 * 0.55 * 0.45
    assert gwet_ac1(a, b) == pytest.approx((0.7 - pe) / (1 - pe))


def test_ac1_behaves_where_kappa_collapses_on_skewed_verdicts():
    # nearly everything "accurate": 90% raw agreement, yet kappa is below zero
    a = ["accurate"] * 90 + ["accurate"] * 5 + ["inaccurate"] * 5
    b = ["accurate"] * 90 + ["inaccurate"] * 5 + ["accurate"] * 5
    kappa, ac1 = cohen_kappa(a, b), gwet_ac1(a, b)
    assert kappa < 0 < 0.85 < ac1
    # both raters give one and the same label: kappa is undefined, AC1 is full agreement
    assert cohen_kappa(["accurate"] * 4, ["accurate"] * 4) is None
    assert gwet_ac1(["accurate"] * 4, ["accurate"] * 4, ["accurate", "inaccurate"]) == 1.0
    assert cohen_kappa([], []) is None


def test_span_matching_is_one_to_one_by_overlap():
    a = [(0, 6), (10, 20), (30, 35)]
    b = [(0, 6), (12, 18), (14, 22), (40, 45)]
    pairs = match_spans(a, b)
    assert (0, 0) in pairs and (1, 1) in pairs and len(pairs) == 2


@pytest.fixture
def two_checkers(tmp_path, sample_text):
    """Alice and Bob annotated the sample separately; the reviewer merged both files."""
    alice, a_doc = new_file(tmp_path / "alice.annot", "alice", sample_text, "iran.txt")
    a_mek = alice.add(Speaker(name="MEK"))
    a_roy = alice.add(Speaker(name="Royedad 24", aliases=["Roydad 24"]))
    f = mark(alice, a_doc, "30,000", verdict="accurate")
    attribute(alice, f, a_mek)
    f = mark(alice, a_doc, "100,000 prisoners", verdict="unverifiable")
    attribute(alice, f, a_roy)
    mark(alice, a_doc, "15%", verdict="misleading")
    mark(alice, a_doc, "1500", verdict="accurate")  # Bob misses this one
    alice.close()

    bob, b_doc = new_file(tmp_path / "bob.annot", "bob", sample_text, "iran.txt")
    b_mek = bob.add(Speaker(name="mek"))  # his own record, same name: the same speaker
    b_roy = bob.add(Speaker(name="Roydad 24"))
    f = mark(bob, b_doc, "at least 30,000", verdict="accurate")  # wider span, same figure
    attribute(bob, f, b_mek)
    f = mark(bob, b_doc, "100,000", verdict="accurate")  # other verdict
    attribute(bob, f, b_mek)  # other speaker
    mark(bob, b_doc, "15%", verdict="misleading")
    mark(bob, b_doc, "$79 million", verdict="unchecked")  # Alice did not mark it
    bob.close()

    review = AnnotationStore.open(tmp_path / "review.annot", author="rita")
    merge_files(review, [tmp_path / "alice.annot", tmp_path / "bob.annot"])
    [doc] = review.documents()
    yield review, doc.id, review.document_text(doc.id)
    review.close()


def test_agreement_between_two_checkers(two_checkers):
    store, doc, text = two_checkers
    rep = agreement(store, doc, "alice", "bob")
    assert (rep.figures_a, rep.figures_b, rep.matched, rep.exact) == (4, 4, 3, 1)
    assert rep.precision == pytest.approx(3 / 4) and rep.recall == pytest.approx(3 / 4)
    assert rep.f1 == pytest.approx(3 / 4)
    # speakers: "30,000" both MEK (two records, one name), "100,000" Royedad vs MEK, "15%" none on both
    assert (rep.speakers_compared, rep.speakers_same) == (3, 2)
    # verdicts on the three matched figures: accurate/accurate, unverifiable/accurate, misleading/misleading
    assert rep.verdicts_compared == 3 and rep.verdict_agreement == pytest.approx(2 / 3)
    assert rep.cohen_kappa == pytest.approx(cohen_kappa(["accurate", "unverifiable", "misleading"],
                                                        ["accurate", "accurate", "misleading"]))
    assert rep.gwet_ac1 is not None


def test_disagreements_to_walk_through_in_document_order(two_checkers):
    store, doc, text = two_checkers
    rep = agreement(store, doc, "alice", "bob")
    kinds = [(d.kinds, d.figure_a.exact if d.figure_a else None, d.figure_b.exact if d.figure_b else None)
             for d in rep.disagreements]
    assert kinds == [
        (["boundary"], "30,000", "at least 30,000"),
        (["only_a"], "1500", None),
        (["boundary", "speakers", "verdict"], "100,000 prisoners", "100,000"),
        (["only_b"], None, "$79 million"),
    ]
    assert [d.start for d in rep.disagreements] == sorted(d.start for d in rep.disagreements)
    assert rep.disagreements[1].start == locate(text, "1500")
    assert rep.to_dict()["disagreements"][0]["text_b"] == "at least 30,000"


def test_pairwise_agreement_for_everyone_on_the_document(two_checkers):
    store, doc, _ = two_checkers
    [rep] = pairwise_agreement(store, doc)
    assert (rep.author_a, rep.author_b) == ("alice", "bob")
    assert pairwise_agreement(store, doc, ["alice"]) == []
