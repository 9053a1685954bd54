"""Work in a forked process: its value comes back, and a failed child's work is done here."""

from __future__ import annotations

import os

import numpy as np

from indexer import forking
from indexer.forking import Forked


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
