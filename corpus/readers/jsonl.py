"""JSON Lines (.jsonl) of ready articles, one object a line, read a line at a time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from corpus.readers.source import RawDocument, Source, Unreadable, megabytes
from corpus.readers.text import check_text


def _string_list(record: dict[str, Any], key: str) -> tuple[str, ...] | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Unreadable(f"'{key}' must be a list of strings")
    return tuple(dict.fromkeys(item.strip() for item in value if item.strip()))


def _decode_line(data: bytes, number: int) -> str:
    """A line as text: UTF-8 as JSON requires, or GB18030 as older Chinese tools write it."""
    try:
        return data.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise Unreadable("undecodable: neither UTF-8 nor GB18030 text") from None
    check_text(text, chinese=False)
    return text


def record_document(record: Any, number: int, record_key: str = "") -> RawDocument:
    """The article a JSON line holds, its fields checked (record_key: the line's, Source.record_key);
    Unreadable says what is wrong."""
    if not isinstance(record, dict):
        raise Unreadable("a line must be a JSON object")
    title, body = record.get("title"), record.get("text")
    if not isinstance(title, str) or not title.strip():
        raise Unreadable("missing 'title'")
    if not isinstance(body, str) or not body.strip():
        raise Unreadable("missing 'text'")
    for key in ("id", "date", "source", "url"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise Unreadable(f"'{key}' must be a string")
    return RawDocument(
        body,
        title=title,
        line=number,
        url=(record.get("url") or "").strip(),
        id=(record.get("id") or "").strip() or None,
        date=(record.get("date") or "").strip() or None,
        source=(record.get("source") or "").strip() or None,
        regions=_string_list(record, "regions") or (),
        sectors=_string_list(record, "sectors") or (),
        aid_from=_string_list(record, "aid_from"),
        record=record_key,
    )


def read_jsonl(source: Source) -> Iterator[RawDocument]:
    """Each line's article; a malformed line is reported with its number and the rest still read."""
    source.file.seek(0)
    cap = source.limits.max_file_bytes
    number = 0
    # Only "\n" ends a JSON Lines record: str.splitlines would also split at U+2028 or U+0085,
    # which JSON strings may hold unescaped.
    while True:
        data = source.file.readline(cap + 1)
        if not data:
            break
        number += 1
        if len(data) > cap and not data.endswith(b"\n"):
            # Read past the rest of the over-long line without holding it.
            while (rest := source.file.readline(2**20)) and not rest.endswith(b"\n"):
                pass
            source.skip(f"line longer than the size cap of {megabytes(cap)} MB", number)
            continue
        if not data.strip():
            continue
        source.found["lines"] += 1
        key = source.record_key(data)
        known = source.known(key) if key and source.known is not None else None
        if known is not None:
            yield RawDocument("", line=number, record=key, known=known)  # read before: not again
            continue
        try:
            text = _decode_line(data, number)
            try:
                record = json.loads(text)
            except ValueError as error:
                raise Unreadable(f"malformed JSON: {error}") from error
            yield record_document(record, number, key)
        except Unreadable as error:
            source.skip(str(error), number)
    if not number:
        raise Unreadable("empty file")
