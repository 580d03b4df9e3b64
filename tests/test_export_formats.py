"""CSV, HTML report, ClaimReview and annotated-PDF exports, read back as the tools on the
other end read them (csv module, an HTML parser, JSON, pypdf)."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pypdf
import pytest

from annotator.core.errors import ExportError
from annotator.core.exports import FORMATS, export, run_export
from annotator.core.model import Figure, Speaker
from annotator.core.store import AnnotationStore
from export_support import (
    attribute,
    make_pdf,
    mark,
    pdf_document,
    sample_store,
    speaker,
    text_document,
)

# ----------------------------------------------------------------------------- CSV


def _csv_rows(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets need to pick UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_one_row_per_figure_with_speakers_and_roles(tmp_path):
    store, doc_id = sample_store()
    rows = _csv_rows(export(store, "csv", tmp_path / "f.csv"))
    assert len(rows) == 5
    by_text = {}
    for r in rows:
        by_text.setdefault(r["exact"], []).append(r)
    rials = by_text["100 million rials"][0]
    assert rials["speakers"] == "Mehdi Hajian (states); Roydad 24 (relays)"
    assert float(rials["value"]) == 1e8 and rials["unit"] == "IRR"
    assert rials["verdict"] == "accurate" and rials["review_status"] == "Accepted"
    assert rials["author"] == "Checker Chloé" and rials["document"] == "Iran’s prisons"
    text = store.document_text(doc_id)
    assert text[int(rials["start"]) : int(rials["end"])] == "100 million rials"
    assert "according to Mehdi Hajian" in rials["sentence"]
    # a note with quotes, a comma and a line break survives quoting
    assert by_text["$79 million"][0]["note"] == 'A "yearly" figure, not monthly,\nsee line two.'
    assert by_text["30,000"][0]["qualifier"] == "at least"
    assert len(by_text["30,000"]) == 2


def test_csv_neutralises_spreadsheet_formulas(tmp_path):
    store, doc_id = sample_store()
    fig = store.figures(doc_id)[0]
    store.update(Figure, fig.id, note='=HYPERLINK("http://evil.example","click")')
    sp = store.speakers()[0]
    store.update(Speaker, sp.id, name="@SUM(A1)")
    rows = _csv_rows(export(store, "csv", tmp_path / "f.csv"))
    notes = [r["note"] for r in rows if r["figure_id"] == fig.id]
    assert notes == ["'=HYPERLINK(\"http://evil.example\",\"click\")"]
    assert all(not r["speakers"].startswith("@") for r in rows)


def test_csv_pages_count_from_one_for_pdfs(tmp_path):
    store = AnnotationStore.create_memory(author="A")
    doc = pdf_document(make_pdf([["Cover."], ["It cost 42 million dollars."]]))
    doc_id = store.add_document(doc)
    mark(store, doc_id, doc.text, "42 million dollars")
    (row,) = _csv_rows(export(store, "csv", tmp_path / "p.csv"))
    assert row["page"] == "2"


# ----------------------------------------------------------------------------- HTML


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.text = []
        self.marks = []
        self._in_mark = False
        self.h2 = []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_mark = self._in_mark or tag == "mark"
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")

    def handle_endtag(self, tag):
        if tag == "mark":
            self._in_mark = False
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_mark:
            self.marks.append(data)
        if self._in_h2:
            self.h2[-1] += data


def test_html_report_groups_by_speaker_and_loads_nothing(tmp_path):
    store, _ = sample_store()
    page = export(store, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    p = _Collect()
    p.feed(page)
    text = "".join(p.text)
    # grouped by speaker, figures nobody was credited with last
    headings = [h.split(" (")[0] for h in p.h2]
    assert headings == ["Mehdi Hajian", "MEK", "Roydad 24", "No speaker recorded"]
    # the sentence around each figure, the figure marked in it
    assert "30,000" in p.marks and "100 million rials" in p.marks
    assert "Roydad 24 reported that each inmate costs around" in text
    assert "Inaccurate" in text and "Amnesty counted fewer" in text and "Accepted" in text
    assert "Check against the UN figure." in text  # comments
    assert "https://example.org/iran-prisons" in text and "2023-01-15" in text
    # offline: no scripts, no external resources, a CSP forbidding them, print styles
    tags = [t for t, _ in p.tags]
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    assert not [a for t, a in p.tags if t == "link"]
    for t, a in p.tags:
        if "src" in a:
            pytest.fail(f"{t} loads {a['src']}")
    csp = [a["content"] for t, a in p.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]
    assert "@media print" in page
    assert "@import" not in page and "url(" not in page


def test_html_escapes_everything(tmp_path):
    store, doc_id = sample_store()
    sp = store.speakers()[0]
    store.update(Speaker, sp.id, name="<script>alert(1)</script>")
    fig = store.figures(doc_id)[0]
    store.update(Figure, fig.id, note='<img src=x onerror="alert(2)">')
    page = export(store, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_makes_no_link_from_a_javascript_url(tmp_path):
    store = AnnotationStore.create_memory(author="A")
    doc = text_document(url="javascript:alert(1)")
    doc_id = store.add_document(doc)
    mark(store, doc_id, doc.text, "30,000")
    page = export(store, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    p = _Collect()
    p.feed(page)
    assert not [a for t, a in p.tags if t == "a" and a.get("href", "").startswith("javascript")]


# ----------------------------------------------------------------------------- ClaimReview


def test_claimreview_for_every_checked_figure(tmp_path):
    store, _ = sample_store()
    out = export(store, "claimreview", tmp_path / "cr.json",
                 settings={"organisation": "FactCheck Desk", "organisation_url": "https://factcheck.example"})
    reviews = json.loads(out.read_text(encoding="utf-8"))
    # 5 figures, one unchecked
    assert len(reviews) == 4
    assert all(r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview" for r in reviews)
    by_claim = {r["claimReviewed"]: r for r in reviews}
    r = by_claim["Roydad 24 reported that each inmate costs around 100 million rials, according to Mehdi Hajian."]
    assert r["reviewRating"]["alternateName"] == "Accurate"
    assert r["reviewRating"]["ratingValue"] == 5 and r["reviewRating"]["bestRating"] == 5
    assert r["reviewRating"]["worstRating"] == 1
    claim = r["itemReviewed"]
    assert claim["@type"] == "Claim"
    # the speaker who states it (not the outlet relaying it) is the claim's author
    assert claim["author"] == {"@type": "Person", "name": "Mehdi Hajian",
                               "jobTitle": "vice-chairman of the parliament's judicial commission"}
    assert claim["appearance"]["@type"] == "CreativeWork"
    assert claim["appearance"]["url"] == "https://example.org/iran-prisons"
    assert r["author"] == {"@type": "Organization", "name": "FactCheck Desk", "url": "https://factcheck.example"}
    assert len(r["datePublished"]) == 10
    mek = [x for x in reviews if x["itemReviewed"].get("author", {}).get("name") == "MEK"]
    assert mek and all(x["itemReviewed"]["author"]["@type"] == "Organization" for x in mek)
    unverifiable = [x for x in reviews if x["reviewRating"]["alternateName"] == "Unverifiable"]
    assert unverifiable and "ratingValue" not in unverifiable[0]["reviewRating"]


def test_claimreview_organisation_from_the_file_and_clear_error_without(tmp_path):
    store, _ = sample_store()
    with pytest.raises(ExportError, match="organisation"):
        export(store, "claimreview", tmp_path / "cr.json")
    assert not (tmp_path / "cr.json").exists()
    store.set_info("organisation", "Desk From File")
    reviews = json.loads(export(store, "claimreview", tmp_path / "cr.json").read_text(encoding="utf-8"))
    assert reviews[0]["author"]["name"] == "Desk From File"


def test_claimreview_without_any_verdict_says_so(tmp_path):
    store = AnnotationStore.create_memory(author="A")
    doc = text_document()
    doc_id = store.add_document(doc)
    mark(store, doc_id, doc.text, "15%")
    with pytest.raises(ExportError, match="No figure has a verdict"):
        export(store, "claimreview", tmp_path / "cr.json", settings={"organisation": "X"})


# ----------------------------------------------------------------------------- PDF


def _pdf_store(rotation=0):
    store = AnnotationStore.create_memory(author="Checker Chloé")
    data = make_pdf([["Cover page."],
                     ["The MEK said that at least 30,000 protesters were arrested.",
                      "Each inmate costs around 100 million rials, said Mehdi Hajian."]], rotation=rotation)
    doc = pdf_document(data)
    doc_id = store.add_document(doc)
    f1 = mark(store, doc_id, doc.text, "30,000", value=30000.0, verdict="inaccurate", note="Too high.")
    attribute(store, f1, speaker(store, "MEK", "organisation"))
    f2 = mark(store, doc_id, doc.text, "100 million rials", value=1e8, unit="IRR", verdict="accurate")
    attribute(store, f2, speaker(store, "Mehdi Hajian"))
    return store, doc_id, data, {"30,000": f1, "100 million rials": f2}


def _expected_quadpoints(data: bytes, page: int, text: str) -> list[float]:
    """Where ``text`` is on the page, in PDF user space (y up): ground truth from the
    original file, to compare with what pypdf reads from the export."""
    import pymupdf

    doc = pymupdf.open(stream=data)
    pg = doc[page]
    (quad,) = pg.search_for(text, quads=True)
    m = pg.transformation_matrix  # unrotated page space -> PDF user space
    pts = [p * ~m for p in (quad.ul, quad.ur, quad.ll, quad.lr)]
    return [c for p in pts for c in (p.x, p.y)]


@pytest.mark.parametrize("rotation", [0, 90])
def test_pdf_export_carries_real_highlights_read_by_pypdf(tmp_path, rotation):
    store, doc_id, original, figs = _pdf_store(rotation)
    out = export(store, "pdf", tmp_path / "marked.pdf")
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 2
    assert not reader.pages[0].get("/Annots")
    annots = [a.get_object() for a in reader.pages[1]["/Annots"]]
    assert [a["/Subtype"] for a in annots] == ["/Highlight", "/Highlight"]
    by_text = {}
    for a in annots:
        first = a["/Contents"].splitlines()[0]
        by_text[first.removeprefix("Figure: ")] = a
    a = by_text["30,000"]
    assert a["/T"] == "Checker Chloé"
    assert "Speakers: MEK (states)" in a["/Contents"]
    assert "Verdict: Inaccurate" in a["/Contents"] and "Note: Too high." in a["/Contents"]
    assert a["/NM"] == f"annotator:{figs['30,000'].id}"
    b = by_text["100 million rials"]
    assert "Mehdi Hajian (states)" in b["/Contents"] and "Verdict: Accurate" in b["/Contents"]
    # the highlight covers the figure's words (within a point)
    for text, annot in by_text.items():
        got = [float(x) for x in annot["/QuadPoints"]]
        want = _expected_quadpoints(original, 1, text)
        assert len(got) == 8
        assert max(abs(g - w) for g, w in zip(got, want)) < 1.5, (text, got, want)


def test_pdf_export_keeps_existing_annotations(tmp_path, corpus_dir):
    from annotator.core.documents import load_document

    src = corpus_dir / "pdf" / "pypdf-example-existing-highlight-stamp-attachment.pdf"
    doc = load_document(src)
    store = AnnotationStore.create_memory(author="A")
    doc_id = store.add_document(doc)
    mark(store, doc_id, doc.text, "Beautiful", verdict="accurate")
    before = [a.get_object()["/Subtype"] for a in pypdf.PdfReader(src).pages[0]["/Annots"]]
    after = [a.get_object()["/Subtype"] for a in pypdf.PdfReader(export(store, "pdf", tmp_path / "o.pdf")).pages[0]["/Annots"]]
    assert sorted(after) == sorted(before + ["/Highlight"])


def test_pdf_export_of_an_encrypted_pdf_needs_its_password_and_stays_encrypted(tmp_path):
    from annotator.core.errors import PasswordRequired

    store = AnnotationStore.create_memory(author="A")
    data = make_pdf([["Spending rose by 12 percent."]], password="s3cret")
    doc = pdf_document(data, password="s3cret")
    doc_id = store.add_document(doc)
    mark(store, doc_id, doc.text, "12 percent")
    with pytest.raises(PasswordRequired):
        export(store, "pdf", tmp_path / "o.pdf")
    out = export(store, "pdf", tmp_path / "o.pdf", settings={"pdf_password": "s3cret"})
    reader = pypdf.PdfReader(out)
    assert reader.is_encrypted
    reader.decrypt("s3cret")
    assert reader.pages[0]["/Annots"][0].get_object()["/Subtype"] == "/Highlight"


def test_pdf_export_needs_a_pdf(tmp_path):
    store, _ = sample_store()
    with pytest.raises(ExportError, match="no PDF document"):
        export(store, "pdf", tmp_path / "o.pdf")


def test_pdf_export_of_several_pdfs_into_a_folder(tmp_path):
    store, doc_id, _, _ = _pdf_store()
    other = pdf_document(make_pdf([["Unemployment fell to 4.1 percent."]]), name="other.pdf")
    other_id = store.add_document(other)
    mark(store, other_id, other.text, "4.1 percent")
    with pytest.raises(ExportError, match="choose one"):
        export(store, "pdf", tmp_path / "o.pdf")
    folder = tmp_path / "out"
    folder.mkdir()
    result = run_export(store, "pdf", folder)
    assert result.count == 3
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["other (annotated).pdf", "report (annotated).pdf"]
    one = export(store, "pdf", tmp_path / "one.pdf", document_id=other.sha256[:10])
    assert len(pypdf.PdfReader(one).pages[0]["/Annots"]) == 1


# ----------------------------------------------------------------------------- all formats


def test_formats_metadata_for_menus():
    assert set(FORMATS) == {"csv", "w3c", "pdf", "html", "claimreview"}
    for f in FORMATS.values():
        assert f.extension.startswith(".") and f.label and f.description
        assert f.file_filter.endswith(f"(*{f.extension})")
    assert FORMATS["pdf"].pdf_only and not FORMATS["csv"].pdf_only


def test_one_document_or_all(tmp_path):
    store, doc_id = sample_store()
    other = text_document("Turnout was 61.4 percent this year.", title="Turnout", source_name="turnout.txt")
    other_id = store.add_document(other)
    mark(store, other_id, other.text, "61.4 percent")
    assert len(_csv_rows(export(store, "csv", tmp_path / "all.csv"))) == 6
    only = _csv_rows(export(store, "csv", tmp_path / "one.csv", document_id="turnout.txt"))
    assert [r["exact"] for r in only] == ["61.4 percent"]
    assert len(_csv_rows(export(store, "csv", tmp_path / "id.csv", document_id=doc_id))) == 5
    with pytest.raises(ExportError, match="No document “nope”"):
        export(store, "csv", tmp_path / "x.csv", document_id="nope")


def test_deleted_and_suggested_figures_are_not_exported(tmp_path):
    store, doc_id = sample_store()
    figs = store.figures(doc_id)
    store.delete(Figure, figs[0].id)
    store.update(Figure, figs[1].id, status="suggested")
    rows = _csv_rows(export(store, "csv", tmp_path / "f.csv"))
    assert {r["figure_id"] for r in rows} == {f.id for f in figs[2:]}


def test_merged_speaker_is_exported_as_the_one_it_was_merged_into(tmp_path):
    store, doc_id = sample_store()
    roydad = store.find_speaker("Roydad 24")
    dup = store.add(Speaker(name="Royedad24", kind="outlet"))
    fig = next(f for f in store.figures(doc_id) if f.exact == "15%")
    attribute(store, fig, dup, "relays")
    store.merge_speakers(roydad.id, dup.id)
    rows = _csv_rows(export(store, "csv", tmp_path / "f.csv"))
    assert next(r for r in rows if r["exact"] == "15%")["speakers"] == "Roydad 24 (relays)"


def test_unknown_format(tmp_path):
    store, _ = sample_store()
    with pytest.raises(ExportError, match="Unknown export format"):
        export(store, "docx", tmp_path / "x.docx")


def test_the_sentence_of_a_figure_leaves_out_a_byline_line_above_it(tmp_path, sample_path):
    # the bundled sample starts "By Published On: February 15, 2023Categories: NEWS" on a line of its own, then
    # "Recently, the so-called “amnesty” of thousands of inmates …": the byline is not part of that sentence
    from annotator.core.documents import load_document

    store = AnnotationStore.create_memory(author="Checker Chloé")
    doc_id = store.add_document(load_document(sample_path))
    text = store.document_text(doc_id)
    mark(store, doc_id, text, "thousands of inmates")
    (row,) = _csv_rows(export(store, "csv", tmp_path / "f.csv"))
    assert row["sentence"].startswith("Recently, the so-called “amnesty” of thousands of inmates")
    assert "NEWS" not in row["sentence"]


def test_a_hard_wrapped_sentence_is_kept_whole():
    from annotator.core.exports.common import sentence_bounds

    text = "The ministry said that the plan would cost\nmore than 30,000 dollars, John\nSmith added. Next one."
    s, e = sentence_bounds(text, text.index("30,000"), text.index("30,000") + 6, None, lines=True)
    assert text[s:e] == "The ministry said that the plan would cost\nmore than 30,000 dollars, John\nSmith added."
