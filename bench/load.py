"""The load phase: concurrent clients against 1 and N worker processes, exports in the mix, and the
costliest queries the API is sent.

* **Throughput** — CLIENTS clients, each on its own keep-alive connection (all driven by one thread:
  bench.client), send the fixed query mix (each from its own offset) as fast as they are answered,
  against a server of one worker and one of N (the cores); requests per second and latency under
  that load, and the cores the server and the clients took. Both servers run at once and take
  turns under the load, LOAD_SECONDS each in LOAD_TURNS turns (one, N, N, one, one, N, N, one): the
  machine's speed drifts while it is shared, and a drift then weighs on both alike instead of on
  whichever server came second. A load lasts a fixed time, not a fixed number of requests: the
  workers hold unequal shares of the connections (the kernel deals them out by a hash of their
  addresses), and a fixed number of requests per client would end with the busier worker serving
  alone — measuring that split, not what N processes can answer.
* **Exports in the mix** — the same load (EXPORT_SECONDS) on the N-worker server with one request
  in twenty an export of a large result (`援 OR 的`, about 10,000 rows whatever the corpus size),
  read to its end; search latency is compared with the run without exports. Exports beyond the server's limit are
  answered 429 and counted.
* **Costly queries** — the queries that once took a second at 10,000 articles (500 random CJK
  characters, 250 × 援, 166 × -的) and others built to read as much as possible (the most common
  characters ANDed, ORed and negated, a long phrase): each is answered (with its time) or refused
  with the limit it broke; the slowest answered one is the figure.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.client import Answer, run_clients
from bench.queries import QUERY_MIX
from bench.server import Served, ServerFailed, cpu_seconds, serving
from bench.stats import summarize

CLIENTS = 16
REQUESTS_PER_CLIENT = 40  # each client's plan, sent in a cycle
LOAD_SECONDS = 20.0  # how long each server is measured under load
LOAD_TURNS = 4  # in as many turns, the servers' turns alternating
EXPORT_SECONDS = 10.0  # how long the load with exports lasts
EXPORT_EVERY = 20  # one request in twenty is an export: 5%
EXPORT_QUERY = "援 OR 的"
EXPORT_ROWS = 10_000  # about how many rows an export holds (its dates are narrowed on larger corpora)


def export_url(n: int) -> str:
    """The export of the mix: EXPORT_QUERY as CSV, its dates narrowed to hold about EXPORT_ROWS of n articles."""
    params = {"q": EXPORT_QUERY, "format": "csv"}
    if n > EXPORT_ROWS:
        # The synthetic articles' dates are spread evenly over 2010–2025.
        first, last = dt.date(2010, 1, 1), dt.date(2025, 12, 31)
        params["from"] = first.isoformat()
        params["to"] = (first + (last - first) * EXPORT_ROWS / n).isoformat()
    return "/api/search?" + urlencode(params)


def mix_plans(clients: int, per_client: int, export: str | None = None) -> list[list[tuple[str, str]]]:
    """Each client's requests: the query mix from its own offset, every EXPORT_EVERY-th one an export."""
    urls = [q.url() for q in QUERY_MIX]
    plans = []
    for c in range(clients):
        plan = []
        for i in range(per_client):
            if export is not None and (i + c) % EXPORT_EVERY == EXPORT_EVERY - 1:
                plan.append(("export", export))
            else:
                plan.append(("search", urls[(c * 3 + i) % len(urls)]))
        plans.append(plan)
    return plans


def summarize_load(answers: list[Answer], seconds: float, server_cpu_s: float | None = None,
                   client_cpu_s: float | None = None) -> dict[str, Any]:
    """Requests per second, search latency and the exports' fate (and the cores the server used)."""
    searches = [a for a in answers if a.kind == "search"]
    failed = [a for a in searches if a.status != 200]
    if failed:
        raise ServerFailed(f"{len(failed)} searches under load answered {sorted({a.status for a in failed})}")
    exports = [a for a in answers if a.kind == "export"]
    done = [a for a in exports if a.status == 200]
    return {
        "requests": len(answers),
        "seconds": round(seconds, 2),
        "requests_per_s": round(len(answers) / seconds, 1),
        # On a shared machine the cores the server got, and what a request cost it, explain the rate.
        "server_cores": round(server_cpu_s / seconds, 2) if server_cpu_s is not None else None,
        "server_cpu_ms_per_request": round(server_cpu_s * 1000 / len(answers), 2) if server_cpu_s is not None else None,
        "client_cores": round(client_cpu_s / seconds, 2) if client_cpu_s is not None else None,
        "searches_per_s": round(len(searches) / seconds, 1),
        "search_ms": summarize([a.ms for a in searches]),
        "exports": {
            "sent": len(exports), "done": len(done), "refused_429": sum(a.status == 429 for a in exports),
            "failed": sum(a.status not in (200, 429) for a in exports),
            "ms": summarize([a.ms for a in done]) if done else None,
            "mb_each": round(max(a.size for a in done) / 2**20, 1) if done else None,
        },
    }


def settle(pid: int, timeout: float = 60.0) -> None:
    """Wait until a server has been idle for half a second: each worker reads its vocabulary in the
    background after its first answer, which is no part of the load to measure."""
    deadline = time.monotonic() + timeout
    used = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        if now - used < 0.05:
            return
        used = now


