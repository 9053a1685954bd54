"""The JSON API over the inline test index: exact answers and every error path."""

import json
import os

import pytest


def without_timing(body):
    """A search answer with took_ms and scores (which vary) taken out and checked for type."""
    assert isinstance(body.pop("took_ms"), float)
    for hit in body["hits"]:
        assert isinstance(hit.pop("score"), float)
    return body


def test_search(client):
    response = client.get("/api/search?q=援疆")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    assert without_timing(response.get_json()) == {
        "query": "援疆",
        "total": 4,
        "page": 1,
        "per_page": 10,
        "hits": [
            {"id": "tianjin", "title": "天津“组团式”援疆", "date": "2023-12-11", "date_precision": "day",
             "source": "和田日报", "regions": ["和田"], "sectors": ["医疗卫生", "教育"], "aid_from": ["天津"], "people": [], "orgs": [],
             "snippet": "天津<mark>援疆</mark>医疗队在策勒县开展组团式帮扶，<mark>援疆</mark>干部扎根基层。",
             "origin": {"file": "tianjin.txt", "page": None, "url": None}, "reprints": [], "reprint_count": 0},
            {"id": "kash-edu", "title": "上海援疆教师在喀什", "date": "2023-08-27", "date_precision": "day",
             "source": "解放日报", "regions": ["喀什"], "sectors": ["教育"], "aid_from": ["上海"], "people": [], "orgs": [],
             "snippet": "上海<mark>援疆</mark>教师在泽普县开展送教活动。 学生们在课堂上认真学习…",
             "origin": {"file": "kash.html", "page": None, "url": "https://news.example.org/kash-edu.html"}, "reprints": [], "reprint_count": 0},
            {"id": "escape", "title": "<script>alert(1)</script>援疆报道", "date": "2024-06-01",
             "date_precision": "month", "source": "新疆日报", "regions": ["新疆"], "sectors": ["党建政务"], "aid_from": [], "people": [], "orgs": [],
             "snippet": "正文含有&lt;b&gt;粗体&lt;/b&gt;与&amp;符号，<mark>援疆</mark>工作持续推进。",
             "origin": {"file": "epaper.pdf", "page": 2, "url": None}, "reprints": [], "reprint_count": 0},
            {"id": "hotan-med", "title": "北京医疗队在和田", "date": "2023-12-08", "date_precision": "day",
             "source": "和田日报", "regions": ["和田"], "sectors": ["医疗卫生"], "aid_from": ["北京"], "people": [], "orgs": [],
             "snippet": "北京<mark>援疆</mark>医疗队深入和田乡村，开展义诊服务。",
             "origin": {"file": "hotan-med.txt", "page": None, "url": None}, "reprints": [], "reprint_count": 0},
        ],
        "facets": {
            "region": [{"value": "和田", "count": 2, "selected": False},
                       {"value": "喀什", "count": 1, "selected": False},
                       {"value": "新疆", "count": 1, "selected": False}],
            "sector": [{"value": "医疗卫生", "count": 2, "selected": False},
                       {"value": "教育", "count": 2, "selected": False},
                       {"value": "党建政务", "count": 1, "selected": False}],
            "aid_from": [{"value": "上海", "count": 1, "selected": False},
                         {"value": "北京", "count": 1, "selected": False},
                         {"value": "天津", "count": 1, "selected": False}],
            "source": [{"value": "和田日报", "count": 2, "selected": False},
                       {"value": "新疆日报", "count": 1, "selected": False},
                       {"value": "解放日报", "count": 1, "selected": False}],
            "year": [{"value": "2024", "count": 1, "selected": False},
                     {"value": "2023", "count": 3, "selected": False}],
            "month": [],
            "person": [],
            "org": [],
        },
        "did_you_mean": None,
        "explanations": [],
        "notices": [],
        "articles": 4,
        "collapse": True,
    }


def test_search_filters_multi_select_sort_and_pages(client):
    body = client.get("/api/search?region=和田&region=喀什&sort=date&per_page=2&page=2").get_json()
    assert (body["query"], body["total"], body["page"], body["per_page"]) == ("", 3, 2, 2)
    assert [hit["id"] for hit in body["hits"]] == ["kash-edu"]
    assert body["facets"]["region"] == [
        {"value": "克拉玛依", "count": 2, "selected": False},
        {"value": "和田", "count": 2, "selected": True},
        {"value": "喀什", "count": 1, "selected": True},
        {"value": "新疆", "count": 1, "selected": False},
    ]


