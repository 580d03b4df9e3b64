"""Figure parsing and detection (annotator.core.figures).

Sentences are quoted from the sample article and the corpus news pages (short excerpts).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.figures import FigureSuggestion, ParsedFigure, detect_figures, parse_figure


def spans(text: str) -> list[str]:
    return [s.text for s in detect_figures(text)]


def one(text: str) -> FigureSuggestion:
    found = detect_figures(text)
    assert len(found) == 1, [s.text for s in found]
    return found[0]


# ------------------------------------------------------------------------------------------------
# parse_figure: the examples
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, unit", [
    ("30,000", 30000, None),
    ("$79 million", 79_000_000, "USD"),
    ("15%", 15, "percent"),
    ("3,6 quadrillion rials", 3.6e15, "IRR"),
    ("Thirty thousand", 30000, None),
    ("100 million rials", 100_000_000, "IRR"),
    ("a dozen", 12, None),
    ("€3bn", 3e9, "EUR"),
    ("£2.5m", 2.5e6, "GBP"),
    ("USD 40", 40, "USD"),
    ("40 USD", 40, "USD"),
    ("500 tomans", 500, "IRT"),
    ("15 per cent", 15, "percent"),
    ("1.234.567", 1234567, None),
    ("1 500", 1500, None),
    ("1500", 1500, None),
    ("4.2", 4.2, None),
    ("1,234.5", 1234.5, None),
    ("1.234,5", 1234.5, None),
    ("44,947 megawatts", 44947, "MW"),
    ("29.4 million pounds", 29.4e6, "lb"),
    ("9.83e-3", 9.83e-3, None),
    ("2.48×10−5", 2.48e-5, None),
])
def test_parse_values_and_units(text, value, unit):
    p = parse_figure(text)
    assert p.value == pytest.approx(value)
    assert p.unit == unit
    assert p.low is None and p.high is None


def test_parse_range_between_to_thousand():
    p = parse_figure("between 30 to 40 thousand")
    assert (p.value, p.low, p.high) == (None, 30000, 40000)
    assert p.is_range and p.form == "range"


def test_parse_tens_of_thousands_is_an_order_of_magnitude_range():
    p = parse_figure("tens of thousands")
    assert (p.value, p.low, p.high, p.form) == (None, 10000, 99999, "vague")


@pytest.mark.parametrize("text, precision", [
    ("$79 million", 1e6), ("15%", 1), ("3,6 quadrillion rials", 1e14), ("30,000", 1e4),
    ("9.59 percent", 0.01), ("Thirty thousand", 1e4), ("44,947", 1),
])
def test_parse_precision_is_the_last_written_digit(text, precision):
    assert parse_figure(text).precision == pytest.approx(precision)


def test_parse_uses_context_for_qualifier_counted_noun_and_rate():
    p = parse_figure("30,000", context_after=" protesters have been detained",
                     context_before="the first to announce that at least ")
    assert (p.value, p.qualifier, p.counted) == (30000, "at least", "protesters")
    p = parse_figure("$79 million", context_after=" a year per the current dollar exchange rate")
    assert (p.value, p.unit, p.rate) == (79e6, "USD", "year")
    p = parse_figure("3 trillion rials", context_after=" per month and")
    assert p.rate == "month"


def test_parse_a_user_selection_that_detection_skips():
    # the user chose the span: a year is read as a number, not refused
    assert parse_figure("2019").value == 2019


def test_parse_without_a_number_gives_an_empty_figure():
    assert parse_figure("the regime’s desperation") == ParsedFigure()


def test_value_json_is_a_number_or_a_pair():
    text = "Khamenei offers clemency to “between 30 to 40 thousand prisoners,” and around 100,000"
    a, b = detect_figures(text)
    assert a.value_json() == [30000, 40000]
    assert b.value_json() == 100000 and isinstance(b.value_json(), int)
    assert json.dumps([a.value_json(), b.value_json()])


# ------------------------------------------------------------------------------------------------
# Detection on sentences of the sample article
# ------------------------------------------------------------------------------------------------

def test_sample_qualifier_is_inside_the_span_and_the_counted_noun_outside():
    s = one("was the first to announce that at least 30,000 protesters have been detained.")
    assert s.text == "at least 30,000"
    assert (s.parsed.value, s.parsed.qualifier, s.parsed.counted) == (30000, "at least", "protesters")


def test_sample_qualifier_across_an_opening_quote():
    s = one("who underlined in 2021 that there are near “240,000 prisoners, and this number")
    assert s.text == "near “240,000"
    assert s.parsed.qualifier == "near"


def test_sample_decimal_comma_with_scale_currency_and_rate():
    text = ("more than 3 trillion rials per month and 3,6 quadrillion rials per year will be added")
    a, b = detect_figures(text)
    assert (a.text, a.parsed.value, a.parsed.unit, a.parsed.rate, a.parsed.qualifier) == (
        "more than 3 trillion rials", 3e12, "IRR", "month", "more than")
    assert (b.text, b.parsed.value, b.parsed.unit, b.parsed.rate) == (
        "3,6 quadrillion rials", 3.6e15, "IRR", "year")


def test_sample_dollars_with_rate_outside_the_span():
    s = one("keeping detained protesters costs around $79 million a year per the current dollar")
    assert (s.text, s.parsed.value, s.parsed.unit, s.parsed.rate) == (
        "around $79 million", 79e6, "USD", "year")


def test_sample_written_number_and_percentage():
    text = ("Thirty thousand prisoners and detainees of the recent protests make up 15% of the "
            "total prison population of the country")
    a, b = detect_figures(text)
    assert (a.text, a.parsed.value, a.parsed.counted) == ("Thirty thousand", 30000, "prisoners")
    assert (b.text, b.parsed.value, b.parsed.unit) == ("15%", 15, "percent")


def test_sample_year_like_count_before_a_plural_noun():
    text = "The MEK was the first to announce that authorities killed 1500 protesters during the November 2019 uprising."
    assert spans(text) == ["1500"]


def test_sample_names_dates_and_metadata_are_not_figures():
    text = ("By Published On: February 15, 2023Categories: NEWS\n"
            "On February 8, while claiming that, the state-run Royedad 24 wrote: “This year”. "
            "“Therefore,” Roydad 24 added.")
    assert spans(text) == []


def test_sample_between_range_with_scale_on_the_second_number():
    s = one("Khamenei offers clemency to “between 30 to 40 thousand prisoners,” the state-run")
    assert s.text == "between 30 to 40 thousand"
    assert (s.parsed.low, s.parsed.high, s.parsed.counted) == (30000, 40000, "prisoners")


def test_sample_vague_plural_duration_and_repeated_paragraphs():
    text = ("the so-called “amnesty” of thousands of inmates, including\n\n"
            "the nationwide uprising has persisted for the past five months.")
    a, b = detect_figures(text)
    assert (a.text, a.parsed.form, a.parsed.counted) == ("thousands", "vague", "inmates")
    assert (b.text, b.parsed.value, b.parsed.unit) == ("five months", 5, "month")


# ------------------------------------------------------------------------------------------------
# Detection rules on corpus sentences
# ------------------------------------------------------------------------------------------------

def test_between_and_range():
    s = one('In late March, Dr Fauci estimated "between 100,000 and 200,000" could die.')
    assert (s.text, s.parsed.low, s.parsed.high) == ("between 100,000 and 200,000", 100000, 200000)


def test_currency_ranges_with_rates():
    assert spans("Fresh halibut fillets routinely sell for $24 to $28 a pound, and often more.") == ["$24 to $28"]
    s = one("Fishermen are typically paid between $5 and $6 a pound for halibut.")
    assert (s.text, s.parsed.low, s.parsed.high, s.parsed.unit, s.parsed.rate) == (
        "between $5 and $6", 5, 6, "USD", "pound")


def test_unit_range_and_hyphen_range():
    s = one("as temperatures reached 10 to 20 degrees above normal in California")
    assert (s.text, s.parsed.low, s.parsed.high, s.parsed.unit) == ("10 to 20 degrees", 10, 20, "degree")
    s = one("estimates of 100,000-200,000 deaths")
    assert (s.parsed.low, s.parsed.high) == (100000, 200000)
    s = one("an increase of 30 to 40 percent")
    assert (s.text, s.parsed.unit) == ("30 to 40 percent", "percent")


def test_word_range_with_or():
    s = one("They negotiate to sell the fish with four or five buyers, such as Besecker")
    assert (s.text, s.parsed.low, s.parsed.high, s.parsed.counted) == ("four or five", 4, 5, "buyers")


def test_a_change_from_one_value_to_another_is_two_figures():
    text = "his support among the state's black voters fell from 54% in November to 35%."
    assert spans(text) == ["54%", "35%"]
    assert spans("support fell from 54% to 35% in a month") == ["54%", "35%"]
    text = "bringing the number of Americans out of work over the last three weeks to 16.8 million."
    assert spans(text) == ["three weeks", "16.8 million"]


def test_over_before_a_duration_is_not_a_qualifier():
    text = "That would reduce federal revenue by an additional $631 billion over 10 years"
    assert spans(text) == ["$631 billion", "10 years"]
    assert detect_figures("About 50 other people were wounded, over 50 people")[1].text == "over 50"


@pytest.mark.parametrize("text, span, qualifier", [
    ("killing at least 19 people, including 17 foreigners", "at least 19", "at least"),
    ("About 50 other people were wounded", "About 50", "about"),
    ("it's less than 100.", "less than 100", "less than"),
    ("far above the typical costs of under $100.", "under $100", "under"),
    ("while an estimated 6,500 were on zero-hours contracts", "an estimated 6,500", "estimated"),
    ("he has persuaded precisely zero.", "precisely zero", "exactly"),
    ("“Approximately 70 percent of the services", "Approximately 70 percent", "approximately"),
    ("Over 50,000 pregnant women in Gaza", "Over 50,000", "over"),
    ("Samples with fewer than 20 specimens", "fewer than 20", "fewer than"),
])
def test_qualifiers_are_kept(text, span, qualifier):
    s = detect_figures(text)[0]
    assert (s.text, s.parsed.qualifier) == (span, qualifier)


def test_symbol_qualifiers_and_plus_minus():
    assert [(s.text, s.parsed.qualifier) for s in detect_figures(
        "at very low concentrations of <2 ppm and ∼20 m thick")] == [("<2 ppm", "less than"), ("∼20 m", "about")]
    s = one("constrain the CTB at 93.90±0.15 Ma (Meyers")
    assert (s.text, s.parsed.value, s.parsed.uncertainty, s.parsed.unit) == ("93.90±0.15 Ma", 93.9, 0.15, "Ma")


def test_vague_magnitudes():
    s = one("If you look at the number that have been killed by gun violence, it's in the tens of thousands,")
    assert (s.text, s.parsed.low, s.parsed.high) == ("tens of thousands", 10000, 99999)
    s = one("called on utilities to cut power to hundreds of thousands of customers.")
    assert (s.text, s.parsed.low, s.parsed.counted) == ("hundreds of thousands", 100000, "customers")
    s = one("spiked into the thousands of dollars per megawatt-hour, far above")
    assert (s.text, s.parsed.unit, s.parsed.rate) == ("thousands of dollars", "USD", "megawatt-hour")
    assert spans("in 2012, hundreds of Islamists assaulted the embassy") == ["hundreds"]
    assert parse_figure("several hundred").low == 300


def test_written_numbers():
    assert spans("Two gunmen died, and three others may have escaped, officials said.") == ["Two", "three"]
    assert spans("Ultimately, a dozen Republicans filed before the deadline") == ["a dozen"]
    assert parse_figure("two hundred and fifty thousand").value == 250000
    assert parse_figure("two and a half miles").value == 2.5


def test_one_is_a_figure_only_with_a_unit_a_ratio_or_a_rate():
    assert spans("One of my strengths is I have a pretty even temperament.") == []
    assert spans("loaded up the Polaris, one of four century-old wooden schooners") == ["four"]
    assert spans("burial operations have increased from one day a week to five days a week") == [
        "one day", "five days"]
    assert spans("It is not enough for one day in a hospital") == ["one day"]
    assert spans("One day, he said, the war would end.") == []
    s = one("one in five adults")
    assert (s.text, s.parsed.value, s.parsed.unit) == ("one in five", 0.2, "fraction")
    assert spans("the run-up is a one-two punch brought on by") == []


def test_fractions():
    s = one("making up two-thirds of the total research staff")
    assert (s.text, s.parsed.value, s.parsed.unit) == ("two-thirds", pytest.approx(2 / 3), "fraction")
    assert spans("about one-tenth of what the government will pay") == ["about one-tenth"]
    s = one("the yield has risen by more than half a percentage point, to")
    assert (s.text, s.parsed.value, s.parsed.unit) == (
        "more than half a percentage point", 0.5, "percentage point")
    assert spans("More than half of the 30 hospitals in Gaza have closed") == ["More than half", "30"]
    assert spans("the second half of the year and the third time in the second quarter") == []


def test_hyphenated_durations_and_ages():
    assert spans("plunged into a six-month teaching contract") == ["six-month"]
    assert spans("From the deck of his 106-year-old halibut schooner") == ["106-year-old"]
    assert spans("The 17-year Israeli blockade imposed on Gaza") == ["17-year"]
    assert spans("Amazon’s $119-a-year shipping program") == ["$119"]
    assert detect_figures("Amazon’s $119-a-year shipping program")[0].parsed.rate == "year"
    assert spans("the zero-hours contracts were cut") == []


def test_something_suffix_is_a_range_of_one_unit():
    s = one("they’re selling this for $16-something a pound")
    assert (s.text, s.parsed.low, s.parsed.high, s.parsed.rate) == ("$16-something", 16, 17, "pound")


def test_thousands_separators_and_spaces():
    assert one("The California row reads 98 452 checks").parsed.value == 98452
    assert one("a total of 1.234.567 votes").parsed.value == 1234567
    s = one("in 2,000 cases")
    assert (s.text, s.parsed.value) == ("2,000", 2000)


def test_weights_and_glued_percent():
    assert spans("a fish that can grow to 500 pounds all the more") == ["500 pounds"]
    assert spans("- 33%of those hospitalised are African Americans") == ["33%"]


# ------------------------------------------------------------------------------------------------
# Not figures
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The report was published on 15 February 2023 in Paris.",
    "It was published on Feb. 15 and again on Dec. 19, ahead of the filing deadline.",
    "Posted 2023-02-15 by the editors.",
    "The protests began in September 2022.",
    "Interest payments will overtake Medicaid in 2020 and the budget in 2023.",
    "Data for 2015-16 and between 2011-12 and 2017-18.",
    "The meeting starts at 10:30 and ends at 5 p.m.; the call was at 6:15 a.m.",
    "On the 3rd of May and in the 19th century, for the third time.",
    "The state-run Roydad 24 added that COVID-19 cases rose.",
    "A Boeing 737 flew to the G7 summit under Article 19.",
    "Call +1 202-555-0143 or 020 7946 0958.",
    "See page 12 and p. 4 for details.",
    "as noted earlier.[3] The regime’s crimes.12 Later",
    "1.1 Introduction\n2. Methods",
    "Read https://example.com/2023/02/15/story-123.html now.",
    "ISBN 978-0-14-044913-6",
    "Aside from wartime or a deep downturn like the 1930s or 2008-9",
    "since 9/11 by terrorism and in the mid-2000s",
    "Whole Foods co-founder and the 10th District and Stage 3 action",
    "Figs. 4 and 5 and Tables 2, 3 and 7",
    "12\n",
])
def test_not_figures(text):
    assert spans(text) == []


def test_year_needs_a_plural_noun_to_be_a_count():
    assert spans("He won an open-seat race in 2012 when then-Rep. Heath Shuler retired.") == []
    assert spans("the 2016 elections") == []


# ------------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-–$€£%/:abcdeilmnorstuvwyzT\n“(")), max_size=80))
def test_spans_are_sorted_non_overlapping_and_match_the_text(text):
    found = detect_figures(text)
    last = 0
    for s in found:
        assert last <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == s.text
        last = s.end


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_parses_without_error(text):
    detect_figures(text)
    parse_figure(text)


def test_quantulum_error_strings_do_not_crash(corpus_dir):
    path = corpus_dir / "datasets" / "quantulum3-quantities" / "errors.json"
    for item in json.loads(path.read_text(encoding="utf-8")):
        text = item if isinstance(item, str) else item.get("req", "")
        detect_figures(text)
        parse_figure(text)


def test_symbol_qualifier_separated_by_a_space():
    s = one("have been observed on Saturn (T ⩽ 650 K) from the ground")
    assert (s.text, s.parsed.qualifier, s.parsed.value) == ("⩽ 650", "at most", 650)


@pytest.mark.parametrize("text", [
    "Since AD 2018–23–51 was issued; fax: 202–493–2251 or call 206–231– \n3195.",
    "using the procedures found in 14 CFR \n11.43 and 11.45, and (5 U.S.C. 552)",
    "(See 14 CFR 91.213, 121.628, 125.201, \nand 129.14.)",
    "Related Service Information Under 1 \nCFR Part 51",
    "Congressional Relations, (202) 512-4400",
    "Government Accountability Office, 441 G Street NW, Washington",
    "risk management).1 It was also unclear",
    "VerDate Sep<11>2014",
    "email: 9-FAA-SACO-AD-Inquiry@faa.gov or https://example.org/data?id=12",
    "1.1:  Establish cybersecurity requirements\n1\t \x07Decentralization of services",
    "and treatment (284-286). One potential way",
    "Boeing Company Model 737–8 airplanes",
])
def test_not_figures_in_reports_and_regulations(text):
    assert spans(text) == []


def test_rates_written_with_a_slash_stay_outside_the_span():
    s = one("I would do it, but only for $15.4/hour")
    assert (s.text, s.parsed.rate) == ("$15.4", "hour")


@pytest.mark.parametrize("text, counted", [
    ("Two gunmen died, and three others may have escaped", "gunmen"),
    ("About 50 other people were wounded", "people"),
    ("make up 15% of the total prison population of the country", "total prison population"),
    ("with just 18 months left in power", None),            # a duration counts nothing
    ("the record high of 799 the day before", None),
    ("a fish that can grow to 500 pounds all the more exciting", "pounds"),
    ("Saturday’s peak demand reached 44,947 megawatts, much lower", "megawatts"),
    ("It now has 11 automated Go convenience stores", "automated Go convenience stores"),
])
def test_counted_noun(text, counted):
    assert detect_figures(text)[0].parsed.counted == counted


def test_rates_after_the_counted_noun():
    s = one("with around 24 burials each day, said the spokesman")
    assert (s.parsed.counted, s.parsed.rate) == ("burials", "day")
    s = one("Normally, about 25 bodies a week are interred on the island")
    assert (s.parsed.counted, s.parsed.rate) == ("bodies", "week")


def test_signs_and_litres():
    assert [(s.text, s.value_json(), s.parsed.unit) for s in detect_figures(
        "The loss was $-99.99, a deficit of −3.2% at -5 °C, and 3 to 4 L of wine")] == [
        ("$-99.99", -99.99, "USD"), ("−3.2%", -3.2, "percent"), ("-5 °C", -5, "°C"),
        ("3 to 4 L", [3, 4], "l")]


def test_poll_points_karats_and_hyphenated_rates():
    assert [(s.text, s.parsed.unit) for s in detect_figures(
        "gave Trump an 18-point lead; the Fox poll had a margin of error of 4.5 points.")] == [
        ("18-point", "point"), ("4.5 points", "point")]
    assert spans("the fixtures are brushed with 24-karat gold") == ["24-karat"]
    s = one("requiring students to contribute wages from a 10-hour-per-week job")
    assert (s.text, s.parsed.unit, s.parsed.rate) == ("10-hour", "hour", "week")


def test_numbers_used_as_names_after_a_determiner():
    assert spans("A close look at Mr. Trump's two airplanes - the 757 and a smaller jet") == ["two"]
    assert spans("Among the big-money 2016 players that have drawn") == []
    assert spans("the 10 largest banks and the 300 guests") == ["10", "300"]


# A qualifier written after a number in words with a unit ("ten percent or so") left the figure without a
# start and stopped the whole pass with a TypeError; an exponent or a numeral beyond what a float holds
# ("1e6555", a 400-digit run) raised OverflowError.
@pytest.mark.parametrize("text, span, value, unit, qualifier", [
    ("Prices rose ten percent or so last year.", "ten percent or so", 10.0, "percent", "about"),
    ("The plan costs five million dollars or more.", "five million dollars or more", 5e6, "USD", "or more"),
    ("The talks lasted three hours or more.", "three hours or more", 3.0, "hour", "or more"),
    ("They walked about two hundred metres or so.", "about two hundred metres or so", 200.0, "m", "about"),
])
def test_a_qualifier_after_a_number_in_words_with_a_unit(text, span, value, unit, qualifier):
    (f,) = detect_figures(text)
    assert (f.text, f.parsed.value, f.parsed.unit, f.parsed.qualifier) == (span, value, unit, qualifier)


@pytest.mark.parametrize("text", ["code 1e6555 hrs", "1" + "0" * 400 + " people", "1," + "000," * 120 + "000 USD",
                                  "between 5 and 3e999 tons", "x 4×10^9999 m"])
def test_numbers_beyond_a_float_are_not_figures_and_do_not_crash(text):
    for f in detect_figures(text):
        assert f.parsed.value is None or f.parsed.value < 1e300
        f.value_json()
    parse_figure(text)


_WORDS = ("one two ten twenty hundred thousand million billion dozen tens of a the half third and or more so "
          "less fewer about around nearly at least up to between from to than over some several few percent "
          "per cent % $ € rials dollars USD bn m km kg metres hours years a year per month said 24 2023 1,500 "
          "30,000 3,6 4.2 100,000-200,000 15 0.5 1e6 - – , . ( ) “ ” ’ No. ~ < ≥ +1 9/11 10:30 1st March").split()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12), st.sampled_from([" ", "", "\n", "-"]))
def test_any_sequence_of_figure_words_parses_without_error(words, sep):
    text = sep.join(words)
    for f in detect_figures(text):
        assert text[f.start:f.end] == f.text
        f.parsed
        f.value_json()
    parse_figure(text)
