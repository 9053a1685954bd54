"""Statistics of an opened generation: article count, size, build time, dates, facet value counts."""

from __future__ import annotations

from indexer import store
from search.generation import Generation, shown_date
from search.model import FacetValue, IndexStats

STATS_FACETS = ("region", "sector", "aid_from", "source", "year")


def index_stats(gen: Generation) -> IndexStats:
    """What the generation holds: article count, size, number, build time, facet value counts."""
    meta = gen.live.meta
    counts = gen.archive().counts
    facets = {
        facet: tuple(
            sorted(
                (FacetValue(v, n) for v, n in zip(gen.columns[facet].values, counts[facet].tolist())),
                key=lambda fv: (-fv.count, fv.value),
            )
        )
        for facet in STATS_FACETS
    }
    return IndexStats(
        articles=gen.live_count,
        size_bytes=store.directory_size(gen.live.path),
        generation=gen.number,
        built_at=str(meta.get("built_at", "")),
        build_seconds=float(meta.get("build_seconds", 0.0)),
        date_min=shown_date(int(gen.sorted_dates[0])) if len(gen.sorted_dates) else None,
        date_max=shown_date(int(gen.sorted_dates[-1])) if len(gen.sorted_dates) else None,
        facets={k: tuple(fv for fv in v if fv.count) for k, v in facets.items()},
    )
