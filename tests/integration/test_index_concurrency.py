"""Reindexing while others read or write: killed rebuilds, concurrent searches, a second indexer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from indexer import store
from indexer.build import update_index
from indexer.errors import IndexLocked
from search.model import SearchRequest
from search.service import SearchService
from tests.conftest import SAMPLE_ARTICLES, make_article

ROOT = Path(__file__).resolve().parents[2]

# A rebuild that announces it is writing documents, then stalls until it is killed.
_STALLED_REBUILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from indexer.build import update_index
    from tests.conftest import SAMPLE_ARTICLES, make_article

    import multiprocessing
    marker, workers = Path(sys.argv[2]), int(sys.argv[3])
    def progress(done, total):
        if done >= 240:  # two batches of 100 have gone to the writer processes, if any
            children = " ".join(str(p.pid) for p in multiprocessing.active_children())
            # Renamed into place, so the test never reads a half-written marker.
            marker.with_suffix(".tmp").write_text(children)
            marker.with_suffix(".tmp").rename(marker)
            time.sleep(60)
    extra = tuple(make_article(f"x{i}", "新文章", f"第{i}篇新文章") for i in range(250))
    update_index(SAMPLE_ARTICLES[:3] + extra, Path(sys.argv[1]), rebuild=True, progress=progress, workers=workers)
    """
)


def _alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def ids(service, query=""):
    return sorted(h.id for h in service.search(SearchRequest(query=query, per_page=100)).hits)


@pytest.fixture(params=[1, 2], ids=["one-process", "two-writer-processes"])
def stalled_rebuild(request, sample_index, tmp_path):
    """A subprocess rebuilding sample_index, stopped in the middle of writing documents."""
    marker = tmp_path / "writing"
    proc = subprocess.Popen(
        [sys.executable, "-c", _STALLED_REBUILD, str(sample_index), str(marker), str(request.param)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, "the rebuild subprocess exited early"
        assert time.monotonic() < deadline, "the rebuild subprocess never started writing"
        time.sleep(0.05)
    proc.writer_pids = [int(p) for p in marker.read_text().split()]
    assert len(proc.writer_pids) == request.param - (request.param == 1)
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def test_a_killed_rebuild_leaves_the_old_index_answering(sample_index, stalled_rebuild):
    service = SearchService(sample_index)
    before = ids(service)
    assert store.generations(sample_index) == [1, 2]  # the rebuild is writing generation 2
    stalled_rebuild.send_signal(signal.SIGKILL)
    stalled_rebuild.wait()
    assert store.read_current(sample_index) == 1
    assert ids(service) == before == sorted(a.id for a in SAMPLE_ARTICLES)
    # Writer processes die with their parent instead of waiting for work forever.
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in stalled_rebuild.writer_pids):
        assert time.monotonic() < deadline, "orphaned writer processes"
        time.sleep(0.05)
    assert ids(SearchService(sample_index), "网联") == ["iov"]
    # The next run cleans up what the killed one left and proceeds normally.
    report = update_index(SAMPLE_ARTICLES, sample_index)
    assert (report.generation, report.unchanged) == (1, 6)
    assert store.generations(sample_index) == [1]


def test_a_second_indexer_is_refused_while_one_runs(sample_index, stalled_rebuild):
    with pytest.raises(IndexLocked):
        update_index(SAMPLE_ARTICLES, sample_index)


def test_a_running_service_sees_a_new_generation_without_restart(sample_index):
    service = SearchService(sample_index)
    assert (ids(service, "光伏"), service.generation) == ([], 1)
    update_index(SAMPLE_ARTICLES + (make_article("pv", "光伏制氢", "光伏制氢项目"),), sample_index)
    assert (ids(service, "光伏"), service.generation) == (["pv"], 2)
    update_index(SAMPLE_ARTICLES[:2], sample_index, rebuild=True)
    assert (ids(service), service.generation) == (["kly-city", "kly-word"], 3)
    service.close()


def test_searches_keep_answering_during_rebuilds(sample_index):
    service = SearchService(sample_index)
    extra = tuple(make_article(f"n{i}", "新疆新闻", f"第{i}条援疆新闻") for i in range(40))
    # Every generation written below holds kly-city and kly-word; 克拉玛依 must always find both.
    versions = [SAMPLE_ARTICLES + extra, SAMPLE_ARTICLES[:2], SAMPLE_ARTICLES + extra[:10], SAMPLE_ARTICLES]
    errors: list[BaseException] = []
    answers: list[list[str]] = []
    stop = threading.Event()

    def searcher() -> None:
        while not stop.is_set():
            try:
                answers.append(ids(service, "克拉玛依"))
            except BaseException as exc:  # collected and reported by the test
                errors.append(exc)
                return

    threads = [threading.Thread(target=searcher) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for n, articles in enumerate(versions):
            update_index(articles, sample_index, rebuild=n % 2 == 0)
            time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert len(answers) > 20
    assert all(a == ["kly-city", "kly-word"] for a in answers)
    assert service.generation == 5
    service.close()
