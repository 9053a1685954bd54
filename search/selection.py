"""What a request chooses: the query's ranked matches, filtered by date and facets, and one page of them.

Everything here works on arrays of document numbers — the query's matches, or for a request
without a query the documents its filters name — so that a request costs in proportion to the
documents it matches, not to the archive: a date range is a slice of the documents in date order,
a facet value's documents come from its postings, and a match passes a filter when its own date
and facet codes do (search.facets). Each facet is counted under the query and every *other*
facet's selection, so each one may be counted over a different set of documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import numpy as np
from whoosh.searching import Searcher

from indexer.doctable import date_number
from search.checks import Checked
from search.execution import Ranked
from search.facets import count_facets
from search.generation import Generation
from search.model import FACETS, FacetValue, SearchRequest, selected


@dataclass(frozen=True, slots=True)
class Chosen:
    """What a request chooses: its documents in order (with scores for a query), how many, and the facets.

    docs is None for a request without a query or filters: every live document, newest first.
    """

    ranked: Ranked | None
    docs: np.ndarray | None
    scores: np.ndarray | None
    total: int
    facets: dict[str, tuple[FacetValue, ...]]


def _in_range(gen: Generation, docs: np.ndarray, checked: Checked) -> np.ndarray:
    """A bool per document of docs: whether its date is within the request's range."""
    dates = gen.dates[docs]
    keep = np.ones(len(docs), dtype=bool)
    if checked.date_from:
        keep &= dates >= date_number(checked.date_from)
    if checked.date_to:
        keep &= (dates <= date_number(checked.date_to)) & (dates > 0)
    return keep


def _ranked_choice(gen: Generation, ranked: Ranked, request: SearchRequest, checked: Checked,
                   with_facets: bool) -> Chosen:
    """The matches of a query that pass the date range and the facet selections."""
    docs = ranked.docs
    ranged = _in_range(gen, docs, checked) if checked.date_from or checked.date_to else None
    passes = {f: gen.columns[f].having(docs, values) for f in FACETS if (values := selected(request, f))}
    keep = reduce(np.logical_and, [m for m in (ranged, *passes.values()) if m is not None], np.ones(len(docs), bool))
    facets = {}
    if with_facets:
        counted: dict[str, np.ndarray | None] = {}
        for facet in FACETS:
            masks = [m for m in (ranged, *(p for f, p in passes.items() if f != facet)) if m is not None]
            counted[facet] = docs[reduce(np.logical_and, masks)] if masks else docs
        facets = count_facets(gen.columns, request, counted, gen.archive())
    return Chosen(ranked, docs[keep], ranked.scores[keep], int(keep.sum()), facets)


def _documents(gen: Generation, searcher: Searcher, facet: str, values: tuple[str, ...]) -> np.ndarray:
    """The live documents having any of values in facet, ascending (from the postings)."""
    reader = searcher.reader()
    found = [gen.collection.postings(reader, facet, value)[0] for value in values]
    return reduce(np.union1d, found) if len(found) > 1 else found[0]


def _browse_choice(gen: Generation, searcher: Searcher, request: SearchRequest, checked: Checked,
                   with_facets: bool) -> Chosen:
    """The documents a request without a query chooses: those its date range and selections name."""
    constraints: dict[str, np.ndarray] = {}
    if checked.date_from or checked.date_to:
        lo, hi = gen.date_range(checked.date_from, checked.date_to)
        constraints["date"] = np.sort(gen.by_date[lo:hi])
    for facet in FACETS:
        if values := selected(request, facet):
            constraints[facet] = _documents(gen, searcher, facet, values)

    def meeting(names: list[str]) -> np.ndarray | None:
        sets = sorted((constraints[n] for n in names), key=len)
        return reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True), sets) if sets else None

    facets = {}
    if with_facets:
        counted = {facet: meeting([n for n in constraints if n != facet]) for facet in FACETS}
        facets = count_facets(gen.columns, request, counted, gen.archive())
    final = meeting(list(constraints))
    if final is None:
        return Chosen(None, None, None, gen.live_count, facets)
    # Newest first; same-day documents in index order; undated ones last.
    final = final[np.lexsort((final, -gen.dates[final].astype(np.int64)))]
    return Chosen(None, final, None, len(final), facets)


def select(gen: Generation, searcher: Searcher, request: SearchRequest, checked: Checked, with_facets: bool) -> Chosen:
    """The documents a request chooses, in order, with facet counts."""
    if checked.parsed.is_empty:
        return _browse_choice(gen, searcher, request, checked, with_facets)
    ranked = gen.matches(searcher, checked.parsed)
    return _ranked_choice(gen, ranked, request, checked, with_facets)


def ordered(gen: Generation, chosen: Chosen, sort: str, collapse: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The docnums and scores of all chosen documents in the requested order (each reprint group once if collapse).

    Every live document newest first (a request without query or filters) comes from the
    generation, collapsed once per generation, with scores that are a view of one zero.
    """
    if chosen.docs is None:
        docs = gen.newest_collapsed() if collapse else gen.newest_first
        return docs, np.broadcast_to(np.float64(0.0), docs.shape)
    docs = chosen.docs
    if chosen.scores is None:
        scores = np.zeros(len(docs))
        return gen.reprints.collapse(docs, scores, by_date=True) if collapse else (docs, scores)
    scores = chosen.scores
    if sort == "date":
        order = np.lexsort((docs, -scores, -gen.dates[docs].astype(np.int64)))
        docs, scores = docs[order], scores[order]
    return gen.reprints.collapse(docs, scores, by_date=sort == "date") if collapse else (docs, scores)
