"""The query language: trees and readings of malformed input."""

import pytest

from search.errors import BadQuery
from search.query import MAX_QUERY_LENGTH, MAX_TERMS, And, Not, Or, Term, count_terms, parse_query


def tree(text):
    return parse_query(text).root


def test_words_are_all_required():
    assert tree("克拉玛依 教育") == And((Term("克拉玛依"), Term("教育")))


def test_quoted_phrase_is_one_term():
    assert tree('"对口 支援" 上海') == And((Term("对口 支援", phrase=True), Term("上海")))


def test_chinese_quotes_make_phrases():
    assert tree("“对口支援”") == Term("对口支援", phrase=True)


def test_and_between_words_is_what_a_space_is():
    assert tree("援疆 AND 干部") == And((Term("援疆"), Term("干部")))
    assert tree("援疆 干部 AND 医疗") == And((Term("援疆"), Term("干部"), Term("医疗")))


def test_or_binds_looser_than_and():
    assert tree("a b OR c") == Or((And((Term("a"), Term("b"))), Term("c")))


def test_not_and_minus():
    assert tree("上海 -北京 NOT 天津") == And((Term("上海"), Not(Term("北京")), Not(Term("天津"))))


def test_minus_inside_a_word_is_not_negation():
    assert tree("2023-2025") == Term("2023-2025")


def test_parentheses_group():
    assert tree("(教育 OR 医疗) 和田") == And((Or((Term("教育"), Term("医疗"))), Term("和田")))


def test_fullwidth_parentheses_group():
    assert tree("（教育 OR 医疗）") == Or((Term("教育"), Term("医疗")))


def test_title_field():
    assert tree("title:克拉玛依 教育") == And((Term("克拉玛依", field="title"), Term("教育")))
    assert tree('标题："沙漠 美人"') == Term("沙漠 美人", phrase=True, field="title")
    assert tree("title:(a OR b)") == Or((Term("a", field="title"), Term("b", field="title")))


@pytest.mark.parametrize(
    ("typed", "root"),
    [
        ("援疆 title", And((Term("援疆"), Term("title")))),  # the field's name without a colon is a word
        ("援疆 标题", And((Term("援疆"), Term("标题")))),
        ("比例:50%", Term("比例:50%")),  # a colon after anything else is part of the word
        ("比例：50%", Term("比例：50%")),
        ("title:援疆:干部", Term("援疆:干部", field="title")),  # the first colon ends the field's name
    ],
)
def test_only_a_field_name_before_a_colon_restricts_the_field(typed, root):
    assert tree(typed) == root


def test_a_negated_word_in_a_title_group_is_excluded_from_the_title():
    assert tree("title:(援疆 -北京)") == And((Term("援疆", field="title"), Not(Term("北京", field="title"))))
    assert tree("标题:(NOT 北京)") == Not(Term("北京", field="title"))
    assert tree("title:(援疆 OR (医疗 -北京))") == Or((
        Term("援疆", field="title"), And((Term("医疗", field="title"), Not(Term("北京", field="title"))))))
    # A group of nothing searchable restricts nothing.
    assert tree("title:(，) 援疆") == Term("援疆")
    assert tree("title:(援疆 -，)") == Term("援疆", field="title")


def test_a_minus_opening_a_group_negates():
    assert tree("(-北京 援疆)") == And((Not(Term("北京")), Term("援疆")))
    assert tree("（-北京 援疆）") == And((Not(Term("北京")), Term("援疆")))
    assert tree("援疆 (-北京)") == And((Term("援疆"), Not(Term("北京"))))
    # Inside a word (and after a closing bracket or quote) a minus is a hyphen.
    assert tree("援疆-北京") == Term("援疆-北京")
    assert tree("(援疆)-北京") == And((Term("援疆"), Term("-北京")))


def test_lowercase_or_is_a_word():
    assert tree("a or b") == And((Term("a"), Term("or"), Term("b")))


def test_unclosed_quote_runs_to_the_end():
    assert tree('上海 "对口支援') == And((Term("上海"), Term("对口支援", phrase=True)))


def test_unclosed_bracket_closes_at_the_end():
    assert tree("(教育 OR 医疗") == Or((Term("教育"), Term("医疗")))


def test_words_without_word_characters_are_ignored():
    assert tree("上海 ， —— 北京") == And((Term("上海"), Term("北京")))
    assert tree("教育 -") == Term("教育")


def test_empty_query_is_everything():
    parsed = parse_query("   ")
    assert parsed.is_empty and parsed.root is None and parsed.highlight_terms == ()