@pytest.mark.parametrize(
    "query, ids",
    [
        ("from=2023-12-01&to=2024-12-31", ["escape", "tianjin", "hotan-med"]),
        ("year=2025", ["kly-aid", "kly-art"]),
        ("year=2023&month=2023-12", ["tianjin", "hotan-med"]),
        ("aid_from=上海", ["kly-aid", "kash-edu"]),
        ("source=和田日报&sector=教育", ["tianjin"]),
        ("q=援疆&sort=date", ["escape", "tianjin", "hotan-med", "kash-edu"]),
        ("q=不存在的说法", []),
    ],
)
def test_search_ids(client, query, ids):
    assert [hit["id"] for hit in client.get("/api/search?" + query).get_json()["hits"]] == ids


def test_month_facet_within_a_year(client):
    body = client.get("/api/search?year=2023").get_json()
    assert body["facets"]["month"] == [
        {"value": "2023-08", "count": 1, "selected": False},
        {"value": "2023-12", "count": 2, "selected": False},
    ]


def test_article(client):
    response = client.get("/api/articles/kash-edu?q=援疆")
    assert response.status_code == 200
    assert response.get_json() == {
        "id": "kash-edu",
        "title": "上海援疆教师在喀什",
        "date": "2023-08-27",
        "date_precision": "day",
        "source": "解放日报",
        "regions": ["喀什"],
        "sectors": ["教育"],
        "aid_from": ["上海"],
        "text": "上海援疆教师在泽普县开展送教活动。\n学生们在课堂上认真学习。",
        "html": "<p>上海<mark>援疆</mark>教师在泽普县开展送教活动。</p><p>学生们在课堂上认真学习。</p>",
        "matches": 1,
        "related": [
            {"id": "kly-aid", "title": "上海对口支援克拉玛依", "date": "2025-04-02", "date_precision": "day"},
            {"id": "tianjin", "title": "天津“组团式”援疆", "date": "2023-12-11", "date_precision": "day"},
            {"id": "hotan-med", "title": "北京医疗队在和田", "date": "2023-12-08", "date_precision": "day"},
            {"id": "escape", "title": "<script>alert(1)</script>援疆报道", "date": "2024-06-01",
             "date_precision": "month"},
        ],
        "people": [],
        "orgs": [],
        # tf-idf over the index: 教师 is in the title and the text, so it weighs most.
        "key_terms": ["教师", "上海", "喀什", "援疆", "泽普县", "送教", "学生", "课堂"],  # 活动: a stop word
        "origin": {"file": "kash.html", "page": None, "url": "https://news.example.org/kash-edu.html"},
    }


def test_article_reads_only_q(client):
    # Search parameters a client carries along do not make the article an error.
    response = client.get("/api/articles/kash-edu?q=援疆&page=0&per_page=500&sort=x")
    assert response.status_code == 200
    assert (response.get_json()["id"], response.get_json()["matches"]) == ("kash-edu", 1)


def test_article_html_is_escaped(client):
    body = client.get("/api/articles/escape").get_json()
    assert body["html"] == "<p>正文含有&lt;b&gt;粗体&lt;/b&gt;与&amp;符号，援疆工作持续推进。</p>"
    assert body["matches"] == 0


def test_stats(client):
    body = client.get("/api/stats").get_json()
    assert isinstance(body.pop("size_bytes"), int)
    assert isinstance(body.pop("built_at"), str)
    assert isinstance(body.pop("build_seconds"), float)
    assert body == {
        "articles": 6,
        "generation": 1,
        "date_min": "2023-08-27",
        "date_max": "2025-04-02",
        "facets": {
            "region": [{"value": "克拉玛依", "count": 2}, {"value": "和田", "count": 2},
                       {"value": "喀什", "count": 1}, {"value": "新疆", "count": 1}],
            "sector": [{"value": "医疗卫生", "count": 2}, {"value": "教育", "count": 2},
                       {"value": "产业经济", "count": 1}, {"value": "党建政务", "count": 1},
                       {"value": "文化旅游", "count": 1}],
            "aid_from": [{"value": "上海", "count": 2}, {"value": "北京", "count": 1},
                         {"value": "天津", "count": 1}],
            "source": [{"value": "克拉玛依日报", "count": 2}, {"value": "和田日报", "count": 2},
                       {"value": "新疆日报", "count": 1}, {"value": "解放日报", "count": 1}],
            "year": [{"value": "2023", "count": 3}, {"value": "2025", "count": 2},
                     {"value": "2024", "count": 1}],
        },
    }


def test_health(client):
    response = client.get("/api/health")
    assert (response.status_code, response.get_json()) == (
        200, {"status": "ok", "articles": 6, "generation": 1, "worker": os.getpid()})