@dataclass
class _Loads:
    """A server's timed loads, summed: every answer, the wall time, the server's and the clients' CPU."""

    answers: list[Answer] = field(default_factory=list)
    seconds: float = 0.0
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0

    def run(self, served: Served, plans: list[list[tuple[str, str]]], seconds: float) -> None:
        """One load of plans for seconds, once the server is idle, added to the sums."""
        settle(served.proc.pid)
        before = cpu_seconds(served.proc.pid)
        answers, wall, client_cpu = run_clients(served.port, plans, seconds)
        self.server_cpu_s += cpu_seconds(served.proc.pid) - before
        self.answers += answers
        self.seconds += wall
        self.client_cpu_s += client_cpu

    def summary(self) -> dict[str, Any]:
        return summarize_load(self.answers, self.seconds, self.server_cpu_s, self.client_cpu_s)


@lru_cache(maxsize=1)
def common_characters() -> tuple[str, ...]:
    """The CJK characters of the bundled corpus, most frequent first."""
    from bench.synthetic import load_material

    counts = Counter(c for s in load_material().sentences for c in s if "\u4e00" <= c <= "\u9fff")
    return tuple(c for c, _ in sorted(counts.items(), key=lambda cc: (-cc[1], cc[0])))


def adversarial_queries() -> dict[str, str]:
    """Queries built to cost the most, by label (each within the 500 characters q may hold)."""
    rng = random.Random(12)
    top = common_characters()
    cjk = [chr(c) for c in range(0x4E00, 0x9FA6)]
    from bench.synthetic import load_material

    longest = max(load_material().sentences, key=len)
    return {
        "500 random CJK characters": "".join(rng.choice(cjk) for _ in range(500)),
        "250 random CJK characters, spaced": " ".join(rng.choice(cjk) for _ in range(250))[:500],
        "250 × 援": " ".join(["援"] * 250),
        "166 × -的": " ".join(["-的"] * 166),
        "的": top[0],
        "8 commonest characters": " ".join(top[:8]),
        "32 commonest characters": " ".join(top[:32]),
        "8 commonest characters ORed": " OR ".join(top[:8]),
        "32 commonest characters ORed": " OR ".join(top[:32]),
        "援疆 and 31 commonest negated": "援疆 " + " ".join("-" + c for c in top[:31]),
        "援 and 31 commonest characters": "援 " + " ".join(top[1:32]),
        "the longest sentence, quoted": '"' + longest[:480] + '"',
        "32 common words ORed": " OR ".join(["援疆", "新疆", "发展", "工作", "建设", "上海", "和田", "喀什", "克拉玛依",
                                             "北京", "天津", "干部", "教育", "医疗", "产业", "企业", "项目", "群众",
                                             "乡村", "振兴", "人才", "合作", "服务", "推进", "经济", "社会",
                                             "文化", "旅游", "民族", "团结", "对口", "支援"]),
    }


def adversarial(port: int) -> dict[str, Any]:
    """Each costly query's status, time and (when refused) the message; the slowest answered one."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    out: dict[str, Any] = {}
    for label, query in adversarial_queries().items():
        began = time.perf_counter()
        conn.request("GET", "/api/search?" + urlencode({"q": query}))
        response = conn.getresponse()
        body = json.loads(response.read())
        ms = round((time.perf_counter() - began) * 1000, 1)
        out[label] = {"status": response.status, "ms": ms,
                      **({"total": body["total"]} if response.status == 200 else {"error": body.get("error")})}
    conn.close()
    answered = {label: r for label, r in out.items() if r["status"] == 200}
    slowest = max(answered, key=lambda label: answered[label]["ms"], default=None)
    return {"queries": out, "slowest_answered": slowest, "slowest_answered_ms": answered[slowest]["ms"] if slowest else None}


def measure_load(index_dir: Path, log_dir: Path, n: int, workers: int) -> dict[str, Any]:
    """Throughput of 1 and of workers processes, their loads taken in turns (with exports and
    costly queries on the latter)."""
    with (serving(index_dir, log_dir / f"server-n{n}-w1.log", 1) as one,
          serving(index_dir, log_dir / f"server-n{n}-w{workers}.log", workers) as many):
        servers = (one, many)
        for served in servers:
            run_clients(served.port, mix_plans(CLIENTS, len(QUERY_MIX)))  # warm-up: every worker sees the mix
        loads = (_Loads(), _Loads())
        for turn in range(LOAD_TURNS):  # one, many, many, one, one, many …: a drift weighs on both alike
            for i in (0, 1) if turn % 2 == 0 else (1, 0):
                loads[i].run(servers[i], mix_plans(CLIENTS, REQUESTS_PER_CLIENT), LOAD_SECONDS / LOAD_TURNS)
        exporting = _Loads()
        exporting.run(many, mix_plans(CLIENTS, REQUESTS_PER_CLIENT, export_url(n)), EXPORT_SECONDS)
        out = []
        for served, count, load in zip(servers, (1, workers), loads):
            out.append({"workers": count, "searches": load.summary(), "memory": served.memory(),
                        "adversarial": adversarial(served.port)})
        out[1]["with_exports"] = exporting.summary()
        out[1]["export_url"] = export_url(n)
    one_worker, many_workers = out
    return {
        "clients": CLIENTS,
        "turns": LOAD_TURNS,
        "one_worker": one_worker,
        "workers": many_workers,
        "speedup": round(many_workers["searches"]["requests_per_s"] / one_worker["searches"]["requests_per_s"], 2),
        "export_p95_ratio": round(many_workers["with_exports"]["search_ms"]["p95"]
                                  / many_workers["searches"]["search_ms"]["p95"], 2),
    }
