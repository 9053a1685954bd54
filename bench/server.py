"""The HTTP phases: a real `xjsearch serve` in a child process, timed from outside.

Start-up is timed from spawning the process to the first 200 answer of /api/search, so it covers
interpreter start, imports, the arbiter starting its workers, each opening the index generation,
and the first search. Latency is timed by a client on one keep-alive connection (fresh queries
once each, then the fixed mix repeated, as in the in-process phase). Memory is read from /proc for
the whole process tree (the arbiter and its workers): each worker's peak RSS (VmHWM), and the sum
of their proportional set sizes (Pss: a page shared by the workers counts once, split between them).
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.queries import QUERY_MIX, BenchQuery, categories_of, fresh_queries, suggest_prefixes, time_queries
from bench.stats import latency_summary, summarize

log = logging.getLogger(__name__)

STARTUP_TIMEOUT_S = 120.0
FIRST_URL = QUERY_MIX[0].url()


class ServerFailed(RuntimeError):
    """The server did not start, died, or answered a query of the mix with an error."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status(pid: int) -> dict[str, int]:
    """The kB figures of /proc/<pid>/status (VmHWM, VmRSS, RssAnon …); empty once it is gone."""
    out: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if value.strip().endswith("kB"):
                out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def peak_rss_mb(pid: int) -> float | None:
    """The peak resident set size (VmHWM) of a live process in MB, None where /proc has none."""
    hwm = _status(pid).get("VmHWM")
    return round(hwm / 1024, 1) if hwm is not None else None


def children(pid: int) -> list[int]:
    """The live child processes of pid."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def pss_mb(pid: int) -> float:
    """The proportional set size of a live process in MB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process and its live children have used so far, in seconds."""
    total = 0
    for one in (pid, *children(pid)):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def tree_memory(pid: int) -> dict[str, Any]:
    """Memory of a server: its workers' peak RSS (the largest), RssAnon and the tree's total Pss (MB)."""
    workers = children(pid)
    statuses = [_status(w) for w in workers]
    return {
        "workers": len(workers),
        "worker_rss_peak_mb": round(max((s.get("VmHWM", 0) for s in statuses), default=0) / 1024, 1),
        "worker_rss_anon_mb": round(max((s.get("RssAnon", 0) for s in statuses), default=0) / 1024, 1),
        "arbiter_rss_mb": round(_status(pid).get("VmRSS", 0) / 1024, 1),
        "tree_pss_mb": round(pss_mb(pid) + sum(pss_mb(w) for w in workers), 1),
    }


def _get(conn: http.client.HTTPConnection, url: str) -> tuple[int, bytes]:
    """GET url on a keep-alive connection: status and body."""
    conn.request("GET", url)
    response = conn.getresponse()
    return response.status, response.read()


def _wait_first_answer(proc: subprocess.Popen[bytes], port: int, started: float) -> float:
    """Poll until the server answers the first query with 200; seconds since it was spawned."""
    while time.perf_counter() - started < STARTUP_TIMEOUT_S:
        if proc.poll() is not None:
            raise ServerFailed(f"the server exited with status {proc.returncode} before answering")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            status, _ = _get(conn, FIRST_URL)
            if status == 200:
                return time.perf_counter() - started
        except OSError:
            pass  # not listening yet
        finally:
            conn.close()
        time.sleep(0.01)
    raise ServerFailed(f"no answer within {STARTUP_TIMEOUT_S:.0f} s")


class Served:
    """A running server: its port, process and start-up time."""

    def __init__(self, proc: subprocess.Popen[bytes], port: int, start_s: float) -> None:
        self.proc = proc
        self.port = port
        self.start_s = start_s

    def connection(self, timeout: float = 120) -> http.client.HTTPConnection:
        """A new keep-alive connection to the server."""
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def memory(self) -> dict[str, Any]:
        """The server's memory now (tree_memory)."""
        return tree_memory(self.proc.pid)


@contextmanager
def serving(index_dir: Path, log_path: Path, workers: int = 1, threads: int = 8,
            env: dict[str, str] | None = None) -> Iterator[Served]:
    """`xjsearch serve` on index_dir with workers processes, stopped (SIGTERM) when done."""
    port = free_port()
    command = [
        sys.executable, "-c", "from web.cli import main; main()", "serve", "--host", "127.0.0.1",
        "--port", str(port), "--index", str(index_dir), "--workers", str(workers), "--threads", str(threads),
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as server_log:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=server_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env={**os.environ, **(env or {})})
        try:
            yield Served(proc, port, _wait_first_answer(proc, port, started))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def measure_http(index_dir: Path, reps: int, log_path: Path, threads: int = 8, workers: int = 1) -> dict[str, Any]:
    """Start a server on index_dir, time its start-up, then the query mix reps times over HTTP."""
    fresh = fresh_queries()
    with serving(index_dir, log_path, workers, threads) as served:
        memory_after_start = served.memory()
        conn = served.connection()

        def run_one(query: BenchQuery) -> int:
            status, body = _get(conn, query.url())
            if status != 200:
                raise ServerFailed(f"{query.url()} answered {status}: {body[:300]!r}")
            return int(json.loads(body)["total"])

        fresh_timings, fresh_totals = time_queries(run_one, fresh)
        suggest_timings: dict[str, list[float]] = {}
        for prefix in suggest_prefixes():
            started_one = time.perf_counter()
            status, body = _get(conn, "/api/suggest?" + urlencode({"q": prefix}))
            if status != 200:
                raise ServerFailed(f"/api/suggest?q={prefix} answered {status}: {body[:300]!r}")
            suggest_timings[prefix] = [(time.perf_counter() - started_one) * 1000]
        time_queries(run_one, QUERY_MIX)  # warm-up pass of the mix, not counted
        timings, totals = time_queries(run_one, QUERY_MIX, reps)
        conn.close()
        memory = served.memory()
    return {
        "start_to_first_answer_s": round(served.start_s, 3),
        "rss_after_start_mb": memory_after_start["worker_rss_peak_mb"],
        "rss_peak_mb": memory["worker_rss_peak_mb"],
        "memory_at_end": {"rss_anon_mb": memory["worker_rss_anon_mb"], **memory},
        "workers": workers,
        "threads": threads,
        "fresh": latency_summary(fresh_timings, categories_of(fresh), fresh_totals),
        "repeat": latency_summary(timings, categories_of(QUERY_MIX), totals),
        "suggest": {"overall": summarize([t for values in suggest_timings.values() for t in values])},
    }
