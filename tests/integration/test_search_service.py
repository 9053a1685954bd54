"""The search service over the inline sample index: exact recall, filters, facets, views."""

import pytest

from search.errors import BadQuery
from search.model import FacetValue, SearchRequest
from search.service import result_to_json


def ids(service, query="", **filters):
    result = service.search(SearchRequest(query=query, per_page=100, **filters))
    return [h.id for h in result.hits]


def test_kelamayi_finds_articles_that_only_say_kelamayi_city(sample_service):
    # jieba keeps 克拉玛依市 whole, so a word index misses kly-city.
    assert sorted(ids(sample_service, "克拉玛依")) == ["kly-city", "kly-word"]
    assert ids(sample_service, "克拉玛依市") == ["kly-city"]


def test_a_name_glued_to_the_next_character_is_found(sample_service):
    assert ids(sample_service, "陈吉宁") == ["chen"]


def test_a_substring_inside_a_jieba_word_is_found(sample_service):
    # jieba segments 智能网联 as 智能网 + 联.
    assert ids(sample_service, "网联") == ["iov"]


def test_a_quoted_phrase_returns_exactly_the_articles_containing_it(sample_service):
    assert ids(sample_service, '"对口支援"') == ["kly-city", "chen"]
    assert ids(sample_service, '"支援克拉玛依"') == ["kly-city"]
    assert ids(sample_service, '"克拉玛依 石油"') == []


def test_a_match_across_layout_line_breaks_is_found(sample_service):
    result = sample_service.search(SearchRequest(query="克拉玛依的石油"))
    assert [h.id for h in result.hits] == ["kly-word"]
    assert result.hits[0].snippet == "克拉玛依，你是沙漠美人。<mark>克拉</mark>  <mark>玛依的石油</mark>工人艰苦奋斗。"


def test_traditional_and_simplified_find_each_other(sample_service):
    assert sorted(ids(sample_service, "援疆干部")) == ["tianjin", "trad"]
    assert sorted(ids(sample_service, "援疆幹部")) == ["tianjin", "trad"]
    assert ids(sample_service, "医疗服务") == ["trad"]


def test_whole_title_words_rank_before_substrings(sample_service):
    assert ids(sample_service, "援疆干部") == ["trad", "tianjin"]


def test_latin_words_are_case_folded_and_unstemmed(sample_service):
    assert ids(sample_service, "HELLO") == ["iov"]
    assert ids(sample_service, "5g") == ["iov"]
    assert ids(sample_service, "worlds") == []


def test_single_characters_are_found(sample_service):
    assert sorted(ids(sample_service, "氢")) == ["iov"]
    assert sorted(ids(sample_service, "疆")) == ["chen", "kly-city", "tianjin", "trad"]


def test_boolean_operators(sample_service):
    assert sorted(ids(sample_service, "克拉玛依 OR 陈吉宁")) == ["chen", "kly-city", "kly-word"]
    assert ids(sample_service, "克拉玛依 -沙漠") == ["kly-city"]
    assert ids(sample_service, "克拉玛依 NOT 沙漠") == ["kly-city"]
    assert sorted(ids(sample_service, "-克拉玛依")) == ["chen", "iov", "tianjin", "trad"]
    assert ids(sample_service, "(和田 OR 喀什) 医疗") == ["trad"]
    assert sorted(ids(sample_service, "title:援疆")) == ["tianjin", "trad"]
    assert ids(sample_service, "title:组团式 -title:北京") == ["tianjin"]
    assert ids(sample_service, "title:对口支援") == ["kly-city"]


def test_empty_query_browses_everything_newest_first(sample_service):
    assert ids(sample_service) == ["kly-word", "iov", "tianjin", "trad", "chen", "kly-city"]


def test_sort_by_date(sample_service):
    assert ids(sample_service, "援疆", sort="date") == ["tianjin", "trad"]
    assert ids(sample_service, "上海", sort="date") == ["chen", "kly-city"]


