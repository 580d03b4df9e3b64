"""Reader view of a saved web page: the article's title, metadata and paragraphs.

The main article is found by trafilatura (navigation, sidebars, related links, comments,
scripts and styles left out). Nothing is ever fetched: the page is parsed here into an
lxml tree and only that tree is handed to trafilatura (given a string that looks like a
URL, its date helper would download it).

``text`` is the title as first paragraph (a fact-checker may mark a figure in a
headline), then the article's paragraphs, headings, list items, quotes and table rows, one
per paragraph, joined by a blank line. White space inside a paragraph is collapsed to
single spaces (a ``<br>`` becomes a newline).

If trafilatura finds no article, a plain extraction of ``<body>`` without scripts, styles,
navigation, headers, footers, asides and forms is used instead (with a warning); if that is
empty too, :class:`DocumentError` "no article text".
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from annotator.core.errors import DocumentError

log = logging.getLogger(__name__)

_WS = re.compile(r"[^\S\n\u00a0\u202f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

# trafilatura element names -> how they become paragraphs
_BLOCKS = {"p", "head", "quote", "code", "item", "row", "div", "list", "table", "cell", "section", "article"}
_SKIP = {"graphic", "fw", "note"}
_DROP_FALLBACK = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "canvas", "button", "select", "textarea", "menu", "object", "embed",
)
_FALLBACK_BLOCKS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3",
    "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "figure", "figcaption", "address", "hr",
    "center", "details", "summary", "body",
}


@dataclass
class Article:
    title: str
    text: str
    paragraphs: list[tuple[int, int]]
    metadata: dict
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode an HTML page: BOM, else the declared charset, else UTF-8, else Windows-1252."""
    from annotator.core.documents import _bom_codec, decode_text

    codec = _bom_codec(data)
    if codec is None:
        m = _META_CHARSET.search(data[:8192])
        if m:
            import codecs

            try:
                declared = codecs.lookup(m.group(1).decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                declared = None
            # pages saved by browsers are re-encoded as UTF-8 but keep an old declaration
            if declared and declared not in ("utf-8",):
                try:
                    data.decode("utf-8")
                except UnicodeDecodeError:
                    try:
                        return data.decode(declared), declared
                    except (UnicodeDecodeError, LookupError):
                        pass
    text, encoding = decode_text(data)
    return text, encoding


def _clean(s: str) -> str:
    """Collapse runs of white space to one space (non-breaking spaces and the newlines of
    ``<br>`` are kept), drop blank lines, trim."""
    s = _WS.sub(" ", s)
    lines = [ln.strip(" ") for ln in s.split("\n")]
    return "\n".join(ln for ln in lines if ln.strip()).strip()


def _inline_text(el) -> str:
    """Text of an element's inline content; <lb/> is a newline, nested blocks excluded."""
    out = [el.text or ""]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "lb":
            out.append("\n")
        elif tag in _SKIP:
            pass
        elif tag in _BLOCKS:
            pass  # handled as its own paragraph
        else:
            out.append(_inline_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _paragraphs_from_body(body) -> list[str]:
    paras: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP:
            return
        if tag == "row":
            cells = [_clean(_inline_text(c) + "".join(_all_text(g) for g in c if g.tag in _BLOCKS)) for c in el]
            cells = [c for c in cells if c]
            if cells:
                paras.append("\t".join(cells))
            return
        has_block_children = any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el)
        if not has_block_children:
            t = _clean(_inline_text(el))
            if t:
                paras.append(t)
            return
        # mixed: own inline text first, then each block child
        t = _clean(_inline_text(el))
        if t:
            paras.append(t)
        for c in el:
            if isinstance(c.tag, str) and c.tag in _BLOCKS:
                walk(c)

    for child in body:
        walk(child)
    return paras


def _all_text(el) -> str:
    return " ".join(el.itertext())


def _fallback_paragraphs(tree) -> list[str]:
    """Plain text of <body> without scripts, styles, navigation and page chrome."""
    from lxml import etree

    body = tree.find(".//body")
    if body is None:
        body = tree
    etree.strip_elements(body, *_DROP_FALLBACK, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    paras: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        t = _clean("".join(cur))
        if t:
            paras.append(t)
        cur.clear()

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        block = tag in _FALLBACK_BLOCKS
        if block:
            flush()
        if tag == "br":
            cur.append("\n")
        else:
            cur.append(el.text or "")
            for c in el:
                walk(c)
        if block:
            flush()
        cur.append(el.tail or "")

    walk(body)
    flush()
    return paras


def _parse(text: str):
    from lxml import html as lxml_html

    text = _XML_DECL.sub("", text, count=1)
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)
    try:
        return lxml_html.document_fromstring(text, parser=parser)
    except Exception as exc:  # lxml raises ParserError/ValueError for empty or odd input
        log.debug("lxml could not parse the page: %s", exc)
        return None


def _metadata_dict(doc) -> dict:
    meta = {}
    for key in ("title", "author", "date", "url", "hostname", "sitename", "description", "categories", "tags", "language", "image"):
        val = getattr(doc, key, None)
        if isinstance(val, (list, tuple)):
            val = [str(v) for v in val if v]
            if not val:
                continue
        elif val is not None:
            val = str(val).strip()
            if not val:
                continue
        else:
            continue
        meta[key] = val
    if "author" in meta and not _plausible_author(meta["author"]):
        meta.pop("author")
    if "author" in meta:
        meta["byline"] = meta["author"]
    return meta


_MONTHS = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b", re.IGNORECASE)
_PLACEHOLDER_AUTHORS = {"username", "user", "admin", "administrator", "author", "staff", "unknown", "anonymous"}


def _plausible_author(author: str) -> bool:
    """Page metadata sometimes names a placeholder ("Username") or glues a date to the outlet
    ("CBS News February"): such bylines are dropped rather than shown as the author."""
    words = author.strip()
    if not words or words.casefold() in _PLACEHOLDER_AUTHORS:
        return False
    if _MONTHS.search(words) or re.search(r"\d", words):
        return False
    return True


def _same(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"\W+", " ", s).strip().casefold()

    return norm(a) == norm(b)


def read_html(data: bytes, name: str = "page.html") -> Article:
    """Extract the main article of a saved web page (no network access)."""
    text, encoding = decode_html(data)
    if not text.strip():
        raise DocumentError(f"{name} is empty.")
    tree = _parse(text)
    if tree is None:
        raise DocumentError(f"{name} cannot be read as a web page (no HTML found).")
    from copy import deepcopy

    import trafilatura

    warnings: list[str] = []
    result = None
    try:
        result = trafilatura.bare_extraction(
            deepcopy(tree),
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except (ValueError, TypeError, AttributeError) as exc:  # trafilatura gives up on odd trees
        log.warning("trafilatura failed on %s: %s", name, exc)
    paras: list[str] = []
    meta: dict = {}
    if result is not None:
        meta = _metadata_dict(result)
        body = getattr(result, "body", None)
        if body is not None:
            paras = _paragraphs_from_body(body)
    title = _clean(meta.get("title", ""))
    if not paras:
        paras = _fallback_paragraphs(deepcopy(tree))
        if paras:
            warnings.append(
                f"No article was recognised in {name}; showing all the text of the page, which may include menus and links."
            )
    if not title:
        t = tree.findtext(".//title")
        if not t:
            h1 = tree.find(".//h1")
            t = h1.text_content() if h1 is not None else ""
        title = _clean(t or "")
        if title:
            meta["title"] = title
    if not paras:
        raise DocumentError(f"{name}: no article text was found in this web page.")
    # the title is the first paragraph, unless the article already opens with its headline
    # (then that visible headline is the title)
    if _is_headline(result, paras[0]):
        title = paras[0]
    elif title and not _same(paras[0], title):
        paras.insert(0, title)
    from annotator.core.documents import join_paragraphs

    body_text, spans = join_paragraphs(paras)
    return Article(title=title, text=body_text, paragraphs=spans, metadata=meta, encoding=encoding, warnings=warnings)


def _is_headline(result, first: str) -> bool:
    """True when the extracted article opens with an <h1> heading (the page's own headline)."""
    body = getattr(result, "body", None) if result is not None else None
    if body is None or not len(body):
        return False
    el = body[0]
    return el.tag == "head" and (el.get("rend") or "").lower() == "h1" and _clean(_inline_text(el)) == first
