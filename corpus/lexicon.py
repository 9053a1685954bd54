"""The words jieba must keep whole: places, regions, people and organisations of the corpus."""

from __future__ import annotations

import functools

from corpus import datafiles


@functools.cache
def user_words() -> tuple[str, ...]:
    """Every gazetteer place, region name, person and organisation, longest first, for jieba."""
    words = {word for word, region in datafiles.gazetteer().items() if region != "-"}
    words.update(datafiles.names())
    return tuple(sorted(words, key=lambda word: (-len(word), word)))
