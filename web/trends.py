"""Trends: /trends (a chart the page draws itself as SVG, a table, a CSV) and /api/trends (the series)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import Blueprint, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from search.errors import BadQuery
from search.export import chunks, export_rows
from search.model import SearchRequest
from search.trends import INTERVALS, MAX_QUERIES, Trends, trend_rows, trends_to_json
from web import limits, service
from web.downloads import download
from web.params import BadParameter, Limits, check_text, query_string, request_params
from web.research import read_api, read_page

bp = Blueprint("trends", __name__)

MEASURES = {"count": "篇数", "share": "占全部文章的比例"}
INTERVAL_LABELS = {"year": "按年", "month": "按月"}
# Each series is told apart by its dash pattern and marker as well as its colour, so that it prints in grey.
STYLES = (
    ("#0b5cad", "", "circle"),
    ("#b3261e", "7 4", "square"),
    ("#1e6b34", "2 3", "triangle"),
    ("#6a3d9a", "9 3 2 3", "diamond"),
    ("#8a5a00", "4 2 1 2 1 2", "cross"),
)
WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 44
MAX_LABELS = 12  # period labels under the axis at most


@dataclass(frozen=True, slots=True)
class Point:
    """One value of a series on the chart."""

    x: float
    y: float
    label: str  # what the value is, for a tooltip and screen readers


@dataclass(frozen=True, slots=True)
class Line:
    """One series drawn: its runs of consecutive values (broken at gaps) and its points."""

    query: str
    colour: str
    dash: str
    marker: str
    runs: tuple[str, ...]  # SVG path data, one per run
    points: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    """What the SVG chart draws: axes, ticks, labels, gaps and lines, in SVG coordinates."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    y_ticks: tuple[tuple[float, str], ...]  # (y, label)
    x_labels: tuple[tuple[float, str], ...]  # (x, label)
    gaps: tuple[tuple[float, float, str], ...]  # (x, width, period) of periods with no article at all
    lines: tuple[Line, ...]


def nice_step(top: float, ticks: int = 5) -> float:
    """A step of 1, 2 or 5 times a power of ten giving at most ticks steps up to top."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def chart(result: Trends, measure: str) -> Chart:
    """The chart of a result's series, counts or shares, with gaps where a period has no article."""
    count = len(result.periods)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step_x = plot_w / max(count - 1, 1)

    def x_of(i: int) -> float:
        return round(LEFT + (i * step_x if count > 1 else plot_w / 2), 1)

    values = [s.shares if measure == "share" else s.counts for s in result.series]
    top = max((v for series in values for v in series if v is not None), default=0)
    step = nice_step(float(top)) if measure == "share" else max(1.0, nice_step(float(top)))
    y_max = step * max(1, math.ceil(top / step)) if top else step

    def y_of(value: float) -> float:
        return round(TOP + plot_h - value / y_max * plot_h, 1)

    def shown(value: float) -> str:
        return f"{value * 100:.4g}%" if measure == "share" else f"{value:.4g}"

    ticks = tuple((y_of(i * step), shown(i * step)) for i in range(int(round(y_max / step)) + 1))
    every = max(1, math.ceil(count / MAX_LABELS))
    labels = tuple((x_of(i), p) for i, p in enumerate(result.periods) if i % every == 0)
    gaps = tuple((round(x_of(i) - step_x / 2, 1), round(step_x, 1), p)
                 for i, (p, t) in enumerate(zip(result.periods, result.totals)) if t == 0)
    lines = []
    for index, (series, row) in enumerate(zip(result.series, values)):
        colour, dash, marker = STYLES[index % len(STYLES)]
        runs: list[str] = []
        run: list[str] = []
        points = []
        for i, value in enumerate(row):
            if value is None:
                if len(run) > 1:
                    runs.append(" ".join(run))
                run = []
                continue
            x, y = x_of(i), y_of(value)
            run.append(("M" if not run else "L") + f"{x} {y}")
            share = series.shares[i] or 0.0
            points.append(Point(x, y, f"{series.query} · {result.periods[i]}：{series.counts[i]} 篇，"
                                      f"占 {share * 100:.4g}%（共 {result.totals[i]} 篇）"))
        if len(run) > 1:
            runs.append(" ".join(run))
        lines.append(Line(series.query, colour, dash, marker, tuple(runs), tuple(points)))
    return Chart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, ticks, labels, gaps, tuple(lines))


