"""Keyword in context as pure functions: the contexts of each match and the orders of the lines."""

from __future__ import annotations

from search.concordance import Line, contexts, sort_key


def test_contexts_take_width_characters_each_side_on_one_line():
    text = "上海援疆教师在泽普县开展送教活动。\n援疆干部扎根基层。"
    assert contexts(text, [(2, 4), (18, 20)], 3) == [
        ("上海", "援疆", "教师在", 2),
        ("动。 ", "援疆", "干部扎", 18),
    ]
    assert contexts(text, [], 3) == []


def _line(id: str, left: str, right: str, date: str | None = "2023-01-01", position: int = 0) -> Line:
    return Line(id, "标题", date, "day", "新疆日报", left, "援疆", right, position)


def test_lines_sort_by_the_left_context_read_backwards_by_the_right_or_by_date():
    lines = [_line("a", "北京", "医疗", "2024-05-01"), _line("b", "天津", "干部", "2023-02-01"),
             _line("c", "上海", "教师", None), _line("d", "组团式", "干部", "2023-02-01", 9),
             _line("e", "上海", "教师", "2023-01-01")]
    # Backwards, the left contexts begin 京, 津, 海, 式 (in code point order 京 式 津 海): what stands just before the match groups them.
    # Equal contexts: the dated line first, an unknown date (None) last.
    assert [x.id for x in sorted(lines, key=lambda x: sort_key(x, "left"))] == ["a", "d", "b", "e", "c"]
    assert [x.id for x in sorted(lines, key=lambda x: sort_key(x, "right"))] == ["a", "b", "d", "e", "c"]
    # Oldest first, undated last; one article's lines in the order they stand.
    assert [x.id for x in sorted(lines, key=lambda x: sort_key(x, "date"))] == ["e", "b", "d", "a", "c"]
