"""The facts of corpus/data hold together: the gazetteer, the regions, the 19 aiders and the pairing table."""

from __future__ import annotations

from collections import Counter

from corpus import datafiles
from corpus.metadata import aided_regions, aider_names, region_names

AIDERS = ("北京", "天津", "上海", "广东", "深圳", "辽宁", "江苏", "浙江", "福建", "山东", "河南", "湖北",
          "湖南", "安徽", "江西", "山西", "河北", "吉林", "黑龙江")
REGIONS = ("克拉玛依", "喀什", "和田", "阿克苏", "哈密", "阿勒泰", "乌鲁木齐", "伊犁", "昌吉", "吐鲁番", "塔城",
           "博州", "巴州", "克州", "兵团", "新疆")


def test_the_regions_are_the_14_prefecture_level_regions_the_corps_and_xinjiang() -> None:
    assert region_names() == REGIONS


def test_every_place_leads_to_exactly_one_region() -> None:
    rows = datafiles.places()
    counts = Counter(place for place, _, _ in rows)
    assert [place for place, n in counts.items() if n > 1] == []
    assert {region for _, region, _ in rows} - set(REGIONS) == {"-"}
    # No place is also a region's name or alias meaning another region.
    aliases = datafiles.region_aliases()
    assert [p for p, region, _ in rows if p in aliases and aliases[p] != region] == []


def test_every_county_level_division_has_a_full_name() -> None:
    counties = [place for place, _, kind in datafiles.places() if kind == "county"]
    # The 14 prefecture-level regions hold 98 counties, county-level cities and districts (和安县 and
    # 和康县 of 2024 among them); the 兵团's cities are counted with its divisions.
    assert len(counties) == 98
    assert all(place.endswith(("县", "市", "区")) for place in counties)
    divisions = [place for place, _, kind in datafiles.places() if kind == "division"]
    assert divisions == [f"第{n}师" for n in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                                             "十一", "十二", "十三", "十四")]


def test_the_19_aiders_and_each_city_acts_for_one_of_them() -> None:
    assert aider_names() == AIDERS
    assert set(datafiles.aider_cities().values()) <= set(AIDERS)
    # A city named like an aider would make the aider ambiguous.
    assert set(datafiles.aider_cities()) & {n for names in datafiles.aiders().values() for n in names} == set()


def test_every_aider_aids_places_the_gazetteer_knows() -> None:
    places = datafiles.gazetteer()
    assert {aider for aider, _ in datafiles.pairings()} == set(AIDERS)
    assert [aided for _, aided in datafiles.pairings() if places.get(aided, "-") == "-"] == []
    assert aided_regions()["上海"] == ("喀什", "克拉玛依")
    assert aided_regions()["北京"] == ("和田", "兵团")


def test_aliases_name_known_places_and_aiders() -> None:
    known = set(REGIONS) | set(AIDERS)
    assert [alias for alias, meanings in datafiles.aliases().items() if not set(meanings) <= known] == []
