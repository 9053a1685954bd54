"""A reader that goes away early (`xjsearch export | head`) ends xjsearch as it ends any Unix tool: by SIGPIPE, silently."""

from __future__ import annotations

import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
XJSEARCH = [sys.executable, "-c", "from web.cli import main; main()"]


@pytest.mark.parametrize("args", [
    ["search", "援疆"],
    ["search", "援疆", "--format", "csv"],
    ["export", "--format", "csv"],
], ids=" ".join)
def test_a_closed_pipe_ends_the_command_by_sigpipe_without_a_word(bundled_index, args):
    process = subprocess.Popen([*XJSEARCH, *args, "--index", str(bundled_index)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the first line is written
    stderr = process.stderr.read().decode("utf-8")
    process.stderr.close()
    assert (process.wait(timeout=60), stderr) == (-signal.SIGPIPE, "")


def test_export_into_head_prints_the_first_lines_and_nothing_else(bundled_index):
    command = "set -o pipefail; " + shlex.join([*XJSEARCH, "export", "--index", str(bundled_index)]) + " | head -n 2"
    shell = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert shell.stderr == ""
    assert [line[:8] for line in shell.stdout.splitlines()] == ['{"id": "', '{"id": "']
    # The status of the pipeline is xjsearch's: ended by SIGPIPE, as `cat` would be (128 + 13).
    assert shell.returncode == 128 + signal.SIGPIPE
