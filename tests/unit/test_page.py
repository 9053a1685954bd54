"""Splitting synthetic pages: the layouts the bundled OCR pages show, one at a time."""

import time

import pytest

from corpus.lines import is_furniture, web_head
from corpus.page import (
    PageArticle,
    _body_after,
    _Builder,
    _Caption,
    _feature,
    _first_sentence,
    _merged,
    _Orphan,
    _pull_caption,
    _title_of,
    overlap,
    page_lines,
    split_page,
)
from corpus.paragraphs import Paragraph


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


def test_column_labels_are_dropped_even_when_read_twice() -> None:
    raw = ("地区水利学会成立\n地区融媒讯（记者 王晓）12月8日，地区水利学会成立。\n\n"
           "援 疆 工 作 进 行 时援 疆 工 作 进 行 时\n\n学会将促进现代智慧水利发展。\n")
    [article] = split_page(raw)
    assert article.text == "地区融媒讯（记者王晓）12月8日，地区水利学会成立。\n学会将促进现代智慧水利发展。"


def test_a_line_that_only_mentions_a_label_is_kept() -> None:
    lines = page_lines("援疆工作进行时，干部们忙碌着。\n援 疆 工 作 进 行 时\n援疆工作\n")
    assert [line.text for line in lines] == ["援疆工作进行时，干部们忙碌着。", "援疆工作"]


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
    # A headless item is titled by its first sentence, cut after the last clause within 40 characters.
    assert article.title == "克拉玛依发展氢能产业有得天独厚的基础，克拉玛依发展氢能产业有得天独厚的基础"


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


WIDE_FEATURE = (
    "学有优教，病有良医\n\n"
    "让油城学有优教、病有良医，是上海援克团队一直的努力方向和目标。为将克拉玛依教育打造成全疆教育事业的灯塔，上海市援克干部人才立足当地实际，精准对接育人模式改革创新需求。\n\n"
    "一支医疗卫生主力军正在形成。上海医生在克拉玛依市中心医院成立“上海援疆名医工作室”，开展学术讲座、疑难病例讨论等系列活动，近三年帮带提升骨干医生、专业技术人员1200\n\n\n\n"
    "建设惠民医学高地。\n\n"
    "余人。\n\n"
    "近年来，克拉玛依市累计实施培养培训项目50余个，近1700人次在复旦大学、上海交通大学、同济大学等参加培训，一大批专业骨干和后备力量迅速成长起来。\n\n\n\n"
    "克拉玛依云计算产业园一角。目前，该园区已经吸引180余家企业入驻。\n\n"
    "教育为先，打造全疆教育灯塔\n\n"
    "援克教师成立“上海援疆名师工作室”。\n\n"
    "通过常态化开展“云研论道”线上联合教研活动，链接上海名师、名校的教学经验和做法，促进两地资源共享，教育援克真正实现了学校管理、教师素养、学生能力等全面提升。\n"
)


def test_a_caption_alone_in_a_figure_gap_is_set_aside_and_the_sentence_it_cut_resumes() -> None:
    [article] = split_page(WIDE_FEATURE)
    assert article.title == "学有优教，病有良医"
    assert article.paragraphs[2:] == [
        "近年来，克拉玛依市累计实施培养培训项目50余个，近1700人次在复旦大学、上海交通大学、同济大学等参加培训，一大批专业骨干和后备力量迅速成长起来。",
        "教育为先，打造全疆教育灯塔",
        "援克教师成立“上海援疆名师工作室”。",
        "通过常态化开展“云研论道”线上联合教研活动，链接上海名师、名校的教学经验和做法，促进两地资源共享，教育援克真正实现了学校管理、教师素养、学生能力等全面提升。",
    ]
    assert article.paragraphs[1].endswith("专业技术人员1200余人。")
    assert article.captions == ["建设惠民医学高地。", "克拉玛依云计算产业园一角。目前，该园区已经吸引180余家企业入驻。"]


