"""The HTML pages: search with facets, date chart and pagination; one article for reading."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import Blueprint, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from search.errors import BadQuery
from search.model import UNDATED, ArticleView, FacetValue, SearchRequest, SearchResult, shown_date
from web import limits, service
from web.errors import error_response, printable
from web.feed import feed_query, feed_title
from web.params import (
    FACET_PARAMS,
    BadParameter,
    has_filters,
    parse_article_id,
    parse_search,
    parse_search_keeping_the_rest,
    query_string,
    request_params,
    selected_values,
    with_changes,
)

bp = Blueprint("pages", __name__)
# Templates show a date month- or year-precise as such (2025-06), never with a made-up day.
bp.add_app_template_global(shown_date, "shown_date")

# Chinese names of the facets, as the sidebar and the chosen-filter chips show them.
FACET_LABELS = {
    "region": "地区",
    "sector": "领域",
    "aid_from": "援助方",
    "source": "来源",
    "year": "年份",
    "month": "月份",
    "person": "人物",
    "org": "机构",
}
SIDEBAR_FACETS = ("region", "sector", "aid_from", "source", "person", "org")
EXAMPLE_QUERIES = ("克拉玛依", '"对口支援"', "上海 OR 天津", "援疆 -上海", "title:和田")
MAX_ARTICLE_ID = 200
FACET_SHOWN = 10  # values of a facet listed before the rest go behind "more"
FACET_SLACK = 2  # a "more" that would hide only this many values is not worth a click


@dataclass(frozen=True, slots=True)
class FacetChoice:
    """One facet value as a checkbox of the filter form: its label, count and whether it is chosen."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True, slots=True)
class FacetGroup:
    """One facet of the sidebar: a group of checkboxes named after its URL parameter."""

    name: str
    label: str
    values: tuple[FacetChoice, ...]
    more: tuple[FacetChoice, ...] = ()  # the less frequent values, behind a "more" toggle


