"""The bundled pages split into their articles with the right metadata, losing no text."""

import json
import re
import shutil
from collections import Counter

import pytest

from corpus import load_corpus
from corpus.cleaning import ends_sentence
from corpus.lexicon import user_words
from corpus.loader import default_corpus
from corpus.page import page_lines, split_page


@pytest.fixture(scope="module")
def articles():
    result = load_corpus()
    assert result.skipped == ()
    return result.articles


def by_title(articles, fragment: str):
    [article] = [a for a in articles if fragment in a.title]
    return article


def test_pages_split_into_their_articles(articles) -> None:
    titles: dict[str, list[str]] = {}
    for article in articles:
        titles.setdefault(article.origin.split("#")[0][:3], []).append(article.title)
    assert titles == {
        "000": ["牢记使命用心用情，智力赋能克拉玛依高质量发展"],
        "001": [
            "“暖新商铺”挂牌",
            "护航安全生产",
            "共享非遗之美",
            "书法课进社区",
            "展出生肖版画",
            "领略科技魅力",
            "提升专业水平",
            "开展宣讲比赛",
            "赋能春牧生产",
            "传承红色基因",
            "理解节日内涵",
            "训练急救技能",
            "宣传优育政策",
            "装扮“聚邻花园”",
            "双城携手又迎春",
        ],
        "002": ["山海同心谱新篇"],
        "003": ["在新起点上全力把对口援疆做得更好", "陈吉宁率团与马兴瑞一道全方位了解上海对口援疆各项工作推进情况"],
        "004": [
            "新疆建成21个产值百亿元以上园区",
            "地区领导主题教育学习研讨会召开",
            "和田地区昆冈经济技术开发区市域产教联合体成立",
            "和田20家企业117种产品亮相上海交易会",
            "交易会首日和田签约金额逾亿元",
            "天津“组团式”援疆",
            "地区水利学会成立",
            "全国职业院校技能大赛",
        ],
    }


@pytest.mark.parametrize(
    ("fragment", "date", "precision", "source", "regions", "sectors", "aid_from"),
    [
        ("牢记使命", "2023-07-01", "month", "克拉玛依日报", ("克拉玛依",), ("数字科技", "产业经济", "教育"), ("上海",)),
        ("暖新商铺", "2025-03-26", "day", "克拉玛依日报", ("克拉玛依",), ("就业民生",), ()),
        ("护航安全生产", "2025-03-26", "day", "克拉玛依日报", ("克拉玛依",), ("安全应急",), ()),
        ("展出生肖版画", "2025-03-28", "day", "克拉玛依日报", ("克拉玛依",), ("文化旅游",), ()),
        ("训练急救技能", "2025-03-27", "day", "克拉玛依日报", ("克拉玛依",), ("医疗卫生",), ()),
        ("双城携手又迎春", "2025-04-03", "day", "克拉玛依日报", ("克拉玛依",), ("数字科技", "产业经济", "能源"), ("上海",)),
        ("山海同心谱新篇", "2025-06-01", "month", "新华社", ("新疆", "和田", "喀什", "阿克苏"), ("产业经济", "医疗卫生", "教育"),
         ("北京", "上海", "浙江", "天津", "江西", "河南", "吉林", "山东", "江苏")),
        ("在新起点上", "2023-08-29", "day", "解放日报", ("喀什",), ("党建政务",), ("上海",)),
        ("陈吉宁率团", "2023-08-27", "day", "解放日报", ("喀什",), ("就业民生", "产业经济", "文化旅游"), ("上海",)),
        ("新疆建成21个", "2023-12-10", "day", "新疆日报", ("新疆",), ("产业经济",), ()),
        ("主题教育", "2023-12-06", "day", "和田日报", ("和田",), ("党建政务",), ()),
        ("产教联合体", "2023-12-08", "day", "和田日报", ("和田",), ("教育",), ("北京",)),
        ("亮相上海交易会", "2023-12-08", "day", "和田日报", ("和田",), ("产业经济", "农业"), ()),
        ("天津", "2023-12-11", "day", "和田日报", ("和田",), ("医疗卫生", "教育"), ("天津",)),
        ("水利学会", "2023-12-10", "day", "和田日报", ("和田",), ("生态水利",), ()),
        ("技能大赛", "2023-12-09", "day", "和田日报", ("和田",), ("教育", "就业民生"), ()),
    ],
)
def test_named_articles_metadata(articles, fragment, date, precision, source, regions, sectors, aid_from) -> None:
    article = by_title(articles, fragment)
    assert (article.date, article.date_precision, article.source) == (date, precision, source)
    assert (article.regions, article.sectors, article.aid_from) == (regions, sectors, aid_from)


