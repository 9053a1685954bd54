"""A read-only or full disk under `index`, `index --rebuild` and `serve`: one line naming the path and the
next step, exit status 1, and the live index answering as before.

The disk's refusals are simulated in-process (os.open and os.mkdir answering EROFS, Whoosh's file writes
ENOSPC), and, where unprivileged user namespaces allow it, made real: a read-only bind mount and a
tmpfs too small for a build, in a mount namespace of their own.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import store
from indexer.errors import IndexUnwritable
from search.model import SearchRequest
from search.service import SearchService
from web.cli import cli

ROOT = Path(__file__).resolve().parents[2]
XJSEARCH = [sys.executable, "-c", "from web.cli import main; main()"]


def read_only(index_dir: Path) -> str:
    return (f"Error: cannot write the index at {index_dir} (the file system is read-only) — give a directory "
            "you can write to with --index (or $XJSEARCH_INDEX)")


def full(index_dir: Path) -> str:
    return (f"Error: cannot write the index at {index_dir} (no space left on the device) — free space on its "
            "disk, or give a directory on another disk with --index")


KEPT = "; the live index there is unchanged"


def answers(index_dir: Path) -> tuple[int, list[str]]:
    """What the index answers to a search: the total and the ids, in order."""
    service = SearchService(index_dir)
    try:
        result = service.search(SearchRequest(query="援疆", per_page=100))
    finally:
        service.close()
    return result.total, [hit.id for hit in result.hits]


def state(index_dir: Path) -> tuple[int | None, list[int]]:
    """The live generation and every generation directory present."""
    return store.read_current(index_dir), store.generations(index_dir)


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def live_index(sample_index, tmp_path):
    """A copy of the sample index that a test may try to write."""
    index_dir = tmp_path / "live"
    shutil.copytree(sample_index, index_dir)
    return index_dir


@pytest.fixture()
def changed_corpus(tmp_path):
    """A corpus that differs from the sample index, so `xjsearch index` has something to write."""
    path = tmp_path / "changed.jsonl"
    path.write_text(json.dumps({"id": "new", "title": "新的援疆报道", "text": "援疆干部在喀什开展工作。",
                                "date": "2024-01-02"}, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# --- simulated: the errno a read-only or full disk answers with, raised where the write happens ---

@pytest.fixture()
def simulate_read_only(monkeypatch):
    """Make every directory under a root read-only: creating or writing a file or directory there is EROFS."""

    def install(root: Path) -> None:
        real_open, real_mkdir = os.open, os.mkdir

        def under(path) -> bool:
            return Path(os.fsdecode(path)).absolute().is_relative_to(root.absolute())

        def fake_open(path, flags, *args, **kwargs):
            if under(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
            return real_open(path, flags, *args, **kwargs)

        def fake_mkdir(path, *args, **kwargs):
            if under(path):
                if os.path.exists(path):  # the kernel answers EEXIST before EROFS
                    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fsdecode(path))
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
            return real_mkdir(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", fake_open)
        monkeypatch.setattr(os, "mkdir", fake_mkdir)

    return install


@pytest.fixture()
def simulate_full_disk(monkeypatch):
    """Make the disk full: the first write of a Whoosh file (a segment) raises ENOSPC."""
    from whoosh.filedb.structfile import StructFile

    def no_space(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(StructFile, "write", no_space)


@pytest.mark.parametrize("args", [["index"], ["index", "--rebuild"]], ids=" ".join)
def test_a_read_only_index_is_one_line_and_the_live_index_still_answers(
        live_index, changed_corpus, simulate_read_only, args):
    before, generations = answers(live_index), state(live_index)
    simulate_read_only(live_index)
    result = invoke(*args, "--corpus", changed_corpus, "--index", live_index)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", read_only(live_index) + KEPT + "\n")
    assert state(live_index) == generations
    assert answers(live_index) == before


def test_serve_on_a_read_only_path_without_an_index_is_one_line(tmp_path, simulate_read_only):
    index_dir = tmp_path / "ro" / "index"
    simulate_read_only(tmp_path / "ro")
    result = invoke("serve", "--index", index_dir)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", read_only(index_dir) + "\n")


@pytest.mark.parametrize("args", [["index"], ["index", "--rebuild"]], ids=" ".join)
def test_a_full_disk_is_one_line_and_the_live_index_still_answers(
        live_index, changed_corpus, simulate_full_disk, args):
    before, generations = answers(live_index), state(live_index)
    result = invoke(*args, "--corpus", changed_corpus, "--index", live_index)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", full(live_index) + KEPT + "\n")
    # The half-written generation is gone, so the space it took is given back.
    assert state(live_index) == generations
    assert answers(live_index) == before


def test_serve_on_a_full_disk_is_one_line(tmp_path, simulate_full_disk):
    index_dir = tmp_path / "index"
    result = invoke("serve", "--index", index_dir)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", full(index_dir) + "\n")
    assert state(index_dir) == (None, [])


def test_a_refusal_about_another_path_or_another_error_is_not_the_index(tmp_path):
    index_dir = tmp_path / "index"
    with pytest.raises(PermissionError):
        with store.writes_to(index_dir):
            raise PermissionError(errno.EACCES, "denied", str(tmp_path / "corpus" / "page.txt"))
    with pytest.raises(OSError) as info:
        with store.writes_to(index_dir):
            raise OSError(errno.EIO, "I/O error")
    assert info.type is OSError and info.value.errno == errno.EIO
    # A parent directory made for the index is on the way to it; a write names no file at all.
    for filename in (str(tmp_path), str(index_dir / "gen-000001" / "x.seg"), None):
        with pytest.raises(IndexUnwritable):
            with store.writes_to(index_dir):
                raise OSError(errno.EROFS, "read-only", filename)


# --- real: a read-only bind mount and a tmpfs too small, in a user and mount namespace of their own ---

def _namespaces_available() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", "/mnt"],
                           capture_output=True, check=False)
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(not _namespaces_available(),
                                      reason="needs unprivileged user and mount namespaces (unshare -rm)")

# Run inside the namespace: mounts first (which must succeed), then xjsearch commands, whose status,
# stdout and stderr are printed as JSON for the test to read.
DRIVER = """
import json, subprocess, sys
results = []
for kind, args in json.loads(sys.argv[1]):
    if kind == "setup":
        subprocess.run(args, check=True, capture_output=True)
    else:
        done = subprocess.run(args, capture_output=True, text=True, cwd=sys.argv[2])
        results.append([done.returncode, done.stdout, done.stderr])
