"""Page furniture: which lines of a web page are navigation, a date or source line, a byline, or a column label."""

from __future__ import annotations

import pytest

from corpus.furniture import is_column_label, web_kind
from corpus.page import web_head


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # A Han name of up to four characters, a transliterated one with its dot of up to twelve.
        ("示例日报记者 欧阳明月", "byline"),
        ("示例日报记者 欧阳明月亮", None),
        ("示例日报记者 阿卜杜热合曼·买买提明江", "byline"),
        ("示例日报记者 阿卜杜热合曼·买买提明江河", None),
        # What follows the role is names only: no sentence, no photographer's credit.
        ("示例日报记者 王明。", None),
        ("示例日报记者 王明摄", None),
        # The role read by the pattern that leaves names after it (记者：…), not the first that finds it.
        ("记者：欧阳明月", "byline"),
    ],
)
def test_bylines(line: str, kind: str | None) -> None:
    assert web_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "石榴云/新疆日报",  # names of outlets only
        "China Daily",  # one outlet's name of two words
        "新疆都市报 > 新闻",  # a breadcrumb starting at an outlet
        "新疆都市报 > 新闻 > 新疆新闻",
    ],
)
def test_a_masthead_is_a_meta_line(line: str) -> None:
    assert web_kind(line) == "meta"


def test_a_masthead_of_two_words_stays_in_the_header() -> None:
    header, text = web_head("China Daily\n发布日期：2023-06-04\n正文第一段。\n")
    assert header == ["China Daily", "发布日期：2023-06-04"]
    assert text == "正文第一段。"


def test_a_breadcrumb_is_a_masthead_only_when_it_starts_at_an_outlet() -> None:
    assert web_kind("示例频道 > 新闻") is None


def test_header_lines_up_to_100_characters_and_no_empty_line() -> None:
    line = "来源：示例日报 " + "a" * 92
    assert len(line) == 100
    assert web_kind(line) == "meta"
    assert web_kind(line + "a") is None
    assert web_kind("") is None
    assert web_kind("   ") is None


def test_a_short_line_of_no_chinese_is_navigation() -> None:
    assert web_kind("AA04 " + "x" * 15) == "nav"
    assert web_kind("AA04 " + "x" * 16) is None


def test_a_column_label_with_spaces_or_read_twice() -> None:
    assert is_column_label("援疆 工作进行时")
    assert is_column_label("援疆工作进行时 援疆工作进行时")
    assert not is_column_label("援疆工作进行时。")
    assert not is_column_label(" ")
