"""What a request chooses: the query's ranked matches, filtered by date and facets, and one page of them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.searching import Searcher

from search.checks import Checked
from search.execution import Ranked
from search.facets import count_facets
from search.generation import Generation
from search.model import FACETS, FacetValue, SearchRequest, selected


@dataclass(frozen=True, slots=True)
class Chosen:
    """What a request chooses: the ranked matches (None: no query), their bitset, the filtered bitset."""

    ranked: Ranked | None
    match_bits: int
    final: int
    facets: dict[str, tuple[FacetValue, ...]]


def select(gen: Generation, searcher: Searcher, request: SearchRequest, checked: Checked, with_facets: bool) -> Chosen:
    """The documents a request chooses: the query's ranked matches, filtered, with facet counts."""
    ranked: Ranked | None = None
    if checked.parsed.is_empty:
        match_bits = gen.all_bits
    else:
        ranked, match_bits = gen.matches(searcher, checked.parsed)
    base = match_bits
    if checked.date_from or checked.date_to:
        base &= gen.range_bits(checked.date_from, checked.date_to)
    selections = {facet: gen.selection_bits(facet, selected(request, facet)) for facet in FACETS}
    facets = count_facets(gen, request, base, selections) if with_facets else {}
    final = base
    for bits in selections.values():
        if bits is not None:
            final &= bits
    return Chosen(ranked, match_bits, final, facets)


def ordered(gen: Generation, chosen: Chosen, sort: str, collapse: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The docnums and scores of all chosen documents in the requested order (each reprint group once if collapse)."""
    ranked, final = chosen.ranked, chosen.final
    if ranked is None:
        order = gen.newest_first
        docs = order[gen.mask_of_bits(final)[order]]
        scores = np.zeros(len(docs))
        return gen.reprints.collapse(docs, scores, by_date=True) if collapse else (docs, scores)
    docs, scores = ranked.docs, ranked.scores
    if final != chosen.match_bits:
        keep = gen.mask_of_bits(final)[docs]
        docs, scores = docs[keep], scores[keep]
    if sort == "date":
        order = np.lexsort((docs, -scores, -gen.day_rank[docs]))
        docs, scores = docs[order], scores[order]
    return gen.reprints.collapse(docs, scores, by_date=sort == "date") if collapse else (docs, scores)