def test_a_dated_caption_without_a_full_stop_does_not_swallow_the_subhead_below_it() -> None:
    raw = (
        "山海同心谱新篇\n\n"
        "天山泰山手牵手, 塔河东海心连心。对口援疆是国家战略,是实现新疆社会稳定与长治久安总目标的重要举措,19个援疆省市坚持每年将援疆资金总量的80%用于县及县以下。\n\n\n\n"
        "2025年6月23日,在新疆阿克苏市新疆红旗坡农贸物流园,电商米尔扎提·卡米力在直播带货当地农产品\n\n"
        "双向奔赴聚人心 石榴籽抱得越来越紧\n\n"
        "山海不为远,援疆情谊长。近年来,各援疆省市与受援地从政府间全面合作,到民间经贸文化频繁往来,在双向奔赴中交往交流交融日益密切,米尔扎提·卡米力就是其中一员。\n\n"
        "▶ 2025年6月27日,在新疆和田技师学院,北京援疆教师李东军指导学生操作设备\n\n\n\n"
        "从人援到智援\n\n"
        "骨科医生借助新引进的3D成像设备,精准定位患者骨折部位;在阿勒泰地区哈巴河县人民医院的数字化诊室里,先进医疗装备有序运转,北京援疆教师李东军也在和田技师学院授课。\n"
    )
    [article] = split_page(raw)
    assert article.paragraphs[1:3] == [
        "双向奔赴聚人心石榴籽抱得越来越紧",
        "山海不为远,援疆情谊长。近年来,各援疆省市与受援地从政府间全面合作,到民间经贸文化频繁往来,在双向奔赴中交往交流交融日益密切,米尔扎提·卡米力就是其中一员。",
    ]
    assert article.paragraphs[3] == "从人援到智援"
    assert article.captions == [
        "2025年6月23日,在新疆阿克苏市新疆红旗坡农贸物流园,电商米尔扎提·卡米力在直播带货当地农产品",
        "▶ 2025年6月27日,在新疆和田技师学院,北京援疆教师李东军指导学生操作设备",
    ]


def test_on_a_double_spaced_page_short_paragraphs_are_not_captions() -> None:
    raw = WIDE_FEATURE.replace("\n\n\n\n", "\n\n").replace("\n\n", "\n\n\n")
    [article] = split_page(raw)
    assert article.captions == []
    assert {"克拉玛依云计算产业园一角。目前，该园区已经吸引180余家企业入驻。", "援克教师成立“上海援疆名师工作室”。"} <= set(article.paragraphs)


def test_furniture_is_a_column_label_or_a_web_page_s_navigation() -> None:
    assert is_furniture("援疆工作进行时") and is_furniture("援疆工作进行时援疆工作进行时")  # a label of furniture.txt
    assert is_furniture("AA04") and is_furniture("首页 > 新闻 > 援疆")  # a page code, a breadcrumb
    assert not is_furniture("克拉玛依市召开援疆工作会议。")
    assert not is_furniture("2023年8月27日")  # a date line is the page's metadata, not furniture


def test_a_web_page_s_head_is_its_first_eight_lines_with_text() -> None:
    lines = ["首页 > 新闻 > 援疆", "2023-08-27 10:00", "", "第一段正文写在这里。", "第二段。", "第三段。", "第四段。",
             "第五段。", "AA04", "", "AA05", "第六段。"]
    # The navigation is dropped, the date line set apart; AA04 is the eighth line with text, AA05
    # the ninth (blank lines do not count), so AA05 is text.
    assert web_head("\n".join(lines)) == (
        ["2023-08-27 10:00"], "\n第一段正文写在这里。\n第二段。\n第三段。\n第四段。\n第五段。\n\nAA05\n第六段。")