def test_filters_or_within_a_facet_and_across_facets(sample_service):
    assert sorted(ids(sample_service, regions=("和田", "喀什"))) == ["chen", "tianjin", "trad"]
    assert ids(sample_service, regions=("和田",), aid_from=("北京",)) == ["trad"]
    assert ids(sample_service, sectors=("产业经济",), sources=("克拉玛依日报",)) == ["iov", "kly-city"]
    assert ids(sample_service, regions=("火星",)) == []


def test_date_range_and_year_month_filters(sample_service):
    assert ids(sample_service, date_from="2023-08-01", date_to="2023-12-08") == ["trad", "chen"]
    assert ids(sample_service, date_from="2025") == ["kly-word", "iov"]
    assert ids(sample_service, date_to="2023-07") == ["kly-city"]
    assert ids(sample_service, years=("2025",)) == ["kly-word", "iov"]
    assert ids(sample_service, months=("2023-12",)) == ["tianjin", "trad"]


def test_each_facet_is_counted_under_the_other_facets_selections(sample_service):
    result = sample_service.search(SearchRequest(query="援疆 OR 克拉玛依", regions=("和田",), sectors=("教育",)))
    assert result.total == 1
    assert result.facets == {
        # region counts apply the sector selection, not the region one
        "region": (FacetValue("克拉玛依", 1), FacetValue("和田", 1, True)),
        # sector counts apply the region selection, not the sector one
        "sector": (FacetValue("医疗卫生", 2), FacetValue("教育", 1, True)),
        "aid_from": (FacetValue("天津", 1),),
        "source": (FacetValue("和田日报", 1),),
        "year": (FacetValue("2023", 1),),
        # every result is of 2023, so its months are counted without 2023 being chosen
        "month": (FacetValue("2023-12", 1),),
        "person": (),
        "org": (),
    }


def test_month_facet_appears_within_the_chosen_year(sample_service):
    result = sample_service.search(SearchRequest(years=("2023",)))
    assert result.facets["year"] == (FacetValue("2025", 2), FacetValue("2023", 4, True))
    assert result.facets["month"] == (FacetValue("2023-07", 1), FacetValue("2023-08", 1), FacetValue("2023-12", 2))


@pytest.mark.parametrize(
    ("filters", "years", "months"),
    [
        # 援疆 finds tianjin and trad, both of December 2023.
        ({}, (FacetValue("2023", 2),), (FacetValue("2023-12", 2),)),
        # 疆 also finds chen (August 2023) and kly-city (July 2023): still one year.
        ({"query": "疆"}, (FacetValue("2023", 4),),
         (FacetValue("2023-07", 1), FacetValue("2023-08", 1), FacetValue("2023-12", 2))),
        # 克拉玛依 finds kly-city (2023) and kly-word (2025): two years, so no months until one is chosen.
        ({"query": "克拉玛依"}, (FacetValue("2025", 1), FacetValue("2023", 1)), ()),
        # A filter that leaves one year brings its months back.
        ({"query": "克拉玛依", "sectors": ("教育",)}, (FacetValue("2023", 1),), (FacetValue("2023-07", 1),)),
        # Months are counted under the other facets' choices, like every facet.
        ({"query": "疆", "regions": ("喀什",)}, (FacetValue("2023", 1),), (FacetValue("2023-08", 1),)),
    ],
)
def test_months_are_counted_straight_away_when_every_result_is_of_one_year(sample_service, filters, years, months):
    result = sample_service.search(SearchRequest(**{"query": "援疆", **filters}))
    assert (result.facets["year"], result.facets["month"]) == (years, months)


def test_pagination(sample_service):
    first = sample_service.search(SearchRequest(per_page=4))
    second = sample_service.search(SearchRequest(per_page=4, page=2))
    assert (first.total, second.total) == (6, 6)
    assert [h.id for h in second.hits] == ["chen", "kly-city"]


