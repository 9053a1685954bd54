"""Reading search parameters from a URL into a SearchRequest, and building URLs back from them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from corpus.errors import XjsearchError
from search.export import FORMATS as EXPORT_FORMATS
from search.model import FACETS, SORTS, SearchRequest, selected
from search.query import MAX_QUERY_LENGTH
from search.service import MAX_PAGE, MAX_PER_PAGE

# URL parameter of each facet; the facet names of the service double as parameter names.
FACET_PARAMS = FACETS
# Every parameter a search URL may carry, in the order URLs are written.
SEARCH_PARAMS = ("q", *FACET_PARAMS, "from", "to", "sort", "collapse", "page", "per_page")

# What /api/search answers with (its format parameter): one page as JSON, or every hit as CSV or JSON Lines.
SEARCH_FORMATS = ("json", *EXPORT_FORMATS)

# ASCII digits only: Python's \d would also take Arabic-Indic or full-width digits.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR = re.compile(r"[0-9]{4}")
_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
_INT = re.compile(r"[0-9]{1,9}")
# The date fields as the page labels them: a message names the field the user filled in, not its parameter.
DATE_FIELDS = {"from": "起始日期", "to": "结束日期"}
# Control characters: C0 but for tab, LF and CR (which count as spaces), DEL and C1. No text a user
# means holds them, and HTML cannot carry some (NUL): a parameter holding one is refused, never echoed.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class BadParameter(XjsearchError):
    """A URL parameter the search cannot use; the message says which and what is allowed."""

    def __init__(self, message: str, *names: str) -> None:
        super().__init__(message)
        self.names = names  # the parameters at fault, which a page can drop to show the rest


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds a search URL must stay within."""

    max_query_length: int = 500
    max_page: int = 1000
    per_page: int = 10
    max_per_page: int = 100
    max_values: int = 20  # values of one facet chosen at once
    max_value_length: int = 100
    max_exports: int = 2  # exports (format=csv or jsonl) one server process streams at once


class BadConfig(XjsearchError):
    """A configuration value the app cannot run with; the message names the setting."""


def limits_from_config(config: Mapping[str, object]) -> Limits:
    """The Limits a configuration asks for: each a positive integer, capped by what the service allows."""
    values = {}
    for key in ("MAX_QUERY_LENGTH", "MAX_PAGE", "PER_PAGE", "MAX_PER_PAGE", "MAX_EXPORTS"):
        raw = config[key]
        # bool is an int to Python, but XJSEARCH_PER_PAGE=true is no page size.
        if isinstance(raw, bool) or not isinstance(raw, (int, str)) or not _INT.fullmatch(str(raw)) \
                or int(raw) < 1:
            raise BadConfig(f"{key} (XJSEARCH_{key}) must be a whole number of at least 1, not {raw!r}")
        values[key] = int(raw)
    limits = Limits(
        max_query_length=min(values["MAX_QUERY_LENGTH"], MAX_QUERY_LENGTH),
        max_page=min(values["MAX_PAGE"], MAX_PAGE),
        per_page=values["PER_PAGE"],
        max_per_page=min(values["MAX_PER_PAGE"], MAX_PER_PAGE),
        max_exports=values["MAX_EXPORTS"],
    )
    if limits.per_page > limits.max_per_page:
        raise BadConfig(f"PER_PAGE (XJSEARCH_PER_PAGE) must be at most {limits.max_per_page}, "
                        f"the most results a page may hold; not {limits.per_page}")
    return limits


