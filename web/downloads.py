"""Streamed downloads (exports of a search, a concordance, trends): media type, file name, total.

A long export (every hit of a search, every line of a concordance) holds one of its server
process's few export slots (MAX_EXPORTS) while it streams; with none free it is answered 429 with
Retry-After at once, so that exports never hold every thread and a search always finds one.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import quote

from flask import Response, current_app, stream_with_context

from web.errors import error_response
from web.openapi import EXPORT_MEDIA_TYPES

# What a download's file name keeps of the query: word characters (CJK included), the rest as "_".
_NOT_NAME = re.compile(r"[\W_]+")
NAME_LENGTH = 40
# An export refused because every export slot is taken may be tried again after this many seconds.
EXPORT_RETRY_AFTER_S = 10


class _ExportSlot:
    """One of a process's export slots, taken by an export and given back once, when its stream
    ends or is closed (the WSGI server closes it when the client goes away), whichever comes first."""

    def __init__(self, slots: threading.BoundedSemaphore) -> None:
        self._slots = slots
        self._held = True
        self._lock = threading.Lock()

    def release(self) -> None:
        """Give the slot back (again is harmless)."""
        with self._lock:
            if self._held:
                self._held = False
                self._slots.release()

    def holding(self, body: Iterable[str]) -> Iterator[str]:
        """body, with the slot given back as soon as it is read to its end."""
        try:
            yield from body
        finally:
            self.release()


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


def exported(open_texts: Callable[[], tuple[int, Iterator[str]]], fmt: str, query: str, kind: str = "") -> Response:
    """The download of what open_texts opens ((total, texts): a bad request raises there, before any
    byte), holding one of this process's export slots until it is sent; a 429 when none is free."""
    slots = current_app.extensions["xjsearch.exports"]
    if not slots.acquire(blocking=False):
        busy = error_response(f"导出太多：本服务进程同时最多进行 {current_app.extensions['xjsearch.limits'].max_exports}"
                              f" 个导出，请 {EXPORT_RETRY_AFTER_S} 秒后再试", 429)
        busy.headers["Retry-After"] = str(EXPORT_RETRY_AFTER_S)
        return busy
    slot = _ExportSlot(slots)
    try:
        total, texts = open_texts()
    except BaseException:
        slot.release()
        raise
    response = download(slot.holding(texts), fmt, query, total, kind)
    # An export abandoned before its first row is only ever closed.
    response.call_on_close(slot.release)
    return response