def trends_options(args: MultiDict, lim: Limits) -> tuple[tuple[str, ...], str, str]:
    """The queries (each q), the interval and the measure of a trends URL; BadParameter when out of bounds."""
    given = args.getlist("q")
    # Counted as given (blanks too), as the OpenAPI document's maxItems says.
    if len(given) > MAX_QUERIES:
        raise BadParameter(f"最多比较 {MAX_QUERIES} 个检索词（收到 {len(given)} 个）", "q")
    for q in given:
        if len(q) > lim.max_query_length:
            raise BadParameter(f"搜索词太长：最多 {lim.max_query_length} 个字符，收到 {len(q)} 个", "q")
        check_text(q, "q", "搜索词")
    queries = tuple(q.strip() for q in given if q.strip())
    interval = args.get("interval") or "year"
    if interval not in INTERVALS:
        raise BadParameter(f"interval 只能是 {' 或 '.join(INTERVALS)}（收到：{interval[:20]}）", "interval")
    measure = args.get("measure") or "count"
    if measure not in MEASURES:
        raise BadParameter(f"measure 只能是 {' 或 '.join(MEASURES)}（收到：{measure[:20]}）", "measure")
    return queries, interval, measure


_OWN = ("q", "interval", "measure", "format")  # parameters of trends that the search they filter has not


def trends_params(req: SearchRequest, queries: tuple[str, ...], interval: str, measure: str = "count") -> list[tuple[str, str]]:
    """The parameters of a trends URL: each query, the filters, the interval and measure where not the default."""
    params = [("q", q) for q in queries] + list(request_params(req, limits()).items(multi=True))
    params += [("interval", interval)] if interval != "year" else []
    params += [("measure", measure)] if measure != "count" else []
    return params


@bp.get("/trends")
def page():
    """The trends page: up to five queries, a chart, a table and a CSV of the series."""
    lim = limits()
    req, (queries, interval, measure), error = read_page(request.args, _OWN, lim, trends_options,
                                                         ((), "year", "count"))
    status = 200 if error is None else 400
    result = None
    if error is None and queries:
        try:
            result = service().trends(req, queries, interval)
        except BadQuery as exc:
            error, status = str(exc), 400
    context = {"req": req, "queries": queries, "interval": interval, "measure": measure, "result": result,
               "error": error, "measures": MEASURES, "intervals": INTERVAL_LABELS, "max_queries": MAX_QUERIES,
               "max_query_length": lim.max_query_length,
               "hidden": [(k, v) for k, v in request_params(req, lim).items(multi=True) if k not in ("q", "page")]}
    if result is not None:
        context.update({
            "chart": chart(result, measure),
            "csv_url": url_for("trends.api") + "?" + query_string(trends_params(req, queries, interval) + [("format", "csv")]),
            "measure_urls": {m: url_for("trends.page") + "?" + query_string(trends_params(req, queries, interval, m))
                             for m in MEASURES},
            "search_urls": {q: url_for("pages.search") + "?" + query_string([("q", q), *context["hidden"]])
                            for q in queries},
        })
    return render_template("trends.html", **context), status


@bp.get("/api/trends")
def api():
    """The series as JSON, or with format=csv a period a row."""
    lim = limits()
    req, (queries, interval, _) = read_api(request.args, _OWN, lim, trends_options)
    fmt = request.args.get("format") or "json"
    if fmt not in ("json", "csv"):
        raise BadParameter(f"format 只能是 json 或 csv（收到：{fmt[:20]}）", "format")
    result = service().trends(req, queries, interval)
    if fmt == "json":
        return jsonify(trends_to_json(result))
    columns, rows = trend_rows(result)
    return download(chunks(export_rows(iter(rows), "csv", columns)), "csv", " ".join(queries), len(rows),
                    kind="trends")
