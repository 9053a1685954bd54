"""Work in a forked process: its value (or its stream of values) comes back, and a failed child's work is done here."""

from __future__ import annotations

import os

import numpy as np

from indexer import forking
from indexer.forking import Forked, ForkedStream


def _where_and_sum(values: np.ndarray) -> tuple[int, int]:
    return os.getpid(), int(values.sum())


def test_a_forked_call_is_computed_in_another_process_and_returns_its_value():
    values = np.arange(100_000)  # seen by the child without being sent to it
    pid, total = Forked(_where_and_sum, values).result()
    assert pid != os.getpid()
    assert total == int(values.sum())


def test_the_work_of_a_failed_child_is_done_here(monkeypatch, caplog):
    def dies(fn, args, send):
        os._exit(3)

    monkeypatch.setattr(forking, "_run", dies)
    pid, total = Forked(_where_and_sum, np.arange(10)).result()
    assert (pid, total) == (os.getpid(), 45)
    assert "failed with exit status 3" in caplog.text


def _squares(count: int) -> list[tuple[int, int]]:
    return [(os.getpid(), n * n) for n in range(count)]


def test_a_forked_stream_gives_the_values_in_order_from_another_process():
    values = list(ForkedStream(_squares, 50))
    assert [square for _, square in values] == [n * n for n in range(50)]
    assert {pid for pid, _ in values} != {os.getpid()}


def test_the_rest_of_a_failed_streams_work_is_done_here(monkeypatch, caplog):
    def dies_after_three(fn, args, send):
        for value in list(fn(*args))[:3]:
            send.send((value,))
        os._exit(4)

    monkeypatch.setattr(forking, "_stream", dies_after_three)
    values = list(ForkedStream(_squares, 10))
    assert [square for _, square in values] == [n * n for n in range(10)]
    # The three sent came from the child; the seven after them were computed here.
    assert [pid == os.getpid() for pid, _ in values] == [False] * 3 + [True] * 7
    assert "failed with exit status 4" in caplog.text


def test_closing_a_stream_stops_a_child_that_is_still_sending():
    stream = ForkedStream(_squares, 200_000)  # far more than a pipe holds: the child waits to send
    first = next(iter(stream))
    assert first[1] == 0
    stream.close()
    assert not stream._process.is_alive()
