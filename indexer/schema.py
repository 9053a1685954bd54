"""The Whoosh schema of an xjsearch index, and how an Article becomes a Whoosh document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from whoosh import fields, formats
from whoosh.system import pack_uint

from corpus.article import Article, Origin, origin_file
from corpus.article import UNDATED, UNKNOWN
from indexer.analysis import FacetTokenizer, WordTokenizer, entities, words

# Field names, shared with search/: the words of the title and the text (their exact characters
# are in the gram index, indexer.grams).
TITLE, TEXT = "title", "text"
HEADING = "heading"  # the titles as a column


class CountedFrequency(formats.Frequency):
    """Term frequencies, counted straight from a pre-analysed token list.

    Whoosh's Frequency makes a Token per token; counting the list in C is several times faster.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[tuple[str, int, float, bytes]]:
        """(term, frequency, weight, encoded frequency) for each distinct term of value."""
        if isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for text, freq in Counter(value).items():
            yield text, freq, freq * boost, pack_uint(freq)


def _words_field(stored: bool) -> fields.FieldType:
    """A field of jieba words and their frequencies.

    Positions are not kept (exact phrases are the gram index's job), nor lengths: BM25 takes
    each field's length from the gram index, and Whoosh's lookup of a length per posting while
    writing was a sixth of build time.
    """
    return fields.FieldType(CountedFrequency(), WordTokenizer(), scorable=False, stored=stored)


def _facet_field(stored: bool = True) -> fields.FieldType:
    """An untokenized, multi-valued field for filtering and facet counts."""
    return fields.FieldType(formats.Existence(), FacetTokenizer(), stored=stored)


class EntityField(fields.FieldType):
    """A facet field of the people (kind "person") or organisations ("org") an article names.

    Its value is the list of names to_document found. (A class of its own because Whoosh keeps the
    schema's classes by import path in every index.)
    """

    def __init__(self, kind: str) -> None:
        super().__init__(formats.Existence(), FacetTokenizer(), stored=False)
        self.kind = kind


def build_schema() -> fields.Schema:
    """The schema: id, title and text as words, stored display fields, facets, date."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=_words_field(stored=True),
        text=_words_field(stored=True),
        date=fields.ID(stored=True, sortable=True),
        # The titles again, as a column: completions read every title without unpacking each
        # document's stored fields (which hold the whole text).
        heading=fields.ID(sortable=True),
        date_precision=fields.STORED(),
        year=_facet_field(stored=False),
        month=_facet_field(stored=False),
        source=_facet_field(),
        region=_facet_field(),
        sector=_facet_field(),
        aid_from=_facet_field(),
        # Named entities: not stored, a generation reads each document's values from the postings.
        person=EntityField("person"),
        org=EntityField("org"),
        origin=fields.STORED(),
    )


def _values(*values: str) -> list[str]:
    """The non-empty values of a facet field (an unknown source or date is no facet value)."""
    return [v for v in values if v]


def to_document(article: Article) -> dict[str, Any]:
    """The Whoosh document of an article, analysed (in the writer process that writes it)."""
    # Tagged first: words() then takes the title's and the text's words from the tags.
    people, orgs = entities(article.title, article.text, article.people, article.orgs)
    return {
        "id": article.id,
        "title": words(article.title),
        "_stored_title": article.title,
        "text": words(article.text),
        "_stored_text": article.text,
        "person": list(people),
        "org": list(orgs),
        **_metadata(article),
    }


def _metadata(article: Article) -> dict[str, Any]:
    """The stored and facet fields of an article, the same however its text is analysed."""
    return {
        "heading": article.title,
        "date": article.date or "",
        "date_precision": article.date_precision,
        # An undated article is counted in the year facet's 日期不详 bucket, and in no month.
        "year": [article.date[:4]] if article.date else [UNDATED],
        "month": _values((article.date or "")[:7]),
        "source": _values(article.source),
        "_stored_source": article.source,
        "region": _values(*article.regions),
        "sector": _values(*article.sectors),
        "aid_from": _values(*article.aid_from),
        # Where the article came from ({"file", "page", "url"}); older indexes hold a "<file>#<n>" string.
        "origin": article.where.to_json(),
    }


def _one(value: Any) -> str:
    """A stored single value that older documents may hold as a one-item list."""
    if isinstance(value, (list, tuple)):
        return str(value[0]) if value else ""
    return str(value)


def stored_origin(fields: dict[str, Any]) -> Origin:
    """Where a stored article came from (an older index stored only "<file>#<n>")."""
    origin = fields.get("origin")
    if isinstance(origin, dict):
        return Origin(str(origin.get("file", "")), origin.get("page"), origin.get("url"))
    return Origin(origin_file(str(origin or "")))


def stored_metadata(fields: dict[str, Any]) -> dict[str, Any]:
    """An article's id, title and metadata from its stored fields (lists as tuples)."""
    return {
        "id": fields["id"],
        "title": fields.get("title", ""),
        "date": fields.get("date") or None,
        "date_precision": fields.get("date_precision", "day") if fields.get("date") else UNKNOWN,
        "source": _one(fields.get("source", "")),
        "regions": tuple(fields.get("region", ())),
        "sectors": tuple(fields.get("sector", ())),
        "aid_from": tuple(fields.get("aid_from", ())),
        "origin": stored_origin(fields),
    }
