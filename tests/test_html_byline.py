"""The reader header never shows a placeholder or a date glued to the outlet as the article's author."""

from annotator.core.documents import load_bytes

PAGE = """<html><head><title>{title}</title><meta name="author" content="{author}"></head>
<body><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>"""
BODY = "Officials said at least 30,000 people marched through the capital on Sunday, police estimated."


def load(author):
    html = PAGE.format(title="Thousands march", author=author, body=BODY)
    return load_bytes(html.encode(), "page.html")


def test_a_real_byline_is_kept():
    doc = load("Erin Cunningham")
    assert doc.metadata.get("byline") == "Erin Cunningham"


def test_placeholder_and_date_glued_bylines_are_dropped():
    for junk in ("Username", "CBS News February"):
        doc = load(junk)
        assert "byline" not in doc.metadata and "author" not in doc.metadata, junk
