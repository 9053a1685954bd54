"""Notices: a chosen filter value that no article has and the data files do not know gets a hint."""

from __future__ import annotations

import pytest

from search.model import SearchRequest
from tests.conftest import make_article

ARTICLES = [
    make_article("kashgar", "莎车县援疆", "上海援疆干部在莎车县工作。", regions=("喀什",), aid_from=("上海",),
                 sectors=("教育",), source="解放日报"),
]


@pytest.mark.parametrize(
    ("choice", "notices"),
    [
        ({"regions": ("莎车县",)}, ("“莎车县”属于地区“喀什”：请选“喀什”",)),
        ({"aid_from": ("无锡",)}, ("“无锡”属于援助方“江苏”：请选“江苏”",)),
        ({"aid_from": ("廣東",)}, ("“廣東”即“广东”：请选“广东”",)),
        ({"sources": ("上观新闻",)}, ("“上观新闻”属于来源“解放日报”：请选“解放日报”",)),
        ({"sectors": ("教育局",)}, ("“教育局”不是已知的领域；最接近的是“教育”。已知的领域：产业经济、能源、数字科技、农业、教育、"
                                   "医疗卫生、文化旅游、就业民生、交通、党建政务、社区治理、安全应急、生态水利",)),
        # Known to the data files, though no article has it: the empty answer is a true one.
        ({"regions": ("兵团",)}, ()),
        ({"regions": ("喀什",)}, ()),
    ],
)
def test_unknown_filter_values_get_a_hint(service_of, choice, notices) -> None:
    result = service_of(ARTICLES).search(SearchRequest(query="援疆", **choice))
    assert result.notices == notices


def test_an_unknown_region_lists_the_known_ones(service_of) -> None:
    [notice] = service_of(ARTICLES).search(SearchRequest(query="援疆", regions=("火星",))).notices
    assert notice == ("“火星”不是已知的地区。已知的地区：克拉玛依、喀什、和田、阿克苏、哈密、阿勒泰、乌鲁木齐、伊犁、昌吉、"
                      "吐鲁番、塔城、博州、巴州、克州、兵团、新疆")
