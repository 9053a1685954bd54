"""The load phase's clients: many keep-alive connections driven by one thread, so that sending the
load costs the machine as little as it can.

The server under load shares the machine's cores with its clients: each core the clients take is
one the workers cannot have. A thread per client, each with http.client, cost about 280 µs of CPU
a request (its header parsing and sixteen threads taking turns at one interpreter lock) — an eighth
of a core at 450 requests/s. Here one thread watches every connection with a selector, and reads
each answer with the little HTTP/1.1 it needs: the status line, Content-Length or chunked transfer
encoding, or a body that ends when the server closes the connection.
"""

from __future__ import annotations

import itertools
import selectors
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass

HOST = "127.0.0.1"
READ_SIZE = 256 * 1024


@dataclass(frozen=True, slots=True)
class Answer:
    """One request under load: what it was, its status, its time and size."""

    kind: str  # "search" or "export"
    status: int
    ms: float
    size: int  # bytes of the body (as sent, once chunked encoding is taken off)


class _Reply:
    """One HTTP/1.1 response read as its bytes arrive: done once its body is whole."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.status: int | None = None
        self.length: int | None = None  # Content-Length; None: chunked, or until the connection closes
        self.chunked = False
        self.close = False  # the server closes the connection after this response
        self.at = 0  # where the unread part of the body starts in buffer
        self.size = 0  # body bytes read so far
        self.done = False

    def feed(self, data: bytes) -> None:
        self.buffer += data
        if self.status is None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
            self.status = int(lines[0].split(" ", 2)[1])
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip().lower()
            self.chunked = "chunked" in headers.get("transfer-encoding", "")
            if not self.chunked and "content-length" in headers:
                self.length = int(headers["content-length"])
            self.close = headers.get("connection") == "close" or (not self.chunked and self.length is None)
            self.at = end + 4
        if self.chunked:
            self._chunks()
        elif self.length is not None:
            self.size = len(self.buffer) - self.at
            self.done = self.size >= self.length
            self.size = min(self.size, self.length)

    def _chunks(self) -> None:
        """Take every whole chunk off the buffer; done at the last (empty) one and its ending."""
        while not self.done:
            eol = self.buffer.find(b"\r\n", self.at)
            if eol < 0:
                return
            size = int(bytes(self.buffer[self.at:eol]).split(b";")[0], 16)
            end = eol + 2 + size + 2  # the chunk and the line ending after it
            if len(self.buffer) < end:
                return
            self.size += size
            del self.buffer[:end]
            self.at = 0
            self.done = size == 0

    def ended(self) -> None:
        """The server closed the connection: a body read until then is whole."""
        if self.status is not None and not self.chunked and self.length is None:
            self.size = len(self.buffer) - self.at
            self.done = True


class _Client:
    """One keep-alive connection sending its plan (once, or round and round) one request at a time."""

    def __init__(self, port: int, plan: list[tuple[str, str]], cycle: bool) -> None:
        self.port = port
        self.plan: Iterator[tuple[str, str]] = itertools.cycle(plan) if cycle else iter(plan)
        self.requests = {url: f"GET {url} HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode() for _, url in plan}
        self.sock: socket.socket | None = None
        self.kind = ""
        self.began = 0.0
        self.reply = _Reply()

    def connect(self) -> socket.socket:
        self.sock = socket.create_connection((HOST, self.port), timeout=300)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.sock

    def send(self, step: tuple[str, str]) -> None:
        """Send one request of the plan."""
        self.kind, url = step
        self.reply = _Reply()
        self.began = time.perf_counter()
        assert self.sock is not None
        self.sock.sendall(self.requests[url])

    def answer(self, status: int | None = None) -> Answer:
        return Answer(self.kind, (self.reply.status or 0) if status is None else status,
                      (time.perf_counter() - self.began) * 1000, self.reply.size)


def run_clients(port: int, plans: list[list[tuple[str, str]]],
                seconds: float | None = None) -> tuple[list[Answer], float, float]:
    """One connection per plan, all at once: each plan sent once, or (seconds given) round and round
    until that long after the start. Every answer, the wall time until the last one, and the CPU
    time the clients took (s)."""
    selector = selectors.DefaultSelector()
    clients = [_Client(port, plan, seconds is not None) for plan in plans]
    for client in clients:
        selector.register(client.connect(), selectors.EVENT_READ, client)
    answers: list[Answer] = []
    began, cpu = time.perf_counter(), time.process_time()
    deadline = None if seconds is None else began + seconds

    def next_or_close(client: _Client, reconnect: bool) -> None:
        """The plan's next request (on a new connection if the last one was closed), or, once the
        plan or the time is over, close the connection."""
        step = None if deadline is not None and time.perf_counter() >= deadline else next(client.plan, None)
        if step is None or reconnect:
            selector.unregister(client.sock)
            client.sock.close()
            if step is None:
                return
            selector.register(client.connect(), selectors.EVENT_READ, client)
        client.send(step)

    for client in clients:
        next_or_close(client, reconnect=False)
    while selector.get_map():
        for key, _ in selector.select():
            client: _Client = key.data
            try:
                data = client.sock.recv(READ_SIZE)
            except OSError:
                data = None
            if data:
                client.reply.feed(data)
                if client.reply.done:
                    answers.append(client.answer())
                    next_or_close(client, reconnect=client.reply.close)
                continue
            # Closed by the server (or failed): a body that ends with the connection is whole.
            if data is not None:
                client.reply.ended()
            answers.append(client.answer() if client.reply.done else client.answer(status=0))
            next_or_close(client, reconnect=True)
    return answers, time.perf_counter() - began, time.process_time() - cpu
