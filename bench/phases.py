"""The measured phases, each run in its own child process so that peak RSS and CPU are per phase.

The parent calls run_phase(name, args); the child (``python -m bench.phases NAME ARGS_JSON``) runs
the phase and writes one JSON object on its last stdout line, with the phase's own figures plus
its peak RSS and CPU time (its own, and separately the largest of any worker processes it waited
for). With ``args["profile"]`` set to a path, the measured part runs under cProfile and the stats
are dumped there.
"""

from __future__ import annotations

import cProfile
import json
import logging
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.ocr import phase_ocr

log = logging.getLogger(__name__)

Result = dict[str, Any]


class PhaseFailed(RuntimeError):
    """A phase's child process failed or printed no result."""


# -- parent side --------------------------------------------------------------------------------


def run_phase(name: str, args: dict[str, Any], timeout: float = 7200) -> Result:
    """Run one phase in a fresh child process and return its result object."""
    command = [sys.executable, "-m", "bench.phases", name, json.dumps(args, ensure_ascii=False)]
    log.info("phase %s: %s", name, args)
    proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = "\n".join(proc.stderr.strip().splitlines()[-25:])
        raise PhaseFailed(f"phase {name} exited with status {proc.returncode}:\n{tail}")
    return json.loads(lines[-1])


# -- child side ---------------------------------------------------------------------------------


def _usage() -> Result:
    """Peak RSS (MB) and CPU seconds of this process and of the workers it waited for."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "rss_peak_mb": round(me.ru_maxrss / 1024, 1),
        "workers_rss_peak_mb": round(kids.ru_maxrss / 1024, 1),
        "cpu_s": round(me.ru_utime + me.ru_stime, 3),
        "workers_cpu_s": round(kids.ru_utime + kids.ru_stime, 3),
    }


@contextmanager
def _profiled(path: str | None) -> Iterator[None]:
    """Run the body under cProfile when path is given, dumping the stats there."""
    if not path:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        profile.dump_stats(path)


def _load(path: str) -> tuple[Any, float]:
    """Load a JSONL corpus through corpus.load_corpus; the result and the seconds it took."""
    from corpus import load_corpus

    started = time.perf_counter()
    loaded = load_corpus(Path(path))
    seconds = time.perf_counter() - started
    if loaded.skipped:
        log.warning("%d records skipped, first: %s", len(loaded.skipped), loaded.skipped[0])
    return loaded, seconds


def phase_floor(args: Result) -> Result:
    """Python jieba, precise mode, one core: segment every title and text (the floor)."""
    import jieba

    loaded, load_s = _load(args["corpus"])
    jieba.setLogLevel(logging.WARNING)
    started = time.perf_counter()
    jieba.initialize()
    init_s = time.perf_counter() - started
    count = 0
    with _profiled(args.get("profile")):
        started = time.perf_counter()
        for article in loaded.articles:
            count += sum(1 for _ in jieba.cut(article.title))
            count += sum(1 for _ in jieba.cut(article.text))
        seconds = time.perf_counter() - started
    chars = sum(len(a.title) + len(a.text) for a in loaded.articles)
    return {
        "articles": len(loaded.articles), "chars": chars, "words": count,
        "load_s": round(load_s, 3), "init_s": round(init_s, 3), "seconds": round(seconds, 3),
    }


def phase_analysis(args: Result) -> Result:
    """What the indexer's analysis costs alone: raw rjieba, then to_document (fold, words)."""
    import rjieba

    from indexer.analysis import words
    from indexer.schema import to_document

    loaded, load_s = _load(args["corpus"])
    segmenter = rjieba.Jieba()
    started = time.perf_counter()
    for article in loaded.articles:
        segmenter.cut(article.title)
        segmenter.cut(article.text)
    rjieba_s = time.perf_counter() - started
    started = time.perf_counter()
    words("预热")  # builds the segmenter with the user dictionary
    init_s = time.perf_counter() - started
    with _profiled(args.get("profile")):
        started = time.perf_counter()
        for article in loaded.articles:
            to_document(article)
        seconds = time.perf_counter() - started
    return {
        "articles": len(loaded.articles), "load_s": round(load_s, 3), "rjieba_s": round(rjieba_s, 3),
        "init_s": round(init_s, 3), "seconds": round(seconds, 3),
    }


