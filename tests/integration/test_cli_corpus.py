"""`xjsearch corpus inspect`: how a page splits, before it is indexed."""

import json
from pathlib import Path

from click.testing import CliRunner

from corpus.cli import corpus_group


def test_inspect_lists_each_article_with_its_metadata() -> None:
    result = CliRunner().invoke(corpus_group, ["inspect"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "004_320e0fb83e4b14c5.txt  (text: pages 1, articles 8)" in lines
    assert "    #7  地区水利学会成立" in lines
    assert "        2023-12-10 · 和田日报 · 地区 和田 · 领域 生态水利 · 531 字" in lines
    assert "        2023-07-01 (month) · 克拉玛依日报 · 地区 克拉玛依 · 领域 数字科技、产业经济、教育 · 援助方 上海 · 5731 字" in lines
    assert lines[-1] == "27 articles"


def test_inspect_json_and_skipped_files(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("领略科技魅力\n本报讯（通讯员 于欢）3月31日，克拉玛依科技馆开放。\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = CliRunner().invoke(corpus_group, ["inspect", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    empty, article, file, skipped = [json.loads(line) for line in result.output.splitlines()]
    assert {k: article[k] for k in ("title", "regions", "sectors", "length", "origin")} == {
        "title": "领略科技魅力",
        "regions": ["克拉玛依"],
        "sectors": ["数字科技"],
        "length": len("本报讯（通讯员于欢）3月31日，克拉玛依科技馆开放。"),
        "origin": "page.txt#1",
    }
    assert "text" not in article and "record" not in article  # (the loader's key of the file it read)
    assert (article["url"], article["page"]) == ("", None)
    assert file == {"file": {"name": "page.txt", "reader": "text", "found": {"pages": 1}, "articles": 1}}
    assert empty == {"file": {"name": "empty.txt", "reader": "text", "found": {}, "articles": 0}}
    assert skipped == {"skipped": {"path": str(tmp_path / "empty.txt"), "reason": "empty file", "line": None}}


def test_inspect_a_missing_path_fails_with_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(corpus_group, ["inspect", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output == f"Error: no corpus at {tmp_path / 'nope'} — give a folder or a file of text pages, JSON Lines, web pages, PDFs, scans, Word files or web archives\n"


def test_inspect_reports_each_skipped_file_once_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"title": "甲", "text": "克拉玛依。"}\n{not json\n', encoding="utf-8")
    result = CliRunner().invoke(corpus_group, ["inspect", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == ["", "bad.jsonl  (jsonl: lines 2, articles 1)", "    :1  甲"]
    assert result.stdout.endswith("\n1 articles\n")
    assert result.stderr.splitlines() == [
        f"skipped {tmp_path / 'bad.jsonl'}:2: malformed JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        f"skipped {tmp_path / 'empty.txt'}: empty file",
    ]


def test_inspect_a_folder_of_pages_and_json_lines(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(
        "领略科技魅力\n本报讯（通讯员 于欢）3月31日，在市儿\n\n童福利院与克拉玛依科技馆的精心筹备下开展活动。\n\n"
        "训练急救技能\n本报讯（通讯员 石智文）3月27日，市红\n\n十字会应急救护培训团队到乌尔禾区公安分局开展心肺复苏培训。\n",
        encoding="utf-8",
    )
    (tmp_path / "manifest.json").write_text(
        json.dumps({"pages": {"page.txt": {"source": "克拉玛依日报", "date": "2025-04-03", "home_region": "克拉玛依"}}}),
        encoding="utf-8",
    )
    ready = tmp_path / "more" / "ready.jsonl"
    ready.parent.mkdir()
    ready.write_text(
        json.dumps({"title": "援疆教师", "date": "2023-12", "source": "和田日报", "text": "天津援疆教师在策勒县支教。"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"title": "上海援疆", "text": "上海援疆干部在泽普县、莎车县工作。2024年以来，"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(corpus_group, ["inspect", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "",
        "more/ready.jsonl  (jsonl: lines 2, articles 2)",
        "    :1  援疆教师",
        "        2023-12-01 (month) · 和田日报 · 地区 和田 · 领域 教育 · 援助方 天津 · 13 字",
        "    :2  上海援疆",
        "        日期不详 · 未注明 · 地区 喀什 · 领域 党建政务 · 援助方 上海 · 25 字",
        "",
        "page.txt  (text: pages 1, articles 2)",
        "    #1  领略科技魅力",
        "        2025-03-31 · 克拉玛依日报 · 地区 克拉玛依 · 领域 就业民生、数字科技 · 42 字",
        "    #2  训练急救技能",
        "        2025-03-27 · 克拉玛依日报 · 地区 克拉玛依 · 领域 医疗卫生 · 48 字",
        "",
        "4 articles",
    ]
    assert result.stderr == ""
