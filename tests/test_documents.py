"""Loading documents (annotator.core.documents) and the ``annotator text`` command."""

import hashlib
import os

import pytest

from annotator.cli import main
from annotator.core import documents
from annotator.core.documents import (
    Document,
    PageInfo,
    load_bytes,
    load_document,
    markdown_to_text,
    paragraph_spans,
    sniff_kind,
)
from annotator.core.errors import Cancelled, DocumentError, PasswordRequired


def _pdf(text_pages):
    from annotator.core.pdf import pymupdf

    m = pymupdf()
    doc = m.open()
    for t in text_pages:
        doc.new_page(width=300, height=200).insert_text((40, 60), t, fontsize=11)
    data = doc.tobytes()
    doc.close()
    return data


# --------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("report.txt", b"%PDF-1.7\n...", "pdf"),  # magic wins over the extension
        ("saved.pdf", b"Ghostscript 9.5 output\n%PDF-1.7\n...", "pdf"),  # junk before the header
        ("page.txt", b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        ("page", b"\xef\xbb\xbf  <html lang='en'><head>", "html"),
        ("page.htm", b"just some text", "html"),
        ("notes.md", b"# Title\n\ntext", "markdown"),
        ("notes", b"plain words", "text"),
        ("notes.txt", "caf\xe9 cr\xe8me".encode("cp1252"), "text"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image"),
        ("book.zip", b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/epub+zip", "epub"),
        ("letter.docx", b"PK\x03\x04" + b"\x00" * 26 + b"[Content_Types].xml", "unknown"),
        ("data.bin", bytes(range(256)) * 4, "unknown"),
        ("x.txt", b"", "empty"),
    ],
)
def test_sniff_kind_uses_magic_bytes_first_then_extension(name, data, kind):
    assert sniff_kind(name, data) == kind


# --------------------------------------------------------------------------- bad input


def test_empty_file_is_refused(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty.txt is empty"):
        load_document(p)


def test_binary_junk_and_unknown_types_are_refused_with_a_clear_message():
    junk = os.urandom(4096)
    with pytest.raises(DocumentError, match="not a document this app can read"):
        load_bytes(junk, "mystery.dat")
    with pytest.raises(DocumentError, match="named .pdf but holds no PDF data"):
        load_bytes(junk, "fake.pdf")
    with pytest.raises(DocumentError, match="image"):
        load_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + junk, "scan.jpg")
    zip_doc = b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml" + junk
    with pytest.raises(DocumentError, match="Word document, which this app does not read"):
        load_bytes(zip_doc, "letter.docx")


def test_missing_file_or_folder_is_refused(tmp_path):
    with pytest.raises(DocumentError, match="not found"):
        load_document(tmp_path / "nope.pdf")
    with pytest.raises(DocumentError, match="is a folder"):
        load_document(tmp_path)


def test_unreadable_file_is_refused(tmp_path):
    p = tmp_path / "locked.txt"
    p.write_text("secret")
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running as a user who can read any file")
        with pytest.raises(DocumentError, match="permission denied"):
            load_document(p)
    finally:
        p.chmod(0o644)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 1000)
    p = tmp_path / "big.txt"
    p.write_bytes(b"a" * 1001)
    with pytest.raises(DocumentError, match="too large"):
        load_document(p)
    with pytest.raises(DocumentError, match="too large"):
        load_bytes(b"a" * 1001, "big.txt")


def test_default_size_limit_is_one_gibibyte():
    assert documents.MAX_BYTES == 1 << 30


def test_encrypted_pdf_without_or_with_wrong_password():
    from annotator.core.pdf import pymupdf

    m = pymupdf()
    data = m.open(stream=_pdf(["Paid 25 licenses."])).tobytes(
        encryption=m.PDF_ENCRYPT_RC4_128, user_pw="test", owner_pw="o"
    )
    with pytest.raises(PasswordRequired) as no_pw:
        load_bytes(data, "brochure.pdf")
    assert not no_pw.value.wrong
    with pytest.raises(PasswordRequired) as bad_pw:
        load_bytes(data, "brochure.pdf", password="nope")
    assert bad_pw.value.wrong and "wrong" in str(bad_pw.value)
    assert load_bytes(data, "brochure.pdf", password="test").text == "Paid 25 licenses."


# --------------------------------------------------------------------------- text


