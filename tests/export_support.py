"""Builders shared by the export and import tests: small documents, generated PDFs and
annotation files with figures, speakers, attributions and comments."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from annotator.core.anchors import quote_selector
from annotator.core.model import Attribution, Comment, Figure, Speaker
from annotator.core.store import AnnotationStore

ARTICLE = (
    "Iran’s prisons are full 🚨 again.\n\n"
    "The MEK said that at least 30,000 protesters were arrested. Roydad 24 reported that each "
    "inmate costs around 100 million rials, according to Mehdi Hajian.\n\n"
    "Officials said the budget is $79 million a year; critics say 15% of it is lost.\n\n"
    "The MEK said that at least 30,000 protesters were arrested."
)


@dataclass
class Page:
    number: int
    start: int
    end: int
    width: float = 595.0
    height: float = 842.0
    has_text: bool = True


@dataclass
class FakeDocument:
    """The fields :meth:`AnnotationStore.add_document` reads from a loaded document."""

    kind: str
    text: str
    data: bytes
    source_name: str
    title: str
    metadata: dict = field(default_factory=dict)
    pages: list | None = None
    paragraphs: list = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def paragraphs_of(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for part in text.split("\n\n"):
        out.append((pos, pos + len(part)))
        pos += len(part) + 2
    return out


def text_document(text: str = ARTICLE, title="Iran’s prisons", url="https://example.org/iran-prisons",
                  date="2023-01-15", source_name="iran.txt") -> FakeDocument:
    data = text.encode("utf-8")
    return FakeDocument("text", text, data, source_name, title,
                        {"url": url, "date": date, "title": title, "sitename": "Example News"},
                        None, paragraphs_of(text))


def make_pdf(pages: list[list[str]], rotation: int = 0, highlights=(), password: str | None = None) -> bytes:
    """A PDF with one text line per string; ``highlights`` = [(page, text, author, note), ...]
    become highlight annotations made with PyMuPDF (as another reader would)."""
    import pymupdf

    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page(width=595, height=842)
        y = 90
        for line in lines:
            page.insert_text((72, y), line, fontsize=12)
            y += 22
        if rotation:
            page.set_rotation(rotation)
    for pno, text, author, note in highlights:
        page = doc[pno]
        quads = page.search_for(text, quads=True)
        assert quads, text
        annot = page.add_highlight_annot(quads)
        annot.set_info(title=author, content=note)
        annot.update()
    kw = {}
    if password:
        kw = {"encryption": pymupdf.PDF_ENCRYPT_AES_256, "user_pw": password, "owner_pw": password + "-owner"}
    return doc.tobytes(**kw)


def pdf_document(data: bytes, name: str = "report.pdf", password: str | None = None):
    """Load a PDF with the app's own loader (same text and pages as opening it in the app)."""
    from annotator.core.documents import load_bytes

    return load_bytes(data, name, password=password)


def mark(store: AnnotationStore, doc_id: str, text: str, exact: str, occurrence: int = 0, **fields) -> Figure:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(exact, start + 1)
    end = start + len(exact)
    q = quote_selector(text, start, end)
    info = store.document(doc_id)
    fig = Figure(document_id=doc_id, start=start, end=end, exact=q.exact, prefix=q.prefix, suffix=q.suffix,
                 page=info.page_of(start), **fields)
    return store.add(fig)


def speaker(store, name, kind="person", affiliation="", aliases=()) -> Speaker:
    return store.add(Speaker(name=name, kind=kind, affiliation=affiliation, aliases=list(aliases)))


def attribute(store, fig, sp, role="states") -> Attribution:
    return store.add(Attribution(figure_id=fig.id, speaker_id=sp.id, role=role))


def populate(store: AnnotationStore, doc_id: str) -> dict:
    """The sample's figures: 30,000 (MEK, twice: the repeated paragraph), 100 million rials
    (stated by Mehdi Hajian, relayed by Roydad 24), $79 million, 15%."""
    text = store.document_text(doc_id)
    mek = speaker(store, "MEK", "organisation", aliases=["Mojahedin-e Khalq"])
    hajian = speaker(store, "Mehdi Hajian", "person", "vice-chairman of the parliament's judicial commission")
    roydad = speaker(store, "Roydad 24", "outlet", aliases=["Royedad 24"])
    f1 = mark(store, doc_id, text, "30,000", value=30000.0, unit=None, qualifier="at least",
              verdict="inaccurate", note="Amnesty counted fewer; see report p. 4.")
    f2 = mark(store, doc_id, text, "100 million rials", value=1e8, unit="IRR", verdict="accurate")
    f3 = mark(store, doc_id, text, "$79 million", value=79e6, unit="USD", verdict="misleading",
              note='A "yearly" figure, not monthly,\nsee line two.')
    f4 = mark(store, doc_id, text, "15%", value=15.0, unit="percent")
    f5 = mark(store, doc_id, text, "30,000", occurrence=1, value=30000.0, verdict="unverifiable")
    attribute(store, f1, mek)
    attribute(store, f2, hajian, "states")
    attribute(store, f2, roydad, "relays")
    attribute(store, f5, mek)
    store.add(Comment(figure_id=f1.id, body="Check against the UN figure.", author="Reviewer Rita"))
    store.update(Figure, f2.id, review_status="accepted", reviewer="Reviewer Rita")
    return {"figures": [f1, f2, f3, f4, f5], "speakers": [mek, hajian, roydad]}


def sample_store(author: str = "Checker Chloé") -> tuple[AnnotationStore, str]:
    store = AnnotationStore.create_memory(author=author)
    doc_id = store.add_document(text_document())
    populate(store, doc_id)
    return store, doc_id
