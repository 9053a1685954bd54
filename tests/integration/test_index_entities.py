"""The person and org facet fields of an index: names.tsv names and those the tagging rules find."""

import dataclasses
from pathlib import Path

from corpus import datafiles
from indexer import store
from indexer.analysis import tags, words
from indexer.build import update_index

ENTITY_FIELDS = ("person", "org")


def entity_postings(index_dir: Path) -> dict[str, dict[str, list[str]]]:
    """Each person and org value of an index and the sorted ids of the articles that name it."""
    live = store.open_live(index_dir)
    postings: dict[str, dict[str, list[str]]] = {}
    with live.ix.searcher() as searcher:
        reader = searcher.reader()
        for field in ENTITY_FIELDS:
            postings[field] = {
                term.decode("utf-8"): sorted(
                    searcher.stored_fields(docnum)["id"]
                    for docnum in reader.postings(field, term).all_ids()
                    if not reader.is_deleted(docnum)
                )
                for term in reader.lexicon(field)
            }
    live.ix.close()
    return postings


def counts(postings: dict[str, list[str]]) -> dict[str, int]:
    return {value: len(ids) for value, ids in postings.items()}


def test_people_are_counted_by_the_articles_that_name_them(bundled_index):
    people = counts(entity_postings(bundled_index)["person"])
    assert {name: people.get(name, 0) for name in ("陈吉宁", "马兴瑞", "刘琛", "王志文", "习近平", "艾青")} == {
        "陈吉宁": 2,
        "马兴瑞": 2,
        "刘琛": 1,
        "王志文": 1,
        "习近平": 4,
        "艾青": 1,
    }


def test_the_tagging_rules_add_these_names_to_those_of_names_tsv(bundled_index):
    postings = entity_postings(bundled_index)
    known = datafiles.names()
    people = {name: n for name, n in counts(postings["person"]).items() if known.get(name) != "person"}
    orgs = {name: n for name, n in counts(postings["org"]).items() if known.get(name) != "org"}
    assert people == {"习近平": 4, "艾青": 1, "艾买尔": 1}
    assert orgs == {"上海市委": 2, "中国移动集团": 1, "中央美术学院": 1, "上海市政府": 1}


def test_the_tagging_rules_alone_find_names_where_names_tsv_gave_none(bundled_articles, tmp_path):
    # The article names 复旦大学 and four more bodies that jieba tags nt, and the poet 艾青.
    article = next(a for a in bundled_articles if "复旦大学" in a.text)
    update_index([dataclasses.replace(article, people=(), orgs=())], tmp_path / "ix")
    postings = entity_postings(tmp_path / "ix")
    found = {field: sorted(values) for field, values in postings.items()}
    assert found == {
        "person": ["艾青"],
        "org": sorted(["复旦大学", "上海交通大学", "同济大学", "上海戏剧学院", "中国移动集团"]),
    }


def test_words_taken_from_the_tags_are_the_words_cut(bundled_articles):
    from indexer.analysis import _prepare, _segmenter, _split_tokens

    for article in bundled_articles:
        # Cut by the segmenter itself: words() might already answer from remembered tags.
        cut = _split_tokens(_segmenter.rjieba().cut(_prepare(article.text)))
        tags(article.text)  # remembered: words() now reads the tagged words
        assert words(article.text) == cut, article.title


def test_transliterated_names_are_kept_whole_where_context_confirms_them() -> None:
    from indexer.analysis import entities

    people, _ = entities("", "自治区主席艾尔肯·吐尼亚孜说，要做好工作。医院院长买买提·吐尔逊介绍情况。", (), ())
    assert people == ("艾尔肯·吐尼亚孜", "买买提·吐尔逊")
    # Without a title before or a speech word after, a dotted name is not taken.
    assert entities("", "他看到阿依古丽·买买提的照片。", (), ()) == ((), ())


def test_a_title_cut_into_words_still_confirms_a_name() -> None:
    from indexer.analysis import entities

    assert entities("", "援疆指挥部指挥长骆梅英参加了会议。", (), ())[0] == ("骆梅英",)
