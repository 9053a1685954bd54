"""Dates in every form a Chinese news page writes them, ranked by where they stand; unknown stays unknown."""

from __future__ import annotations

import datetime
import types

import pytest

from corpus import dates
from corpus.article import PageInfo
from corpus.dates import find_dates, infer_date, is_date_line, parse_date


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2023年6月4日", (2023, 6, 4)),
        ("2023 年 6 月 4 日", (2023, 6, 4)),
        ("2023-06-04", (2023, 6, 4)),
        ("2023/6/4", (2023, 6, 4)),
        ("2023.06.04", (2023, 6, 4)),
        ("2023 10/24 09:59:47", (2023, 10, 24)),
        ("二〇二三年六月四日", (2023, 6, 4)),
        ("二〇二三年十二月二十日", (2023, 12, 20)),
        ("2023年6月", (2023, 6, None)),
        ("6月4日", (None, 6, 4)),
    ],
)
def test_every_form_is_read(text: str, parts: tuple[int | None, int | None, int | None]) -> None:
    [found] = find_dates(text)
    assert (found.year, found.month, found.day) == parts


@pytest.mark.parametrize("text", ["2023-2025", "2023.5", "2023年13月5日", "1900年3月1日", "2月30日"])
def test_ranges_decimals_and_impossible_dates_are_no_dates(text: str) -> None:
    assert list(find_dates(text)) == []


def test_a_date_after_today_is_no_date() -> None:
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert list(find_dates(tomorrow.isoformat())) == []


def test_a_labelled_header_date_wins_over_a_date_in_the_story() -> None:
    header = ["发布时间：2015-09-27 10:20", "来源：示例日报"]
    text = "8月15日，援疆干部来到村里。"
    assert infer_date(text, None, header) == ("2015-09-27", "day")


def test_labels_in_traditional_script_and_full_width_digits_are_read() -> None:
    assert infer_date("正文。", None, ["發佈日期：２０２４－１０－３１"]) == ("2024-10-31", "day")


def test_the_date_of_a_source_line_or_a_bare_date_line_counts() -> None:
    assert infer_date("正文。", None, ["2024年12月24日9:57 来源:示例晚报"]) == ("2024-12-24", "day")
    assert infer_date("正文。", None, ["示例网2019-06-24 15:10:26"]) == ("2019-06-24", "day")
    assert infer_date("日期：2023年6月\n正文写到这里。", None) == ("2023-06-01", "month")


def test_a_dateline_takes_the_year_of_the_page_and_december_on_a_january_page_is_the_year_before() -> None:
    page = PageInfo("示例日报", "2024-01-05", "day", None)
    assert infer_date("新华社乌鲁木齐12月30日电 记者走访了村庄。", page) == ("2023-12-30", "day")
    assert infer_date("本报讯（记者 王明）1月3日，会议召开。", page) == ("2024-01-03", "day")


def test_a_date_inside_the_first_sentence_is_the_date_of_an_event() -> None:
    assert infer_date("从2014年2月22日至今，援疆干部走过了三年。", None) == (None, "unknown")
    assert infer_date("2014年2月22日，援疆干部抵达喀什。", None) == ("2014-02-22", "day")


def test_what_the_page_does_not_say_stays_unknown() -> None:
    assert infer_date("今年是援疆工作的第十个年头，2010年以来变化很大。", None) == (None, "unknown")
    assert infer_date("新华社乌鲁木齐3月5日电 记者走访了村庄。", None) == (None, "unknown")


def test_a_page_date_is_used_when_the_text_gives_none() -> None:
    page = PageInfo("示例日报", "2023-07-01", "month", None)
    assert infer_date("近日，活动举行。", page) == ("2023-07-01", "month")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2019-08-06 02:52:58", True),
        ("示例网 2025-09-28 21:24", True),
        ("2024年11月，新能源汽车在新疆落地。", False),
        ("2023年以来，援疆项目全面铺开", False),
        # Besides its date, a date line holds at most 8 Chinese characters (日 is part of dates).
        ("2023-08-27 新疆日报社援疆频道", True),
        ("2023-08-27 新疆日报社援疆频道稿", False),
    ],
)
def test_date_lines(line: str, expected: bool) -> None:
    assert is_date_line(line) is expected


def test_parse_date_takes_page_forms_too() -> None:
    assert parse_date("2024-03") == ("2024-03-01", "month")
    assert parse_date("2024年3月5日") == ("2024-03-05", "day")
    assert parse_date("2024/3/5") == ("2024-03-05", "day")
    with pytest.raises(ValueError, match="not a date"):
        parse_date("2024年3月5日上午在会上")


def test_day_first_dates_and_an_epaper_date_line() -> None:
    assert [(f.year, f.month, f.day) for f in find_dates("27.05.2014 10:00")] == [(2014, 5, 27)]
    # 07.04.2016 may be 7 April or 4 July: only its year is sure.
    assert infer_date("正文。", None, ["07.04.2016"]) == ("2016-01-01", "year")
    assert infer_date("正文。", None, ["示例日报/2024 年/5 月/13 日/第 001 版"]) == ("2024-05-13", "day")
    assert is_date_line("Shi Li Ri Bao· 2025-12-23")  # a site's name in pinyin beside the date


def _on(monkeypatch: pytest.MonkeyPatch, today: datetime.date) -> None:
    """Make the date rules see the given day as today."""

    class _Date(datetime.date):
        @classmethod
        def today(cls) -> datetime.date:
            return cls(today.year, today.month, today.day)

    monkeypatch.setattr(dates, "datetime", types.SimpleNamespace(date=_Date))


