"""One folder holding a file of every kind the corpus readers take, indexed into articles with their origin."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from corpus.article import Article, Origin
from indexer.build import index_corpus
from indexer.schema import stored_origin
from indexer.store import open_live
from tests.integration.inputs.office import write_docx, write_warc
from tests.integration.inputs.texts import CLINIC, KINDERGARTENS, LIBRARY, ORCHARD, RIVER, SAVED_2024, Written
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


def test_a_folder_of_every_format_indexes_into_its_articles_with_their_origin(
    tmp_path: Path, epaper: Path, scans: tuple[Path, tuple[Article, ...]]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.txt").write_text(ocr_page(ORCHARD), encoding="gb18030")
    (corpus / "ready.jsonl").write_text(
        json.dumps({"title": LIBRARY.title, "text": LIBRARY.text, "date": LIBRARY.date, "url": JSONL_URL}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (corpus / "news.html").write_text(news_page(KINDERGARTENS, NEWS_URL), encoding="utf-8")
    (corpus / "gbk.htm").write_bytes(news_page(CLINIC, GBK_URL, charset="gbk").encode("gbk"))
    shutil.copy2(epaper, corpus / "epaper.pdf")
    shutil.copy2(scans[0] / "scan.png", corpus / "scan.png")
    shutil.copy2(scans[0] / "scan.pdf", corpus / "scanned.pdf")
    write_docx(corpus / "brief.docx", [RIVER])
    write_warc(corpus / "crawl.warc.gz", [(WARC_URL, RIVER, "utf-8")])
    for path in corpus.iterdir():
        os.utime(path, SAVED_2024)

    report = index_corpus(corpus, tmp_path / "index")
    assert report.added == 12
    assert [s.reason for s in report.skipped] == ["4 records that are no web page left out (HTTP 404 1, image/png 1, metadata 1, request 1)"]
    live = open_live(tmp_path / "index")
    try:
        with live.ix.searcher() as searcher:
            stored = [(stored_origin(fields), fields["title"], fields["date"]) for fields in searcher.all_stored_fields()]
    finally:
        live.ix.close()

    origin = Origin
    assert sorted(stored, key=lambda row: (row[0].file, row[0].page or 0, row[2])) == [
        (origin("brief.docx"), RIVER.title, "2024-03-15"),
        (origin("crawl.warc.gz", url=WARC_URL), RIVER.title, "2024-03-15"),
        (origin("epaper.pdf", 1), KINDERGARTENS.title, "2024-03-12"),
        (origin("epaper.pdf", 1), RIVER.title, "2024-03-15"),
        (origin("epaper.pdf", 2), CLINIC.title, "2024-05-20"),
        (origin("epaper.pdf", 2), LIBRARY.title, "2024-06-03"),
        (origin("gbk.htm", url=GBK_URL), CLINIC.title, "2024-05-20"),
        (origin("news.html", url=NEWS_URL), KINDERGARTENS.title, "2024-03-12"),
        (origin("page.txt"), ORCHARD.title, "2024-04-08"),
        (origin("ready.jsonl", url=JSONL_URL), LIBRARY.title, "2024-06-03"),
        (origin("scan.png"), ORCHARD.title, "2024-04-08"),
        (origin("scanned.pdf", 1), CLINIC.title, "2024-05-20"),
    ]
