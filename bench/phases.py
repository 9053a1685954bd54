"""The measured phases, each run in its own child process so that peak memory and CPU are per phase.

The parent calls run_phase(name, args); the child (``python -m bench.phases NAME ARGS_JSON``) runs
the phase and writes one JSON object on its last stdout line, with the phase's own figures plus
its peak RSS and CPU time (its own, and separately the largest of any worker processes it waited
for), and the peak memory of its whole process tree: the child and every process under it,
sampled every TREE_SAMPLE_S seconds (RSS, and PSS, which counts a page shared by several processes
once). With ``args["profile"]`` set to a path, the measured part runs under cProfile and the stats
are dumped there.

Articles come from the files bench.articles.prepare keeps (read once, in the load phase), a few
at a time: no phase holds a corpus.
"""

from __future__ import annotations

import cProfile
import json
import logging
import os
import resource
import subprocess
import sys
import threading
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


def run_phase(name: str, args: dict[str, Any], timeout: float = 6 * 3600) -> Result:
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


TREE_SAMPLE_S = 0.1
_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _descendants(pid: int) -> list[int]:
    """pid and every process under it (from /proc/PID/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    todo.extend(int(child) for child in fh.read().split())
            except OSError:
                pass
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in kB; zeros if it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            rss = int(fh.read().split()[1]) * _PAGE_KB
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            pss = next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
    except (OSError, ValueError, IndexError):
        return 0, 0
    return rss, pss


class TreeMemory:
    """The peak memory of this process and all its descendants together, sampled in a thread."""

    def __init__(self, interval: float = TREE_SAMPLE_S) -> None:
        self.interval = interval
        self.rss_kb = self.pss_kb = self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        """Take one sample now."""
        pids = _descendants(os.getpid())
        totals = [_memory_kb(pid) for pid in pids]
        self.rss_kb = max(self.rss_kb, sum(rss for rss, _ in totals))
        self.pss_kb = max(self.pss_kb, sum(pss for _, pss in totals))
        self.processes = max(self.processes, len(pids))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def figures(self) -> Result:
        """The peaks in MB."""
        return {"tree_rss_peak_mb": round(self.rss_kb / 1024, 1), "tree_pss_peak_mb": round(self.pss_kb / 1024, 1),
                "tree_processes": self.processes}


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


def phase_read(args: Result) -> Result:
    """Read the corpus through the loader: the first args["sample"] articles timed in this process
    (scaled to the corpus by characters), the whole corpus and its changed copy kept for the other
    phases (once per loader: bench.articles)."""
    from bench.articles import kept_figures, prepare, prepare_changed, time_reading
    from bench.synthetic import changed_indexes

    source, kept = Path(args["corpus"]), Path(args["prepared"])
    figures = kept_figures(kept) if kept.is_file() else prepare(source, kept)
    if figures["skipped"]:
        log.warning("%d records skipped", figures["skipped"])
    changed_kept = Path(args["changed_prepared"])
    if not changed_kept.is_file():
        prepare_changed(kept, Path(args["changed"]), changed_indexes(int(args["n"]), int(args["seed"])), changed_kept)
    timed = time_reading(source, int(args["sample"]))
    return {
        "articles": figures["articles"], "chars": figures["chars"], "skipped": figures["skipped"],
        "sample_articles": timed["articles"], "sample_chars": timed["chars"], "sample_seconds": timed["seconds"],
        "seconds": round(timed["seconds"] * figures["chars"] / max(timed["chars"], 1), 3),
    }


def _sample(args: Result) -> int | None:
    """How many articles a phase measures (None: all)."""
    return int(args["sample"]) if args.get("sample") else None


def phase_floor(args: Result) -> Result:
    """Python jieba, precise mode, one core: segment every title and text (the floor).

    With args["sample"], only the first that many articles: the harness scales the time to the
    whole corpus by characters (segmentation time is linear in them).
    """
    import jieba

    from bench.articles import read_prepared

    jieba.setLogLevel(logging.WARNING)
    started = time.perf_counter()
    jieba.initialize()
    init_s = time.perf_counter() - started
    count = words = chars = 0
    seconds = 0.0
    with _profiled(args.get("profile")):
        for article in read_prepared(Path(args["prepared"]), _sample(args)):
            started = time.perf_counter()
            words += sum(1 for _ in jieba.cut(article.title))
            words += sum(1 for _ in jieba.cut(article.text))
            seconds += time.perf_counter() - started
            count += 1
            chars += len(article.title) + len(article.text)
    return {"articles": count, "chars": chars, "words": words, "init_s": round(init_s, 3), "seconds": round(seconds, 3)}


def phase_analysis(args: Result) -> Result:
    """What the indexer's analysis costs alone: raw rjieba, then to_document (fold, words), per article."""
    import rjieba

    from bench.articles import read_prepared
    from indexer.analysis import words
    from indexer.schema import to_document

    segmenter = rjieba.Jieba()
    started = time.perf_counter()
    words("预热")  # builds the segmenter with the user dictionary
    init_s = time.perf_counter() - started
    count = chars = 0
    rjieba_s = seconds = 0.0
    with _profiled(args.get("profile")):
        for article in read_prepared(Path(args["prepared"]), _sample(args)):
            started = time.perf_counter()
            segmenter.cut(article.title)
            segmenter.cut(article.text)
            middle = time.perf_counter()
            to_document(article)
            seconds += time.perf_counter() - middle
            rjieba_s += middle - started
            count += 1
            chars += len(article.title) + len(article.text)
    return {"articles": count, "chars": chars, "rjieba_s": round(rjieba_s, 3), "init_s": round(init_s, 3),
            "seconds": round(seconds, 3)}


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
    """Run update_index on the kept articles of a corpus, streamed (in shares, where the run reads so)."""
    from bench.articles import PreparedArticles, batch_offsets
    from indexer import store
    from indexer.build import update_index
    from indexer.pipeline import BuildSettings

    index_dir = Path(args["index"])
    settings = BuildSettings()
    if args.get("workers") is not None:
        settings = BuildSettings(workers=int(args["workers"]))
    if args.get("buffer_mb") is not None:
        settings = BuildSettings(workers=settings.workers, buffer_mb=int(args["buffer_mb"]))
    articles = PreparedArticles(Path(args["prepared"]))
    batch_offsets(articles.path)  # found once per kept file, before the clock starts
    with _profiled(args.get("profile")):
        started = time.perf_counter()
        report = update_index(articles, index_dir, rebuild=rebuild,
                              corpus_label=args["corpus"], settings=settings)
        seconds = time.perf_counter() - started
    generation, path = _live_generation(index_dir)
    # Reprint detection (indexer.reprints) is part of seconds; the build records its own share.
    reprint_s = store.read_json(path / store.META).get("reprint_seconds")
    return {
        "articles": report.added + report.updated + report.unchanged, "seconds": round(seconds, 3),
        "reprint_s": reprint_s,
        "added": report.added, "updated": report.updated, "deleted": report.deleted,
        "unchanged": report.unchanged, "rebuilt": report.rebuilt, "generation": generation,
        "buffer_mb": settings.buffer_mb, "workers": settings.processes(),
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
    "read": phase_read,
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
    with TreeMemory() as tree:
        result = PHASES[name](args)
    result["wall_s"] = round(time.perf_counter() - started, 3)
    result.update(_usage())
    result.update(tree.figures())
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
