"""Expanding a parsed query: aliases of places and aiders, pinyin readings, what each article marks."""

import pytest

from search.expansion import aliases_of, expand, shown_terms
from search.query import And, Not, Or, Term, parse_query
from search.vocabulary import Vocabulary

VOCABULARY = Vocabulary({"克拉玛依": 9, "和田": 7, "援疆": 15}, entities=["克拉玛依", "和田"])


def expanded(text: str):
    return expand(parse_query(text), lambda: VOCABULARY)


def test_the_shortest_alias_phrases_only() -> None:
    # 沪援疆干部 adds no match to 沪援疆; 沪"组团式"援疆 folds to 沪组团式援疆.
    phrases = aliases_of("上海")
    assert phrases[:8] == ("援克", "沪克", "沪喀", "援喀", "沪疆", "在沪", "赴沪", "来沪")
    assert "沪援疆" in phrases and "沪援疆干部" not in phrases
    assert aliases_of("和田") == ("津和", "津策", "京和")
    assert aliases_of("援疆") == ()


def test_a_place_is_read_with_its_aliases_except_in_quotes() -> None:
    result = expanded('克拉玛依 "和田"')
    assert result.parsed.root == And((Term("克拉玛依", also=aliases_of("克拉玛依")), Term("和田", phrase=True)))
    assert [r.explain() for r in result.readings] == [
        "克拉玛依 也匹配简称：援克、沪克、来克、入克、油城（只含简称的文章排在后面）"]


def test_a_negated_place_excludes_its_aliases_too() -> None:
    assert expanded("援疆 -和田").parsed.root == And((Term("援疆"), Not(Term("和田", also=("津和", "津策", "京和")))))


@pytest.mark.parametrize("text", ["kelamayi", "ke la ma yi", "KeLaMaYi", "ｋｅｌａｍａｙｉ", "klmy"])
def test_pinyin_reads_as_the_word_it_spells(text) -> None:
    result = expanded(text)
    assert result.parsed.root == Term(text, also=("克拉玛依",))
    assert [r.explain() for r in result.readings] == [f"按拼音 {text} 匹配：克拉玛依"]


def test_syllables_typed_apart_are_joined_beside_other_words_and_under_or() -> None:
    assert expanded("援疆 ke la ma yi").parsed.root == And((Term("援疆"), Term("ke la ma yi", also=("克拉玛依",))))
    assert expanded("he tian OR ke la ma yi").parsed.root == Or((Term("he tian", also=("和田",)),
                                                                 Term("ke la ma yi", also=("克拉玛依",))))
    assert expanded("hello world").parsed.root == And((Term("hello"), Term("world")))  # no reading: as typed


def test_the_vocabulary_is_read_only_for_latin_input() -> None:
    def no_vocabulary() -> Vocabulary:
        raise AssertionError("not needed")

    assert expand(parse_query("援疆 和田"), no_vocabulary).parsed.root == And((Term("援疆"), Term("和田", also=aliases_of("和田"))))


def test_an_article_marks_the_typed_term_if_it_has_it_else_the_alternatives() -> None:
    term = Term("上海", also=("沪克", "沪喀"))
    assert shown_terms((term,), "上海援疆", "沪克合作") == [term]
    assert shown_terms((term,), "合作", "沪克合作") == [Term("沪克", True), Term("沪喀", True)]
    assert shown_terms((Term("援疆"),), "", "") == [Term("援疆")]


def test_a_reading_of_several_words_lists_them_with_enumeration_commas():
    from search.expansion import Reading

    assert Reading("hetian", "pinyin", ("和田", "河田")).explain() == "按拼音 hetian 匹配：和田、河田"
    assert Reading("上海", "alias", ("沪", "沪克")).explain() == "上海 也匹配简称：沪、沪克（只含简称的文章排在后面）"


def test_syllables_are_joined_under_a_negation_and_in_a_title_group() -> None:
    assert expanded("援疆 -(ke la ma yi)").parsed.root == And((Term("援疆"), Not(Term("ke la ma yi", also=("克拉玛依",)))))
    assert expanded("title:(he tian) 援疆").parsed.root == And((Term("he tian", field="title", also=("和田",)), Term("援疆")))
    # A run of syllables ends where the field changes, and the next run starts there.
    assert expanded("he tian title:he title:tian").parsed.root == And((
        Term("he tian", also=("和田",)), Term("he tian", field="title", also=("和田",))))


def test_syllables_typed_apart_read_as_at_most_three_words() -> None:
    vocabulary = Vocabulary({"和田": 9, "河田": 8, "合田": 7, "禾田": 6, "荷田": 5}, entities=[])
    for typed in ("he tian", "hetian"):
        assert expand(parse_query(typed), lambda: vocabulary).parsed.root == Term(typed, also=("和田", "河田", "合田"))


def test_readings_are_explained_in_the_order_the_terms_were_typed() -> None:
    assert [r.explain() for r in expanded("和田 kelamayi").readings] == [
        "和田 也匹配简称：津和、津策、京和（只含简称的文章排在后面）", "按拼音 kelamayi 匹配：克拉玛依"]


def test_an_article_marks_the_alternatives_in_the_terms_field_and_goes_on_to_the_next_term() -> None:
    in_title = Term("上海", field="title", also=("沪克",))
    assert shown_terms((in_title,), "合作", "沪克合作") == [Term("沪克", True, "title")]
    assert shown_terms((Term("上海", also=("沪克",)), Term("援疆")), "合作", "沪克援疆") == [Term("沪克", True), Term("援疆")]
