"""Number checks on the corpus: derived figures of news pages, a federal rule and a poll story,
written by hand as relations; the app recomputes them and flags what does not add up."""

from __future__ import annotations

import pytest
from _checks_support import load, mark, new_store, relate

from annotator.core.checks import MISMATCH, OK, UNIT_MISMATCH, check_all, evaluate

_DOCS: dict = {}


def _doc(corpus_dir, rel: str):
    if rel not in _DOCS:
        _DOCS[rel] = load(corpus_dir / rel)
    return _DOCS[rel]


@pytest.fixture
def store():
    s = new_store()
    yield s
    s.close()


def test_nyt_interest_is_not_the_debt_times_the_ten_year_yield(corpus_dir, store):
    # NYT 2018: interest "on track to hit $390 billion next year"; "the yield on the 10-year Treasury
    # note has risen ... to 3.1 percent"; "the total public debt ... stands at nearly $16 trillion".
    d = store.add_document(_doc(corpus_dir, "html/nyt-2018-09-25-debt-interest-vs-military.html"))
    interest = mark(store, d, "$390 billion", 390e9, unit="USD", rate="year")
    debt = mark(store, d, "nearly $16 trillion", 16e12, qualifier="nearly", unit="USD")
    yield_ = mark(store, d, "3.1 percent", 3.1, unit="percent", rate="year")
    res = evaluate(store, relate(store, "product", interest, [debt, yield_]))
    # 16 trillion × 3.1% a year = $496 billion a year, a quarter more than the $390 billion stated:
    # the debt does not all pay the 10-year yield
    assert res.status == MISMATCH
    assert res.expected == pytest.approx(496e9)
    assert res.unit == "USD/year"
    assert "nearly 16 trillion USD × 3.1%/year = 496 billion USD/year" in res.computation
    assert "(-21.4%)" in res.message


def test_nyt_period_conversion_of_a_total_over_two_years(corpus_dir, store):
    # "A budget bill approved in February that raised spending by $300 billion over two years":
    # checked against a yearly figure a reader might quote, $150 billion a year.
    d = store.add_document(_doc(corpus_dir, "html/nyt-2018-09-25-debt-interest-vs-military.html"))
    total = mark(store, d, "$300 billion", 300e9, unit="USD")
    yearly_mention = mark(store, d, "$631 billion", 631e9, unit="USD")  # "over 10 years"
    d_total = relate(store, "period", total, [total], **{"from": "2 years", "to": "2 years"})
    assert evaluate(store, d_total).status == OK
    # "$631 billion over 10 years" is $63.1 billion a year, so not $300 billion over two years
    res = evaluate(store, relate(store, "period", total, [yearly_mention], **{"from": "10 years", "to": "2 years"}))
    assert res.status == MISMATCH
    assert res.expected == pytest.approx(126.2e9)
    assert "× 0.2 (per 10 years → per 2 years)" in res.computation