def test_result_json_shape(sample_service):
    data = result_to_json(sample_service.search(SearchRequest(query="网联")))
    assert set(data) == {"query", "total", "took_ms", "page", "per_page", "hits", "facets", "did_you_mean",
                         "explanations", "notices", "articles", "collapse"}
    hit = data["hits"][0]
    assert {k: v for k, v in hit.items() if k != "score"} == {
        "id": "iov",
        "title": "智能网联汽车",
        "date": "2025-04-02",
        "date_precision": "day",
        "source": "克拉玛依日报",
        "regions": ["克拉玛依"],
        "sectors": ["数字科技", "产业经济"],
        "aid_from": ["上海"],
        "people": [],
        "orgs": [],
        "snippet": "氢能、智能<mark>网联</mark>、数字经济3大产业集群加快成长。Hello Wor…",
        "origin": {"file": "inline#iov", "page": None, "url": None},
        "reprints": [],
        "reprint_count": 0,
    }
    assert (data["articles"], data["collapse"]) == (1, True)
    assert data["facets"]["region"] == [{"value": "克拉玛依", "count": 1, "selected": False}]
    assert list(data["facets"]) == ["region", "sector", "aid_from", "source", "year", "month", "person", "org"]
    assert (data["did_you_mean"], data["explanations"]) == (None, [])


def test_hits_and_related_articles_carry_the_date_precision(tmp_path, sample_articles):
    from dataclasses import replace

    from indexer.build import update_index
    from search.service import SearchService

    by_id = {a.id: a for a in sample_articles}
    articles = (replace(by_id["trad"], date="2023-12-01", date_precision="month"),
                replace(by_id["tianjin"], date="2023-01-01", date_precision="year"), by_id["chen"])
    update_index(articles, tmp_path / "index")
    service = SearchService(tmp_path / "index")
    try:
        result = service.search(SearchRequest(query="援疆", sort="date"))
        assert [(h.id, h.date, h.date_precision) for h in result.hits] == [
            ("trad", "2023-12-01", "month"), ("tianjin", "2023-01-01", "year")]
        assert [(h["id"], h["date"], h["date_precision"]) for h in result_to_json(result)["hits"]] == [
            ("trad", "2023-12-01", "month"), ("tianjin", "2023-01-01", "year")]
        assert [(r.id, r.date, r.date_precision) for r in service.article("trad").related] == [
            ("tianjin", "2023-01-01", "year")]
        assert [(r.id, r.date, r.date_precision) for r in service.article("tianjin").related] == [
            ("trad", "2023-12-01", "month")]
    finally:
        service.close()


def test_title_is_marked(sample_service):
    hit = sample_service.search(SearchRequest(query="网联")).hits[0]
    assert hit.title_html == "智能<mark>网联</mark>汽车"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (SearchRequest(date_from="2023-13-01"),
         "起始日期无法识别（收到：2023-13-01）：请写成 YYYY-MM-DD、YYYY-MM 或 YYYY，例如 2023-08-27"),
        (SearchRequest(date_to="yesterday"),
         "结束日期无法识别（收到：yesterday）：请写成 YYYY-MM-DD、YYYY-MM 或 YYYY，例如 2023-08-27"),
        (SearchRequest(date_from="2024", date_to="2023-01"), "起始日期 2024-01-01 晚于结束日期 2023-01-31"),
        (SearchRequest(sort="random"), "sort 只能是 relevance 或 date（收到：random）"),
        (SearchRequest(per_page=0), "per_page 必须是 1 到 100 之间的整数（收到：0）"),
        (SearchRequest(page=0), "page 必须是 1 到 1000 之间的整数（收到：0）"),
        (SearchRequest(years=("23",)), "年份无法识别（收到：23）：请写成 YYYY，例如 2023，或 日期不详"),
        (SearchRequest(months=("2023-8",)), "月份无法识别（收到：2023-8）：请写成 YYYY-MM，例如 2023-08"),
        (SearchRequest(query='"'), "没有可以检索的内容：搜索词里要有汉字、字母或数字"),
    ],
)
def test_bad_requests_raise_bad_query(sample_service, request_, message):
    with pytest.raises(BadQuery) as info:
        sample_service.search(request_)
    assert str(info.value) == message


