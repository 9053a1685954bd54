"""The trends page and /api/trends: series as JSON and CSV, the chart and table, 400s."""

from __future__ import annotations

import csv
import io

import pytest

from web_html import select, text

Q = "q=%E6%8F%B4%E7%96%86&q=%E5%85%8B%E6%8B%89%E7%8E%9B%E4%BE%9D"  # q=援疆&q=克拉玛依


def test_the_api_gives_the_series(client):
    data = client.get(f"/api/trends?{Q}").get_json()
    assert data.pop("took_ms") >= 0
    assert data == {
        "queries": ["援疆", "克拉玛依"], "interval": "year", "periods": ["2023", "2024", "2025"], "totals": [3, 1, 2],
        "series": [
            {"query": "援疆", "counts": [3, 1, 0], "shares": [1.0, 1.0, 0.0], "total": 4, "left_out": 0},
            {"query": "克拉玛依", "counts": [0, 0, 2], "shares": [0.0, 0.0, 1.0], "total": 2, "left_out": 0},
        ],
        "undated": 0, "year_only": 0,
    }


def test_by_month_a_period_without_articles_is_null(client):
    data = client.get(f"/api/trends?{Q}&interval=month&from=2023-08-01&to=2023-12-31").get_json()
    assert data["periods"] == ["2023-08", "2023-09", "2023-10", "2023-11", "2023-12"]
    assert data["series"][0]["counts"] == [1, None, None, None, 2]


def test_the_csv_is_a_period_a_row(client):
    response = client.get(f"/api/trends?{Q}&format=csv")
    assert response.content_type == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows == [["period", "articles", "援疆", "援疆 share", "克拉玛依", "克拉玛依 share"],
                    ["2023", "3", "3", "1.0", "0", "0.0"], ["2024", "1", "1", "1.0", "0", "0.0"],
                    ["2025", "2", "0", "0.0", "2", "1.0"]]


@pytest.mark.parametrize(
    "query, error",
    [
        ("", "请给出 1 到 5 个检索词（收到 0 个）"),
        ("q=a&q=b&q=c&q=d&q=e&q=f", "最多比较 5 个检索词（收到 6 个）"),
        (f"{Q}&interval=day", "interval 只能是 year 或 month（收到：day）"),
        (f"{Q}&format=jsonl", "format 只能是 json 或 csv（收到：jsonl）"),
    ],
)
def test_bad_trends_are_a_400(client, query, error):
    response = client.get("/api/trends?" + query)
    assert (response.status_code, response.get_json()) == (400, {"error": error, "status": 400})


def test_the_page_draws_the_chart_and_the_table(client):
    response = client.get(f"/trends?{Q}&interval=month&from=2023-08-01&to=2023-12-31")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert len(select(page, "svg", role="img")) == 1
    assert [text(t) for t in select(page, "title") if "没有文章" in text(t)] == [
        "2023-09：没有文章", "2023-10：没有文章", "2023-11：没有文章"]
    rows = [[text(cell) for cell in row.children] for row in select(page, "tr")[1:]]
    assert rows == [["2023-08", "1", "1（100.0%）", "0（0.0%）"], ["2023-09", "无文章", "—", "—"],
                    ["2023-10", "无文章", "—", "—"], ["2023-11", "无文章", "—", "—"],
                    ["2023-12", "2", "2（100.0%）", "0（0.0%）"]]
    assert [a.attrs["href"] for a in select(page, "a") if a.attrs.get("type") == "text/csv"] == [
        f"/api/trends?{Q}&from=2023-08-01&to=2023-12-31&interval=month&format=csv"]
