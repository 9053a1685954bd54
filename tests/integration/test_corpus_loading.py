"""Loading corpora from real files: encodings, JSON Lines, and files that must be skipped."""

import json
import shutil
from pathlib import Path

import pytest

from corpus import CorpusError, Skipped, load_corpus
from corpus.loader import clean_text, default_corpus, iter_corpus

PAGE = "领略科技魅力\n本报讯（通讯员 于欢）3月31日，在克拉玛依科技馆的精心筹备下，孤残儿童开启了\n一段科学探索的旅程。\n"


def write_jsonl(path: Path, *records) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def test_gbk_and_gb18030_pages_are_decoded(tmp_path: Path) -> None:
    (tmp_path / "gbk.txt").write_bytes(PAGE.encode("gbk"))
    (tmp_path / "gb18030.txt").write_bytes(PAGE.replace("于欢", "𠀀欢").encode("gb18030"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + PAGE.replace("3月31日", "4月1日").encode("utf-8"))
    result = load_corpus(tmp_path)
    assert result.skipped == ()
    assert [a.title for a in result.articles] == ["领略科技魅力"] * 3
    assert [a.text.split("，")[0] for a in result.articles] == ["本报讯（通讯员于欢）4月1日", "本报讯（通讯员𠀀欢）3月31日", "本报讯（通讯员于欢）3月31日"]
    # The datelines give no year and no manifest gives the page's: the dates stay unknown.
    assert [(a.date, a.date_precision) for a in result.articles] == [(None, "unknown")] * 3
    assert {a.regions for a in result.articles} == {("克拉玛依",)}


def test_bad_files_are_skipped_and_reported_without_aborting(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("\n  \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "latin1.txt").write_bytes("Ça a été déjà vu, naïve façade".encode("latin-1"))
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "notes.rtf").write_text("{\\rtf1 援疆}", encoding="utf-8")
    result = load_corpus(tmp_path)
    assert [a.title for a in result.articles] == ["领略科技魅力"]
    assert sorted((Path(s.path).name, s.reason, s.line) for s in result.skipped) == [
        ("binary.txt", "binary file (contains NUL bytes)", None),
        ("blank.txt", "empty file", None),
        ("empty.txt", "empty file", None),
        ("latin1.txt", "undecodable: invalid UTF-8 at line 1, and not GB18030/GBK or Big5 text", 1),
        ("notes.rtf", "not a format xjsearch reads (.pdf, .png, .jpg, .jpeg, .tif, .tiff, .warc, .warc.gz, .docx, .html, .htm, .txt, .jsonl)", None),
        ("photo.png", "not a readable image (damaged, or no image)", None),
    ]


def test_text_in_a_foreign_script_is_reported(tmp_path: Path) -> None:
    (tmp_path / "english.txt").write_text("Karamay is a city in Xinjiang. " * 20, encoding="utf-8")
    assert load_corpus(tmp_path).skipped == (
        Skipped(str(tmp_path / "english.txt"), "no Chinese text found (not UTF-8 or GB18030 Chinese)"),
    )


def test_one_200_kb_line_is_read(tmp_path: Path) -> None:
    line = ("克拉玛依发展氢能产业有得天独厚的基础，" * 7000)[:-1] + "。"
    assert len(line.encode("utf-8")) > 200_000
    (tmp_path / "long.txt").write_text(line, encoding="utf-8")
    [article] = load_corpus(tmp_path).articles
    assert article.text == line
    assert article.regions == ("克拉玛依",)


def test_jsonl_articles_with_and_without_metadata(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "ready.jsonl",
        {"id": "a1", "title": "援疆干部", "date": "2024-05-06", "source": "人民日报", "text": "上海援疆干部在喀什市\n\n莎车县工作。", "regions": ["喀什地区"], "sectors": ["教育"]},
        {"title": "新闻", "text": "本报讯 12月8日，天津援疆教师在和田县\n于田县支教。"},
        "{not json",
        {"title": "", "text": "正文"},
        {"title": "无正文"},
        ["not", "an", "object"],
        {"title": "坏日期", "text": "正文。", "date": "2024-13-01"},
        {"title": "坏地区", "text": "正文。", "regions": "和田"},
        {"title": "坏地区", "text": "正文。", "regions": [1, 2]},
    )
    result = load_corpus(tmp_path)
    first, second, fourth = result.articles
    assert first.id == "a1"
    assert (first.date, first.date_precision, first.source, first.regions, first.sectors) == ("2024-05-06", "day", "人民日报", ("喀什",), ("教育",))
    assert first.text == "上海援疆干部在喀什市莎车县工作。"
    assert first.aid_from == ("上海",)
    assert second.text == "本报讯12月8日，天津援疆教师在和田县于田县支教。"
    assert (second.regions, second.aid_from, second.source) == (("和田",), ("天津",), "未注明")
    assert (second.date, second.date_precision) == (None, "unknown")  # 12月8日 of no stated year
    assert len(second.id) == 16
    assert fourth.regions == ("和田",)
    assert [(s.line, s.reason.split(":")[0]) for s in result.skipped] == [
        (3, "malformed JSON"),
        (4, "missing 'title'"),
        (5, "missing 'text'"),
        (6, "a line must be a JSON object"),
        (7, "month must be in 1..12"),
        (9, "'regions' must be a list of strings"),
    ]


def test_duplicate_ids_are_reported_with_the_file_and_line(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", {"id": "x", "title": "甲", "text": "克拉玛依。"}, {"id": "x", "title": "乙", "text": "和田。"})
    write_jsonl(tmp_path / "b.jsonl", {"id": "x", "title": "丙", "text": "喀什。"})
    result = load_corpus(tmp_path)
    assert [a.title for a in result.articles] == ["甲"]
    assert result.skipped == (
        Skipped(str(tmp_path / "a.jsonl"), "duplicate id 'x', already used by a.jsonl:1", 2),
        Skipped(str(tmp_path / "b.jsonl"), "duplicate id 'x', already used by a.jsonl:1", 1),
    )


def test_pages_of_the_same_name_in_two_folders_are_two_pages(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_text(PAGE, encoding="utf-8")
    result = load_corpus(tmp_path)
    assert result.skipped == ()
    assert [a.origin for a in result.articles] == ["a/page.txt#1", "b/page.txt#1"]
    assert len({a.id for a in result.articles}) == 2


def test_big5_pages_are_decoded_not_read_as_gbk_mojibake(tmp_path: Path) -> None:
    traditional = "領略科技魅力\n本報訊（通訊員 于歡）3月31日，在克拉瑪依科技館開放。\n"
    (tmp_path / "big5.txt").write_bytes(traditional.encode("big5"))
    [article] = load_corpus(tmp_path).articles
    assert (article.title, article.text) == ("領略科技魅力", "本報訊（通訊員于歡）3月31日，在克拉瑪依科技館開放。")


def test_invalid_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    data = PAGE.encode("utf-8")
    (tmp_path / "bad.txt").write_bytes(data[:30] + b"\xff" + data[30:])
    assert load_corpus(tmp_path).skipped == (
        Skipped(str(tmp_path / "bad.txt"), "undecodable: invalid UTF-8 at line 2, and not GB18030/GBK or Big5 text", 2),
    )


def test_a_jsonl_string_may_hold_a_line_separator(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"title": "援疆", "text": "上海援疆干部在喀什\u2028莎车县工作。"}\r\n', encoding="utf-8")
    result = load_corpus(tmp_path)
    assert result.skipped == ()
    assert [a.text for a in result.articles] == ["上海援疆干部在喀什莎车县工作。"]


def test_a_single_file_and_a_missing_path(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    assert [a.title for a in load_corpus(page).articles] == ["领略科技魅力"]
    with pytest.raises(CorpusError, match="no corpus at .*nowhere"):
        load_corpus(tmp_path / "nowhere")


def test_manifest_gives_source_date_and_home_region(tmp_path: Path) -> None:
    shutil.copy(default_corpus() / "004_320e0fb83e4b14c5.txt", tmp_path / "page.txt")
    (tmp_path / "manifest.json").write_text(
        json.dumps({"pages": {"page.txt": {"source": "和田日报", "date": "2024-01-05", "home_region": "和田"}}}), encoding="utf-8"
    )
    articles = load_corpus(tmp_path).articles
    assert [(a.date, a.source) for a in articles[1:3]] == [("2023-12-06", "和田日报"), ("2023-12-08", "和田日报")]


def test_a_broken_manifest_is_reported_and_pages_still_load(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "manifest.json").write_text("{", encoding="utf-8")
    result = load_corpus(tmp_path)
    assert [a.source for a in result.articles] == ["未注明"]
    assert [s.reason.split(":")[0] for s in result.skipped] == ["manifest ignored"]


def test_clean_text_joins_broken_lines_and_keeps_paragraphs() -> None:
    assert clean_text("克拉\r\n\r\n玛依市开展活动。\n\n第二段 12月 10 日。\n") == "克拉玛依市开展活动。\n第二段12月10日。"


def test_decoding_a_large_file_makes_no_object_per_character() -> None:
    import tracemalloc

    from corpus.readers.text import decode

    data = ("援疆干部深入基层。" * 120_000 + "\n").encode("utf-8")  # about 1.1 million characters
    tracemalloc.start()
    try:
        text = decode(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(text) == 1_080_001
    # The decoded text is 2.2 MB; a list of its characters would be over 80 MB.
    assert peak < 12 * 2**20, peak


def test_iter_corpus_yields_each_article_before_reading_the_rest(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", {"title": "甲", "text": "克拉玛依。"}, "{bad", {"title": "乙", "text": "和田。"})
    (tmp_path / "b.txt").write_text(PAGE, encoding="utf-8")
    skipped: list[Skipped] = []
    articles = iter_corpus(tmp_path, skipped)
    assert next(articles).title == "甲"
    assert skipped == []  # line 2 is not read yet
    assert next(articles).title == "乙"
    assert skipped == [Skipped(str(tmp_path / "a.jsonl"), "malformed JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)", 2)]
    assert [a.title for a in articles] == ["领略科技魅力"]


def test_iter_corpus_holds_no_file_whole(tmp_path: Path) -> None:
    import tracemalloc

    record = json.dumps({"title": "援疆", "text": "上海援疆干部在喀什莎车县工作。" * 60}, ensure_ascii=False)
    (tmp_path / "big.jsonl").write_text("\n".join(record.replace('援疆"', f'援疆{n}"') for n in range(1_000)), encoding="utf-8")
    assert (tmp_path / "big.jsonl").stat().st_size > 2.5 * 2**20
    write_jsonl(tmp_path / "warm" / "a.jsonl", json.loads(record))
    load_corpus(tmp_path / "warm")  # the data files' caches are filled before measuring
    skipped: list[Skipped] = []
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_corpus(tmp_path, skipped))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (count, skipped) == (1_001, [])
    # The file is 2.7 MB; its articles together hold as much text.
    assert peak < 2**20, peak


def test_a_headline_is_shown_with_its_phrases_apart_and_keeps_its_id(tmp_path: Path) -> None:
    from corpus.loader import article_id

    (tmp_path / "page.txt").write_text(
        "当前位置：首页 > 新闻中心 > 正文\n\n援疆医生走进牧区 义诊送药暖人心\n\n2024-05-06 10:20 来源：示例日报\n\n"
        "5月5日，援疆医疗队来到喀什地区的牧区，为牧民群众义诊。\n", encoding="utf-8")
    (tmp_path / "ready.jsonl").write_text(json.dumps(
        {"title": "✳️天津援疆 民生项目开工-示例网", "text": "和田地区的民生项目开工了。"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    (tmp_path / "titled.txt").write_text(
        "山东援疆:让受援地处处都有新变化-新华网\n2023 10/24 09:59:47\n来源:示例日报\n\n"
        "山东援疆工作队在喀什地区的疏附县走访群众。\n", encoding="utf-8")
    (tmp_path / "saved.html").write_text(
        "<html><head><title>上海援疆 文旅先行</title></head><body><article><h1>上海援疆 文旅先行</h1>"
        "<p>克拉玛依的文旅项目迎来游客。</p></article></body></html>", encoding="utf-8")
    by_file = {a.origin_file: a for a in load_corpus(tmp_path).articles}
    page, ready, saved = by_file["page.txt"], by_file["ready.jsonl"], by_file["saved.html"]
    assert page.title == "援疆医生走进牧区 义诊送药暖人心"
    assert ready.title == "天津援疆 民生项目开工-示例网"  # a JSON line's title is the user's own
    assert by_file["titled.txt"].title == "山东援疆:让受援地处处都有新变化"  # a saved page's loses its site
    assert saved.title == "上海援疆 文旅先行"
    # Ids go by the title as any line is read, every space squeezed: they are what they were.
    assert page.id == article_id("page.txt", "援疆医生走进牧区义诊送药暖人心", "1")
    assert ready.id == article_id("✳️天津援疆民生项目开工-示例网", "和田地区的民生项目开工了。")
    assert (page.regions, ready.regions, saved.regions) == (("喀什",), ("和田",), ("克拉玛依",))
