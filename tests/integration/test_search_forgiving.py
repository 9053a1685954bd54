"""Forgiving Chinese input on the bundled corpus: did you mean, pinyin, aliases, completion, key terms."""

from __future__ import annotations

import pytest

from search.model import SearchRequest


def found(service, query: str, **filters) -> tuple[int, set[str]]:
    """The total and the ids of every article a query finds."""
    result = service.search(SearchRequest(query=query, per_page=100, **filters))
    return result.total, {hit.id for hit in result.hits}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("克拉马依", "克拉玛依"),  # a homophone typed for 玛
        ("克拉马依市", "克拉玛依市"),
        ("沉吉宁", "陈吉宁"),  # same toneless pinyin, a person
        ("和天", "和田"),  # one character off a frequent word
        ("干布", "干部"),
        ("克拉马依 援疆", "克拉玛依 援疆"),  # the other words of the query are kept
    ],
)
def test_did_you_mean_corrects_a_query_that_finds_nothing(bundled_service, typed, meant) -> None:
    result = bundled_service.search(SearchRequest(query=typed))
    assert (result.total, result.did_you_mean) == (0, meant)
    assert bundled_service.search(SearchRequest(query=meant)).total > 0


def test_every_misspelt_word_is_corrected_at_once(bundled_service) -> None:
    assert bundled_service.search(SearchRequest(query="和天 干布")).did_you_mean == "和田 干部"
    assert bundled_service.search(SearchRequest(query="沉吉宁 克拉马依")).did_you_mean == "陈吉宁 克拉玛依"


@pytest.mark.parametrize("query", ["银行", "疫情", "书法", "电脑"])
def test_a_real_word_is_not_corrected_into_another(bundled_service, query) -> None:
    # One character off a frequent word, but each is a word: 银行 is no mistyped 进行.
    assert bundled_service.search(SearchRequest(query=query)).did_you_mean is None


@pytest.mark.parametrize("query", ["克拉玛依", "援疆", "陈吉宁", "kelamayi", "完全没有的说法"])
def test_no_correction_when_the_query_finds_plenty_or_nothing_better_exists(bundled_service, query) -> None:
    assert bundled_service.search(SearchRequest(query=query)).did_you_mean is None


def test_a_correction_counts_under_the_same_filters(bundled_service) -> None:
    # Every 克拉玛依 article is about 克拉玛依; under a 和田 filter the correction would find none.
    assert found(bundled_service, "克拉玛依", regions=("和田",))[0] == 0
    assert bundled_service.search(SearchRequest(query="克拉马依", regions=("和田",))).did_you_mean is None


@pytest.mark.parametrize("typed", ["kelamayi", "ke la ma yi", "KeLaMaYi", "kela mayi", "klmy"])
def test_pinyin_finds_the_articles_of_the_word_it_spells(bundled_service, typed) -> None:
    expected = found(bundled_service, "克拉玛依")
    assert expected[0] == 9
    assert found(bundled_service, typed) == expected
    result = bundled_service.search(SearchRequest(query=typed))
    assert result.explanations == (f"按拼音 {typed} 匹配：克拉玛依",)
    # The matches of the word the pinyin spells are marked.
    assert "<mark>克拉玛依</mark>" in result.hits[0].snippet + result.hits[0].title_html


@pytest.mark.parametrize(("typed", "read"), [("ke la ma yi 援疆", "ke la ma yi"), ("援疆 ke la ma yi", "ke la ma yi"),
                                             ("ｋｅｌａｍａｙｉ 援疆", "ｋｅｌａｍａｙｉ")])
def test_pinyin_beside_other_words_and_in_full_width_letters(bundled_service, typed, read) -> None:
    result = bundled_service.search(SearchRequest(query=typed))
    assert found(bundled_service, typed) == found(bundled_service, "克拉玛依 援疆")
    assert result.explanations == (f"按拼音 {read} 匹配：克拉玛依",)
    assert found(bundled_service, "ke la ma yi -援疆") == found(bundled_service, "克拉玛依 -援疆")


