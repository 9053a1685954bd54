"""A fast exact phrase over a gram field: terms at consecutive positions, nothing in between.

Whoosh's Phrase goes through its general span machinery (SpanNear2) and costs ~80 µs per
candidate document; a typed string is a phrase of bigrams that must sit at exactly consecutive
positions, which is a set intersection of shifted position lists. This query intersects the term
matchers and checks that one shift-aligned position is shared by all of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh import matching
from whoosh.query import Term, qcore


class GramPhrase(qcore.Query):
    """Documents where words occur at consecutive positions of fieldname (an exact phrase)."""

    def __init__(
        self,
        fieldname: str,
        words: Sequence[str],
        boost: float = 1.0,
        implied_by: tuple[str, str] | None = None,
    ) -> None:
        self.fieldname = fieldname
        self.words = list(words)
        self.boost = boost
        # A (field, term) whose presence guarantees the phrase (the typed string as one jieba
        # word): documents having it skip the position check, which is most of the cost.
        self.implied_by = implied_by

    def _key(self) -> tuple[object, ...]:
        return (self.fieldname, tuple(self.words), self.boost, self.implied_by)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GramPhrase) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        implied = f", implied_by={self.implied_by!r}" if self.implied_by else ""
        return f"GramPhrase({self.fieldname!r}, {self.words!r}, boost={self.boost}{implied})"

    def is_leaf(self) -> bool:
        """A phrase has no subqueries."""
        return True

    def field(self) -> str:
        """The field searched."""
        return self.fieldname

    def has_terms(self) -> bool:
        """A phrase consists of terms."""
        return True

    def terms(self, phrases: bool = True) -> Iterator[tuple[str, str]]:
        """The (field, word) terms of the phrase."""
        for word in self.words:
            yield self.fieldname, word

    def estimate_size(self, ixreader: Any) -> int:
        """At most the rarest word's document frequency."""
        return min((ixreader.doc_frequency(self.fieldname, w) for w in self.words), default=0)

    def estimate_min_size(self, ixreader: Any) -> int:
        """A phrase may match nothing at all."""
        return 0

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        """An adjacency-checking intersection of the words' term matchers."""
        reader = searcher.reader()
        if any((self.fieldname, w) not in reader for w in self.words):
            return matching.NullMatcher()
        children = [Term(self.fieldname, w).matcher(searcher, context) for w in self.words]
        # The phrase is scored by how often its rarest gram occurs (see _AdjacentMatcher.score).
        frequencies = [reader.doc_frequency(self.fieldname, w) for w in self.words]
        implied = None
        if self.implied_by is not None and self.implied_by in reader:
            implied = reader.postings(*self.implied_by)
        return _AdjacentMatcher(children, self.boost, frequencies.index(min(frequencies)), implied)


class _AdjacentMatcher(matching.Matcher):
    """Matches documents where child k has a position p + k for a common p."""

    def __init__(
        self,
        children: list[matching.Matcher],
        boost: float,
        rarest: int = 0,
        implied: matching.Matcher | None = None,
        settle: bool = True,
    ) -> None:
        self._children = children
        self._boost = boost
        self._rarest = rarest
        self._implied = implied
        self._active = all(c.is_active() for c in children)
        if settle:
            self._settle()

    def _settle(self) -> None:
        """Advance until every child is on the same document and the positions line up."""
        children = self._children
        while self._active:
            target = max(c.id() for c in children)
            for child in children:
                if child.id() < target:
                    child.skip_to(target)
                    if not child.is_active():
                        self._active = False
                        return
            if any(c.id() != target for c in children):
                continue
            if self._aligned():
                return
            children[0].next()
            self._active = children[0].is_active()

    def _aligned(self) -> bool:
        """Whether the children's positions, shifted by their index, share a value."""
        implied = self._implied
        if implied is not None and implied.is_active():
            docnum = self._children[0].id()
            if implied.id() < docnum:
                implied.skip_to(docnum)
            if implied.is_active() and implied.id() == docnum:
                return True
        if len(self._children) == 1:
            return True
        common: set[int] | None = None
        for shift, child in enumerate(self._children):
            positions = {p - shift for p in child.value_as("positions")}
            common = positions if common is None else common & positions
            if not common:
                return False
        return True

    def is_active(self) -> bool:
        return self._active

    def reset(self) -> None:
        for child in self._children:
            child.reset()
        if self._implied is not None:
            self._implied.reset()
        self._active = all(c.is_active() for c in self._children)
        self._settle()

    def copy(self) -> matching.Matcher:
        clone = _AdjacentMatcher(
            [c.copy() for c in self._children],
            self._boost,
            self._rarest,
            self._implied.copy() if self._implied is not None else None,
            settle=False,
        )
        clone._active = self._active
        return clone

    def children(self) -> list[matching.Matcher]:
        return list(self._children)

    def term_matchers(self) -> Iterator[matching.Matcher]:
        for child in self._children:
            yield from child.term_matchers()

    def depth(self) -> int:
        return 1

    def supports_block_quality(self) -> bool:
        return False

    def supports(self, astype: str) -> bool:
        return False

    def id(self) -> int:
        return int(self._children[0].id())

    def next(self) -> None:
        if not self._active:
            raise matching.ReadTooFar
        self._children[0].next()
        self._active = self._children[0].is_active()
        self._settle()

    def skip_to(self, id: int) -> None:
        if not self._active:
            raise matching.ReadTooFar
        if id <= self.id():
            return
        self._children[0].skip_to(id)
        self._active = self._children[0].is_active()
        self._settle()

    def weight(self) -> float:
        return float(self._children[self._rarest].weight())

    def score(self) -> float:
        # Gram fields keep no lengths (recording them cost a fifth of build time), so the score
        # is damped term frequency: within one typed string every document is compared on the
        # same substring, and whole-word matches (scored by BM25 on the word fields) come first.
        occurrences = self.weight()
        if occurrences <= 0:
            return 0.0
        return (1.0 + math.log(occurrences)) * len(self._children) * self._boost
