"""Number checks on the sample article (issue 6): its derived figures, written by hand as relations.

The article derives its figures from one another: 30,000 detainees are "15% of the total prison
population" of "at least 200,000"; "around 100 million rials" per inmate × 30,000 detainees =
"more than 3 trillion rials per month"; that monthly figure × 12 should be the yearly one, which
the article gives as "3,6 quadrillion rials" (a hundred times too much: 12 × 3 trillion is 36
trillion); "around $79 million a year" is that yearly amount in dollars.
"""

from __future__ import annotations

import pytest
from _checks_support import load, mark, new_store, relate

from annotator.core.checks import (
    MISMATCH,
    OK,
    UNIT_MISMATCH,
    RelationError,
    check_all,
    evaluate,
    mismatched_figure_ids,
    new_relation,
    results_for_figure,
)


@pytest.fixture(scope="module")
def sample_doc(sample_path):
    return load(sample_path)


@pytest.fixture(scope="module")
def sample_path():  # module-scoped twin of the conftest fixture
    from conftest import SAMPLE

    return SAMPLE


@pytest.fixture
def sample(sample_doc):
    """A store holding the sample article and its figures, marked where the text states them."""
    s = new_store()
    d = s.add_document(sample_doc)
    f = {
        "mek_30k": mark(s, d, "at least 30,000", 30000, qualifier="at least", counted="protesters"),
        "clemency": mark(s, d, "between 30 to 40 thousand", None, low=30000, high=40000, counted="prisoners"),
        "pardoned": mark(s, d, "around 100,000", 100000, qualifier="around", counted="prisoners"),
        "nowrozi": mark(s, d, "near “240,000", 240000, qualifier="near", counted="prisoners"),
        "capacity": mark(s, d, "20,000", 20000, after="this number should be", counted="prisoners"),
        "total": mark(s, d, "at least 200,000", 200000, qualifier="at least", counted="prisoners"),
        "thirty": mark(s, d, "Thirty thousand", 30000, counted="prisoners and detainees"),
        "pct": mark(s, d, "15%", 15, unit="percent"),
        "cost": mark(s, d, "around 100 million rials", 1e8, qualifier="around", unit="IRR"),
        "detainees": mark(s, d, "30,000", 30000, after="Suppose the figure", counted="detainees"),
        "month": mark(s, d, "more than 3 trillion rials", 3e12, qualifier="more than", unit="IRR", rate="month"),
        "year": mark(s, d, "3,6 quadrillion rials", 3.6e15, unit="IRR", rate="year"),
        "usd": mark(s, d, "around $79 million", 79e6, qualifier="around", unit="USD", rate="year"),
    }
    s.f = f  # type: ignore[attr-defined]
    yield s
    s.close()


def test_marks_sit_on_the_text_they_name(sample):
    text = sample.document_text(sample.f["year"].document_id)
    for fig in sample.f.values():
        assert text[fig.start:fig.end] == fig.exact
    # the detainees are marked inside Hajian's quote, not at "at least 30,000" of the MEK
    assert "Suppose the figure of 30,000" in text[sample.f["detainees"].start - 22:sample.f["detainees"].end]


def test_share_of_the_prison_population_holds_with_at_least_200000(sample):
    f = sample.f
    rel = relate(sample, "share", f["thirty"], [f["pct"], f["total"]])
    res = evaluate(sample, rel)
    assert res.status == OK
    assert res.expected == pytest.approx(30000)
    # "at least 200,000" used as an input is read as 200,000 to 300,000 (its next step)
    assert (res.expected_range.lo, res.expected_range.hi) == pytest.approx((30000, 45000))
    # "Thirty thousand" is written to the ten thousand
    assert (res.allowed.lo, res.allowed.hi) == (25000, 35000)
    assert res.tolerance == 5000
    assert res.computation.startswith("15% × at least 200,000 = 30,000")
    assert res.computation.endswith("✓")


def test_share_with_the_mps_240000_does_not_hold(sample):
    f = sample.f
    as_part = evaluate(sample, relate(sample, "share", f["thirty"], [f["pct"], f["nowrozi"]]))
    assert as_part.status == MISMATCH
    assert as_part.expected == pytest.approx(36000)
    assert "15% × near 240,000 = 36,000" in as_part.computation and "✗" in as_part.computation
    # the same check made on the percentage: 30,000 ÷ 240,000 = 12.5%, not 15%
    as_pct = evaluate(sample, relate(sample, "share", f["pct"], [f["thirty"], f["nowrozi"]]))
    assert as_pct.status == MISMATCH
    assert as_pct.expected == pytest.approx(12.5)
    assert as_pct.unit == "%"
    assert "12.5%" in as_pct.computation


