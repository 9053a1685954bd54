"""Exact recall and exact highlights on generated text: traditional characters, full-width forms,
Latin case, compatibility characters that fold to several, and layout line breaks."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import stream
from indexer.build import update_index
from search.model import SearchRequest
from search.service import SearchService
from tests.conftest import make_article

# Simplified and traditional pairs, full-width Latin, ligatures, circled digits, "…" (folds to
# three characters), punctuation and line breaks.
ALPHABET = "援疆干幹部医醫疗療克拉玛瑪依上海对對口支援新疆和田AbcZ09ＡＢｃ１ﬁ①㈱…，。、“”（） \n\r"
_QUOTES = re.compile(r"[\"“”＂「」『』]")


def as_typed(text: str) -> str:
    """Quote the string as a user searching for it literally would (see test_search_recall)."""
    return '"' + _QUOTES.sub(" ", text) + '"'


texts = st.text(alphabet=ALPHABET, min_size=1, max_size=40)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(docs=st.lists(texts, min_size=1, max_size=3), data=st.data())
def test_generated_substrings_are_found_and_marked_exactly(docs, data):
    which = data.draw(st.integers(0, len(docs) - 1))
    text = docs[which]
    start = data.draw(st.integers(0, len(text) - 1))
    piece = text[start : start + data.draw(st.integers(1, 6))]
    needle = stream(piece)
    if not needle:
        return
    articles = [make_article(f"d{i}", "标题", body) for i, body in enumerate(docs)]
    with tempfile.TemporaryDirectory() as tmp:
        update_index(articles, Path(tmp) / "ix")
        service = SearchService(Path(tmp) / "ix")
        result = service.search(SearchRequest(query=as_typed(piece), per_page=10))
        view = service.article(f"d{which}", as_typed(piece))
        service.close()
    expected = {f"d{i}" for i, body in enumerate(docs) if needle in stream(body)}
    assert {h.id for h in result.hits} == expected
    assert f"d{which}" in expected
    # The marked characters, read back from the article HTML, spell the typed string's stream.
    marked = "".join(re.findall(r"<mark>(.*?)</mark>", view.html, re.S))
    assert needle in stream(marked.replace("&amp;", "&"))
