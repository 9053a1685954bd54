"""Keyword in context: every occurrence of a query in the matching articles, one line each.

A line is the match (what the highlighting marks, search.highlight: a proximity is one match)
with `width` characters of text either side, on one line (paragraph breaks read as spaces), and
the article's id, title, date and source. Lines are sorted as concordancers sort them: by date
(oldest first, then by place in the article), by the left context read backwards from the match
(so that what stands just before the match groups the lines), or by the right context.

A page reads at most MAX_ARTICLES articles (the earliest, in date order) and says so when there
were more; an export reads every article, a line at a time when sorted by date.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from indexer.schema import stored_metadata
from search.checks import Checked, check_request
from search.errors import BadQuery
from search.expansion import shown_terms
from search.generation import Generation
from search.highlight import match_spans
from search.hits import HitStream
from search.model import CONCORDANCE_SORTS, DEFAULT_WIDTH, MAX_WIDTH, SearchRequest
from search.query import ParsedQuery
from search.selection import ordered, select

# CONCORDANCE_SORTS, DEFAULT_WIDTH and MAX_WIDTH (imported above) are defined with the records in
# search.model, where the command line reads them without importing numpy and whoosh.
MAX_ARTICLES = 1000  # articles a page of lines reads at most
COLUMNS = ("id", "title", "date", "date_precision", "source", "left", "match", "right", "position")


@dataclass(frozen=True, slots=True)
class Line:
    """One occurrence: its context left and right, the match, where it stands, and its article."""

    id: str
    title: str
    date: str | None  # None: unknown
    date_precision: str
    source: str
    left: str
    match: str
    right: str
    position: int  # the match's first character in the article's text


@dataclass(frozen=True, slots=True)
class Concordance:
    """One page of a concordance, and how many lines and articles there were."""

    request: SearchRequest
    width: int
    sort: str
    total: int  # lines of the articles read
    articles: int  # articles read (those matching the search, up to MAX_ARTICLES)
    matched: int  # articles the search matches
    took_ms: float
    lines: tuple[Line, ...]

    @property
    def truncated(self) -> bool:
        """Whether more articles matched than were read."""
        return self.matched > self.articles


def contexts(text: str, spans: list[tuple[int, int]], width: int) -> list[tuple[str, str, str, int]]:
    """(left, match, right, position) of each span of text, width characters of context each side, on one line."""
    flat = text.replace("\r", " ").replace("\n", " ")
    return [(flat[max(0, s - width) : s], flat[s:e], flat[e : e + width], s) for s, e in spans]


def sort_key(line: Line, sort: str) -> tuple:
    """The key ordering lines by sort: date, left (context read backwards) or right."""
    # Undated lines come after dated ones.
    date = (not line.date, line.date or "")
    if sort == "left":
        return (line.left[::-1], line.match, date, line.id, line.position)
    if sort == "right":
        return (line.right, line.match, date, line.id, line.position)
    return (date, line.id, line.position)


def article_lines(searcher: Searcher, docnum: int, parsed: ParsedQuery, width: int) -> list[Line]:
    """Every occurrence of the query's terms in one article's text, in order."""
    fields = searcher.stored_fields(docnum)
    text, title = fields.get("text", ""), fields.get("title", "")
    meta = stored_metadata(fields)
    spans = match_spans(text, shown_terms(parsed.highlight_terms, title, text), "text")
    return [Line(meta["id"], meta["title"], meta["date"], meta["date_precision"], meta["source"], left, match, right,
                 position) for left, match, right, position in contexts(text, spans, width)]


def oldest_first(gen: Generation, docs: np.ndarray) -> np.ndarray:
    """Documents in date order, oldest first (same day: index order), undated last."""
    dated = gen.dated[docs]
    order = np.lexsort((docs, gen.dates[docs], ~dated))
    return docs[order]


def iter_lines(searcher: Searcher, docs: np.ndarray, parsed: ParsedQuery, width: int) -> Iterator[Line]:
    """The lines of documents, one article after the other."""
    for docnum in docs.tolist():
        yield from article_lines(searcher, docnum, parsed, width)


def check_concordance(request: SearchRequest, width: int, sort: str) -> Checked:
    """Validate a concordance: the search itself, a query to find, the width and the order."""
    if sort not in CONCORDANCE_SORTS:
        raise BadQuery(f"sort 只能是 {'、'.join(CONCORDANCE_SORTS)}（收到：{sort}）")
    if not 1 <= width <= MAX_WIDTH:
        raise BadQuery(f"width 必须是 1 到 {MAX_WIDTH} 之间的整数（收到：{width}）")
    checked = check_request(replace(request, sort="relevance"))
    if checked.parsed.is_empty:
        raise BadQuery("请输入要查看上下文的词，例如：援疆")
    return checked


def matching(gen: Generation, searcher: Searcher, request: SearchRequest, checked: Checked) -> np.ndarray:
    """The documents a concordance reads, oldest first (each reprint group once unless collapse is off)."""
    chosen = select(gen, searcher, request, checked, with_facets=False)
    docs, _, _ = ordered(gen, chosen, "date", request.collapse)
    return oldest_first(gen, docs)


_LINES_CACHED = 8  # concordances whose lines are kept, so that paging and sorting them reads no article again
_cache: OrderedDict[tuple, tuple[list[Line], int, int]] = OrderedDict()
_cache_lock = threading.Lock()


def _page_lines(gen: Generation, searcher: Searcher, request: SearchRequest, checked: Checked,
                width: int) -> tuple[list[Line], int, int]:
    """The lines of the first MAX_ARTICLES matching articles in date order, articles read and matched (cached)."""
    key = (id(gen), gen.number, repr(checked.parsed.root), replace(request, page=1, per_page=1, sort="relevance"),
           checked.date_from, checked.date_to, width)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    docs = matching(gen, searcher, request, checked)
    read = docs[:MAX_ARTICLES]
    entry = (list(iter_lines(searcher, read, checked.parsed, width)), len(read), len(docs))
    with _cache_lock:
        _cache[key] = entry
        while len(_cache) > _LINES_CACHED:
            _cache.popitem(last=False)
    return entry


def concordance_page(gen: Generation, searcher: Searcher, request: SearchRequest, checked: Checked, width: int,
                     sort: str) -> Concordance:
    """One page of the lines of the first MAX_ARTICLES matching articles, in the order asked for."""
    started = time.perf_counter()
    lines, read, matched = _page_lines(gen, searcher, request, checked, width)
    if sort != "date":
        lines = sorted(lines, key=lambda line: sort_key(line, sort))
    start = (request.page - 1) * request.per_page
    took_ms = round((time.perf_counter() - started) * 1000, 2)
    return Concordance(request, width, sort, len(lines), read, matched, took_ms,
                       tuple(lines[start : start + request.per_page]))


def line_row(line: Line) -> dict[str, Any]:
    """One line as a row of the export COLUMNS."""
    return {name: getattr(line, name) for name in COLUMNS}


def concordance_to_json(result: Concordance) -> dict[str, Any]:
    """The JSON shape of /api/concordance and `xjsearch concordance --json`."""
    return {
        "query": result.request.query,
        "width": result.width,
        "sort": result.sort,
        "total": result.total,
        "articles": result.articles,
        "matched": result.matched,
        "truncated": result.truncated,
        "took_ms": result.took_ms,
        "page": result.request.page,
        "per_page": result.request.per_page,
        "lines": [line_row(line) for line in result.lines],
    }


class _Lines(Iterator[Line]):
    """The lines of articles read one at a time; closing it closes the articles' searcher."""

    def __init__(self, articles: HitStream) -> None:
        self._articles = articles
        self._held: Iterator[Line] = iter(())

    def __next__(self) -> Line:
        while True:
            line = next(self._held, None)
            if line is not None:
                return line
            self._held = iter(next(self._articles))  # type: ignore[call-overload]

    def close(self) -> None:
        """Close the searcher (again is harmless)."""
        self._articles.close()


def line_stream(searcher: Searcher, docs: np.ndarray, parsed: ParsedQuery, width: int, sort: str) -> Iterator[Line]:
    """Every line of docs in the order asked for: read as it goes by date, else read, sorted, and the searcher closed."""
    articles = HitStream(((d, 0.0) for d in docs.tolist()),
                         lambda d, _: article_lines(searcher, d, parsed, width), searcher)  # type: ignore[arg-type,return-value]
    if sort == "date":
        return _Lines(articles)
    try:
        return iter(sorted(_Lines(articles), key=lambda line: sort_key(line, sort)))
    finally:
        articles.close()
