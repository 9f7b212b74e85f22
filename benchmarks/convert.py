"""Conversion throughput: pages per second for PDF text extraction and for OCR, and what keeping
the originals costs.

Renders the samples (or the fixture reports) into one 3-column newspaper PDF with Chromium,
then times reading its text layer (pdfminer.six layout, reading order, paragraphs and repair)
and OCR of its pages rendered at 200 dpi (Tesseract, chi_sim). Needs /usr/bin/chromium; the
OCR figure needs tesseract-ocr-chi-sim.

    python benchmarks/convert.py [--repeat 3] [--ocr-pages 2]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import fixture_reports, sample_files  # noqa: E402
from render import CHROMIUM, newspaper_html, print_pdf, write_docx, write_gbk_page  # noqa: E402
from watcher.convert import ocr, pdf, read_document  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="times the source texts are repeated")
    parser.add_argument("--ocr-pages", type=int, default=1)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit("needs Debian's chromium at /usr/bin/chromium to render the PDF")
    import pypdfium2

    sources = sample_files() or fixture_reports()
    text = "\n\n".join(path.read_text(encoding="utf-8") for path in sources) * args.repeat
    with tempfile.TemporaryDirectory() as folder:
        path = print_pdf(newspaper_html(text), Path(folder) / "epaper.pdf")
        data = path.read_bytes()
        pages = len(pypdfium2.PdfDocument(data))
        started = time.perf_counter()
        converted = read_document(data, path.name)
        seconds = time.perf_counter() - started
        print(f"PDF text layer: {pages} A3 pages, 3 columns, {len(converted.text):,} characters "
              f"in {seconds:.2f} s = {pages / seconds:.2f} pages/s ({pdf.VERSION})")

        if ocr.tesseract_version() is None:
            print("OCR: tesseract-ocr-chi-sim is not installed; skipped")
        else:
            document = pypdfium2.PdfDocument(data)
            count = min(args.ocr_pages, pages)
            started = time.perf_counter()
            for number in range(count):
                pdf._ocr_page(document[number])
            seconds = time.perf_counter() - started
            print(f"OCR: {count} A3 pages at {pdf.OCR_DPI} dpi in {seconds:.1f} s = {count / seconds:.3f} pages/s "
                  f"(tesseract {ocr.tesseract_version()}, {ocr.LANGUAGES})")

        print("originals kept (gzip), size on disk / size of the file:")
        one = sources[0].read_text(encoding="utf-8")
        kinds = {
            "txt": one.encode("utf-8"),
            "html (GBK)": write_gbk_page(one, Path(folder) / "page.html").read_bytes(),
            "docx": write_docx(one, Path(folder) / "report.docx").read_bytes(),
            "pdf": print_pdf(newspaper_html(one), Path(folder) / "one.pdf").read_bytes(),
        }
        for kind, raw in kinds.items():
            kept = len(gzip.compress(raw, compresslevel=6, mtime=0))
            print(f"  {kind:11} {len(raw):>9,} B -> {kept:>9,} B ({kept / len(raw):.0%})")


if __name__ == "__main__":
    main()
