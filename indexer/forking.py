"""Work done in a forked process while this one goes on, for the two cores of a machine.

A Forked call runs a function in a child process forked from this one, so that the child sees
everything this process holds (mapped signature files, open segments) without anything being
pickled on the way in; its value comes back pickled through a pipe. Should the child fail, the
function is called here instead: work is lost to the failure, never the answer.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
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


class Forked:
    """fn(*args), computed in a forked process from now; result() waits for its value."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._fn, self._args = fn, args
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(fn, args, send), daemon=True)
        self._process.start()
        send.close()

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
