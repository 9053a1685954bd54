"""Exact recall on the bundled corpus: any substring a user types finds every article containing it."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.analysis import stream
from search.model import SearchRequest

# Characters the query language reads as syntax, and whitespace (which separates words that are
# then all required, anywhere). A user searching for a string holding them quotes it, and types a
# quote character inside the string as a space: spacing and punctuation are ignored by matching.
_SYNTAX = re.compile(r"[\s\"“”＂「」『』()（）:：\-－]")
_QUOTE_CHARS = re.compile(r"[\"“”＂「」『』]")


def as_typed(text: str) -> str:
    """The query a user types to find text literally."""
    if _SYNTAX.search(text) or text in ("OR", "AND", "NOT"):
        return '"' + _QUOTE_CHARS.sub(" ", text) + '"'
    return text


def found(service, query: str) -> set[str]:
    result = service.search(SearchRequest(query=query, per_page=100))
    assert result.total == len(result.hits)
    return {h.id for h in result.hits}


def containing(articles, text: str) -> tuple[set[str], set[str]]:
    """The ids of articles containing text literally, and those whose stream contains its stream."""
    literal = {a.id for a in articles if text in a.title or text in a.text}
    needle = stream(text)
    folded = {a.id for a in articles if needle in stream(a.title) or needle in stream(a.text)}
    return literal, folded


@st.composite
def substrings(draw, articles):
    article = draw(st.sampled_from(articles))
    text = draw(st.sampled_from((article.title, article.text)))
    length = draw(st.integers(2, 6))
    start = draw(st.integers(0, max(0, len(text) - length)))
    piece = text[start : start + length]
    return article, piece


@pytest.fixture(scope="module")
def corpus(bundled_articles):
    return bundled_articles


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_substring_finds_its_article(bundled_service, corpus, data):
    article, piece = data.draw(substrings(corpus))
    if not stream(piece):
        return  # nothing searchable: the query would be rejected, not answered
    ids = found(bundled_service, as_typed(piece))
    literal, folded = containing(corpus, piece)
    assert article.id in ids
    if piece.split() != [piece]:
        # Typed without quotes, the parts are separate words: the article still has them all.
        assert article.id in found(bundled_service, piece)
    # Every article containing the string is found, and nothing that does not contain it.
    assert literal <= ids <= folded


def test_every_four_character_window_of_one_long_article(bundled_service, bundled_articles):
    article = max(bundled_articles, key=lambda a: len(a.text))
    text = article.text
    missed = [
        text[i : i + 4]
        for i in range(0, len(text) - 4, 13)
        if stream(text[i : i + 4]) and article.id not in found(bundled_service, as_typed(text[i : i + 4]))
    ]
    assert missed == []


def test_quoted_phrases_return_exactly_the_articles_containing_them(bundled_service, bundled_articles):
    for phrase in ("对口支援", "援疆干部", "克拉玛依", "产业援疆", "上海援克", "和田", "高质量发展"):
        literal, folded = containing(bundled_articles, phrase)
        assert literal == folded
        assert found(bundled_service, f'"{phrase}"') == literal, phrase


def test_as_typed_quotes_strings_holding_syntax():
    assert as_typed("克拉玛依") == "克拉玛依"
    assert as_typed("“沙漠美") == '" 沙漠美"'
    assert as_typed("2023-2") == '"2023-2"'
    assert as_typed("画。\n此") == '"画。\n此"'
    assert as_typed("OR") == '"OR"'
