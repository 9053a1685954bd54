"""Keyword in context over a real index: every occurrence in the matching articles, sorted, paged, exported."""

from __future__ import annotations

import json

import pytest

from search.errors import BadQuery
from search.model import SearchRequest
from tests.integration.test_cli_search import run

# Every 援疆 in the texts of the sample articles, oldest article first: (id, left, match, right).
LINES = [
    ("trad", "北京", "援疆", "幹部深入"),
    ("tianjin", "天津", "援疆", "医疗队在"),
    ("tianjin", "”帮扶，", "援疆", "干部人才"),
]


def _lines(result):
    return [(x.id, x.left, x.match, x.right) for x in result.lines]


def test_every_occurrence_is_a_line_oldest_article_first(sample_service):
    result = sample_service.concordance(SearchRequest(query="援疆"), width=4)
    assert _lines(result) == LINES
    assert (result.total, result.articles, result.matched, result.truncated) == (3, 2, 2, False)
    trad = result.lines[0]
    assert (trad.title, trad.date, trad.source, trad.position) == ("援疆幹部在和田", "2023-12-08", "和田日报", 2)


def test_lines_sort_by_context_and_page(sample_service):
    by_left = sample_service.concordance(SearchRequest(query="援疆"), width=4, sort="left")
    assert _lines(by_left) == LINES
    by_right = sample_service.concordance(SearchRequest(query="援疆", per_page=2, page=1), width=4, sort="right")
    assert _lines(by_right) == [LINES[1], LINES[2]]
    second = sample_service.concordance(SearchRequest(query="援疆", per_page=2, page=2), width=4, sort="right")
    assert (_lines(second), second.total) == ([LINES[0]], 3)


def test_filters_and_proximity_apply(sample_service):
    result = sample_service.concordance(SearchRequest(query='"援疆 人才"~2', date_from="2023-12-10"), width=2)
    assert _lines(result) == [("tianjin", "扶，", "援疆干部人才", "扎根")]


def test_an_export_has_every_line(sample_service):
    matched, lines = sample_service.iter_concordance(SearchRequest(query="援疆"), width=4, sort="right")
    assert (matched, [(x.id, x.left, x.match, x.right) for x in lines]) == (2, [LINES[1], LINES[2], LINES[0]])


@pytest.mark.parametrize(
    "request_, width, sort, message",
    [
        (SearchRequest(query=""), 20, "date", "请输入要查看上下文的词，例如：援疆"),
        (SearchRequest(query="援疆"), 0, "date", "width 必须是 1 到 100 之间的整数（收到：0）"),
        (SearchRequest(query="援疆"), 20, "relevance", "sort 只能是 date、left、right（收到：relevance）"),
    ],
)
def test_a_bad_concordance_says_what_to_change(sample_service, request_, width, sort, message):
    with pytest.raises(BadQuery) as error:
        sample_service.concordance(request_, width, sort)
    assert str(error.value) == message


def test_the_command_prints_aligned_lines_and_exports(sample_index):
    result = run("concordance", "援疆", "--width", "4", "--index", sample_index)
    assert result.exit_code == 0
    assert result.output.splitlines()[1:] == [
        "\u3000\u3000北京[援疆]幹部深入  2023-12-08 · 和田日报 · trad",
        "\u3000\u3000天津[援疆]医疗队在  2023-12-11 · 和田日报 · tianjin",
        "”帮扶，[援疆]干部人才  2023-12-11 · 和田日报 · tianjin",
    ]
    exported = run("concordance", "援疆", "--width", "4", "--sort", "right", "--format", "jsonl", "--index", sample_index)
    rows = [json.loads(line) for line in exported.output.splitlines()]
    assert [(r["id"], r["left"], r["right"], r["position"]) for r in rows] == [
        ("tianjin", "天津", "医疗队在", 2), ("tianjin", "”帮扶，", "干部人才", 21), ("trad", "北京", "幹部深入", 2)]
    bad = run("concordance", "援疆)", "--index", sample_index)
    assert (bad.exit_code, bad.output.strip()) == (1, "Error: 第 3 个字符“)”没有对应的左括号：删去它，或在前面补上“(”")


def test_an_undated_article_comes_last_without_a_date(service_of):
    from tests.conftest import make_article

    service = service_of([make_article("old", "旧照", "援疆老照片。", date="", date_precision="unknown"),
                          make_article("new", "新闻", "援疆干部到岗。", date="2024-03-01")])
    for sort in ("date", "right"):
        lines = service.concordance(SearchRequest(query="援疆"), width=2, sort=sort).lines
        assert [(x.id, x.date, x.date_precision) for x in lines] == [("new", "2024-03-01", "day"),
                                                                    ("old", None, "unknown")]
