"""A Word file written with python-docx and a web archive written with warcio."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from tests.integration.inputs.texts import Written
from tests.integration.inputs.web import news_page


def write_docx(path: Path, articles: Sequence[Written], *, heading: str | None = None) -> Path:
    """A Word file: an optional document title, then each article under a Heading 1."""
    import docx

    document = docx.Document()
    if heading:
        document.add_heading(heading, level=0)
    for article in articles:
        document.add_heading(article.title, level=1)
        for paragraph in article.paragraphs:
            document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def write_warc(path: Path, pages: Sequence[tuple[str, Written, str]]) -> Path:
    """A gzipped web archive: for each (url, article, charset) a request and an HTML response, plus
    an image, a 404 page and a metadata record that are no web pages."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, article, charset in pages:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            # The page declares no charset of its own: the HTTP header gives it.
            body = news_page(article, url, charset=charset).replace(f'<meta charset="{charset}">', "").encode(charset)
            headers = StatusAndHeaders("200 OK", [("Content-Type", f"text/html; charset={charset}")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://example.org/logo.png", "response", payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"), http_headers=image))
        missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://example.org/gone.html", "response", payload=io.BytesIO(b"<html>gone</html>"), http_headers=missing))
        writer.write_record(writer.create_warc_record(
            "https://example.org/", "metadata", payload=io.BytesIO(b"crawled-by: a test"), warc_content_type="text/plain"))
    return path
