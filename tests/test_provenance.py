"""Provenance across documents (issue 6, point 4): one figure's appearances, who stated or relayed
it, when, earliest first, and a small picture of how it travelled."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from _checks_support import attribute, load, mark, new_store, relate, speaker, with_date

from annotator.core.provenance import claim_of, claims, normalize_date, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
_DOCS: dict = {}


def _doc(corpus_dir, rel: str):
    if rel not in _DOCS:
        _DOCS[rel] = load(corpus_dir / rel)
    return _DOCS[rel]


@pytest.fixture
def two_docs(corpus_dir, sample_path):
    """The sample (published 15 February 2023) and the Guardian page (20 January 2020) in one file."""
    s = new_store()
    sample = s.add_document(with_date(load(sample_path), "February 15, 2023"))
    guardian = s.add_document(_doc(corpus_dir, "html/guardian-2020-01-20-uk-academics-casual-contracts.html"))
    mek = speaker(s, "People’s Mojahedin of Iran (PMOI/MEK)", "organisation")
    roydad = speaker(s, "Roydad 24", "outlet", "state-run outlet")
    ucu = speaker(s, "University and College Union", "organisation")
    guardian_sp = speaker(s, "The Guardian", "outlet")
    f = {
        "mek": mark(s, sample, "at least 30,000", 30000, qualifier="at least", counted="protesters"),
        "thirty": mark(s, sample, "Thirty thousand", 30000, counted="prisoners and detainees"),
        "detainees": mark(s, sample, "30,000", 30000, after="Suppose the figure", counted="detainees"),
        "clemency": mark(s, sample, "between 30 to 40 thousand", None, low=30000, high=40000, counted="prisoners"),
        "nowrozi": mark(s, sample, "near “240,000", 240000, qualifier="near", counted="prisoners"),
        "total": mark(s, sample, "at least 200,000", 200000, qualifier="at least", counted="prisoners"),
        "pardoned": mark(s, sample, "around 100,000", 100000, qualifier="around", counted="prisoners"),
        "teaching": mark(s, guardian, "30,000", 30000, after="alongside", counted="contracted teaching staff"),
        "research": mark(s, guardian, "67,000", 67000, counted="research staff"),
    }
    attribute(s, f["mek"], mek, "states")
    attribute(s, f["thirty"], roydad, "states")
    attribute(s, f["detainees"], roydad, "relays")
    attribute(s, f["teaching"], ucu, "states")
    attribute(s, f["teaching"], guardian_sp, "relays")
    s.f = f  # type: ignore[attr-defined]
    s.docs = (sample, guardian)  # type: ignore[attr-defined]
    yield s
    s.close()


def _names(claim):
    return [a.figure.id for a in claim.appearances]


def test_equal_figures_are_one_claim_earliest_first(two_docs):
    f = two_docs.f
    c = claim_of(two_docs, f["mek"].id)
    assert c is not None
    # the Guardian's 30,000 (2020) comes first, then the sample's three in the order of its text
    assert _names(c) == [f["teaching"].id, f["mek"].id, f["thirty"].id, f["detainees"].id]
    assert [a.date for a in c.appearances] == ["2020-01-20", "2023-02-15", "2023-02-15", "2023-02-15"]
    assert {a.date_source for a in c.appearances} == {"metadata"}
    assert c.document_ids == [two_docs.docs[1], two_docs.docs[0]]
    first = c.appearances[0]
    assert [(sp.name, sp.role) for sp in first.speakers] == [
        ("University and College Union", "states"), ("The Guardian", "relays")]
    assert [(sp.name, sp.role) for sp in c.appearances[3].speakers] == [("Roydad 24", "relays")]
    assert c.speakers()[:3] == ["University and College Union", "The Guardian", "People’s Mojahedin of Iran (PMOI/MEK)"]
    assert c.label == "30,000"


def test_a_rejected_same_keeps_different_things_apart(two_docs):
    f = two_docs.f
    # the teaching staff are not the detainees: the checker says so once
    relate(two_docs, "same", f["teaching"], [f["mek"]], status="rejected")
    c = claim_of(two_docs, f["mek"].id)
    assert _names(c) == [f["mek"].id, f["thirty"].id, f["detainees"].id]
    assert claim_of(two_docs, f["teaching"].id) is None  # alone now
    assert claims(two_docs, across_documents=True) == []


def test_written_precision_decides_what_is_the_same_number(two_docs):
    f = two_docs.f
    # "Therefore, at least 200,000 prisoners": 200,000 is written to the hundred thousand, and the MP's
    # "near 240,000" rounds to it, so they are linked; the range of 30 to 40 thousand is not a 30,000
    c = claim_of(two_docs, f["nowrozi"].id)
    assert c is not None and set(_names(c)) == {f["nowrozi"].id, f["total"].id}
    assert claim_of(two_docs, f["clemency"].id) is None
    assert claim_of(two_docs, f["pardoned"].id) is None  # 100,000 is neither 200,000 nor 240,000


def test_a_confirmed_same_links_whatever_the_values(two_docs):
    f = two_docs.f
    relate(two_docs, "same", f["clemency"], [f["thirty"]])
    c = claim_of(two_docs, f["clemency"].id)
    assert f["thirty"].id in _names(c) and f["mek"].id in _names(c)


def test_merged_speakers_show_as_the_one_kept(two_docs):
    f = two_docs.f
    alias = speaker(two_docs, "Royedad 24", "outlet")
    attribute(two_docs, f["mek"], alias, "relays")
    keep = two_docs.find_speaker("Roydad 24")
    two_docs.merge_speakers(keep.id, alias.id)
    c = claim_of(two_docs, f["mek"].id)
    mek_app = next(a for a in c.appearances if a.figure.id == f["mek"].id)
    assert ("Roydad 24", "relays") in [(sp.name, sp.role) for sp in mek_app.speakers]


def test_a_document_without_a_date_uses_the_day_it_was_added(corpus_dir, sample_path):
    s = new_store()
    d1 = s.add_document(_doc(corpus_dir, "html/nyt-2018-09-25-debt-interest-vs-military.html"))
    d2 = s.add_document(load(sample_path))  # plain text: no date in its metadata
    a = mark(s, d1, "$1 trillion", 1e12, after="Mr. Trump has called", unit="USD")
    # the sample repeats a paragraph word for word: "for the past five months" twice
    b = mark(s, d2, "five months", 5, unit="month", occurrence=1)
    c = mark(s, d2, "five months", 5, unit="month", occurrence=2)
    apps = claim_of(s, b.id).appearances
    assert [x.figure.id for x in apps] == [b.id, c.id]
    assert {x.date_source for x in apps} == {"added"}
    assert apps[0].date == s.document(d2).created[:10]
    assert claim_of(s, a.id) is None
    s.close()


def test_dates_written_the_usual_ways():
    assert normalize_date("February 15, 2023") == "2023-02-15"
    assert normalize_date("15 February 2023") == "2023-02-15"
    assert normalize_date("2018-09-25T10:00:00Z") == "2018-09-25"
    assert normalize_date("Sept 5th, 2019") == "2019-09-05"
    assert normalize_date("last week") == "last week"


def test_timeline_picture(two_docs):
    f = two_docs.f
    ampersand = speaker(two_docs, "Office for Students & UCEA", "organisation")
    attribute(two_docs, f["thirty"], ampersand, "disputes")
    c = claim_of(two_docs, f["mek"].id)
    svg = timeline_svg(c)
    root = ET.fromstring(svg)  # standalone, well-formed (the “&” is escaped)
    assert root.tag == f"{SVG}svg"
    circles = root.findall(f"{SVG}circle")
    assert len(circles) == len(c.appearances) == 4
    # filled for "states", hollow for "relays"
    assert circles[0].get("fill") != "#ffffff" and circles[3].get("fill") == "#ffffff"
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    dates = [t for t in texts if t[:2] in ("20", "no")]
    assert dates == ["2020-01-20", "2023-02-15", "2023-02-15", "2023-02-15"]
    assert any("University and College Union (states)" in t for t in texts)
    assert any("Office for Students & UCEA (disputes)" in t for t in texts)
    # one arrow: the figure moved from one document to another once
    arrows = [ln for ln in root.findall(f"{SVG}line") if ln.get("marker-end")]
    assert len(arrows) == 1
    assert root.find(f"{SVG}title").text.startswith("30,000: 4 appearances")
