"""Finding the names of a fixed vocabulary in a text: longest first, as words, each naming its values."""

from collections import Counter

from corpus.matching import Matcher

NAMES = {"莎车县": ("喀什",), "喀什": ("喀什",), "沪克": ("上海", "克拉玛依"), "援喀": ("上海", "喀什")}


def test_each_mention_counts_for_every_value_its_name_names() -> None:
    matcher = Matcher(NAMES, ["支援"])
    text = "莎车县和喀什，沪克合作，支援喀什"
    # 援喀 of 支援喀什 is cut through by 支援: no mention; 喀什 inside it still is.
    assert list(matcher.finditer(text)) == [(0, 3, "莎车县"), (4, 6, "喀什"), (7, 9, "沪克"), (14, 16, "喀什")]
    assert matcher.count(text) == Counter({"喀什": 3, "上海": 1, "克拉玛依": 1})


def test_no_names_find_nothing() -> None:
    assert Matcher({}).count("莎车县和喀什") == Counter()
    assert Matcher(NAMES).count("") == Counter()


def test_the_longest_name_starting_at_a_place_is_taken() -> None:
    matcher = Matcher({"喀什": ("喀什",), "喀什地区": ("喀什",), "地区": ("新疆",)})
    # 地区 inside 喀什地区 is no mention of its own.
    assert list(matcher.finditer("喀什地区和喀什")) == [(0, 4, "喀什地区"), (5, 7, "喀什")]


def test_a_boundary_word_of_two_to_four_characters_cuts_through_a_name() -> None:
    names = {"援喀": ("上海", "喀什"), "喀什": ("喀什",)}
    assert list(Matcher(names, ["对口支援"]).finditer("对口支援喀什")) == [(4, 6, "喀什")]
    assert list(Matcher(names, ["口支援喀什"]).finditer("对口支援喀什")) == [(3, 5, "援喀")]  # five: too long


def test_a_boundary_word_ending_at_the_end_of_the_text_cuts_through_a_name() -> None:
    names = {"援喀": ("上海", "喀什"), "喀什": ("喀什",)}
    assert list(Matcher(names, ["喀什"]).finditer("援喀什")) == [(1, 3, "喀什")]


def test_a_word_inside_a_name_at_the_end_of_the_text_does_not_cut_it() -> None:
    # 车县 lies inside 莎车县: no boundary word runs past the end of the text.
    matcher = Matcher({"莎车县": ("喀什",)}, ["车县", "县城里"])
    assert list(matcher.finditer("莎车县")) == [(0, 3, "莎车县")]
