"""Exports of a search from the API (format=csv|jsonl) and the results page's links to them."""

import csv
import io
import json
from urllib.parse import quote

import pytest
from web_html import select, text

from search.export import COLUMNS

Q = quote("援疆", safe="")

# The API's hits for q=援疆 as export rows: plain snippets, and the matches in 【】 in snippet_marked.
ROWS = [
    {"id": "tianjin", "title": "天津“组团式”援疆", "date": "2023-12-11", "date_precision": "day",
     "source": "和田日报", "regions": ["和田"], "sectors": ["医疗卫生", "教育"], "aid_from": ["天津"],
     "people": [], "orgs": [],
     "snippet": "天津援疆医疗队在策勒县开展组团式帮扶，援疆干部扎根基层。",
     "snippet_marked": "天津【援疆】医疗队在策勒县开展组团式帮扶，【援疆】干部扎根基层。",
     "origin": {"file": "tianjin.txt", "page": None, "url": None}, "reprints": []},
    {"id": "kash-edu", "title": "上海援疆教师在喀什", "date": "2023-08-27", "date_precision": "day",
     "source": "解放日报", "regions": ["喀什"], "sectors": ["教育"], "aid_from": ["上海"],
     "people": [], "orgs": [],
     "snippet": "上海援疆教师在泽普县开展送教活动。 学生们在课堂上认真学习…",
     "snippet_marked": "上海【援疆】教师在泽普县开展送教活动。 学生们在课堂上认真学习…",
     "origin": {"file": "kash.html", "page": None, "url": "https://news.example.org/kash-edu.html"}, "reprints": []},
    {"id": "escape", "title": "<script>alert(1)</script>援疆报道", "date": "2024-06-01",
     "date_precision": "month", "source": "新疆日报", "regions": ["新疆"], "sectors": ["党建政务"],
     "aid_from": [], "people": [], "orgs": [],
     "snippet": "正文含有<b>粗体</b>与&符号，援疆工作持续推进。",
     "snippet_marked": "正文含有<b>粗体</b>与&符号，【援疆】工作持续推进。",
     "origin": {"file": "epaper.pdf", "page": 2, "url": None}, "reprints": []},
    {"id": "hotan-med", "title": "北京医疗队在和田", "date": "2023-12-08", "date_precision": "day",
     "source": "和田日报", "regions": ["和田"], "sectors": ["医疗卫生"], "aid_from": ["北京"],
     "people": [], "orgs": [],
     "snippet": "北京援疆医疗队深入和田乡村，开展义诊服务。",
     "snippet_marked": "北京【援疆】医疗队深入和田乡村，开展义诊服务。",
     "origin": {"file": "hotan-med.txt", "page": None, "url": None}, "reprints": []},
]


def export(client, query, status=200):
    """The body of an export as text, after checking its status (and that a CSV starts with a BOM)."""
    response = client.get("/api/search?" + query)
    assert response.status_code == status, response.get_data(as_text=True)
    data = response.get_data()
    if response.mimetype == "text/csv":
        assert data.startswith("\ufeff".encode())
    return response, data.decode("utf-8-sig")


def jsonl_rows(body):
    return [json.loads(line) for line in body.splitlines()]


def scores(client, query):
    """The scores the JSON API gives the hits of a query, in order (every hit: up to 100)."""
    return [h["score"] for h in client.get(f"/api/search?{query}&per_page=100").get_json()["hits"]]


def test_jsonl_is_every_hit_with_the_api_fields_and_a_plain_snippet(client):
    response, body = export(client, f"q={Q}&format=jsonl")
    assert response.content_type == "application/x-ndjson; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"xjsearch-export.jsonl\"; filename*=UTF-8''xjsearch-" + Q + ".jsonl")
    assert response.headers["X-Total-Count"] == "4"
    rows = jsonl_rows(body)
    assert [list(row) for row in rows] == [list(COLUMNS)] * 4
    assert [row.pop("score") for row in rows] == scores(client, f"q={Q}")
    assert rows == ROWS
    # The same fields as the JSON API's hits, but for the snippet, which is plain text here (and the count of reprints).
    api = client.get(f"/api/search?q={Q}").get_json()["hits"]
    assert [{k: v for k, v in hit.items() if k not in ("score", "snippet", "reprint_count")} for hit in api] == [
        {k: v for k, v in row.items() if k in api[0] and k != "snippet"} for row in rows]


