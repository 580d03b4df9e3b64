"""Opening a 1000-page PDF in the page view, and the next page, vs the raw PyMuPDF calls (issue 2).

Targets: open to the first page painted <= 2x raw (``pymupdf.open`` + render page 1 at the
displayed zoom + QImage); next page shown <= 2x a raw render of it; peak memory with the
1000-page PDF open and scrolled through <= 400 MiB.

Run: python benchmarks/bench_pdf_open.py [--pages 1000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import report  # noqa: E402

VOCAB = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which but have an "
    "they you were her she there been one all we their has would when if so no will more said who its what up "
    "about into than them can only other new some could time these two may then do first any my now such like "
    "our over man me even most made after also did many before must through back years where much your way well "
    "down should because each just those people how too little state good very make world still own see men work "
    "long get here between both life being under never day same another know while last might us great old year "
    "off come since against go came right used take three protesters ministry prison budget report officials "
    "government according estimated population percent total increase"
).split()
FIGURES = ["30,000", "$79 million", "15%", "1,250", "3.6", "42 percent", "$1.2 billion", "700", "2,400", "12.5%",
           "100 million rials", "between 30 to 40 thousand", "1994"]


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_big_pdf(path: Path, pages: int = 1000, seed: int = 1) -> float:
    """Write an A4 text PDF (~530 words and ~40 figures per page, a bar chart on each page,
    base-14 Helvetica) directly as PDF objects, so it takes well under a second. Returns words/page."""
    rnd = random.Random(seed)
    objs: dict[int, bytes] = {}
    kids = []
    num = 4  # 1 catalog, 2 page tree, 3 font
    words_total = 0
    for p in range(pages):
        ops = [b"BT /F1 12 Tf 15.6 TL 56 790 Td", f"(Page {p + 1}. Figures reported this week) Tj T*".encode()]
        for li in range(40):
            line: list[str] = []
            length = 0
            while True:
                w = rnd.choice(FIGURES) if rnd.random() < 0.075 else rnd.choice(VOCAB)
                if length + len(w) + 1 > 72:
                    break
                line.append(w)
                length += len(w) + 1
            words_total += sum(len(x.split()) for x in line)
            if li == 20:
                ops.append(b"0 -140 Td")  # room for the chart
            ops.append(f"({_esc(' '.join(line))}) '".encode())
        ops.append(b"ET")
        y0 = 790 - 15.6 * 22 - 128
        for b in range(9):
            h = rnd.randint(20, 110)
            ops.append(f"0.{2 + b % 7} 0.45 0.75 rg {90 + b * 46} {y0:.1f} 32 {h} re f".encode())
        ops.append(f"0 0 0 RG 0.8 w 80 {y0:.1f} m 515 {y0:.1f} l S".encode())
        content = zlib.compress(b"\n".join(ops))
        objs[num] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream"
        objs[num + 1] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                         b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % num)
        kids.append(num + 1)
        num += 2
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids))
    objs[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for k in sorted(objs):
        offsets[k] = len(out)
        out += b"%d 0 obj\n" % k + objs[k] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % num
    for k in range(1, num):
        out += b"%010d 00000 n \n" % offsets[k]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (num, xref)
    path.write_bytes(bytes(out))
    return words_total / pages


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    import psutil
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from annotator.core.pdf import open_pdf, pymupdf
    from annotator.qt.pdf_view import PdfView

    proc = psutil.Process()
    tmp = Path(tempfile.mkdtemp(prefix="bench_pdf_"))
    pdf = tmp / "big.pdf"
    wpp = make_big_pdf(pdf, args.pages)
    print(f"generated {args.pages} pages, {wpp:.0f} words/page, {pdf.stat().st_size / 1e6:.1f} MB")

    app = QApplication.instance() or QApplication([])
    m = pymupdf()  # imported once for both sides
    view = PdfView()
    view.resize(1000, 800)
    view.show()
    app.processEvents()

    def wait_painted(page: int, timeout: float = 5.0) -> None:
        end = time.perf_counter() + timeout
        view.painted_pages = set()
        while page not in view.painted_pages:
            app.processEvents()
            if time.perf_counter() > end:
                raise RuntimeError(f"page {page + 1} was not painted")

    # the zoom the view displays (fit width), so the raw side renders the same pixels
    first = open_pdf(pdf)
    view.set_source(first)
    wait_painted(0)
    zoom = view._device_scale()
    view.set_source(None)
    first.close()
    print(f"displayed zoom: {view.zoom():.3f} ({zoom * 72:.0f} dpi device resolution)")

    def raw_open():
        doc = m.open(str(pdf))
        pix = doc[0].get_pixmap(matrix=m.Matrix(zoom, zoom))
        img = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format_RGB888)
        assert not img.isNull()
        doc.close()

    def ours_open():
        src = open_pdf(pdf)
        view.set_source(src)
        wait_painted(0)
        view.set_source(None)
        src.close()

    def timed(fn) -> float:
        t = time.perf_counter()
        fn()
        return time.perf_counter() - t

    raw_t, ours_t = [], []
    for _ in range(args.rounds):
        raw_t += [timed(raw_open) for _ in range(args.repeat)]
        ours_t += [timed(ours_open) for _ in range(args.repeat)]
    ok = report("open 1000 pages -> first page painted", statistics.median(raw_t), statistics.median(ours_t), 2.0)

    # next page: from a page in view, PgDn until the next page is painted
    src = open_pdf(pdf)
    view.set_source(src)
    wait_painted(0)
    raw_doc = m.open(str(pdf))
    pages_iter = iter(range(10, args.pages - 1, 7))

    def raw_next(n):
        pix = raw_doc[n + 1].get_pixmap(matrix=m.Matrix(zoom, zoom))
        QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format_RGB888)

    def ours_next(n, cold: bool):
        view.go_to_page(n)
        wait_painted(n)
        # let the idle-time prefetch of the page ahead run to its end, as it does between key presses
        end = time.perf_counter() + 2.0
        while view._prefetch_timer.isActive() and time.perf_counter() < end:
            app.processEvents()
        if cold:
            view._cache.clear()
        t = time.perf_counter()
        view.next_page()
        wait_painted(n + 1)
        return time.perf_counter() - t

    warm_raw, warm_ours, cold_raw, cold_ours = [], [], [], []
    for _ in range(args.rounds):
        for _ in range(args.repeat):
            n = next(pages_iter)
            warm_raw.append(timed(lambda: raw_next(n)))
            warm_ours.append(ours_next(n, cold=False))
            n = next(pages_iter)
            cold_raw.append(timed(lambda: raw_next(n)))
            cold_ours.append(ours_next(n, cold=True))
    ok &= report("next page shown (page ahead prefetched)", statistics.median(warm_raw), statistics.median(warm_ours), 2.0)
    ok &= report("next page shown (cold: rendered on demand)", statistics.median(cold_raw), statistics.median(cold_ours), 2.0)
    raw_doc.close()

    # memory: the page spans extracted as the app does, then every page scrolled into view
    text, spans = src.extract_all()
    view.set_pages(spans, text)
    peak = proc.memory_info().rss
    t = time.perf_counter()
    for n in range(args.pages):
        view.go_to_page(n)
        wait_painted(n)
        if n % 25 == 0:
            peak = max(peak, proc.memory_info().rss)
    scroll_s = time.perf_counter() - t
    peak = max(peak, proc.memory_info().rss)
    try:
        import resource

        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        maxrss_txt = f", process high-water mark {maxrss:.0f} MiB"
    except ImportError:
        maxrss_txt = ""
    mem_ok = peak / 2**20 <= 400
    print(f"{'peak RSS, 1000 pages open and scrolled through':<48} {peak / 2**20:9.1f} MiB (target <= 400 MiB) "
          f"{'OK' if mem_ok else 'OVER'}{maxrss_txt}")
    print(f"{'scrolled through every page':<48} {scroll_s:9.2f} s ({scroll_s / args.pages * 1000:.1f} ms/page), "
          f"image cache {view._cache.bytes / 2**20:.0f} MiB in {view.rendered_image_count()} images")
    view.set_source(None)
    src.close()
    return 0 if ok and mem_ok else 1


if __name__ == "__main__":
    sys.exit(main())
