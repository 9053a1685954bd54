"""Serving the app on every core: gunicorn's arbiter runs the worker processes, waitress speaks HTTP in each.

gunicorn's arbiter is the process manager: it forks N workers that share one listening socket and
the index through the page cache, restarts a worker that dies, and stops them all on Ctrl+C or
SIGTERM (letting requests in progress finish). Each worker answers with waitress rather than with
gunicorn's own threaded worker, which gives every new connection a thread for up to 5 s before it
sends anything and reads a request's headers from a blocking socket: a hundred idle connections
then keep new clients waiting. Waitress reads each request whole in its event loop before a thread
sees it, so idle and slow clients hold a connection slot (CONNECTION_LIMIT) but no thread, and a
connection silent for CHANNEL_TIMEOUT seconds is closed.

A request line carrying raw UTF-8 (curl 'http://host/?q=援疆', which curl sends unencoded) is
percent-encoded here before it is parsed, so the app decodes it as a browser's encoded URL, instead
of waitress answering "Bad URI" in plain text; a request waitress refuses before the app sees it
(malformed, a body too large, headers too large) is answered in the API's error shape too.

Connections are spread over the workers by the kernel, not by which worker is first to accept: the
listening socket is in an SO_REUSEPORT group, and each worker of several adds a listening socket of
its own to it, so new connections are dealt out over the sockets by a hash of their addresses. On
one shared socket, a burst of keep-alive connections (16 clients starting at once) went mostly, at
times wholly, to the worker that woke first, and the other core stayed idle for as long as those
connections lasted. The shared socket stays in the group, its connections accepted by any worker:
one that arrives before the workers have their own sockets waits there, as a worker restarts.

The generation open when the workers are forked is shared by them (its arrays, and its gram files
mapped read-only); each worker opens its own Whoosh searchers (open files are never shared across
fork) and its own later generations, noticed as every SearchService notices them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.workers.base import Worker
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ErrorTask

from indexer.forking import cores

# Per worker process: open connections it holds (more wait in the listen backlog until one closes),
# and how long a connection may stay silent — no request and no bytes read — before it is closed.
CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT_S = 30
CLEANUP_INTERVAL_S = 5  # how often silent connections are looked for
BACKLOG = 1024  # connections the kernel queues before any worker accepts them
MAX_REQUEST_BODY = 64 * 1024  # every route is a GET: a body is never needed
GRACEFUL_TIMEOUT_S = 10  # on SIGTERM, how long requests in progress may take to finish
WORKER_TIMEOUT_S = 30  # a worker whose heartbeat stops this long is restarted
OPEN_FILES = 4096  # soft limit asked for, so CONNECTION_LIMIT connections fit beside the index files
# The signals that stop a worker: blocked across the arbiter's fork until the worker has its handlers.
STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT, signal.SIGQUIT})

_NOT_ASCII = re.compile(rb"[\x80-\xff]")
# What a request waitress refuses is told, by status (the app's error shape: {"error", "status"}).
_REFUSED = {
    400: "请求无法解析：请检查请求行和请求头的格式",
    413: f"请求体太大：最多 {MAX_REQUEST_BODY // 1024} KB（本服务只接受 GET 请求，不需要请求体）",
    431: "请求头太大：请缩短网址或减少请求头",
    501: "不支持这种请求：请求体的传输编码无法识别",
}


def default_workers() -> int:
    """One worker per core this process may run on."""
    return cores()


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How many processes and threads serve, and the connection limits of each process."""

    workers: int = 1
    threads: int = 8
    connection_limit: int = CONNECTION_LIMIT
    channel_timeout: int = CHANNEL_TIMEOUT_S

    def waitress(self) -> dict[str, Any]:
        """waitress's adjustments for one worker process."""
        return {
            "threads": self.threads,
            "connection_limit": self.connection_limit,
            "channel_timeout": self.channel_timeout,
            "cleanup_interval": CLEANUP_INTERVAL_S,
            "max_request_body_size": MAX_REQUEST_BODY,
            # poll(), not select(): select() cannot watch more than 1,024 connections.
            "asyncore_use_poll": True,
            "ident": "xjsearch",
        }


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening (port 0: any free port); OSError if it cannot be.

    It is bound before SO_REUSEPORT is set, so a port any other socket holds — another server's,
    even one that shares its port — is refused; set after, it lets the workers' own sockets join it.
    """
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        with contextlib.suppress(AttributeError, OSError):  # no SO_REUSEPORT: the workers share this one
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def listen_beside(shared: socket.socket) -> socket.socket | None:
    """A listening socket of this process's own in shared's SO_REUSEPORT group (its address); None
    where the system has no such groups or shared is in none."""
    if not hasattr(socket, "SO_REUSEPORT") or not shared.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT):
        return None
    sock = socket.socket(shared.family, shared.type, shared.proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        if shared.family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(shared.getsockname())
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        return None
    return sock


class _Utf8Parser(HTTPRequestParser):
    """waitress's request parser, with raw UTF-8 (any byte above 127) of the request line percent-encoded."""

    def parse_header(self, header_plus: bytes) -> None:
        line, sep, rest = header_plus.partition(b"\r\n")
        line = _NOT_ASCII.sub(lambda m: b"%%%02X" % m.group()[0], line)
        super().parse_header(line + sep + rest)