SENTENCE_40 = "克拉玛依市第一中学新校区今天正式开学了全市共有两千多名学生在新校区开始学习和生活"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # After the dateline and the reporters' names: the first sentence.
        ("本报讯（记者 王建国）克拉玛依市第一中学新校区今天开学。学生们很高兴。", "克拉玛依市第一中学新校区今天开学。"),
        ("克拉玛依日报讯 克拉玛依市第一中学新校区今天开学；学生们很高兴。", "克拉玛依市第一中学新校区今天开学；"),
        (SENTENCE_40 + "。后文", SENTENCE_40),  # 41 characters with its full stop: cut
        (SENTENCE_40[:39] + "。后文", SENTENCE_40[:39] + "。"),  # 40: whole
        # 40 with a clause inside: whole too, not cut at its comma.
        (SENTENCE_40[:19] + "，" + SENTENCE_40[19:38] + "。后文", SENTENCE_40[:19] + "，" + SENTENCE_40[19:38] + "。"),
        # A summary's label is no part of the title.
        ("摘要：克拉玛依市第一中学新校区今天开学。学生们很高兴。", "克拉玛依市第一中学新校区今天开学。"),
        # Longer than 40: cut after the last clause within the first 41 characters ...
        (SENTENCE_40[:39] + "，" + SENTENCE_40 + "。", SENTENCE_40[:39]),
        (SENTENCE_40[:6] + "，" + SENTENCE_40 + "。", SENTENCE_40[:6]),
        # ... unless that leaves fewer than 6 characters, or there is none: the first 40 then.
        (SENTENCE_40[:5] + "，" + SENTENCE_40 + "。", (SENTENCE_40[:5] + "，" + SENTENCE_40)[:40]),
        (SENTENCE_40 + "，" + SENTENCE_40 + "。", SENTENCE_40),  # the comma is the 41st character
        (SENTENCE_40 + "新，" + SENTENCE_40 + "。", SENTENCE_40),  # the comma is the 42nd character
        (SENTENCE_40 * 2 + "。", SENTENCE_40[:40]),
    ],
)
def test_an_item_without_a_headline_is_titled_by_its_first_sentence(text: str, title: str) -> None:
    assert _first_sentence(text) == title


def test_a_headline_group_whose_lines_all_hold_a_comma_is_titled_by_its_first() -> None:
    assert _title_of(["援疆干部，走进牧区", "医疗队，送药上门", "群众，点赞"]) == (
        "援疆干部，走进牧区", ["医疗队，送药上门", "群众，点赞"])
    # Otherwise the first line without a comma is the title, the others kept in order.
    assert _title_of(["援疆干部，走进牧区", "医疗队送药上门", "群众点赞"]) == (
        "医疗队送药上门", ["援疆干部，走进牧区", "群众点赞"])


def test_the_overlap_of_a_line_too_short_for_a_character_pair_is_none() -> None:
    assert overlap("援", "援疆干部") == 0.0
    assert overlap("援疆干部", "援疆") == 1 / 3


def test_an_outlets_dateline_ending_in_its_news_word_is_cut_there_not_at_a_later_character() -> None:
    # 电 of 电力 is no dateline's end: the dateline is 天山网消息.
    assert _first_sentence("天山网消息 援疆电力工程完工。后文") == "援疆电力工程完工。"
    assert _first_sentence("天山网消息（记者王明）援疆电力工程完工。后文") == "援疆电力工程完工。"
    assert _first_sentence("新华社北京5月1日电 援疆好消息传来。") == "援疆好消息传来。"
    assert _first_sentence("摘要：援疆干部走进社区。后文") == "援疆干部走进社区。"


def test_the_opening_of_an_item_runs_to_its_next_headline_or_dateline_within_four_paragraphs() -> None:
    paras = [Paragraph("甲", "dated"), Paragraph("乙", "body"), Paragraph("丙", "heading"), Paragraph("丁", "body")]
    assert _body_after(paras, 0) == "甲\n乙"
    paras = [Paragraph("甲", "dated"), Paragraph("乙", "body"), Paragraph("丙", "dateline")]
    assert _body_after(paras, 0) == "甲\n乙"
    paras = [Paragraph(text, "body") for text in "甲乙丙丁戊"]
    assert _body_after(paras, 0) == "甲\n乙\n丙\n丁"


