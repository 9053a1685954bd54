"""A corpus of reprints for the grouping tests: stories on paired assistance, each reprinted several times.

Every story is made of sentences written for these tests, filled with places, aiders and figures
(so unrelated stories on the same subject share their turns of phrase, as real ones do). Each
reprint gets a new headline, drops a paragraph or reorders them, and has about a tenth of its
characters edited (short spans replaced, dropped or inserted). Everything follows from the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from corpus.article import Article

PLACES = ("喀什", "和田", "克拉玛依", "阿克苏", "伊犁", "塔城", "阿勒泰", "哈密", "吐鲁番", "昌吉", "博州", "克州")
COUNTIES = ("莎车县", "泽普县", "叶城县", "策勒县", "于田县", "洛浦县", "墨玉县", "疏附县", "伽师县", "巴楚县")
AIDERS = ("上海", "北京", "天津", "广东", "江苏", "浙江", "山东", "辽宁", "河南", "湖北", "湖南", "福建")
PROJECTS = ("人民医院新院区", "职业技术学校", "现代农业产业园", "纺织服装工业园", "安居富民工程",
            "双语幼儿园", "冷链物流中心", "光伏发电基地", "文化活动中心", "乡村振兴示范村")
PEOPLE = ("干部人才", "医疗专家", "支教教师", "农业技术员", "规划设计师")
SOURCES = ("新疆日报", "解放日报", "北京日报", "天津日报", "南方日报", "新华社", "喀什日报", "和田日报")

# Sentence shapes; {p} place, {c} county, {a} aider, {j} project, {k} people, {n}/{m} numbers, {y} year.
SENTENCES = (
    "{y}年以来，{a}累计投入援疆资金{n}亿元，在{p}实施项目{m}个。",
    "{a}援疆前方指挥部负责人介绍，{j}计划于年底前全面建成投用。",
    "走进{c}的{j}，工人们正在加紧施工，塔吊林立，一派繁忙景象。",
    "{n}名{a}{k}扎根{p}，把先进理念和管理经验带到了边疆。",
    "据统计，{j}建成后可带动周边{n}户群众就近就业，人均年增收{m}千元。",
    "{p}地委负责同志表示，要用好用足援疆资源，推动援疆项目早见效。",
    "当天，{a}代表团一行深入{c}乡村，实地察看{j}建设情况。",
    "在{c}，来自{a}的{k}手把手传授技术，培养本地骨干{n}人。",
    "近年来，{p}坚持把保障和改善民生作为援疆工作的出发点和落脚点。",
    "{a}与{p}两地签署合作协议{n}项，涉及产业、教育、医疗等多个领域。",
    "{j}采用{a}的建设标准，配套建设了培训中心和服务站点。",
    "记者了解到，今年{p}还将新增援疆项目{m}个，总投资{n}亿元。",
    "{k}代表说，能为边疆发展出一份力，是一生难得的经历。",
    "围绕产业援疆，{a}引导{n}家企业落户{p}，新增就业岗位{m}个。",
    "{c}群众纷纷表示，{j}的建成让大家在家门口就能享受到优质服务。",
    "下一步，{a}将继续发挥自身优势，推动对口支援工作走深走实。",
    "{y}年，{p}接待{a}游客{n}万人次，旅游收入同比增长{m}%。",
    "{a}组织{n}所学校与{c}学校结对，开展远程教研和交流活动。",
    "为了把{j}建成精品工程，建设单位严把质量关，倒排工期抓进度。",
    "{p}各族干部群众对{a}的无私援助表示衷心感谢。",
    "{c}新建的{j}占地{n}亩，设有{m}个功能区。",
    "专家团队还为{c}培养了一支带不走的{k}队伍。",
    "清晨，{c}的集市上人来人往，摊主们忙着招呼顾客。",
    "这所学校原来只有几间平房，如今教学楼、食堂和操场一应俱全。",
    "她说，以前看病要跑几百公里，现在专家就在身边。",
    "产业园里，一排排标准化厂房整齐排列，生产线开足马力运转。",
    "棉花丰收后，合作社统一收购、统一加工，农户不再为销路发愁。",
    "为解决用水难题，工程队铺设管网{n}公里，惠及{m}个村庄。",
    "夜幕降临，文化广场上响起欢快的音乐，居民们跳起了舞蹈。",
    "一位老党员感慨地说，这些年村里的变化实在太大了。",
    "在实验室里，年轻的技术员反复调试设备，记录每一组数据。",
    "从播种到采摘，技术人员全程跟踪指导，病虫害明显减少。",
    "冬季供暖改造完成后，居民家中室温稳定在二十度以上。",
    "孩子们围坐在一起，用普通话朗读课文，声音清脆响亮。",
    "乡村道路硬化以后，农产品运输时间缩短了一半。",
    "医院开通远程会诊系统，疑难病例可以实时请后方专家会诊。",
    "驻村工作队挨家挨户走访，把政策讲到群众心坎上。",
    "这个夏天，{n}名内地学生来到{p}开展研学交流。",
    "小小的电商服务站，把当地的红枣、核桃卖到了全国各地。",
    "在牧区，流动医疗车定期巡诊，为牧民送医送药。",
    "新建的养老院里，老人们下棋聊天，其乐融融。",
    "多年来，一批又一批建设者接续奋斗，在戈壁滩上建起新城。",
    "培训班结束时，学员们拿到了职业技能等级证书。",
    "这些年，越来越多的年轻人选择返乡创业。",
)
HEADLINES = (
    "{a}援建{j}在{c}落成", "{p}：{j}加快建设", "{a}{k}情系{p}", "援疆项目助力{c}发展",
    "{a}与{p}携手共建{j}", "{c}{j}建设纪实", "山海相连 {a}{p}一家亲", "{p}援疆工作取得新进展",
)
FILLERS = "的了在是和有为这个上也对中就人以到说来时大地们出会着又可于新而多"


@dataclass(frozen=True, slots=True)
class Story:
    """An original article and its reprints (the ids of one group)."""

    original: Article
    reprints: tuple[Article, ...]

    @property
    def ids(self) -> frozenset[str]:
        """The ids of every copy."""
        return frozenset([self.original.id, *(a.id for a in self.reprints)])


def _slots(rng: random.Random) -> dict[str, str]:
    """One story's places, aider, project and figures."""
    return {"p": rng.choice(PLACES), "c": rng.choice(COUNTIES), "a": rng.choice(AIDERS), "j": rng.choice(PROJECTS),
            "k": rng.choice(PEOPLE), "y": str(rng.randint(2012, 2024))}


