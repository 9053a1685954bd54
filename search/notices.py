"""Hints on chosen filter values that no article has and the data files do not know.

A region, aider, sector or source value that no article carries finds nothing, and on its own the
empty answer looks like a fact. Where the data files do not know the value either, it is most
likely a slip: a county for its region (莎车县 → 喀什), a city for its province (无锡 → 江苏), a
traditional form (廣東 → 广东), another outlet name (上观新闻 → 解放日报), or a near miss. The notice
names what to choose instead, or the values that exist.
"""

from __future__ import annotations

from collections.abc import Iterable

from corpus import datafiles
from corpus.folding import fold
from corpus.aiders import aider_names
from corpus.places import region_names
from corpus.sectors import sector_names
from search.model import SearchRequest, selected

# The facets whose values come from the data files, and how a notice names each.
NOTICE_FACETS = {"region": "地区", "aid_from": "援助方", "sector": "领域", "source": "来源"}
LISTED = 20  # known values listed in a notice at the most
_CLOSE = 0.5  # how alike (difflib's ratio) a known value must be to be offered as the nearest


def _known(facet: str, present: Iterable[str]) -> tuple[str, ...]:
    """The values a facet may hold: those of the data files, then those articles carry."""
    listed: tuple[str, ...] = ()
    if facet == "region":
        listed = region_names()
    elif facet == "aid_from":
        listed = aider_names()
    elif facet == "sector":
        listed = sector_names()
    elif facet == "source":
        listed = tuple(outlet for outlet, _, _ in datafiles.outlets())
    return tuple(dict.fromkeys([*listed, *sorted(present)]))


def _meant(facet: str, value: str) -> str | None:
    """The known value a data file says this one stands for (a county's region, a city's aider …)."""
    folded = fold(value.strip())
    if facet == "region":
        region = datafiles.gazetteer().get(folded)
        return region if region not in (None, "-") else None
    if facet == "aid_from":
        if folded in datafiles.aiders():
            return folded
        names = {name: aider for aider, full in datafiles.aiders().items() for name in full}
        return names.get(folded) or datafiles.aider_cities().get(folded)
    if facet == "source":
        # Imported here: the outlet rules (and the cleaning and date rules they use) are read
        # only when a chosen source is unknown, not by every search.
        from corpus.sources import outlet_named

        return outlet_named(folded)
    return folded if folded in sector_names() else None


def notices(request: SearchRequest, present: dict[str, Iterable[str]]) -> tuple[str, ...]:
    """A hint for each chosen value that no article has (present: each facet's values in the index)
    and the data files do not know as such."""
    out: list[str] = []
    for facet, label in NOTICE_FACETS.items():
        have = set(present.get(facet, ()))
        known: tuple[str, ...] | None = None  # read from the data files only for a value no article has
        for value in selected(request, facet):
            if value in have:
                continue
            if known is None:
                known = _known(facet, have)
            if value in known:
                continue
            meant = _meant(facet, value)
            if meant is not None and meant != value:
                # 廣東 is 广东 written otherwise; 莎车县 lies in 喀什.
                relation = "即" if fold(value.strip()) == meant else f"属于{label}"
                out.append(f"“{value}”{relation}“{meant}”：请选“{meant}”")
                continue
            import difflib  # only for a value neither articles nor data files know

            near = difflib.get_close_matches(fold(value), known, n=1, cutoff=_CLOSE)
            listing = "、".join(known[:LISTED]) + ("等" if len(known) > LISTED else "")
            if near:
                out.append(f"“{value}”不是已知的{label}；最接近的是“{near[0]}”。已知的{label}：{listing}")
            else:
                out.append(f"“{value}”不是已知的{label}。已知的{label}：{listing}")
    return tuple(out)
