"""`xjsearch corpus inspect`: how a page splits, before it is indexed."""

import json
from pathlib import Path

from click.testing import CliRunner

from corpus.cli import corpus_group


def test_inspect_lists_each_article_with_its_metadata() -> None:
    result = CliRunner().invoke(corpus_group, ["inspect"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "004_320e0fb83e4b14c5.txt" in lines
    assert "    #7  地区水利学会成立" in lines
    assert "        2023-12-10 · 和田日报 · 地区 和田 · 领域 生态水利 · 546 字" in lines
    assert "        2023-07-01 (month) · 克拉玛依日报 · 地区 克拉玛依 · 领域 数字科技、产业经济、教育 · 援助方 上海 · 5731 字" in lines
    assert lines[-1] == "27 articles"


def test_inspect_json_and_skipped_files(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("领略科技魅力\n本报讯（通讯员 于欢）3月31日，克拉玛依科技馆开放。\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = CliRunner().invoke(corpus_group, ["inspect", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    article, skipped = [json.loads(line) for line in result.output.splitlines()]
    assert {k: article[k] for k in ("title", "regions", "sectors", "length", "origin")} == {
        "title": "领略科技魅力",
        "regions": ["克拉玛依"],
        "sectors": ["数字科技"],
        "length": len("本报讯（通讯员于欢）3月31日，克拉玛依科技馆开放。"),
        "origin": "page.txt#1",
    }
    assert "text" not in article
    assert skipped == {"skipped": {"path": str(tmp_path / "empty.txt"), "reason": "empty file", "line": None}}


def test_inspect_a_missing_path_fails_with_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(corpus_group, ["inspect", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output == f"Error: no corpus at {tmp_path / 'nope'} — give a directory of .txt pages or a .jsonl file\n"


def test_inspect_reports_each_skipped_file_once_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"title": "甲", "text": "克拉玛依。"}\n{not json\n', encoding="utf-8")
    result = CliRunner().invoke(corpus_group, ["inspect", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == ["", "bad.jsonl", "    :1  甲"]
    assert result.stdout.endswith("\n1 articles\n")
    assert result.stderr.splitlines() == [
        f"skipped {tmp_path / 'bad.jsonl'}:2: malformed JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        f"skipped {tmp_path / 'empty.txt'}: empty file",
    ]