def test_faa_cost_table_computes(corpus_dir, store):
    # Federal Register 2020-17221 (Boeing 737 MAX): "affects 73 airplanes of U.S. registry" and the
    # cost table "Up to 79 work-hours × $85 per hour = Up to $6,715 | Up to $3,790 | Up to $10,505 |
    # Up to $766,865" and "40 work-hours × $85 per hour = $3,400 | $0 | $3,400 | $248,200".
    d = store.add_document(_doc(corpus_dir, "pdf/federal-register-2020-17221-faa-boeing-737max-nprm.pdf"))
    fleet = mark(store, d, "73 airplanes", 73, counted="airplanes")
    hours = mark(store, d, "Up to 79 work-hours", 79, qualifier="up to", counted="work-hours")
    rate = mark(store, d, "$85 per hour", 85, after="Up to 79", unit="USD", rate="hour")
    labor = mark(store, d, "Up to $6,715", 6715, qualifier="up to", unit="USD")
    parts = mark(store, d, "Up to $3,790", 3790, qualifier="up to", unit="USD")
    per_plane = mark(store, d, "Up to $10,505", 10505, qualifier="up to", unit="USD", rate="product")
    fleet_cost = mark(store, d, "Up to $766,865", 766865, qualifier="up to", unit="USD")
    h40 = mark(store, d, "40 work-hours", 40, counted="work-hours")
    rate40 = mark(store, d, "$85 per hour", 85, after="40 work-hours", unit="USD", rate="hour")
    c3400 = mark(store, d, "$3,400", 3400, after="40 work-hours", unit="USD")
    c248 = mark(store, d, "$248,200", 248200, unit="USD")
    per_op = mark(store, d, "$7,650", 7650, unit="USD")
    h90 = mark(store, d, "90 work-hours", 90, after="$7,650", counted="work-hours")
    rate90 = mark(store, d, "$85 per work-", 85, after="90 work-hours", unit="USD", rate="work-hour")
    rels = [
        relate(store, "product", labor, [hours, rate]),
        relate(store, "sum", per_plane, [labor, parts]),  # per product: both sides per airplane
        relate(store, "product", fleet_cost, [per_plane, fleet]),
        relate(store, "product", c3400, [h40, rate40]),
        relate(store, "product", c248, [c3400, fleet]),
        relate(store, "product", per_op, [h90, rate90]),
    ]
    results = {r.relation.id: r for r in check_all(store)}
    statuses = [results[r.id].status for r in rels]
    assert statuses == [OK] * 6
    assert results[rels[0].id].expected == pytest.approx(6715)
    assert (results[rels[0].id].expected_range.lo, results[rels[0].id].expected_range.hi) == (6630, 6715)
    # "Up to $6,715" + "Up to $3,790": each bound read down to its previous step, the sum is ≤ $10,505
    assert results[rels[1].id].expected == pytest.approx(10505)
    # a rate per counted thing ("per product") is a count, so "$10,505 per product × 73 airplanes" is dollars
    assert results[rels[2].id].unit == "USD"
    assert results[rels[2].id].expected == pytest.approx(766865)
    assert results[rels[4].id].computation.startswith("3,400 USD × 73 = 248,200 USD")
    # hours × dollars per hour: the hours cancel
    assert results[rels[5].id].computation.startswith("90 work-hours × 85 USD/hour = 7,650 USD")
    # a typo in the table would be caught: $248,200 read as $284,200
    typo = evaluate(store, rels[4], {c248.id: c248.replace(value=284200, exact="$284,200")})
    assert typo.status == MISMATCH


def test_poll_points_add_to_percentages(corpus_dir, store):
    # West Journal (PolNeAR sample): "Donald Trump achieved 45 percent ... a drop in support for rival
    # Sen. Ted Cruz gave Trump an 18-point lead over Cruz ... Cruz has fallen to 27 percent."
    # CBS poll: "narrowed ... to 13 points. Trump was supported by 42 percent ... Cruz rose three
    # points in the CBS survey to 29 points"
    d = store.add_document(_doc(corpus_dir, "datasets/polnear-sample/text/"
                                            "west-journal_2016-04-16_new-polls-show-double-digit-gaps.txt"))
    trump = mark(store, d, "45 percent", 45, unit="percent", counted="support")
    lead = mark(store, d, "18", 18, after="Trump an", unit="percentage point")
    cruz = mark(store, d, "27 percent", 27, unit="percent")
    fox = evaluate(store, relate(store, "sum", trump, [cruz, lead]))
    assert fox.status == OK
    assert fox.computation.startswith("27% + 18 pp = 45%")
    gap = mark(store, d, "13", 13, after="20-point gap to", counted="points")
    trump_cbs = mark(store, d, "42 percent", 42, unit="percent")
    cruz_cbs_pts = mark(store, d, "29", 29, after="survey to", counted="points")
    # "29 points" is Cruz's level: as points, points + points cannot make a percentage
    pts = evaluate(store, relate(store, "sum", trump_cbs, [cruz_cbs_pts, gap]))
    assert pts.status == UNIT_MISMATCH
    # read as the percentage it is, the CBS numbers add up: 29% + 13 pp = 42%
    as_pct = evaluate(store, pts.relation, {cruz_cbs_pts.id: cruz_cbs_pts.replace(unit="percent", counted=None)})
    assert as_pct.status == OK
    # and a lead is a difference: 45% − 27% = 18 points
    diff = evaluate(store, relate(store, "sum", lead, [trump, cruz], subtract=[cruz.id]))
    assert diff.status == OK and diff.expected == pytest.approx(18)


def test_sample_and_corpus_share_one_file(corpus_dir, sample_path, store):
    """Relations in a file with several documents are checked together; units never mix."""
    d1 = store.add_document(load(sample_path))
    d2 = store.add_document(_doc(corpus_dir, "html/nyt-2018-09-25-debt-interest-vs-military.html"))
    usd79 = mark(store, d1, "around $79 million", 79e6, qualifier="around", unit="USD", rate="year")
    interest = mark(store, d2, "$390 billion", 390e9, unit="USD", rate="year")
    rials = mark(store, d1, "3,6 quadrillion rials", 3.6e15, unit="IRR", rate="year")
    bad = relate(store, "sum", interest, [usd79, rials])
    res = evaluate(store, bad)
    assert res.status == UNIT_MISMATCH
    assert "IRR/year" in res.message and "USD/year" in res.message
