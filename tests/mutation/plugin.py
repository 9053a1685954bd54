"""A pytest plugin for mutation runs: each mutant is tested with nothing remembered from the clean run.

mutmut tests each mutant in a process forked from the one that ran the clean tests, so the data
files read, the segmenter built and every functools cache filled there would answer for the
mutated code, and a mutant of a cached function would never run. Under a mutant (mutmut sets
MUTANT_UNDER_TEST to its name) this forgets them; in any other run it does nothing.
"""

from __future__ import annotations

import functools
import os
import sys

import pytest

PACKAGES = ("corpus", "indexer", "search", "web")


def pytest_configure(config: pytest.Config) -> None:
    """Clear the project's caches when a mutant is under test."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if "__mutmut_" not in mutant:
        return
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] not in PACKAGES:
            continue
        for value in list(vars(module).values()):
            # Only functools caches: asking other objects (flask's request proxy) for an attribute may raise.
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()
    analysis = sys.modules.get("indexer.analysis")
    if analysis is not None:
        analysis._tag_memo.clear()
        analysis._entity_memo.clear()
        if mutant.startswith("indexer.analysis."):
            # The segmenters hold the user dictionary as the clean code read it.
            analysis._segmenter = analysis._Segmenter()
