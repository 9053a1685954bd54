"""`xjsearch search`: readable results, the web API's JSON, filters and one-line errors."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from search.cli import cli, terminal_text


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_readable_results_mark_matches_in_brackets_off_a_terminal(sample_index):
    result = run("search", "网联", "--index", sample_index)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert re.fullmatch(r"1 article \(\d+ ms\)", lines[0])
    assert lines[1:] == [
        "",
        "1. 智能[网联]汽车",
        "   2025-04-02 · 克拉玛依日报 · 克拉玛依 · iov",
        "   氢能、智能[网联]、数字经济3大产业集群加快成长。Hello Wor…",
    ]


def test_a_date_known_to_the_month_or_year_is_printed_as_such(tmp_path, sample_articles):
    from dataclasses import replace

    from indexer.build import update_index

    by_id = {a.id: a for a in sample_articles}
    update_index((replace(by_id["trad"], date="2023-12-01", date_precision="month"),
                  replace(by_id["tianjin"], date="2023-01-01", date_precision="year")), tmp_path / "ix")
    lines = run("search", "援疆", "--sort", "date", "--index", tmp_path / "ix").output.splitlines()
    assert [line for line in lines if line.startswith("   2023")] == [
        "   2023-12 · 和田日报 · 和田 · trad",
        "   2023 · 和田日报 · 和田 · tianjin",
    ]
    data = json.loads(run("search", "援疆", "--sort", "date", "--json", "--index", tmp_path / "ix").output)
    assert [(h["id"], h["date"], h["date_precision"]) for h in data["hits"]] == [
        ("trad", "2023-12-01", "month"), ("tianjin", "2023-01-01", "year")]


def test_more_results_than_shown_are_counted(sample_index):
    first = run("search", "", "--limit", "2", "--index", sample_index).output.splitlines()[0]
    assert re.fullmatch(r"6 articles \(\d+ ms\), showing 2", first)


def test_json_has_the_web_api_shape(sample_index):
    data = json.loads(run("search", "援疆", "--index", sample_index, "--json", "--limit", "1").output)
    assert (data["query"], data["total"], data["page"], data["per_page"]) == ("援疆", 2, 1, 1)
    assert [h["id"] for h in data["hits"]] == ["tianjin"]
    assert data["facets"]["aid_from"] == [
        {"value": "北京", "count": 1, "selected": False},
        {"value": "天津", "count": 1, "selected": False},
    ]


def test_filters_and_sort(sample_index):
    data = json.loads(run(
        "search", "", "--region", "和田", "--region", "喀什", "--sector", "医疗卫生",
        "--from", "2023-01-01", "--to", "2023-12-31", "--sort", "date", "--json", "--index", sample_index,
    ).output)
    assert [h["id"] for h in data["hits"]] == ["tianjin", "trad"]
    assert [(v["value"], v["count"], v["selected"]) for v in data["facets"]["region"]] == [
        ("和田", 2, True), ("喀什", 0, True),
    ]


def test_aid_from_and_source_filters(sample_index):
    data = json.loads(run("search", "--aid-from", "北京", "--source", "和田日报", "--json", "--index", sample_index).output)
    assert [h["id"] for h in data["hits"]] == ["trad"]


def test_bad_query_is_one_line(sample_index):
    result = run("search", "教育)", "--index", sample_index)
    assert result.exit_code == 1
    assert result.output == "Error: 第 3 个字符“)”没有对应的左括号：删去它，或在前面补上“(”\n"


def test_bad_date_is_one_line(sample_index):
    result = run("search", "援疆", "--from", "2023-02-30", "--index", sample_index)
    assert (result.exit_code, result.output) == (
        1, "Error: 起始日期无法识别（收到：2023-02-30）：请写成 YYYY-MM-DD、YYYY-MM 或 YYYY，例如 2023-08-27\n")


def test_missing_index_names_the_next_step(tmp_path):
    result = run("search", "援疆", "--index", tmp_path / "none")
    assert result.exit_code == 1
    assert result.output == f"Error: no index at {tmp_path / 'none'} — run: xjsearch index --index {tmp_path / 'none'}\n"


def test_terminal_text_colours_marks_and_unescapes():
    assert terminal_text("a&lt;<mark>b&amp;</mark>c", colour=False) == "a<[b&]c"
    assert terminal_text("<mark>援疆</mark>", colour=True) == "\x1b[33m\x1b[1m援疆\x1b[0m"


def test_format_csv_writes_every_hit_after_a_header_row(sample_index):
    import csv
    import io

    result = run("search", "援疆", "--format", "csv", "--index", sample_index)
    assert result.exit_code == 0
    assert result.output.startswith("\ufeffid,")
    rows = list(csv.reader(io.StringIO(result.output.removeprefix("\ufeff"))))
    assert rows[0] == ["id", "title", "date", "date_precision", "source", "regions", "sectors", "aid_from",
                       "people", "orgs", "score", "snippet", "snippet_marked", "origin", "reprints"]
    scores = [h["score"] for h in json.loads(run("search", "援疆", "--json", "--index", sample_index).output)["hits"]]
    assert [float(row.pop(10)) for row in rows[1:]] == scores
    assert rows[1:] == [
        ["tianjin", "天津“组团式”援疆", "2023-12-11", "day", "和田日报", "和田", "医疗卫生|教育", "天津", "", "",
         "天津援疆医疗队在策勒县开展“组团式”帮扶，援疆干部人才扎根基层。",
         "天津【援疆】医疗队在策勒县开展“组团式”帮扶，【援疆】干部人才扎根基层。", "inline#tianjin", ""],
        ["trad", "援疆幹部在和田", "2023-12-08", "day", "和田日报", "和田", "医疗卫生", "北京", "", "",
         "北京援疆幹部深入和田地区的鄉村，開展醫療服務。  群眾稱讚…",
         "北京【援疆】幹部深入和田地区的鄉村，開展醫療服務。  群眾稱讚…", "inline#trad", ""],
    ]


def test_format_jsonl_writes_every_hit_whatever_the_default_limit(sample_index):
    result = run("search", "", "--sort", "date", "--format", "jsonl", "--index", sample_index)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["id"], r["date"], r["score"], r["regions"]) for r in rows] == [
        ("kly-word", "2025-04-03", 0.0, ["克拉玛依"]), ("iov", "2025-04-02", 0.0, ["克拉玛依"]),
        ("tianjin", "2023-12-11", 0.0, ["和田"]), ("trad", "2023-12-08", 0.0, ["和田"]),
        ("chen", "2023-08-29", 0.0, ["喀什"]), ("kly-city", "2023-07-01", 0.0, ["克拉玛依"])]
    assert rows[-1]["snippet"] == rows[-1]["snippet_marked"] == (
        "自2015年中组部确定上海对口支援克拉玛依市以来，先后有4批109名上海干部人才投身边疆。 马克思主义理论学习持续深入。")


def test_format_applies_the_filters_and_a_limit_given(sample_index):
    args = ("--region", "和田", "--region", "克拉玛依", "--from", "2023-01-01", "--to", "2023-12-31",
            "--index", sample_index)
    assert [json.loads(line)["id"] for line in run("search", *args, "--format", "jsonl").output.splitlines()] == [
        "tianjin", "trad", "kly-city"]
    limited = run("search", *args, "--format", "jsonl", "--limit", "2").output
    assert [json.loads(line)["id"] for line in limited.splitlines()] == ["tianjin", "trad"]
    csv_lines = run("search", *args, "--format", "csv", "--limit", "1").output
    assert [line.split(",")[0] for line in csv_lines.splitlines()] == ["\ufeffid", "tianjin"]


def test_format_with_a_bad_query_is_one_line_and_writes_nothing(sample_index, tmp_path):
    result = run("search", "教育)", "--format", "csv", "--index", sample_index)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", "Error: 第 3 个字符“)”没有对应的左括号：删去它，或在前面补上“(”\n")
    result = run("search", "援疆", "--format", "jsonl", "--index", tmp_path / "none")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", f"Error: no index at {tmp_path / 'none'} — run: xjsearch index --index {tmp_path / 'none'}\n")


def test_format_and_json_are_not_given_together(sample_index):
    result = run("search", "援疆", "--format", "csv", "--json", "--index", sample_index)
    assert (result.exit_code, result.output) == (
        1, "Error: --json prints one page as the web API does; --format writes every hit — give one\n")


def test_an_unknown_format_is_a_usage_error(sample_index):
    result = run("search", "援疆", "--format", "xml", "--index", sample_index)
    assert result.exit_code == 2
    assert "Invalid value for '--format': 'xml' is not one of 'jsonl', 'csv'." in result.output


def test_search_says_how_pinyin_was_read_offers_a_correction_and_filters_by_person(bundled_index):
    lines = run("search", "kelamayi", "--index", bundled_index, "--limit", "1").output.splitlines()
    assert re.fullmatch(r"9 articles \(\d+ ms\), showing 1", lines[0])
    assert lines[1] == "按拼音 kelamayi 匹配：克拉玛依"
    assert run("search", "克拉马依", "--index", bundled_index).output.splitlines()[1] == "您是不是要找：克拉玛依"
    assert json.loads(run("search", "--person", "陈吉宁", "--index", bundled_index, "--json").output)["total"] == 2


def test_an_unknown_filter_value_is_explained_in_the_terminal(sample_index):
    result = run("search", "援疆", "--index", sample_index, "--region", "泽普")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert re.fullmatch(r"0 articles \(\d+ ms\)", lines[0])
    assert lines[1:] == ["“泽普”属于地区“喀什”：请选“喀什”"]