class _RefusedTask(ErrorTask):
    """waitress's answer to a request it refuses, as the app's JSON error instead of plain text."""

    def execute(self) -> None:
        code = self.request.error.code
        body = json.dumps({"error": _REFUSED.get(code, "服务器内部错误"), "status": code},
                          ensure_ascii=False).encode("utf-8")
        self.status = f"{code} {self.request.error.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    """A waitress connection whose requests are read by _Utf8Parser, refusals told by _RefusedTask."""

    parser_class = _Utf8Parser
    error_task_class = _RefusedTask


class Listening:
    """A waitress server answering an app on listening sockets, in this process: run() serves."""

    def __init__(self, app: Callable[..., Any], socks: list[socket.socket], settings: ServerSettings) -> None:
        self.map: dict[int, Any] = {}  # waitress's: its listeners and connections by file descriptor
        self.server = create_server(app, map=self.map, sockets=socks, **settings.waitress())
        self.listeners = [each for each in self.map.values() if isinstance(each, BaseWSGIServer)]
        for listener in self.listeners:
            listener.channel_class = _Channel

    def run(self) -> None:
        """Serve until SystemExit in this thread ends waitress's event loop."""
        self.server.run()

    def stop_accepting(self) -> None:
        """The event loop stops watching the listening sockets (connections open stay served)."""
        for listener in self.listeners:
            listener.accepting = False

    def busy(self) -> bool:
        """Whether a request is being answered, or an answer is still being sent."""
        tasks = self.server.task_dispatcher
        if tasks.active_count or tasks.queue:
            return True
        return any(getattr(channel, "requests", None) or getattr(channel, "total_outbufs_len", 0)
                   for channel in list(self.map.values()))


class WaitressWorker(Worker):
    """A gunicorn worker process that answers HTTP with waitress on the arbiter's listening socket.

    Ctrl+C (SIGINT) or SIGQUIT stops it at once; SIGTERM (or the arbiter going away) stops it
    gracefully: no new connection is accepted, and requests in progress are answered first.
    """

    def init_signals(self) -> None:
        """gunicorn's handlers, then the stop signals the arbiter held back across the fork (see
        _stop_signals_held_across_forks): one that came meanwhile is handled now, not lost."""
        super().init_signals()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

    def run(self) -> None:
        """Open the index, then serve until told to stop."""
        settings: ServerSettings = self.app.settings
        _raise_open_files()
        self.app.worker_started()
        shared = self.sockets[0].sock
        own = listen_beside(shared) if settings.workers > 1 else None
        self.server = Listening(self.wsgi, [shared] + ([own] if own else []), settings)
        threading.Thread(target=self._heartbeat, name="xjsearch-heartbeat", daemon=True).start()
        self.server.run()  # until SystemExit in this thread (handle_quit) ends waitress's event loop

    def _heartbeat(self) -> None:
        """Tell the arbiter this worker lives; once it should stop, let requests finish, then stop."""
        while self.alive:
            self.notify()
            if os.getppid() != self.ppid:  # the arbiter is gone
                self.alive = False
                break
            time.sleep(1.0)
        self.server.stop_accepting()
        deadline = time.monotonic() + GRACEFUL_TIMEOUT_S
        while time.monotonic() < deadline and self.server.busy():
            self.notify()
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGQUIT)  # handle_quit raises SystemExit in the event loop's thread


