"""Loading documents: PDF (and EPUB/XPS), saved HTML pages, plain text and Markdown.

Every loader turns the original bytes into a :class:`Document` whose ``text`` is the one
string all offsets in the app count into (Python code points). Loading the same bytes
again gives exactly the same text: the annotation file stores the bytes and the offsets,
and re-derives everything else on reopening.

This module imports neither Qt nor PyMuPDF nor trafilatura at start-up; each is imported
when a document of that kind is loaded.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from annotator.core.errors import DocumentError

MAX_BYTES = 1 << 30  # 1 GiB: anything larger is refused before reading it
PARAGRAPH_SEPARATOR = "\n\n"

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

# kinds that PyMuPDF opens (page-based)
PAGED_KINDS = ("pdf", "epub", "xps")
TEXT_KINDS = ("text", "markdown")


@dataclass
class PageInfo:
    """One page of a page-based document."""

    number: int  # 0-based
    start: int  # code-point offsets of this page's text in Document.text
    end: int
    width: float  # PDF points, as displayed (rotation applied)
    height: float
    has_text: bool  # False for scanned pages without a text layer
    # superscript words (footnote markers) as (start, end) offsets in Document.text; PDFs only
    superscripts: tuple = ()


@dataclass
class Document:
    kind: str  # "pdf" | "html" | "text" | "markdown" | "epub" | "xps"
    text: str = field(repr=False)  # every offset in the app counts code points in it
    sha256: str  # hex sha256 of the original bytes
    data: bytes = field(repr=False)  # original bytes (stored in the annotation file)
    source_name: str  # file name it came from
    title: str
    metadata: dict = field(default_factory=dict)
    pages: list[PageInfo] | None = field(default=None, repr=False)  # None for flowing documents
    paragraphs: list[tuple[int, int]] = field(default_factory=list, repr=False)
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None  # text/markdown/html: the character encoding that was used
    password: str | None = field(default=None, repr=False, compare=False)  # to reopen encrypted PDFs

    def page_of(self, offset: int) -> int | None:
        """0-based page holding ``offset`` (a separator between pages belongs to the page before);
        None for flowing documents or an offset outside the text."""
        if self.pages is None or not self.pages or not 0 <= offset <= len(self.text):
            return None
        starts = [p.start for p in self.pages]
        i = bisect.bisect_right(starts, offset) - 1
        return self.pages[max(i, 0)].number

    def paragraph_of(self, offset: int) -> int:
        """0-based paragraph holding ``offset``; offsets between paragraphs belong to the one before."""
        if not self.paragraphs:
            return 0
        starts = [s for s, _ in self.paragraphs]
        return max(bisect.bisect_right(starts, offset) - 1, 0)

    @property
    def is_paged(self) -> bool:
        return self.pages is not None

    def open_source(self):
        """A :class:`annotator.core.pdf.PdfSource` for this document's bytes (page-based kinds)."""
        if self.kind not in PAGED_KINDS:
            raise DocumentError(f"{self.source_name} is not a page-based document.")
        from annotator.core.pdf import open_pdf

        return open_pdf(self.data, self.password, name=self.source_name, kind=self.kind)


# --------------------------------------------------------------------------- reading files


def read_file(path: str | os.PathLike) -> bytes:
    """The bytes of ``path``, with a clear :class:`DocumentError` when they cannot be read."""
    p = Path(path)
    name = p.name or str(p)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise DocumentError(f"{name}: file not found ({p}).") from None
    except PermissionError:
        raise DocumentError(f"{name}: permission denied, the file cannot be read.") from None
    except OSError as exc:
        raise DocumentError(f"{name} cannot be read: {exc.strerror or exc}.") from None
    if p.is_dir():
        raise DocumentError(f"{name} is a folder, not a document.")
    if st.st_size > MAX_BYTES:
        raise DocumentError(_too_big(name, st.st_size))
    try:
        with open(p, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except PermissionError:
        raise DocumentError(f"{name}: permission denied, the file cannot be read.") from None
    except OSError as exc:
        raise DocumentError(f"{name} cannot be read: {exc.strerror or exc}.") from None
    if len(data) > MAX_BYTES:
        raise DocumentError(_too_big(name, len(data)))
    return data


def _too_big(name: str, size: int) -> str:
    return (
        f"{name} is too large to open ({size / (1 << 20):,.0f} MiB; "
        f"the limit is {MAX_BYTES / (1 << 20):,.0f} MiB)."
    )


# --------------------------------------------------------------------------- sniffing

_EXT_KIND = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".epub": "epub",
    ".xps": "xps",
    ".oxps": "xps",
}

