"""What a query may read from the index (search.limits), counted from the sizes of the lists."""

import pytest

from indexer.analysis import stream
from search import limits
from search.errors import BadQuery
from search.model import SearchRequest
from search.query import parse_query


@pytest.fixture()
def generation(sample_service):
    """The sample index's open generation."""
    return sample_service._current()


def occurrences(articles, text):
    """How often text stands in the titles and texts of articles (their streams)."""
    return sum(stream(field).count(stream(text)) for a in articles for field in (a.title, a.text))


def test_a_character_reads_each_of_its_positions(generation, sample_articles):
    assert limits.positions_read(generation.collection, "疆") == occurrences(sample_articles, "疆") == 7


def test_a_string_reads_its_rarest_bigram_once_per_character(generation, sample_articles):
    # 克拉 拉玛 玛依 stand at 4 places each (two articles), checked against each other: 4 × 4.
    assert occurrences(sample_articles, "克拉玛依") == 4
    assert limits.positions_read(generation.collection, "克拉玛依") == 16
    assert limits.positions_read(generation.collection, "克拉玛依石化") == 0  # 依石 is in no article


def test_a_query_reads_its_terms_their_words_postings_and_every_document_per_not(generation):
    with generation.pool.borrow() as searcher:
        counted = limits.reads(generation.collection, searcher.reader(), parse_query("上海 -疆").root)
    # 上海: 5 places × 2, and its word's postings (one title, one text); NOT: the 6 articles; 疆: 7.
    assert [(term.text if term else None, n) for term, n in counted] == [("上海", 12), (None, 6), ("疆", 7)]


@pytest.mark.parametrize("query, reads, costliest, total", [
    # Searched, 上海 also reads its aliases (援克, 沪克 …), of which the sample holds 援克 once:
    # 上海 16, NOT 6, 疆 7. (Every article naming 上海 has 疆 too.)
    ("上海 -疆", 29, "“上海”", 0),
    # 网联 4, NOT 6, 马克思 3, NOT 6, 石油 3: the two NOTs read most.
    ("网联 -马克思 -石油", 22, "NOT（每个 NOT 都要把全部文章读一遍）", 1),
])
def test_a_query_reading_more_than_the_limit_is_refused_naming_what_reads_most(
        sample_service, monkeypatch, query, reads, costliest, total):
    monkeypatch.setattr(limits, "MAX_READ", reads - 1)
    with pytest.raises(BadQuery) as error:
        sample_service.search(SearchRequest(query=query))
    assert str(error.value) == (f"查询太宽泛：要从索引读取约 {reads} 个位置，每次查询最多 {reads - 1} 个，"
                                f"读得最多的是{costliest}；请换用更具体的词，或少用单个常用字和 NOT")
    monkeypatch.setattr(limits, "MAX_READ", reads)
    assert sample_service.search(SearchRequest(query=query)).total == total  # just allowed


def test_an_export_and_a_correction_keep_to_the_limit(sample_service, monkeypatch):
    monkeypatch.setattr(limits, "MAX_READ", 5)
    with pytest.raises(BadQuery, match="查询太宽泛"):
        sample_service.iter_hits(SearchRequest(query="克拉玛依"))
    # 克拉马依 finds nothing; its correction 克拉玛依 would read 16: it is not offered.
    assert sample_service.search(SearchRequest(query="克拉马依")).did_you_mean is None


def test_the_api_answers_a_query_beyond_a_limit_with_a_400_naming_it(sample_index):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX": str(sample_index)}).test_client()
    response = client.get("/api/search", query_string={"q": " ".join(["援"] * 250)})
    assert (response.status_code, response.get_json()) == (400, {
        "error": "搜索词太多：最多 32 个词或短语，收到 250 个；请删去一些，或把相连的词放进引号组成一个短语",
        "status": 400})
    described = client.get("/api/openapi.json").get_json()["paths"]["/api/search"]["get"]["parameters"][0]
    assert described["name"] == "q" and ("brackets nested at most 16 deep; at most 32 words or phrases, negated ones "
                                         "included; at most 10,000,000 positions and postings read from the index"
                                         ) in described["description"]


def test_the_words_of_a_proximity_read_their_positions_twice(generation):
    with generation.pool.borrow() as searcher:
        counted = limits.reads(generation.collection, searcher.reader(), parse_query('"上海 疆"~10').root)
    # 上海: 12 as a term (see above) and its 5 places × 2 again; 疆: 7 and 7 again.
    assert [(term.text, n) for term, n in counted] == [("上海", 22), ("疆", 14)]
