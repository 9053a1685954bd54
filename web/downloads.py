"""Streamed downloads (exports of a search, a concordance, trends): media type, file name, total."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

from flask import Response, stream_with_context

from web.openapi import EXPORT_MEDIA_TYPES

# What a download's file name keeps of the query: word characters (CJK included), the rest as "_".
_NOT_NAME = re.compile(r"[\W_]+")
NAME_LENGTH = 40


def export_filename(query: str, fmt: str, kind: str = "") -> str:
    """The file name a download is saved under: xjsearch-<kind->-<the query>.<fmt>."""
    stem = _NOT_NAME.sub("_", query).strip("_")[:NAME_LENGTH].strip("_")
    return f"xjsearch-{kind + '-' if kind else ''}{stem or 'all'}.{fmt}"


def download(texts: Iterator[str], fmt: str, query: str, total: int, kind: str = "") -> Response:
    """A streamed attachment of texts in fmt (csv or jsonl), named after the query, with X-Total-Count."""
    name = export_filename(query, fmt, kind)
    ascii_name = name if name.isascii() else f"xjsearch-export.{fmt}"
    response = Response(stream_with_context(texts), content_type=EXPORT_MEDIA_TYPES[fmt] + "; charset=utf-8")
    # filename* (RFC 6266) carries a Chinese query; filename is for clients that know only ASCII.
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(name, safe="")}')
    response.headers["X-Total-Count"] = str(total)
    return response
