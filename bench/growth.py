"""Which parts of a query grow with the archive: the query phase profiled at two sizes, compared.

Each function's time per query (cumulative, from cProfile) is set beside its time at the other
size; the exponent k in time ∝ N^k says how it grows: about 1 for a part that scans the archive
(an array or bitset the size of the archive), near 0 for one that does not. Parts whose time
depends on what a query matches grow with the archive too, by as much as the matches do.
"""

from __future__ import annotations

import math
import pstats
from pathlib import Path
from typing import Any

# Functions shown: at least this share of the larger size's query time.
MIN_SHARE = 0.01
LINEAR = 0.8  # an exponent from which a part is said to grow with the archive


def _per_query(path: Path) -> tuple[dict[str, float], float]:
    """Cumulative seconds per function ("file:line(name)") of a profile, and the total."""
    stats = pstats.Stats(str(path)).strip_dirs()
    times = {f"{file}:{line}({name})": entry[3] for (file, line, name), entry in stats.stats.items()}  # type: ignore[attr-defined]
    return times, stats.total_tt  # type: ignore[attr-defined]


def compare(small: tuple[int, Path], large: tuple[int, Path], queries: int) -> list[dict[str, Any]]:
    """Rows of (function, ms per query at each size, exponent) for the functions that matter at the larger size."""
    (n1, path1), (n2, path2) = small, large
    times1, _ = _per_query(path1)
    times2, total2 = _per_query(path2)
    rows = []
    for name, seconds in times2.items():
        if seconds < MIN_SHARE * total2 or name not in times1 or not times1[name]:
            continue
        k = math.log(seconds / times1[name]) / math.log(n2 / n1)
        rows.append({"function": name, "ms_small": round(times1[name] * 1000 / queries, 2),
                     "ms_large": round(seconds * 1000 / queries, 2), "k": round(k, 2)})
    rows.sort(key=lambda r: -r["ms_large"])
    return rows


def render(rows: list[dict[str, Any]], n1: int, n2: int) -> str:
    """The rows as a Markdown table, parts growing about linearly marked."""
    lines = [f"| function | ms/query at {n1:,} | ms/query at {n2:,} | k (time ∝ N^k) |", "|---|---|---|---|"]
    for row in rows:
        mark = " ◀ grows with the archive" if row["k"] >= LINEAR else ""
        lines.append(f"| `{row['function']}` | {row['ms_small']} | {row['ms_large']} | {row['k']}{mark} |")
    return "\n".join(lines)
