"""The server `xjsearch serve` runs: worker processes sharing the index, connections, raw request lines."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest

from indexer.build import update_index
from web.server import GRACEFUL_TIMEOUT_S
from web_articles import WEB_ARTICLES

ROOT = Path(__file__).resolve().parents[3]


class Server:
    """A running `xjsearch serve` on a free port."""

    def __init__(self, index_dir: Path, workers: int, env: dict[str, str] | None = None, first: str = "") -> None:
        """first: Python run in the server's process before the command (to slow it down somewhere)."""
        self.process = subprocess.Popen(
            [sys.executable, "-c", f"{first}\nfrom web.cli import main; main()", "serve", "--index", str(index_dir),
             "--port", "0", "--workers", str(workers), "--threads", "4"],
            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.process.stdout.readline()  # xjsearch: N articles, index …
        served = re.fullmatch(r"serving at http://127\.0\.0\.1:(\d+)/  \(Ctrl\+C stops\)\n",
                              self.process.stdout.readline())
        assert served, self.process.stderr.read()
        self.port = int(served.group(1))

    def get(self, path: str) -> tuple[int, bytes]:
        """GET path on a connection of its own: status and body."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def health_of_each_worker(self, workers: int) -> dict[int, dict]:
        """/api/health as each worker answers it (new connections until every worker has answered)."""
        seen: dict[int, dict] = {}
        for _ in range(400):
            health = json.loads(self.get("/api/health")[1])
            seen[health["worker"]] = health
            if len(seen) == workers:
                return seen
        raise AssertionError(f"only workers {sorted(seen)} answered")

    def stop(self) -> tuple[int, str]:
        """SIGTERM, as a service manager stops it: its exit status and what it printed last."""
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=30)
        return self.process.returncode, out


@pytest.fixture(scope="module")
def two_workers(web_index):
    """The web test index served by two worker processes."""
    server = Server(web_index, workers=2)
    yield server
    server.stop()


def raw_get(port: int, target: bytes) -> tuple[int, dict[str, str], bytes]:
    """A GET of target exactly as given, on a raw socket: status, headers, body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split()[1]), headers, body


def test_every_worker_answers_and_each_is_a_process_of_its_own(two_workers):
    workers = two_workers.health_of_each_worker(2)
    assert len(workers) == 2 and two_workers.process.pid not in workers
    assert [(h["status"], h["articles"], h["generation"]) for h in workers.values()] == [("ok", 6, 1)] * 2


def listening_sockets(pid: int, port: int) -> set[int]:
    """The inodes of the listening TCP sockets on port that process pid holds."""
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                listening.add(int(fields[9]))
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                held.add(int(target[8:-1]))
    return listening & held


def test_each_worker_listens_on_a_socket_of_its_own_beside_the_shared_one(two_workers):
    workers = list(two_workers.health_of_each_worker(2))
    shared = listening_sockets(two_workers.process.pid, two_workers.port)
    own = [listening_sockets(pid, two_workers.port) - shared for pid in workers]
    assert len(shared) == 1
    assert all(listening_sockets(pid, two_workers.port) >= shared for pid in workers)
    assert [len(sockets) for sockets in own] == [1, 1] and not own[0] & own[1]


def test_a_burst_of_keep_alive_connections_is_spread_over_the_workers(two_workers):
    # 60 connections opened at once, before any request: on one shared socket, the worker that woke
    # first could accept nearly all of them. Dealt out by the kernel, each worker gets its own share.
    two_workers.health_of_each_worker(2)  # both have started, with their own sockets
    connections = [http.client.HTTPConnection("127.0.0.1", two_workers.port, timeout=30) for _ in range(60)]
    for conn in connections:
        conn.connect()
    answered_by = Counter()
    for conn in connections:
        conn.request("GET", "/api/health")
        answered_by[json.loads(conn.getresponse().read())["worker"]] += 1
        conn.close()
    assert len(answered_by) == 2 and min(answered_by.values()) >= 6, answered_by


