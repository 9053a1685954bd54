"""An article's key terms are its content words: stopwords.txt keeps function words and empty verbs out."""

from __future__ import annotations

from corpus import datafiles

# Written for this test: a short report padded with the function words and empty verbs of news prose.
CALLIGRAPHY = (
    "近日，上海援疆教师在泽普县第二中学开设书法课。参加书法课的学生有一百名以上，其中一半是初一学生。"
    "教师们表示，通过进行临摹和楷书练习，学生们进一步了解了笔墨和宣纸，也积极参与了校园书法展览。"
    "目前，书法课已经开展三期。学校将继续推进书法教育，不断提升学生的书写水平，同时开设篆刻课。"
)
# The function words and empty verbs the article uses, none of which says what it is about.
EMPTY = ("近日", "参加", "以上", "其中", "表示", "通过", "进行", "进一步", "了解", "积极", "参与", "目前",
         "已经", "开展", "继续", "推进", "不断", "提升", "水平", "同时", "第二", "一半")


def test_the_key_terms_of_an_article_are_its_content_words(service_of, article_factory):
    articles = [
        article_factory("calligraphy", "援疆教师在泽普县开设书法课", CALLIGRAPHY),
        # Two more articles, so that words every article shares weigh less.
        article_factory("clinic", "援疆医生在泽普县义诊",
                        "上海援疆医生在泽普县开展义诊，同时进行健康宣讲，目前已经服务群众三百人以上。"),
        article_factory("orchard", "泽普县红枣丰收",
                        "泽普县红枣进入采摘期，其中一半通过电商销往上海。果农表示，今年红枣品质进一步提升。"),
    ]
    view = service_of(articles).article("calligraphy")
    assert view.key_terms == ("书法课", "教师", "开设", "学生", "书法", "援疆", "泽普县", "中学")
    assert set(EMPTY) <= datafiles.stop_words()
    assert set(view.key_terms).isdisjoint(EMPTY)
