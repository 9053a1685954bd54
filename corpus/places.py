"""The regions of Xinjiang an article is about, from the places it names (gazetteer.tsv, regions.tsv)."""

from __future__ import annotations

import functools
import re
from collections import Counter

from corpus import datafiles
from corpus.matching import Matcher, lexicon

XINJIANG = "新疆"
TITLE_WEIGHT = 3
# A region is kept when mentioned at least this share as often as the leading one: half on a local
# paper's page (a home region, whose news names other regions in passing), a quarter elsewhere
# (a report from a visit to several regions names each of them less often).
REGION_SHARE = 0.5
REGION_SHARE_ELSEWHERE = 0.25
REGION_MIN = 2
REGIONWIDE_REGIONS = 3  # an article about this many regions is also about Xinjiang as a whole
CORPS = "兵团"
# 兵团 named bare (自治区和兵团, 兵团党委书记) is often Xinjiang's other half named in passing: it counts
# half as much as a named division or city of the 兵团 (第三师, 图木舒克市).
BARE_CORPS_WEIGHT = 0.5
_REGIMENT = re.compile(r"(?<![\d.])\d{2,3}团(?!队|体|员|结|聚)|(?<![一二三四五六七八九十百零〇])[一二三四五六七八九十百零〇]{2,4}团(?!队|体|员|结|聚)|团场")


@functools.cache
def _places() -> Matcher:
    places = {place: (region,) for place, region in datafiles.gazetteer().items()}
    regions = set(datafiles.region_aliases().values())
    for alias, meanings in datafiles.aliases().items():
        named = tuple(meaning for meaning in meanings if meaning in regions)
        if named and len(alias) > 1:
            places.setdefault(alias, named)
    return Matcher(places, lexicon())


def region_names() -> tuple[str, ...]:
    """The values of the region facet, in the order of regions.tsv."""
    return tuple(dict.fromkeys(datafiles.region_aliases().values()))


def _counts(text: str, weight: float) -> Counter[str]:
    """How much each region is named in text, each mention weighing weight."""
    bare_corps = {name for name, region in datafiles.region_aliases().items() if region == CORPS}
    counts: Counter[str] = Counter()
    matcher = _places()
    qualifier = -1  # where a mention of Xinjiang ends: a place named right there is what it qualifies
    for start, end, name in matcher.finditer(text):
        regions = matcher.names[name]
        if start == qualifier and not {XINJIANG, "-"} & set(regions):
            # 新疆喀什, 新疆维吾尔自治区阿勒泰地区: Xinjiang qualifies the place, the article is about it.
            counts[XINJIANG] -= weight
        qualifier = end if XINJIANG in regions else -1
        for region in regions:
            counts[region] += weight * (BARE_CORPS_WEIGHT if name in bare_corps else 1)
    # The 兵团's regiments go by their numbers (224团, 四十七团, 二二一团) and its farms are 团场.
    regiments = sum(1 for _ in _REGIMENT.finditer(text))
    if regiments:
        counts[CORPS] += weight * regiments
    return counts


def infer_regions(title: str, text: str, home_region: str | None) -> tuple[str, ...]:
    """The regions an article is about: those named often, not every passing mention.

    title and text are folded (corpus.folding), so 阿克蘇地區 is 阿克苏地区.
    """
    counts = _counts(text, 1) + _counts(title, TITLE_WEIGHT)
    counts.pop("-", None)
    xinjiang = counts.pop(XINJIANG, 0)
    chosen: list[str] = []
    top = max(counts.values(), default=0)
    if counts:
        threshold = max(REGION_MIN, (REGION_SHARE if home_region else REGION_SHARE_ELSEWHERE) * top)
        chosen = [region for region, count in counts.most_common() if count >= threshold]
    # Xinjiang as a whole: many regions, or (where no local paper's page gives a home region, whose
    # news names Xinjiang as a matter of course) Xinjiang named at least as often as the leading one.
    widely = not home_region and xinjiang >= REGION_MIN and xinjiang >= top
    if len(chosen) >= REGIONWIDE_REGIONS or (chosen and widely):
        return (XINJIANG, *chosen)
    if chosen:
        return tuple(chosen)
    # Local news rarely names its own region; region-wide news names Xinjiang instead.
    if home_region and (counts.get(home_region, 0) or xinjiang < REGION_MIN):
        return (home_region,)
    if counts and max(counts.values()) >= xinjiang:
        return (counts.most_common(1)[0][0],)
    # An article that names no place of Xinjiang has no region: none is made up.
    return (XINJIANG,) if xinjiang else ()


def canonical_regions(values: list[str]) -> tuple[str, ...]:
    """Region names given by a user (short names, aliases or places) as canonical short names."""
    places = datafiles.gazetteer()
    result = [places.get(value.strip(), value.strip()) for value in values if value.strip()]
    return tuple(dict.fromkeys(region for region in result if region != "-"))