def _int(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    """One integer parameter within [low, high]; empty means the default."""
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not _INT.fullmatch(raw) or not low <= int(raw) <= high:
        raise BadParameter(f"{name} 必须是 {low} 到 {high} 之间的整数（收到：{_shorten(raw)}）", name)
    return int(raw)


def integer(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    """One integer parameter within [low, high]; empty means the default; BadParameter otherwise."""
    return _int(args, name, default, low, high)


_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def _bool(args: MultiDict, name: str, default: bool) -> bool:
    """One true/false parameter (also 1/0); empty means the default."""
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if raw not in _BOOLEANS:
        raise BadParameter(f"{name} 只能是 true 或 false（收到：{_shorten(raw)}）", name)
    return _BOOLEANS[raw]


def _date(args: MultiDict, name: str) -> str | None:
    """One YYYY-MM-DD parameter, or None when absent or empty."""
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError(raw)
        dt.date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(f"{DATE_FIELDS[name]}必须是形如 2023-01-01 的日期（收到：{_shorten(raw)}）", name) from None
    return raw


def _values(args: MultiDict, name: str, limits: Limits, pattern: re.Pattern[str] | None = None,
            shape: str = "") -> tuple[str, ...]:
    """The distinct non-empty values of a repeatable facet parameter, in the order given."""
    given = args.getlist(name)
    # Counted as given (blanks and repeats too), as the OpenAPI document's maxItems says.
    if len(given) > limits.max_values:
        raise BadParameter(f"{name} 最多可同时选择 {limits.max_values} 个值", name)
    values: list[str] = []
    for raw in given:
        check_text(raw, name)
        # Free text is trimmed; values with a fixed shape must have exactly that shape.
        value = raw if pattern is not None else raw.strip()
        if not value or value in values:
            continue
        if len(value) > limits.max_value_length:
            raise BadParameter(f"{name} 的取值不能超过 {limits.max_value_length} 个字符", name)
        if pattern is not None and not pattern.fullmatch(value):
            raise BadParameter(f"{name} 必须是 {shape} 格式（收到：{_shorten(value)}）", name)
        values.append(value)
    return tuple(values)


def check_text(value: str, name: str, label: str = "") -> str:
    """value, if it holds no control character; else BadParameter naming the parameter and the character."""
    found = CONTROL_CHARACTERS.search(value)
    if found is not None:
        raise BadParameter(f"{label or name + ' '}不能包含控制字符（收到 U+{ord(found.group()):04X}）", name)
    return value


def _shorten(text: str, size: int = 20) -> str:
    """Text cut to size characters, so an echoed bad value never floods a message."""
    return text if len(text) <= size else text[:size] + "…"


def parse_search(args: MultiDict, limits: Limits = Limits(), per_page_allowed: bool = True) -> SearchRequest:
    """Read a SearchRequest from URL parameters; raise BadParameter for anything out of bounds."""
    query = args.get("q", "")
    if len(query) > limits.max_query_length:
        raise BadParameter(f"搜索词太长：最多 {limits.max_query_length} 个字符，收到 {len(query)} 个", "q")
    check_text(query, "q", "搜索词")
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadParameter(f"sort 只能是 {' 或 '.join(SORTS)}（收到：{_shorten(sort)}）", "sort")
    date_from, date_to = _date(args, "from"), _date(args, "to")
    if date_from and date_to and date_from > date_to:
        raise BadParameter(f"起始日期 {date_from} 晚于结束日期 {date_to}", "from", "to")
    per_page = limits.per_page
    if per_page_allowed:
        per_page = _int(args, "per_page", limits.per_page, 1, limits.max_per_page)
    return SearchRequest(
        query=query.strip(),
        regions=_values(args, "region", limits),
        sectors=_values(args, "sector", limits),
        aid_from=_values(args, "aid_from", limits),
        sources=_values(args, "source", limits),
        years=_values(args, "year", limits, _YEAR, "YYYY"),
        months=_values(args, "month", limits, _MONTH, "YYYY-MM"),
        people=_values(args, "person", limits),
        orgs=_values(args, "org", limits),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=_int(args, "page", 1, 1, limits.max_page),
        per_page=per_page,
        collapse=_bool(args, "collapse", True),
    )


def parse_prefix(args: MultiDict, limits: Limits = Limits()) -> str:
    """The q parameter of /api/suggest: the prefix typed so far, as long as a query may be."""
    prefix = args.get("q", "")
    if len(prefix) > limits.max_query_length:
        raise BadParameter(f"q 太长：最多 {limits.max_query_length} 个字符，收到 {len(prefix)} 个", "q")
    return check_text(prefix, "q")


def parse_article_id(article_id: str) -> str:
    """An article id from a URL path, refused if it holds a control character."""
    return check_text(article_id, "article_id", "文章编号")


def parse_format(args: MultiDict) -> str:
    """The format parameter of /api/search: json (also when absent or empty), csv or jsonl."""
    fmt = args.get("format") or "json"
    if fmt not in SEARCH_FORMATS:
        raise BadParameter(f"format 只能是 {'、'.join(SEARCH_FORMATS)}（收到：{_shorten(fmt)}）", "format")
    return fmt


def parse_search_keeping_the_rest(args: MultiDict, limits: Limits = Limits(), per_page_allowed: bool = True
                                  ) -> tuple[SearchRequest, BadParameter | None]:
    """The request the valid parameters make, and the first bad parameter's error (None if none was).

    A page answers bad input with the message and what the rest of its URL asks for, so a user
    who picked a wrong date range keeps the query and the facet values chosen with it.
    """
    first: BadParameter | None = None
    remaining = MultiDict(args)
    # Each failure drops at least one parameter name, so this ends within len(SEARCH_PARAMS) rounds.
    while True:
        try:
            return parse_search(remaining, limits, per_page_allowed), first
        except BadParameter as exc:
            first = first or exc
            if not any(name in remaining for name in exc.names):
                return parse_search(MultiDict(), limits, per_page_allowed), first
            for name in exc.names:
                remaining.poplist(name)


def request_params(request: SearchRequest, limits: Limits = Limits()) -> MultiDict:
    """The URL parameters that reproduce a request, leaving out every default."""
    params: MultiDict = MultiDict()
    if request.query:
        params.add("q", request.query)
    for name, values in zip(FACET_PARAMS, selected_values(request)):
        for value in values:
            params.add(name, value)
    if request.date_from:
        params.add("from", request.date_from)
    if request.date_to:
        params.add("to", request.date_to)
    if request.sort != "relevance":
        params.add("sort", request.sort)
    if not request.collapse:
        params.add("collapse", "false")
    if request.page != 1:
        params.add("page", str(request.page))
    if request.per_page != limits.per_page:
        params.add("per_page", str(request.per_page))
    return params


def export_query(request: SearchRequest, fmt: str, limits: Limits = Limits()) -> str:
    """The query string of /api/search exporting every hit of request as fmt (no page: it has them all)."""
    return with_changes(request_params(request, limits), drop=["page", "per_page"], add=[("format", fmt)])


def selected_values(request: SearchRequest) -> tuple[tuple[str, ...], ...]:
    """The chosen values of each facet, in FACET_PARAMS order."""
    return tuple(selected(request, facet) for facet in FACET_PARAMS)


def has_filters(request: SearchRequest) -> bool:
    """Whether any facet value or date bound is chosen."""
    return any(selected_values(request)) or bool(request.date_from or request.date_to)


def query_string(params: Mapping[str, str] | MultiDict | Iterable[tuple[str, str]]) -> str:
    """URL-encode parameters in SEARCH_PARAMS order (so equal searches give equal URLs)."""
    pairs = list(params.items(multi=True)) if isinstance(params, MultiDict) else list(
        params.items() if isinstance(params, Mapping) else params)
    order = {name: i for i, name in enumerate(SEARCH_PARAMS)}
    pairs.sort(key=lambda pair: order.get(pair[0], len(order)))
    return urlencode(pairs)


def with_changes(params: MultiDict, *, drop: Iterable[str] = (), add: Iterable[tuple[str, str]] = (),
                 remove: Iterable[tuple[str, str]] = (), keep_page: bool = False) -> str:
    """A query string derived from params: names dropped, pairs added or removed; page reset."""
    dropped = set(drop)
    removed = set(remove)
    if not keep_page:
        dropped.add("page")
    pairs = [(k, v) for k, v in params.items(multi=True) if k not in dropped and (k, v) not in removed]
    pairs.extend(add)
    return query_string(pairs)
