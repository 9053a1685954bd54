"""A folder holding a file of every kind the corpus readers take (the README's ~/papers)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.integration.inputs.office import write_docx, write_warc
from tests.integration.inputs.texts import CLINIC, KINDERGARTENS, LIBRARY, ORCHARD, RIVER, SAVED_LATER, Written
from tests.integration.inputs.web import news_page

NEWS_URL = "https://news.example.org/2024/0312/kindergartens.html"
GBK_URL = "https://news.example.org/2024/0520/clinic.html"
WARC_URL = "https://archive.example.org/2024/0315/river.html"
JSONL_URL = "https://library.example.org/2024/0603.html"


def ocr_page(article: Written, width: int = 18) -> str:
    """An article as an OCR'd page has it: its headline, then its text in lines of a narrow column."""
    lines = [article.title]
    for paragraph in article.paragraphs:
        lines += [paragraph[i : i + width] for i in range(0, len(paragraph), width)] + [""]
    return "\n".join(lines)


def write_every_format(corpus: Path, epaper: Path, scans: Path) -> Path:
    """Fill corpus with one file of each kind: an OCR'd text page, JSON Lines, two web pages (UTF-8 and
    GBK), an e-paper PDF, a scan and a scanned PDF (from the scans folder), a Word file and a web archive."""
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / "page.txt").write_text(ocr_page(ORCHARD), encoding="gb18030")
    (corpus / "ready.jsonl").write_text(
        json.dumps({"title": LIBRARY.title, "text": LIBRARY.text, "date": LIBRARY.date, "url": JSONL_URL},
                   ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (corpus / "news.html").write_text(news_page(KINDERGARTENS, NEWS_URL), encoding="utf-8")
    (corpus / "gbk.htm").write_bytes(news_page(CLINIC, GBK_URL, charset="gbk").encode("gbk"))
    shutil.copy2(epaper, corpus / "epaper.pdf")
    shutil.copy2(scans / "scan.png", corpus / "scan.png")
    shutil.copy2(scans / "scan.pdf", corpus / "scanned.pdf")
    write_docx(corpus / "brief.docx", [RIVER])
    write_warc(corpus / "crawl.warc.gz", [(WARC_URL, RIVER, "utf-8")])
    for path in corpus.iterdir():
        os.utime(path, SAVED_LATER)
    return corpus
