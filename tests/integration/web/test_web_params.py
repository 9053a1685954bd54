"""Reading search URLs into SearchRequests and writing them back."""

import pytest
from werkzeug.datastructures import MultiDict

from search.model import SearchRequest
from web.params import (
    BadParameter,
    Limits,
    has_filters,
    parse_article_id,
    parse_format,
    parse_prefix,
    parse_search,
    parse_search_keeping_the_rest,
    query_string,
    request_params,
    with_changes,
)


def args(*pairs):
    return MultiDict(list(pairs))


def test_empty_url_is_the_default_request():
    assert parse_search(args()) == SearchRequest()


def test_every_parameter_is_read():
    req = parse_search(args(
        ("q", "  援疆 干部 "), ("region", "和田"), ("region", "喀什"), ("sector", "教育"),
        ("aid_from", "上海"), ("source", "和田日报"), ("year", "2023"), ("month", "2023-12"),
        ("person", "陈吉宁"), ("person", "李强"), ("org", "上海市委"),
        ("from", "2023-01-01"), ("to", "2023-12-31"), ("sort", "date"), ("page", "3"), ("per_page", "50"),
    ))
    assert req == SearchRequest(
        query="援疆 干部", regions=("和田", "喀什"), sectors=("教育",), aid_from=("上海",),
        sources=("和田日报",), years=("2023",), months=("2023-12",), people=("陈吉宁", "李强"),
        orgs=("上海市委",), date_from="2023-01-01", date_to="2023-12-31", sort="date", page=3, per_page=50,
    )


def test_repeated_and_blank_facet_values_collapse():
    assert parse_search(args(("region", "喀什"), ("region", ""), ("region", " 喀什 "))).regions == ("喀什",)


def test_empty_optional_parameters_mean_default():
    assert parse_search(args(("from", ""), ("to", ""), ("sort", ""), ("page", ""), ("year", ""))) == SearchRequest()


@pytest.mark.parametrize("name, value", [("page", " 2"), ("from", "2023-01-01 "), ("to", " "), ("year", " 2023"),
                                         ("year", "٢٠٢٣"), ("month", "2023-１２")])
def test_shaped_values_are_not_trimmed_or_read_loosely(name, value):
    with pytest.raises(BadParameter):
        parse_search(args((name, value)))


def test_per_page_is_ignored_where_not_allowed():
    assert parse_search(args(("per_page", "0")), per_page_allowed=False).per_page == 10


@pytest.mark.parametrize(
    "pairs, message",
    [
        ((("page", "0"),), "page 必须是 1 到 1000 之间的整数（收到：0）"),
        ((("page", "-1"),), "page 必须是 1 到 1000 之间的整数（收到：-1）"),
        ((("page", "1001"),), "page 必须是 1 到 1000 之间的整数（收到：1001）"),
        ((("page", "2.5"),), "page 必须是 1 到 1000 之间的整数（收到：2.5）"),
        ((("page", "１"),), "page 必须是 1 到 1000 之间的整数（收到：１）"),
        ((("per_page", "101"),), "per_page 必须是 1 到 100 之间的整数（收到：101）"),
        ((("per_page", "abc"),), "per_page 必须是 1 到 100 之间的整数（收到：abc）"),
        ((("from", "2023-13-01"),), "起始日期必须是形如 2023-01-01 的日期（收到：2023-13-01）"),
        ((("to", "2023-02-30"),), "结束日期必须是形如 2023-01-01 的日期（收到：2023-02-30）"),
        ((("from", "20230101"),), "起始日期必须是形如 2023-01-01 的日期（收到：20230101）"),
        ((("from", "2024-01-01"), ("to", "2023-01-01")), "起始日期 2024-01-01 晚于结束日期 2023-01-01"),
        ((("sort", "newest"),), "sort 只能是 relevance 或 date（收到：newest）"),
        ((("year", "23"),), "year 必须是 YYYY 格式（收到：23）"),
        ((("month", "2023-13"),), "month 必须是 YYYY-MM 格式（收到：2023-13）"),
        ((("q", "援" * 501),), "搜索词太长：最多 500 个字符，收到 501 个"),
        ((("q", "a\x00b"),), "搜索词不能包含控制字符（收到 U+0000）"),
        ((("region", "喀" * 101),), "region 的取值不能超过 100 个字符"),
        (tuple(("sector", f"s{i}") for i in range(21)), "sector 最多可同时选择 20 个值"),
        ((("year", ""),) * 21, "year 最多可同时选择 20 个值"),
        ((("page", "9" * 40),), "page 必须是 1 到 1000 之间的整数（收到：99999999999999999999…）"),
        ((("sort", "r" * 20),), "sort 只能是 relevance 或 date（收到：" + "r" * 20 + "）"),  # 20 characters: whole
        ((("sort", "r" * 21),), "sort 只能是 relevance 或 date（收到：" + "r" * 20 + "…）"),
    ],
)
def test_bad_parameters_are_named(pairs, message):
    with pytest.raises(BadParameter) as info:
        parse_search(args(*pairs))
    assert str(info.value) == message


