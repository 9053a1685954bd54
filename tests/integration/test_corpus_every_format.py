"""One folder holding a file of every kind the corpus readers take, indexed into articles with their origin."""

from __future__ import annotations

from pathlib import Path

from corpus.article import Origin
from indexer.build import index_corpus
from indexer.schema import stored_origin
from indexer.store import open_live
from tests.integration.inputs.every import GBK_URL, JSONL_URL, NEWS_URL, WARC_URL
from tests.integration.inputs.texts import CLINIC, KINDERGARTENS, LIBRARY, ORCHARD, RIVER



def test_a_folder_of_every_format_indexes_into_its_articles_with_their_origin(
    tmp_path: Path, every_format: Path
) -> None:
    report = index_corpus(every_format, tmp_path / "index")
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