@pytest.mark.parametrize(
    "path, status, error",
    [
        ("/api/search?page=0", 400, "page 必须是 1 到 1000 之间的整数（收到：0）"),
        ("/api/search?page=x", 400, "page 必须是 1 到 1000 之间的整数（收到：x）"),
        ("/api/search?per_page=0", 400, "per_page 必须是 1 到 100 之间的整数（收到：0）"),
        ("/api/search?per_page=101", 400, "per_page 必须是 1 到 100 之间的整数（收到：101）"),
        ("/api/search?from=2023-02-30", 400, "起始日期必须是形如 2023-01-01 的日期（收到：2023-02-30）"),
        ("/api/search?to=soon", 400, "结束日期必须是形如 2023-01-01 的日期（收到：soon）"),
        ("/api/search?from=2024-01-02&to=2024-01-01", 400, "起始日期 2024-01-02 晚于结束日期 2024-01-01"),
        ("/api/search?sort=popular", 400, "sort 只能是 relevance 或 date（收到：popular）"),
        ("/api/search?year=twenty", 400, "year 必须是 YYYY 格式（收到：twenty）"),
        ("/api/search?month=2023-1", 400, "month 必须是 YYYY-MM 格式（收到：2023-1）"),
        ("/api/search?q=" + "援" * 501, 400, "搜索词太长：最多 500 个字符，收到 501 个"),
        ("/api/search?q=OR", 400, "OR 的前后都要有搜索词，例如：教育 OR 医疗"),
        ("/api/search?q=援疆)", 400, "第 3 个字符“)”没有对应的左括号：删去它，或在前面补上“(”"),
        ("/api/search?q=%22%22", 400, "没有可以检索的内容：搜索词里要有汉字、字母或数字"),
        ("/api/articles/nope", 404, "没有编号为 nope 的文章"),
        ("/api/articles/" + "x" * 201, 404, "没有编号为 " + "x" * 200 + " 的文章"),
        ("/api/articles/kash-edu?q=" + "援" * 501, 400, "搜索词太长：最多 500 个字符，收到 501 个"),
        ("/api/nothing", 404, "没有这个页面"),
        ("/api", 404, "没有这个页面"),
    ],
)
def test_errors(client, path, status, error):
    response = client.get(path)
    assert response.status_code == status
    assert response.get_json() == {"error": error, "status": status}


def _outdated(index_dir):
    """Make index_dir's live generation look built by another analysis version."""
    from indexer import store

    meta_path = index_dir / store.generation_name(store.read_current(index_dir)) / store.META
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "analysis_version": -1}), encoding="utf-8")


def _corrupt(index_dir):
    """Make index_dir's live generation unreadable."""
    from indexer import store

    (index_dir / store.generation_name(store.read_current(index_dir)) / store.META).write_text("{", encoding="utf-8")


@pytest.mark.parametrize(
    "spoil, explanation, command",
    [
        (None, "{ix} 还没有索引，需要先从语料建立索引。", "xjsearch index --index {ix}"),
        (_outdated, "{ix} 的索引是用另一版本的 xjsearch 建立的，本版本无法读取，需要重建索引。",
         "xjsearch index --rebuild --index {ix}"),
        (_corrupt, "{ix} 的索引文件已损坏或不完整，无法读取，需要重建索引。", "xjsearch index --rebuild --index {ix}"),
    ],
)
def test_an_unusable_index_is_503_explained_in_chinese_with_the_command(tmp_path, spoil, explanation, command):
    from indexer.build import update_index
    from web import create_app
    from web_articles import WEB_ARTICLES
    from web_html import select, text

    ix = tmp_path / "index"
    if spoil is not None:
        update_index(WEB_ARTICLES[:1], ix)
        spoil(ix)
    explanation, command = explanation.format(ix=ix), command.format(ix=ix)
    client = create_app({"TESTING": True, "INDEX": str(ix)}).test_client()
    for path in ("/api/search?q=援疆", "/api/stats", "/api/health", "/api/articles/kash-edu"):
        response = client.get(path)
        assert (response.status_code, response.get_json()) == (
            503, {"error": f"{explanation}请运行：{command}", "status": 503})
    for path in ("/", "/?q=援疆", "/articles/kash-edu"):
        page = client.get(path)
        assert page.status_code == 503
        html = page.get_data(as_text=True)
        assert text(select(html, "h1")[0]) == "503 暂时无法检索"
        assert [text(e) for e in select(html, "p", "error")] == [explanation]
        assert [e.inner for e in select(html, "p", "command")] == [f"在终端运行：<code>{command}</code>"]


def test_an_index_being_rebuilt_asks_to_wait(tmp_path):
    from indexer.errors import IndexLocked
    from web.errors import index_problem

    assert index_problem(IndexLocked(tmp_path)) == (f"索引 {tmp_path} 正在重建，请等重建完成后刷新本页。", None)