def test_a_raw_utf8_request_line_is_read_as_the_url_a_browser_would_have_encoded(two_workers):
    # curl 'http://127.0.0.1:5000/api/search?q=援疆' sends the characters unencoded.
    status, headers, body = raw_get(two_workers.port, "/api/search?q=援疆&per_page=2".encode())
    encoded = json.loads(two_workers.get(f"/api/search?q={quote('援疆')}&per_page=2")[1])
    answer = json.loads(body)
    assert (status, headers["Content-Type"]) == (200, "application/json")
    assert (answer["query"], answer["total"], answer["hits"]) == ("援疆", 4, encoded["hits"])


def test_a_raw_utf8_page_url_shows_the_results_page(two_workers):
    status, headers, body = raw_get(two_workers.port, "/?q=援疆".encode())
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert 'value="援疆"' in body.decode("utf-8")


def test_bytes_that_are_no_utf8_are_read_as_their_percent_encoding(two_workers):
    # 援疆 in GBK: no UTF-8, yet an answer in the API's shape, the same as for the encoded URL.
    status, headers, body = raw_get(two_workers.port, b"/api/search?q=\xd4\xae\xbd\xae")
    encoded = json.loads(two_workers.get("/api/search?q=%D4%AE%BD%AE")[1])
    answer = json.loads(body)
    assert (status, headers["Content-Type"]) == (200, "application/json")
    assert (answer["query"], answer["total"]) == (encoded["query"], 0)


def test_idle_connections_do_not_keep_a_new_client_waiting(two_workers):
    # Waitress's default of 100 connections, once taken by clients that sent nothing, made every
    # new client wait; each worker now holds up to 1,000, and none of them holds a thread.
    idle = [socket.create_connection(("127.0.0.1", two_workers.port), timeout=30) for _ in range(300)]
    try:
        time.sleep(0.5)  # every one of them accepted by a worker by now
        status, body = two_workers.get("/api/search?q=%E6%8F%B4%E7%96%86&per_page=1")
        assert (status, json.loads(body)["total"]) == (200, 4)
    finally:
        for sock in idle:
            sock.close()


def test_every_worker_searches_a_new_generation_without_a_restart(tmp_path):
    index_dir = tmp_path / "index"
    update_index(WEB_ARTICLES[:2], index_dir)
    server = Server(index_dir, workers=2)
    try:
        before = server.health_of_each_worker(2)
        assert sorted((h["articles"], h["generation"]) for h in before.values()) == [(2, 1), (2, 1)]
        assert server.get("/api/articles/tianjin")[0] == 404
        update_index(WEB_ARTICLES[:3], index_dir)  # a reindex while serving: tianjin is added
        after = server.health_of_each_worker(2)
        assert sorted(after) == sorted(before)  # the same processes, not restarted
        assert sorted((h["articles"], h["generation"]) for h in after.values()) == [(3, 2), (3, 2)]
        for _ in range(8):  # whichever worker answers
            status, body = server.get("/api/articles/tianjin")
            assert (status, json.loads(body)["title"]) == (200, "天津“组团式”援疆")
    finally:
        server.stop()


def test_sigterm_stops_the_arbiter_and_every_worker(web_index):
    server = Server(web_index, workers=2)
    workers = server.health_of_each_worker(2)
    status, out = server.stop()
    assert (status, out) == (0, "stopped\n")
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists()] == []


