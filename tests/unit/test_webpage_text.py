"""Saved web pages as raw text: navigation dropped, date and source lines set aside, one article each."""

from __future__ import annotations

from corpus.furniture import web_kind
from corpus.page import split_page, web_head

PAGE = (
    "当前位置：首页 > 新闻中心 > 正文\n"
    "\n"
    "援疆医生走进牧区 义诊送药暖人心\n"
    "\n"
    "2024-05-06 10:20  来源：示例日报  作者：王明\n"
    "\n"
    "  5月5日，援疆医疗队来到牧区，为牧民群众义诊。\n"
    "\n"
    "  医疗队带来了药品和设备\n"
    "\n"
    "  5月6日，医疗队又来到学校，为学生体检。\n"
    "\n"
    "分享到：微信 微博\n"
)


def test_a_web_page_is_one_article_under_the_headline_above_its_date_line() -> None:
    [article] = split_page(PAGE)
    assert article.title == "援疆医生走进牧区义诊送药暖人心"
    assert article.paragraphs == [
        "5月5日，援疆医疗队来到牧区，为牧民群众义诊。",
        "医疗队带来了药品和设备",
        "5月6日，医疗队又来到学校，为学生体检。",
    ]
    assert article.header == ["2024-05-06 10:20来源：示例日报作者：王明"]


def test_a_headline_with_a_stray_word_between_it_and_the_date_line() -> None:
    raw = "援疆干部扎根边疆十年\n推荐\n2025-07-10 07:11:44\n他们在边疆工作了十年，从未离开。\n"
    [article] = split_page(raw)
    assert article.title == "援疆干部扎根边疆十年"


def test_a_byline_is_no_headline_and_no_text() -> None:
    raw = "示例日报记者 王明 李华\n春风吹过天山，援疆项目陆续开工。各地干部群众干劲十足，工地上一派繁忙景象。\n"
    [article] = split_page(raw)
    assert article.title == "春风吹过天山，援疆项目陆续开工。"
    assert article.header == ["示例日报记者王明李华"]


def test_a_wide_page_opening_with_a_short_line_and_its_subtitle() -> None:
    raw = (
        "天山脚下谱新篇\n"
        "——记援疆干部的三年\n"
        "三年前，一批援疆干部来到天山脚下，他们带着家乡的嘱托，走遍了当地的每一个村庄，为群众办了许多实事。\n"
        "三年来，他们修路架桥、建校办医，把一个个项目落到实处，当地群众的日子越过越红火，笑容越来越多。\n"
        "三年后，他们即将返回家乡，村民们依依不舍，送来了自家种的瓜果，说一定要再回来看看这片土地。\n"
    )
    [article] = split_page(raw)
    assert (article.title, article.paragraphs[0]) == ("天山脚下谱新篇", "——记援疆干部的三年")


def test_teasers_each_ending_in_a_read_more_link_are_items_of_their_own() -> None:
    raw = (
        "第一篇报道的导语写到这里，内容很长很长。>>详情\n\n"
        "第二篇的标题\n\n第二篇的导语写到这里，内容也很长很长。>>详情\n\n"
        "第三篇的标题\n\n第三篇的导语写到这里，内容同样很长很长。\n"
    )
    assert [a.title for a in split_page(raw)] == ["第一篇报道的导语写到这里，内容很长很长。", "第二篇的标题", "第三篇的标题"]


def test_a_run_of_marked_points_is_text_not_captions() -> None:
    raw = (
        "援疆十年什么在变\n\n"
        "◆今年秋季，三十万居民用上了干净的自来水，告别了苦咸水。\n"
        "◆以前住土坯房，如今住上了抗震安居房，冬天不用再生炉子。\n"
    )
    [article] = split_page(raw)
    assert article.title == "援疆十年什么在变"
    assert article.paragraphs == [
        "◆今年秋季，三十万居民用上了干净的自来水，告别了苦咸水。",
        "◆以前住土坯房，如今住上了抗震安居房，冬天不用再生炉子。",
    ]


def test_a_newspaper_column_line_that_starts_like_a_byline_is_text() -> None:
    # OCR breaks a column anywhere: a reporter's credit runs on into the sentence.
    assert web_kind("石榴云/示例日报记者马明从自治") is None
    assert web_kind("示例日报记者 马明") == "byline"
    assert web_kind("2024年11月，新能源汽车在") is None


