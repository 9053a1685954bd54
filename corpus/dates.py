"""An article's date: every form a Chinese news page writes one in, ranked by where it stands.

A page states its date in many ways: 2024年3月5日, 2024-03-05, 2024/3/5, 2024.03.05, 二〇二四年三月五日,
behind a label (发布时间：…, 日期：…), on the line that names the source (2024-03-05 来源：…), or in a
dateline (新华社乌鲁木齐3月5日电, whose year comes from the page). Dates inside the story are mostly
the dates of events, so they count only at the very start of the text, and a labelled or header
date always wins over them. What the page does not say stays unknown: no date is ever made up from
a file's modification time or from the years a story mentions.

The rules read folded text (corpus.folding): 發佈時間 and ２０２４ read as 发布时间 and 2024.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from corpus.article import UNKNOWN, PageInfo
from corpus.cleaning import SENTENCE_MARKS
from corpus.folding import fold

# An article's own date is stated near its start: its dateline or its first words.
DATELINE_SPAN = 80
# The lines above the body where a web page prints its date and source.
HEADER_LINES = 3
HEADER_LINE_MAX = 80
# What a date line may hold besides its date: a site's or paper's name (上海援疆2019-06-24 15:10:26).
DATE_LINE_REST = 8
# The earliest year a news date may have; none may lie after today.
FIRST_YEAR = 1949

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = "[一二三四五六七八九十]{1,3}"

_FORMS = (
    # 2024年3月5日, 2024年3月 (a month), 2024年3月5号, and an e-paper's 2024 年/5 月/13 日
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*/?\s*(?P<m>\d{1,2})\s*月(?:\s*/?\s*(?P<d>\d{1,2})\s*[日号])?"),
    # 2024-03-05, 2024/3/5, 2024.03.05 (one separator throughout; 2023-2025 is a range, no date)
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d.])"),
    # 2023 10/24 (a year, then month/day)
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s+(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\d/])"),
    # 二〇二四年三月五日
    re.compile(rf"(?P<y>[〇零○o一二三四五六七八九]{{4}})年(?P<m>{_CN_NUMBER})月(?:(?P<d>{_CN_NUMBER})日)?"),
)
# 27.05.2014: a day and a month before the year, as some sites print it.
_DAY_FIRST = re.compile(r"(?<![\d.])(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?P<y>(?:19|20)\d{2})(?![\d.])")
# 3月5日 without a year, as datelines print it (and 3月5日电, 3月5日讯).
_YEARLESS = re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]")
_LABEL = re.compile(r"(发布时间|发布日期|发表时间|发表日期|发布于|更新时间|刊发时间|出版日期|首发时间|时间|日期)\s*[:：]?\s*$")
# A line that says where the article comes from carries its date (2024-12-24 9:57 来源:…).
_META = re.compile(r"来源|作者|编辑|责编|发布|浏览|阅读|字号|分享|点击|稿源|出处")
# What stands between a dateline and its date: 本报讯, 本报讯（记者 张三）, 新华社乌鲁木齐电.
_AFTER_DATELINE = re.compile(r"(讯|电|消息|报道)\s*([（(][^）)]{0,40}[)）])?\s*[:：]?\s*$")
_DATELINE_ENDS = ("讯", "电", "消息")
_PAGE_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True, slots=True)
class Found:
    """A date found in a text: its year (None when the text gives none), month, day and place."""

    year: int | None
    month: int | None
    day: int | None
    start: int
    end: int

    @property
    def precision(self) -> str:
        """day, month or year: how much of the date the text states."""
        return "day" if self.day else "month" if self.month else "year"


def _number(text: str) -> int:
    """An Arabic or Chinese number (十二, 二十五, 二〇二四)."""
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(c in _CN_DIGITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    if "十" not in text:
        return _CN_DIGITS[text]
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


_refused_as_future = 0  # dates of this year refused for lying after today, in this process so far


def refused_as_future() -> int:
    """How many dates of this year were refused for lying after today so far: what was read from a
    text that refused one may read otherwise another day of the year (the loader does not pass its
    record over then; the year itself is part of a record's key)."""
    return _refused_as_future


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    """Whether the parts make a real date no later than today."""
    global _refused_as_future
    today = datetime.date.today()
    if year is not None and not FIRST_YEAR <= year <= today.year:
        return False
    if month is None:
        return True
    try:
        date = datetime.date(year or 2000, month, day or 1)
    except ValueError:
        return False
    if year is not None and date > today:
        _refused_as_future += 1  # (a year after this one was refused above, whatever the day)
        return False
    return True


def find_dates(text: str) -> Iterator[Found]:
    """Every date in folded text, with or without its year, in order of appearance."""
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    for form in _FORMS:
        for match in form.finditer(text):
            parts = match.groupdict()
            year, month = _number(parts["y"]), _number(parts["m"])
            day = _number(parts["d"]) if parts.get("d") else None
            if _valid(year, month, day):
                found.append(Found(year, month, day, match.start(), match.end()))
                taken.append(match.span())
    for match in _YEARLESS.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        month, day = int(match["m"]), int(match["d"])
        if _valid(None, month, day):
            found.append(Found(None, month, day, match.start(), match.end()))
    for match in _DAY_FIRST.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
        # 27.05.2014 is day-first; 07.04.2016 could be either, and says only its year.
        day, month = (first, second) if first > 12 else (second, first) if second > 12 else (None, None)
        if _valid(year, month, day):
            found.append(Found(year, month, day, match.start(), match.end()))
    return iter(sorted(found, key=lambda f: f.start))


def parse_date(value: str) -> tuple[str, str]:
    """A date given by a manifest or a JSON Lines record: YYYY, YYYY-MM or YYYY-MM-DD, or any form
    a page writes (2024年3月5日, 2024/3/5 …), as a full date (first day) and its precision."""
    text = fold(value.strip())
    match = _PAGE_DATE.match(text)
    if match:
        year, month, day = match.groups()
        full = datetime.date(int(year), int(month or 1), int(day or 1)).isoformat()
        return full, "day" if day else "month" if month else "year"
    dates = [found for found in find_dates(text) if found.year is not None]
    if len(dates) == 1 and dates[0].end - dates[0].start >= len(text) - 2:
        return _full(dates[0], dates[0].year or 0)
    raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")


def _full(found: Found, year: int) -> tuple[str, str]:
    """The ISO date of a found date in the given year (first day of a month or year) and its precision."""
    return datetime.date(year, found.month or 1, found.day or 1).isoformat(), found.precision


def _year_for(found: Found, page: PageInfo | None) -> int | None:
    """The year of a yearless date: the page's (a December item on a January page is from the
    year before); None when no page says it."""
    if page is None or page.precision == UNKNOWN:
        return None
    page_date = datetime.date.fromisoformat(page.date)
    year = page_date.year
    if found.month is not None and found.month > page_date.month + 1 and page.precision != "year":
        year -= 1
    return year


def _header_dates(lines: Iterable[str]) -> tuple[list[Found], list[Found]]:
    """Dates of the header lines: those behind a label, and those on a date or source line."""
    labelled: list[Found] = []
    meta: list[Found] = []
    for line in lines:
        if len(line) > HEADER_LINE_MAX:
            continue
        for found in find_dates(line):
            if found.year is None:
                continue
            if _LABEL.search(line[: found.start]):
                labelled.append(found)
            elif _META.search(line) or _mostly_date(line, found):
                meta.append(found)
    return labelled, meta


def _opens(text: str, found: Found) -> bool:
    """Whether a date is the item's own: its first words (3月26日，…), the dateline's (…3月5日电),
    or just after the dateline (本报讯（记者 …）3月5日); not a date inside the story's first
    sentence (从2014年2月22日至今)."""
    if not found.day:
        return False
    line_start = text.rfind("\n", 0, found.start) + 1
    before = text[line_start : found.start]
    return not before.strip() or bool(_AFTER_DATELINE.search(before)) or text.startswith(_DATELINE_ENDS, found.end)


def _mostly_date(line: str, found: Found) -> bool:
    """Whether a line is little more than its date (2019-06-24 15:10:26, a site name and a date)."""
    rest = line[: found.start] + line[found.end :]
    # Letters of a site's name in pinyin (Xin Hua Ri Bao) do not count: only Chinese characters do.
    return len(re.sub(r"[\s\d:：.,，·•年月日时分秒星期一二三四五六七天|/a-zA-Z()（）-]", "", rest)) <= DATE_LINE_REST


def is_date_line(line: str) -> bool:
    """Whether a (folded) line states a date with its year and little else: a web page's date line."""
    # A line that reads on as a sentence (2024年11月，蔚来汽车在新…) is no date line.
    if len(line) > HEADER_LINE_MAX or SENTENCE_MARKS.search(line):
        return False
    return any(found.year is not None and _mostly_date(line, found) for found in find_dates(line))


def infer_date(text: str, page: PageInfo | None = None, header: Sequence[str] = ()) -> tuple[str | None, str]:
    """An article's date and its precision (day, month, year), or (None, "unknown").

    Ranked: a labelled date of the header (发布时间：…), a date on a header line that names the
    source or is little else, the dateline's or first words' date (its year from the page when
    the text gives none), the page's date (the manifest's); otherwise unknown. header holds the
    lines a page printed above the article (its date and source lines); the first lines of text
    count too.
    """
    folded_text = fold(text)
    lines = [fold(line) for line in header] + folded_text.split("\n")[:HEADER_LINES]
    labelled, meta = _header_dates(lines)
    for found in (*labelled, *meta):
        return _full(found, found.year or 0)
    # The dateline's date (3月5日电) or the first words' (3月26日，…): a day, never a month.
    opening = next((found for found in find_dates(folded_text[:DATELINE_SPAN]) if _opens(folded_text, found)), None)
    if opening is not None:
        year = opening.year if opening.year is not None else _year_for(opening, page)
        if year is not None:
            return _full(opening, year)
    if page is not None and page.precision != UNKNOWN:
        return page.date, page.precision
    return None, UNKNOWN