def children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_sigterm_stops_workers_still_starting_without_waiting_for_the_graceful_timeout(web_index):
    # Each worker sleeps a second as soon as it is forked, before it has set its own signal handlers.
    server = Server(web_index, workers=2,
                    first="import os, time; os.register_at_fork(after_in_child=lambda: time.sleep(1))")
    deadline = time.monotonic() + 10
    while len(children(server.process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    workers = children(server.process.pid)
    assert len(workers) == 2
    began = time.monotonic()
    status, out = server.stop()  # while both workers sleep
    # Not lost: each worker stops as soon as it has its handlers, not killed after the graceful timeout.
    assert time.monotonic() - began < GRACEFUL_TIMEOUT_S
    assert (status, out) == (0, "stopped\n")
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists()] == []


def test_an_export_beyond_the_limit_is_a_429_with_retry_after(web_index):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX": str(web_index), "MAX_EXPORTS": 2}).test_client()
    url = f"/api/search?q={quote('援疆')}&format=csv"
    first, second = client.get(url, buffered=False), client.get(url, buffered=False)
    assert (first.status_code, second.status_code) == (200, 200)
    refused = client.get(url.replace("csv", "jsonl"), buffered=False)
    assert (refused.status_code, refused.headers["Retry-After"], refused.get_json()) == (
        429, "10", {"error": "导出太多：本服务进程同时最多进行 2 个导出，请 10 秒后再试", "status": 429})
    # A search is no export: it is answered while every export slot is taken.
    assert client.get(f"/api/search?q={quote('援疆')}").get_json()["total"] == 4
    # The stream ended (or its client went away): its slot is free again. (Streams close in the
    # order the test client's request contexts allow: the last opened first.)
    second.close()
    again = client.get(url, buffered=False)
    assert again.status_code == 200
    for response in (again, first):
        response.close()


def test_a_bad_export_gives_its_slot_back(web_index):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX": str(web_index), "MAX_EXPORTS": 1}).test_client()
    assert client.get("/api/search?q=援疆)&format=csv").status_code == 400
    exported = client.get(f"/api/search?q={quote('援疆')}&format=csv")
    assert (exported.status_code, exported.headers["X-Total-Count"]) == (200, "4")


def test_an_export_read_to_its_end_gives_its_slot_back_before_it_is_closed(web_index):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX": str(web_index), "MAX_EXPORTS": 1}).test_client()
    for fmt in ("csv", "jsonl", "csv"):  # read whole, never closed
        exported = client.get(f"/api/search?q={quote('援疆')}&format={fmt}")
        rows = exported.get_data(as_text=True).splitlines()
        assert (exported.status_code, len(rows)) == (200, 4 + (fmt == "csv"))


@pytest.mark.parametrize("value", [0, "two", True])
def test_max_exports_must_be_a_whole_number_of_at_least_one(value):
    from web import create_app
    from web.params import BadConfig

    with pytest.raises(BadConfig) as error:
        create_app({"MAX_EXPORTS": value})
    assert str(error.value) == f"MAX_EXPORTS (XJSEARCH_MAX_EXPORTS) must be a whole number of at least 1, not {value!r}"


def raw_request(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send request bytes as they are and read the answer: status, headers, body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        time.sleep(0.2)  # the answer comes before the rest of a refused request would be read
        data = sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    return int(status_line.split()[1]), dict(line.split(": ", 1) for line in lines), body


@pytest.mark.parametrize("request_bytes, status, error", [
    (b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n", 413,
     "请求体太大：最多 64 KB（本服务只接受 GET 请求，不需要请求体）"),
    (b"GET /api/search HTTP/1.1\r\nHost x\r\n\r\n", 400, "请求无法解析：请检查请求行和请求头的格式"),
])
def test_a_request_the_server_refuses_gets_the_api_error_shape(two_workers, request_bytes, status, error):
    answered, headers, body = raw_request(two_workers.port, request_bytes)
    assert (answered, headers["Content-Type"], json.loads(body)) == (
        status, "application/json", {"error": error, "status": status})


def test_a_concordance_export_takes_an_export_slot_too(web_index):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX": str(web_index), "MAX_EXPORTS": 1}).test_client()
    lines = client.get(f"/api/concordance?q={quote('援疆')}&format=csv", buffered=False)
    assert lines.status_code == 200
    refused = client.get(f"/api/search?q={quote('援疆')}&format=jsonl", buffered=False)
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "10")
    lines.close()
    assert client.get(f"/api/search?q={quote('援疆')}&format=jsonl").status_code == 200
