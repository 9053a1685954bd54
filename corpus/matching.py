"""Finding the names of a fixed vocabulary in a text, longest first, only where they stand as words."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from corpus import datafiles


def _trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of words, longest first, factored as a trie."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A word may end here: the longer words are tried first, then the end.
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


# Longer words rarely straddle a name, and each length checked costs every match a few lookups.
BOUNDARY_MAX = 4


class Matcher:
    """Longest-first matching of names, each naming one or more values (莎车县 → 喀什).

    A name counts only where it stands as a word: an occurrence that a word of the boundary
    lexicon straddles is no mention of it (援喀 in 支援喀什 is cut through by 支援, 京和 in
    南京和昆山 by 南京). Where a name is rejected the scan goes on at the next character, so the
    names inside it are still found (喀什 of 援喀什).
    """

    def __init__(self, names: dict[str, tuple[str, ...]], boundary_words: Iterable[str] = ()) -> None:
        self.names = names
        # The longest name starting at a position, tried only where a name's first character stands
        # (a character class is scanned for in C; a lookahead tried at every character of a text took
        # twice as long): so overlapping names are found too. The names as a trie make one branch a
        # character, so thousands of names cost little more than ten.
        firsts = sorted({name[0] for name in names if name})
        self._word = re.compile(_trie_pattern(names)) if firsts else None
        self._starts = re.compile("[" + "".join(re.escape(c) for c in firsts) + "]") if firsts else None
        self.boundary = frozenset(word for word in boundary_words if 1 < len(word) <= BOUNDARY_MAX)
        self.boundary_lengths = sorted({len(word) for word in self.boundary})

    def _straddled(self, text: str, start: int, end: int) -> bool:
        """Whether a boundary word covers the character before start and the one at start (or the
        last character of the match and the one after it)."""
        for length in self.boundary_lengths:
            for edge in (start, end):
                for first in range(max(0, edge - length + 1), edge):
                    last = first + length
                    if last > len(text) or (first >= start and last <= end):
                        continue
                    if text[first:last] in self.boundary:
                        return True
        return False

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, name) of each mention, left to right, never overlapping."""
        if self._word is None or self._starts is None:
            return
        position = 0
        word_at = self._word.match
        for candidate in self._starts.finditer(text):
            start = candidate.start()
            if start < position:
                continue
            match = word_at(text, start)
            if match is None:
                continue
            name = match.group()
            end = start + len(name)
            if self.boundary and self._straddled(text, start, end):
                continue
            position = end
            yield start, end, name

    def count(self, text: str) -> Counter[str]:
        """How often each value is named in text."""
        found: Counter[str] = Counter()
        for _, _, name in self.finditer(text):
            found.update(self.names[name])
        return found


@functools.cache
def lexicon() -> frozenset[str]:
    """The words a name must not be cut out of: places, regions, aiders and their cities, and the
    common words of boundary_words.txt."""
    words = set(datafiles.boundary_words())
    words.update(name for name, region in datafiles.gazetteer().items() if region != "-")
    words.update(name for names in datafiles.aiders().values() for name in names)
    words.update(datafiles.aider_cities())
    return frozenset(words)
