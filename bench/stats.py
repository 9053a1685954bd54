"""Summary statistics of timings: percentiles, summaries, and how cost grows with N."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0–100) of values, linearly interpolated between closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is not within 0–100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(values: Sequence[float]) -> dict[str, float]:
    """Count, mean, p50, p95, p99 and max of values (rounded to 0.01)."""
    return {
        "n": len(values),
        "mean": round(sum(values) / len(values), 2),
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "p99": round(percentile(values, 99), 2),
        "max": round(max(values), 2),
    }


def growth_exponent(n1: float, cost1: float, n2: float, cost2: float) -> float:
    """k in cost ∝ N^k between two measurements (1.0 = linear, 0 = constant)."""
    if n1 <= 0 or n2 <= 0 or n1 == n2 or cost1 <= 0 or cost2 <= 0:
        raise ValueError("growth needs two different positive sizes and positive costs")
    return math.log(cost2 / cost1) / math.log(n2 / n1)


def latency_summary(
    timings: Mapping[str, Sequence[float]], categories: Mapping[str, str], totals: Mapping[str, int]
) -> dict[str, Any]:
    """Latency summaries (ms) overall, per category and per query (with each query's total hits)."""
    every = [t for values in timings.values() for t in values]
    by_category: dict[str, list[float]] = {}
    for label, values in timings.items():
        by_category.setdefault(categories[label], []).extend(values)
    return {
        "overall": summarize(every),
        "by_category": {c: summarize(v) for c, v in by_category.items()},
        "by_query": {label: {**summarize(v), "total": totals.get(label)} for label, v in timings.items()},
    }