def test_sample_article_loads_faithfully(sample_path):
    raw = sample_path.read_bytes()
    doc = load_document(sample_path)
    assert doc.kind == "text" and doc.pages is None
    assert doc.text == raw.decode("utf-8")  # nothing normalised away
    assert doc.sha256 == hashlib.sha256(raw).hexdigest() and doc.data == raw
    assert doc.source_name == "iran-prison-amnesty-2023.txt"
    assert "\n\xa0\n" in doc.text  # the non-breaking-space lines are kept...
    for s, e in doc.paragraphs:  # ...but are not paragraphs
        assert doc.text[s:e].strip() and doc.text[s:e] == doc.text[s:e].strip()
    paras = [doc.text[s:e] for s, e in doc.paragraphs]
    first = paras[0].split("\n")[1]
    assert paras[0].startswith("By Published On: February 15, 2023Categories: NEWS\nRecently")
    assert paras[1] == first  # the repeated paragraph is kept twice
    assert paras[-1] == "Share This Story, Choose Your Platform!"
    assert load_document(sample_path).text == doc.text


def test_text_decoding_bom_crlf_and_windows_1252_fallback():
    d = load_bytes(b"\xef\xbb\xbfOne\r\nTwo\rThree\n\nFour", "a.txt")
    assert d.text == "One\nTwo\nThree\n\nFour" and d.warnings == []
    assert d.paragraphs == [(0, 13), (15, 19)]
    u16 = load_bytes("Caf\u00e9 costs \u20ac5".encode("utf-16"), "b.txt")
    assert u16.text == "Caf\u00e9 costs \u20ac5"
    latin = load_bytes("Caf\u00e9 costs \u20ac5 \u2013 \u201cquoted\u201d".encode("cp1252"), "c.txt")
    assert latin.text == "Caf\u00e9 costs \u20ac5 \u2013 \u201cquoted\u201d"
    assert latin.encoding == "cp1252"
    assert any("not valid UTF-8" in w for w in latin.warnings)
    # bytes cp1252 leaves undefined still decode (never an exception)
    odd = load_bytes(b"Code A\x81B costs \xe9 five", "d.txt")
    assert odd.text == "Code A\x81B costs \u00e9 five"


def test_text_with_only_whitespace_is_refused():
    with pytest.raises(DocumentError, match="no text"):
        load_bytes(b"  \n\xc2\xa0\n\t", "blank.txt")


def test_paragraph_spans_and_lookup():
    text = "Title\n\nFirst line\nstill first.\n \nSecond.\n\n\n"
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["Title", "First line\nstill first.", "Second."]
    # no blank line at all: each line is a paragraph
    assert paragraph_spans("a\nb\nc") == [(0, 1), (2, 3), (4, 5)]
    doc = load_bytes(text.encode(), "t.txt")
    assert doc.paragraph_of(0) == 0
    assert doc.paragraph_of(text.index("still")) == 1
    assert doc.paragraph_of(text.index("Second")) == 2
    assert doc.paragraph_of(len(text)) == 2
    assert doc.page_of(3) is None


def test_markdown_markup_is_removed():
    md = (
        "# Budget *report*\n"
        "\n"
        "Spending rose **12%** to [$4.5 billion](https://example.org/a \"src\"), says the\n"
        "_ministry_ (see ![chart](c.png)).\n"
        "\n"
        "Sub heading\n"
        "-----------\n"
        "\n"
        "- first item with `code_x`\n"
        "* second item, snake_case_name kept\n"
        "\n"
        "> quoted 3 \\*stars\\*\n"
        "\n"
        "```\n"
        "raw **not bold**\n"
        "```\n"
        "\n"
        "---\n"
        "Ref [link][r] and <https://x.org> &amp; more.\n"
        "\n"
        "[r]: https://example.org\n"
    )
    text, spans, title = markdown_to_text(md)
    assert text == (
        "Budget report\n\n"
        "Spending rose 12% to $4.5 billion, says the\nministry (see ).\n\n"
        "Sub heading\n\n"
        "• first item with code_x\n• second item, snake_case_name kept\n\n"
        "quoted 3 *stars*\n\n"
        "raw **not bold**\n\n"
        "Ref link and https://x.org & more."
    )
    assert title == "Budget report"
    assert [text[s:e] for s, e in spans][2] == "Sub heading"
    doc = load_bytes(md.encode(), "notes.md")
    assert doc.kind == "markdown" and doc.title == "Budget report" and doc.text == text
    assert doc.paragraphs == spans and doc.pages is None