def test_highlight_terms_skip_negated_terms():
    assert parse_query("上海 -北京 (教育 OR NOT 医疗)").highlight_terms == (Term("上海"), Term("教育"))


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("援疆 -(北京 天津)", (Term("援疆"),)),  # every word of a negated group
        ("援疆 NOT (北京 OR 天津)", (Term("援疆"),)),
        ("援疆 NOT NOT 北京", (Term("援疆"), Term("北京"))),  # a double negation asks for the word
    ],
)
def test_highlight_terms_follow_negation_through_groups(typed, shown):
    assert parse_query(typed).highlight_terms == shown


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("教育)", "第 3 个字符“)”没有对应的左括号：删去它，或在前面补上“(”"),
        ("  教育（医疗）)", "第 9 个字符“)”没有对应的左括号：删去它，或在前面补上“(”"),
        ("教育）", "第 3 个字符“）”没有对应的左括号：删去它，或在前面补上“（”"),
        ("OR", "OR 的前后都要有搜索词，例如：教育 OR 医疗"),
        ("教育 OR", "OR 的前后都要有搜索词，例如：教育 OR 医疗"),
        ("OR 教育", "OR 的前后都要有搜索词，例如：教育 OR 医疗"),
        ("NOT", "NOT 后面要紧跟一个搜索词，例如：教育 NOT 医疗"),
        ("教育 -)", "- 后面要紧跟一个搜索词，例如：教育 -医疗"),
        ("援疆 -OR 干部", "- 后面要紧跟一个搜索词，例如：教育 -医疗"),
        ("NOT AND 干部", "NOT 后面要紧跟一个搜索词，例如：教育 NOT 医疗"),
        ("NOT )", "NOT 后面要紧跟一个搜索词，例如：教育 NOT 医疗"),
        ('"援疆" )', "第 6 个字符“)”没有对应的左括号：删去它，或在前面补上“(”"),
        ("- ", "没有可以检索的内容：搜索词里要有汉字、字母或数字"),
        ("教育 AND", "AND 的前后都要有搜索词，例如：教育 AND 医疗"),
        ("AND 教育", "AND 的前后都要有搜索词，例如：教育 AND 医疗"),
        ("援疆 AND OR 干部", "AND 的前后都要有搜索词，例如：教育 AND 医疗"),
        ("援疆 AND AND 干部", "AND 的前后都要有搜索词，例如：教育 AND 医疗"),
        ("(援疆 AND) 干部", "AND 的前后都要有搜索词，例如：教育 AND 医疗"),
        ("title:", "title: 后面要紧跟一个搜索词，例如：title:克拉玛依"),
        ("标题：", "title: 后面要紧跟一个搜索词，例如：title:克拉玛依"),
        ("，。！", "没有可以检索的内容：搜索词里要有汉字、字母或数字"),
        ("(" * 17 + "a", "括号最多嵌套 16 层：请去掉多余的括号"),
        ("援" * 5000, f"搜索词太长：最多 {MAX_QUERY_LENGTH} 个字符，收到 5000 个"),
        # The costliest queries the API once accepted: each term is looked up on its own.
        (" ".join(["援"] * 250), "搜索词太多：最多 32 个词或短语，收到 250 个；请删去一些，或把相连的词放进引号组成一个短语"),
        (" ".join(["-的"] * 166), "搜索词太多：最多 32 个词或短语，收到 166 个；请删去一些，或把相连的词放进引号组成一个短语"),
        (" OR ".join("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星天地人"),
         "搜索词太多：最多 32 个词或短语，收到 33 个；请删去一些，或把相连的词放进引号组成一个短语"),
    ],
)
def test_malformed_queries_say_what_to_change(text, message):
    with pytest.raises(BadQuery) as info:
        parse_query(text)
    assert str(info.value) == message


def test_as_many_terms_as_allowed_negated_ones_included_are_read():
    words = [chr(0x4E00 + i) for i in range(MAX_TERMS)]
    parsed = parse_query(" ".join(words[:16]) + " " + " ".join("-" + w for w in words[16:]))
    assert count_terms(parsed.root) == MAX_TERMS == 32


def test_the_words_of_a_proximity_count_as_terms():
    assert count_terms(parse_query('"援疆 干部"~10 上海').root) == 3


def test_brackets_nest_sixteen_deep_and_groups_side_by_side_count_once_each():
    assert parse_query("(" * 16 + "援疆" + ")" * 16).root == Term("援疆")
    words = [f"词{n}" for n in range(17)]
    assert parse_query(" ".join(f"({w})" for w in words)).root == And(tuple(Term(w) for w in words))


def test_no_query_has_no_terms():
    assert count_terms(None) == 0


@pytest.mark.parametrize("query", [
    "((" + "(援疆) " + "(" * 15 + "干部" + ")" * 15 + "))",  # 2 + 15 deep after a closed group
    "(援疆) " + "(" * 17 + "干部" + ")" * 17,
])
def test_a_closed_group_gives_back_exactly_its_own_level(query):
    with pytest.raises(BadQuery, match="^括号最多嵌套 16 层：请去掉多余的括号$"):
        parse_query(query)
    assert parse_query("((" + "(援疆) " + "(" * 14 + "干部" + ")" * 14 + "))").root == And((Term("援疆"), Term("干部")))


def test_a_field_inside_a_group_stays_with_its_word():
    assert parse_query("(title:援疆 干部)").root == And((Term("援疆", field="title"), Term("干部")))


@pytest.mark.parametrize(
    ("typed", "root"),
    [
        ("“援疆 干部”", Term("援疆 干部", True)),
        ('“援疆 干部" 上海', And((Term("援疆 干部", True), Term("上海")))),  # a straight quote closes a curly one
        ('“援疆" 干部” 上海', And((Term("援疆", True), Term("干部”"), Term("上海")))),  # whichever comes first
        ('"援疆 干部" "上海 天津"', And((Term("援疆 干部", True), Term("上海 天津", True)))),
        ("“援疆 干部” “上海 天津”", And((Term("援疆 干部", True), Term("上海 天津", True)))),
        ('"援疆 干部', Term("援疆 干部", True)),  # an unclosed quote runs to the end
        ("“援疆 干部", Term("援疆 干部", True)),
        ('"" 援疆', Term("援疆")),  # an empty pair of quotes is nothing, not an unclosed quote
        ("“” 援疆", Term("援疆")),
        ('“"援疆', Term("援疆")),  # a straight quote right after a curly one closes it
        ('"援疆" “北京”', And((Term("援疆", True), Term("北京", True)))),  # a straight quote before it closes nothing
        ('“援疆" 北京 "干部"', And((Term("援疆", True), Term("北京"), Term("干部", True)))),  # the first, not the last
    ],
)
def test_quotes_close_at_the_first_closing_mark(typed, root):
    assert parse_query(typed).root == root