def test_article_view_marks_every_match(sample_service):
    view = sample_service.article("trad", "援疆干部 医疗 -北京")
    assert view.html == "<p>北京<mark>援疆幹部</mark>深入和田地区的鄉村，開展<mark>醫療</mark>服務。</p><p>群眾稱讚不已。</p>"
    assert view.title_html == "<mark>援疆幹部</mark>在和田"
    assert view.matches == 2
    assert [r.id for r in view.related][:1] == ["tianjin"]


def test_article_view_of_unknown_id_is_none(sample_service):
    assert sample_service.article("nope") is None


def test_article_view_with_a_bad_query_is_unmarked(sample_service):
    view = sample_service.article("chen", "OR")
    assert view.matches == 0 and "<mark>" not in view.html


def test_stats(sample_service):
    stats = sample_service.stats()
    assert (stats.articles, stats.generation, stats.date_min, stats.date_max) == (6, 1, "2023-07-01", "2025-04-03")
    assert stats.facets["region"] == (FacetValue("克拉玛依", 3), FacetValue("和田", 2), FacetValue("喀什", 1))
    assert stats.size_bytes > 0


def test_choosing_facets_and_pages_reuses_the_query_matches(sample_service, monkeypatch):
    import search.execution

    calls = []
    real = search.execution.Collection.rank
    monkeypatch.setattr(search.execution.Collection, "rank",
                        lambda self, reader, parsed: calls.append(parsed.text) or real(self, reader, parsed))
    first = sample_service.search(SearchRequest(query="援疆 OR 克拉玛依"))
    narrowed = sample_service.search(SearchRequest(query="援疆 OR 克拉玛依", regions=("和田",), per_page=1, page=2))
    assert (first.total, narrowed.total, [h.id for h in narrowed.hits]) == (4, 2, ["trad"])
    assert calls == ["援疆 OR 克拉玛依"]


def test_overlapping_word_highlight_marks_the_whole_typed_string(sample_service):
    # Whoosh 2.7.4 marked only 马克 of 马克思 where tokens overlapped.
    hit = sample_service.search(SearchRequest(query="马克思")).hits[0]
    assert "<mark>马克思</mark>主义理论学习持续深入。" in hit.snippet


def test_windows_line_ends_are_not_indexed(sample_service):
    result = sample_service.search(SearchRequest(query='"服务群众"'))
    assert [h.id for h in result.hits] == ["trad"]
    assert result.hits[0].snippet.endswith("開展醫療<mark>服務</mark>。  <mark>群眾</mark>稱讚不已。")


def test_the_match_cache_is_bounded_by_documents_held(sample_service, monkeypatch):
    import search.execution
    import search.generation

    monkeypatch.setattr(search.generation, "MATCH_CACHE_DOCS", 3)
    calls = []
    real = search.execution.Collection.rank
    monkeypatch.setattr(search.execution.Collection, "rank",
                        lambda self, reader, parsed: calls.append(parsed.text) or real(self, reader, parsed))
    for query in ("疆", "克拉玛依"):  # 4 and 2 matches: the first is evicted by the second
        sample_service.search(SearchRequest(query=query))
    sample_service.search(SearchRequest(query="疆", sort="date"))  # a new request: its matches are needed again
    assert calls == ["疆", "克拉玛依", "疆"]
    sample_service.search(SearchRequest(query="疆", regions=("和田",)))
    assert calls == ["疆", "克拉玛依", "疆"]


def test_warm_opens_the_generation_before_the_first_search(sample_index):
    from search.service import SearchService

    service = SearchService(sample_index)
    service.warm()
    assert service._generation is not None and service._generation.number == 1
    service.close()


def test_an_export_stream_closes_its_searcher_when_closed_unread_or_read_to_the_end(sample_service):
    total, unread = sample_service.iter_hits(SearchRequest(query="克拉玛依"))
    searcher = unread._searcher
    unread.close()  # abandoned before its first hit, as when a client goes away at once
    assert searcher.is_closed and list(unread) == []
    total, hits = sample_service.iter_hits(SearchRequest(query="克拉玛依"))
    searcher = hits._searcher
    assert len(list(hits)) == total == 2
    assert searcher.is_closed


