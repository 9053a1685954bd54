"""Facet counting: each facet's values under a query and every other facet's selection.

A facet such as region has a dozen values, and a bitset per value (search.generation) makes each
count one AND and a popcount. People and organisations may run to thousands of values over a large
archive, where one popcount per value per request would cost more than the search; so such a facet
is kept as two parallel arrays of (document, value) pairs (PairFacet), and a request's counts are
one bincount over the pairs whose document it matched. The same pairs give each document's values
for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from search.model import FACETS, UNDATED, FacetValue, SearchRequest, selected

if TYPE_CHECKING:
    from search.generation import Generation

ENTITY_FACET_SIZE = 30  # values of the person and org facets listed at most (the most frequent)


class PairFacet:
    """One facet as (document number, value index) pairs, sorted by document."""

    def __init__(self, postings: Iterable[tuple[str, np.ndarray]]) -> None:
        values: list[str] = []
        docs: list[np.ndarray] = []
        codes: list[np.ndarray] = []
        for value, value_docs in postings:
            codes.append(np.full(len(value_docs), len(values), dtype=np.int32))
            docs.append(np.asarray(value_docs, dtype=np.int64))
            values.append(value)
        self.values = values  # in the order given (the index's lexicon: code point order)
        self.index = {value: i for i, value in enumerate(values)}
        all_docs = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
        all_codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int32)
        order = np.argsort(all_docs, kind="stable")
        self.docs, self.codes = all_docs[order], all_codes[order]

    def of_document(self, docnum: int) -> list[str]:
        """The values one document has."""
        lo, hi = np.searchsorted(self.docs, [docnum, docnum + 1])
        return [self.values[code] for code in self.codes[lo:hi].tolist()]

    def documents(self, values: Sequence[str]) -> np.ndarray:
        """The documents having any of values (ascending, distinct)."""
        wanted = [self.index[v] for v in values if v in self.index]
        if not wanted:
            return np.zeros(0, dtype=np.int64)
        return np.unique(self.docs[np.isin(self.codes, wanted)])

    def counts(self, mask: np.ndarray | None = None) -> np.ndarray:
        """How many documents have each value, among those where mask (a bool per document) is true."""
        codes = self.codes if mask is None else self.codes[mask[self.docs]]
        return np.bincount(codes, minlength=len(self.values))

    def top(self, counts: np.ndarray, limit: int) -> list[tuple[str, int]]:
        """The values with the highest non-zero counts, most first (ties in value order), at most limit."""
        found = np.flatnonzero(counts)
        best = found[np.lexsort((found, -counts[found]))][:limit]
        return [(self.values[i], int(counts[i])) for i in best.tolist()]


def count_facets(
    gen: Generation, request: SearchRequest, base: int, selections: dict[str, int | None]
) -> dict[str, tuple[FacetValue, ...]]:
    """Each facet's counts under base (the query's matches) and every other facet's selection."""
    out: dict[str, tuple[FacetValue, ...]] = {}
    for facet in FACETS:
        mask = base
        for other, bits in selections.items():
            if other != facet and bits is not None:
                mask &= bits
        chosen = set(selected(request, facet))
        if facet in gen.entities:
            out[facet] = pair_counts(gen.entities[facet], gen.mask_of_bits(mask), chosen)
            continue
        table = gen.facet_bits[facet]
        if facet == "month":
            years = set(request.years) | {m[:4] for m in request.months}
            if not years:
                # With no year or month chosen the year facet was counted under this very mask,
                # so when every dated result is of one year its months are shown straight away.
                found = [fv.value for fv in out["year"] if fv.count]
                years = set(found) if len(found) == 1 else set()
            if not years:
                out[facet] = tuple(FacetValue(v, 0, True) for v in sorted(chosen))
                continue
            table = {v: b for v, b in table.items() if v[:4] in years}
        values = []
        for value, bits in table.items():
            count = (mask & bits).bit_count()
            if count or value in chosen:
                values.append(FacetValue(value, count, value in chosen))
        values.extend(FacetValue(v, 0, True) for v in chosen if v not in table)
        if facet == "year":
            # Newest first; the 日期不详 bucket last.
            values.sort(key=lambda fv: (fv.value != UNDATED, fv.value), reverse=True)
        elif facet == "month":
            values.sort(key=lambda fv: fv.value)
        else:
            values.sort(key=lambda fv: (-fv.count, fv.value))
        out[facet] = tuple(values)
    return out


def pair_counts(pairs: PairFacet, mask: np.ndarray, chosen: set[str]) -> tuple[FacetValue, ...]:
    """The most frequent values of a many-valued facet under mask, and every chosen one."""
    counts = pairs.counts(mask)
    values = [FacetValue(v, n, v in chosen) for v, n in pairs.top(counts, ENTITY_FACET_SIZE)]
    listed = {fv.value for fv in values}
    for value in sorted(chosen - listed):
        at = pairs.index.get(value)
        values.append(FacetValue(value, int(counts[at]) if at is not None else 0, True))
    return tuple(values)
