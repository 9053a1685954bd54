"""The fixed error shape and the error boundary, tested on their own (no index needed)."""

import pytest

from web import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY, create_app


@pytest.fixture()
def bare_client(tmp_path):
    """A client of an app whose index directory is empty."""
    return create_app({"TESTING": True, "INDEX": str(tmp_path / "no-index")}).test_client()


@pytest.mark.parametrize(
    "path, status, error",
    [
        ("/api/nowhere", 404, "没有这个页面"),
        ("/api/search?page=0", 400, "page 必须是 1 到 1000 之间的整数（收到：0）"),
        ("/api/search?per_page=500", 400, "per_page 必须是 1 到 100 之间的整数（收到：500）"),
        ("/api/search?from=yesterday", 400, "起始日期必须是形如 2023-01-01 的日期（收到：yesterday）"),
        ("/api/search?sort=random", 400, "sort 只能是 relevance 或 date（收到：random）"),
        ("/api/articles/x?q=" + "长" * 501, 400, "搜索词太长：最多 500 个字符，收到 501 个"),
    ],
)
def test_api_errors_have_exactly_error_and_status(bare_client, path, status, error):
    response = bare_client.get(path)
    assert response.status_code == status
    assert response.content_type == "application/json"
    assert response.get_json() == {"error": error, "status": status}


def test_wrong_method_is_405_json(bare_client):
    for path in ("/api/search", "/api/articles/x", "/api/suggest", "/api/health"):
        response = bare_client.post(path)
        assert response.status_code == 405
        assert response.get_json() == {"error": "不支持 POST 请求", "status": 405}
        assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert bare_client.delete("/api/stats").get_json() == {"error": "不支持 DELETE 请求", "status": 405}


def test_wrong_method_on_a_page_is_a_405_page(bare_client):
    response = bare_client.post("/")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    html = response.get_data(as_text=True)
    assert "<h1 class=\"error-title\">405 不支持的请求方法</h1>" in html
    assert '<p class="notice error" role="alert">不支持 POST 请求</p>' in html


def test_html_errors_are_pages(bare_client):
    response = bare_client.get("/nowhere")
    assert response.status_code == 404
    assert response.content_type == "text/html; charset=utf-8"
    html = response.get_data(as_text=True)
    assert "<h1 class=\"error-title\">404 页面不存在</h1>" in html
    assert '<p class="notice error" role="alert">没有这个页面</p>' in html


def test_an_unexpected_exception_is_a_json_500_without_details(tmp_path, caplog):
    app = create_app({"TESTING": True, "INDEX": str(tmp_path)})

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret internals")

    @app.get("/boom")
    def boom_page():
        raise RuntimeError("secret internals")

    client = app.test_client()
    response = client.get("/api/boom")
    assert response.status_code == 500
    assert response.get_json() == {"error": "服务器内部错误", "status": 500}
    page = client.get("/boom")
    assert page.status_code == 500
    assert "secret internals" not in page.get_data(as_text=True)
    assert "unhandled error on /api/boom" in caplog.text


def test_every_response_carries_the_security_headers(bare_client):
    for path in ("/nowhere", "/api/nowhere", "/api/openapi.json", "/static/style.css"):
        headers = bare_client.get(path).headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Permissions-Policy"] == PERMISSIONS_POLICY


def test_the_permissions_policy_grants_no_device():
    assert PERMISSIONS_POLICY == ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                                  "microphone=(), payment=(), usb=()")


def test_csp_allows_only_our_own_scripts_and_styles():
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )


def test_static_assets_are_local_only():
    from pathlib import Path

    import web

    root = Path(web.__file__).parent
    for path in [*root.glob("templates/*.html"), *root.glob("static/*")]:
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, path
        assert " style=" not in text and "<style" not in text, path  # the CSP forbids inline style


@pytest.mark.parametrize("path, status, cache", [
    # Pages and JSON answers may be kept, but are asked for again: a reindex changes them.
    ("/", 200, "no-cache"),
    ("/?q=援疆&region=和田", 200, "no-cache"),
    ("/articles/kash-edu?q=援疆", 200, "no-cache"),
    ("/api/search?q=援疆", 200, "no-cache"),
    ("/api/suggest?q=援", 200, "no-cache"),
    ("/api/articles/kash-edu", 200, "no-cache"),
    ("/api/stats", 200, "no-cache"),
    ("/api/openapi.json", 200, "no-cache"),
    # Downloads, health checks and errors are never stored.
    ("/api/search?q=援疆&format=csv", 200, "no-store"),
    ("/api/search?q=援疆&format=jsonl", 200, "no-store"),
    ("/api/health", 200, "no-store"),
    ("/api/search?page=0", 400, "no-store"),
    ("/?page=0", 400, "no-store"),
    ("/articles/nope", 404, "no-store"),
    ("/api/nowhere", 404, "no-store"),
])
def test_every_page_and_answer_says_how_it_may_be_cached(client, path, status, cache):
    response = client.get(path)
    assert (response.status_code, response.headers["Cache-Control"]) == (status, cache)


def test_an_unavailable_index_is_never_cached(bare_client):
    for path in ("/", "/api/search?q=援疆", "/api/health"):
        response = bare_client.get(path)
        assert (response.status_code, response.headers["Cache-Control"]) == (503, "no-store")


def test_a_response_that_says_how_to_cache_it_is_left_as_it_is(tmp_path):
    app = create_app({"TESTING": True, "INDEX": str(tmp_path)})

    @app.get("/own")
    def own():
        return "x", 200, {"Cache-Control": "public, max-age=60"}

    assert app.test_client().get("/own").headers["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("path, error", [
    ("/api/search?q=援疆&region=和%00田", "region 不能包含控制字符（收到 U+0000）"),
    ("/api/search?org=%1b%5B31m", "org 不能包含控制字符（收到 U+001B）"),
    ("/api/search?q=援%00疆", "搜索词不能包含控制字符（收到 U+0000）"),
    ("/api/suggest?q=克%00", "q 不能包含控制字符（收到 U+0000）"),
    ("/api/articles/a%00b", "文章编号不能包含控制字符（收到 U+0000）"),
    ("/api/articles/kash-edu%C2%85", "文章编号不能包含控制字符（收到 U+0085）"),
])
def test_control_characters_are_a_400_in_the_error_shape(client, path, error):
    response = client.get(path)
    assert (response.status_code, response.get_json()) == (400, {"error": error, "status": 400})


def test_a_control_character_never_reaches_a_page(client):
    from web_html import links, select, text

    # A facet value holding one is dropped with a message; the rest of the search is answered.
    page = client.get("/?q=援疆&region=和%00田&source=%1b新疆日报")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert [text(e) for e in select(html, "p", "error")] == ["region 不能包含控制字符（收到 U+0000）"]
    assert links(html, "chip") == []
    hits = select(html, "li", "hit")
    assert len(hits) == 4 and hits == select(client.get("/?q=援疆").get_data(as_text=True), "li", "hit")
    article = client.get("/articles/kash-edu%00%1b")
    assert article.status_code == 400
    assert [text(e) for e in select(article.get_data(as_text=True), "p", "error")] == [
        "文章编号不能包含控制字符（收到 U+0000）"]
    for html in (html, article.get_data(as_text=True)):
        assert not any(c in html for c in "\x00\x1b\x85")
