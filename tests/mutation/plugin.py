"""A pytest plugin for mutation runs: each test starts with nothing cached by the tests before it.

The data files read, the matchers built from them and every other functools cache of the project
would otherwise be filled by the first test that needs them: mutmut, which records which tests
call each function, would see only that test call the function that fills a cache, and test its
mutants with that test alone; and a mutant's tests, run in a process forked from the clean run,
would use what the clean code cached. While mutmut collects its records or tests a mutant
(MUTANT_UNDER_TEST is "stats" or the mutant's name), this clears those caches before every test;
in any other run it does nothing.
"""

from __future__ import annotations

import functools
import os
import sys

import pytest

PACKAGES = ("corpus", "indexer", "search", "web")


def _mutation_run() -> bool:
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    return mutant == "stats" or "__mutmut_" in mutant


def _forget() -> None:
    """Clear the project's functools caches and the analysis module's memos."""
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


def pytest_configure(config: pytest.Config) -> None:
    """Under a mutant of the analysis module, forget the segmenters the clean run built."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    analysis = sys.modules.get("indexer.analysis")
    if analysis is not None and mutant.startswith("indexer.analysis.") and "__mutmut_" in mutant:
        # The segmenters hold the user dictionary as the clean code read it.
        analysis._segmenter = analysis._Segmenter()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Start each test of a mutation run with empty caches."""
    if _mutation_run():
        _forget()
