"""Proximity as pure functions: how "援疆 干部"~10 and NEAR/10 parse, which stretches match, what is marked."""

from __future__ import annotations

import numpy as np
import pytest

from search.errors import BadQuery
from search.highlight import match_spans, snippet
from search.proximity import near_pairs, stretches
from search.query import And, Near, Not, Term, parse_query, positive_terms

YUAN, GAN = Term("援疆", True), Term("干部", True)


@pytest.mark.parametrize("typed", ['"援疆 干部"~10', '“援疆 干部”～10', '"援疆  干部"~10'])
def test_a_quoted_phrase_with_a_tilde_is_a_proximity(typed):
    assert parse_query(typed).root == Near((YUAN, GAN), 10)


def test_near_joins_words_and_chains_of_the_same_distance():
    assert parse_query("援疆 NEAR/3 干部").root == Near((Term("援疆"), Term("干部")), 3)
    parsed = parse_query('援疆 NEAR/5 "干部" NEAR/5 人才 教育')
    assert parsed.root == And((Near((Term("援疆"), Term("干部", True), Term("人才")), 5), Term("教育")))
    # The proximity is highlighted as one; its words still count for corrections.
    assert parsed.highlight_terms == (parsed.root.items[0], Term("教育"))
    assert positive_terms(parsed.root) == [Term("援疆"), Term("干部", True), Term("人才"), Term("教育")]


def test_a_proximity_of_one_word_is_that_word_and_may_be_negated():
    assert parse_query('"援疆"~4').root == Term("援疆", True)
    assert parse_query('教育 -"援疆 干部"~2').root == And((Term("教育"), Not(Near((YUAN, GAN), 2))))
    assert parse_query("title:(援疆 NEAR/2 干部)").root == Near((Term("援疆", field="title"), Term("干部", field="title")), 2)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("NEAR/3 干部", "NEAR/3 的前后都要有搜索词，例如：援疆 NEAR/3 干部"),
        ("援疆 NEAR/3", "NEAR/3 的前后都要有搜索词，例如：援疆 NEAR/3 干部"),
        ("援疆 NEAR/3 (上海 OR 天津)", "NEAR/3 只能连接词或引号里的短语，例如：援疆 NEAR/3 干部"),
        ("援疆 NEAR/3 title:干部", "NEAR/3 只能连接词或引号里的短语，例如：援疆 NEAR/3 干部"),
        ("援疆 NEAR/3 NOT 干部", "NEAR/3 只能连接词或引号里的短语，例如：援疆 NEAR/3 干部"),
        ("援疆 NEAR/3 -干部", "NEAR/3 只能连接词或引号里的短语，例如：援疆 NEAR/3 干部"),
        ('"援疆 干部"~3 NEAR/4 人才', "NEAR/4 只能连接词或引号里的短语，例如：援疆 NEAR/4 干部"),
        ('"援疆 干部"~5000', "~5000 的距离最多 1000 个字（收到：5000）"),
    ],
)
def test_a_proximity_that_cannot_be_read_says_what_to_change(typed, message):
    with pytest.raises(BadQuery) as error:
        parse_query(typed)
    assert str(error.value) == message


def test_stretches_hold_every_word_within_the_distance_in_either_order():
    # 援疆 at 0 and 20, 干部 at 4 and 9 (lengths 2): gaps of 2 (0→4), 7 (0→9), 9 (9→20).
    assert stretches([[0, 20], [4, 9]], [2, 2], 2) == [(0, 6)]
    assert stretches([[0, 20], [4, 9]], [2, 2], 9) == [(0, 6), (9, 22)]
    # Three words: the smallest stretch holding all of them, with 4 + 2 other characters in it.
    assert stretches([[0], [6], [10]], [2, 2, 2], 6) == [(0, 12)]
    assert stretches([[0], [6], [10]], [2, 2, 2], 5) == []
    # A word typed twice must occur twice.
    assert stretches([[0, 5], [0, 5]], [2, 2], 3) == [(0, 7)]
    assert stretches([[0], [0]], [2, 2], 3) == []


def test_near_pairs_stay_within_a_field():
    first = np.array([0, 30])
    second = np.array([5, 41])
    bounds = np.array([[0, 20], [21, 60]])
    assert near_pairs(first, second, (2, 2), bounds, 3, False).tolist() == [0]
    assert near_pairs(first, second, (2, 2), bounds, 9, False).tolist() == [0, 1]
    assert near_pairs(first, second, (2, 2), np.array([[0, 4], [21, 60]]), 9, False).tolist() == [1]


def test_a_proximity_is_marked_as_one_match_from_its_first_word_to_its_last():
    text = "干部们说，援疆是光荣的。援疆工作中有一批来自上海的年轻干部。"
    near = Near((YUAN, GAN), 5)
    assert match_spans(text, [near]) == [(0, 7)]
    assert snippet(text, match_spans(text, [near, Term("上海")])) == (
        "<mark>干部们说，援疆</mark>是光荣的。援疆工作中有一批来自<mark>上海</mark>的年轻干部。")
    assert match_spans(text, [Near((Term("援疆", field="title"), GAN), 5)]) == []


def test_a_distance_of_a_thousand_characters_is_the_longest_allowed():
    assert parse_query("援疆 NEAR/1000 干部").root == Near((Term("援疆"), Term("干部")), 1000)
    with pytest.raises(BadQuery, match="^NEAR/1001 的距离最多 1000 个字（收到：1001）$"):
        parse_query("援疆 NEAR/1001 干部")


def test_a_side_of_near_with_no_word_leaves_the_other_word_alone():
    assert parse_query('"，" NEAR/3 干部').root == Term("干部")
    assert parse_query('干部 NEAR/3 "，"').root == Term("干部")


def test_a_proximity_in_a_field_searches_its_words_in_that_field():
    assert parse_query('title:"援疆 干部"~5').root == Near((Term("援疆", True, "title"), Term("干部", True, "title")), 5)


def test_a_tilde_without_a_number_is_no_proximity():
    phrase = Term("援疆 干部", True)
    assert parse_query('"援疆 干部"~').root == phrase
    assert parse_query('"援疆 干部"~上海').root == And((phrase, Term("~上海")))
    assert parse_query('"援疆 干部"~5上海').root == And((Near((YUAN, GAN), 5), Term("上海")))
    assert parse_query('"援疆 干部"~5X').root == And((Near((YUAN, GAN), 5), Term("X")))
