"""Splitting synthetic pages: the layouts the bundled OCR pages show, one at a time."""

import time

from corpus.page import split_page


def titles(raw: str) -> list[str]:
    return [article.title for article in split_page(raw)]


def test_column_lines_join_and_blank_lines_inside_words_are_not_breaks() -> None:
    raw = "暖新商铺挂牌\n3月26日，白碱滩区市场监督管理局联合该区委社工部、“小\n\n个专”综合党委，授予辖区32家爱心\n商户标识牌。\n\n马海军 摄\n"
    [article] = split_page(raw)
    assert article.title == "暖新商铺挂牌"
    assert article.paragraphs == ["3月26日，白碱滩区市场监督管理局联合该区委社工部、“小个专”综合党委，授予辖区32家爱心商户标识牌。"]
    assert article.captions == ["马海军摄"]


def test_each_headline_above_a_dateline_starts_an_article() -> None:
    raw = (
        "领略科技魅力\n本报讯（通讯员 于欢）3月31日，在市儿\n\n童福利院开展活动。\n\n"
        "提升专业水平\n本报讯（通讯员 赵国香）近期以来，克拉\n\n玛依区委史志办组织培训。\n"
    )
    articles = split_page(raw)
    assert [a.title for a in articles] == ["领略科技魅力", "提升专业水平"]
    assert articles[0].text == "本报讯（通讯员于欢）3月31日，在市儿童福利院开展活动。"
    assert articles[1].text == "本报讯（通讯员赵国香）近期以来，克拉玛依区委史志办组织培训。"


def test_subheads_without_a_dateline_stay_inside_a_feature() -> None:
    raw = (
        "牢记使命用心用情，智力赋能克拉玛依高质量发展\n\n"
        "克拉玛依地处新疆准噶尔盆地西北缘，是世界唯一用石油命名的城市，被誉为共和国石油长子。自2015年以来，先后有4批干部人才投身边疆。\n\n"
        "人才为要，输血造血并重 为培育排头兵注入新动能\n\n"
        "秉持“输血”和“造血”并重理念，上海援克干部人才围绕当地发展所需所盼，不断创新和拓展培训领域、内容和模式，为当地培养更多高素质专业化干部人才。\n"
    )
    [article] = split_page(raw)
    assert article.title == "牢记使命用心用情，智力赋能克拉玛依高质量发展"
    assert article.paragraphs[1] == "人才为要，输血造血并重为培育排头兵注入新动能"


def test_continuation_marks_are_dropped() -> None:
    raw = "新疆建成园区\n新疆日报阿克苏 12月 10 日讯\n\n目前，建成产值100亿元以上园区21个。 （下转第3版）\n"
    [article] = split_page(raw)
    # A run-in dateline belongs to the paragraph it opens.
    assert article.text == "新疆日报阿克苏12月10日讯目前，建成产值100亿元以上园区21个。"


def test_a_caption_inside_a_paragraph_is_set_aside_and_the_paragraph_resumes() -> None:
    raw = (
        "陈吉宁率团考察\n\n"
        "8月27日，代表团驱车前往泽普县长寿民俗文化村，这个村庄是上海文旅帮扶、发展乡村旅游的一个典范，陈吉宁听取情况介绍，沿途\n\n"
        "■ 8月27日至28日，上海市委书记陈吉宁在泽普县长寿民俗文化村看望村民一家 本报记者 陈正宝 摄\n\n"
        "察看当地特色手工艺品和茶馆农家乐。\n"
    )
    [article] = split_page(raw)
    assert article.paragraphs == [
        "8月27日，代表团驱车前往泽普县长寿民俗文化村，这个村庄是上海文旅帮扶、发展乡村旅游的一个典范，"
        "陈吉宁听取情况介绍，沿途察看当地特色手工艺品和茶馆农家乐。"
    ]
    assert article.captions == ["■ 8月27日至28日，上海市委书记陈吉宁在泽普县长寿民俗文化村看望村民一家本报记者陈正宝摄"]


def test_a_dated_item_printed_away_from_its_headline_finds_it() -> None:
    raw = (
        "全国职业院校技能大赛\n选 拔 赛 在 和 田 开 赛\n\n地 区 水 利 学 会 成 立\n促进现代智慧水利发展\n\n"
        "地区融媒讯 （记者 古哈尔尼\n沙）12月10日，地区水利学会成立大\n会暨第一次会员大会召开，推动现代\n水利、智慧水利发展。\n\n"
        "地区融媒讯 （记者 阿米乃姆）12 月 9\n日，全国职业院校技能大赛选拔赛在地\n区中等职业技术学校开赛。\n"
    )
    articles = split_page(raw)
    assert [(a.title, a.paragraphs[0]) for a in articles] == [
        ("地区水利学会成立", "促进现代智慧水利发展"),
        ("全国职业院校技能大赛", "选拔赛在和田开赛"),
    ]


def test_empty_and_blank_pages_have_no_articles() -> None:
    assert split_page("") == []
    assert split_page("\n \n\u3000\n") == []


def test_one_huge_line_is_one_article() -> None:
    line = "克拉玛依发展氢能产业有得天独厚的基础，" * 10_000 + "。"
    [article] = split_page(line)
    assert article.text == line
    assert article.title == "克拉玛依发展氢能产业有得天独厚的基础"


def test_a_page_of_many_photo_items_splits_in_linear_time() -> None:
    # Placing each caption once compared it with every article's whole text anew: 600 items took 11 s.
    raw = "".join(
        f"护航安全生产{n}号\n3月26日，独山子区第{n}社区联合区消防救援大队开展复工复产安全大排查和实战演练活动。\n\n韩亚东 摄\n\n"
        for n in range(600)
    )
    started = time.perf_counter()
    articles = split_page(raw)
    assert time.perf_counter() - started < 4
    assert [a.title for a in articles[:2]] == ["护航安全生产0号", "护航安全生产1号"]
    assert len(articles) == 600 and all(a.captions == ["韩亚东摄"] for a in articles)
