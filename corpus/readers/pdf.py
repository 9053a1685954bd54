"""PDFs (.pdf): e-paper pages with a text layer, and scanned pages (no text layer) through OCR.

pypdfium2 (PDFium, the PDF engine of Chromium) gives each character with its box; the boxes are
put in reading order across columns by corpus.readers.layout, and each page is split into its
articles as an OCR'd page is, every article keeping its page number. A page without a text layer
is rendered and OCR'd (corpus.readers.ocr), cached by the file's content hash.
"""

from __future__ import annotations

from collections.abc import Iterator

from corpus.readers.layout import Box, page_text
from corpus.readers.ocr import RENDER_DPI, OcrCache, page_boxes
from corpus.readers.source import RawDocument, Source, Unreadable

# A page with fewer characters than this in its text layer is a scan (a page number or a stray
# mark is no text layer).
MIN_TEXT_CHARS = 20


def text_boxes(page: object) -> list[Box]:
    """The characters of a PDF page's text layer with their boxes (y grows downwards)."""
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        height = page.get_height()  # type: ignore[attr-defined]
        boxes = []
        for index in range(textpage.count_chars()):
            char = textpage.get_text_range(index, 1)
            if not char.strip():
                continue
            left, bottom, right, top = textpage.get_charbox(index, loose=False)
            boxes.append(Box(left, height - top, right, height - bottom, char))
        return boxes
    finally:
        textpage.close()


def read_pdf(source: Source) -> Iterator[RawDocument]:
    """Each page's text in reading order (OCR'd where the page has no text layer), with its number."""
    import pypdfium2 as pdfium

    data = source.read_all()
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise Unreadable(f"not a readable PDF: {error}") from error
    cache: OcrCache | None = None
    try:
        pages = len(pdf)
        for number in range(1, pages + 1):
            page = pdf[number - 1]
            try:
                boxes = text_boxes(page)
                if sum(len(b.text) for b in boxes) >= MIN_TEXT_CHARS:
                    source.found["pages with a text layer"] += 1
                else:
                    cache = cache or OcrCache(data)
                    boxes = page_boxes(
                        source, cache, number, pages, lambda: page.render(scale=RENDER_DPI / 72).to_pil()
                    )
                text = page_text(boxes)
                if text.strip():
                    yield RawDocument(text, page=number)
            finally:
                page.close()
    finally:
        pdf.close()
