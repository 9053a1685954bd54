"""rjieba, used for bulk segmentation, gives exactly python-jieba's words on the bundled corpus."""

from indexer.analysis import reference_words, user_dictionary, words


def test_rjieba_matches_jieba_on_every_bundled_article(bundled_articles):
    assert len(bundled_articles) > 20
    differing = [
        a.id
        for a in bundled_articles
        for text in (a.title, a.text)
        if words(text) != reference_words(text)
    ]
    assert differing == []


def test_both_segmenters_honour_the_user_dictionary():
    assert "陈吉宁" in user_dictionary()
    assert words("陈吉宁率团") == reference_words("陈吉宁率团") == ["陈吉宁", "率团"]
