"""Trends: how many articles match each of a few queries, per year or month, beside all articles then.

Every series is counted under the same filters, and so is the total of each period (the articles
the filters choose, whatever they say), which makes each count a share too. Periods run from the
first to the last that holds an article under the filters; a period holding none is a gap (None),
not a zero. Reprints count as articles here: each copy is coverage.

An article has a place on the time axis only when its date is known that far: undated articles
are left out of every period, and so, by month, are articles known only to the year. Both are
counted, so that the page can say how many were left out.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass, replace

import numpy as np
from whoosh.searching import Searcher

from search.checks import Checked, check_request
from search.errors import BadQuery
from search.generation import Generation
from search.model import SearchRequest
from search.selection import Chosen, select

INTERVALS = ("year", "month")
MAX_QUERIES = 5


@dataclass(frozen=True, slots=True)
class Series:
    """One query's articles per period (None in a gap) and as a share of all articles then."""

    query: str
    counts: tuple[int | None, ...]
    shares: tuple[float | None, ...]
    total: int  # matching articles placed on the axis
    left_out: int  # matching articles with no place on it (undated, or only the year known by month)


@dataclass(frozen=True, slots=True)
class Trends:
    """Series of one to MAX_QUERIES queries over the same periods and filters."""

    request: SearchRequest  # the filters (its query is not used)
    interval: str
    periods: tuple[str, ...]  # "2023" by year, "2023-08" by month
    totals: tuple[int, ...]  # articles under the filters per period (0: a gap)
    series: tuple[Series, ...]
    undated: int  # articles under the filters without a date
    year_only: int  # by month: articles under the filters known only to the year
    took_ms: float


@dataclass(frozen=True, slots=True)
class _Axis:
    """Each document's year and month number (-1 where it has no place), and whether only its year is known."""

    year: np.ndarray
    month: np.ndarray  # year * 12 + month - 1
    year_only: np.ndarray


_axes: weakref.WeakKeyDictionary[Generation, _Axis] = weakref.WeakKeyDictionary()
_axes_lock = threading.Lock()


def _axis(gen: Generation, searcher: Searcher) -> _Axis:
    """The time axis of a generation's documents (made once per generation)."""
    with _axes_lock:
        axis = _axes.get(gen)
    if axis is not None:
        return axis
    dates = gen.dates.astype(np.int64)
    year = np.where(dates > 0, dates // 10000, -1)
    month = np.where(dates > 0, year * 12 + dates // 100 % 100 - 1, -1)
    # A date known only to the year stands on its first day; only those dates need their precision read.
    year_only = np.zeros(gen.doc_count_all, dtype=bool)
    first_days = gen.by_date[gen.sorted_dates % 10000 == 101]
    for docnum in first_days.tolist():
        year_only[docnum] = searcher.stored_fields(docnum).get("date_precision") == "year"
    axis = _Axis(year, month, year_only)
    with _axes_lock:
        _axes[gen] = axis
    return axis


def _documents(gen: Generation, chosen: Chosen) -> np.ndarray:
    """The documents a request chose (every live one when it has neither query nor filter)."""
    return gen.live_docs if chosen.docs is None else chosen.docs


def period_names(interval: str, first: int, last: int) -> tuple[str, ...]:
    """The names of the periods first..last (years, or month numbers year * 12 + month - 1)."""
    if interval == "year":
        return tuple(str(y) for y in range(first, last + 1))
    return tuple(f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, last + 1))


def series_of(query: str, counts: np.ndarray, totals: np.ndarray, left_out: int) -> Series:
    """A series from its counts per period: gaps where the period has no article at all."""
    gap = totals == 0
    shown = tuple(None if g else int(c) for c, g in zip(counts.tolist(), gap.tolist()))
    shares = tuple(None if g else round(c / t, 6) for c, t, g in zip(counts.tolist(), totals.tolist(), gap.tolist()))
    return Series(query, shown, shares, int(counts.sum()), left_out)


def check_trends(request: SearchRequest, queries: tuple[str, ...], interval: str) -> tuple[Checked, list[Checked]]:
    """Validate the filters, the interval and each query (one to MAX_QUERIES, none empty)."""
    if interval not in INTERVALS:
        raise BadQuery(f"interval 只能是 {' 或 '.join(INTERVALS)}（收到：{interval}）")
    queries = tuple(dict.fromkeys(q.strip() for q in queries))
    if not 1 <= len(queries) <= MAX_QUERIES:
        raise BadQuery(f"请给出 1 到 {MAX_QUERIES} 个检索词（收到 {len(queries)} 个）")
    base = check_request(replace(request, query=""))
    checked = []
    for query in queries:
        one = check_request(replace(request, query=query))
        if one.parsed.is_empty:
            raise BadQuery("每个检索词都要有内容，例如：援疆")
        checked.append(one)
    return base, checked


def trends(gen: Generation, searcher: Searcher, request: SearchRequest, base: Checked, checked: list[Checked],
           interval: str) -> Trends:
    """Each query's articles per period under the request's filters, beside all articles under them."""
    started = time.perf_counter()
    axis = _axis(gen, searcher)
    period = axis.year if interval == "year" else np.where(axis.year_only, -1, axis.month)
    chosen = _documents(gen, select(gen, searcher, request, base, with_facets=False))
    placed = period[chosen]
    placed = placed[placed >= 0]
    if len(placed):
        first, last = int(placed.min()), int(placed.max())
    else:
        first, last = 0, -1
    size = last - first + 1
    totals = np.bincount(placed - first, minlength=size) if size > 0 else np.zeros(0, dtype=np.int64)
    series = []
    for query, one in zip((c.parsed.text for c in checked), checked):
        # A query's matches under the filters are among the documents the filters choose.
        on_axis = period[_documents(gen, select(gen, searcher, replace(request, query=query), one, with_facets=False))]
        counts = np.bincount(on_axis[on_axis >= 0] - first, minlength=size) if size > 0 else totals
        series.append(series_of(query, counts, totals, int((on_axis < 0).sum())))
    return Trends(
        request=replace(request, query=""),
        interval=interval,
        periods=period_names(interval, first, last),
        totals=tuple(int(t) for t in totals.tolist()),
        series=tuple(series),
        undated=int((gen.dates[chosen] == 0).sum()),
        year_only=int((axis.year_only[chosen] & (gen.dates[chosen] > 0)).sum()) if interval == "month" else 0,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
    )


def trends_to_json(result: Trends) -> dict:
    """The JSON shape of /api/trends."""
    return {
        "queries": [s.query for s in result.series],
        "interval": result.interval,
        "periods": list(result.periods),
        "totals": list(result.totals),
        "series": [{"query": s.query, "counts": list(s.counts), "shares": list(s.shares), "total": s.total,
                    "left_out": s.left_out} for s in result.series],
        "undated": result.undated,
        "year_only": result.year_only,
        "took_ms": result.took_ms,
    }


def trend_rows(result: Trends) -> tuple[list[str], list[dict]]:
    """The columns and rows of a trends CSV: a period a row, each query's count and share beside the total."""
    columns = ["period", "articles"]
    for s in result.series:
        columns += [s.query, f"{s.query} share"]
    rows = []
    for i, period in enumerate(result.periods):
        row: dict = {"period": period, "articles": result.totals[i]}
        for s in result.series:
            row[s.query] = "" if s.counts[i] is None else s.counts[i]
            row[f"{s.query} share"] = "" if s.shares[i] is None else s.shares[i]
        rows.append(row)
    return columns, rows
