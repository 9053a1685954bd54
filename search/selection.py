"""What a request chooses: the query's ranked matches, filtered by date and facets, and one page of them.

Everything here works on arrays of document numbers — the query's matches, or for a request
without a query the documents its filters name — so that a request costs in proportion to the
documents it matches, not to the archive: a date range is a slice of the documents in date order,
a facet value's documents come from its postings, and a match passes a filter when its own date
and facet codes do (search.facets). Each facet is counted under the query and every *other*
facet's selection, so each one may be counted over a different set of documents.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import reduce

import numpy as np
from whoosh.searching import Searcher

from indexer.doctable import date_number
from search.checks import Checked
from search.execution import Ranked
from search.facets import count_facets
from search.generation import Generation
from search.model import FACETS, FacetValue, SearchRequest, selected
from search.ordering import best_first, newest_first


@dataclass(frozen=True, slots=True)
class Chosen:
    """What a request chooses: its documents, ascending (with scores for a query, and which of them
    were found only through an alternative), how many, and the facets; ordered() puts them in order.

    docs is None for a request without a query or filters: every live document.
    """

    docs: np.ndarray | None
    scores: np.ndarray | None
    total: int
    facets: dict[str, tuple[FacetValue, ...]]
    indirect: np.ndarray | None = None


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
    if ranged is None and not passes:  # nothing filtered out: every match, as it is
        return Chosen(docs, ranked.scores, len(docs), facets, ranked.indirect)
    indirect = None if ranked.indirect is None else ranked.indirect[keep]
    return Chosen(docs[keep], ranked.scores[keep], int(keep.sum()), facets, indirect)


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
        return Chosen(None, None, gen.live_count, facets)
    return Chosen(final, None, len(final), facets)


def select(gen: Generation, searcher: Searcher, request: SearchRequest, checked: Checked, with_facets: bool) -> Chosen:
    """The documents a request chooses, in order, with facet counts."""
    if checked.parsed.is_empty:
        return _browse_choice(gen, searcher, request, checked, with_facets)
    ranked = gen.matches(searcher, checked.parsed)
    return _ranked_choice(gen, ranked, request, checked, with_facets)


def ordered(gen: Generation, chosen: Chosen, sort: str, collapse: bool = False,
            limit: int | None = None) -> tuple[np.ndarray, np.ndarray, int]:
    """The first limit (all when None) of the chosen documents in the requested order, their scores,
    and how many there are in all — each reprint group once if collapse.

    By relevance: best first (search.ordering.best_first); by date, or without a query: newest
    first, the same day by score, then by document number; undated last. Every live document
    newest first (a request without query or filters) comes from the generation, collapsed once
    per generation, with scores that are a view of one zero.
    """
    if chosen.docs is None:
        docs = gen.newest_collapsed() if collapse else gen.newest_first
        return docs[:limit], np.broadcast_to(np.float64(0.0), docs[:limit].shape), len(docs)
    docs = chosen.docs
    scores = chosen.scores if chosen.scores is not None else np.zeros(len(docs))
    indirect = chosen.indirect
    by_date = sort == "date" or chosen.scores is None
    if collapse:
        kept, docs = gen.reprints.standing(chosen.docs, scores, indirect, by_date)
        scores = scores[kept]
        indirect = None if indirect is None else indirect[kept]
    # By date a group stands at its shown copy's own date.
    order = newest_first(gen.dates[docs], scores, limit) if by_date else best_first(scores, indirect, limit)
    return docs[order], scores[order], len(docs)


WINDOW = 100  # results put in order and kept per request: the first pages of 10, or one of 100


@dataclass(frozen=True, slots=True)
class Window:
    """A request's first results in order (at least as far as the page asked for, unless there are
    fewer), how many there are, how many articles matched, and the facets."""

    docs: np.ndarray
    scores: np.ndarray
    total: int
    articles: int
    facets: dict[str, tuple[FacetValue, ...]]


def window(gen: Generation, searcher: Searcher, request: SearchRequest, checked: Checked, end: int) -> Window:
    """The results of a request up to end (at least), kept per generation for the pages after it."""
    key = (repr(checked.parsed.root), repr(replace(request, query="", page=1, per_page=1)))
    cached = gen.windows.get(key)
    if cached is not None and (len(cached.docs) >= end or len(cached.docs) == cached.total):
        return cached
    chosen = select(gen, searcher, request, checked, with_facets=True)
    docs, scores, total = ordered(gen, chosen, request.sort, request.collapse, limit=max(end, WINDOW))
    return gen.windows.put(key, Window(docs, scores, total, chosen.total, chosen.facets), replace=True)
