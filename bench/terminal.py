"""The terminal phase: wall time of `xjsearch --help` and `xjsearch search 援疆` on the bundled index.

Each command runs RUNS times in a fresh interpreter after one run that is not counted (which
leaves the compiled bytecode behind, as any installation has it); the median is the figure, beside
the interpreter's own start (`python -c pass`). Bytecode is written even where the environment
says not to (PYTHONDONTWRITEBYTECODE), since a user's installation has it.

The CPU time (user + system) of each run is recorded too: a command is one thread reading files
from the page cache, so on an unloaded core its wall time is its CPU time, while on a shared
machine the wall time also counts the waits for a core (the figure to read when the load is high).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

RUNS = 9
TARGET_HELP_S = 0.2
TARGET_SEARCH_S = 0.4


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds one run of command takes from spawn to exit (status 0 required)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=120)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _median(command: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    """Median and fastest wall time, and median CPU time, of runs timed runs after one untimed."""
    _timed(command, env)
    walls, cpus = zip(*(_timed(command, env) for _ in range(runs)))
    return {"median_s": round(statistics.median(walls), 3), "min_s": round(min(walls), 3),
            "cpu_median_s": round(statistics.median(cpus), 3)}


def measure_terminal(cache_dir: Path, runs: int = RUNS) -> dict[str, Any]:
    """The terminal commands' wall times on the bundled corpus's index (built once in cache_dir)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    script = Path(sys.executable).with_name("xjsearch")  # the command a user runs
    xjsearch = [str(script)] if script.exists() else [sys.executable, "-c", "from web.cli import main; main()"]
    index_dir = cache_dir / "bundled-index"
    subprocess.run([*xjsearch, "index", "--index", str(index_dir)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    out = {
        "python_start": _median([sys.executable, "-c", "pass"], env, runs),
        "help": _median([*xjsearch, "--help"], env, runs),
        "search": _median([*xjsearch, "search", "援疆", "--index", str(index_dir)], env, runs),
        "runs": runs,
    }
    out["targets"] = {
        f"help <= {TARGET_HELP_S}": out["help"]["median_s"] <= TARGET_HELP_S,
        f"search <= {TARGET_SEARCH_S}": out["search"]["median_s"] <= TARGET_SEARCH_S,
    }
    return out