def test_a_feature_opens_with_a_lead_or_a_subtitle_or_has_four_paragraphs() -> None:
    assert _feature(None) is False
    assert _feature(PageArticle("标题", ["甲", "——副题"])) is True
    assert _feature(PageArticle("标题", ["甲", "乙", "——副题"])) is False
    assert _feature(PageArticle("标题", ["甲", "乙", "丙"])) is False
    assert _feature(PageArticle("标题", ["甲", "乙", "丙", "丁"])) is True
    assert _feature(PageArticle("标题", ["甲"], lead=True)) is True


def test_a_web_pages_pieces_merge_under_the_confirmed_headline_or_else_the_first() -> None:
    first = PageArticle("第一", ["甲"], ["图一"], ["来源：新华网"])
    second = PageArticle("第二", ["乙"], [], ["2024年5月1日"], confirmed=True)
    assert _merged([first, second]) == PageArticle(
        "第二", ["第一", "甲", "乙"], ["图一"], ["来源：新华网", "2024年5月1日"], confirmed=True
    )
    third = PageArticle("第三", ["丙"])
    assert _merged([first, third]) == PageArticle("第一", ["甲", "第三", "丙"], ["图一"], ["来源：新华网"])


def test_short_trailing_paragraphs_above_a_credit_are_its_caption() -> None:
    long = "援" * 60
    assert _pull_caption(None) == []
    article = PageArticle("标题", [long, "援疆干部", "孩子们"])
    assert (_pull_caption(article), article.paragraphs) == (["援疆干部", "孩子们"], [long])
    article = PageArticle("标题", [long, "援" * 59])
    assert (_pull_caption(article), article.paragraphs) == (["援" * 59], [long])
    article = PageArticle("标题", ["援疆干部", long])
    assert (_pull_caption(article), article.paragraphs) == ([], ["援疆干部", long])
    article = PageArticle("标题", ["援疆干部", "■" + long])
    assert (_pull_caption(article), article.paragraphs) == (["■" + long], ["援疆干部"])
    article = PageArticle("标题", ["援疆干部"])
    assert (_pull_caption(article), article.paragraphs) == ([], ["援疆干部"])


# Distinct characters, so that a text of n of them has n - 1 distinct character pairs.
DISTINCT = "".join(chr(0x4E00 + 7 * n) for n in range(60))


def test_a_headline_fits_a_body_sharing_at_least_a_third_of_its_character_pairs() -> None:
    orphan = DISTINCT[:51]  # 50 pairs
    builder = _Builder(orphans=[_Orphan(orphan, 0)])
    assert builder.claim(DISTINCT[:17]) == []  # 16 pairs of 50: 0.32
    assert builder.claim(DISTINCT[:18]) == [orphan]  # 17 of 50: 0.34
    assert builder.orphans == []


def test_a_crowded_headline_group_keeps_the_lines_that_fit_and_leaves_the_others_waiting() -> None:
    builder = _Builder()
    article = builder.start(["援疆干部", "走进社区", "送去新书"], "援疆干部走进社区")
    assert (article, builder.orphans) == (PageArticle("援疆干部", ["走进社区"]), [_Orphan("送去新书", 0)])
    builder = _Builder()
    article = builder.start(["天山南北", "瓜果飘香", "牧场繁忙"], "援疆干部走进社区")
    assert (article, builder.orphans) == (PageArticle("瓜果飘香", ["牧场繁忙"]), [_Orphan("天山南北", 0)])
    builder = _Builder()
    assert builder.start(["援疆干部", "天山南北"], "援疆干部走进社区") == PageArticle("援疆干部", ["天山南北"])
    assert builder.orphans == []


def test_a_headline_confirmed_by_its_date_line_is_the_title_whatever_its_place() -> None:
    builder = _Builder()
    article = builder.start(["甲方", "乙方", "丙方"], "援疆", title_at=0)
    assert article == PageArticle("甲方", ["乙方", "丙方"], confirmed=True)
    assert builder.articles == [article]