def test_an_export_gives_way_while_a_search_is_answered(sample_service, monkeypatch):
    import search.hits

    pauses = []
    monkeypatch.setattr(search.hits.time, "sleep", pauses.append)
    total, hits = sample_service.iter_hits(SearchRequest(query="疆"))
    next(hits)  # no search in progress: no pause
    sample_service._searches = 1  # as while another thread answers a search
    next(hits)
    next(hits)
    sample_service._searches = 0
    assert (total, len(list(hits)), len(pauses)) == (4, 1, 2)
    assert all(pause > 0 for pause in pauses)


def test_a_search_in_progress_is_counted_until_it_is_answered(sample_service, monkeypatch):
    import search.selection

    seen = []
    real = search.selection.select
    monkeypatch.setattr(search.selection, "select", lambda *a, **k: seen.append(sample_service.searching()) or real(*a, **k))
    sample_service.search(SearchRequest(query="克拉玛依"))
    assert (seen, sample_service.searching()) == ([True], False)


def test_pages_and_repeated_requests_are_answered_from_the_requests_window(sample_service, monkeypatch):
    import search.selection

    calls = []
    real = search.selection.select
    monkeypatch.setattr(search.selection, "select", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    first = sample_service.search(SearchRequest(query="疆", per_page=1))
    second = sample_service.search(SearchRequest(query="疆", per_page=1, page=2))
    again = sample_service.search(SearchRequest(query="疆", per_page=1))
    assert len(calls) == 1
    assert (first.total, first.facets, [h.id for h in first.hits]) == (again.total, again.facets, [h.id for h in again.hits])
    assert second.hits[0].id != first.hits[0].id
    sample_service.search(SearchRequest(query="疆", regions=("和田",)))  # another selection: chosen anew
    assert len(calls) == 2


def test_a_page_past_the_window_is_ordered_anew_and_is_the_same_page(sample_index, monkeypatch):
    import search.selection
    from search.service import SearchService

    whole = SearchService(sample_index)
    pages = [h.id for h in whole.search(SearchRequest(query="疆", per_page=50)).hits]
    whole.close()
    assert len(pages) >= 3
    monkeypatch.setattr(search.selection, "WINDOW", 1)
    service = SearchService(sample_index)
    try:
        shown = [service.search(SearchRequest(query="疆", per_page=1, page=n)).hits[0].id for n in range(1, len(pages) + 1)]
        assert shown == pages
    finally:
        service.close()


def test_reading_ahead_gives_way_to_searches_unless_a_request_waits_for_it(sample_service, monkeypatch):
    import search.generation

    slept = []
    monkeypatch.setattr(search.generation, "PACE_EVERY", 2)
    monkeypatch.setattr(search.generation, "PAUSE_S", 0.5)
    monkeypatch.setattr(search.generation, "STARVED_S", 2.0)
    gen = sample_service._current()
    searching = [True]
    gen.busy = lambda: searching[0]

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 6:
            searching[0] = False  # the searches end during the second wait

    monkeypatch.setattr(search.generation.time, "sleep", sleep)
    read = []
    for item in gen._paced(range(7), True):
        read.append((item, len(slept)))
    # After the 2nd item it waits the longest it may (4 looks of 0.5 s), then reads a stretch; after
    # the 4th it waits until the searches end (2 looks); after the 6th none is being answered.
    assert read == [(0, 0), (1, 0), (2, 4), (3, 4), (4, 6), (5, 6), (6, 6)]
    assert slept == [0.5] * 6
    searching[0] = True
    assert list(gen._paced(range(4), False)) == [0, 1, 2, 3] and len(slept) == 6  # read for a request: not paced
    gen.titles()  # a request asks: whatever is read ahead from now on is not paced
    assert list(gen._paced(range(4), True)) == [0, 1, 2, 3] and len(slept) == 6