@pytest.mark.parametrize(("typed", "word"), [("chenjining", "陈吉宁"), ("cjn", "陈吉宁"), ("hetian", "和田"),
                                             ("kashi", "喀什")])
def test_pinyin_of_people_and_places(bundled_service, typed, word) -> None:
    assert found(bundled_service, typed) == found(bundled_service, word)
    assert bundled_service.search(SearchRequest(query=typed)).explanations == (f"按拼音 {typed} 匹配：{word}",)


def test_initials_are_read_only_for_entities(bundled_service) -> None:
    # ds is the initials of many words (大赛, 打算 …) but of no entity of the corpus.
    assert bundled_service.search(SearchRequest(query="dsx")).explanations == ()


def test_a_quoted_pinyin_is_searched_as_typed(bundled_service) -> None:
    result = bundled_service.search(SearchRequest(query='"kelamayi"'))
    assert (result.total, result.explanations) == (0, ())


def test_the_explanation_names_only_the_aliases_articles_use(bundled_service) -> None:
    result = bundled_service.search(SearchRequest(query="上海"))
    assert result.explanations == (
        "上海 也匹配简称：援克、沪克、沪喀、援喀、沪疆、在沪、赴沪、来沪（只含简称的文章排在后面）",
    )


@pytest.mark.parametrize(
    ("prefix", "suggestions"),
    [
        ("克拉", ("克拉玛依", "克拉玛依市", "克拉玛依区", "克拉玛依科技馆", "克拉玛依市中心医院", "克拉玛依碳和网络科技有限公司")),
        # pinyin, and the initials of entities, complete the same words
        ("kela", ("克拉玛依", "克拉玛依市", "克拉玛依区", "克拉玛依科技馆", "克拉玛依市中心医院", "克拉玛依碳和网络科技有限公司")),
        ("klm", ("克拉玛依", "克拉玛依市", "克拉玛依区", "克拉玛依科技馆", "克拉玛依市中心医院", "克拉玛依碳和网络科技有限公司")),
        # entities first, then frequent words; a title that starts with the prefix is offered too
        ("陈", ("陈吉宁", "陈伟俊", "陈宇剑", "陈正宝", "陈吉宁率团与马兴瑞一道全方位了解上海对口援疆各项工作推进情况")),
        ("上海市对口", ("上海市对口支援新疆工作前方指挥部", "上海市对口支援克拉玛依市工作前方指挥部")),
        ("xyz", ()),
        ("  ", ()),
    ],
)
def test_suggest(bundled_service, prefix, suggestions) -> None:
    assert bundled_service.suggest(prefix) == suggestions


@pytest.mark.parametrize(("prefix", "first"), [("上海 援", "上海 援疆"), ("援疆 克拉", "援疆 克拉玛依"),
                                              ("ｋｅｌａ", "克拉玛依"), ("克拉瑪", "克拉玛依"), ("ke la", "克拉玛依")])
def test_suggest_completes_the_last_word_folded_like_the_index(bundled_service, prefix, first) -> None:
    assert bundled_service.suggest(prefix)[0] == first


def test_suggest_gives_at_most_the_limit(bundled_service) -> None:
    assert len(bundled_service.suggest("上")) == 10
    # a title takes at most a third of the places
    assert bundled_service.suggest("和田", limit=3) == ("和田", "和田地区", "和田20家企业117种产品亮相上海交易会")
    assert bundled_service.suggest("和田", limit=2) == ("和田", "和田地区")


def test_key_terms_of_an_article(bundled_service) -> None:
    hit = bundled_service.search(SearchRequest(query="版画")).hits[0]
    view = bundled_service.article(hit.id)
    assert view.key_terms == ("版画", "生肖", "展览", "艺术", "展出", "祥瑞", "画展", "作品")


# -- aliases, over inline articles ------------------------------------------------------------


