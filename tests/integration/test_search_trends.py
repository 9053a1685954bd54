"""Trends over a real index: counts and shares per year or month, gaps, and the articles left off the axis."""

from __future__ import annotations

import pytest

from search.errors import BadQuery
from search.model import SearchRequest
from search.trends import Series
from tests.conftest import make_article

ARTICLES = (
    make_article("a1", "喀什见闻", "上海援疆干部在喀什。", date="2021-03-05"),
    make_article("a2", "和田见闻", "北京援助和田的医院。", date="2021-07-01"),
    make_article("a3", "双援", "援疆与援助并举。", date="2023-02-10"),
    make_article("a4", "只知年份", "援疆工作总结。", date="2023-01-01", date_precision="year"),
    make_article("a5", "日期不详", "援疆老照片。", date="", date_precision="unknown"),
    make_article("a6", "别的", "城市建设。", date="2023-05-20"),
    make_article("a7", "和田", "天津援疆医疗队。", date="2024-06-01", regions=("和田",)),
)


@pytest.fixture()
def service(service_of):
    return service_of(ARTICLES)


def test_series_per_year_beside_all_articles(service):
    result = service.trends(SearchRequest(), ("援疆", "援助"), "year")
    assert (result.periods, result.totals) == (("2021", "2022", "2023", "2024"), (2, 0, 3, 1))
    assert result.series == (
        Series("援疆", (1, None, 2, 1), (0.5, None, 0.666667, 1.0), 4, 1),
        Series("援助", (1, None, 1, 0), (0.5, None, 0.333333, 0.0), 2, 0),
    )
    assert (result.undated, result.year_only) == (1, 0)


def test_by_month_a_date_known_only_to_the_year_is_left_out(service):
    result = service.trends(SearchRequest(date_from="2023-01-01", date_to="2023-12-31"), ("援疆",), "month")
    assert (result.periods, result.totals) == (("2023-02", "2023-03", "2023-04", "2023-05"), (1, 0, 0, 1))
    assert result.series == (Series("援疆", (1, None, None, 0), (1.0, None, None, 0.0), 1, 1),)
    assert (result.undated, result.year_only) == (0, 1)


def test_filters_apply_to_the_totals_too(service):
    result = service.trends(SearchRequest(regions=("和田",)), ("援疆",), "year")
    assert (result.periods, result.totals, result.series[0].counts) == (("2024",), (1,), (1,))


@pytest.mark.parametrize(
    "queries, interval, message",
    [
        ((), "year", "请给出 1 到 5 个检索词（收到 0 个）"),
        (("a", "b", "c", "d", "e", "f"), "year", "请给出 1 到 5 个检索词（收到 6 个）"),
        (("援疆",), "week", "interval 只能是 year 或 month（收到：week）"),
        (("援疆)",), "year", "第 3 个字符“)”没有对应的左括号：删去它，或在前面补上“(”"),
    ],
)
def test_bad_trends_say_what_to_change(service, queries, interval, message):
    with pytest.raises(BadQuery) as error:
        service.trends(SearchRequest(), queries, interval)
    assert str(error.value) == message
