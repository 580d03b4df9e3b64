"""PDF text extraction and the offset <-> page-coordinate mapping (annotator.core.pdf).

PDFs are generated here: with PyMuPDF for ordinary text, and by hand where a test needs
exact control of what the text layer says (non-BMP characters, ligatures, soft hyphens).
"""

import subprocess
import sys

import pytest

from annotator.core.documents import load_bytes
from annotator.core.errors import Cancelled, DocumentError, PasswordRequired
from annotator.core.pdf import LOCK, PAGE_SEPARATOR, open_pdf, pymupdf

# --------------------------------------------------------------------------- generators


def make_pdf(pages, rotate=0, size=(400, 300), fontsize=12):
    """A PDF with one page per list of (x, y, text) lines, drawn in Helvetica."""
    m = pymupdf()
    doc = m.open()
    for lines in pages:
        page = doc.new_page(width=size[0], height=size[1])
        for x, y, text in lines:
            page.insert_text((x, y), text, fontsize=fontsize, fontname="helv")
        if rotate:
            page.set_rotation(rotate)
    data = doc.tobytes()
    doc.close()
    return data


def tounicode_pdf(lines, size=(300, 200)):
    """A one-page PDF whose text layer says ``lines`` (each a list of glyph strings): each glyph
    is drawn with its own byte code and mapped to its string by a /ToUnicode CMap, so a glyph
    can stand for an emoji, a ligature or a soft hyphen."""
    codes = {}
    for line in lines:
        for g in line:
            codes.setdefault(g, 0x21 + len(codes))
    entries = "\n".join(f"<{c:02X}> <{g.encode('utf-16-be').hex().upper()}>" for g, c in codes.items())
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Test def /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode()
    ops = ["BT /F1 12 Tf 14 TL 20 150 Td"]
    for line in lines:
        ops.append("<" + "".join(f"{codes[g]:02X}" for g in line) + "> Tj T*")
    ops.append("ET")
    content = "\n".join(ops).encode()
    w, h = size
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def scanned_pdf(pages=2, text_on=()):
    """Pages holding only an image (no text layer), except the page numbers in ``text_on``."""
    m = pymupdf()
    doc = m.open()
    pix = m.Pixmap(m.csRGB, m.IRect(0, 0, 40, 40), False)
    pix.clear_with(200)
    for n in range(pages):
        page = doc.new_page(width=300, height=300)
        page.insert_image(m.Rect(20, 20, 280, 280), pixmap=pix)
        if n in text_on:
            page.insert_text((30, 290), "Caption with 3 figures", fontsize=9)
    data = doc.tobytes()
    doc.close()
    return data