def test_a_caption_joins_the_article_sharing_most_of_its_character_pairs() -> None:
    first, second = PageArticle("援疆干部走进社区", ["援疆干部走进社区送去新书和文具。"]), PageArticle("果园丰收", ["果园里的苹果已经成熟了。"])
    builder = _Builder(articles=[first, second], captions=[_Caption(["果园里的苹果已经成熟了。"], first)])
    assert builder.finish() == [first, PageArticle("果园丰收", ["果园里的苹果已经成熟了。"], ["果园里的苹果已经成熟了。"])]


def test_a_caption_matching_two_articles_alike_joins_the_first() -> None:
    first, second = PageArticle("甲", [DISTINCT[:10]]), PageArticle("乙", [DISTINCT[:10]])
    builder = _Builder(articles=[first, second], captions=[_Caption([DISTINCT[:10]], None)])
    assert [a.captions for a in builder.finish()] == [[DISTINCT[:10]], []]


def test_a_caption_of_eight_pairs_or_more_sharing_a_fifth_of_them_joins_that_article() -> None:
    where = {}
    for size in (8, 9, 11, 12):
        article, other = PageArticle("标题", [DISTINCT[:3]]), PageArticle("其他", ["援疆"])  # 2 pairs shared
        builder = _Builder(articles=[article, other], captions=[_Caption([DISTINCT[:size]], other)])
        articles = builder.finish()
        where[size - 1] = [a.title for a in articles if a.captions]
    # 2 of 8 or 10 pairs is a fifth or more; 7 pairs are too few to place by, 2 of 11 too little.
    assert where == {7: ["其他"], 8: ["标题"], 10: ["标题"], 11: [DISTINCT[:12]]}


def test_a_short_caption_stays_with_the_article_being_read_even_if_another_shares_its_pairs() -> None:
    article, other = PageArticle("标题", [DISTINCT[:8]]), PageArticle("其他", ["援疆"])
    builder = _Builder(articles=[article, other], captions=[_Caption([DISTINCT[:8]], other)])
    builder.finish()
    assert (article.captions, other.captions) == ([], [DISTINCT[:8]])


def test_a_long_caption_matching_nothing_is_an_item_of_its_own_titled_by_its_last_text() -> None:
    other = PageArticle("其他", ["援疆"])
    captions = [_Caption(["天山脚下的果园。", "果园里的苹果已经成熟了。"], other), _Caption(["援疆干部走进社区送去新书。"], None)]
    builder = _Builder(articles=[other], captions=captions)
    assert builder.finish() == [
        other,
        PageArticle("果园里的苹果已经成熟了。", [], ["天山脚下的果园。", "果园里的苹果已经成熟了。"]),
        PageArticle("援疆干部走进社区送去新书。", [], ["援疆干部走进社区送去新书。"]),
    ]
    # Found inside running text, or too short to place by its words, it stays where it was read.
    builder = _Builder(articles=[other], captions=[_Caption(["援疆干部走进社区送去新书。"], other, in_text=True)])
    assert builder.finish() == [PageArticle("其他", ["援疆"], ["援疆干部走进社区送去新书。"])]
    builder = _Builder(captions=[_Caption(["图"], None)])
    assert builder.finish() == [PageArticle("图", [], ["图"])]


def test_leftover_headlines_go_back_where_they_stood() -> None:
    first, second = PageArticle("甲", ["正文甲"]), PageArticle("乙", ["正文乙"])
    builder = _Builder(articles=[first, second], orphans=[_Orphan("旧题一", 1), _Orphan("旧题二", 2)])
    assert builder.finish() == [first, PageArticle("乙", ["旧题一", "正文乙", "旧题二"])]
    assert _Builder(orphans=[_Orphan("旧题", 0)]).finish() == [PageArticle("旧题")]