@dataclass(frozen=True, slots=True)
class Chip:
    """One chosen filter, with the URL that removes it."""

    label: str
    value: str
    url: str


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of the date chart: a year or month, its count, height class and toggle URL."""

    value: str
    label: str
    count: int
    height: int  # percent of the tallest bar, in steps of 5
    selected: bool
    url: str


@dataclass(frozen=True, slots=True)
class PageLink:
    """One link of the pagination."""

    number: int
    url: str
    current: bool


def _search_url(query: str) -> str:
    """The search page URL for a query string."""
    return url_for("pages.search") + ("?" + query if query else "")


def removal(name: str, value: str, params: MultiDict) -> list[tuple[str, str]]:
    """The parameters to take out to unselect a value: a year takes its months with it."""
    pairs = [(name, value)]
    if name == "year":
        pairs.extend(("month", m) for m in params.getlist("month") if m.startswith(value + "-"))
    return pairs


def toggle_url(name: str, fv: FacetValue, params: MultiDict) -> str:
    """The URL that adds a facet value to the search, or removes it when chosen."""
    if fv.selected:
        return _search_url(with_changes(params, remove=removal(name, fv.value, params)))
    return _search_url(with_changes(params, add=[(name, fv.value)]))


def value_label(name: str, value: str) -> str:
    """How a facet value reads in the interface (years and months in Chinese)."""
    if name == "year":
        return value if value == UNDATED else f"{value}年"
    if name == "month" and len(value) == 7:
        return f"{value[:4]}年{int(value[5:])}月"
    return value


def chips(req: SearchRequest, params: MultiDict) -> tuple[Chip, ...]:
    """Every chosen filter as a chip whose link removes it."""
    out = []
    for name, values in zip(FACET_PARAMS, selected_values(req)):
        for value in values:
            out.append(Chip(FACET_LABELS[name], value_label(name, value),
                            _search_url(with_changes(params, remove=removal(name, value, params)))))
    if req.date_from:
        out.append(Chip("起始日期", req.date_from, _search_url(with_changes(params, drop=["from"]))))
    if req.date_to:
        out.append(Chip("结束日期", req.date_to, _search_url(with_changes(params, drop=["to"]))))
    return tuple(out)


def chart(name: str, values: tuple[FacetValue, ...], params: MultiDict) -> tuple[Bar, ...]:
    """Bars for a year or month facet, in date order, each toggling its value when clicked."""
    ordered = sorted((fv for fv in values if fv.count or fv.selected), key=lambda fv: fv.value)
    tallest = max((fv.count for fv in ordered), default=0)
    bars = []
    for fv in ordered:
        height = 0 if not tallest else max(5, round(fv.count * 20 / tallest) * 5) if fv.count else 0
        bars.append(Bar(fv.value, value_label(name, fv.value), fv.count, height, fv.selected,
                        toggle_url(name, fv, params)))
    return tuple(bars)


def month_chart_year(req: SearchRequest, months: tuple[FacetValue, ...]) -> str | None:
    """The year whose months the chart shows: the one chosen, or the one every result is of; else None."""
    if len(req.years) == 1:
        return req.years[0]
    # With no year chosen the service counts months only when the results span a single year.
    years = {fv.value[:4] for fv in months}
    return years.pop() if not req.years and len(years) == 1 else None


def clear_url(req: SearchRequest) -> str:
    """The search page URL for the same query with every filter removed."""
    return _search_url(query_string([("q", req.query)] if req.query else []))


def page_url(params: MultiDict, number: int) -> str:
    """The URL of one page of a search (page 1 without a page parameter)."""
    return _search_url(with_changes(params, drop=["page"], add=[("page", str(number))] if number > 1 else []))


def pages(req: SearchRequest, total: int, params: MultiDict, max_page: int) -> tuple[PageLink, ...]:
    """Page links around the current page (first, last and two either side)."""
    last = min(max(1, math.ceil(total / req.per_page)), max_page)
    if last == 1:
        return ()
    numbers = sorted({1, last, *range(max(1, req.page - 2), min(last, req.page + 2) + 1)})
    return tuple(PageLink(n, page_url(params, n), n == req.page) for n in numbers)


def facet_group(name: str, values: tuple[FacetValue, ...]) -> FacetGroup:
    """A sidebar facet: its most frequent values (and every chosen one) shown, the rest behind "more"."""
    choices = tuple(FacetChoice(fv.value, value_label(name, fv.value), fv.count, fv.selected) for fv in values)
    if len(choices) <= FACET_SHOWN + FACET_SLACK:
        return FacetGroup(name, FACET_LABELS[name], choices)
    shown = tuple(c for i, c in enumerate(choices) if i < FACET_SHOWN or c.selected)
    return FacetGroup(name, FACET_LABELS[name], shown, tuple(c for c in choices if c not in shown))


def filter_hidden(params: MultiDict, facets: tuple[FacetGroup, ...]) -> list[tuple[str, str]]:
    """What the filter form carries unseen: every parameter but the dates, the page and its checkboxes."""
    boxes = {(group.name, choice.value) for group in facets for choice in (*group.values, *group.more)}
    return [(k, v) for k, v in params.items(multi=True)
            if k not in ("from", "to", "page") and (k, v) not in boxes]


def date_bounds(req: SearchRequest) -> tuple[str | None, str | None]:
    """The earliest and latest dates the date fields accept: the corpus's, widened to the dates chosen."""
    stats = service().stats()
    low = min(filter(None, (stats.date_min, req.date_from, req.date_to)), default=None)
    high = max(filter(None, (stats.date_max, req.date_from, req.date_to)), default=None)
    return low, high


@dataclass(frozen=True, slots=True)
class Correction:
    """A corrected query offered above the results, with the URL searching it under the same filters."""

    query: str
    url: str


def did_you_mean(result: SearchResult, params: MultiDict) -> Correction | None:
    """The corrected query and the URL searching it with the same filters, or None."""
    if result.did_you_mean is None:
        return None
    return Correction(result.did_you_mean,
                      _search_url(with_changes(params, drop=["q"], add=[("q", result.did_you_mean)])))


