"""Units, periods and the less common relation forms of the number checks."""

from __future__ import annotations

import pytest
from _checks_support import mark, new_store, relate, text_document

from annotator.core.checks import INCOMPLETE, MISMATCH, OK, UNIT_MISMATCH, evaluate
from annotator.core.checks_precision import written_step
from annotator.core.checks_units import dims_text, figure_dims, period_of
from annotator.core.model import Relation


@pytest.mark.parametrize(
    "unit, rate, counted, expected",
    [
        ("USD", "hour", None, "USD/hour"),
        ("percent", None, None, "%"),
        ("percentage point", None, None, "pp"),
        (None, None, "points", "pp"),  # "13 points" in a poll story
        (None, None, "work-hours", "hour"),
        ("IRR", "month", None, "IRR/month"),
        ("rials", "a year", None, "IRR/year"),
        (None, "day", "burials", "per day"),
        ("USD", "product", None, "USD"),  # per counted thing: a count
        ("USD", "pound", None, "USD/lb"),
        ("lb", None, None, "lb"),
        (None, None, "protesters", "count"),
    ],
)
def test_figure_dimensions(unit, rate, counted, expected):
    assert dims_text(figure_dims(unit, rate, counted)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("per month", (1, "month")), ("a year", (1, "year")), ("annually", (1, "year")), ("2 years", (2, "year")),
     ("two years", (2, "year")), ("10 years", (10, "year")), ("weekly", (1, "week")), ("per capita", None)],
)
def test_periods(text, expected):
    assert period_of(text) == expected


@pytest.mark.parametrize(
    "exact, value, step",
    [("$79 million", 79e6, 1e6), ("15%", 15, 1), ("3,6 quadrillion rials", 3.6e15, 1e14), ("30,000", 3e4, 1e4),
     ("Thirty thousand", 3e4, 1e4), ("1500", 1500, 100), ("7,844", 7844, 1), ("$16.99", 16.99, 0.01),
     ("30 000", 3e4, 1e4), ("1.500.000", 1.5e6, 1e5)],
)
def test_written_step_without_the_figure_parser(exact, value, step):
    assert written_step(exact, value) == pytest.approx(step)


@pytest.fixture
def s():
    store = new_store()
    yield store
    store.close()


def _doc(s, text):
    return s.add_document(text_document(text, "t.txt"))


def test_period_factors(s):
    d = _doc(s, "a: $10 a day, $70 a week, $3,650 a year, $304 a month, $1,000 a quarter, $4,000 a year")
    day = mark(s, d, "$10", 10, unit="USD", rate="day")
    week = mark(s, d, "$70", 70, unit="USD", rate="week")
    year = mark(s, d, "$3,650", 3650, unit="USD", rate="year")
    month = mark(s, d, "$304", 304, unit="USD", rate="month")
    quarter = mark(s, d, "$1,000", 1000, unit="USD", rate="quarter")
    year2 = mark(s, d, "$4,000", 4000, unit="USD", rate="year")
    assert evaluate(s, relate(s, "period", week, [day])).status == OK  # × 7
    assert evaluate(s, relate(s, "period", year, [day])).status == OK  # × 365
    assert evaluate(s, relate(s, "period", month, [day])).expected == pytest.approx(304.17, abs=0.01)
    assert evaluate(s, relate(s, "period", year2, [quarter])).status == OK  # × 4
    weekly = evaluate(s, relate(s, "period", year, [week]))
    assert weekly.expected == pytest.approx(3650)  # 52.14 weeks
    forced = evaluate(s, relate(s, "period", year, [week], factor=52))
    assert forced.expected == pytest.approx(3640) and "× 52" in forced.computation
    # a period relation between amounts of different things is a unit mismatch
    pct = mark(s, d, "a:", 5, unit="percent", rate="year")
    assert evaluate(s, relate(s, "period", pct, [day])).status == UNIT_MISMATCH
    # and one without periods says what is missing
    flat = mark(s, d, "$4,000", 4000, unit="USD")
    res = evaluate(s, relate(s, "period", flat, [day]))
    assert res.status == INCOMPLETE and "no period" in res.message


