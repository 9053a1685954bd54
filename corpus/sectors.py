"""The sectors of an article: weighted keywords of sectors.tsv, a title hit counting triple."""

from __future__ import annotations

import functools
from collections import Counter

from corpus import datafiles
from corpus.errors import CorpusError

TITLE_WEIGHT = 3
SECTOR_SHARE = 0.5
SECTOR_MAX = 3


@functools.cache
def _sector_keywords() -> tuple[tuple[str, str, float], ...]:
    rows = []
    for sector, keyword, weight in datafiles.read_table("sectors.tsv", 3):
        try:
            rows.append((sector, keyword, float(weight or 1)))
        except ValueError as error:
            raise CorpusError(f"sectors.tsv: weight of {keyword!r} is not a number") from error
    return tuple(rows)


def sector_names() -> tuple[str, ...]:
    """The sectors of the taxonomy, in the data file's order."""
    return tuple(dict.fromkeys(sector for sector, _, _ in _sector_keywords()))


def infer_sectors(title: str, text: str) -> tuple[str, ...]:
    """Up to three sectors, by keyword scores from sectors.tsv (a title hit counts triple); none without a keyword."""
    scores: Counter[str] = Counter()
    for sector, keyword, weight in _sector_keywords():
        hits = text.count(keyword) + TITLE_WEIGHT * title.count(keyword)
        if hits:
            scores[sector] += weight * hits
    if not scores:
        # No keyword, no sector: a facet value is never made up.
        return ()
    top = max(scores.values())
    ranked = [sector for sector, score in scores.most_common() if score >= SECTOR_SHARE * top]
    return tuple(ranked[:SECTOR_MAX])
