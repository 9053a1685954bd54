"""Exports of a search over the bundled corpus: one row per hit, the same hits as every page of results."""

import csv
import io
import json
from dataclasses import replace

import pytest

from search.errors import BadQuery
from search.export import COLUMNS, export_lines, hit_row
from search.model import SearchRequest

QUERIES = [
    SearchRequest(),  # every article: three pages of ten
    SearchRequest(query="新疆"),
    SearchRequest(query="援疆"),
    SearchRequest(query="援疆", sort="date"),
    SearchRequest(query='"对口支援" OR 医疗', regions=("和田", "喀什")),
    SearchRequest(query="教育", date_from="2023-12-01", date_to="2023-12-31"),
    SearchRequest(sectors=("医疗卫生",)),
    SearchRequest(query="不存在的说法"),
]


def every_page(service, request):
    """The hits of every page of a search, read ten at a time, and its total."""
    hits, page = [], 1
    while True:
        result = service.search(replace(request, page=page, per_page=10))
        hits.extend(result.hits)
        if len(hits) >= result.total or not result.hits:
            return hits, result.total
        page += 1


@pytest.mark.parametrize("request_", QUERIES, ids=lambda r: f"{r.query}|{r.regions}|{r.sectors}|{r.sort}")
def test_an_export_is_every_page_of_hits_one_row_each(bundled_service, request_):
    hits, total = every_page(bundled_service, request_)
    count, exported = bundled_service.iter_hits(request_)
    rows = [json.loads(line) for line in export_lines(exported, "jsonl")]
    assert (count, len(rows)) == (total, total)
    assert rows == [hit_row(hit) for hit in hits]


def test_an_empty_query_exports_every_article(bundled_service):
    articles = bundled_service.stats().articles
    count, hits = bundled_service.iter_hits(SearchRequest())
    rows = list(csv.reader(io.StringIO("".join(export_lines(hits, "csv")).removeprefix("\ufeff"))))
    assert count == articles == 27
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 1 + articles and len({row[0] for row in rows[1:]}) == articles


def test_an_export_holds_as_many_rows_as_the_api_counts(bundled_index):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX": str(bundled_index)}).test_client()
    for query in ("q=援疆", "q=克拉玛依&sort=date", "region=和田", "q=上海 OR 天津&year=2023", ""):
        total = client.get("/api/search?" + query).get_json()["total"]
        assert total > 0, query
        lines = client.get(f"/api/search?{query}&format=jsonl").get_data(as_text=True).splitlines()
        assert len(lines) == total, query
        rows = list(csv.reader(io.StringIO(client.get(f"/api/search?{query}&format=csv").get_data().decode("utf-8-sig"))))
        assert len(rows) == 1 + total, query


def test_a_bad_query_raises_before_any_row(bundled_service):
    with pytest.raises(BadQuery, match="没有对应的左括号"):
        bundled_service.iter_hits(SearchRequest(query="援疆)"))