_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"BM", None),  # too short to trust alone
)
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta[\s>]|<title[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(rb"<(?:html|head|body)[\s>]", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _bom_codec(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding we read (NULs, many control codes)."""
    head = data[:65536]
    if _bom_codec(head) in ("utf-16", "utf-32"):
        return False
    if not head:
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27) or b == 127)
    if ctrl / len(head) > 0.02:
        return True
    # not UTF-8 and dominated by bytes that are rare in Windows-1252 text
    try:
        head.decode("utf-8")
        return False
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut by the 64 KiB window
            return False
    high = sum(1 for b in head if b >= 0x80)
    return high / len(head) > 0.3


def sniff_kind(name: str, data: bytes) -> str:
    """Kind of a document: by magic bytes first, by the file name extension second.

    Returns "pdf", "epub", "xps", "html", "markdown", "text", "empty", "image" or "unknown".
    """
    if not data:
        return "empty"
    head = data[:4096]
    ext = os.path.splitext(name or "")[1].lower()
    # a PDF header may follow some junk (e.g. console output saved into the file)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if head[30:58] == b"mimetypeapplication/epub+zip":
            return "epub"
        if b"FixedDocumentSequence" in data[:65536] or b"FixedDocSeq" in data[:65536] or ext in (".xps", ".oxps"):
            return "xps"
        if ext == ".epub":
            return "epub"
        return "unknown"  # another zip: docx, odt, a plain archive...
    for magic, _label in _IMAGE_MAGIC:
        if magic != b"BM" and head.startswith(magic):
            return "image"
    if looks_binary(data):
        return "unknown"
    codec = _bom_codec(head)
    probe = head.decode(codec, errors="ignore").encode("utf-8", errors="ignore") if codec in ("utf-16", "utf-32") else head
    if _HTML_START.match(probe.lstrip(codecs.BOM_UTF8)):
        return "html"
    ext_kind = _EXT_KIND.get(ext)
    if ext_kind in ("html", "text", "markdown"):
        return ext_kind
    if ext_kind == "pdf":
        return "pdf"  # no header but named .pdf: let PyMuPDF try to repair it
    if _HTML_TAG.search(probe):
        return "html"
    return "text"


# --------------------------------------------------------------------------- decoding text


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes: BOM, else UTF-8, else Windows-1252 (Latin-1 for its 5 unused bytes).

    Returns (text, encoding name). Newlines are left as they are.
    """
    codec = _bom_codec(data)
    if codec:
        try:
            return data.decode(codec), {"utf-8-sig": "utf-8"}.get(codec, codec)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # the 5 bytes cp1252 leaves undefined decode as their Latin-1 control characters
        return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data), "cp1252"


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- paragraphs


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs of a plain text: blocks separated by blank lines (lines of
    white space only, non-breaking spaces included), trimmed of surrounding white space.
    A text without any blank line but with several lines has one paragraph per line."""
    lines = []  # (start, end) of each line without its "\n"
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    blank = [not text[s:e].strip() for s, e in lines]
    if not any(blank) and len(lines) > 1:
        groups = [[ln] for ln in lines]
    else:
        groups, cur = [], []
        for ln, is_blank in zip(lines, blank):
            if is_blank:
                if cur:
                    groups.append(cur)
                    cur = []
            else:
                cur.append(ln)
        if cur:
            groups.append(cur)
    spans = []
    for g in groups:
        s, e = g[0][0], g[-1][1]
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


def join_paragraphs(paras: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join paragraphs with a blank line; return the text and each paragraph's span."""
    spans = []
    pos = 0
    for i, p in enumerate(paras):
        if i:
            pos += len(PARAGRAPH_SEPARATOR)
        spans.append((pos, pos + len(p)))
        pos += len(p)
    return PARAGRAPH_SEPARATOR.join(paras), spans


# --------------------------------------------------------------------------- markdown

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_BULLET = re.compile(r"^(\s*)[-*+][ \t]+(?:\[[ xX]\][ \t]+)?")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|<])")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^)\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFLINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+|[^@>\s]+@[^>\s]+)>")
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^>]*)?/?>", re.DOTALL)
_EMPHASIS = (
    re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
    re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*"),
    re.compile(r"(?<![\w])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w])"),
)
_PH = "\ue000"  # placeholder prefix for protected pieces (private use area)


