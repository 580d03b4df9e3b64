"""Each tolerance rule of the number checks, on real text, with proof that it is needed.

Every test evaluates a relation written by hand on a real document, then evaluates it again
with the rule's trigger removed (the qualifier, the range, the written precision) and shows the
verdict changes: without the rule, the test would fail.
"""

from __future__ import annotations

import pytest
from _checks_support import load, mark, new_store, relate, text_document

from annotator.core.checks import MISMATCH, OK, evaluate

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


def _without(fig, **changes):
    """The same figure as if written differently (for the 'without the rule' half of a test)."""
    return {fig.id: fig.replace(**changes)}


# --------------------------------------------------------------------------- rounding


def test_rounding_to_the_last_written_digit(corpus_dir, store):
    # WHO guidelines: "Less than half of the studies (22/49 (44.9%)) reported information on comorbidities."
    d = store.add_document(_doc(corpus_dir, "pdf/who-2022-hcv-children-adolescents-guidelines-155p.pdf"))
    part = mark(store, d, "22", 22, after="(22/49", counted="studies")
    whole = mark(store, d, "49", 49, after="(22/", counted="studies")
    pct = mark(store, d, "44.9%", 44.9, after="(22/49", unit="percent")
    res = evaluate(store, relate(store, "share", pct, [part, whole]))
    assert res.status == OK
    assert res.expected == pytest.approx(44.898, abs=1e-3)
    assert (res.allowed.lo, res.allowed.hi) == pytest.approx((44.85, 44.95))
    assert "rounded to the nearest 0.1%" in res.tolerance_rule
    # had it been written "44.900%", 44.898% would not round to it
    strict = evaluate(store, res.relation, _without(pct, exact="44.900%"))
    assert strict.status == MISMATCH


def test_rounding_is_not_a_blank_cheque(corpus_dir, store):
    # Lessig, Free Culture: "CD sales had fallen by 8.9 per-\ncent, from 882 million to 803 million units"
    # (882 → 803 is a fall of 8.96%, which rounds to 9.0%, not 8.9%) ...
    d = store.add_document(_doc(corpus_dir, "pdf/lessig-2004-free-culture-352p.pdf"))
    pct = mark(store, d, "8.9", 8.9, after="CD sales had fallen by", unit="percent")
    old = mark(store, d, "882 million", 882e6, after="CD sales had fallen", counted="units")
    new = mark(store, d, "803 million", 803e6, after="CD sales had fallen", counted="units")
    res = evaluate(store, relate(store, "change", pct, [old, new], direction="decrease"))
    assert res.status == MISMATCH
    assert res.expected == pytest.approx(8.957, abs=1e-3)
    assert "beyond what rounding as written allows" in res.message
    # ... while "down 14 percent, from $14.6 billion in 1999 to $12.6 billion" (13.7%) rounds to 14
    pct14 = mark(store, d, "14 percent", 14, after="revenues are down", unit="percent")
    b1999 = mark(store, d, "$14.6 billion", 14.6e9, unit="USD")
    b2002 = mark(store, d, "$12.6 billion", 12.6e9, unit="USD")
    ok = evaluate(store, relate(store, "change", pct14, [b1999, b2002], direction="decrease"))
    assert ok.status == OK and ok.expected == pytest.approx(13.699, abs=1e-3)
    # and "fallen by 26 percent from 1.16 billion units ... to 860 million units" (25.9%)
    pct26 = mark(store, d, "26 percent", 26, after="have fallen by", unit="percent")
    u1999 = mark(store, d, "1.16 billion", 1.16e9, counted="units")
    u2002 = mark(store, d, "860 million", 860e6, after="1.16 billion", counted="units")
    assert evaluate(store, relate(store, "change", pct26, [u1999, u2002])).status == OK
    # a relation may add its own tolerance (here ±1%) when the checker accepts a looser reading
    loose = evaluate(store, relate(store, "change", pct, [old, new], direction="decrease", tolerance=0.01))
    assert loose.status == OK and "relation tolerance" in loose.tolerance_rule


# --------------------------------------------------------------------------- approximation


def test_around_and_about_allow_five_percent(corpus_dir, store):
    # BBC: "Normally, about 25 bodies a week are interred ... burial operations have increased from
    # one day a week to five days a week, with around 24 burials each day"
    d = store.add_document(_doc(corpus_dir, "html/bbc-2020-04-10-covid-new-york-hart-island.html"))
    weekly = mark(store, d, "about 25", 25, qualifier="about", counted="bodies", rate="week")
    days = mark(store, d, "one day a week", 1, unit="day", rate="week")
    daily = mark(store, d, "around 24", 24, qualifier="around", counted="burials", rate="day")
    res = evaluate(store, relate(store, "product", weekly, [days, daily]))
    assert res.status == OK
    assert res.expected == pytest.approx(24)
    assert res.unit == "per week"
    assert "1 day/week × around 24 per day = 24 per week" in res.computation
    assert "“about”: ±1.25 (5%)" in res.tolerance_rule
    # a plain "25 bodies a week" would not allow 24
    assert evaluate(store, res.relation, _without(weekly, qualifier=None, exact="25")).status == MISMATCH