def test_kinds_of_web_furniture() -> None:
    assert web_kind("您的位置：首页 > 要闻") == "nav"
    assert web_kind("首頁 > 新聞 > 正文") == "nav"  # traditional
    assert web_kind("當(dāng)前位置:示例網首頁 >") == "nav"  # pinyin glosses of a converter
    assert web_kind("发布时间：2024-10-31 来源：示例网") == "meta"
    assert web_kind("人民网") == "meta"  # a masthead
    assert web_kind("援疆干部在村里工作。") is None


def test_a_menus_items_and_a_bar_of_links_to_several_outlets_are_navigation() -> None:
    assert web_kind("  • 援疆新闻") == "nav"
    assert web_kind("• 浙企在新疆") == "nav"
    assert web_kind("• 援疆项目投资12亿元，惠及各族群众") is None  # a point of the text
    assert web_kind("人民日报 浙江日报 新疆日报") == "nav"  # several outlets: links, no masthead
    assert web_kind("石榴云/新疆日报") == "meta"  # one outlet by two names: the masthead
    page = (
        "示例援疆网\n  • 援疆新闻\n  • 电子报\n人民日报 浙江日报 新疆日报\n"
        "您当前的位置 :示例网 > 援疆新闻\n\n援疆医生走进牧区 义诊送药暖人心\n\n2013年07月22日 09:39:38\n\n"
        "  7月19日，援疆医疗队来到牧区，为牧民群众义诊。\n"
    )
    [article] = split_page(page)
    assert article.title == "援疆医生走进牧区义诊送药暖人心"
    assert not [p for p in article.paragraphs if "•" in p or "浙江日报" in p]  # (the site's name stays: 示例援疆网)
    assert article.paragraphs[-1] == "7月19日，援疆医疗队来到牧区，为牧民群众义诊。"


def test_a_ready_articles_text_has_its_page_head_set_aside() -> None:
    header, text = web_head("首页 > 正文\n发布日期：2023-06-04\n正文第一段。\n来源：示例日报\n")
    assert header == ["发布日期：2023-06-04", "来源：示例日报"]
    assert text == "正文第一段。"


def test_an_editors_note_belongs_to_the_article_after_it() -> None:
    raw = (
        "编者按：本报记者走进边疆，记录援疆干部的日常。敬请关注。\n"
        "本报讯 这是一年里最炎热的时候，记者来到了伊宁。\n"
        "援疆干部早早等在机场，带我们去看新建的学校。\n"
    )
    [article] = split_page(raw)
    assert article.title == "这是一年里最炎热的时候，记者来到了伊宁。"
    assert article.paragraphs[0] == "编者按：本报记者走进边疆，记录援疆干部的日常。敬请关注。"
    [alone] = split_page("编者按：本期关注援疆干部的日常生活。\n")
    assert alone.paragraphs == ["编者按：本期关注援疆干部的日常生活。"]


def test_a_menu_down_the_page_an_authors_name_and_table_borders_are_no_text() -> None:
    menu = "首页\n走进我们\n工作动态\n组工在线\n宣传之窗\n青年园地\n"
    raw = menu + "当前位置：首页 > 经验交流\n边疆的梦想\n2024-05-06 来源：示例网\n|援疆干部扎根边疆，带来了新的理念和技术，当地群众十分欢迎。|\n"
    [article] = split_page(raw)
    assert (article.title, article.paragraphs) == ("边疆的梦想", ["援疆干部扎根边疆，带来了新的理念和技术，当地群众十分欢迎。"])
    [signed] = split_page("王明\n在新一轮的援疆工作中，如何让援疆的涓涓细流汇聚成磅礴之力，是每一位干部思考的问题。\n")
    assert (signed.title, signed.header) == ("在新一轮的援疆工作中，如何让援疆的涓涓细流汇聚成磅礴之力", ["王明"])


def test_a_features_dated_sections_stay_in_it() -> None:
    raw = (
        "天山脚下的力量\n——援疆采访活动综述\n"
        "9月16日，采访活动圆满收官，记者们走进产业一线和医疗诊室，记录援疆干部的故事。\n"
        "产业援疆\n"
        "9月10日，记者来到产业园，看到新建的厂房里机器轰鸣，工人们正在忙碌。\n"
    )
    [article] = split_page(raw)
    assert article.title == "天山脚下的力量"
    assert article.paragraphs[2:4] == ["产业援疆", "9月10日，记者来到产业园，看到新建的厂房里机器轰鸣，工人们正在忙碌。"]