def _inline(s: str) -> str:
    """Remove inline Markdown markup from one line."""
    protected: list[str] = []

    def protect(text: str) -> str:
        protected.append(text)
        return f"{_PH}{len(protected) - 1}{_PH}"

    s = _CODE_SPAN.sub(lambda m: protect(m.group(2).strip() if m.group(2).strip() else m.group(2)), s)
    s = _ESCAPE.sub(lambda m: protect(m.group(1)), s)
    s = _IMAGE.sub("", s)
    s = _LINK.sub(lambda m: m.group(1), s)
    s = _REFLINK.sub(lambda m: m.group(1), s)
    s = _AUTOLINK.sub(lambda m: protect(m.group(1).removeprefix("mailto:")), s)
    s = _TAG.sub("", s)
    for _ in range(3):  # nested emphasis
        before = s
        s = _EMPHASIS[0].sub(lambda m: m.group(2), s)
        for rx in _EMPHASIS[1:]:
            s = rx.sub(lambda m: m.group(1), s)
        if s == before:
            break
    s = html.unescape(s)
    if protected:
        s = re.sub(f"{_PH}(\\d+){_PH}", lambda m: protected[int(m.group(1))], s)
    return s


def markdown_to_text(md: str) -> tuple[str, list[tuple[int, int]], str]:
    """Plain text of a Markdown document: markup removed, one paragraph per block.

    Headings, paragraphs, list blocks, quotes and code blocks become paragraphs separated
    by a blank line; lines inside a block are kept. Returns (text, paragraph spans, title),
    the title being the first heading ("" if none).
    """
    blocks: list[str] = []
    cur: list[str] = []
    title = ""

    def flush() -> None:
        while cur and not cur[-1].strip():
            cur.pop()
        if cur:
            blocks.append("\n".join(cur))
        cur.clear()

    fence: str | None = None
    lines = md.split("\n")
    for i, raw in enumerate(lines):
        if fence is not None:
            stripped = raw.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
                flush()
            else:
                cur.append(raw.rstrip())
            continue
        m = _FENCE.match(raw)
        if m:
            flush()
            fence = m.group(1)
            continue
        if not raw.strip():
            flush()
            continue
        if _REFDEF.match(raw):
            continue
        if cur and _SETEXT.match(raw) and not _BULLET.match(cur[-1]):
            # the lines gathered so far are a heading
            heading = " ".join(c.strip() for c in cur)
            cur.clear()
            if heading:
                blocks.append(heading)
                title = title or heading
            continue
        if _HR.match(raw) or _TABLE_RULE.match(raw):
            if _HR.match(raw):
                flush()
            continue
        m = _ATX.match(raw)
        if m:
            flush()
            heading = _inline(m.group(1) or "").strip()
            if heading:
                blocks.append(heading)
                title = title or heading
            continue
        if raw.startswith("    ") and not cur:  # indented code block: verbatim
            cur.append(raw[4:].rstrip())
            continue
        line = _QUOTE.sub("", raw)
        if not line.strip():
            flush()
            continue
        line = _BULLET.sub(lambda m: m.group(1) + "• ", line)
        line = _inline(line).rstrip()
        if line.strip():
            cur.append(line)
    flush()
    text, spans = join_paragraphs(blocks)
    return text, spans, title


# --------------------------------------------------------------------------- loaders


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stem(name: str) -> str:
    base = os.path.basename(name or "") or "Untitled"
    return os.path.splitext(base)[0] or base


def _load_text(data: bytes, name: str, kind: str) -> Document:
    text, encoding = decode_text(data)
    warnings = []
    if encoding == "cp1252":
        warnings.append(f"{name} is not valid UTF-8; it was read as Windows-1252 (Western European).")
    text = normalise_newlines(text)
    if kind == "markdown":
        text, paragraphs, title = markdown_to_text(text)
    else:
        paragraphs = paragraph_spans(text)
        title = ""
    if not text.strip():
        raise DocumentError(f"{name} contains no text.")
    return Document(
        kind=kind,
        text=text,
        sha256=_sha(data),
        data=data,
        source_name=name,
        title=title or _stem(name),
        metadata={"encoding": encoding},
        pages=None,
        paragraphs=paragraphs,
        warnings=warnings,
        encoding=encoding,
    )


def _load_html(data: bytes, name: str) -> Document:
    from annotator.core.html_reader import read_html

    art = read_html(data, name)
    return Document(
        kind="html",
        text=art.text,
        sha256=_sha(data),
        data=data,
        source_name=name,
        title=art.title or _stem(name),
        metadata=art.metadata,
        pages=None,
        paragraphs=art.paragraphs,
        warnings=art.warnings,
        encoding=art.encoding,
    )


def pdf_paragraphs(text: str, pages: list[PageInfo]) -> list[tuple[int, int]]:
    """Paragraph spans of a page-based text: its blocks (split on blank lines) page by page."""
    spans = []
    for p in pages:
        for s, e in _blocks(text, p.start, p.end):
            spans.append((s, e))
    return spans


