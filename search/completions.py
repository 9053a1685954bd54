"""Completions of what is being typed, in characters or pinyin: entities, frequent words, titles."""

from __future__ import annotations

import bisect
from collections.abc import Callable

from indexer.analysis import fold, stream
from search.generation import Generation
from search.vocabulary import is_pinyin_text

SUGGESTIONS = 10
SUGGEST_TITLES = 3  # of the suggestions, kept for article titles when titles start with the prefix
MAX_SUGGEST_PREFIX = 50


def suggest(current: Callable[[], Generation], prefix: str, limit: int = SUGGESTIONS) -> tuple[str, ...]:
    """Up to limit completions of prefix from the generation current() gives (opened only if needed)."""
    prefix = fold(prefix).strip()[:MAX_SUGGEST_PREFIX]
    if not prefix or limit < 1:
        return ()
    # The last word of the query is completed, the words before it kept (上海 援 → 上海 援疆);
    # Latin letters apart are syllables of one word (ke la → 克拉玛依).
    head, _, prefix = ("", "", prefix) if is_pinyin_text(prefix) else prefix.rpartition(" ")
    if head:
        return tuple(f"{head} {s}" for s in suggest(current, prefix, limit))
    gen = current()
    found = gen.vocabulary().complete(prefix, limit)
    titles: list[str] = []
    key = stream(prefix)
    if key and not is_pinyin_text(prefix):
        ordered = gen.titles()
        at = bisect.bisect_left(ordered, (key, ""))
        # Titles take at most a third of the places, the rest go to words and names.
        for folded, title in ordered[at : at + min(SUGGEST_TITLES, limit // 3)]:
            if not folded.startswith(key):
                break
            titles.append(title)
    kept = found[: limit - len(titles)] if len(found) + len(titles) > limit else found
    return tuple(dict.fromkeys([*kept, *titles]))[:limit]
