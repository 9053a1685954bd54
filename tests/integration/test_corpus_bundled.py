"""The bundled pages split into their articles with the right metadata, losing no text."""

import re
from collections import Counter

import pytest

from corpus import load_corpus
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
         ("北京", "上海", "天津", "杭州", "江西", "河南", "吉林", "宁波", "山东", "江苏")),
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


def test_ids_are_stable_across_loads(articles) -> None:
    assert [a.id for a in load_corpus().articles] == [a.id for a in articles]


def test_people_and_organisations_are_found(articles) -> None:
    visit = by_title(articles, "在新起点上")
    assert visit.people[:4] == ("陈吉宁", "马兴瑞", "艾尔肯·吐尼亚孜", "李邑飞")
    assert "上海市对口支援新疆工作前方指挥部" in visit.orgs
