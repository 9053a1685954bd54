"""The on-disk layout of an index directory: generations, the CURRENT pointer, meta and lock.

An index directory holds numbered generations (``gen-000001``…), each a complete Whoosh index
plus ``xjsearch.json`` (meta) and ``ledger.npz`` (ids and checksums, indexer.ledger; generations
written before the ledger have ``checksums.json``, id → Article.checksum). ``CURRENT`` names
the live generation; it is replaced atomically (``os.replace``) only once a new generation is
whole, so readers always see a complete index and a killed build leaves the old one live.
A reader notices a new generation by the modification stamp of ``CURRENT``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import re
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from indexer.analysis import ANALYSIS_VERSION
from indexer.errors import IndexCorrupt, IndexLocked, IndexMissing, IndexOutdated, IndexUnwritable
from indexer.ledger import Ledger

CURRENT = "CURRENT"
LOCK = "reindex.lock"
META = "xjsearch.json"
LEDGER = "ledger.npz"
CHECKSUMS = "checksums.json"  # the ledger of generations written before ledger.npz
_GEN_RE = re.compile(r"^gen-(\d{6,})$")


def generation_name(number: int) -> str:
    """The directory name of generation number."""
    return f"gen-{number:06d}"


def generation_number(name: str) -> int | None:
    """The number of a generation directory name, or None if it is not one."""
    match = _GEN_RE.match(name)
    return int(match.group(1)) if match else None


def generations(index_dir: Path) -> list[int]:
    """The numbers of every generation directory present, ascending."""
    if not index_dir.is_dir():
        return []
    numbers = (generation_number(p.name) for p in index_dir.iterdir() if p.is_dir())
    return sorted(n for n in numbers if n is not None)


def read_current(index_dir: Path) -> int | None:
    """The live generation number, or None if the directory holds no index."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return generation_number(name)


def stamp(index_dir: Path) -> int | None:
    """A cheap token that changes whenever CURRENT is replaced (its mtime in ns and inode)."""
    try:
        st = os.stat(index_dir / CURRENT)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return hash((st.st_mtime_ns, st.st_ino))


def write_current(index_dir: Path, number: int) -> None:
    """Point CURRENT at generation number, atomically."""
    tmp = index_dir / (CURRENT + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(generation_name(number) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)
    fsync_dir(index_dir)


def fsync_dir(path: Path) -> None:
    """Make the renames in path durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(path: Path, data: Any) -> None:
    """Write JSON to path atomically (temporary file, fsync, rename)."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_json(path: Path) -> Any:
    """Read a JSON file."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def read_ledger(path: Path) -> Ledger | None:
    """The ledger of the generation directory path, None if it has none that can be read."""
    try:
        return Ledger.load(path / LEDGER)
    except (OSError, ValueError, KeyError):
        pass
    try:
        return Ledger.from_checksums(read_json(path / CHECKSUMS))
    except (OSError, ValueError, AttributeError, TypeError):
        return None


@dataclass(frozen=True, slots=True)
class Live:
    """The live generation of an index directory, opened."""

    index_dir: Path
    generation: int
    path: Path
    meta: dict[str, Any]
    ix: Any  # whoosh.index.Index


def open_live(index_dir: Path) -> Live:
    """Open the live generation, checking that this xjsearch can read it."""
    number = read_current(index_dir)
    if number is None:
        raise IndexMissing(index_dir)
    path = index_dir / generation_name(number)
    try:
        meta = read_json(path / META)
    except FileNotFoundError:
        raise IndexMissing(index_dir) from None
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(index_dir, f"{META}: {exc}") from exc
    found = meta.get("analysis_version")
    if found != ANALYSIS_VERSION:
        raise IndexOutdated(index_dir, found, ANALYSIS_VERSION)
    try:
        ix = whoosh_index.open_dir(str(path))
    except (OSError, whoosh_index.IndexError) as exc:
        raise IndexCorrupt(index_dir, str(exc)) from exc
    return Live(index_dir, number, path, meta, ix)


_held_locks: set[int] = set()


def _after_fork_in_child() -> None:
    """In a writer process forked during a reindex: drop the lock, die with the parent.

    The child's copy of the lock descriptor would keep the lock held after a killed parent,
    and an orphaned writer process would wait for work forever.
    """
    if not _held_locks:
        return
    for fd in list(_held_locks):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_locks.clear()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != _forking_pid:  # the parent died before prctl took effect
                os._exit(1)


def _before_fork() -> None:
    """Remember which process forks, for the child's check above."""
    global _forking_pid
    _forking_pid = os.getpid()


_PR_SET_PDEATHSIG = 1
_forking_pid = os.getpid()
os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)