def test_approximation_is_not_a_blank_cheque(corpus_dir, store):
    # NYT: "grants to students ... total roughly $30 billion — about one-tenth of what the government
    # will pay in interest this year": next year's interest ($390 billion) does not fit.
    d = store.add_document(_doc(corpus_dir, "html/nyt-2018-09-25-debt-interest-vs-military.html"))
    grants = mark(store, d, "roughly $30 billion", 30e9, qualifier="roughly", unit="USD")
    tenth = mark(store, d, "about one-tenth", 0.1, qualifier="about", unit="fraction")
    interest = mark(store, d, "$390 billion", 390e9, unit="USD")
    res = evaluate(store, relate(store, "share", grants, [tenth, interest]))
    assert res.status == MISMATCH
    assert res.expected == pytest.approx(39e9)
    assert (res.allowed.lo, res.allowed.hi) == pytest.approx((25e9, 35e9))
    assert "10% × $390 billion" not in res.computation  # fractions are shown as percentages with units
    assert "about 10% × 390 billion USD = 39 billion USD" in res.computation


def test_nearly_and_just_over_are_one_sided():
    # (no corpus sentence relates a "nearly" figure to others, so two short sentences written for the test)
    s = new_store()
    d = s.add_document(text_document(
        "Of 1,212 ballots, 582 were for the motion: nearly 49 percent. Of 788 ballots, 410 were for it: "
        "just over 51 percent.", "votes.txt"))
    n1, n2 = mark(s, d, "1,212", 1212), mark(s, d, "582", 582)
    nearly = mark(s, d, "nearly 49 percent", 49, qualifier="nearly", unit="percent")
    m1, m2 = mark(s, d, "788", 788), mark(s, d, "410", 410)
    over = mark(s, d, "just over 51 percent", 51, qualifier="just over", unit="percent")
    # 582/1212 = 48.0%: "nearly 49" holds; 410/788 = 52.0%: "just over 51" holds
    r1 = evaluate(s, relate(s, "share", nearly, [n2, n1]))
    r2 = evaluate(s, relate(s, "share", over, [m2, m1]))
    assert (r1.status, r2.status) == (OK, OK)
    # without the qualifiers, neither rounds to what is written
    assert evaluate(s, r1.relation, _without(nearly, qualifier=None, exact="49 percent")).status == MISMATCH
    assert evaluate(s, r2.relation, _without(over, qualifier=None, exact="51 percent")).status == MISMATCH
    # "nearly" does not stretch upwards (610/1212 = 50.3%) though "around" would ...
    up = {n2.id: n2.replace(value=610)}
    assert evaluate(s, r1.relation, up).status == MISMATCH
    assert evaluate(s, r1.relation, {**up, nearly.id: nearly.replace(qualifier="around")}).status == OK
    # ... nor "just over" downwards (394/788 = 50.0%)
    down = {m2.id: m2.replace(value=394)}
    assert evaluate(s, r2.relation, down).status == MISMATCH
    assert evaluate(s, r2.relation, {**down, over.id: over.replace(qualifier="around")}).status == OK
    s.close()


# --------------------------------------------------------------------------- bounds


def test_more_than_on_the_checked_figure_is_an_inequality(corpus_dir, store):
    # The Intercept: "More than half of the 30 hospitals in Gaza have closed completely" and later
    # "one of 16 hospitals that have shut down": 16/30 = 53.3%, which is more than half.
    d = store.add_document(_doc(corpus_dir, "html/theintercept-2023-11-08-gaza-hospitals.html"))
    half = mark(store, d, "More than half", 0.5, qualifier="more than", unit="fraction")
    total = mark(store, d, "30", 30, after="More than half of the", counted="hospitals")
    shut = mark(store, d, "16", 16, after="one of", counted="hospitals")
    res = evaluate(store, relate(store, "share", half, [shut, total]))
    assert res.status == OK
    assert res.expected == pytest.approx(53.333, abs=1e-3)
    assert res.allowed.lo == 50 and res.allowed.hi == float("inf")
    # read as "half" (±5%: 47.5-52.5%), 53.3% would not match
    assert evaluate(store, res.relation, _without(half, qualifier=None, exact="half")).status == MISMATCH


def test_more_than_as_an_input_is_read_up_to_its_next_step(corpus_dir, store):
    d = store.add_document(_doc(corpus_dir, "html/theintercept-2023-11-08-gaza-hospitals.html"))
    half = mark(store, d, "More than half", 0.5, qualifier="more than", unit="fraction")
    total = mark(store, d, "30", 30, after="More than half of the", counted="hospitals")
    shut = mark(store, d, "16", 16, after="one of", counted="hospitals")
    res = evaluate(store, relate(store, "share", shut, [half, total]))
    assert res.status == OK
    assert res.expected == pytest.approx(15)  # from the stated values
    assert (res.expected_range.lo, res.expected_range.hi) == pytest.approx((15, 16.5))  # 50-55% of 30
    assert evaluate(store, res.relation, _without(half, qualifier=None, exact="half")).status == MISMATCH