def _sentence(rng: random.Random, shape: str, slots: dict[str, str]) -> str:
    """A clause or sentence of shape with the story's slots and fresh figures."""
    return shape.format(n=rng.randint(2, 980), m=rng.randint(3, 96), **slots)


# Stories are made of clauses of these sentences recombined, so unrelated stories share phrases, not whole sentences.
CLAUSES = tuple(dict.fromkeys(c.strip("。") for shape in SENTENCES for c in shape.split("，")))


def story_text(rng: random.Random, slots: dict[str, str], paragraphs: int) -> list[str]:
    """Paragraphs of two sentences of two or three clauses each, no clause used twice."""
    shapes = iter(rng.sample(CLAUSES, paragraphs * 6))
    out = []
    for _ in range(paragraphs):
        sentences = ("，".join(_sentence(rng, next(shapes), slots) for _ in range(rng.choice((2, 3)))) + "。"
                     for _ in range(2))
        out.append("".join(sentences))
    return out


def edit(rng: random.Random, text: str, share: float = 0.10) -> str:
    """text with about share of its characters edited: short spans replaced, dropped or inserted."""
    chars = list(text)
    budget = int(len(chars) * share)
    while budget > 0:
        span = min(rng.randint(1, 3), budget)
        at = rng.randrange(len(chars))
        if "\n" in chars[at : at + span]:
            continue
        action = rng.random()
        new = [rng.choice(FILLERS) for _ in range(span)]
        if action < 0.6:
            chars[at : at + span] = new
        elif action < 0.8:
            del chars[at : at + span]
        else:
            chars[at:at] = new
        budget -= span
    return "".join(chars)


def _article(id: str, title: str, paragraphs: list[str], rng: random.Random, slots: dict[str, str],
             day: int) -> Article:
    return Article(id=id, title=title, text="\n".join(paragraphs), date=f"2023-{1 + day // 28:02d}-{1 + day % 28:02d}",
                   date_precision="day", source=rng.choice(SOURCES), regions=(slots["p"],), sectors=("产业经济",),
                   aid_from=(slots["a"],), origin=f"reprints#{id}")


def reprint_corpus(stories: int = 12, singles: int = 40, seed: int = 14) -> tuple[list[Story], list[Article]]:
    """stories originals each with 2–5 reprints, and singles unrelated articles on the same subject."""
    rng = random.Random(seed)
    out: list[Story] = []
    for s in range(stories):
        slots = _slots(rng)
        paragraphs = story_text(rng, slots, rng.randint(4, 5))
        day = rng.randrange(200)
        original = _article(f"story{s:02d}", rng.choice(HEADLINES).format(**slots), paragraphs, rng, slots, day)
        copies = []
        for r in range(rng.randint(2, 5)):
            shown = list(paragraphs)
            if rng.random() < 0.5:
                del shown[rng.randrange(len(shown))]
            if rng.random() < 0.7:
                rng.shuffle(shown)
            text = edit(rng, "\n".join(shown))
            title = edit(rng, rng.choice(HEADLINES).format(**slots), 0.2)
            copies.append(_article(f"story{s:02d}-r{r}", title, text.split("\n"), rng, slots,
                                   day + rng.randint(1, 20)))
        out.append(Story(original, tuple(copies)))
    alone = []
    for i in range(singles):
        slots = _slots(rng)
        paragraphs = story_text(rng, slots, rng.randint(3, 5))
        alone.append(_article(f"single{i:02d}", rng.choice(HEADLINES).format(**slots), paragraphs, rng, slots,
                              rng.randrange(300)))
    return out, alone


def pair_scores(truth: list[frozenset[str]], found: list[frozenset[str]]) -> tuple[float, float]:
    """Pairwise precision and recall of found groups against true ones (pairs of ids in one group)."""

    def pairs(groups: list[frozenset[str]]) -> set[tuple[str, str]]:
        return {(a, b) for g in groups for a in g for b in g if a < b}

    wanted, got = pairs(truth), pairs(found)
    precision = len(wanted & got) / len(got) if got else 1.0
    recall = len(wanted & got) / len(wanted) if wanted else 1.0
    return precision, recall
