"""The Whoosh schema of an xjsearch index, and how an Article becomes a Whoosh document."""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from whoosh import fields, formats
from whoosh.system import _INT_SIZE, pack_uint

from corpus.article import Article
from indexer.analysis import FacetTokenizer, GramTokenizer, WordTokenizer, grams, stream, words

# Field names, shared with search/: words and grams of the title and the text.
TITLE, TITLE_GRAMS, TEXT, TEXT_GRAMS = "title", "title_g", "text", "text_g"


class PackedPositions(formats.Positions):
    """Positions stored as a packed array instead of a pickled list of deltas.

    Encoding and decoding are single C calls: Whoosh's pickling was a tenth of build time, and
    decoding runs for every candidate document of a phrase. A pre-analysed token list is
    indexed without making a Token per token.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[tuple[bytes, int, float, bytes]]:
        """(term, frequency, weight, encoded positions) for each distinct term of value."""
        if isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        poses: defaultdict[str, list[int]] = defaultdict(list)
        for pos, text in enumerate(value):
            poses[text].append(pos)
        boost = self.field_boost
        for text, poslist in poses.items():
            yield text, len(poslist), len(poslist) * boost, self.encode(poslist)

    def encode(self, poslist: Any) -> bytes:
        """The count, then the positions as unsigned 32-bit integers."""
        return pack_uint(len(poslist)) + array("I", poslist).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        """The positions of one posting."""
        positions = array("I")
        positions.frombytes(valuestring[_INT_SIZE:])
        return positions.tolist()


def _words_field(stored: bool) -> fields.FieldType:
    """A positional, scorable field of jieba words."""
    return fields.FieldType(PackedPositions(), WordTokenizer(), scorable=True, stored=stored)


def _grams_field() -> fields.FieldType:
    """A positional field of stream bigrams (exact substring recall), without length norms."""
    return fields.FieldType(PackedPositions(), GramTokenizer(), scorable=False)


def _facet_field(stored: bool = True) -> fields.FieldType:
    """An untokenized, multi-valued field for filtering and facet counts."""
    return fields.FieldType(formats.Existence(), FacetTokenizer(), stored=stored)


def build_schema() -> fields.Schema:
    """The schema: id, title and text as words and grams, stored display fields, facets, date."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=_words_field(stored=True),
        title_g=_grams_field(),
        text=_words_field(stored=True),
        text_g=_grams_field(),
        date=fields.ID(stored=True, sortable=True),
        date_precision=fields.STORED(),
        year=_facet_field(stored=False),
        month=_facet_field(stored=False),
        source=_facet_field(),
        region=_facet_field(),
        sector=_facet_field(),
        aid_from=_facet_field(),
        origin=fields.STORED(),
    )


def _values(*values: str) -> list[str]:
    """The non-empty values of a facet field (an unknown source or date is no facet value)."""
    return [v for v in values if v]


def to_document(article: Article) -> dict[str, Any]:
    """The Whoosh document of an article, analysed here so that workers can do it in parallel."""
    return {
        "id": article.id,
        "title": words(article.title),
        "_stored_title": article.title,
        "title_g": grams(stream(article.title)),
        "text": words(article.text),
        "_stored_text": article.text,
        "text_g": grams(stream(article.text)),
        **_metadata(article),
    }


def _metadata(article: Article) -> dict[str, Any]:
    """The stored and facet fields of an article, the same however its text is analysed."""
    return {
        "date": article.date,
        "date_precision": article.date_precision,
        "year": _values(article.date[:4]),
        "month": _values(article.date[:7]),
        "source": _values(article.source),
        "_stored_source": article.source,
        "region": _values(*article.regions),
        "sector": _values(*article.sectors),
        "aid_from": _values(*article.aid_from),
        "origin": article.origin,
    }


def to_raw_document(article: Article) -> dict[str, Any]:
    """The Whoosh document of an article with its text unanalysed: a writer process analyses it."""
    return {
        "id": article.id,
        "title": article.title,
        "title_g": article.title,
        "text": article.text,
        "text_g": article.text,
        **_metadata(article),
    }