def test_a_headline_over_a_dated_body_opens_a_new_item() -> None:
    raw = "本报讯 援疆干部走进社区，送去新书和文具。\n\n援疆新篇章\n3月5日，图书馆今天开放，读者很多。\n"
    assert split_page(raw) == [
        PageArticle("援疆干部走进社区，送去新书和文具。", ["本报讯援疆干部走进社区，送去新书和文具。"]),
        PageArticle("援疆新篇章", ["3月5日，图书馆今天开放，读者很多。"]),
    ]


def test_a_page_opening_with_running_text_is_a_features_lead() -> None:
    text = "援疆干部今天走进社区图书馆，为孩子们送去了新书和文具。"
    assert split_page(text + "\n") == [PageArticle(text, [text], lead=True)]
    # A saved web page of one such piece keeps that.
    assert split_page(f"新华网 >>详情\n{text}\n") == [PageArticle(text, [text], header=["新华网"], lead=True)]


def test_a_narrow_web_page_opens_with_its_headline() -> None:
    assert split_page("新华网 >>详情\n援疆干部走进社区\n图书馆今天开放了。\n") == [
        PageArticle("援疆干部走进社区", ["图书馆今天开放了。"], header=["新华网"])
    ]


def test_an_editors_note_opens_the_article_it_introduces() -> None:
    raw = "编者按：援疆干部的故事。\n\n本报讯 援疆干部走进社区，送去新书和文具。\n"
    assert split_page(raw) == [
        PageArticle("援疆干部走进社区，送去新书和文具。", ["编者按：援疆干部的故事。", "本报讯援疆干部走进社区，送去新书和文具。"])
    ]


def test_a_web_pages_headline_is_the_one_above_its_source_line_and_a_byline_in_the_group_is_its_header() -> None:
    raw = "天山南北\n援疆新篇章\n来源：新华网\n援疆干部今天走进社区图书馆，为孩子们送去了新书和文具。\n"
    assert split_page(raw) == [
        PageArticle("援疆新篇章", ["天山南北", "援疆干部今天走进社区图书馆，为孩子们送去了新书和文具。"], header=["来源：新华网"],
                    confirmed=True)
    ]
    raw = "援疆新篇章\n记者 王明 李华\n天山南北\n本报讯 援疆干部走进社区，送去新书和文具。\n"
    assert split_page(raw) == [
        PageArticle("援疆新篇章", ["天山南北", "本报讯援疆干部走进社区，送去新书和文具。"], header=["记者王明李华"])
    ]


def test_a_headline_above_a_caption_waits_for_the_item_it_belongs_to() -> None:
    raw = "援疆新篇章\n\n■ 援疆干部和孩子们在一起。\n\n本报讯 援疆干部走进社区，送去新书和文具。\n"
    assert split_page(raw) == [
        PageArticle("援疆干部走进社区，送去新书和文具。", ["援疆新篇章", "本报讯援疆干部走进社区，送去新书和文具。"],
                    ["■ 援疆干部和孩子们在一起。"])
    ]


BODY_60 = "本报讯 援疆干部今天走进社区图书馆，为孩子们送去了新书和文具，孩子们都很高兴，社区的老人们也来到图书馆读书看报。"
ITEM = "本报讯 援疆干部走进社区，送去新书和文具。"


def test_short_paragraphs_just_above_a_credit_are_its_caption_unless_a_mark_opens_the_credit() -> None:
    [article] = split_page(f"{BODY_60}\n\n援疆干部和孩子们\n\n王明 摄\n")
    assert (article.paragraphs[1:], article.captions) == ([], ["援疆干部和孩子们", "王明摄"])
    [article] = split_page(f"{BODY_60}\n\n援疆干部和孩子们\n\n■ 王明 摄\n")
    assert (article.paragraphs[1:], article.captions) == (["援疆干部和孩子们"], ["■ 王明摄"])