def test_captions_are_kept_with_the_article_they_show(articles) -> None:
    assert by_title(articles, "暖新商铺").text.endswith("\n马海军摄")
    fair = by_title(articles, "亮相上海交易会").text
    assert fair.endswith("新疆名优特农产品上海交易会和田展区人气旺，各类特色农产品备受顾客和采购商青睐。\n地区融媒特派记者胡礼政摄")
    visit = by_title(articles, "陈吉宁率团").text
    assert "\n■ 8月27日至28日，上海市委书记陈吉宁率上海市代表团" in visit
    assert "陈吉宁、马兴瑞听取上海文旅援疆助力乡村旅游发展、带动群众就近就业、促进乡村示范点建设等情况介绍，沿途察看当地特色手工艺品和茶馆农家乐。" in visit


def test_photo_captions_of_the_features_are_set_aside_not_run_into_their_text(articles) -> None:
    feature = by_title(articles, "牢记使命")
    assert feature.text.split("\n")[-3:] == [
        "东航上海浦东—西安—克拉玛依往返航线开通。",
        "建设惠民医学高地。",
        "克拉玛依云计算产业园一角。目前，该园区已经吸引180余家企业入驻，建成5座大型数据中心。",
    ]
    # The caption cut a sentence in two; it resumes after it.
    assert "专业技术人员1200余人。\n" in feature.text
    assert "\n学有优教，打造全疆教育灯塔病有良医，建设惠民医学高地\n让油城学有优教" in feature.text
    review = by_title(articles, "山海同心谱新篇")
    assert review.text.split("\n")[-4:] == [
        '2025年6月23日,在新疆阿克苏市新疆红旗坡农贸物流园,"95后"电商米尔扎提·卡米力在直播带货当地农产品',
        "月27日,在新疆和田市产业园区新疆纱纤亿产业互间内,工人在整理布料。",
        "▶ 2025年6月27日,在新疆和田技师学院,北京援疆教师李东军(右)指导学生操作高压变配电设备",
        "2025年6月25日,在新疆阿克苏地区库车市甬库同心村智慧农业植物工厂,技术人员在培训从当地招聘的农业产业工人。",
    ]
    assert '\n(图文均据新华社)\n从"人"援到"智"援培养"扎下根"的本地人才队伍\n骨科医生借助' in review.text
    assert '\n双向奔赴聚人心"石榴籽"抱得越来越紧\n山海不为远' in review.text


def test_only_headings_captions_and_cut_off_text_end_a_paragraph_unfinished(articles) -> None:
    # A paragraph ending mid-sentence is where a word or sentence could have been cut: each one is
    # a headline, a credit or caption, or text the page itself cuts off.
    def short(paragraph: str) -> str:
        return paragraph if len(paragraph) <= 40 else f"{paragraph[:16]}…{paragraph[-8:]}"

    unfinished: dict[str, list[str]] = {}
    for article in articles:
        for paragraph in article.text.split("\n"):
            if not ends_sentence(paragraph):
                unfinished.setdefault(article.origin[:3], []).append(short(paragraph))
    assert unfinished == {
        "000": [
            "人才为要，输血造血并重为培育排头兵注入新动能",
            "文旅为媒，交通先行打造丝绸之路上的诗与远方",
            "产业为重，“一主多元”乘“云”而上“数”化未来",
            "学有优教，打造全疆教育灯塔病有良医，建设惠民医学高地",
            # The page's last line; its end (门口就能享受到…) was read in another column.
            "这些年，克拉玛依医疗临床、教学、科研水平均实现了飞跃，油城居民在家",
        ],
        "001": [
            "马海军摄",
            "韩亚东摄",
            "艾丽菲热摄",
            "魏子晗摄",
            "援克工作综述",
            "深度交融",
            "培育增长新动能",
            "情情沪沪克克深深",
            "克拉玛依融媒记者非尔代维斯·热夏提摄",
        ],
        "002": [
            "新时代高质量开展对口援疆工作巡礼",
            '变"输血"为"造血"助力打造现代产业体系',
            '双向奔赴聚人心"石榴籽"抱得越来越紧',
            "(图文均据新华社)",
            '从"人"援到"智"援培养"扎下根"的本地人才队伍',
            "随着经济社会发展业态的不断丰富,…人才7.8万余人",  # the OCR text stops there
            "2025年6月23日,在新疆阿克…播带货当地农产品",
            "▶ 2025年6月27日,在新疆…作高压变配电设备",
        ],
        "003": [
            "陈吉宁率上海市代表团在新疆喀什地区学习考察，与马兴瑞一道共商对口支援大计",
            "出席对口支援工作座谈会并看望慰问…李邑飞出席座谈会",
            "“现在生活越来越好，日子比冰糖还甜”",
            "打造推进发展的工程、民族团结的工…邑飞参加相关活动",
            "■ 8月27日至28日，上海市委…本报记者陈正宝摄",
        ],
        "004": [
            "汲取奋进智慧取得扎实成效",
            "提升技术技能人才培养助推绿色矿业高质量发展",
            "地区融媒特派记者胡礼政摄",
            "特色帮扶提升",
            "和田教育医疗水平",
            "对接所需提升教育医疗水平",
            "因地制宜创新帮扶路径",
            "目前，和田地区人民医院已建成27…科体系更趋完善，",  # continued on page 3
            "促进现代智慧水利发展",
            "选拔赛在和田开赛",
        ],
    }


