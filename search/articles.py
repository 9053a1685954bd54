"""The article view: one whole article with the query's matches marked, its key terms and related articles."""

from __future__ import annotations

from collections import Counter

from whoosh.searching import Searcher

from corpus import datafiles
from indexer.analysis import words
from indexer.schema import TEXT, stored_metadata
from search.errors import BadQuery
from search.expansion import shown_terms
from search.generation import Generation
from search.highlight import article_html, mark, match_spans
from search.model import ArticleView, Related
from search.query import parse_query

RELATED_COUNT = 5
_KEY_TERMS = 12  # distinctive words of an article that related articles are found by
KEY_TERMS_SHOWN = 8  # of them, shown as tags on the article


def article_view(gen: Generation, searcher: Searcher, id: str, query: str) -> ArticleView | None:
    """One whole article with every match of query marked, and related articles; None if absent."""
    docnum = searcher.document_number(id=id)
    if docnum is None:
        return None
    fields = searcher.stored_fields(docnum)
    try:
        typed = gen.expand(parse_query(query)).parsed.highlight_terms if query else ()
    except BadQuery:
        typed = ()
    text, title = fields.get("text", ""), fields.get("title", "")
    terms = shown_terms(typed, title, text)
    body, count = article_html(text, match_spans(text, terms, "text"))
    whole = title + "\n" + text
    weighted = key_terms(searcher, whole)
    return ArticleView(
        **stored_metadata(fields),
        text=text,
        html=body,
        title_html=mark(title, match_spans(title, terms, "title")),
        matches=count,
        related=related(gen, searcher, docnum, weighted),
        people=gen.entities_of("person", docnum, whole),
        orgs=gen.entities_of("org", docnum, whole),
        key_terms=tuple(w for _, w in weighted[:KEY_TERMS_SHOWN]),
    )


def key_terms(searcher: Searcher, text: str) -> list[tuple[float, str]]:
    """The most distinctive words of text, by tf-idf over the index, best first, with their weights."""
    general = datafiles.stop_words()
    counts = Counter(w for w in words(text) if len(w) > 1 and not w.isdigit() and w not in general)
    weighted = ((tf * searcher.idf(TEXT, w), w) for w, tf in counts.items())
    # Ties (equal weights) go to the earlier word of the text: counts keep first-seen order.
    order = {w: i for i, w in enumerate(counts)}
    return sorted(weighted, key=lambda pair: (-pair[0], order[pair[1]]))[:_KEY_TERMS]


def related(gen: Generation, searcher: Searcher, docnum: int, weighted: list[tuple[float, str]]) -> tuple[Related, ...]:
    """Articles sharing the most of an article's key terms (weighted), best first."""
    if not weighted:
        return ()
    reader = searcher.reader()
    top = weighted[0][0] or 1.0
    found = gen.collection.related(reader, [(w, max(weight / top, 0.01)) for weight, w in weighted],
                                   docnum, RELATED_COUNT)
    out = []
    for other in found:
        fields = searcher.stored_fields(other)
        shown = stored_metadata(fields)
        out.append(Related(fields["id"], shown["title"], shown["date"], shown["date_precision"]))
    return tuple(out)
