"""Work done in a forked process while this one goes on, for the two cores of a machine.

A Forked call runs a function in a child process forked from this one, so that the child sees
everything this process holds (mapped signature files, open segments) without anything being
pickled on the way in; its value comes back pickled through a pipe. A ForkedStream does the same
for a function that gives a stream of values, each sent as it is made. Should the child fail, the
function is called here instead: work is lost to the failure, never the answer.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

log = logging.getLogger(__name__)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forking a helper is worth it and allowed: a second core, and this process not a
    daemonic one (a writer process, which may not start one)."""
    if cores() < 2:
        return False
    import multiprocessing  # here: a terminal search imports the modules that use this, and needs no process

    return not multiprocessing.current_process().daemon


def _fork(part: Callable[..., None], fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, Any]:
    """A child forked now to run part(fn, args, send), and (the pipe's end it sends to, the process)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=part, args=(fn, args, send), daemon=True)
    process.start()
    send.close()
    return receive, process


class Forked:
    """fn(*args), computed in a forked process from now; result() waits for its value."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self._fn, self._args = fn, args
        self._receive, self._process = _fork(_run, fn, args)

    def result(self) -> Any:
        """The function's value: the child's, or (if it failed) computed here."""
        try:
            return self._receive.recv()
        except (EOFError, OSError):
            self._process.join()
            log.warning("a forked process (%s) failed with exit status %s: its work is done here",
                        getattr(self._fn, "__name__", self._fn), self._process.exitcode)
            return self._fn(*self._args)
        finally:
            self._receive.close()
            self._process.join()


def _run(fn: Callable[..., Any], args: tuple[Any, ...], send: Any) -> None:
    """The child's part: send fn(*args)."""
    send.send(fn(*args))
    send.close()


class ForkedStream:
    """The values of fn(*args), an iterable computed in a forked process from now, read here as they come.

    The child sends each value as it is made; the pipe's buffer (and the next send, which waits
    for it) keeps the child only a little ahead of the reading. fn must give the same values each
    time it is called: should the child fail, those not yet received are computed here from a new
    call, the ones received skipped. close() stops the child (the values not read are dropped).
    """

    def __init__(self, fn: Callable[..., Iterable[Any]], *args: Any) -> None:
        self._fn, self._args = fn, args
        self._receive, self._process = _fork(_stream, fn, args)

    def __iter__(self) -> Iterator[Any]:
        received = 0
        while True:
            try:
                message = self._receive.recv()
            except (EOFError, OSError):
                break
            if message == _END:
                return
            received += 1
            yield message[0]
        self._process.join()
        log.warning("a forked process (%s) failed with exit status %s: the rest of its work is done here",
                    getattr(self._fn, "__name__", self._fn), self._process.exitcode)
        yield from islice(self._fn(*self._args), received, None)

    def close(self) -> None:
        """Stop the child, if it still runs, and let go of the pipe."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


_END = "end"  # sent after the last value (each value is sent in a one-item tuple)


def _stream(fn: Callable[..., Iterable[Any]], args: tuple[Any, ...], send: Any) -> None:
    """The child's part of a ForkedStream: send each value of fn(*args), then _END.

    A failure ends the child without a word: the reading side computes the rest itself, and meets
    the same error there, where it is reported.
    """
    try:
        for value in fn(*args):
            send.send((value,))
        send.send(_END)
    except Exception:  # the parent redoes the work, meets the error and raises it
        os._exit(1)
    finally:
        send.close()
