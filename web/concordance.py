"""Keyword in context: /concordance (the page) and /api/concordance (JSON, or every line as CSV or JSON Lines)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

from flask import Blueprint, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from search.concordance import (
    COLUMNS,
    CONCORDANCE_SORTS,
    DEFAULT_WIDTH,
    MAX_ARTICLES,
    MAX_WIDTH,
    concordance_to_json,
    line_row,
)
from search.errors import BadQuery
from search.export import chunks, export_rows
from search.model import SearchRequest
from web import limits, service
from web.downloads import exported
from web.openapi import CONCORDANCE_PER_PAGE
from web.params import (
    BadParameter,
    Limits,
    integer,
    parse_format,
    query_string,
    request_params,
    with_changes,
)
from web.research import read_api, read_page

bp = Blueprint("concordance", __name__)

SORT_LABELS = {"date": "日期", "left": "左侧上下文", "right": "右侧上下文"}
_OWN = ("sort", "width", "per_page", "format")  # parameters of a concordance that a search has not


def concordance_options(args: MultiDict, lim: Limits) -> tuple[int, str, int]:
    """width, sort and per_page of a concordance URL; BadParameter when out of bounds."""
    width = integer(args, "width", DEFAULT_WIDTH, 1, MAX_WIDTH)
    sort = args.get("sort") or "date"
    if sort not in CONCORDANCE_SORTS:
        raise BadParameter(f"sort 只能是 {'、'.join(CONCORDANCE_SORTS)}（收到：{sort[:20]}）", "sort")
    per_page = integer(args, "per_page", min(CONCORDANCE_PER_PAGE, lim.max_per_page), 1, lim.max_per_page)
    return width, sort, per_page


def concordance_params(req: SearchRequest, width: int, sort: str) -> MultiDict:
    """The parameters of a concordance: the search's, then width and sort where not the default."""
    params = request_params(req, limits())
    if width != DEFAULT_WIDTH:
        params.add("width", str(width))
    if sort != "date":
        params.add("sort", sort)
    return params


@bp.get("/concordance")
def page():
    """The concordance page: a form, then one page of lines with their articles."""
    lim = limits()
    req, (width, sort, per_page), error = read_page(request.args, _OWN, lim, concordance_options,
                                                    (DEFAULT_WIDTH, "date", CONCORDANCE_PER_PAGE))
    status = 200 if error is None else 400
    result = None
    if error is None and req.query:
        try:
            result = service().concordance(replace(req, per_page=per_page), width, sort)
        except BadQuery as exc:
            error, status = str(exc), 400
    context = {"req": req, "width": width, "sort": sort, "sorts": SORT_LABELS, "result": result, "error": error,
               "max_articles": MAX_ARTICLES, "max_width": MAX_WIDTH, "max_query_length": lim.max_query_length,
               "hidden": [(k, v) for k, v in request_params(req, lim).items(multi=True) if k not in ("q", "page")]}
    if result is not None:
        params = concordance_params(req, width, sort)
        last = min(max(1, math.ceil(result.total / per_page)), lim.max_page)

        def page_url(number: int) -> str:
            return url_for("concordance.page") + "?" + with_changes(params, add=[("page", str(number))] if number > 1 else [])

        context.update({
            "prev_url": page_url(req.page - 1) if req.page > 1 else None,
            "next_url": page_url(req.page + 1) if req.page < last else None,
            "first": (req.page - 1) * per_page + 1,
            "sort_urls": {s: url_for("concordance.page") + "?" + query_string(concordance_params(req, width, s))
                          for s in SORT_LABELS},
            "export_urls": {fmt: url_for("concordance.api") + "?" + with_changes(params, add=[("format", fmt)])
                            for fmt in ("csv", "jsonl")},
            "search_url": url_for("pages.search") + "?" + query_string(request_params(req, lim)),
            "article_suffix": "?" + query_string([("q", req.query)]),
        })
    return render_template("concordance.html", **context), status


@bp.get("/api/concordance")
def api():
    """One page of lines as JSON, or with format=csv or jsonl every line of every matching article."""
    lim = limits()
    req, (width, sort, per_page) = read_api(request.args, _OWN, lim, concordance_options)
    fmt = parse_format(request.args)
    req = replace(req, per_page=per_page)
    if fmt == "json":
        return jsonify(concordance_to_json(service().concordance(req, width, sort)))

    def rows() -> tuple[int, Iterator[str]]:
        matched, lines = service().iter_concordance(req, width, sort)
        return matched, chunks(export_rows((line_row(line) for line in lines), fmt, COLUMNS, lines))

    return exported(rows, fmt, req.query, kind="concordance")
