"""The concordance page and /api/concordance: lines with their articles, sorted, paged, exported, 400s."""

from __future__ import annotations

import csv
import io

import pytest

from web_html import select, text

Q = "%E6%8F%B4%E7%96%86"  # 援疆


def test_the_api_gives_one_page_of_lines(client):
    response = client.get(f"/api/concordance?q={Q}&width=3&per_page=2&page=2")
    data = response.get_json()
    assert data.pop("took_ms") >= 0
    assert data == {
        "query": "援疆", "width": 3, "sort": "date", "total": 5, "articles": 4, "matched": 4, "truncated": False,
        "page": 2, "per_page": 2,
        "lines": [
            {"id": "tianjin", "title": "天津“组团式”援疆", "date": "2023-12-11", "date_precision": "day",
             "source": "和田日报", "left": "天津", "match": "援疆", "right": "医疗队", "position": 2},
            {"id": "tianjin", "title": "天津“组团式”援疆", "date": "2023-12-11", "date_precision": "day",
             "source": "和田日报", "left": "帮扶，", "match": "援疆", "right": "干部扎", "position": 19},
        ],
    }


def test_an_export_is_every_line_as_csv(client):
    response = client.get(f"/api/concordance?q={Q}&width=2&sort=right&format=csv&region=和田")
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"xjsearch-export.csv\"; filename*=UTF-8''xjsearch-concordance-" + Q + ".csv")
    assert response.headers["X-Total-Count"] == "2"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    # Equal right contexts: the older article first.
    assert [row[0] for row in rows] == ["id", "hotan-med", "tianjin", "tianjin"]
    assert [row[5:8] for row in rows[1:]] == [["北京", "援疆", "医疗"], ["天津", "援疆", "医疗"], ["扶，", "援疆", "干部"]]


@pytest.mark.parametrize(
    "query, error",
    [
        ("q=", "请输入要查看上下文的词，例如：援疆"),
        (f"q={Q}&width=101", "width 必须是 1 到 100 之间的整数（收到：101）"),
        (f"q={Q}&sort=relevance", "sort 只能是 date、left、right（收到：relevance）"),
        (f"q={Q}&format=xml", "format 只能是 json、jsonl、csv（收到：xml）"),
        (f"q={Q}&format=csv&from=2023-02-30", "起始日期必须是形如 2023-01-01 的日期（收到：2023-02-30）"),
    ],
)
def test_a_bad_concordance_is_a_400(client, query, error):
    response = client.get("/api/concordance?" + query)
    assert (response.status_code, response.get_json()) == (400, {"error": error, "status": 400})


def test_the_page_shows_the_lines_aligned_with_their_articles(client):
    response = client.get(f"/concordance?q={Q}&width=3&sort=left")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    rows = [[text(cell) for cell in row.children] for row in select(page, "tr")[1:]]
    # Read backwards the left contexts begin 京, 津, 海, 号 and ， (code point order), each with its article.
    assert rows == [
        ["北京", "援疆", "医疗队", "2023-12-08", "和田日报", "北京医疗队在和田"],
        ["天津", "援疆", "医疗队", "2023-12-11", "和田日报", "天津“组团式”援疆"],
        ["上海", "援疆", "教师在", "2023-08-27", "解放日报", "上海援疆教师在喀什"],
        ["符号，", "援疆", "工作持", "2024-06", "新疆日报", "<script>alert(1)</script>援疆报道"],
        ["帮扶，", "援疆", "干部扎", "2023-12-11", "和田日报", "天津“组团式”援疆"],
    ]
    assert text(select(page, "p", "summary")[0]) == "5 处，出自 4 篇文章，第 1–5 处"
    assert select(page, "option", selected="")[0].attrs["value"] == "left"
    links = [a.attrs["href"] for a in select(page, "a") if a.attrs.get("href", "").startswith("/articles/")]
    assert links[0] == f"/articles/hotan-med?q={Q}"


def test_the_page_explains_a_bad_parameter(client):
    response = client.get(f"/concordance?q={Q}&width=abc")
    assert response.status_code == 400
    assert "width 必须是 1 到 100 之间的整数（收到：abc）" in response.get_data(as_text=True)