print(json.dumps(results))
"""


def in_namespace(*steps: tuple[str, list[str]]) -> list[tuple[int, str, str]]:
    """Run setup steps and xjsearch commands in a fresh user and mount namespace; each command's result."""
    done = subprocess.run(["unshare", "-rm", sys.executable, "-c", DRIVER, json.dumps(steps), str(ROOT)],
                          capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    return [tuple(result) for result in json.loads(done.stdout)]


def search_json(index_dir: Path) -> tuple[str, list[str]]:
    return ("run", [*XJSEARCH, "search", "援疆", "--json", "--limit", "100", "--index", str(index_dir)])


def ids_of(search_output: str) -> tuple[int, list[str]]:
    result = json.loads(search_output)
    return result["total"], [hit["id"] for hit in result["hits"]]


@needs_namespaces
def test_a_read_only_mount_refuses_index_rebuild_and_serve_in_one_line(live_index, changed_corpus, tmp_path):
    mount = live_index.parent
    before, generations = answers(live_index), state(live_index)
    results = in_namespace(
        ("setup", ["mount", "--bind", str(mount), str(mount)]),
        ("setup", ["mount", "-o", "remount,bind,ro", str(mount)]),
        ("run", [*XJSEARCH, "index", "--corpus", str(changed_corpus), "--index", str(live_index)]),
        ("run", [*XJSEARCH, "index", "--rebuild", "--index", str(live_index)]),
        ("run", [*XJSEARCH, "serve", "--index", str(mount / "none" / "index")]),
    )
    assert results == [
        (1, "", read_only(live_index) + KEPT + "\n"),
        (1, "", read_only(live_index) + KEPT + "\n"),
        (1, "", read_only(mount / "none" / "index") + "\n"),
    ]
    # The mount was the namespace's: here the same directory is the index it was, answering as before.
    assert state(live_index) == generations and answers(live_index) == before


@needs_namespaces
def test_a_full_tmpfs_refuses_index_rebuild_and_serve_in_one_line(sample_index, changed_corpus, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    index_dir = disk / "index"
    before = answers(sample_index)
    # Room for the live index and a little more: a rebuild needs as much again.
    room = store.directory_size(sample_index) // 1024 + 96
    results = in_namespace(
        ("setup", ["mount", "-t", "tmpfs", "-o", f"size={room}k", "tmpfs", str(disk)]),
        ("setup", ["cp", "-a", str(sample_index), str(index_dir)]),
        ("run", [*XJSEARCH, "index", "--rebuild", "--index", str(index_dir)]),
        # Fill what is left, then an incremental run has no room for its new segment.
        ("setup", ["sh", "-c", f"dd if=/dev/zero of={disk}/filler bs=4k 2>/dev/null; true"]),
        ("run", [*XJSEARCH, "index", "--corpus", str(changed_corpus), "--index", str(index_dir)]),
        search_json(index_dir),
        ("run", ["sh", "-c", f"ls {index_dir}; cat {index_dir}/CURRENT"]),
        ("run", [*XJSEARCH, "serve", "--index", str(disk / "other")]),
    )
    assert results[:2] == [(1, "", full(index_dir) + KEPT + "\n")] * 2
    status, output, _ = results[2]
    assert (status, ids_of(output)) == (0, before)
    # Only the live generation is there, still current.
    assert results[3] == (0, "CURRENT\ngen-000001\nreindex.lock\ngen-000001\n", "")
    assert results[4] == (1, "", full(disk / "other") + "\n")
