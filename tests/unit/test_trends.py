"""Trends as pure functions: periods, gaps, shares, the chart's scale and its broken lines."""

from __future__ import annotations

import numpy as np

from search.model import SearchRequest
from search.trends import Series, Trends, period_names, series_of, trend_rows
from web.trends import chart, nice_step


def test_periods_run_from_the_first_to_the_last():
    assert period_names("year", 2021, 2024) == ("2021", "2022", "2023", "2024")
    assert period_names("month", 2023 * 12 + 10, 2024 * 12 + 1) == ("2023-11", "2023-12", "2024-01", "2024-02")
    assert period_names("year", 0, -1) == ()


def test_a_period_without_any_article_is_a_gap_not_a_zero():
    series = series_of("援疆", np.array([2, 0, 0, 3]), np.array([4, 0, 5, 3]), 1)
    assert series == Series("援疆", (2, None, 0, 3), (0.5, None, 0.0, 1.0), 5, 1)


def _trends() -> Trends:
    return Trends(SearchRequest(), "year", ("2021", "2022", "2023", "2024"), (4, 0, 5, 2),
                  (Series("援疆", (2, None, 1, 2), (0.5, None, 0.2, 1.0), 5, 0),
                   Series("援助", (0, None, 4, None), (0.0, None, 0.8, None), 4, 2)), 3, 0, 1.0)


def test_the_csv_has_a_period_a_row_with_each_count_and_share():
    columns, rows = trend_rows(_trends())
    assert columns == ["period", "articles", "援疆", "援疆 share", "援助", "援助 share"]
    assert rows[:2] == [
        {"period": "2021", "articles": 4, "援疆": 2, "援疆 share": 0.5, "援助": 0, "援助 share": 0.0},
        {"period": "2022", "articles": 0, "援疆": "", "援疆 share": "", "援助": "", "援助 share": ""},
    ]


def test_steps_are_one_two_or_five_times_a_power_of_ten():
    assert [nice_step(v) for v in (4, 9, 23, 0.37, 0)] == [1, 2, 5, 0.1, 1.0]


def test_the_chart_breaks_each_line_at_a_gap():
    drawn = chart(_trends(), "count")
    # x from 64 to 704 in three steps; counts up to 4 over a plot 260 high from y = 16.
    assert drawn.x_labels == ((64.0, "2021"), (277.3, "2022"), (490.7, "2023"), (704.0, "2024"))
    assert drawn.y_ticks[0] == (276.0, "0") and drawn.y_ticks[-1] == (16.0, "4")
    assert drawn.gaps == ((170.6, 213.3, "2022"),)
    first, second = drawn.lines
    assert first.runs == ("M490.7 211.0 L704.0 146.0",)  # 2021 stands alone: a point without a line
    assert [(p.x, p.y) for p in first.points] == [(64.0, 146.0), (490.7, 211.0), (704.0, 146.0)]
    assert first.points[0].label == "援疆 · 2021：2 篇，占 50%（共 4 篇）"
    assert second.runs == ()
    assert (second.dash, second.marker) == ("7 4", "square")
    shares = chart(_trends(), "share")
    assert shares.y_ticks[-1] == (16.0, "100%")
