"""Aiders from aid phrases, abbreviations, cities and clauses, matched only where they stand as words."""

from __future__ import annotations

import pytest

from corpus.aiders import infer_aid_from
from corpus.folding import fold


def aiders(text: str) -> tuple[str, ...]:
    return infer_aid_from("", fold(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("廣東援疆幹部在疏附縣工作。", ("广东",)),  # traditional, folded
        ("上海對口援疆二十年。", ("上海",)),
        ("滬喀兩地攜手。", ("上海",)),
        ("无锡援疆干部在阿合奇县。", ("江苏",)),  # a city acts for its province
        ("深圳援疆指挥部在喀什市。", ("深圳",)),  # an aider of its own within 广东
        ("江苏省派出的医疗队支援新疆。", ("江苏",)),  # the subject of aid in a clause
        ("辽疆携手谱新篇。", ("辽宁",)),
        ("鄂博同心。", ("湖北",)),
    ],
)
def test_aiders(text: str, expected: tuple[str, ...]) -> None:
    assert aiders(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "各地倾力支援喀什建设。",  # 援喀 cut out of 支援喀什
        "全国支援克州发展。",  # 援克 cut out of 支援克州
        "他从南京和昆山来到新疆。",  # 京和 cut out of 南京和
        "把社会稳定和长治久安作为对口援疆的目标。",  # 长治 is no city here
        "上海交易会上，新疆的农产品很受欢迎。",  # named, but not as aiding
    ],
)
def test_names_inside_other_words_or_outside_aid_are_no_aiders(text: str) -> None:
    assert aiders(text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上海企业在喀什投资建厂。", ("上海",)),  # 企业 follows an aider's own name ...
        ("上海市企业在喀什投资建厂。", ("上海",)),
        ("浦东企业在喀什投资建厂。", ()),  # ... not a city's (the city's firms aid nobody as such)
        ("沪企业在喀什投资建厂。", ()),  # nor an abbreviation's
    ],
)
def test_some_phrases_name_an_aider_only_by_its_own_name(text: str, expected: tuple[str, ...]) -> None:
    assert aiders(text) == expected


def test_a_name_inside_an_aid_phrase_counts_once_and_the_names_after_it_still_count() -> None:
    # 上海 of 上海援疆 is the phrase's: named once, against 江苏's two clauses.
    text = "江苏省派出的医疗队支援新疆，江苏省派出的教师支援新疆。上海援疆。"
    assert aiders(text) == ("江苏", "上海")
    assert aiders("上海援疆。江苏省派出的医疗队支援新疆。") == ("上海", "江苏")


def test_a_name_right_after_an_aid_phrase_is_a_name_of_its_own() -> None:
    assert aiders("沪喀江苏省医疗队支援新疆。") == ("上海", "江苏")
