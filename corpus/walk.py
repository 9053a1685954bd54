"""Walking a corpus: its files folder by folder in name order, each opened only when it is a regular
file, and its manifest (what it says of each page: paper, date, home region)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from corpus import metadata
from corpus.article import PageInfo, Skipped

BUNDLED_CORPUS = Path(__file__).resolve().parent / "raw"
MANIFEST = "manifest.json"


def default_corpus() -> Path:
    """The corpus shipped with xjsearch: five OCR'd newspaper pages and their manifest."""
    return BUNDLED_CORPUS


def readable_path(path: Path | str) -> str:
    """A path as a person reads it: a file name that is not UTF-8 (a GBK name) decoded as GB18030."""
    raw = os.fsencode(path)
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "backslashreplace")


def read_manifest(directory: Path) -> tuple[dict[str, PageInfo], list[Skipped]]:
    """The page entries of directory/manifest.json, if there is one; bad entries are reported."""
    path = directory / MANIFEST
    if not path.is_file():
        return {}, []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        pages = document["pages"]
        if not isinstance(pages, dict):
            raise TypeError("'pages' is not an object")
    except (OSError, ValueError, KeyError, TypeError) as error:
        return {}, [Skipped(str(path), f"manifest ignored: {error}")]
    entries: dict[str, PageInfo] = {}
    problems: list[Skipped] = []
    for name, entry in pages.items():
        try:
            date, precision = metadata.parse_date(str(entry["date"]))
            home = entry.get("home_region")
            entries[name] = PageInfo(str(entry["source"]), date, precision, str(home) if home else None)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            problems.append(Skipped(str(path), f"manifest entry {name!r} ignored: {error}"))
    return entries, problems


def corpus_files(root: Path, skipped: list[Skipped], leave_out: Path | None = None) -> Iterator[Path]:
    """The files under root, folder by folder in name order; hidden ones, the manifest and the folder
    leave_out (an index being written inside the corpus) left out."""
    left_out = leave_out.resolve() if leave_out is not None else None
    if not root.is_dir():
        yield root
        return
    visited: set[tuple[int, int]] = set()

    def walk(folder: Path) -> Iterator[Path]:
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in visited:
                skipped.append(Skipped(readable_path(folder), "folder already read (a symbolic link loop)"))
                return
            visited.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as entries:
                listing = sorted((entry.name, _is_dir(entry)) for entry in entries)
        except OSError as error:
            skipped.append(Skipped(readable_path(folder), f"cannot read folder: {error.strerror or error}"))
            return
        for name, is_dir in listing:
            if name.startswith("."):
                continue
            if is_dir:
                if left_out is None or (folder / name).resolve() != left_out:
                    yield from walk(folder / name)
            elif not (name == MANIFEST and folder == root):
                yield folder / name

    yield from walk(root)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether a folder's entry is a folder (False when that cannot be told)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def open_regular(path: Path, shown: str, skipped: list[Skipped]) -> tuple[BinaryIO, os.stat_result] | None:
    """The file opened for reading if it is a regular file; anything else is reported."""
    try:
        # Non-blocking: opening a FIFO must not wait for a writer. Checked on the open descriptor,
        # so what was checked is what is read.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        skipped.append(Skipped(shown, f"cannot read: {error.strerror or error}"))
        return None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
        skipped.append(Skipped(shown, f"not a regular file ({kind})"))
        return None
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb"), info