@pytest.fixture()
def alias_service(service_of, article_factory):
    return service_of((
        article_factory("named", "上海援疆干部", "上海援疆干部在克拉玛依开展工作。"),
        article_factory("alias-title", "沪克合作结硕果", "两地合作持续深化，产业项目落地见效。"),
        article_factory("alias-text", "产业协作", "沪喀产业协作联盟成立，企业纷纷签约。"),
        article_factory("other", "北京援疆", "北京援疆医疗队深入和田乡村。"),
    ))


def test_a_place_finds_the_articles_naming_it_by_an_alias_ranked_below(alias_service) -> None:
    result = alias_service.search(SearchRequest(query="上海"))
    assert [hit.id for hit in result.hits][0] == "named"
    assert {hit.id for hit in result.hits} == {"named", "alias-title", "alias-text"}
    # Found only through an alias, an article scores at most half the weakest article naming 上海 itself.
    assert max(hit.score for hit in result.hits[1:]) <= result.hits[0].score / 2 + 0.001
    snippets = {hit.id: (hit.title_html, hit.snippet) for hit in result.hits}
    assert snippets["alias-title"][0] == "<mark>沪克</mark>合作结硕果"
    assert snippets["alias-text"][1] == "<mark>沪喀</mark>产业协作联盟成立，企业纷纷签约。"
    assert result.explanations == ("上海 也匹配简称：沪克、沪喀（只含简称的文章排在后面）",)


def test_an_alias_names_each_of_its_meanings(alias_service) -> None:
    assert found(alias_service, "克拉玛依")[1] == {"named", "alias-title"}
    assert found(alias_service, "喀什")[1] == {"alias-text"}


def test_a_quoted_place_is_exact_and_a_negated_place_excludes_its_aliases_too(alias_service) -> None:
    assert found(alias_service, '"上海"')[1] == {"named"}
    assert found(alias_service, "产业 -克拉玛依")[1] == {"alias-text"}  # 沪克 names 克拉玛依
    assert found(alias_service, '产业 -"克拉玛依"')[1] == {"alias-title", "alias-text"}


def test_an_article_meeting_a_query_only_through_an_alias_ranks_after_those_meeting_it_as_typed(
        service_of, article_factory) -> None:
    service = service_of((
        article_factory("named", "工作简报", "上海干部参加援疆工作。"),
        # Many more matches of 援疆, in the title too: it would outscore "named" but for the alias.
        article_factory("alias", "援疆援疆：沪克携手", "沪克援疆，援疆干部、援疆教师、援疆医生齐上阵。"),
    ))
    hits = service.search(SearchRequest(query="上海 援疆")).hits
    assert [hit.id for hit in hits] == ["named", "alias"]
    assert hits[1].score > hits[0].score  # ranked by tier first, then by score
    assert [hit.id for hit in service.search(SearchRequest(query="上海 OR 援疆")).hits] == ["alias", "named"]


def test_a_deleted_article_s_words_are_offered_for_nothing(tmp_path, article_factory) -> None:
    from indexer.build import update_index
    from indexer.merging import MergePolicy
    from indexer.pipeline import BuildSettings
    from search.service import SearchService

    kept = article_factory("kept", "沙漠绿洲", "克拉玛依的沙漠里建起了绿洲。")
    gone = article_factory("gone", "陈吉宁调研", "陈吉宁在喀什调研。")
    # Indexed first, so the first posting of 戈壁 is a deleted article's and the live one comes after it.
    first = article_factory("first", "戈壁新城", "戈壁滩上的新城。")
    update_index([first, kept, gone], tmp_path / "ix")
    # first and gone are deleted; their segment is not merged away, so their words stay in Whoosh's lexicon
    update_index([kept, article_factory("later", "戈壁公路", "穿过戈壁的公路通车了。")], tmp_path / "ix",
                 settings=BuildSettings(merge=MergePolicy(reclaim=1.0)))
    service = SearchService(tmp_path / "ix")
    try:
        assert not service._current().collection.live.all()
        assert service.suggest("陈") == ()
        assert service.search(SearchRequest(query="chenjining")).explanations == ()
        assert service.suggest("克") == ("克拉玛依",)
        assert "戈壁" in service.suggest("戈")
        assert "新城" not in service.suggest("新")
    finally:
        service.close()