def test_csv_is_a_header_row_then_one_row_per_hit(client):
    response, body = export(client, f"q={Q}&format=csv")
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"xjsearch-export.csv\"; filename*=UTF-8''xjsearch-" + Q + ".csv")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["id", "title", "date", "date_precision", "source", "regions", "sectors", "aid_from",
                       "people", "orgs", "score", "snippet", "snippet_marked", "origin", "reprints"]
    assert [float(row.pop(10)) for row in rows[1:]] == scores(client, f"q={Q}")
    assert rows[1:] == [
        ["tianjin", "天津“组团式”援疆", "2023-12-11", "day", "和田日报", "和田", "医疗卫生|教育", "天津", "", "",
         ROWS[0]["snippet"], ROWS[0]["snippet_marked"], "tianjin.txt", ""],
        ["kash-edu", "上海援疆教师在喀什", "2023-08-27", "day", "解放日报", "喀什", "教育", "上海", "", "",
         ROWS[1]["snippet"], ROWS[1]["snippet_marked"], "https://news.example.org/kash-edu.html", ""],
        ["escape", "<script>alert(1)</script>援疆报道", "2024-06-01", "month", "新疆日报", "新疆", "党建政务", "",
         "", "", ROWS[2]["snippet"], ROWS[2]["snippet_marked"], "epaper.pdf#page=2", ""],
        ["hotan-med", "北京医疗队在和田", "2023-12-08", "day", "和田日报", "和田", "医疗卫生", "北京", "", "",
         ROWS[3]["snippet"], ROWS[3]["snippet_marked"], "hotan-med.txt", ""],
    ]


@pytest.mark.parametrize(
    "query, ids",
    [
        ("region=和田&region=喀什&sort=date", ["tianjin", "hotan-med", "kash-edu"]),
        ("year=2023&month=2023-12", ["tianjin", "hotan-med"]),
        ("from=2023-12-01&to=2024-12-31", ["escape", "tianjin", "hotan-med"]),
        ("source=和田日报&sector=教育", ["tianjin"]),
        (f"q={Q}&aid_from=上海", ["kash-edu"]),
        ("q=不存在的说法", []),
    ],
)
def test_exports_apply_the_filters_and_the_order(client, query, ids):
    api = client.get("/api/search?" + query).get_json()
    assert [h["id"] for h in api["hits"]] == ids
    response, body = export(client, query + "&format=jsonl")
    assert [row["id"] for row in jsonl_rows(body)] == ids
    assert response.headers["X-Total-Count"] == str(api["total"])
    _, body = export(client, query + "&format=csv")
    assert [row[0] for row in csv.reader(io.StringIO(body))] == ["id", *ids]


def test_page_and_per_page_do_not_cap_an_export(client):
    _, body = export(client, f"q={Q}&per_page=1&page=3&format=jsonl")
    assert [row["id"] for row in jsonl_rows(body)] == ["tianjin", "kash-edu", "escape", "hotan-med"]
    # Even past the last page of results.
    _, body = export(client, "page=1000&per_page=1&format=csv")
    assert len(body.splitlines()) == 1 + 6


def test_an_empty_query_exports_every_article_newest_first(client):
    response, body = export(client, "format=jsonl")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"xjsearch-all.jsonl\"; filename*=UTF-8''xjsearch-all.jsonl")
    assert [(row["id"], row["score"]) for row in jsonl_rows(body)] == [
        ("kly-aid", 0.0), ("kly-art", 0.0), ("escape", 0.0), ("tianjin", 0.0), ("hotan-med", 0.0),
        ("kash-edu", 0.0)]


def test_the_file_name_keeps_the_query_words():
    from web.downloads import export_filename

    assert export_filename('"对口支援" -交易会', "csv") == "xjsearch-对口支援_交易会.csv"
    assert export_filename("title:和田 OR 喀什", "jsonl") == "xjsearch-title_和田_OR_喀什.jsonl"
    assert export_filename("援" * 50, "csv") == "xjsearch-" + "援" * 40 + ".csv"
    assert export_filename("()", "csv") == "xjsearch-all.csv"


def test_an_export_streams(client):
    response = client.get(f"/api/search?q={Q}&format=csv")
    assert response.is_streamed
    body = iter(response.response)
    first = next(body)
    assert first.decode("utf-8").startswith("\ufeff" + ",".join(COLUMNS) + "\r\n")
    assert b"".join(body) == b""  # four rows are one chunk
    response.close()


def test_a_large_export_is_sent_in_chunks_and_holds_every_article(tmp_path):
    from indexer.build import update_index
    from web import create_app
    from web_articles import article

    articles = [article(f"a{n:04}", f"第{n}篇援疆报道", f"援疆工作第{n}项。" + "各族群众共同团结奋斗。" * 30,
                        f"2023-{n % 12 + 1:02}-01", "新疆日报", ("新疆",), ("党建政务",)) for n in range(600)]
    update_index(articles, tmp_path / "ix")
    client = create_app({"TESTING": True, "INDEX": str(tmp_path / "ix")}).test_client()
    # Texts this alike are reprints of one another: collapse=false exports each.
    for query in ("format=csv&collapse=false", f"q={Q}&format=csv&collapse=false"):
        response = client.get("/api/search?" + query)
        assert response.headers["X-Total-Count"] == "600"
        pieces = list(response.response)
        assert len(pieces) > 1  # 64K-character chunks, not one line at a time nor all at once
        rows = list(csv.reader(io.StringIO(b"".join(pieces).decode("utf-8-sig"))))
        assert rows[0] == list(COLUMNS)
        assert sorted(row[0] for row in rows[1:]) == [a.id for a in articles]
        response.close()