def bounds(quad):
    xs, ys = quad[0::2], quad[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def centre(quad):
    x0, y0, x1, y1 = bounds(quad)
    return ((x0 + x1) / 2, (y0 + y1) / 2)


LINES = [(50, 60, "Debt rose to $390 billion in 2019."), (50, 90, "Interest costs 4.2 percent now.")]


# --------------------------------------------------------------------------- text


def test_page_text_words_lines_blocks_and_pages_are_joined_predictably():
    one_block = [(50, 60, "Debt rose to $390 billion in 2019.\nInterest costs 4.2 percent now.")]
    data = make_pdf([one_block, LINES, [(50, 60, "Third   page.")]])
    with open_pdf(data) as src:
        text, pages = src.extract_all()
    first = "Debt rose to $390 billion in 2019.\nInterest costs 4.2 percent now."  # lines: "\n"
    second = "Debt rose to $390 billion in 2019.\n\nInterest costs 4.2 percent now."  # blocks: "\n\n"
    third = "Third page."  # words: one space
    assert text == first + PAGE_SEPARATOR + second + PAGE_SEPARATOR + third
    assert [(p.start, p.end) for p in pages] == [(0, 66), (68, 135), (137, 148)]
    assert text[pages[2].start : pages[2].end] == third
    assert all(p.has_text for p in pages)
    assert (pages[0].width, pages[0].height) == (400, 300)


def test_same_bytes_give_the_same_text_and_page_text_matches_full_text():
    data = make_pdf([LINES, [(50, 60, "Page two: 17 items.")], LINES])
    a = load_bytes(data, "a.pdf")
    b = load_bytes(data, "b.pdf")
    assert a.text == b.text and a.pages == b.pages and a.sha256 == b.sha256
    with open_pdf(data) as src:
        for p in a.pages:
            assert src.page_text(p.number).text == a.text[p.start : p.end]


def test_non_bmp_characters_are_single_code_points_with_their_own_box():
    data = tounicode_pdf([list("Up ") + ["😀"] + list(" by 12%")])
    with open_pdf(data) as src:
        pt = src.page_text(0)
        full, _ = src.extract_all()
    assert pt.text == "Up 😀 by 12%" == full
    i = pt.text.index("😀")
    assert pt.text[i + 2 : i + 4] == "by"  # one code point: offsets after it are not shifted
    (emoji,) = pt.span_quads(i, i + 1)
    (by,) = pt.span_quads(i + 2, i + 4)
    assert bounds(emoji)[2] <= bounds(by)[0]
    assert pt.offset_at(centre(by)) in (i + 2, i + 3)


def test_ligatures_are_expanded_and_soft_hyphens_normalised():
    data = tounicode_pdf(
        [
            ["\ufb01"] + list("nal co") + ["\u00ad"] + list("op"),
            list("wo") + ["\u00ad"],
        ]
    )
    with open_pdf(data) as src:
        pt = src.page_text(0)
    # mid-word soft hyphen dropped, line-final one shown as a hyphen
    assert pt.text == "final coop\nwo-"
    # the ligature glyph's box is shared by its two letters, side by side
    (f,) = pt.span_quads(0, 1)
    (i,) = pt.span_quads(1, 2)
    assert bounds(f)[2] == pytest.approx(bounds(i)[0])
    assert bounds(i)[2] > bounds(i)[0]


# --------------------------------------------------------------------------- geometry


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_span_quads_match_what_pymupdf_finds_on_the_displayed_page(rotate):
    data = make_pdf([LINES], rotate=rotate)
    with open_pdf(data) as src:
        pt = src.page_text(0)
        w, h = src.page_size(0)
        assert (w, h) == ((300, 400) if rotate in (90, 270) else (400, 300))
        with LOCK:
            page = src.doc[0]
            found = page.search_for("$390")[0] * page.rotation_matrix
    i = pt.text.index("$390")
    (quad,) = pt.span_quads(i, i + 4)
    x0, y0, x1, y1 = bounds(quad)
    assert (x0, y0, x1, y1) == pytest.approx((found.x0, found.y0, found.x1, found.y1), abs=0.6)
    assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
    # and back: the centre of the quad is inside "$390"; a rectangle around it selects it
    assert i <= pt.offset_at(centre(quad)) <= i + 4
    assert pt.span_at_rect((x0, y0, x1, y1)) == (i, i + 4)


def test_rotated_page_quads_follow_the_text_direction():
    data = make_pdf([LINES], rotate=90)
    with open_pdf(data) as src:
        pt = src.page_text(0)
    i = pt.text.index("billion")
    (quad,) = pt.span_quads(i, i + 7)
    ulx, uly, urx, ury, llx, lly, lrx, lry = quad
    # on a page turned 90° clockwise, text runs downwards and its top faces right
    assert ury > uly and urx == pytest.approx(ulx)
    assert llx < ulx
    line = pt.lines[0]
    assert (line.dx, line.dy) == pytest.approx((0, 1))


def test_span_over_two_lines_gives_one_quad_per_line_and_partial_words_are_cut():
    data = make_pdf([LINES])
    with open_pdf(data) as src:
        pt = src.page_text(0)
    start = pt.text.index("2019.")
    end = pt.text.index("costs")
    quads = pt.span_quads(start, end)
    assert len(quads) == 2
    assert bounds(quads[0])[1] < bounds(quads[1])[1]
    # "390" inside "$390": narrower than the whole word, starting right of it
    w = pt.text.index("$390")
    (whole,) = pt.span_quads(w, w + 4)
    (part,) = pt.span_quads(w + 1, w + 4)
    assert bounds(part)[0] > bounds(whole)[0]
    assert bounds(part)[2] == pytest.approx(bounds(whole)[2])
    assert pt.span_quads(5, 5) == []


def test_offset_at_maps_points_to_caret_offsets_and_none_far_from_text():
    data = make_pdf([LINES])
    with open_pdf(data) as src:
        pt = src.page_text(0)
    first = pt.words[0]  # "Debt"
    assert pt.text[first.start : first.end] == "Debt"
    # left edge of the word -> before it; right edge -> after it
    assert pt.offset_at((first.x0 + 0.5, (first.y0 + first.y1) / 2)) == first.start
    assert pt.offset_at((first.x1 - 0.5, (first.y0 + first.y1) / 2)) == first.end
    # left of a line, in its height: start of that line
    second_line = pt.lines[1]
    y = (bounds(pt.span_quads(second_line.start, second_line.end)[0])[1] + 3)
    assert pt.offset_at((40, y)) == second_line.start
    assert pt.offset_at((390, 290)) is None
    assert pt.span_at_rect((0, 200, 10, 210)) is None


def test_word_index_covers_every_word_with_display_boxes():
    data = make_pdf([LINES], rotate=90)
    with open_pdf(data) as src:
        pt = src.page_text(0)
    words = [pt.text[w.start : w.end] for w in pt.words]
    assert words == " ".join(t for _, _, t in LINES).split()
    for w in pt.words:
        assert 0 <= w.x0 < w.x1 <= pt.width and 0 <= w.y0 < w.y1 <= pt.height
        assert pt.word_at(w.start) == w


def test_display_quads_convert_to_pdf_space_and_back():
    data = make_pdf([LINES], rotate=90, size=(400, 300))
    with open_pdf(data) as src:
        pt = src.page_text(0)
        i = pt.text.index("percent")
        quads = pt.span_quads(i, i + 7)
        pdf_quads = src.to_pdf_quads(0, quads)
        back = src.from_pdf_quads(0, pdf_quads)
        page_quads = src.to_page_quads(0, quads)
        assert src.from_page_quads(0, page_quads)[0] == pytest.approx(quads[0])
    assert back[0] == pytest.approx(quads[0])
    # PDF user space of the unrotated page: y grows upwards, upper edge above lower edge
    ulx, uly, urx, ury, llx, lly, lrx, lry = pdf_quads[0]
    assert uly > lly and urx > ulx
    assert 0 < ulx < 400 and 0 < lly < 300


def test_highlight_written_with_converted_quads_lands_on_the_text_in_the_render():
    data = make_pdf([LINES], rotate=90)
    m = pymupdf()
    with open_pdf(data) as src:
        pt = src.page_text(0)
        i = pt.text.index("billion")
        (quad,) = pt.span_quads(i, i + 7)
        (pq,) = src.to_page_quads(0, [quad])
        src.doc[0].add_highlight_annot(quads=[m.Quad(pq[0:2], pq[2:4], pq[4:6], pq[6:8])])
        w, h, stride, samples, fmt = src.render(0, 2.0)
    assert fmt == "RGB888"
    x0, y0, x1, y1 = (int(v * 2) for v in bounds(quad))
    yellow = total = 0
    for y in range(y0 + 2, y1 - 2):
        for x in range(x0 + 2, x1 - 2):
            o = y * stride + x * 3
            total += 1
            yellow += samples[o] > 200 and samples[o + 1] > 200 and samples[o + 2] < 160
    assert yellow / total > 0.5


def test_render_returns_raw_pixels_of_the_displayed_page():
    data = make_pdf([LINES], rotate=90, size=(400, 300))
    with open_pdf(data) as src:
        w, h, stride, samples, fmt = src.render(0, 0.5)
        wa, ha, stridea, samplesa, fmta = src.render(0, 0.5, alpha=True)
        cw, ch, *_ = src.render(0, 1.0, clip=(0, 0, 100, 50))
    assert (w, h, fmt) == (150, 200, "RGB888")
    assert stride >= w * 3 and len(samples) == stride * h
    assert (wa, ha, fmta) == (150, 200, "RGBA8888") and len(samplesa) == stridea * ha
    assert (cw, ch) == (100, 50)


# --------------------------------------------------------------------------- opening


def test_opening_does_not_extract_text_and_pages_are_built_on_demand():
    data = make_pdf([LINES] * 30)
    with open_pdf(data) as src:
        assert src.page_count == 30
        assert src._cache == {}
        src.page_text(29)
        assert list(src._cache) == [29]


def test_encrypted_pdf_needs_the_right_password():
    m = pymupdf()
    doc = m.open(stream=make_pdf([LINES]))
    data = doc.tobytes(encryption=m.PDF_ENCRYPT_AES_256, user_pw="s3cret", owner_pw="owner")
    with pytest.raises(PasswordRequired) as exc:
        open_pdf(data, name="secret.pdf")
    assert exc.value.wrong is False
    assert "password" in str(exc.value) and "secret.pdf" in str(exc.value)
    with pytest.raises(PasswordRequired) as exc:
        open_pdf(data, "guess", name="secret.pdf")
    assert exc.value.wrong is True and "wrong" in str(exc.value)
    d = load_bytes(data, "secret.pdf", password="s3cret")
    assert d.text.startswith("Debt rose to $390 billion")
    assert d.data == data  # the encrypted original bytes are kept
    with d.open_source() as again:  # reopening from the stored bytes reuses the password
        assert again.page_text(0).text == d.text


def test_damaged_pdf_is_repaired_or_refused_clearly():
    good = make_pdf([LINES, [(50, 60, "Page two.")]])
    # no cross-reference table: MuPDF rebuilds it
    repaired = load_bytes(good[: good.rfind(b"xref")], "broken.pdf")
    assert repaired.text.startswith("Debt rose")
    assert any("repaired" in w for w in repaired.warnings)
    # a header followed by noise cannot be repaired
    with pytest.raises(DocumentError, match="damaged"):
        load_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8, "noise.pdf")
    # cut after its first objects: nothing left to repair
    with pytest.raises(DocumentError, match="half.pdf cannot be opened: the PDF file is damaged"):
        load_bytes(good[: len(good) // 10], "half.pdf")


def test_pdf_without_text_layer_opens_with_a_warning():
    d = load_bytes(scanned_pdf(3), "scan.pdf")
    assert [p.has_text for p in d.pages] == [False, False, False]
    assert d.text.strip() == ""
    assert any("no text layer" in w for w in d.warnings)
    mixed = load_bytes(scanned_pdf(4, text_on={1}), "mixed.pdf")
    assert [p.has_text for p in mixed.pages] == [False, True, False, False]
    assert "Pages 1, 3–4 have no text layer: text cannot be selected there." in mixed.warnings
    with open_pdf(scanned_pdf(1)) as src:
        pt = src.page_text(0)
        assert not pt.has_text and pt.offset_at((150, 150)) is None and pt.span_quads(0, 5) == []


def test_extract_all_reports_progress_and_can_be_cancelled():
    data = make_pdf([LINES] * 5)
    seen = []
    with open_pdf(data) as src:
        src.extract_all(progress=lambda done, total: seen.append((done, total)))
        assert seen == [(i, 5) for i in range(1, 6)]
        calls = []

        def cancel():
            calls.append(1)
            return len(calls) > 2

        with pytest.raises(Cancelled):
            src.extract_all(cancel=cancel)


def test_full_extraction_on_a_worker_thread_while_pages_are_rendered():
    import threading

    data = make_pdf([[(50, 60, f"Page {n} has {n * 7} items.")] + LINES for n in range(40)])
    with open_pdf(data) as src:
        expected, _ = src.extract_all()
        src._cache.clear()
        result = {}
        worker = threading.Thread(target=lambda: result.update(out=src.extract_all()))
        worker.start()
        sizes = [src.render(n % 40, 0.3)[:2] for n in range(60)]
        texts = [src.page_text(n).text for n in range(0, 40, 5)]
        worker.join(timeout=60)
    assert result["out"][0] == expected
    assert set(sizes) == {(120, 90)}
    assert texts[1].startswith("Page 5 has 35 items.")


def test_epub_opens_through_pymupdf():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="c.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        z.writestr(
            "c.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="i">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Budget Book</dc:title>'
            '<dc:identifier id="i">x</dc:identifier></metadata>'
            '<manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest>'
            '<spine><itemref idref="a"/></spine></package>',
        )
        z.writestr(
            "a.xhtml",
            '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
            "<p>The budget rose by 12 percent.</p><p>It reached $4.5 billion.</p></body></html>",
        )
    d = load_bytes(buf.getvalue(), "book.epub")
    assert d.kind == "epub" and d.title == "Budget Book"
    assert d.text == "The budget rose by 12 percent.\n\nIt reached $4.5 billion."
    assert d.pages and d.pages[0].has_text
    assert load_bytes(buf.getvalue(), "book.epub").text == d.text


def test_importing_pymupdf_keeps_the_layout_addon_out():
    code = (
        "import sys\n"
        "from annotator.core.pdf import pymupdf\n"
        "m = pymupdf()\n"
        "doc = m.open(); doc.new_page().insert_text((50, 50), 'x'); doc[0].get_text()\n"
        "print(sorted(n for n in ('onnxruntime', 'numpy', 'pymupdf4llm') if sys.modules.get(n)))\n"
        "import importlib.util\n"
        "print(m._get_layout is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["[]", "True"]
    assert out.stderr == ""


def test_core_import_does_not_import_pymupdf():
    code = (
        "import sys\n"
        "import annotator.core.documents, annotator.core.pdf, annotator.core.html_reader, annotator.commands.text\n"
        "print(sorted(n for n in ('pymupdf', 'trafilatura', 'lxml') if n in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