def _blocks(text: str, start: int, end: int):
    pos = start
    while pos < end:
        nxt = text.find("\n\n", pos, end)
        stop = end if nxt < 0 else nxt
        s, e = pos, stop
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            yield (s, e)
        pos = stop + 2 if nxt >= 0 else end


_APP_PREFIX = re.compile(r"^(?:Microsoft (?:Word|PowerPoint|Excel)|Microsoft Word|Writer|untitled)\s*-\s*", re.IGNORECASE)
_FILE_LIKE = re.compile(r"\.(?:pdf|docx?|rtf|odt|pptx?|xlsx?|indd|qxd|txt|html?|tiff?|jpe?g|png|ps|dvi|tex)$", re.IGNORECASE)


def clean_pdf_title(title: str) -> str:
    """A PDF's /Title as a human title: "Microsoft Word - " prefixes dropped; "" for titles
    that are only a file name ("Binder1.pdf") or empty."""
    t = " ".join((title or "").split())
    t = _APP_PREFIX.sub("", t)
    if not t or _FILE_LIKE.search(t) or t.lower() in ("untitled", "title", "document"):
        return ""
    return t


def document_from_source(source, progress: Progress | None = None, cancel: Cancel | None = None) -> Document:
    """Extract the full text of an open :class:`~annotator.core.pdf.PdfSource` into a Document.

    The GUI opens the source first (to show page 1 at once), then calls this on a worker.
    """
    text, pages = source.extract_all(progress, cancel)
    warnings = list(source.warnings)
    w = source.no_text_warning(pages)
    if w:
        warnings.append(w)
    meta = {k: v for k, v in source.metadata.items()}
    return Document(
        kind=source.kind,
        text=text,
        sha256=_sha(source.data),
        data=source.data,
        source_name=source.name,
        title=clean_pdf_title(source.title) or _stem(source.name),
        metadata=meta,
        pages=pages,
        paragraphs=pdf_paragraphs(text, pages),
        warnings=warnings,
        password=source.password,
    )


def _load_paged(data, name, kind, password, progress, cancel) -> Document:
    from annotator.core.pdf import open_pdf

    with open_pdf(data, password, name=name, kind=kind) as source:
        return document_from_source(source, progress, cancel)


def load_bytes(
    data: bytes,
    name: str,
    password: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Document:
    """Load a document from its bytes; ``name`` is its file name (used for the kind and messages)."""
    name = os.path.basename(name or "") or "document"
    data = bytes(data)
    if not data:
        raise DocumentError(f"{name} is empty (0 bytes).")
    if len(data) > MAX_BYTES:
        raise DocumentError(_too_big(name, len(data)))
    kind = sniff_kind(name, data)
    if kind == "image":
        raise DocumentError(
            f"{name} is an image, not a document with text. Open a PDF, a saved web page, a text or a Markdown file."
        )
    if kind == "unknown" and os.path.splitext(name)[1].lower() == ".pdf":
        raise DocumentError(
            f"{name} cannot be opened: it is named .pdf but holds no PDF data (it is damaged or another kind of file)."
        )
    if kind == "unknown" and data.startswith(b"SQLite format 3\x00"):
        raise DocumentError(
            f"{name} is a SQLite database but not an annotation file of this app, nor a document. "
            "Open a PDF, a saved web page (.html), a text or a Markdown file, or an annotation file (.annot)."
        )
    if kind == "unknown" and data.startswith(b"PK\x03\x04"):
        ext = os.path.splitext(name)[1].lower()
        what = {".docx": "a Word document", ".odt": "an OpenDocument text", ".xlsx": "a spreadsheet",
                ".pptx": "a presentation"}.get(ext, "a ZIP archive")
        raise DocumentError(
            f"{name} is {what}, which this app does not read. Save or export it as PDF, then open the PDF."
        )
    if kind == "unknown":
        raise DocumentError(
            f"{name} is not a document this app can read (binary data of an unknown type). "
            "Open a PDF, a saved web page (.html), a text (.txt) or a Markdown (.md) file."
        )
    if kind in PAGED_KINDS:
        return _load_paged(data, name, kind, password, progress, cancel)
    if kind == "html":
        doc = _load_html(data, name)
    else:
        doc = _load_text(data, name, kind)
    if progress is not None:
        progress(1, 1)
    return doc


def load_document(
    path: str | os.PathLike,
    password: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Document:
    """Load the document at ``path`` (see :func:`load_bytes`)."""
    data = read_file(path)
    return load_bytes(data, Path(path).name, password=password, progress=progress, cancel=cancel)
