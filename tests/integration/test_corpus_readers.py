"""Each input format read from real files the tests make: web pages, e-paper PDFs, Word files, web archives."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from corpus import Skipped, load_corpus
from corpus.loader import iter_files
from tests.integration.inputs.office import write_docx, write_warc
from tests.integration.inputs.texts import CLINIC, KINDERGARTENS, LIBRARY, ORCHARD, RIVER, SAVED_LATER, Written
from tests.integration.inputs.web import BOILERPLATE_MARKERS, SITE, news_page

URL = "https://news.example.org/yuanjiang/2024/0312/a1.html"


def char_f1(found: str, expected: str) -> float:
    """The F1 of the characters (whitespace aside) of found against expected, counted as multisets."""
    got, want = Counter("".join(found.split())), Counter("".join(expected.split()))
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


@pytest.mark.parametrize(
    ("charset", "declared"),
    [("utf-8", True), ("gbk", True), ("gbk", False), ("gb18030", True)],
)
def test_a_web_page_gives_its_article_without_navigation(tmp_path: Path, charset: str, declared: bool) -> None:
    markup = news_page(KINDERGARTENS, URL, charset=charset)
    if not declared:
        markup = markup.replace(f'<meta charset="{charset}">', "")
    (tmp_path / "page.html").write_bytes(markup.encode(charset))
    result = load_corpus(tmp_path)
    assert result.skipped == ()
    [article] = result.articles
    assert char_f1(article.text, KINDERGARTENS.text) >= 0.95
    assert [marker for marker in BOILERPLATE_MARKERS if marker in article.text] == []
    assert (article.title, article.date, article.date_precision, article.source, article.url, article.origin) == (
        KINDERGARTENS.title, "2024-03-12", "day", SITE, URL, "page.html#1",
    )
    assert article.people[0] == "王明"
    assert (article.regions, article.aid_from) == (("喀什",), ("上海",))


def test_what_a_web_page_leaves_out_the_text_rules_fill(tmp_path: Path) -> None:
    markup = (
        "<html><head><title>天津医疗队下乡义诊</title></head><body><nav><a href='/'>首页</a> <a href='/x'>联系我们</a></nav>"
        "<h1>天津医疗队下乡义诊</h1><div class='text'><p>新华社乌鲁木齐5月6日电 天津援疆医疗队在和田地区策勒县开展义诊活动，为当地群众送医送药。</p>"
        "<p>医疗队队员说，今后还将定期下乡，把更多优质医疗服务送到群众家门口，让群众少跑路、看好病。</p>"
        "<p>这次义诊共接待群众四百余人次，医疗队的心内科、儿科和眼科专家还为乡卫生院的医生讲授了常见病的诊疗规范，"
        "并把二十台血压计和一批常用药品留给了卫生院。乡卫生院院长表示，将把专家讲授的内容整理成册，组织全院医生反复学习。</p>"
        "</div></body></html>"
    )
    page = tmp_path / "bare.htm"
    page.write_text(markup, encoding="utf-8")
    os.utime(page, (1_700_000_000, 1_700_000_000))  # November 2023: no year for the dateline
    [article] = load_corpus(tmp_path).articles
    assert (article.title, article.text[:19]) == ("天津医疗队下乡义诊", "新华社乌鲁木齐5月6日电天津援疆医疗队")
    # The page states no year and the dateline gives none: the date stays unknown.
    assert (article.date, article.date_precision, article.source, article.url) == (None, "unknown", "新华社", "")
    assert (article.regions, article.aid_from) == (("和田",), ("天津",))


def test_an_epaper_pdf_is_read_in_column_order_and_split_into_its_articles(epaper: Path, tmp_path: Path) -> None:
    shutil.copy2(epaper, tmp_path / "epaper.pdf")
    result = load_corpus(tmp_path)
    assert result.skipped == ()
    assert [(a.origin, a.page, a.title, a.text) for a in result.articles] == [
        ("epaper.pdf#1", 1, KINDERGARTENS.title, KINDERGARTENS.text),
        ("epaper.pdf#2", 1, RIVER.title, RIVER.text),
        ("epaper.pdf#3", 2, CLINIC.title, CLINIC.text),
        ("epaper.pdf#4", 2, LIBRARY.title, LIBRARY.text),
    ]
    assert [(a.date, a.date_precision) for a in result.articles] == [
        ("2024-03-12", "day"), ("2024-03-15", "day"), ("2024-05-20", "day"), ("2024-06-03", "day"),
    ]


def test_a_word_file_gives_an_article_under_each_heading(tmp_path: Path) -> None:
    os.utime(write_docx(tmp_path / "简报.docx", [RIVER, CLINIC], heading="援疆工作简报"), SAVED_LATER)
    skipped: list[Skipped] = []
    [(report, articles)] = [(report, list(articles)) for report, articles in iter_files(tmp_path, skipped)]
    assert [(a.origin, a.title, a.text, a.date) for a in articles] == [
        ("简报.docx#1", RIVER.title, RIVER.text, "2024-03-15"),
        ("简报.docx#2", CLINIC.title, CLINIC.text, "2024-05-20"),
    ]
    assert (report.reader, dict(report.found), skipped) == (
        "docx", {"paragraphs": 9, "headings": 3, "headings without text (left out)": 1}, [],
    )


def test_a_word_file_without_headings_is_split_as_a_page(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for article in (ORCHARD, LIBRARY):
        document.add_paragraph(article.title)
        for paragraph in article.paragraphs:
            document.add_paragraph(paragraph)
    document.save(str(tmp_path / "plain.docx"))
    assert [a.title for a in load_corpus(tmp_path).articles] == [ORCHARD.title, LIBRARY.title]


def test_a_web_archive_gives_each_html_response_and_counts_the_rest(tmp_path: Path) -> None:
    first, second = "https://example.org/news/1.html", "https://example.org/news/2.html"
    write_warc(tmp_path / "crawl.warc.gz", [(first, RIVER, "utf-8"), (second, CLINIC, "gbk")])
    skipped: list[Skipped] = []
    [(report, articles)] = [(report, list(articles)) for report, articles in iter_files(tmp_path, skipped)]
    assert [(a.origin, a.url, a.title, a.date, a.source) for a in articles] == [
        ("crawl.warc.gz#1", first, RIVER.title, "2024-03-15", SITE),
        ("crawl.warc.gz#2", second, CLINIC.title, "2024-05-20", SITE),
    ]
    assert [char_f1(a.text, w.text) >= 0.95 for a, w in zip(articles, (RIVER, CLINIC))] == [True, True]
    assert (report.reader, dict(report.found)) == ("warc", {"web pages": 2, "records that are no web page": 5})
    assert skipped == [
        Skipped(str(tmp_path / "crawl.warc.gz"), "5 records that are no web page left out (HTTP 404 1, image/png 1, metadata 1, request 2)"),
    ]


def test_formats_are_told_by_their_bytes_before_their_names(epaper: Path, tmp_path: Path) -> None:
    shutil.copy(epaper, tmp_path / "mislabelled.txt")
    (tmp_path / "notes.rtf").write_text("{\\rtf1 援疆}", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\nnot really")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    skipped: list[Skipped] = []
    readers = [(report.name, report.reader, len(list(articles))) for report, articles in iter_files(tmp_path, skipped)]
    assert readers == [("broken.docx", "docx", 0), ("broken.pdf", "pdf", 0), ("mislabelled.txt", "pdf", 4)]
    assert [(Path(s.path).name, s.reason.split(":")[0]) for s in skipped] == [
        ("broken.docx", "not a readable Word file"),
        ("broken.pdf", "not a readable PDF"),
        ("notes.rtf", "not a format xjsearch reads (.pdf, .png, .jpg, .jpeg, .tif, .tiff, .warc, .warc.gz, .docx, .html, .htm, .txt, .jsonl)"),
    ]
