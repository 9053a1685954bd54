"""The OCR phase: seconds per scanned page and pages per minute, on pages rendered from the bundled corpus.

Pages of 40 lines (a newspaper column, 22 characters a line) are drawn with the CJK font the
browser tests use, and read by the corpus's image reader as a scan would be: the first pass OCRs
each page, a second pass over the same files must find every page in the OCR cache. Character
accuracy is 1 − edit distance / characters drawn (whitespace aside).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
LINES_PER_PAGE = 40
CHARS_PER_LINE = 22
DEFAULT_PAGES = 3


def draw_page(rows: list[tuple[str, bool]], path: Path, *, size: int = 32) -> Path:
    """An image of rows of text (text, is a headline) in black on white, as a scanned column looks.

    An image suffix gives the format (.png, .jpg, .tif); .pdf makes an image-only PDF (a scan).
    """
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(CJK_FONT, size)
    headline = ImageFont.truetype(CJK_FONT, int(size * 1.4))
    width = max((len(text) for text, _ in rows), default=1)
    line_height, margin = int(size * 1.6), size * 2
    image = Image.new("L", (margin * 2 + width * size, margin * 2 + line_height * len(rows)), 255)
    draw = ImageDraw.Draw(image)
    for number, (text, is_headline) in enumerate(rows):
        draw.text((margin, margin + number * line_height), text, font=headline if is_headline else font, fill=0)
    if path.suffix.lower() == ".pdf":
        image.save(path, "PDF", resolution=200.0)
    else:
        image.save(path)
    return path


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: the fewest characters inserted, deleted or replaced to turn a into b."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def _page_rows(pages: int) -> list[list[str]]:
    """pages × LINES_PER_PAGE lines of the bundled corpus's text, CHARS_PER_LINE characters each."""
    from corpus import load_corpus

    text = "".join("".join(a.text.split()) for a in load_corpus().articles)
    size = LINES_PER_PAGE * CHARS_PER_LINE
    return [
        [text[p * size + i : p * size + i + CHARS_PER_LINE] for i in range(0, size, CHARS_PER_LINE)]
        for p in range(pages)
    ]


def phase_ocr(args: dict[str, Any]) -> dict[str, Any]:
    """OCR pages rendered from the bundled corpus: seconds per page, pages per minute, accuracy, cache."""
    import os

    from corpus.loader import iter_files
    from corpus.readers import ocr

    pages = int(args.get("pages", DEFAULT_PAGES))
    with tempfile.TemporaryDirectory(prefix="xjsearch-bench-ocr-") as tmp:
        folder = Path(tmp) / "scans"
        folder.mkdir()
        os.environ[ocr.CACHE_ENV] = str(Path(tmp) / "cache")
        written = _page_rows(pages)
        for number, rows in enumerate(written, start=1):
            draw_page([(row, False) for row in rows], folder / f"page-{number:02d}.png")
        started = time.perf_counter()
        ocr._engine()
        load_s = time.perf_counter() - started
        texts, seconds, read = [], [], []
        cpu = time.process_time()
        for pass_number in (1, 2):
            started = time.perf_counter()
            found: list[str] = []
            for report, articles in iter_files(folder, []):
                found.append("".join("".join((a.title + a.text).split()) for a in articles))
                read.append(dict(report.found))
            seconds.append(time.perf_counter() - started)
            texts.append(found)
            if pass_number == 1:
                cpu = time.process_time() - cpu
    expected = ["".join(rows) for rows in written]
    errors = sum(edit_distance(got, want) for got, want in zip(texts[0], expected))
    chars = sum(len(want) for want in expected)
    per_page = seconds[0] / pages
    return {
        "pages": pages,
        "lines_per_page": LINES_PER_PAGE,
        "engine_load_s": round(load_s, 3),
        "seconds_per_page": round(per_page, 3),
        "pages_per_minute": round(60 / per_page, 1),
        # CPU seconds of every OCR thread: on a shared machine the steadier figure.
        "cpu_seconds_per_page": round(cpu / pages, 3),
        "char_accuracy": round(1 - errors / chars, 4),
        "cached_seconds_per_page": round(seconds[1] / pages, 4),
        "cached_pages": sum(r.get("pages OCR'd before (cached)", 0) for r in read[pages:]),
    }


def ocr_lines(result: dict[str, Any]) -> list[str]:
    """The OCR phase's lines of the report."""
    if not result:
        return []
    return [
        "", "OCR of scanned pages (RapidOCR PP-OCRv4, "
        f"{result['pages']} pages of {result['lines_per_page']} lines rendered from the bundled corpus):", "",
        f"- {result['seconds_per_page']} s a page, {result['pages_per_minute']} pages a minute "
        f"({result['cpu_seconds_per_page']} CPU s a page; engine load {result['engine_load_s']} s once), "
        f"character accuracy {result['char_accuracy']:.1%}",
        f"- a second pass found {result['cached_pages']} of {result['pages']} pages in the OCR cache: "
        f"{result['cached_seconds_per_page'] * 1000:.1f} ms a page",
    ]
