"""The fixed error shape and the error boundary, tested on their own (no index needed)."""

import pytest

from web import CONTENT_SECURITY_POLICY, create_app


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
    response = bare_client.post("/api/search")
    assert response.status_code == 405
    assert response.get_json() == {"error": "不支持 POST 请求", "status": 405}


def test_wrong_method_on_a_page_is_a_405_page(bare_client):
    response = bare_client.post("/")
    assert response.status_code == 405
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
