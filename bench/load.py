"""The load phase: concurrent clients against 1 and N worker processes, exports in the mix, and the
costliest queries the API is sent.

* **Throughput** — CLIENTS clients, each on its own keep-alive connection, send the fixed query
  mix (each from its own offset) as fast as they are answered for LOAD_SECONDS, against a server of
  one worker and one of N (the cores); requests per second and latency under that load. The load
  lasts a fixed time, not a fixed number of requests: the kernel hands each connection to whichever
  worker accepts it first, so the workers hold unequal shares of the clients (11 and 5 of 16 is
  common), and a fixed number of requests per client would end with the busier worker serving alone
  — measuring that split, not what N processes can answer.
* **Exports in the mix** — the same load on the N-worker server with one request in twenty an
  export of a large result (`援 OR 的`, about 10,000 rows whatever the corpus size), read to its end;
  search latency is compared with the run without exports. Exports beyond the server's limit are
  answered 429 and counted.
* **Costly queries** — the queries that once took a second at 10,000 articles (500 random CJK
  characters, 250 × 援, 166 × -的) and others built to read as much as possible (the most common
  characters ANDed, ORed and negated, a long phrase): each is answered (with its time) or refused
  with the limit it broke; the slowest answered one is the figure.
"""

from __future__ import annotations

import datetime as dt
import http.client
import itertools
import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.queries import QUERY_MIX
from bench.server import ServerFailed, cpu_seconds, serving
from bench.stats import summarize

CLIENTS = 16
REQUESTS_PER_CLIENT = 40  # each client's plan, sent in a cycle
LOAD_SECONDS = 10.0  # how long each measured load lasts
EXPORT_EVERY = 20  # one request in twenty is an export: 5%
EXPORT_QUERY = "援 OR 的"
EXPORT_ROWS = 10_000  # about how many rows an export holds (its dates are narrowed on larger corpora)


@dataclass(frozen=True, slots=True)
class Answer:
    """One request under load: what it was, its status, its time and size."""

    kind: str  # "search" or "export"
    status: int
    ms: float
    size: int


def export_url(n: int) -> str:
    """The export of the mix: EXPORT_QUERY as CSV, its dates narrowed to hold about EXPORT_ROWS of n articles."""
    params = {"q": EXPORT_QUERY, "format": "csv"}
    if n > EXPORT_ROWS:
        # The synthetic articles' dates are spread evenly over 2010–2025.
        first, last = dt.date(2010, 1, 1), dt.date(2025, 12, 31)
        params["from"] = first.isoformat()
        params["to"] = (first + (last - first) * EXPORT_ROWS / n).isoformat()
    return "/api/search?" + urlencode(params)


def _client(port: int, urls: list[tuple[str, str]], out: list[Answer], start: threading.Barrier,
            seconds: float | None) -> None:
    """Send urls one after another on one keep-alive connection, recording each answer: once each,
    or (seconds given) over and over until that long after the start."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    start.wait()
    deadline = None if seconds is None else time.perf_counter() + seconds
    plan = urls if deadline is None else itertools.cycle(urls)
    for kind, url in plan:
        if deadline is not None and time.perf_counter() >= deadline:
            break
        began = time.perf_counter()
        try:
            conn.request("GET", url)
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            out.append(Answer(kind, 0, (time.perf_counter() - began) * 1000, 0))
            continue
        out.append(Answer(kind, response.status, (time.perf_counter() - began) * 1000, len(body)))
    conn.close()


def run_clients(port: int, plans: list[list[tuple[str, str]]],
                seconds: float | None = None) -> tuple[list[Answer], float, float]:
    """Run one client thread per plan at once (each plan once, or in a cycle for seconds); every
    answer, the wall time until the last client's last answer and the clients' CPU time (s)."""
    answers: list[list[Answer]] = [[] for _ in plans]
    start = threading.Barrier(len(plans) + 1)
    threads = [threading.Thread(target=_client, args=(port, plan, out, start, seconds), daemon=True)
               for plan, out in zip(plans, answers)]
    for thread in threads:
        thread.start()
    start.wait()
    began, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.join()
    return [a for out in answers for a in out], time.perf_counter() - began, time.process_time() - cpu


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


def throughput(index_dir: Path, log_path: Path, workers: int, n: int, with_exports: bool) -> dict[str, Any]:
    """CLIENTS clients against a server of workers processes: searches only, then (with_exports) with exports."""
    out: dict[str, Any] = {"workers": workers}
    with serving(index_dir, log_path, workers) as served:
        run_clients(served.port, mix_plans(CLIENTS, len(QUERY_MIX)))  # warm-up: every worker sees the mix
        settle(served.proc.pid)
        before = cpu_seconds(served.proc.pid)
        answers, seconds, client_cpu = run_clients(served.port, mix_plans(CLIENTS, REQUESTS_PER_CLIENT), LOAD_SECONDS)
        out["searches"] = summarize_load(answers, seconds, cpu_seconds(served.proc.pid) - before, client_cpu)
        if with_exports:
            settle(served.proc.pid)
            before = cpu_seconds(served.proc.pid)
            answers, seconds, client_cpu = run_clients(served.port, mix_plans(CLIENTS, REQUESTS_PER_CLIENT, export_url(n)),
                                                        LOAD_SECONDS)
            out["with_exports"] = summarize_load(answers, seconds, cpu_seconds(served.proc.pid) - before, client_cpu)
            out["export_url"] = export_url(n)
        out["memory"] = served.memory()
        out["adversarial"] = adversarial(served.port)
    return out


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
    """Throughput of 1 and of workers processes (with exports and costly queries on the latter)."""
    one = throughput(index_dir, log_dir / f"server-n{n}-w1.log", 1, n, with_exports=False)
    many = throughput(index_dir, log_dir / f"server-n{n}-w{workers}.log", workers, n, with_exports=True)
    return {
        "clients": CLIENTS,
        "one_worker": one,
        "workers": many,
        "speedup": round(many["searches"]["requests_per_s"] / one["searches"]["requests_per_s"], 2),
        "export_p95_ratio": round(many["with_exports"]["search_ms"]["p95"] / many["searches"]["search_ms"]["p95"], 2),
    }
