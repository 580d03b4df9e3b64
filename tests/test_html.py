"""Reader view of saved web pages (annotator.core.html_reader)."""

import socket

import pytest

from annotator.core.documents import load_bytes
from annotator.core.errors import DocumentError
from annotator.core.html_reader import read_html

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>City budget grows 12% | The Daily Example</title>
<meta property="og:title" content="City budget grows 12%">
<meta property="og:site_name" content="The Daily Example">
<meta property="og:url" content="https://daily.example/2021/05/04/budget">
<meta name="author" content="Jane Reporter">
<meta name="description" content="The council passed a larger budget.">
<meta property="article:published_time" content="2021-05-04T10:00:00Z">
<script>window.tracking = {"visits": 999999};</script>
<style>.x { color: red }</style>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main>
<article>
<h1>City budget grows 12%</h1>
<p>The city council on Tuesday approved a budget of $4.5 billion for the coming year, an
   increase of 12 percent over last year, according to the finance department.</p>
<p>Mayor Ann Smith said the money would pay for 300 new teachers and the repair of 45 bridges
   across the city, many of which are more than 80&nbsp;years old.</p>
<blockquote><p>“We cannot wait any longer,” she said, adding that the backlog had reached $900 million.</p></blockquote>
<p>Critics on the council argued that property taxes would rise by an average of $150 per household,
   a figure the finance department disputed in a statement.</p>
<ul><li>Schools: $1.2 billion</li><li>Transport: $800 million</li></ul>
<p>The vote was 7 to 4. The budget takes effect on July 1, and a first review is planned for the
   autumn, officials said on Tuesday evening after the session.</p>
</article>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Lottery winner takes home $388,700</a></li>
<li><a href="/b">Record 60,000 fans at stadium</a></li></ul></aside>
</main>
<footer><p>© 2021 The Daily Example. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
<script>document.write("ad slot 728x90")</script>
</body></html>
"""


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the HTML reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_article_paragraphs_without_navigation_sidebars_or_scripts(no_network):
    art = read_html(PAGE.encode("utf-8"), "budget.html")
    paras = [art.text[s:e] for s, e in art.paragraphs]
    assert paras[0] == "City budget grows 12%"  # the headline is the first paragraph
    assert paras[1].startswith("The city council on Tuesday approved a budget of $4.5 billion")
    assert "“We cannot wait any longer,” she said, adding that the backlog had reached $900 million." in paras
    assert "Schools: $1.2 billion" in paras and "Transport: $800 million" in paras
    assert paras[-1].endswith("officials said on Tuesday evening after the session.")
    for junk in ("388,700", "60,000", "Most read", "Sport", "999999", "728x90", "All rights reserved", "color: red"):
        assert junk not in art.text
    assert art.text == "\n\n".join(paras)
    # white space (line breaks of the source) inside a paragraph collapsed
    assert "for the coming year, an increase of 12 percent" in art.text


def test_article_metadata(no_network):
    art = read_html(PAGE.encode("utf-8"), "budget.html")
    assert art.title == "City budget grows 12%"
    meta = art.metadata
    assert meta["author"] == meta["byline"] == "Jane Reporter"
    assert meta["date"] == "2021-05-04"
    assert meta["url"] == "https://daily.example/2021/05/04/budget"
    assert meta["sitename"] == "The Daily Example"
    assert meta["description"] == "The council passed a larger budget."


def test_same_page_gives_the_same_text():
    a = load_bytes(PAGE.encode(), "a.html")
    b = load_bytes(PAGE.encode(), "a.html")
    assert (a.text, a.paragraphs, a.title, a.metadata) == (b.text, b.paragraphs, b.title, b.metadata)


def test_page_declaring_windows_1252_is_decoded(no_network):
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace("“", '"').replace("”", '"')
    page = page.replace("$4.5 billion", "\u20ac4.5 billion")
    art = read_html(page.encode("cp1252"), "budget.html")
    assert "approved a budget of \u20ac4.5 billion" in art.text
    assert art.encoding == "cp1252"


def test_page_without_article_falls_back_to_body_text(no_network, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)  # finds nothing
    page = (
        b"<html><head><title>Note</title><script>var secret = 41;</script></head><body>"
        b"<nav><a href='/'>Menu link</a></nav><div>Short note: <b>5</b> cats.<br>Second   line.</div>"
        b"<p>Next paragraph.</p><footer>Footer text</footer></body></html>"
    )
    art = read_html(page, "note.html")
    assert art.text == "Note\n\nShort note: 5 cats.\nSecond line.\n\nNext paragraph."
    assert "secret" not in art.text and "Menu link" not in art.text and "Footer text" not in art.text
    assert any("No article was recognised" in w for w in art.warnings)


def test_page_without_any_text_is_refused(no_network):
    with pytest.raises(DocumentError, match="no article text"):
        read_html(b"<html><head><script>x = 1</script></head><body><nav>Home</nav></body></html>", "empty.html")


def test_a_saved_url_is_not_fetched(no_network):
    # htmldate downloads a string that looks like a URL: we never hand it one
    doc = load_bytes(b"https://example.com/some/article", "link.html")
    assert doc.text == "https://example.com/some/article"
