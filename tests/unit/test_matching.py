"""Finding the names of a fixed vocabulary in a text: longest first, as words, each naming its values."""

import random
import re
from collections import Counter

import pytest

from corpus.matching import Matcher, _trie_pattern

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


def _every_position(matcher: Matcher, names: dict[str, tuple[str, ...]], text: str) -> list[tuple[int, int, str]]:
    """finditer's answer found the plain way: the longest name tried at every character (a lookahead)."""
    pattern = re.compile("(?=(" + _trie_pattern(names) + "))")
    found, position = [], 0
    for match in pattern.finditer(text):
        start, name = match.start(), match.group(1)
        if start < position or (matcher.boundary and matcher._straddled(text, start, start + len(name))):
            continue
        position = start + len(name)
        found.append((start, position, name))
    return found


@pytest.mark.parametrize("seed", range(20))
def test_names_tried_only_where_their_first_character_stands_are_those_found_at_every_character(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "喀什莎车县地区和田沪克援疆支南京昆山的了"
    names = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))): ("x",) for _ in range(rng.randint(1, 12))}
    boundary = ["".join(rng.choice(alphabet) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(0, 6))]
    matcher = Matcher(names, boundary)
    for _ in range(20):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert list(matcher.finditer(text)) == _every_position(matcher, names, text)
