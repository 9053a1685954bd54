"""Running queries: which documents match, how scores add up, and the ranking."""

import math

import pytest

from indexer.build import update_index
from search.execution import GRAM_BOOST, TITLE_BOOST
from search.model import SearchRequest
from search.service import SearchService


@pytest.fixture()
def service(service_of, article_factory):
    return service_of([
        article_factory("word", "石油工人", "克拉玛依是一座石油城市。"),
        article_factory("city", "沙漠美人", "克拉玛依市，克拉玛依市的油田。"),
        article_factory("both", "新疆克拉玛依", "新疆的石油。"),
        article_factory("none", "天山", "天山南北好风光。"),
    ])


def scores(service, query):
    return {h.id: h.score for h in service.search(SearchRequest(query=query, per_page=100)).hits}


def ranking(service, query):
    return [h.id for h in service.search(SearchRequest(query=query, per_page=100)).hits]


def test_a_substring_that_is_no_word_scores_its_damped_frequency(service):
    # 玛依市 is no jieba word: only its two occurrences in one text count, 1 + ln 2 times 2 bigrams.
    assert scores(service, "玛依市") == {"city": round((1 + math.log(2)) * 2 * GRAM_BOOST, 4)}


def test_a_single_character_scores_a_constant_per_field(service):
    # 疆 occurs only inside the word 新疆: the title counts TITLE_BOOST, the text 1.
    assert scores(service, "疆") == {"both": GRAM_BOOST * TITLE_BOOST + GRAM_BOOST}


def test_whole_words_rank_above_longer_words_containing_them(service):
    assert ranking(service, "克拉玛依") == ["both", "word", "city"]


def test_title_only_terms_match_titles_only(service):
    assert ranking(service, "title:克拉玛依") == ["both"]
    assert ranking(service, "title:石油") == ["word"]


def test_scores_of_and_and_or_are_sums(service):
    a, b = scores(service, "克拉玛依"), scores(service, "石油")
    both = scores(service, "克拉玛依 石油")
    either = scores(service, "克拉玛依 OR 石油")
    assert set(both) == set(a) & set(b) == {"word", "both"}
    assert set(either) == set(a) | set(b)
    for doc in both:
        assert both[doc] == pytest.approx(a[doc] + b[doc], abs=1e-3)
    for doc in either:
        assert either[doc] == pytest.approx(a.get(doc, 0) + b.get(doc, 0), abs=1e-3)


def test_negation_removes_and_alone_keeps_everything_else(service):
    assert sorted(ranking(service, "克拉玛依 -石油")) == ["city"]
    assert sorted(ranking(service, "-克拉玛依")) == ["none"]
    assert sorted(ranking(service, "天山 OR NOT 克拉玛依")) == ["none"]


def test_equal_scores_keep_index_order(service):
    # 油 is in the title and text of "word", and in the text only (inside 油田, 石油) of the others.
    assert scores(service, "油") == {"word": 4.0, "city": 1.0, "both": 1.0}
    assert ranking(service, "油") == ["word", "city", "both"]


def test_deleted_and_replaced_documents_are_never_found(tmp_path, article_factory):
    index_dir = tmp_path / "ix"
    update_index([article_factory("a", "甲", "援疆干部"), article_factory("b", "乙", "援疆医生")], index_dir)
    update_index([article_factory("b", "乙", "援疆教师")], index_dir)
    service = SearchService(index_dir)
    assert ranking(service, "援疆") == ["b"]
    assert ranking(service, "医生") == []
    assert ranking(service, "-医生") == ["b"]
    assert ranking(service, "教师") == ["b"]
    service.close()


def test_a_string_is_held_by_a_live_article_even_after_many_in_deleted_ones(tmp_path, article_factory):
    from indexer.merging import MergePolicy
    from indexer.pipeline import BuildSettings

    index_dir = tmp_path / "ix"
    gone = article_factory("gone", "旧闻", "胡杨林。" * 100)  # 100 occurrences, before the live one
    kept = article_factory("kept", "新闻", "沙漠边的胡杨林。")
    other = article_factory("other", "另一篇", "天山脚下。")
    update_index([gone, kept, other], index_dir)
    keep_deleted = BuildSettings(merge=MergePolicy(reclaim=1.0))
    update_index([kept, other], index_dir, settings=keep_deleted)
    service = SearchService(index_dir)
    gen = service._current()
    assert not gen.collection.live.all()
    assert gen.occurs("胡杨林") and gen.occurs("天山") and not gen.occurs("旧闻")
    service.close()
    update_index([other], index_dir, settings=keep_deleted)
    service = SearchService(index_dir)
    assert not service._current().occurs("胡杨林")
    service.close()
