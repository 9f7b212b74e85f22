"""PDF: the text layer in reading order, with OCR for pages that are only a picture.

pdfminer.six finds the lines; they are ordered by bands and columns: the page is cut into bands
at horizontal gaps, read top to bottom. A band whose lines fall into several columns (separated
by gutters) starts a columns region, and following bands join it while they share its gutters,
so a paragraph gap that happens to line up across columns does not cut it; a region is read
column by column, each column ordered the same way. Bands before the columns (headline,
subtitle, byline) and bands crossing the gutters (the next article's headline, a wide caption)
are read as they come. Lines are then joined into paragraphs from their geometry. pypdfium2
opens the file (clear errors for damaged or encrypted PDFs, a fast page count) and renders
picture-only pages for OCR.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass

from watcher.convert import ocr
from watcher.convert.base import MAX_OCR_PAGES, MAX_PAGES, ConversionError, Converted, package_version

FORMAT = "pdf"
NAME = "pdfminer.six"
VERSION = f"{package_version('pdfminer.six')}+pypdfium2-{package_version('pypdfium2')}"
OCR_DPI = 200  # 10.5 pt type is then about 29 px high, enough for chi_sim; 300 dpi is over twice as slow
SECONDS = 600  # a PDF still converting after this long fails
GUTTER = 3.0  # points of empty width that separate columns
TEXTLESS = 10  # a page with fewer characters than this is a picture
CID = re.compile(r"\(cid:\d+\)")


@dataclass(frozen=True)
class Block:
    left: float
    top: float
    right: float
    bottom: float
    text: str


def matches(probe) -> bool:
    return probe.starts_with(b"%PDF-", within=1024)


def convert(data: bytes) -> Converted:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise ConversionError(_open_failure(str(error))) from error
    try:
        pages = len(document)
        if pages > MAX_PAGES:
            raise ConversionError(
                f"the PDF has {pages:,} pages, over the limit of {MAX_PAGES}: split it (one report per file)"
            )
        texts = _text_layer(data, pages)
        blank = [number for number, text in enumerate(texts) if _unreadable(text)]
        converter = NAME
        if blank:
            if len(blank) == pages and ocr.tesseract_version() is None:
                raise ConversionError(
                    "the PDF has no readable text layer (it is a scan, or its fonts map no characters); "
                    + ocr.HOW_TO_ENABLE
                )
            if ocr.tesseract_version() is not None:
                if len(blank) > MAX_OCR_PAGES:
                    raise ConversionError(
                        f"the PDF has {len(blank)} scanned pages, over the OCR limit of {MAX_OCR_PAGES}: split it"
                    )
                for number in blank:
                    texts[number] = _ocr_page(document[number])
                converter = f"{NAME}+tesseract"
    finally:
        document.close()
    text = "\n\n".join(t.strip() for t in texts if t.strip())
    if not text:
        raise ConversionError("the PDF holds no text: its pages are empty, or OCR found nothing on them")
    version = VERSION if converter == NAME else f"{VERSION}+tesseract-{ocr.tesseract_version()}"
    return Converted(text, FORMAT, converter, version, pages=pages)


def _unreadable(text: str) -> bool:
    """A page with (almost) no text is a picture; one whose fonts map no characters comes out as
    ``(cid:123)`` codes or private-use characters, and is read like a picture too."""
    stripped = "".join(text.split())
    if len(stripped) < TEXTLESS:
        return True
    codes = len(CID.findall(stripped))
    private = sum(1 for c in stripped if "\ue000" <= c <= "\uf8ff")
    return (codes * 8 + private) / len(stripped) > 0.2


def _open_failure(message: str) -> str:
    if "password" in message.lower():
        return (
            "the PDF is password-protected: open it, print or save an unprotected copy, and drop that in"
        )
    return f"the PDF is damaged and cannot be opened ({message}); save or export it again"


def _text_layer(data: bytes, pages: int) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    params = LAParams(line_margin=0.5, char_margin=2.0, word_margin=0.1, boxes_flow=None)
    started = time.monotonic()
    texts: list[str] = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=params, maxpages=pages):
            if time.monotonic() - started > SECONDS:
                raise ConversionError(f"reading the PDF took longer than {SECONDS} s; split it into smaller files")
            height = page.height
            lines = [
                Block(line.x0, height - line.y1, line.x1, height - line.y0, line.get_text().strip())
                for box in page
                if isinstance(box, LTTextBox)
                for line in box
                if line.get_text().strip()
            ]
            texts.append("\n\n".join(paragraphs(lines)))
    except (PDFSyntaxError, PSException) as error:
        raise ConversionError(f"the PDF is damaged and its text cannot be read ({error})") from error
    except ConversionError:
        raise
    except Exception as error:  # pdfminer raises plain exceptions on some damaged files
        if type(error).__name__.startswith("PDFPassword") or "encrypt" in str(error).lower():
            raise ConversionError(_open_failure("password")) from error
        raise ConversionError(f"the PDF's text cannot be read ({type(error).__name__}: {error})") from error
    return texts


def paragraphs(lines: list[Block]) -> list[str]:
    """Lines in reading order joined into paragraphs. A line continues the one before when that
    one runs to the right edge of its column and this one is not indented, is the same size and
    follows at line spacing (or starts the next column): hard wraps and column breaks inside a
    paragraph disappear, headings and captions stay paragraphs of their own."""
    result: list[list[str]] = []
    previous = None
    for line, column in reading_order(lines):
        if previous and _continues(*previous, line, column):
            result[-1].append(line.text)
        else:
            result.append([line.text])
        previous = (line, column)
    return ["".join(_glued(parts)) for parts in result]


def _continues(before: Block, before_column, line: Block, column) -> bool:
    size = line.bottom - line.top
    previous_size = before.bottom - before.top
    if not (0.8 < size / max(previous_size, 0.1) < 1.25):
        return False
    full = before.right >= before_column[1] - size
    indented = line.left > column[0] + 0.5 * size
    if not full or indented:
        return False
    if column == before_column:
        return line.top - before.bottom <= 1.2 * size
    return not _ends_sentence(before.text)


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip("”’」』）)》】\"' ")
    return bool(stripped) and stripped[-1] in "。！？；…!?;"


def _glued(parts: list[str]) -> list[str]:
    out = [parts[0]]
    for part in parts[1:]:
        if out[-1][-1:].isascii() and out[-1][-1:].isalnum() and part[:1].isascii() and part[:1].isalnum():
            out.append(" ")
        out.append(part)
    return out


def reading_order(blocks: list[Block], column: tuple[float, float] | None = None) -> list[tuple[Block, tuple]]:
    """Each block with the column it sits in, in reading order (see the module docstring)."""
    if not blocks:
        return []
    column = column or _extent(blocks)
    regions: list[tuple[bool, list[Block]]] = []  # (in columns?, blocks)
    for band in _split(blocks, _vertical, 0.0):
        if regions and regions[-1][0] and len(_split(regions[-1][1] + band, _horizontal, GUTTER)) > 1:
            regions[-1][1].extend(band)  # the same columns continue below a gap
        else:
            regions.append((len(_split(band, _horizontal, GUTTER)) > 1, list(band)))
    ordered = []
    for in_columns, region in regions:
        if in_columns:
            for group in _split(region, _horizontal, GUTTER):
                ordered += reading_order(group, _extent(group))
        else:
            ordered += [(b, column) for b in sorted(region, key=lambda b: (b.top, b.left))]
    return ordered


def _horizontal(block: Block) -> tuple[float, float]:
    return block.left, block.right


def _vertical(block: Block) -> tuple[float, float]:
    return block.top, block.bottom


def _extent(blocks: list[Block]) -> tuple[float, float]:
    return min(b.left for b in blocks), max(b.right for b in blocks)


def _split(blocks: list[Block], extent, gap: float) -> list[list[Block]]:
    """Group blocks whose extents on one axis overlap (or nearly touch); groups in axis order."""
    groups: list[list[Block]] = []
    end = None
    for block in sorted(blocks, key=lambda b: extent(b)[0]):
        start, stop = extent(block)
        if groups and start <= end + gap:
            groups[-1].append(block)
            end = max(end, stop)
        else:
            groups.append([block])
            end = stop
    return groups


def _ocr_page(page) -> str:
    width, height = page.get_size()
    scale = OCR_DPI / 72
    ocr.check_pixels(int(width * scale), int(height * scale), "a scanned page")
    image = page.render(scale=scale, grayscale=True).to_pil()
    return ocr.recognise(image)
