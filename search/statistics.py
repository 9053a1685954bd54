"""Statistics of an opened generation: article count, size, build time, dates, facet value counts."""

from __future__ import annotations

from indexer import store
from search.generation import Generation
from search.model import FacetValue, IndexStats

STATS_FACETS = ("region", "sector", "aid_from", "source", "year")


def index_stats(gen: Generation) -> IndexStats:
    """What the generation holds: article count, size, number, build time, facet value counts."""
    meta = gen.live.meta
    facets = {
        facet: tuple(
            sorted(
                (FacetValue(v, (b & gen.all_bits).bit_count()) for v, b in gen.facet_bits[facet].items()),
                key=lambda fv: (-fv.count, fv.value),
            )
        )
        for facet in STATS_FACETS
    }
    return IndexStats(
        articles=gen.all_bits.bit_count(),
        size_bytes=store.directory_size(gen.live.path),
        generation=gen.number,
        built_at=str(meta.get("built_at", "")),
        build_seconds=float(meta.get("build_seconds", 0.0)),
        date_min=str(gen.dates[0]) if len(gen.dates) else None,
        date_max=str(gen.dates[-1]) if len(gen.dates) else None,
        facets={k: tuple(fv for fv in v if fv.count) for k, v in facets.items()},
    )