@pytest.mark.parametrize(
    "pairs, names",
    [
        ((("page", "0"),), ("page",)),
        ((("q", "援" * 501),), ("q",)),
        ((("from", "2024-01-02"), ("to", "2024-01-01")), ("from", "to")),
        ((("month", "2023-13"),), ("month",)),
    ],
)
def test_a_bad_parameter_names_the_parameters_at_fault(pairs, names):
    with pytest.raises(BadParameter) as info:
        parse_search(args(*pairs))
    assert info.value.names == names


def test_keeping_the_rest_drops_only_the_parameters_at_fault():
    req, bad = parse_search_keeping_the_rest(args(
        ("q", "援疆"), ("region", "和田"), ("page", "0"), ("sort", "best"), ("from", "2024-01-02"),
        ("to", "2024-01-01"), ("year", "2023")))
    assert req == SearchRequest(query="援疆", regions=("和田",), years=("2023",))
    # The first fault is the one reported.
    assert (str(bad), bad.names) == ("sort 只能是 relevance 或 date（收到：best）", ("sort",))
    assert parse_search_keeping_the_rest(args(("q", "援疆"))) == (SearchRequest(query="援疆"), None)


def test_limits_are_configurable():
    with pytest.raises(BadParameter, match="最多 5 个字符"):
        parse_search(args(("q", "123456")), Limits(max_query_length=5))
    assert parse_search(args(("q", "12345")), Limits(max_query_length=5)).query == "12345"


def test_request_params_round_trip_in_a_stable_order():
    req = SearchRequest(query="援疆", regions=("喀什", "和田"), sort="date", page=2, date_to="2024-01-01")
    params = request_params(req)
    assert query_string(params) == (
        "q=%E6%8F%B4%E7%96%86&region=%E5%96%80%E4%BB%80&region=%E5%92%8C%E7%94%B0"
        "&to=2024-01-01&sort=date&page=2"
    )
    assert parse_search(params) == req


def test_with_changes_toggles_values_and_resets_the_page():
    params = request_params(SearchRequest(query="a", regions=("喀什",), page=3))
    assert with_changes(params, add=[("region", "和田")]) == (
        "q=a&region=%E5%96%80%E4%BB%80&region=%E5%92%8C%E7%94%B0")
    assert with_changes(params, remove=[("region", "喀什")]) == "q=a"
    assert with_changes(params, drop=["q"], keep_page=True) == "region=%E5%96%80%E4%BB%80&page=3"


@pytest.mark.parametrize("name", ["q", "region", "sector", "aid_from", "source", "person", "org", "year", "month"])
@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\x7f", "\x85"])
def test_a_control_character_in_any_text_parameter_is_refused(name, character):
    with pytest.raises(BadParameter) as info:
        parse_search(args((name, "和" + character + "田")))
    label = "搜索词" if name == "q" else name + " "
    assert (str(info.value), info.value.names) == (f"{label}不能包含控制字符（收到 U+{ord(character):04X}）", (name,))


def test_tab_and_line_breaks_count_as_spaces_not_control_characters():
    req = parse_search(args(("q", "援疆\t干部\r\n"), ("region", "\t和田\n")))
    assert (req.query, req.regions) == ("援疆\t干部", ("和田",))


def test_the_suggest_prefix_and_an_article_id_refuse_control_characters_too():
    assert parse_prefix(args(("q", "克拉"))) == "克拉"
    with pytest.raises(BadParameter, match=r"^q 不能包含控制字符（收到 U\+0000）$"):
        parse_prefix(args(("q", "克\x00")))
    with pytest.raises(BadParameter, match=r"^q 太长：最多 5 个字符，收到 6 个$"):
        parse_prefix(args(("q", "克拉玛依市区")), Limits(max_query_length=5))
    assert parse_article_id("kash-edu") == "kash-edu"
    with pytest.raises(BadParameter, match=r"^文章编号不能包含控制字符（收到 U\+001B）$"):
        parse_article_id("a\x1bb")


def test_the_suggest_prefix_is_as_long_as_a_query_may_be_and_names_q():
    assert parse_prefix(args(("q", "克拉玛依市")), Limits(max_query_length=5)) == "克拉玛依市"
    with pytest.raises(BadParameter) as info:
        parse_prefix(args(("q", "克拉玛依市区")), Limits(max_query_length=5))
    assert info.value.names == ("q",)
    with pytest.raises(BadParameter) as info:
        parse_article_id("a\x1bb")
    assert info.value.names == ("article_id",)


@pytest.mark.parametrize(
    "request_, filtered",
    [
        (SearchRequest(query="援疆"), False),
        (SearchRequest(query="援疆", orgs=("上海市委",)), True),
        (SearchRequest(date_from="2023-01-01"), True),  # one bound is a filter
        (SearchRequest(date_to="2023-12-31"), True),
    ],
)
def test_a_facet_value_or_either_date_bound_is_a_filter(request_, filtered):
    assert has_filters(request_) is filtered


def test_the_format_is_json_csv_or_jsonl():
    assert [parse_format(args(*pairs)) for pairs in ((), (("format", ""),), (("format", "csv"),))] == [
        "json", "json", "csv"]
    with pytest.raises(BadParameter) as info:
        parse_format(args(("format", "xml")))
    assert (str(info.value), info.value.names) == ("format 只能是 json、jsonl、csv（收到：xml）", ("format",))
