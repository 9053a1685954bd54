"""Checking a SearchRequest before it runs: sort, page bounds, dates, years, months, the query."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from search.errors import BadQuery
from search.model import MAX_PAGE, MAX_PER_PAGE, SORTS, UNDATED, SearchRequest
from search.query import ParsedQuery, parse_query

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True, slots=True)
class Checked:
    """A validated request: the parsed query and normalised date bounds."""

    parsed: ParsedQuery
    date_from: str | None
    date_to: str | None


def parse_date(text: str | None, end: bool, label: str) -> str | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD bound as YYYY-MM-DD (first or last day); BadQuery if invalid."""
    if text is None or not text.strip():
        return None
    match = _DATE_RE.match(text.strip())
    try:
        if not match:
            raise ValueError(text)
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else (12 if end else 1)
        if match.group(3):
            day = int(match.group(3))
        elif end:
            day = (date(year + month // 12, month % 12 + 1, 1) - date.resolution).day if month < 12 else 31
        else:
            day = 1
        return date(year, month, day).isoformat()
    except ValueError:
        raise BadQuery(f"{label}无法识别（收到：{text.strip()}）：请写成 YYYY-MM-DD、YYYY-MM 或 YYYY，例如 2023-08-27") from None


def check_request(request: SearchRequest) -> Checked:
    """Validate a request, raising BadQuery with a message a user can act on."""
    if request.sort not in SORTS:
        raise BadQuery(f"sort 只能是 {' 或 '.join(SORTS)}（收到：{request.sort}）")
    if not 1 <= request.per_page <= MAX_PER_PAGE:
        raise BadQuery(f"per_page 必须是 1 到 {MAX_PER_PAGE} 之间的整数（收到：{request.per_page}）")
    if not 1 <= request.page <= MAX_PAGE:
        raise BadQuery(f"page 必须是 1 到 {MAX_PAGE} 之间的整数（收到：{request.page}）")
    date_from = parse_date(request.date_from, False, "起始日期")
    date_to = parse_date(request.date_to, True, "结束日期")
    if date_from and date_to and date_from > date_to:
        raise BadQuery(f"起始日期 {date_from} 晚于结束日期 {date_to}")
    for value in request.years:
        if value != UNDATED and not re.fullmatch(r"\d{4}", value):
            raise BadQuery(f"年份无法识别（收到：{value}）：请写成 YYYY，例如 2023，或 {UNDATED}")
    for value in request.months:
        if not re.fullmatch(r"\d{4}-\d{2}", value):
            raise BadQuery(f"月份无法识别（收到：{value}）：请写成 YYYY-MM，例如 2023-08")
    return Checked(parse_query(request.query), date_from, date_to)