def test_no_text_is_lost_or_duplicated() -> None:
    for path in sorted(default_corpus().glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        page = Counter(re.sub(r"\s", "", "".join(line.text for line in page_lines(raw))))
        found = split_page(raw)
        kept = Counter(re.sub(r"\s", "", "".join(article.title + article.text for article in found)))
        assert kept == page, path.name
        sentences = [s for article in found for s in re.findall(r"[^。！？\n]{6,}[。！？]", article.text)]
        assert [s for s, n in Counter(sentences).items() if n > 1] == [], path.name


def test_every_article_has_complete_metadata_and_no_word_broken_across_lines(articles) -> None:
    ids = [article.id for article in articles]
    assert len(set(ids)) == len(ids) == 27
    words = [w for w in user_words() if len(w) >= 2]
    for article in articles:
        assert article.title and article.text and article.source
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", article.date)
        assert 1 <= len(article.sectors) <= 3 and article.regions
        assert "\n\n" not in article.text and not article.text.startswith("\n")
        for word in words:
            for cut in range(1, len(word)):
                assert f"{word[:cut]}\n{word[cut:]}" not in article.text, (article.title, word)


def test_ids_are_stable_across_loads_and_places(articles, tmp_path) -> None:
    # An id is the page's path in its corpus, the headline and its number among equal headlines:
    # indexes built before keep their ids, wherever the corpus folder is copied.
    assert {a.id: a.title for a in articles} == {
        "890a71d3fd429a8f": "牢记使命用心用情，智力赋能克拉玛依高质量发展",
        "6c617be58457989f": "“暖新商铺”挂牌",
        "3a7f6c22cef133bf": "护航安全生产",
        "cc94a4c1e7c69ca9": "共享非遗之美",
        "244481468dc2c270": "书法课进社区",
        "c18c3162c01c5c9c": "展出生肖版画",
        "7e551f7bf23efed6": "领略科技魅力",
        "013aa54a769ba18d": "提升专业水平",
        "70959a1a87f36748": "开展宣讲比赛",
        "5277dc9382573c59": "赋能春牧生产",
        "f3e531ad2bd96aee": "传承红色基因",
        "64912aa02e11692a": "理解节日内涵",
        "d9f61b2f834963be": "训练急救技能",
        "a73692c1ba62949d": "宣传优育政策",
        "749ec2593ebccf1a": "装扮“聚邻花园”",
        "3681eacd1f86ab92": "双城携手又迎春",
        "2f13826dbc1b6dcf": "山海同心谱新篇",
        "5446d2dd3117e898": "在新起点上全力把对口援疆做得更好",
        "c51425295c52874c": "陈吉宁率团与马兴瑞一道全方位了解上海对口援疆各项工作推进情况",
        "d811ec9c466f286f": "新疆建成21个产值百亿元以上园区",
        "f77d4cb49dbc81b6": "地区领导主题教育学习研讨会召开",
        "085889c81e566c44": "和田地区昆冈经济技术开发区市域产教联合体成立",
        "29147c319a7db1ed": "和田20家企业117种产品亮相上海交易会",
        "9c9c144c6db5efee": "交易会首日和田签约金额逾亿元",
        "5d2324fc8943ffca": "天津“组团式”援疆",
        "f82f37053b201156": "地区水利学会成立",
        "9063aba2269b4adc": "全国职业院校技能大赛",
    }
    shutil.copytree(default_corpus(), tmp_path / "copy")
    assert [a.id for a in load_corpus(tmp_path / "copy").articles] == [a.id for a in articles]


def test_people_and_organisations_are_found(articles) -> None:
    visit = by_title(articles, "在新起点上")
    assert visit.people[:4] == ("陈吉宁", "马兴瑞", "艾尔肯·吐尼亚孜", "李邑飞")
    assert "上海市对口支援新疆工作前方指挥部" in visit.orgs


def test_the_manifest_quotes_its_evidence_from_each_page() -> None:
    manifest = json.loads((default_corpus() / "manifest.json").read_text(encoding="utf-8"))
    pages = sorted(path.name for path in default_corpus().glob("*.txt"))
    assert sorted(manifest["pages"]) == pages
    for name, entry in manifest["pages"].items():
        raw = (default_corpus() / name).read_text(encoding="utf-8")
        text = re.sub(r"\s", "", "".join(line.text for line in page_lines(raw)))
        assert entry["source"] and entry["date"] and entry["home_region"], name
        assert len(entry["evidence"]) >= 3, name
        for item in entry["evidence"]:
            assert item["shows"], name
            assert re.sub(r"\s", "", item["quote"]) in text, (name, item["quote"])