def test_cost_per_inmate_times_detainees_gives_the_monthly_cost(sample):
    f = sample.f
    rel = relate(sample, "product", f["month"], [f["cost"], f["detainees"]], per="month")
    res = evaluate(sample, rel)
    assert res.status == OK
    assert res.expected == pytest.approx(3e12)
    assert res.unit == "IRR/month"
    assert "around 100 million IRR × 30,000 = 3 trillion IRR/month" in res.computation
    assert "assumed per month" in res.computation


def test_a_product_without_the_period_is_a_unit_mismatch_not_a_computation(sample):
    f = sample.f
    res = evaluate(sample, relate(sample, "product", f["month"], [f["cost"], f["detainees"]]))
    assert res.status == UNIT_MISMATCH
    assert res.expected is None
    assert "IRR" in res.message and "IRR/month" in res.message and "per" in res.message


def test_monthly_to_yearly_flags_the_factor_of_100(sample):
    f = sample.f
    res = evaluate(sample, relate(sample, "period", f["year"], [f["month"]]))
    assert res.status == MISMATCH
    assert res.expected == pytest.approx(36e12)
    # "more than 3 trillion" a month is read as 3 to 4 trillion: 36 to 48 trillion a year, never 3.6 quadrillion
    assert (res.expected_range.lo, res.expected_range.hi) == pytest.approx((36e12, 48e12))
    assert "× 12 (per month → per year) = 36 trillion IRR/year" in res.computation
    assert "factor of about 100" in res.message
    assert f["year"].id in mismatched_figure_ids([res])


def test_conversion_to_dollars_at_a_rate_the_user_enters(sample):
    f = sample.f
    no_rate = evaluate(sample, relate(sample, "currency", f["usd"], [f["year"]]))
    assert no_rate.status == "incomplete"
    # the rate the article's two figures imply: absurd for February 2023 (about 450,000 rials per dollar)
    assert "1 USD = 45.57 million IRR" in no_rate.message
    # an open-market rate typed in by the checker, with its date and source
    rate = dict(rate=450000, base="USD", quote="IRR", date="2023-02-15", source="checker's note: open market")
    res = evaluate(sample, relate(sample, "currency", f["usd"], [f["year"]], **rate))
    assert res.status == MISMATCH
    assert res.expected == pytest.approx(8e9)
    assert "÷ 450,000 IRR per USD (rate of 2023-02-15, source: checker's note: open market)" in res.computation
    # the same rate written the other way round gives the same result
    inverse = dict(rate=1 / 450000, base="IRR", quote="USD")
    res2 = evaluate(sample, relate(sample, "currency", f["usd"], [f["year"]], **inverse))
    assert res2.expected == pytest.approx(8e9)


def test_same_quantity_from_two_sources(sample):
    f = sample.f
    ok = evaluate(sample, relate(sample, "same", f["detainees"], [f["thirty"]]))
    assert ok.status == OK and "agree ✓" in ok.computation
    # the clemency range "between 30 to 40 thousand" and the "around 100,000" pardoned are not one figure
    bad = evaluate(sample, relate(sample, "same", f["pardoned"], [f["clemency"]]))
    assert bad.status == MISMATCH


def test_check_all_and_figure_flags(sample):
    f = sample.f
    relate(sample, "share", f["thirty"], [f["pct"], f["total"]])
    relate(sample, "period", f["year"], [f["month"]])
    rejected = relate(sample, "share", f["thirty"], [f["pct"], f["nowrozi"]], status="rejected")
    results = check_all(sample)
    assert [r.relation.kind for r in results] == ["share", "period"]
    assert rejected.id not in {r.relation.id for r in results}
    assert mismatched_figure_ids(results) == {f["year"].id}
    assert [r.relation.kind for r in results_for_figure(results, f["month"].id)] == ["period"]


def test_deleted_input_makes_the_check_incomplete(sample):
    from annotator.core.model import Figure

    f = sample.f
    rel = relate(sample, "period", f["year"], [f["month"]])
    sample.delete(Figure, f["month"].id)
    res = evaluate(sample, rel)
    assert res.status == "incomplete" and "missing" in res.message


def test_new_relation_refuses_what_cannot_be_checked(sample):
    f = sample.f
    with pytest.raises(RelationError, match="needs 1 input"):
        new_relation(sample, "period", f["year"].id, [f["month"].id, f["cost"].id])
    with pytest.raises(RelationError, match="exchange rate"):
        new_relation(sample, "currency", f["usd"].id, [f["year"].id], {"rate": "soon"})
    with pytest.raises(RelationError, match="itself"):
        new_relation(sample, "same", f["usd"].id, [f["usd"].id])
    with pytest.raises(RelationError, match="Unknown kind"):
        new_relation(sample, "ratio", f["usd"].id, [f["year"].id])
    rel = new_relation(sample, "period", f["year"].id, [f["month"].id], note="12 × monthly")
    assert sample.get(type(rel), rel.id).note == "12 × monthly"
