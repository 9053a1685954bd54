"""Reading search URLs into SearchRequests and writing them back."""

import pytest
from werkzeug.datastructures import MultiDict

from search.model import SearchRequest
from web import create_app
from web.params import (
    BadParameter,
    Limits,
    export_query,
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


@pytest.mark.parametrize("raw, collapse", [("", True), ("true", True), ("1", True), ("false", False), ("0", False)])
def test_collapse_reads_true_false_one_zero_and_a_blank_is_the_default(raw, collapse):
    assert parse_search(args(("collapse", raw))).collapse is collapse


@pytest.mark.parametrize("raw, shown", [("yes", "yes"), ("False", "False"), ("n" * 25, "n" * 20 + "…")])
def test_a_bad_collapse_is_named_and_echoed_short(raw, shown):
    with pytest.raises(BadParameter) as info:
        parse_search(args(("collapse", raw)))
    assert (str(info.value), info.value.names) == (f"collapse 只能是 true 或 false（收到：{shown}）", ("collapse",))


def test_a_bad_collapse_is_a_400_from_the_api(tmp_path):
    # The parameters are read before the index is opened: no index is needed for a 400.
    client = create_app({"TESTING": True, "INDEX": str(tmp_path / "no-index")}).test_client()
    response = client.get("/api/search?q=援疆&collapse=maybe")
    assert (response.status_code, response.get_json()) == (
        400, {"error": "collapse 只能是 true 或 false（收到：maybe）", "status": 400})


def test_twenty_values_of_a_facet_are_allowed_and_the_twenty_first_is_named():
    twenty = tuple(f"地方{i}" for i in range(20))
    assert parse_search(args(*(("aid_from", v) for v in twenty))).aid_from == twenty
    with pytest.raises(BadParameter) as info:
        parse_search(args(*(("aid_from", v) for v in twenty), ("aid_from", "")))
    assert (str(info.value), info.value.names) == ("aid_from 最多可同时选择 20 个值", ("aid_from",))


def test_a_value_of_a_hundred_characters_is_allowed_and_one_more_is_named():
    assert parse_search(args(("person", "名" * 100))).people == ("名" * 100,)
    with pytest.raises(BadParameter) as info:
        parse_search(args(("person", "名" * 101)))
    assert (str(info.value), info.value.names) == ("person 的取值不能超过 100 个字符", ("person",))


def test_values_after_a_blank_or_a_repeat_are_still_read_in_order():
    req = parse_search(args(("source", "新疆日报"), ("source", " "), ("source", "新疆日报"), ("source", "解放日报"),
                            ("month", "2022-03"), ("month", ""), ("month", "2022-03"), ("month", "2021-11")))
    assert (req.sources, req.months) == (("新疆日报", "解放日报"), ("2022-03", "2021-11"))


def test_a_range_of_one_day_is_allowed():
    req = parse_search(args(("from", "2022-06-15"), ("to", "2022-06-15")))
    assert (req.date_from, req.date_to) == ("2022-06-15", "2022-06-15")


def test_keeping_the_rest_reads_per_page_only_where_allowed():
    pairs = args(("q", "援疆"), ("per_page", "40"), ("page", "0"))
    assert parse_search_keeping_the_rest(pairs)[0] == SearchRequest(query="援疆", per_page=40)
    assert parse_search_keeping_the_rest(pairs, per_page_allowed=False)[0] == SearchRequest(query="援疆")


def test_keeping_the_rest_ends_when_even_an_empty_url_is_refused():
    # Limits under which no URL passes: the fault is raised, never looped over.
    with pytest.raises(BadParameter) as info:
        parse_search_keeping_the_rest(args(("region", "和田")), Limits(max_values=-1))
    assert (str(info.value), info.value.names) == ("region 最多可同时选择 -1 个值", ("region",))


def test_request_params_write_collapse_and_per_page_only_when_not_the_default():
    req = SearchRequest(query="干部", collapse=False, per_page=25)
    assert query_string(request_params(req)) == "q=%E5%B9%B2%E9%83%A8&collapse=false&per_page=25"
    assert parse_search(request_params(req)) == req
    # per_page is left out when it is the configured page size.
    assert query_string(request_params(req, Limits(per_page=25))) == "q=%E5%B9%B2%E9%83%A8&collapse=false"


def test_an_export_query_keeps_the_search_but_not_its_page_or_page_size():
    req = SearchRequest(query="医疗", regions=("喀什",), sort="date", collapse=False, page=4, per_page=30)
    assert export_query(req, "jsonl") == (
        "q=%E5%8C%BB%E7%96%97&region=%E5%96%80%E4%BB%80&sort=date&collapse=false&format=jsonl")


def test_query_string_takes_a_mapping_or_pairs_and_writes_search_order():
    assert query_string({"format": "csv", "page": "2", "q": "援疆"}) == "q=%E6%8F%B4%E7%96%86&page=2&format=csv"
    assert query_string([("to", "2020-01-01"), ("q", "a")]) == "q=a&to=2020-01-01"