def _live_generation(index_dir: Path) -> tuple[int, Path]:
    """The live generation number and directory of an index."""
    from indexer import store

    number = store.read_current(index_dir)
    if number is None:
        raise PhaseFailed(f"no live generation in {index_dir}")
    return number, index_dir / store.generation_name(number)


def _index_files(path: Path) -> Result:
    """Size in bytes and segment count of one generation directory."""
    files = [p for p in path.iterdir() if p.is_file()]
    return {
        "size_bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        # A segment is one .seg file (compound) or a .trm file among its parts.
        "segments": len({p.name.split(".")[0] for p in files if p.suffix in (".seg", ".trm")}),
    }


def _update(args: Result, rebuild: bool) -> Result:
    """Load a corpus and run update_index on it, timed separately."""
    from indexer.build import update_index

    loaded, load_s = _load(args["corpus"])
    index_dir = Path(args["index"])
    with _profiled(args.get("profile")):
        started = time.perf_counter()
        # Only passed when asked for, so that the harness also runs an update_index without it.
        extra = {"workers": int(args["workers"])} if args.get("workers") is not None else {}
        report = update_index(loaded.articles, index_dir, skipped=loaded.skipped, rebuild=rebuild,
                              corpus_label=args["corpus"], **extra)
        seconds = time.perf_counter() - started
    generation, path = _live_generation(index_dir)
    from indexer import store

    # Reprint detection (indexer.reprints) is part of seconds; the build records its own share.
    reprint_s = store.read_json(path / store.META).get("reprint_seconds")
    return {
        "articles": len(loaded.articles), "load_s": round(load_s, 3), "seconds": round(seconds, 3),
        "reprint_s": reprint_s,
        "added": report.added, "updated": report.updated, "deleted": report.deleted,
        "unchanged": report.unchanged, "rebuilt": report.rebuilt, "generation": generation,
        **_index_files(path),
    }


def phase_build(args: Result) -> Result:
    """A full build of a fresh index from a corpus (update_index with rebuild)."""
    return _update(args, rebuild=True)


def phase_incremental(args: Result) -> Result:
    """An incremental update of an existing index from a corpus with a few articles changed."""
    return _update(args, rebuild=False)


def phase_query(args: Result) -> Result:
    """In-process latency through SearchService: opening + first search, fresh queries, the mix."""
    from bench.queries import QUERY_MIX, categories_of, fresh_queries, time_queries
    from bench.stats import latency_summary
    from search.service import SearchService

    fresh = fresh_queries()
    started = time.perf_counter()
    service = SearchService(args["index"])
    first = service.search(QUERY_MIX[0].request())
    cold_ms = (time.perf_counter() - started) * 1000

    def run_one(query: Any) -> int:
        return service.search(query.request()).total

    with _profiled(args.get("profile")):
        fresh_timings, fresh_totals = time_queries(run_one, fresh)
        time_queries(run_one, QUERY_MIX)  # warm-up pass of the mix, not counted
        timings, totals = time_queries(run_one, QUERY_MIX, int(args["reps"]))
    return {
        "cold_ms": round(cold_ms, 2), "first_total": first.total,
        "fresh": latency_summary(fresh_timings, categories_of(fresh), fresh_totals),
        "repeat": latency_summary(timings, categories_of(QUERY_MIX), totals),
    }


PHASES: dict[str, Callable[[Result], Result]] = {
    "floor": phase_floor,
    "analysis": phase_analysis,
    "build": phase_build,
    "incremental": phase_incremental,
    "query": phase_query,
    "ocr": phase_ocr,
}


def main(argv: list[str]) -> int:
    """Child entry point: run the named phase with its JSON arguments, print its JSON result."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    name, args = argv[0], json.loads(argv[1])
    started = time.perf_counter()
    result = PHASES[name](args)
    result["wall_s"] = round(time.perf_counter() - started, 3)
    result.update(_usage())
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