def test_at_least_input_and_target_in_a_product(corpus_dir, store):
    # Lessig: "$150,000 per infringement. As the RIAA alleged more than one hundred specific copyright
    # infringements, they therefore demanded that Jesse pay them at least $15,000,000."
    d = store.add_document(_doc(corpus_dir, "pdf/lessig-2004-free-culture-352p.pdf"))
    per = mark(store, d, "$150,000", 150000, after="copyright owner to", unit="USD", rate="infringement")
    count = mark(store, d, "more than one\nhundred", 100, after="RIAA alleged", qualifier="more than",
                 counted="infringements")
    demand = mark(store, d, "at least $15,000,000", 15e6, qualifier="at least", unit="USD")
    res = evaluate(store, relate(store, "product", demand, [per, count]))
    assert res.status == OK
    assert res.expected == pytest.approx(15e6)
    assert (res.expected_range.lo, res.expected_range.hi) == pytest.approx((15e6, 30e6))
    assert res.unit == "USD"


def test_less_than_on_the_checked_figure(corpus_dir, store):
    # WHO: "Less than half of the studies (22/49 (44.9%))"
    d = store.add_document(_doc(corpus_dir, "pdf/who-2022-hcv-children-adolescents-guidelines-155p.pdf"))
    half = mark(store, d, "Less than half", 0.5, after="palatability", qualifier="less than", unit="fraction")
    part = mark(store, d, "22", 22, after="(22/49", counted="studies")
    whole = mark(store, d, "49", 49, after="(22/", counted="studies")
    res = evaluate(store, relate(store, "share", half, [part, whole]))
    assert res.status == OK
    assert res.allowed.hi == 50 and res.allowed.lo == float("-inf")
    assert evaluate(store, res.relation, _without(half, qualifier=None, exact="half")).status == MISMATCH


def test_up_to_as_an_input_is_read_down_to_its_previous_step(corpus_dir, store):
    # FAA: "Up to 79 work-hours × $85 per hour = Up to $6,715." A cost read as exactly $6,650 would be
    # consistent with "up to 79 work-hours" (78.2 hours), not with exactly 79.
    d = store.add_document(_doc(corpus_dir, "pdf/federal-register-2020-17221-faa-boeing-737max-nprm.pdf"))
    hours = mark(store, d, "Up to 79 work-hours", 79, qualifier="up to", counted="work-hours")
    rate = mark(store, d, "$85 per hour", 85, after="Up to 79", unit="USD", rate="hour")
    cost = mark(store, d, "Up to $6,715", 6715, qualifier="up to", unit="USD")
    res = evaluate(store, relate(store, "product", cost, [hours, rate]))
    assert res.status == OK and res.expected == pytest.approx(6715)
    assert (res.expected_range.lo, res.expected_range.hi) == pytest.approx((78 * 85, 6715))
    as_6650 = {cost.id: cost.replace(value=6650, qualifier=None, exact="$6,650")}
    assert evaluate(store, res.relation, as_6650).status == OK
    as_6650[hours.id] = hours.replace(qualifier=None, exact="79 work-hours")
    assert evaluate(store, res.relation, as_6650).status == MISMATCH


# --------------------------------------------------------------------------- ranges


def test_a_range_covers_every_value_in_it(corpus_dir, store):
    # Seattle Times: a fisherman says Whole Foods sells halibut "for $16-something a pound"; the paper
    # reports "fresh halibut fillets priced at $16.99 a pound": the same quantity from two sources.
    d = store.add_document(_doc(corpus_dir, "html/seattletimes-2019-04-28-amazon-whole-foods-halibut.html"))
    said = mark(store, d, "$16-something", None, low=16, high=17, unit="USD", rate="pound")
    price = mark(store, d, "$16.99", 16.99, unit="USD", rate="pound")
    res = evaluate(store, relate(store, "same", said, [price]))
    assert res.status == OK
    assert res.unit == "USD/lb"
    # read as a plain "$16" (15.50 to 16.50), $16.99 would not match
    plain = _without(said, value=16, low=None, high=None, exact="$16")
    assert evaluate(store, res.relation, plain).status == MISMATCH


def test_same_honours_a_bound_against_a_precise_figure(corpus_dir, store):
    # BBC: black Chicagoans account for "more than 70% of its deaths"; the chart below says
    # "68%of coronavirus deaths in Chicago were African American".
    d = store.add_document(_doc(corpus_dir, "html/bbc-2020-04-10-covid-new-york-hart-island.html"))
    text_claim = mark(store, d, "more than 70%", 70, qualifier="more than", unit="percent")
    chart = mark(store, d, "68%", 68, unit="percent")
    res = evaluate(store, relate(store, "same", chart, [text_claim]))
    assert res.status == MISMATCH
    assert "do not agree ✗" in res.computation