_forking_arbiter: int | None = None  # while an arbiter runs, its pid: it holds stop signals across its forks


def _block_in_arbiter() -> None:
    if os.getpid() == _forking_arbiter:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


def _unblock_in_arbiter() -> None:
    if os.getpid() == _forking_arbiter:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


os.register_at_fork(before=_block_in_arbiter, after_in_parent=_unblock_in_arbiter)


@contextlib.contextmanager
def _stop_signals_held_across_forks() -> Iterator[None]:
    """While this process is the arbiter, block the stop signals each time it forks a worker, and
    leave them blocked in the worker until WaitressWorker.init_signals has set its handlers.

    Between fork and init_signals a worker still has the arbiter's handlers, which only queue the
    signal in the worker's copy of the arbiter, where nothing reads it: a SIGTERM sent to a worker
    that was starting was lost, and stopping the server waited the whole graceful timeout before
    the arbiter killed the worker. Blocked, the signal stays pending and reaches the worker's handler.
    """
    global _forking_arbiter
    # An arbiter re-executed by an old one (SIGUSR2) starts with the mask of the fork that made it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    _forking_arbiter = os.getpid()
    try:
        yield
    finally:
        if os.getpid() == _forking_arbiter:
            _forking_arbiter = None


def _raise_open_files() -> None:
    """Raise this process's soft limit of open files to OPEN_FILES, where the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES if hard == resource.RLIM_INFINITY else min(OPEN_FILES, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


class _Arbiter(BaseApplication):
    """gunicorn configured in code: our socket, our worker class, the app loaded once before forking."""

    def __init__(self, app: Callable[..., Any], sock: socket.socket, settings: ServerSettings,
                 on_worker_start: Callable[[], None]) -> None:
        self.application = app
        self.fd = sock.detach()  # gunicorn owns the listening socket from here on
        self.settings = settings
        self.worker_started = on_worker_start
        super().__init__()

    def load_config(self) -> None:
        """The gunicorn settings; nothing is read from the command line or a config file."""
        for key, value in {
            "bind": [f"fd://{self.fd}"],
            "workers": self.settings.workers,
            "worker_class": WaitressWorker,
            # Imports, the segmenter and the folding table are loaded once and shared by the workers.
            "preload_app": True,
            "timeout": WORKER_TIMEOUT_S,
            "graceful_timeout": GRACEFUL_TIMEOUT_S + 5,
            "backlog": BACKLOG,
            # No control socket: it would be one per user (~/.gunicorn), shared by every server.
            "control_socket_disable": True,
            "loglevel": "warning",
            "proc_name": "xjsearch",
        }.items():
            self.cfg.set(key, value)

    def load(self) -> Callable[..., Any]:
        """The WSGI app (made before the arbiter starts)."""
        return self.application


def run_server(app: Callable[..., Any], sock: socket.socket, settings: ServerSettings,
               on_worker_start: Callable[[], None]) -> int:
    """Serve app on sock from settings.workers processes until stopped; the arbiter's exit status.

    on_worker_start runs in each worker process before it serves (it opens the index there).
    """
    arbiter = os.getpid()
    try:
        with _stop_signals_held_across_forks():
            _Arbiter(app, sock, settings, on_worker_start).run()
    except SystemExit as stopped:
        if os.getpid() != arbiter:
            raise  # a worker process ending: it exits here, the caller is the arbiter's
        return stopped.code if isinstance(stopped.code, int) else 1
    return 0