def test_division_whole_from_share_and_new_from_change(s):
    d = _doc(s, "cost $2.4 billion for 30,000 people, $80,000 each; 20% of 1,000 is 200; 1,000 up 5% is 1,050")
    total = mark(s, d, "$2.4 billion", 2.4e9, unit="USD")
    people = mark(s, d, "30,000", 30000, counted="people")
    each = mark(s, d, "$80,000", 80000, unit="USD", rate="person")
    res = evaluate(s, relate(s, "product", each, [total, people], divide=[people.id]))
    assert res.status == OK and "2.4 billion USD ÷ 30,000 = 80,000 USD" in res.computation
    pct = mark(s, d, "20%", 20, unit="percent")
    whole = mark(s, d, "1,000", 1000, occurrence=1)
    part = mark(s, d, "200", 200)
    assert evaluate(s, relate(s, "share", whole, [part, pct], solve="whole")).status == OK
    assert evaluate(s, relate(s, "share", part, [whole], percent=20)).status == OK
    up = mark(s, d, "5%", 5, unit="percent")
    new = mark(s, d, "1,050", 1050)
    assert evaluate(s, relate(s, "change", new, [whole, up])).expected == pytest.approx(1050)
    assert evaluate(s, relate(s, "change", new, [whole, up], direction="decrease")).status == MISMATCH


def test_currency_rules(s):
    d = _doc(s, "€100 is $110; 100 euros a month is $1,320 a year")
    eur = mark(s, d, "€100", 100, unit="EUR")
    usd = mark(s, d, "$110", 110, unit="USD")
    assert evaluate(s, relate(s, "currency", usd, [eur], rate=1.1, base="EUR", quote="USD")).status == OK
    # base defaults to the target's currency: 1 USD = 0.909 EUR
    assert evaluate(s, relate(s, "currency", usd, [eur], rate=1 / 1.1)).status == OK
    # a rate for another pair of currencies is refused
    wrong = evaluate(s, relate(s, "currency", usd, [eur], rate=1.1, base="GBP", quote="USD"))
    assert wrong.status == UNIT_MISMATCH and "GBP/USD" in wrong.message
    month = mark(s, d, "100 euros", 100, unit="EUR", rate="month")
    year = mark(s, d, "$1,320", 1320, unit="USD", rate="year")
    # a currency conversion does not change the period: that is a period relation's job
    assert evaluate(s, relate(s, "currency", year, [month], rate=1.1, base="EUR")).status == UNIT_MISMATCH
    same = evaluate(s, relate(s, "currency", usd, [usd], rate=1))
    assert same.status == UNIT_MISMATCH


def test_untrusted_relations_never_crash(s):
    d = _doc(s, "10 and 20")
    a, b = mark(s, d, "10", 10), mark(s, d, "20", 20)
    odd = [
        Relation(kind="ratio", target_id=a.id, input_ids=[b.id]),
        Relation(kind="sum", target_id="nope", input_ids=[b.id]),
        Relation(kind="sum", target_id=a.id, input_ids=[b.id]),
        Relation(kind="period", target_id=a.id, input_ids=[b.id], params={"from": "fortnight", "to": 3}),
        Relation(kind="product", target_id=a.id, input_ids=[b.id, b.id], params={"divide": 5, "per": "?"}),
        Relation(kind="share", target_id=a.id, input_ids=[b.id], params={"percent": "half", "tolerance": "x"}),
        Relation(kind="sum", target_id=a.id, input_ids={"x": 1}),
        Relation(kind="sum", target_id=a.id, input_ids=7),
        Relation(kind="product", target_id=a.id, input_ids=[b.id, a.id], params=["not", "a", "dict"]),
    ]
    for rel in odd:
        res = evaluate(s, rel)
        assert res.status in (INCOMPLETE, UNIT_MISMATCH, MISMATCH, OK)
        assert res.to_json()["status"] == res.status
        if res.status == INCOMPLETE:
            assert res.message
