"""Articles whose date is unknown: last by date, outside every date range, in the 日期不详 bucket."""

from __future__ import annotations

from search.model import FacetValue, SearchRequest
from tests.conftest import make_article


def _service(service_of):
    return service_of([
        make_article("old", "旧闻", "援疆干部到莎车县。", date="2021-05-01"),
        make_article("new", "新闻", "援疆干部到泽普县。", date="2024-03-02"),
        make_article("undated", "无日期", "援疆干部到叶城县。", date=None, date_precision="unknown"),
    ])


def test_date_sort_puts_undated_articles_last(service_of) -> None:
    result = _service(service_of).search(SearchRequest(query="援疆干部", sort="date"))
    assert [(h.id, h.date, h.date_precision) for h in result.hits] == [
        ("new", "2024-03-02", "day"), ("old", "2021-05-01", "day"), ("undated", None, "unknown"),
    ]


def test_a_date_range_leaves_undated_articles_out(service_of) -> None:
    result = _service(service_of).search(SearchRequest(query="援疆干部", date_from="2000-01-01"))
    assert sorted(h.id for h in result.hits) == ["new", "old"]


def test_the_year_facet_counts_undated_articles_last_and_filters_them(service_of) -> None:
    service = _service(service_of)
    result = service.search(SearchRequest(query="援疆干部"))
    assert result.facets["year"] == (
        FacetValue("2024", 1, False), FacetValue("2021", 1, False), FacetValue("日期不详", 1, False),
    )
    chosen = service.search(SearchRequest(query="援疆干部", years=("日期不详",)))
    assert [h.id for h in chosen.hits] == ["undated"]
    assert chosen.facets["month"] == ()
