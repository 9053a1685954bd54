"""Regions from the places an article names: counties bare or full, traditional forms, the 兵团, look-alikes."""

from __future__ import annotations

import pytest

from corpus.folding import fold
from corpus.places import infer_regions


def regions(text: str, title: str = "", home: str | None = None) -> tuple[str, ...]:
    return infer_regions(fold(title), fold(text), home)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("援疆教师在莎车、泽普和叶城支教，莎车的孩子们很喜欢。", ("喀什",)),
        ("阿克蘇地區溫宿縣的果園。阿克蘇的蘋果。", ("阿克苏",)),  # traditional
        ("兵团第三师图木舒克市的企业，第三师的职工。", ("兵团",)),
        ("第十四师224团的红枣，四十七团的老兵纪念馆。", ("兵团",)),
        ("喀拉喀什河两岸的墨玉县农田，墨玉县的村民。", ("和田",)),  # the river is no 喀什
        ("克州阿图什市和阿克陶县的学校。", ("克州",)),
        ("新疆的技术用于田间管理，提高产量。", ("新疆",)),  # 用于田间 holds no 于田
    ],
)
def test_regions(text: str, expected: tuple[str, ...]) -> None:
    assert regions(text) == expected


def test_xinjiang_as_a_whole_when_named_as_often_as_the_leading_region() -> None:
    text = "新疆各地援疆成效显著。新疆的干部群众说，新疆变化很大。和田也有变化。和田很好。"
    assert regions(text) == ("新疆", "和田")


def test_a_local_paper_names_xinjiang_in_passing() -> None:
    text = "新疆各地援疆成效显著。新疆的干部群众说，新疆变化很大。和田也有变化。和田很好。"
    assert regions(text, home="和田") == ("和田",)


def test_a_bare_corps_named_in_passing_weighs_less_than_its_divisions() -> None:
    text = "自治区党委书记、兵团党委书记出席。会议在喀什举行，喀什地区、喀什市领导参加，兵团领导参加。"
    assert regions(text) == ("喀什",)


def test_an_article_naming_no_place_has_no_region() -> None:
    assert regions("援疆干部在这里工作了三年。") == ()


def test_each_regiment_counts_once_and_adds_to_the_divisions_named() -> None:
    # 喀什 twice, one regiment: the 兵团 is under the least count a region needs.
    assert regions("喀什的学校，喀什的医院，224团的果园。") == ("喀什",)
    # 第三师 twice and a regiment make the 兵团 the leading region.
    assert regions("第三师的企业，第三师的学校，224团的果园，喀什的学校，喀什的医院。") == ("兵团", "喀什")


def test_xinjiang_named_twice_and_no_region_is_xinjiang() -> None:
    assert regions("新疆的干部说，新疆变化很大。") == ("新疆",)


def test_xinjiang_as_a_whole_at_the_least_count_and_as_often_as_the_leading_region() -> None:
    assert regions("新疆的干部说，新疆变化很大。和田也有变化。和田很好。") == ("新疆", "和田")


@pytest.mark.parametrize(
    ("home", "expected"),
    [
        # Elsewhere a region named a quarter as often as the leading one is kept; on a local
        # paper's page it must be named half as often.
        (None, ("喀什", "和田")),
        ("喀什", ("喀什",)),
    ],
)
def test_the_share_of_the_leading_region_a_region_needs(home: str | None, expected: tuple[str, ...]) -> None:
    assert regions("喀什的学校很好。" * 8 + "和田的医院很好。" * 3, home=home) == expected


def test_a_local_paper_keeps_its_home_region_named_once_over_xinjiang() -> None:
    assert regions("新疆的干部说，新疆变化很大，新疆很好。和田也有变化。", home="和田") == ("和田",)


def test_a_region_named_as_often_as_xinjiang_wins_over_it() -> None:
    assert regions("新疆的干部来到和田。") == ("和田",)


def test_xinjiang_right_before_a_place_qualifies_it_and_names_no_xinjiang_as_a_whole() -> None:
    # 新疆阿勒泰, 新疆维吾尔自治区阿勒泰地区: the article is about 阿勒泰, where Xinjiang is named as
    # often as it only to say where 阿勒泰 is.
    text = "新疆阿勒泰地区的干部说，新疆维吾尔自治区阿勒泰地区变化很大。"
    assert regions(text) == ("阿勒泰",)
    # Set apart from the place, Xinjiang is named for itself.
    assert regions("新疆的干部说，新疆、阿勒泰变化很大。阿勒泰很好。") == ("新疆", "阿勒泰")