def test_up_to_three_loose_paragraphs_below_a_credit_before_a_headline_or_the_end_are_its_caption() -> None:
    [article] = split_page(f"{ITEM}\n\n王明 摄\n\n援疆干部和孩子们。\n\n在图书馆里。\n")
    assert article.captions == ["王明摄", "援疆干部和孩子们。", "在图书馆里。"]
    loose = "援疆干部和孩子们。\n\n在图书馆里。\n\n读书看报。\n\n聊起家常。\n\n"
    first, second = split_page(f"{ITEM}\n\n王明 摄\n\n{loose}援疆新篇章\n本报讯 图书馆今天开放，读者很多。\n")
    assert (first.paragraphs[1:], first.captions) == (["援疆干部和孩子们。", "在图书馆里。", "读书看报。", "聊起家常。"], ["王明摄"])
    # A marked caption below the credit is part of its block, placed by their words together.
    first, second = split_page(f"{ITEM}\n\n王明 摄\n\n■ 图书馆今天开放，读者很多。\n\n援疆新篇章\n本报讯 图书馆今天开放，读者很多。\n")
    assert (first.captions, second.captions) == ([], ["王明摄", "■ 图书馆今天开放，读者很多。"])


def test_a_caption_found_by_the_layout_below_a_credit_is_part_of_its_block() -> None:
    raw = f"{BODY_60}\n\n王明 摄\n\n\n\n援疆干部和牧民在果园里。\n\n援疆新篇章\n本报讯 援疆干部和牧民在果园里摘苹果。\n"
    first, second = split_page(raw)
    assert (first.captions, second.captions) == ([], ["王明摄", "援疆干部和牧民在果园里。"])


def test_an_editors_note_after_a_caption_and_web_furniture_above_a_note_wait_for_the_article() -> None:
    item = PageArticle("援疆干部走进社区，送去新书和文具。", ["编者按：援疆干部的故事。", "本报讯援疆干部走进社区，送去新书和文具。"])
    raw = f"■ 援疆干部和孩子们在一起。\n\n编者按：援疆干部的故事。\n\n{ITEM}\n"
    assert split_page(raw) == [PageArticle(item.title, item.paragraphs, ["■ 援疆干部和孩子们在一起。"])]
    raw = f"来源：新华网\n编者按：援疆干部的故事。\n{ITEM}\n"
    assert split_page(raw) == [PageArticle(item.title, item.paragraphs, header=["来源：新华网"])]


def test_a_long_paragraph_between_short_ones_stops_the_pull() -> None:
    long = "援" * 60
    article = PageArticle("标题", [long, "援疆干部", long])
    assert (_pull_caption(article), article.paragraphs) == ([], [long, "援疆干部", long])


def test_a_caption_block_is_scored_by_the_pairs_of_its_texts_run_together() -> None:
    article, other = PageArticle("标题", [DISTINCT[:3]]), PageArticle("其他", ["援疆"])
    # Run together, the two texts have 9 pairs, 2 of them the article's: more than a fifth.
    builder = _Builder(articles=[article, other], captions=[_Caption([DISTINCT[:5], DISTINCT[5:10]], other)])
    builder.finish()
    assert (article.captions, other.captions) == ([DISTINCT[:5], DISTINCT[5:10]], [])


def test_a_caption_of_eight_pairs_matching_nothing_is_an_item_and_one_of_none_stays() -> None:
    article, other = PageArticle("标题", [DISTINCT[:2]]), PageArticle("其他", ["援疆"])
    builder = _Builder(articles=[article, other], captions=[_Caption([DISTINCT[:9]], other)])
    assert [a.title for a in builder.finish()] == ["标题", "其他", DISTINCT[:9]]
    builder = _Builder(articles=[other], captions=[_Caption(["图"], other)])
    assert builder.finish() == [PageArticle("其他", ["援疆"], ["图"])]


def test_a_headline_sharing_a_third_of_its_pairs_with_the_body_fits_it() -> None:
    builder = _Builder()
    article = builder.start([DISTINCT[:51], "天山南北", "瓜果飘香"], DISTINCT[:18])
    assert (article.title, [o.text for o in builder.orphans]) == (DISTINCT[:51], ["天山南北", "瓜果飘香"])
