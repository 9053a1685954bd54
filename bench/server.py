"""The HTTP phase: a real `xjsearch serve` (waitress) in a child process, timed from outside.

Start-up is timed from spawning the process to the first 200 answer of /api/search, so it covers
interpreter start, imports, opening the index generation and the first search. Latency is timed
by a client on one keep-alive connection (fresh queries once each, then the fixed mix repeated,
as in the in-process phase); the server's peak RSS is its VmHWM from /proc.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import subprocess
import sys
import time
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


def peak_rss_mb(pid: int) -> float | None:
    """The peak resident set size (VmHWM) of a live process in MB, None where /proc has none."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def memory_mb(pid: int) -> dict[str, float]:
    """A live process's current RSS split into anonymous and file-backed pages (MB), from /proc.

    Every Whoosh searcher maps the segment files again, and RSS counts a file page once per
    mapping, so RssFile overstates what the page cache really holds; RssAnon is the process's own.
    """
    wanted = {"VmRSS": "rss_mb", "RssAnon": "rss_anon_mb", "RssFile": "rss_file_mb"}
    out: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key = line.split(":", 1)[0]
            if key in wanted:
                out[wanted[key]] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return out


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


def measure_http(index_dir: Path, reps: int, log_path: Path, threads: int = 8) -> dict[str, Any]:
    """Start a server on index_dir, time its start-up, then the query mix reps times over HTTP."""
    fresh = fresh_queries()
    port = free_port()
    command = [
        sys.executable, "-c", "from web.cli import main; main()", "serve",
        "--host", "127.0.0.1", "--port", str(port), "--index", str(index_dir), "--threads", str(threads),
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as server_log:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=server_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            start_s = _wait_first_answer(proc, port, started)
            rss_after_start = peak_rss_mb(proc.pid)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

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
            rss = peak_rss_mb(proc.pid)
            memory = memory_mb(proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return {
        "start_to_first_answer_s": round(start_s, 3),
        "rss_after_start_mb": rss_after_start,
        "rss_peak_mb": rss,
        "memory_at_end": memory,
        "threads": threads,
        "fresh": latency_summary(fresh_timings, categories_of(fresh), fresh_totals),
        "repeat": latency_summary(timings, categories_of(QUERY_MIX), totals),
        "suggest": {"overall": summarize([t for values in suggest_timings.values() for t in values])},
    }
