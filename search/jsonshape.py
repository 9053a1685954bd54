"""The JSON shape of a search result, shared by `xjsearch search --json` and the web API."""

from __future__ import annotations

from typing import Any

from search.model import SearchResult


def result_to_json(result: SearchResult) -> dict[str, Any]:
    """The JSON shape of a result, shared by `xjsearch search --json` and the web API."""
    return {
        "query": result.request.query,
        "total": result.total,
        "took_ms": result.took_ms,
        "page": result.request.page,
        "per_page": result.request.per_page,
        "hits": [
            {
                "id": h.id,
                "title": h.title,
                "date": h.date,
                "date_precision": h.date_precision,
                "source": h.source,
                "regions": list(h.regions),
                "sectors": list(h.sectors),
                "aid_from": list(h.aid_from),
                "people": list(h.people),
                "orgs": list(h.orgs),
                "score": h.score,
                "snippet": h.snippet,
                "origin": h.origin.to_json() if h.origin else None,
                "reprints": [r.id for r in h.reprints],
                "reprint_count": h.reprint_count,
            }
            for h in result.hits
        ],
        "facets": {
            facet: [{"value": v.value, "count": v.count, "selected": v.selected} for v in values]
            for facet, values in result.facets.items()
        },
        "did_you_mean": result.did_you_mean,
        "explanations": list(result.explanations),
        "notices": list(result.notices),
        "articles": result.articles,
        "collapse": result.request.collapse,
    }
