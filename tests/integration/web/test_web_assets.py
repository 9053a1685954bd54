"""What goes over the wire: compressed pages, JSON, CSS and JavaScript; versioned static URLs cached for a year."""

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest

STATIC = Path(__file__).resolve().parents[3] / "web" / "static"
YEAR = "public, max-age=31536000, immutable"


def static_urls(client):
    """The stylesheet and script URLs a page links to."""
    page = client.get("/?q=援疆").get_data(as_text=True)
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


@pytest.mark.parametrize("url, media_type", [
    ("/?q=援疆", "text/html"),
    ("/articles/kash-edu?q=援疆", "text/html"),
    ("/api/search?q=援疆", "application/json"),
    ("/api/openapi.json", "application/json"),
])
def test_pages_and_json_are_gzipped_for_a_client_that_takes_gzip(client, url, media_type):
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.mimetype == plain.mimetype == media_type
    assert packed.status_code == plain.status_code
    assert "Accept-Encoding" in packed.headers["Vary"]
    unpacked = gzip.decompress(packed.data)
    if b'"took_ms"' in plain.data:
        # Only the time taken differs between two searches.
        unpacked = re.sub(rb'"took_ms":[0-9.e-]+', b"", unpacked)
        assert unpacked == re.sub(rb'"took_ms":[0-9.e-]+', b"", plain.data)
    elif media_type == "text/html":
        took = re.compile("（用时 [0-9.]+ 毫秒）".encode())
        assert took.sub(b"", unpacked) == took.sub(b"", plain.data)
    else:
        assert unpacked == plain.data
    assert len(packed.data) < len(plain.data) / 2


def test_css_and_javascript_are_compressed_and_kept_a_year_under_their_version(client):
    for url in static_urls(client):
        name, version = re.fullmatch(r"/static/([a-z.]+)\?v=([0-9a-f]{12})", url).groups()
        content = (STATIC / name).read_bytes()
        assert version == hashlib.sha256(content).hexdigest()[:12]
        response = client.get(url, headers={"Accept-Encoding": "br"})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "br"
        assert brotli.decompress(response.data) == content
        assert response.headers["Cache-Control"] == YEAR
        # The same protections as every other response.
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_a_static_file_asked_for_without_or_with_another_version_is_revalidated(client):
    for url in ("/static/style.css", "/static/style.css?v=000000000000", "/static/app.js?v="):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["ETag"]


def test_a_versioned_file_answers_a_revalidation_with_304(client):
    url = static_urls(client)[0]
    first = client.get(url, headers={"Accept-Encoding": "identity"})
    again = client.get(url, headers={"Accept-Encoding": "identity", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == YEAR


@pytest.mark.parametrize("fmt, media_type", [("csv", "text/csv"), ("jsonl", "application/x-ndjson")])
def test_exports_stream_uncompressed(client, fmt, media_type):
    response = client.get(f"/api/search?q=援疆&format={fmt}", headers={"Accept-Encoding": "gzip, br, zstd"})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.is_streamed
    assert response.headers.get("Content-Encoding") is None
    assert response.headers["X-Total-Count"] == "4"
    assert len(response.get_data(as_text=True).strip().splitlines()) == 4 + (fmt == "csv")


def test_small_answers_are_sent_as_they_are(client):
    response = client.get("/api/health", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") is None
    assert response.get_json()["status"] == "ok"
