"""HTML report: one standalone page, readable in any browser and printable.

Figures are grouped by speaker (a figure credited to two speakers appears under
both, with each one's role); figures nobody was credited with come last. Each
shows the sentence around it with the figure marked, its value, verdict, review
status, note and comments. The page loads nothing: CSS is inline, there are no
scripts, images or fonts, and a Content-Security-Policy forbids any remote load.
Every piece of text from the annotation file is HTML-escaped, and only http(s)
links to the document's URL are made clickable.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape
from urllib.parse import urlsplit

from annotator import __version__
from annotator.core.exports.atomic import atomic_write
from annotator.core.exports.common import (
    KIND_LABELS,
    DocumentItem,
    ExportResult,
    FigureItem,
    collect,
    review_label,
    verdict_label,
)
from annotator.core.model import VERDICTS, Speaker, now

CSS = """
:root { --ink: #1d232a; --muted: #5b6570; --line: #d8dde3; --mark: #fff1a8; }
* { box-sizing: border-box; }
body { font: 16px/1.5 Georgia, "Times New Roman", serif; color: var(--ink); max-width: 52rem;
       margin: 2rem auto; padding: 0 1.25rem; background: #fff; }
h1, h2, h3, .meta, .badge, table.facts, nav, footer, .summary { font-family: system-ui, -apple-system, "Segoe UI", Roboto,
       "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; line-height: 1.25; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; padding-bottom: .25rem; border-bottom: 2px solid var(--ink); }
h2 .kind, h2 .affiliation { font-weight: normal; font-size: .9rem; color: var(--muted); }
.meta { color: var(--muted); font-size: .9rem; margin: .15rem 0; word-break: break-word; }
.document { margin-bottom: 3rem; }
.document > header { border-bottom: 1px solid var(--line); padding-bottom: .75rem; }
.summary { font-size: .9rem; }
nav ul { columns: 2; padding-left: 1.2rem; font-size: .9rem; }
article.figure { border: 1px solid var(--line); border-left: 6px solid #b9c0c8; border-radius: 4px;
       padding: .6rem .9rem; margin: .8rem 0; page-break-inside: avoid; break-inside: avoid; }
article.verdict-accurate { border-left-color: #2e7d32; }
article.verdict-inaccurate { border-left-color: #c62828; }
article.verdict-misleading { border-left-color: #ef6c00; }
article.verdict-unverifiable { border-left-color: #6d4c9f; }
blockquote { margin: 0 0 .5rem; font-size: 1.05rem; }
mark { background: var(--mark); padding: 0 .1em; font-weight: bold; }
table.facts { border-collapse: collapse; font-size: .88rem; }
table.facts th { color: var(--muted); font-weight: normal; text-align: left; vertical-align: top;
       padding: .05rem 1rem .05rem 0; white-space: nowrap; }
table.facts td { padding: .05rem 0; white-space: pre-wrap; vertical-align: top; }
code { word-break: break-all; font-size: .85em; }
.badge { display: inline-block; padding: 0 .45em; border-radius: 3px; font-size: .8rem; font-weight: 600;
       border: 1px solid currentColor; }
.badge.accurate { color: #2e7d32; } .badge.inaccurate { color: #c62828; }
.badge.misleading { color: #b45300; } .badge.unverifiable { color: #6d4c9f; } .badge.unchecked { color: #5b6570; }
ol.comments { margin: .4rem 0 0; padding-left: 1.2rem; font-size: .88rem; }
footer { color: var(--muted); font-size: .8rem; margin-top: 3rem; border-top: 1px solid var(--line); }
a { color: #0b57a4; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2 { page-break-after: avoid; break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  .meta a[href]::after { content: " (" attr(href) ")"; }
  mark { background: none; text-decoration: underline; text-decoration-thickness: 2px; }
  article.figure { border-color: #999; }
  .document + .document { page-break-before: always; break-before: page; }
}
@page { margin: 18mm 16mm; }
"""

_WS = re.compile(r"\s+")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def _link(url: str) -> str:
    if url and urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{escape(url, quote=True)}" rel="noreferrer noopener">{escape(url)}</a>'
    return escape(url)


def _sentence_html(fi: FigureItem) -> str:
    s, e = fi.in_sentence
    text = fi.sentence
    before, mark, after = (_WS.sub(" ", part) for part in (text[:s], text[s:e], text[e:]))
    return f"{escape(before)}<mark>{escape(mark)}</mark>{escape(after)}"


def _figure_html(fi: FigureItem, role: str | None) -> str:
    f = fi.figure
    verdict = f.verdict or "unchecked"
    rows = []
    value = f.value_text()
    if value:
        rows.append(("Value", value + (f" ({f.qualifier})" if f.qualifier else "")))
    if role:
        rows.append(("Role", role))
    if len(fi.credits) > 1:
        rows.append(("All speakers", fi.speakers_text()))
    rows.append(("Review", review_label(f.review_status) + (f" by {f.reviewer}" if f.reviewer else "")))
    if f.note:
        rows.append(("Note", f.note))
    where = []
    if fi.page is not None:
        where.append(f"page {fi.page + 1}")
    where.append(f"paragraph {fi.document.paragraph_of(f.start) + 1}")
    rows.append(("Where", ", ".join(where)))
    if f.author:
        rows.append(("Marked by", f.author + (f", {f.created[:10]}" if f.created else "")))
    facts = "".join(f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>' for k, v in rows)
    comments = ""
    if fi.comments:
        items = "".join(
            f"<li><strong>{escape(c.author or 'Someone')}</strong>"
            f"{escape(', ' + c.created[:10]) if c.created else ''}: {escape(c.body)}</li>"
            for c in fi.comments
        )
        comments = f'<p class="meta">Comments</p><ol class="comments">{items}</ol>'
    return (
        f'<article class="figure verdict-{escape(verdict, quote=True)}" id="f-{escape(f.id, quote=True)}">'
        f"<blockquote>{_sentence_html(fi)}</blockquote>"
        f'<p><span class="badge {escape(verdict, quote=True)}">{escape(verdict_label(verdict))}</span></p>'
        f'<table class="facts">{facts}</table>{comments}</article>'
    )


def _groups(d: DocumentItem) -> list[tuple[Speaker | None, list[tuple[FigureItem, str | None]]]]:
    by_speaker: dict[str, tuple[Speaker, list]] = {}
    nobody = []
    for fi in d.figures:
        if not fi.credits:
            nobody.append((fi, None))
        for c in fi.credits:
            by_speaker.setdefault(c.speaker.id, (c.speaker, []))[1].append((fi, c.role))
    groups = sorted(by_speaker.values(), key=lambda g: (g[0].name.casefold(), g[0].id))
    out: list = list(groups)
    if nobody:
        out.append((None, nobody))
    return out


def _document_html(d: DocumentItem, index: int) -> str:
    doc = d.document
    title = doc.title or doc.source_name or "Untitled document"
    meta = []
    if doc.metadata.get("author"):
        meta.append(f"By {escape(str(doc.metadata['author']))}")
    if doc.metadata.get("sitename"):
        meta.append(escape(str(doc.metadata["sitename"])))
    if doc.date:
        meta.append(f"Published {escape(doc.date)}")
    lines = [f'<p class="meta">{" · ".join(meta)}</p>'] if meta else []
    if doc.url:
        lines.append(f'<p class="meta">Source: {_link(doc.url)}</p>')
    if doc.source_name and doc.source_name != title:
        lines.append(f'<p class="meta">File: {escape(doc.source_name)}</p>')
    lines.append(f'<p class="meta">SHA-256: <code>{escape(doc.sha256)}</code></p>')
    counts = Counter(fi.figure.verdict or "unchecked" for fi in d.figures)
    verdicts = ", ".join(f"{counts[v]} {verdict_label(v).lower()}" for v in VERDICTS if counts[v])
    n = len(d.figures)
    summary = f"{n} figure{'s' if n != 1 else ''}" + (f": {verdicts}" if verdicts else "") + "."
    groups = _groups(d)
    toc, sections = [], []
    for gi, (sp, items) in enumerate(groups):
        anchor = f"d{index}-s{gi}"
        if sp is None:
            name, head_extra = "No speaker recorded", ""
        else:
            name = sp.name
            head_extra = f' <span class="kind">({escape(KIND_LABELS.get(sp.kind, sp.kind))})</span>'
            if sp.affiliation:
                head_extra += f' <span class="affiliation">— {escape(sp.affiliation)}</span>'
        toc.append(f'<li><a href="#{anchor}">{escape(name)}</a> ({len(items)})</li>')
        body = "".join(_figure_html(fi, role) for fi, role in items)
        sections.append(f'<section class="speaker" id="{anchor}"><h2>{escape(name)}{head_extra}</h2>{body}</section>')
    nav = f'<nav aria-label="Speakers"><ul>{"".join(toc)}</ul></nav>' if len(groups) > 1 else ""
    if not d.figures:
        sections.append("<p>No figures have been marked in this document.</p>")
    return (
        f'<div class="document"><header><h1>{escape(title)}</h1>{"".join(lines)}'
        f'<p class="summary">{escape(summary)}</p></header>{nav}{"".join(sections)}</div>'
    )


def render(store, document_id=None) -> tuple[str, int]:
    docs = collect(store, document_id)
    if len(docs) == 1:
        page_title = f"Figures — {docs[0].document.title or docs[0].document.source_name}"
    else:
        page_title = f"Figures in {len(docs)} documents"
    body = "".join(_document_html(d, i) for i, d in enumerate(docs))
    count = sum(len(d.figures) for d in docs)
    html = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="annotator {escape(__version__)}">'
        f"<title>{escape(page_title)}</title><style>{CSS}</style></head>\n<body>\n{body}\n"
        f"<footer><p>Exported {escape(now()[:16].replace('T', ' '))} UTC with annotator {escape(__version__)}."
        "</p></footer>\n</body></html>\n"
    )
    return html, count


def export(store, out_path, document_id=None, settings=None) -> ExportResult:
    html, count = render(store, document_id)
    return ExportResult(atomic_write(out_path, html), count)