def search_context(req: SearchRequest, result: SearchResult) -> dict:
    """Everything the results part of the search page shows, links computed."""
    lim = limits()
    params = request_params(req, lim)
    facets = tuple(facet_group(name, result.facets.get(name, ())) for name in SIDEBAR_FACETS)
    years = chart("year", result.facets.get("year", ()), params)
    month_year = month_chart_year(req, result.facets.get("month", ()))
    months: tuple[Bar, ...] = ()
    if month_year is not None:
        in_year = tuple(fv for fv in result.facets.get("month", ()) if fv.value.startswith(month_year + "-"))
        months = chart("month", in_year, params)
    last = min(max(1, math.ceil(result.total / req.per_page)), lim.max_page)
    # Past the end, "previous" leads to the last page that has results.
    prev_url = page_url(params, min(req.page - 1, last)) if req.page > 1 else None
    next_url = page_url(params, req.page + 1) if req.page < last else None
    item_query = query_string(params)
    return {
        "result": result,
        "did_you_mean": did_you_mean(result, params),
        "first_url": page_url(params, 1),
        "facets": facets,
        "filter_hidden": filter_hidden(params, facets),
        "date_min_max": date_bounds(req),
        "years": years,
        "months": months,
        "month_year": month_year,
        "chips": chips(req, params),
        "clear_url": clear_url(req),
        "sort_urls": {
            "relevance": _search_url(with_changes(params, drop=["sort"])),
            "date": _search_url(with_changes(params, drop=["sort"], add=[("sort", "date")])),
        },
        "feed_url": url_for("feed.feed") + ("?" + feed_query(req) if feed_query(req) else ""),
        "feed_title": feed_title(req),
        "concordance_url": url_for("concordance.page") + "?" + with_changes(params, drop=["sort"]),
        "trends_url": url_for("trends.page") + "?" + with_changes(params, drop=["sort", "collapse"]),
        "collapse_url": _search_url(with_changes(params, drop=["collapse"],
                                                 add=[("collapse", "false")] if req.collapse else [])),
        "pages": pages(req, result.total, params, lim.max_page),
        "prev_url": prev_url,
        "next_url": next_url,
        "first": (req.page - 1) * req.per_page + 1,
        "last_shown": (req.page - 1) * req.per_page + len(result.hits),
        "article_suffix": "?" + item_query if item_query else "",
    }


def hidden_fields(req: SearchRequest, exclude: tuple[str, ...]) -> list[tuple[str, str]]:
    """The parameters a form must carry along so submitting it keeps the rest of the search."""
    skip = set(exclude) | {"page"}
    return [(k, v) for k, v in request_params(req, limits()).items(multi=True) if k not in skip]


@bp.get("/")
def search():
    """The search page: empty state, results, no-results state, or the input error."""
    lim = limits()
    status = 200
    error = None
    # A bad parameter is named above what the rest of the URL asks for; a bad query stops the search.
    req, bad = parse_search_keeping_the_rest(request.args, lim, per_page_allowed=False)
    query_text = req.query
    if bad is not None:
        error, status = str(bad), 400
        if "q" in bad.names:
            query_text = printable(request.args.get("q", ""))
    context: dict = {"req": req, "error": error, "examples": EXAMPLE_QUERIES, "labels": FACET_LABELS,
                     "max_query_length": lim.max_query_length, "query_text": query_text}
    if bad is None or "q" not in bad.names:
        if not req.query and not has_filters(req) and req.sort == "relevance" and req.page == 1:
            context["stats"] = service().stats()
        else:
            try:
                result = service().search(req)
            except BadQuery as exc:
                # The service's message says what is wrong with the query and what to change.
                context["error"], status = str(exc), 400
            else:
                context.update(search_context(req, result))
    if "result" not in context and "stats" not in context:
        # No results to show: the chosen filters stay visible and removable beside the message.
        context["chips"] = chips(req, request_params(req, lim))
        context["clear_url"] = clear_url(req)
    context["form_hidden"] = hidden_fields(req, ("q",))
    context["search_url"] = _search_url
    return render_template("search.html", **context), status


def lookup_article(article_id: str, query: str) -> ArticleView | None:
    """The article of an id from a URL, its matches of query marked; None if there is none.

    Raises BadParameter for an id holding a control character, which no article id holds.
    """
    parse_article_id(article_id)
    return service().article(article_id, query=query) if len(article_id) <= MAX_ARTICLE_ID else None


def no_article(article_id: str) -> str:
    """The message for an id no article has (an overlong id cut short)."""
    return f"没有编号为 {article_id[:MAX_ARTICLE_ID]} 的文章"


@bp.get("/articles/<article_id>")
def article(article_id: str):
    """One article in full, the query's matches marked, with related articles and a way back."""
    try:
        req = parse_search(request.args, limits(), per_page_allowed=False)
        view = lookup_article(article_id, req.query)
    except BadParameter as exc:
        return error_response(str(exc), 400)
    if view is None:
        return error_response(no_article(article_id), 404)
    back = query_string(request_params(req, limits()))
    return render_template(
        "article.html",
        article=view,
        req=req,
        back_url=_search_url(back),
        suffix="?" + back if back else "",
        labels=FACET_LABELS,
        search_url=_search_url,
    )
