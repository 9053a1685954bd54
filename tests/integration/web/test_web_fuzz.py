"""No input yields a 500: the API fuzzed from its OpenAPI document, the pages with arbitrary text."""

from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from web.params import CONTROL_CHARACTERS
from web_articles import WEB_ARTICLES


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPERATIONS = ["GET /api/search", "GET /api/articles/{article_id}", "GET /api/suggest", "GET /api/concordance",
              "GET /api/trends", "GET /feed", "GET /api/stats", "GET /api/health"]


# Negative cases need parameters to break: stats and health take none; the feed takes the search's.
CASES = [(label, GenerationMode.POSITIVE) for label in OPERATIONS] + [
    (label, GenerationMode.NEGATIVE) for label in OPERATIONS[:5]]


ARTICLE = "GET /api/articles/{article_id}"
ARTICLE_IDS = [article.id for article in WEB_ARTICLES]


def with_article_id(pair):
    """A generated case asking for an indexed article instead of its random id."""
    case, article_id = pair
    case.path_parameters = {"article_id": article_id}
    return case


@pytest.mark.parametrize("label, mode", CASES, ids=[f"{label} {mode.value}" for label, mode in CASES])
def test_api_conforms_to_its_openapi_document(app, label, mode):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = {op.ok().label: op.ok() for op in schema.get_all_operations()}
    assert sorted(operations) == sorted(OPERATIONS)
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])
    strategy = operations[label].as_strategy(generation_mode=mode)
    existing = label == ARTICLE and mode is GenerationMode.POSITIVE
    if existing:
        # A generated id is never an indexed one: half the cases ask for an article that exists,
        # so that its answer is checked against the document too.
        strategy = st.one_of(strategy, st.tuples(strategy, st.sampled_from(ARTICLE_IDS)).map(with_article_id))
    statuses = []

    @given(case=strategy)
    @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def fuzz(case):
        if mode is GenerationMode.NEGATIVE:
            assume(survives_serialization(case.query))
        # Schemathesis asks for gzip, deflate and zstd but reads a WSGI answer without decoding it.
        response = case.call_and_validate(checks=checks, headers={"Accept-Encoding": "identity"})
        statuses.append(response.status_code)

    fuzz()
    if existing:
        assert {200, 404} <= set(statuses)


# Parameters the document types as integers; every other parameter is a string or a list of them.
INTEGER_PARAMS = {"page", "per_page"}


def survives_serialization(query: dict | None) -> bool:
    """Whether a generated query string carries the values it was generated with.

    A form-style query string has no objects, nulls or types: {} is sent as `per_page=` (an empty
    value, which the document allows as "not given"), None is not sent at all, and the number 8
    given for a string parameter arrives as the valid string "8". A violation lost this way is
    rightly accepted by the server, so such cases say nothing about it.
    """
    for name, value in (query or {}).items():
        items = value if isinstance(value, list) else [value]
        if not items:
            return False
        for item in items:
            if item is None or isinstance(item, (dict, list, bool)):
                return False
            if isinstance(item, (int, float)) and name not in INTEGER_PARAMS:
                return False
    return True


PARAMS = ("q", "region", "sector", "aid_from", "source", "year", "month", "from", "to", "sort", "page",
          "per_page", "format", "collapse", "width", "interval", "measure", "x")
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["援疆", "\"对口", "OR", "-", "title:", "()", "2023", "2023-12", "2023-02-30", "0", "-1",
                     "100", "101", "date", "relevance", "喀什", "\x00", "%", "&", " ", "Ⅻ", "１", "csv", "jsonl",
                     "left", "false", "month", "share", '"援疆 干部"~5', "援疆 NEAR/3 干部"]),
)
queries = st.lists(st.tuples(st.sampled_from(PARAMS), values), max_size=6)


@given(path=st.sampled_from(["/", "/api/search", "/articles/kash-edu", "/api/articles/kash-edu", "/concordance",
                             "/api/concordance", "/trends", "/api/trends", "/feed"]),
       params=queries)
@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_query_string_yields_a_server_error(client, path, params):
    # One client for every example: the fixture's app is stateless between requests.
    response = client.get(path, query_string=params)
    assert response.status_code in (200, 400), (response.status_code, params)
    if path.startswith("/api/") and response.status_code == 400:
        body = response.get_json()
        assert set(body) == {"error", "status"} and body["status"] == 400


@given(article_id=st.one_of(st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s),
                            st.sampled_from(ARTICLE_IDS)))
@example(article_id=ARTICLE_IDS[0])
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_article_id_yields_a_server_error(client, article_id):
    # An id holding a control character is refused; an indexed one is found; any other is not.
    expected = 400 if CONTROL_CHARACTERS.search(article_id) else 200 if article_id in ARTICLE_IDS else 404
    for prefix in ("/articles/", "/api/articles/"):
        response = client.get(prefix + quote(article_id, safe=""))
        assert response.status_code == expected, (response.status_code, article_id)
    if expected == 200:
        assert response.get_json()["id"] == article_id