def test_html_document_has_metadata_and_no_pages():
    page = (
        b"<html><head><title>Council votes</title><meta name='author' content='Ann Writer'></head>"
        b"<body><nav><a href='/'>Home</a> <a href='/x'>Sport</a></nav><article><h1>Council votes</h1>"
        + b"".join(b"<p>The council approved a budget of %d million euros after a long debate today.</p>" % n for n in range(6))
        + b"</article></body></html>"
    )
    doc = load_bytes(page, "council.html")
    assert doc.kind == "html" and doc.pages is None and doc.title == "Council votes"
    assert doc.text.startswith("Council votes\n\nThe council approved a budget of 0 million")
    assert "Sport" not in doc.text
    assert doc.metadata.get("author") == "Ann Writer"


# --------------------------------------------------------------------------- page-based documents


def test_pdf_document_pages_paragraphs_and_page_of():
    doc = load_bytes(_pdf(["Alpha 1.", "Beta 2.", "Gamma 3."]), "three.pdf")
    assert doc.kind == "pdf" and doc.title == "three"
    assert doc.text == "Alpha 1.\n\nBeta 2.\n\nGamma 3."
    assert [(p.number, p.start, p.end) for p in doc.pages] == [(0, 0, 8), (1, 10, 17), (2, 19, 27)]
    assert doc.page_of(0) == 0
    assert doc.page_of(doc.text.index("Beta")) == 1
    assert doc.page_of(9) == 0  # the separator belongs to the page before
    assert doc.page_of(len(doc.text)) == 2
    assert doc.page_of(len(doc.text) + 1) is None
    assert [doc.text[s:e] for s, e in doc.paragraphs] == ["Alpha 1.", "Beta 2.", "Gamma 3."]
    assert doc.paragraph_of(doc.text.index("Gamma")) == 2


def test_progress_and_cancel_while_loading():
    data = _pdf([f"Page {i}" for i in range(4)])
    seen = []
    load_bytes(data, "p.pdf", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (4, 4) and len(seen) == 4
    with pytest.raises(Cancelled):
        load_bytes(data, "p.pdf", cancel=lambda: True)
    text_seen = []
    load_bytes(b"hello", "h.txt", progress=lambda d, t: text_seen.append((d, t)))
    assert text_seen == [(1, 1)]


def test_document_dataclass_shape():
    info = PageInfo(number=0, start=0, end=3, width=10.0, height=20.0, has_text=True)
    d = Document(
        kind="pdf", text="abc", sha256="0" * 64, data=b"x", source_name="a.pdf", title="A",
        metadata={}, pages=[info], paragraphs=[(0, 3)], warnings=[],
    )
    assert d.page_of(2) == 0 and d.paragraph_of(2) == 0
    assert "b'x'" not in repr(d) and "'abc'" not in repr(d)  # bytes and text are not dumped in repr


# --------------------------------------------------------------------------- CLI


def test_cli_text_prints_the_text_exactly(capsys, tmp_path):
    p = tmp_path / "emoji.txt"
    text = "Growth \U0001F4C8 was 3,6 quadrillion rials\r\nsecond line without newline"
    p.write_bytes(text.encode("utf-8"))
    assert main(["text", str(p)]) == 0
    out, err = capsys.readouterr()
    assert out == text.replace("\r\n", "\n") and err == ""


def test_cli_text_sample_matches_the_file(capsys, sample_path):
    assert main(["text", str(sample_path)]) == 0
    assert capsys.readouterr().out == sample_path.read_text(encoding="utf-8")


def test_cli_text_password_and_errors(capsys, tmp_path):
    from annotator.core.pdf import pymupdf

    m = pymupdf()
    enc = tmp_path / "locked.pdf"
    enc.write_bytes(m.open(stream=_pdf(["Locked 7."])).tobytes(encryption=m.PDF_ENCRYPT_AES_128, user_pw="pw"))
    assert main(["text", str(enc)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "--password" in err and err.startswith("annotator text: ")
    assert main(["text", str(enc), "--password", "bad"]) == 2
    assert "wrong" in capsys.readouterr().err
    assert main(["text", str(enc), "--password", "pw"]) == 0
    assert capsys.readouterr().out == "Locked 7."
    junk = tmp_path / "junk.bin"
    junk.write_bytes(os.urandom(2000))
    assert main(["text", str(junk)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "junk.bin" in err and "Traceback" not in err
    assert main(["text", str(tmp_path / "missing.txt")]) == 2
    assert "not found" in capsys.readouterr().err
