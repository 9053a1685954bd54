"""GramPhrase finds exactly what Whoosh's own Phrase finds, faster."""

import pytest
from whoosh import query as wq

from indexer import store
from indexer.analysis import query_grams, stream
from search.grams import GramPhrase


@pytest.fixture(scope="module")
def searcher(bundled_index):
    live = store.open_live(bundled_index)
    with live.ix.searcher() as s:
        yield s


@pytest.mark.parametrize("typed", ["克拉玛依", "对口支援", "援疆干部人才", "上海援克", "二十大", "1+3+6", "石油城市", "不存在的词语"])
def test_same_documents_as_whoosh_phrase(searcher, typed):
    grams = query_grams(stream(typed))
    ours = set(searcher.docs_for_query(GramPhrase("text_g", grams)))
    theirs = set(searcher.docs_for_query(wq.Phrase("text_g", grams)))
    assert ours == theirs


def test_repeated_grams_need_consecutive_positions(tmp_path, article_factory):
    from indexer.build import update_index

    update_index([article_factory("three", "笑", "哈哈哈"), article_factory("apart", "笑", "哈哈呵哈哈")], tmp_path / "ix")
    live = store.open_live(tmp_path / "ix")
    with live.ix.searcher() as s:
        found = {s.stored_fields(d)["id"] for d in s.docs_for_query(GramPhrase("text_g", ["哈哈", "哈哈"]))}
    assert found == {"three"}


def test_a_one_gram_phrase_is_every_document_holding_the_gram(searcher):
    assert set(searcher.docs_for_query(GramPhrase("text_g", ["网联"]))) == set(
        searcher.docs_for_query(wq.Term("text_g", "网联"))
    )


@pytest.mark.parametrize("word", ["克拉玛依", "克拉玛依市", "产业援疆", "高质量发展"])
def test_a_word_implying_the_phrase_changes_nothing_found(searcher, word):
    grams = query_grams(stream(word))
    plain = set(searcher.docs_for_query(GramPhrase("text_g", grams)))
    implied = set(searcher.docs_for_query(GramPhrase("text_g", grams, implied_by=("text", word))))
    assert plain == implied
    assert set(searcher.docs_for_query(wq.Term("text", word))) <= plain
