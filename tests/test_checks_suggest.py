"""Suggested checks (issue 6): relations proposed from the text, accepted or rejected like any suggestion."""

from __future__ import annotations

import pytest
from _checks_support import load, mark, new_store

from annotator.core.checks import check_all
from annotator.core.checks_suggest import accept, add_suggestions, reject, suggest_relations
from annotator.core.model import Relation
from annotator.core.store import AnnotationStore


def _mark_sample(s, d) -> dict:
    return {
        "mek": mark(s, d, "at least 30,000", 30000, qualifier="at least", counted="protesters"),
        "killed": mark(s, d, "1500", 1500, counted="protesters"),
        "clemency": mark(s, d, "between 30 to 40 thousand", None, low=30000, high=40000, counted="prisoners"),
        "pardoned": mark(s, d, "around 100,000", 100000, qualifier="around", counted="prisoners"),
        "nowrozi": mark(s, d, "near “240,000", 240000, qualifier="near", counted="prisoners"),
        "capacity": mark(s, d, "20,000", 20000, after="this number should be", counted="prisoners"),
        "total": mark(s, d, "at least 200,000", 200000, qualifier="at least", counted="prisoners"),
        "thirty": mark(s, d, "Thirty thousand", 30000, counted="prisoners"),
        "pct": mark(s, d, "15%", 15, unit="percent"),
        "months": mark(s, d, "five months", 5, unit="month"),
        "cost": mark(s, d, "around 100 million rials", 1e8, qualifier="around", unit="IRR"),
        "detainees": mark(s, d, "30,000", 30000, after="Suppose the figure", counted="detainees"),
        "month": mark(s, d, "more than 3 trillion rials", 3e12, qualifier="more than", unit="IRR", rate="month"),
        "year": mark(s, d, "3,6 quadrillion rials", 3.6e15, unit="IRR", rate="year"),
        "usd": mark(s, d, "around $79 million", 79e6, qualifier="around", unit="USD", rate="year"),
    }


@pytest.fixture
def sample(sample_path):
    s = new_store()
    d = s.add_document(load(sample_path))
    s.f = _mark_sample(s, d)  # type: ignore[attr-defined]
    s.doc_id = d  # type: ignore[attr-defined]
    yield s
    s.close()


def _shape(rel: Relation, f: dict) -> tuple:
    names = {v.id: k for k, v in f.items()}
    return (rel.kind, names[rel.target_id], tuple(names[i] for i in rel.input_ids))


def test_the_sample_suggests_its_four_derivations(sample):
    rels = suggest_relations(sample, sample.doc_id)
    assert {_shape(r, sample.f) for r in rels} == {
        ("share", "thirty", ("pct", "total")),  # 30,000 ≈ 15% of at least 200,000
        ("product", "month", ("cost", "detainees")),  # 100 million × 30,000 ≈ 3 trillion a month
        ("period", "year", ("month",)),  # a monthly and a yearly amount of the same thing
        ("currency", "usd", ("year",)),  # rials a year, then dollars a year
    }
    assert all(r.status == "suggested" and r.note for r in rels)
    product = next(r for r in rels if r.kind == "product")
    assert product.params == {"per": "month"}  # the text states the result per month
    # nothing was written
    assert sample.relations(statuses=()) == []


def test_suggestions_are_checked_like_any_relation(sample):
    added = add_suggestions(sample, sample.doc_id)
    assert len(added) == 4 and all(r.author == "annotator" for r in added)
    by_kind = {r.relation.kind: r for r in check_all(sample)}
    assert by_kind["share"].status == "ok"
    assert by_kind["product"].status == "ok"
    assert by_kind["period"].status == "mismatch"  # the article's 3,6 quadrillion
    assert by_kind["currency"].status == "incomplete"  # the user enters the rate
    assert "45.57 million IRR" in by_kind["currency"].message


def test_rejected_stays_rejected_and_is_not_proposed_again(sample_path, tmp_path):
    path = tmp_path / "sample.annot"
    s = AnnotationStore.open(path, author="checker")
    d = s.add_document(load(sample_path))
    f = _mark_sample(s, d)
    added = {r.kind: r for r in add_suggestions(s, d)}
    reject(s, added["period"].id)
    accept(s, added["share"].id)
    s.close()
    s = AnnotationStore.open(path, author="checker")
    try:
        assert add_suggestions(s, d) == []  # nothing new to propose, the rejected one included
        assert s.get(Relation, added["period"].id).status == "rejected"
        assert s.get(Relation, added["share"].id).status == "confirmed"
        kinds = [r.relation.kind for r in check_all(s)]
        assert "period" not in kinds and "share" in kinds
        # deleting a suggestion does not bring it back either
        s.delete(Relation, added["currency"].id)
        assert suggest_relations(s, d) == []
        assert f["usd"].id == added["currency"].target_id
    finally:
        s.close()


def test_figures_marked_by_two_people_are_proposed_once(sample_path):
    # a merged file: Ann and Bob marked the same figures; the reviewer gets each derivation once
    s = new_store(author="Ann")
    d = s.add_document(load(sample_path))
    ann = _mark_sample(s, d)
    s.author = "Bob"
    bob = _mark_sample(s, d)
    rels = suggest_relations(s, d)
    assert len(rels) == 4
    # between the copies marked first: every figure of every proposal is Ann's
    assert {_shape(r, ann) for r in rels} == {
        ("share", "thirty", ("pct", "total")),
        ("product", "month", ("cost", "detainees")),
        ("period", "year", ("month",)),
        ("currency", "usd", ("year",)),
    }
    # a relation already made between Bob's copies counts for Ann's copies too
    s.add(Relation(kind="share", target_id=bob["thirty"].id, input_ids=[bob["pct"].id, bob["total"].id]))
    assert {r.kind for r in suggest_relations(s, d)} == {"product", "period", "currency"}
    s.close()


def test_no_suggestion_mixes_units_or_uses_bare_numbers(corpus_dir):
    """The FAA cost table: 'hours × dollars per hour' is proposed; '1 work-hour × $85 = $85' is not."""
    s = new_store()
    d = s.add_document(load(corpus_dir / "pdf" / "federal-register-2020-17221-faa-boeing-737max-nprm.pdf"))
    hours = mark(s, d, "Up to 79 work-hours", 79, qualifier="up to", counted="work-hours")
    rate = mark(s, d, "$85 per hour", 85, after="Up to 79", unit="USD", rate="hour")
    labor = mark(s, d, "Up to $6,715", 6715, qualifier="up to", unit="USD")
    one = mark(s, d, "1 work-hour", 1, counted="work-hour")
    rate1 = mark(s, d, "$85 per hour", 85, after="1 work-hour", unit="USD", rate="hour")
    c85 = mark(s, d, "$85", 85, after="$85 per hour =", unit="USD")
    bare = mark(s, d, "11", 11, after="SGM")  # a page furniture number, no unit, nothing counted
    rels = suggest_relations(s, d)
    shapes = {(r.kind, r.target_id, tuple(r.input_ids)) for r in rels}
    assert ("product", labor.id, (hours.id, rate.id)) in shapes
    assert not any(one.id in r.input_ids or r.target_id == c85.id for r in rels)
    assert not any(bare.id in (r.target_id, *r.input_ids) for r in rels)
    assert rate1.id not in {r.target_id for r in rels}
    s.close()