def test_openapi_document_names_every_route(client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"] == "3.0.3"
    assert sorted(doc["paths"]) == ["/api/articles/{article_id}", "/api/concordance", "/api/health", "/api/search",
                                    "/api/stats", "/api/suggest", "/api/trends", "/feed"]
    params = {p["name"]: p["schema"] for p in doc["paths"]["/api/search"]["get"]["parameters"]}
    assert list(params)[:12] == ["q", "region", "sector", "aid_from", "source", "year", "month", "person", "org",
                                 "from", "to", "sort"]
    assert params["per_page"] == {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
                                            {"type": "string", "maxLength": 0}]}
    assert doc["components"]["schemas"]["Error"]["required"] == ["error", "status"]
    schemas = doc["components"]["schemas"]
    assert schemas["Hit"]["required"] == ["id", "title", "date", "date_precision", "source", "regions", "sectors",
                                          "aid_from", "score", "snippet"]
    related = schemas["Article"]["properties"]["related"]["items"]
    assert related["required"] == ["id", "title", "date", "date_precision"]
    for precision in (schemas["Hit"]["properties"]["date_precision"], related["properties"]["date_precision"]):
        assert precision["enum"] == ["day", "month", "year", "unknown"]


def test_openapi_document_states_the_limits_of_a_query(client):
    doc = client.get("/api/openapi.json").get_json()
    no_control = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    q = doc["paths"]["/api/search"]["get"]["parameters"][0]
    assert q["schema"] == {"type": "string", "maxLength": 500, "pattern": no_control}
    assert q["description"] == (
        'Query: words (all must match), "phrases", OR, NOT or -word, (groups), title:word. Empty browses '
        "everything, newest first. At most 500 characters; brackets nested at most 16 deep; at most 32 words or "
        "phrases, negated ones included; at most 10,000,000 positions and postings read from the index (counted "
        "before the query runs: a single common character reads millions in a large archive); something "
        "searchable (a letter, digit or CJK character: a query of only punctuation, brackets or quotes is "
        "refused); no control characters (tab, LF and CR count as spaces). A query beyond these is a 400 "
        "whose error says what to change.")
    # Every free-text parameter refuses control characters, as the server does.
    region = doc["paths"]["/api/search"]["get"]["parameters"][1]["schema"]["items"]
    assert region == {"type": "string", "maxLength": 100, "pattern": no_control}
    suggest = doc["paths"]["/api/suggest"]["get"]["parameters"][0]["schema"]
    assert suggest == {"type": "string", "maxLength": 500, "pattern": no_control}
    article_id = doc["paths"]["/api/articles/{article_id}"]["get"]["parameters"][0]["schema"]
    assert article_id == {"type": "string", "pattern": no_control}


@pytest.mark.parametrize("query, error", [
    ("援" * 501, "搜索词太长：最多 500 个字符，收到 501 个"),
    ("(" * 17 + "援疆" + ")" * 17, "括号最多嵌套 16 层：请去掉多余的括号"),
    ("“”（）!!", "没有可以检索的内容：搜索词里要有汉字、字母或数字"),
])
def test_each_stated_limit_of_a_query_is_a_400(client, query, error):
    response = client.get("/api/search", query_string={"q": query})
    assert (response.status_code, response.get_json()) == (400, {"error": error, "status": 400})


def test_a_running_app_sees_a_new_index_generation(tmp_path):
    from indexer.build import update_index
    from web import create_app
    from web_articles import WEB_ARTICLES

    index_dir = tmp_path / "index"
    update_index(WEB_ARTICLES[:2], index_dir)
    client = create_app({"TESTING": True, "INDEX": str(index_dir)}).test_client()
    assert client.get("/api/health").get_json() == {"status": "ok", "articles": 2, "generation": 1, "worker": os.getpid()}
    assert client.get("/api/articles/tianjin").status_code == 404
    update_index(WEB_ARTICLES[:3], index_dir)
    assert client.get("/api/health").get_json() == {"status": "ok", "articles": 3, "generation": 2, "worker": os.getpid()}
    assert client.get("/api/articles/tianjin").get_json()["title"] == "天津“组团式”援疆"


def test_an_unknown_filter_value_gets_a_notice(client):
    body = client.get("/api/search?q=援疆&region=莎车县").get_json()
    assert (body["total"], body["notices"]) == (0, ["“莎车县”属于地区“喀什”：请选“喀什”"])


def test_the_page_shows_the_notice(client):
    page = client.get("/?q=援疆&aid_from=无锡").get_data(as_text=True)
    assert '<p class="notice" role="note">“无锡”属于援助方“江苏”：请选“江苏”</p>' in page