@pytest.mark.parametrize(
    "query, error",
    [
        ("format=xml", "format 只能是 json、jsonl、csv（收到：xml）"),
        ("format=CSV", "format 只能是 json、jsonl、csv（收到：CSV）"),
        ("format=" + "x" * 30, "format 只能是 json、jsonl、csv（收到：" + "x" * 20 + "…）"),
        ("format=csv&q=援疆)", "第 3 个字符“)”没有对应的左括号：删去它，或在前面补上“(”"),
        ("format=jsonl&from=2023-02-30", "起始日期必须是形如 2023-01-01 的日期（收到：2023-02-30）"),
        # page and per_page do not limit an export, but must still be valid.
        ("format=csv&page=0", "page 必须是 1 到 1000 之间的整数（收到：0）"),
        ("format=jsonl&page=1001", "page 必须是 1 到 1000 之间的整数（收到：1001）"),
        ("format=csv&per_page=101", "per_page 必须是 1 到 100 之间的整数（收到：101）"),
        ("format=jsonl&per_page=ten", "per_page 必须是 1 到 100 之间的整数（收到：ten）"),
    ],
)
def test_a_bad_export_is_a_400_before_anything_streams(client, query, error):
    response = client.get("/api/search?" + query)
    assert response.status_code == 400
    assert response.content_type == "application/json"
    assert response.get_json() == {"error": error, "status": 400}


def test_format_json_or_empty_is_the_one_page_answer(client):
    plain = client.get(f"/api/search?q={Q}").get_json()
    for fmt in ("json", ""):
        body = client.get(f"/api/search?q={Q}&format={fmt}").get_json()
        assert {k: v for k, v in body.items() if k != "took_ms"} == {k: v for k, v in plain.items() if k != "took_ms"}


def test_an_export_without_an_index_is_a_503(tmp_path):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX": str(tmp_path / "ix")}).test_client()
    response = client.get("/api/search?format=csv")
    assert response.status_code == 503
    assert response.get_json()["error"].endswith(f"请运行：xjsearch index --index {tmp_path / 'ix'}")


def test_the_openapi_document_declares_the_exports(client):
    doc = client.get("/api/openapi.json").get_json()
    search = doc["paths"]["/api/search"]["get"]
    fmt = next(p for p in search["parameters"] if p["name"] == "format")
    assert fmt["schema"] == {"type": "string", "enum": ["json", "jsonl", "csv", ""], "default": "json"}
    assert list(search["responses"]["200"]["content"]) == ["application/json", "text/csv", "application/x-ndjson"]


def export_links(page):
    """The (href, text) of the results page's export links."""
    block = select(page, "div", "export")
    return [(a.attrs["href"], text(a)) for a in select(block[0].inner, "a")] if block else []


def test_the_results_page_links_to_exports_of_the_same_search(client):
    page = client.get(f"/?q={Q}&region=和田&region=喀什&from=2023-01-01&sort=date&page=2").get_data(as_text=True)
    assert text(select(page, "div", "export")[0]) == "导出：CSV · JSON Lines"
    params = f"q={Q}&region={quote('和田')}&region={quote('喀什')}&from=2023-01-01&sort=date"
    assert export_links(page) == [(f"/api/search?{params}&format=csv", "CSV"),
                                  (f"/api/search?{params}&format=jsonl", "JSON Lines")]


def test_an_export_link_gives_every_hit_the_page_counts(small_pages_client):
    page = small_pages_client.get("/?region=和田&region=喀什").get_data(as_text=True)
    assert text(select(page, "p", "summary")[0]).startswith("找到 3 篇文章，第 1–2 篇")
    (csv_url, _), (jsonl_url, _) = export_links(page)
    assert [row[0] for row in csv.reader(io.StringIO(small_pages_client.get(csv_url).get_data().decode("utf-8-sig")))] == [
        "id", "tianjin", "hotan-med", "kash-edu"]
    assert [json.loads(line)["id"] for line in small_pages_client.get(jsonl_url).get_data(as_text=True).splitlines()] \
        == ["tianjin", "hotan-med", "kash-edu"]


def test_no_results_no_export_links_and_page_urls_never_carry_format(client):
    assert export_links(client.get("/?q=不存在的说法").get_data(as_text=True)) == []
    page = client.get(f"/?q={Q}&format=csv").get_data(as_text=True)
    assert client.get(f"/?q={Q}&format=csv").status_code == 200
    hrefs = [a.attrs["href"] for a in select(page, "a") if "href" in a.attrs]
    assert [h for h in hrefs if "format=" in h] == [f"/api/search?q={Q}&format=csv", f"/api/search?q={Q}&format=jsonl"]
