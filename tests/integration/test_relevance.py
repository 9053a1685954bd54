"""A judged query set over the bundled corpus: recall and nDCG@10, asserted.

Judgements were made by reading the articles: 2 = the article is about the query,
1 = it mentions it. Ids are the bundled corpus' stable article ids.
"""

from __future__ import annotations

import math

import pytest

from search.model import SearchRequest

CHEN = "c51425295c52874c"  # 陈吉宁率团与马兴瑞一道全方位了解上海对口援疆各项工作推进情况
NEW_START = "5446d2dd3117e898"  # 在新起点上全力把对口援疆做得更好
TWIN_CITIES = "3681eacd1f86ab92"  # 双城携手又迎春 (上海援克, 氢能)
EMPOWER = "890a71d3fd429a8f"  # 牢记使命用心用情，智力赋能克拉玛依高质量发展
FAIR_COMPANIES = "29147c319a7db1ed"  # 和田20家企业117种产品亮相上海交易会
FAIR_DEALS = "9c9c144c6db5efee"  # 交易会首日和田签约金额逾亿元
TIANJIN = "5d2324fc8943ffca"  # 天津“组团式”援疆
SHANHAI = "2f13826dbc1b6dcf"  # 山海同心谱新篇
KUNGANG = "085889c81e566c44"  # 和田地区昆冈经济技术开发区市域产教联合体成立
WATER = "f82f37053b201156"  # 地区水利学会成立
PRINTS = "c18c3162c01c5c9c"  # 展出生肖版画
FIRST_AID = "d9f61b2f834963be"  # 训练急救技能
PARKS = "d811ec9c466f286f"  # 新疆建成21个产值百亿元以上园区
HERITAGE = "cc94a4c1e7c69ca9"  # 共享非遗之美
TALKS = "70959a1a87f36748"  # 开展宣讲比赛

JUDGED: dict[str, dict[str, int]] = {
    "陈吉宁": {CHEN: 2, NEW_START: 2},
    "马兴瑞": {CHEN: 2, NEW_START: 2},
    "氢能": {TWIN_CITIES: 2, EMPOWER: 2},
    "交易会": {FAIR_COMPANIES: 2, FAIR_DEALS: 2},
    "组团式": {TIANJIN: 2, SHANHAI: 1, NEW_START: 1, CHEN: 1},
    "組團式": {TIANJIN: 2, SHANHAI: 1, NEW_START: 1, CHEN: 1},
    "产教联合体": {KUNGANG: 2},
    "水利学会": {WATER: 2},
    "生肖版画": {PRINTS: 2},
    "急救": {FIRST_AID: 2},
    "园区": {PARKS: 2, SHANHAI: 1, TWIN_CITIES: 1, EMPOWER: 1, CHEN: 1},
    "援克": {EMPOWER: 2, TWIN_CITIES: 2, NEW_START: 1},
    "非遗": {HERITAGE: 2, SHANHAI: 1},
    "教育援疆": {TIANJIN: 2},
    "医疗": {TIANJIN: 2, SHANHAI: 1, EMPOWER: 1, NEW_START: 1, TALKS: 1},
    '"上海交易会"': {FAIR_COMPANIES: 2},
}

MIN_MEAN_NDCG = 0.95


def ndcg_at_10(ranked: list[str], grades: dict[str, int]) -> float:
    """Normalised discounted cumulative gain of the first ten results."""
    dcg = sum(grades.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranked[:10]))
    ideal = sorted(grades.values(), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg


def ranking(service, query: str) -> list[str]:
    return [h.id for h in service.search(SearchRequest(query=query, per_page=100)).hits]


def test_ndcg_helper():
    assert ndcg_at_10(["a", "b"], {"a": 2, "b": 1}) == 1.0
    assert ndcg_at_10(["b", "a"], {"a": 2, "b": 1}) == pytest.approx((1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3)))


def test_judged_ids_exist(bundled_articles):
    ids = {a.id for a in bundled_articles}
    assert {doc for grades in JUDGED.values() for doc in grades} <= ids


@pytest.mark.parametrize("query", sorted(JUDGED))
def test_recall_is_complete_and_the_best_articles_come_first(bundled_service, query):
    grades = JUDGED[query]
    ranked = ranking(bundled_service, query)
    assert set(grades) <= set(ranked)  # recall 1.0
    best = {doc for doc, grade in grades.items() if grade == 2}
    assert set(ranked[: len(best)]) == best


def test_mean_ndcg_at_10(bundled_service):
    scores = {q: ndcg_at_10(ranking(bundled_service, q), grades) for q, grades in JUDGED.items()}
    mean = sum(scores.values()) / len(scores)
    assert mean >= MIN_MEAN_NDCG, {q: round(s, 3) for q, s in scores.items() if s < 1}
