"""Web archives (.warc, .warc.gz): each HTML response record is a web page, its URL from the record.

warcio reads the records one at a time; an HTML response is read as a saved web page is
(corpus.readers.html), with the record's target URI as its URL. Other records (requests,
metadata, images, redirects) are counted and reported once per file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from corpus.readers.html import page_document
from corpus.readers.source import RawDocument, Source, Unreadable, megabytes


def _kind(record: object) -> str | None:
    """Why a record is no web page (its type, status or content type), or None for an HTML response."""
    if record.rec_type != "response":  # type: ignore[attr-defined]
        return str(record.rec_type)  # type: ignore[attr-defined]
    headers = record.http_headers  # type: ignore[attr-defined]
    if headers is None:
        return "response without HTTP headers"
    status = headers.get_statuscode()
    if status != "200":
        return f"HTTP {status}"
    content_type = (headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type not in ("text/html", "application/xhtml+xml"):
        return content_type or "no content type"
    return None


def read_warc(source: Source) -> Iterator[RawDocument]:
    """The web page of each HTML response record, in the archive's order."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    cap = source.limits.max_file_bytes
    others: Counter[str] = Counter()
    source.file.seek(0)
    try:
        for record in ArchiveIterator(source.file):
            kind = _kind(record)
            if kind is not None:
                others[kind] += 1
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            data = record.content_stream().read(cap + 1)
            if len(data) > cap:
                source.skip(f"record {url}: over the size cap of {megabytes(cap)} MB")
                continue
            try:
                document = page_document(data, url=url, header=record.http_headers.get_header("Content-Type"))
            except Unreadable as error:
                source.skip(f"record {url}: {error}")
                continue
            source.found["web pages"] += 1
            yield replace(document, url=url or document.url)
    except ArchiveLoadFailed as error:
        raise Unreadable(f"not a readable web archive: {error}") from error
    finally:
        if others:
            source.found["records that are no web page"] += sum(others.values())
            kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(others.items()))
            source.skip(f"{sum(others.values())} records that are no web page left out ({kinds})")
