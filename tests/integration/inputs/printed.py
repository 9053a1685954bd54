"""Printed inputs: a two-column e-paper page printed to PDF by chromium, and page images for OCR."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from bench.ocr import draw_page
from tests.integration.inputs.texts import Written

CHROMIUM = "/usr/bin/chromium"


def _column(article: Written, left_mm: int) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    return f'<div class="col" style="left:{left_mm}mm"><h1>{html.escape(article.title)}</h1>{paragraphs}</div>'


def epaper_html(*pages: tuple[Written, Written]) -> str:
    """An e-paper: on each page two articles side by side, the right one first in the document.

    The right column comes first in the HTML, so the PDF's text layer holds it first: reading
    order must come from where the text stands, not from the order it was drawn in.
    """
    body = "".join(f'<div class="page">{_column(right, 110)}{_column(left, 20)}</div>' for left, right in pages)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        "@page { size: A4; margin: 0 }"
        "body { margin: 0; font-family: 'WenQuanYi Micro Hei'; font-size: 12pt; line-height: 1.5 }"
        ".page { position: relative; height: 296mm; page-break-after: always }"
        ".col { position: absolute; top: 20mm; width: 80mm }"
        "h1 { font-size: 15pt; margin: 0 0 6mm }"
        "p { margin: 0 0 3mm; text-indent: 2em; text-align: justify }"
        "</style></head><body>" + body + "</body></html>"
    )


def print_pdf(page_html: str, path: Path) -> Path:
    """Print an HTML page to PDF with Debian's chromium (through Playwright).

    In a thread of its own: the browser tests may hold Playwright's event loop in this one.
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_print_pdf, page_html, path).result()


def _print_pdf(page_html: str, path: Path) -> Path:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page()
            page.set_content(page_html)
            path.write_bytes(page.pdf(format="A4", print_background=False))
        finally:
            browser.close()
    return path


NO_LINE_START = "，。、；：？！”）》"


def _column_lines(text: str, width: int) -> list[str]:
    """A paragraph broken into lines of width characters, no line starting with closing punctuation (as typesetters do)."""
    lines: list[str] = []
    while text:
        cut = min(width, len(text))
        if cut < len(text) and text[cut] in NO_LINE_START:
            cut += 1
        lines.append(text[:cut])
        text = text[cut:]
    return lines


def render_page(articles: Sequence[Written], path: Path, *, width_chars: int = 22) -> Path:
    """A scanned-looking page: the articles' titles and paragraphs in a column width_chars wide.

    An image suffix gives the format (.png, .jpg, .tif), .pdf an image-only PDF (a scan with no text layer).
    """
    rows: list[tuple[str, bool]] = []
    for article in articles:
        rows.append((article.title, True))
        for paragraph in article.paragraphs:
            rows.extend((line, False) for line in _column_lines("\u3000\u3000" + paragraph, width_chars))
            rows.append(("", False))
        rows.append(("", False))
    return draw_page(rows, path)