def test_the_first_year_and_today_are_dates_the_day_after_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    _on(monkeypatch, datetime.date(2024, 3, 1))
    assert [(f.year, f.month, f.day) for f in find_dates("1949年10月1日")] == [(1949, 10, 1)]
    assert [(f.year, f.month, f.day) for f in find_dates("2024年3月1日")] == [(2024, 3, 1)]
    assert list(find_dates("2024年3月2日")) == []
    # A month is a date from its first day on.
    assert [(f.year, f.month, f.day) for f in find_dates("2024年3月")] == [(2024, 3, None)]
    assert list(find_dates("2024年4月")) == []


def test_a_yearless_29_february_is_a_date() -> None:
    assert [(f.year, f.month, f.day) for f in find_dates("2月29日")] == [(None, 2, 29)]


def test_dates_are_given_in_the_order_they_stand_with_their_places() -> None:
    assert list(find_dates("8月9日与2023年6月4日")) == [
        dates.Found(None, 8, 9, 0, 4),
        dates.Found(2023, 6, 4, 5, 14),
    ]
    assert list(find_dates("于27.05.2014")) == [dates.Found(2014, 5, 27, 1, 11)]


def test_a_yearless_date_inside_a_full_date_is_not_read_twice_but_the_next_one_is() -> None:
    assert [(f.year, f.month, f.day) for f in find_dates("2023 年 6 月 4 日，8月9日")] == [(2023, 6, 4), (None, 8, 9)]


def test_dates_written_back_to_back_are_each_read() -> None:
    assert [(f.year, f.month, f.day) for f in find_dates("2024年3月5日12月6日")] == [(2024, 3, 5), (None, 12, 6)]
    assert [(f.year, f.month, f.day) for f in find_dates("2024年3月5日27.05.2014")] == [(2024, 3, 5), (2014, 5, 27)]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # Day and month are told apart only by a number above 12.
        ("13.05.2014", (2014, 5, 13)),
        ("12.05.2014", (2014, None, None)),
        ("05.13.2014", (2014, 5, 13)),
        ("05.12.2014", (2014, None, None)),
    ],
)
def test_a_day_first_date_is_a_day_only_when_one_number_is_above_12(
    text: str, parts: tuple[int, int | None, int | None]
) -> None:
    [found] = find_dates(text)
    assert (found.year, found.month, found.day) == parts


@pytest.mark.parametrize("text", ["27.05.1948", "31.02.2014", "30.02.2014"])
def test_a_day_first_date_before_1949_or_impossible_is_no_date(text: str) -> None:
    assert list(find_dates(text)) == []


def test_a_header_line_of_80_characters_is_read_and_a_longer_one_is_not() -> None:
    line = "发布时间：2015-09-27 " + "a" * 64
    assert len(line) == 80
    assert infer_date("正文。", None, [line]) == ("2015-09-27", "day")
    assert infer_date("正文。", None, [line + "a"]) == (None, "unknown")
    # A long line is passed over, not the end of the header.
    assert infer_date("正文。", None, [line + "a", "发布时间：2016-01-02"]) == ("2016-01-02", "day")


def test_a_yearless_date_of_a_header_line_is_passed_over_for_the_dated_one_after_it() -> None:
    assert infer_date("正文。", None, ["3月5日更新 2024-03-06 来源：示例日报"]) == ("2024-03-06", "day")


def test_the_first_lines_of_the_text_are_header_lines_each_read_alone() -> None:
    text = "示例日报 记者 王明\n来源：示例日报 2024-03-05\n" + "援疆干部来到村里，看望了种植大棚蔬菜的农户。" * 4
    assert infer_date(text, None) == ("2024-03-05", "day")


def test_a_date_line_of_80_characters_is_one_and_a_longer_line_is_not() -> None:
    line = "2024-03-05 " + "a" * 69
    assert len(line) == 80
    assert is_date_line(line)
    assert not is_date_line(line + "a")


def test_a_month_at_the_start_of_the_text_is_no_opening_date() -> None:
    assert infer_date("2023年6月，援疆干部来到了喀什的村里。", None) == (None, "unknown")


def test_an_opening_date_starts_a_line_of_its_own() -> None:
    page = PageInfo("示例日报", "2024-05-20", "day", None)
    assert infer_date("援疆干部在喀什。\n3月5日，会议召开。", page) == ("2024-03-05", "day")
    assert infer_date("甲。\n乙。\n3月5日，会议召开。", page) == ("2024-03-05", "day")
    # The line it stands on is the one before it, whatever lines come after.
    assert infer_date("从2014年2月22日至今，援疆干部走过了三年。\n第二段。", None) == (None, "unknown")


@pytest.mark.parametrize(
    ("page", "text", "expected"),
    [
        # A date one month after the page's is of the page's year; two months after, of the year before.
        (PageInfo("示例日报", "2024-01-05", "day", None), "新华社乌鲁木齐2月3日电 记者走访了村庄。", "2024-02-03"),
        (PageInfo("示例日报", "2024-01-05", "day", None), "新华社乌鲁木齐3月3日电 记者走访了村庄。", "2023-03-03"),
        # A page dated only by its year says nothing of the month.
        (PageInfo("示例日报", "2024-01-01", "year", None), "新华社乌鲁木齐12月30日电 记者走访了村庄。", "2024-12-30"),
    ],
)
def test_the_year_of_a_dateline_from_the_page(page: PageInfo, text: str, expected: str) -> None:
    assert infer_date(text, page) == (expected, "day")


def test_parse_date_allows_two_characters_beside_a_date() -> None:
    assert parse_date("2024年3月5日周二") == ("2024-03-05", "day")
    for value in ("2024年3月5日星期二", "会上说起2024年3月5日"):
        with pytest.raises(ValueError, match="not a date"):
            parse_date(value)