@contextlib.contextmanager
def reindex_lock(index_dir: Path) -> Iterator[None]:
    """Hold the directory's reindex lock, or raise IndexLocked at once if another process has it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexLocked(index_dir) from None
        _held_locks.add(fd)
        try:
            yield
        finally:
            _held_locks.discard(fd)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# The disk's refusals to write: a read-only file system, no permission, no space, no quota left.
_REFUSALS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT})


@contextlib.contextmanager
def writes_to(index_dir: Path) -> Iterator[None]:
    """Run a build of index_dir, raising IndexUnwritable if the disk refuses to write it.

    Every build writes a new generation beside the live one and swaps CURRENT last, so when the disk
    refuses, the live index is as it was. A refusal about another path (the corpus) is not the index's.
    """
    try:
        yield
    except OSError as exc:
        if exc.errno not in _REFUSALS or not _on_the_way_to(exc.filename, index_dir):
            raise
        raise IndexUnwritable(index_dir, exc.errno, live=read_current(index_dir) is not None) from exc


def _on_the_way_to(filename: object, index_dir: Path) -> bool:
    """Whether an error's file is index_dir, inside it or a directory made for it (or unnamed, as a write's is)."""
    if filename is None:
        return True
    path, target = Path(os.fsdecode(filename)).absolute(), index_dir.absolute()  # type: ignore[arg-type]
    return path == target or target in path.parents or path in target.parents


def directory_size(path: Path) -> int:
    """The total size in bytes of the files under path."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@dataclass(frozen=True, slots=True)
class IndexSummary:
    """What an index holds, as `xjsearch stats` shows it."""

    index_dir: str
    articles: int
    size_bytes: int
    generation: int
    built_at: str
    build_seconds: float
    date_min: str | None
    date_max: str | None
    facets: dict[str, tuple[tuple[str, int], ...]]

    def to_json(self) -> dict[str, Any]:
        """The summary as a JSON object."""
        return {
            "index": self.index_dir,
            "articles": self.articles,
            "size_bytes": self.size_bytes,
            "generation": self.generation,
            "built_at": self.built_at,
            "build_seconds": self.build_seconds,
            "date_min": self.date_min,
            "date_max": self.date_max,
            "facets": {k: [{"value": v, "count": c} for v, c in vals] for k, vals in self.facets.items()},
        }


SUMMARY_FACETS = ("region", "sector", "aid_from", "source", "year")


def describe(index_dir: Path) -> IndexSummary:
    """Summarise the live generation of index_dir (raises IndexMissing if there is none)."""
    live = open_live(index_dir)
    try:
        with live.ix.searcher() as searcher:
            reader = searcher.reader()
            facets: dict[str, tuple[tuple[str, int], ...]] = {}
            for facet in SUMMARY_FACETS:
                counts = [(v, len(list(reader.postings(facet, v).all_ids()))) for v in reader.field_terms(facet)]
                facets[facet] = tuple(sorted((vc for vc in counts if vc[1]), key=lambda vc: (-vc[1], vc[0])))
            dates = [d for d in reader.field_terms("date") if reader.postings("date", d).is_active()]
            articles = reader.doc_count()
    finally:
        live.ix.close()
    return IndexSummary(
        index_dir=str(index_dir),
        articles=articles,
        size_bytes=directory_size(live.path),
        generation=live.generation,
        built_at=str(live.meta.get("built_at", "")),
        build_seconds=float(live.meta.get("build_seconds", 0.0)),
        date_min=dates[0] if dates else None,
        date_max=dates[-1] if dates else None,
        facets=facets,
    )
