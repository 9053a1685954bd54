"""Facets with many values (the people and organisations named): counted with arrays, not bitsets.

A facet such as region has a dozen values, and a bitset per value makes each count one AND and a
popcount. People and organisations may run to thousands of values over a large archive, where one
popcount per value per request would cost more than the search; so such a facet is kept as two
parallel arrays of (document, value) pairs, and a request's counts are one bincount over the pairs
whose document it matched. The same pairs give each document's values for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


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
