"""The benchmark's article streams: a JSON Lines corpus read through the loader, and the articles kept.

The loader (corpus.loader.iter_corpus) reads, cleans and describes every article; the harness
reads each synthetic corpus through it once (prepare: in as many processes as there are cores, a
stretch of lines each) and keeps the articles as a file of pickled batches, which the floor, the
build and the incremental update stream back (read_prepared): each phase then measures its own
work, not the loader's, as the build's figures always have. The copy with a share of articles
changed is kept the same way, reading through the loader only the lines that differ. What the
loader costs is measured apart (time_reading), on the corpus's first articles.

Kept files are named by a digest of Article's fields and of corpus/ (its code and data files):
a file kept by another loader is never read back.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import pickle
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from corpus.article import Article, Skipped
from corpus.version import loader_signature

PICKLED = 1000  # articles pickled together


def prepared_path(source: Path) -> Path:
    """Where the articles read from source are kept."""
    return source.with_suffix(f".articles-{loader_signature()}.pickle")


def read_articles(path: Path, skipped: list[Skipped]) -> Iterator[Article]:
    """The articles of a corpus file, one at a time, through the loader's stream; skips go to skipped."""
    from corpus.loader import iter_corpus

    return iter_corpus(path, skipped)


def time_reading(source: Path, limit: int) -> dict[str, Any]:
    """Read the first limit articles of source through the loader, in this process: how long it took."""
    skipped: list[Skipped] = []
    count = chars = 0
    started = time.perf_counter()
    for article in read_articles(source, skipped):
        count += 1
        chars += len(article.title) + len(article.text)
        if count >= limit:
            break
    return {"articles": count, "chars": chars, "seconds": round(time.perf_counter() - started, 3)}


def _write_batches(articles: Iterable[Article], fh: Any) -> tuple[int, int]:
    """Pickle articles to fh in batches; (articles, characters) written."""
    count = chars = 0
    batch: list[Article] = []
    for article in articles:
        count += 1
        chars += len(article.title) + len(article.text)
        batch.append(article)
        if len(batch) == PICKLED:
            pickle.dump(batch, fh, protocol=pickle.HIGHEST_PROTOCOL)
            batch = []
    if batch:
        pickle.dump(batch, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return count, chars


def _relined(articles: Iterable[Article], name: str, lines: Sequence[int] | None, first: int) -> Iterator[Article]:
    """Articles read from a stretch of a file, their origins given the file's name and line numbers.

    The loader numbers the lines of the file it was given: line k of it is line first + k - 1 of
    the whole file, or lines[k - 1] when the stretch was made of chosen lines.
    """
    for article in articles:
        line = int(article.origin.rsplit(":", 1)[1])
        number = lines[line - 1] if lines is not None else first + line - 1
        yield dataclasses.replace(article, origin=f"{name}:{number}")


def _read_stretch(source: Path, lo: int, hi: int, first: int, part: Path) -> tuple[int, int, int]:
    """Read the lines of source between byte offsets lo and hi through the loader into part."""
    with tempfile.TemporaryDirectory(prefix="xjsearch-bench-") as tmp:
        stretch = Path(tmp) / source.name
        with open(source, "rb") as fh, open(stretch, "wb") as out:
            fh.seek(lo)
            left = hi - lo
            while left > 0:
                block = fh.read(min(left, 1 << 22))
                out.write(block)
                left -= len(block)
        skipped: list[Skipped] = []
        with open(part, "wb") as out:
            count, chars = _write_batches(_relined(read_articles(stretch, skipped), source.name, None, first), out)
    return count, chars, len(skipped)


def _line_starts(source: Path, parts: int) -> list[tuple[int, int]]:
    """(byte offset, line number) where each of parts stretches of whole lines of source begins."""
    size = source.stat().st_size
    starts = [(0, 1)]
    with open(source, "rb") as fh:
        lines_before = 0
        position = 0
        for i in range(1, parts):
            target = size * i // parts
            while position < target:
                block = fh.read(min(target - position, 1 << 22))
                lines_before += block.count(b"\n")
                position += len(block)
            rest = fh.readline()  # to the end of the line the target fell in
            position += len(rest)
            lines_before += rest.count(b"\n")
            if position < size and position > starts[-1][0]:
                starts.append((position, lines_before + 1))
    return starts


def prepare(source: Path, target: Path, processes: int | None = None) -> dict[str, Any]:
    """Read source through the loader (in processes, a stretch of lines each) and keep its articles in target."""
    processes = processes or os.cpu_count() or 1
    starts = _line_starts(source, processes)
    bounds = [(lo, hi, first) for (lo, first), (hi, _) in zip(starts, [*starts[1:], (source.stat().st_size, 0)])]
    parts = [target.with_name(f"{target.name}.part{i}") for i in range(len(bounds))]
    started = time.perf_counter()
    try:
        with ProcessPoolExecutor(len(bounds), mp_context=multiprocessing.get_context("fork")) as pool:
            done = list(pool.map(_read_stretch, [source] * len(bounds), *zip(*bounds), parts))
        tmp = target.with_name(target.name + ".tmp")
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as fh:
                    while block := fh.read(1 << 22):
                        out.write(block)
        tmp.replace(target)
    finally:
        for part in parts:
            part.unlink(missing_ok=True)
    figures = {"articles": sum(d[0] for d in done), "chars": sum(d[1] for d in done),
               "skipped": sum(d[2] for d in done), "seconds": round(time.perf_counter() - started, 3)}
    target.with_name(target.name + ".json").write_text(json.dumps(figures), encoding="utf-8")
    return figures


def prepare_changed(kept: Path, changed_source: Path, changed: Sequence[int], target: Path) -> dict[str, Any]:
    """Keep the copy of a corpus whose articles number changed differ: the kept articles of the
    corpus, those replaced by the loader's reading of the copy's lines that differ.

    Article i stands on line i + 1 of both files (a synthetic corpus skips none).
    """
    wanted = set(changed)
    lines: list[bytes] = []
    with open(changed_source, "rb") as fh:
        for number, line in enumerate(fh):
            if number in wanted:
                lines.append(line)
    with tempfile.TemporaryDirectory(prefix="xjsearch-bench-") as tmp:
        stretch = Path(tmp) / changed_source.name
        stretch.write_bytes(b"".join(lines))
        skipped: list[Skipped] = []
        replacements = list(_relined(read_articles(stretch, skipped), changed_source.name,
                                     [i + 1 for i in sorted(wanted)], 0))
    if len(replacements) != len(wanted):
        raise ValueError(f"{len(replacements)} of {len(wanted)} changed lines read as articles")
    by_line = {int(a.origin.rsplit(":", 1)[1]) - 1: a for a in replacements}

    def articles() -> Iterator[Article]:
        for number, article in enumerate(read_prepared(kept)):
            if number in by_line:
                yield by_line[number]
            else:
                yield dataclasses.replace(article, origin=f"{changed_source.name}:{number + 1}")

    tmp_target = target.with_name(target.name + ".tmp")
    with open(tmp_target, "wb") as out:
        count, chars = _write_batches(articles(), out)
    tmp_target.replace(target)
    return {"articles": count, "chars": chars, "replaced": len(by_line)}


def kept_figures(kept: Path) -> dict[str, Any]:
    """What prepare said of a kept file: articles, characters, skipped, seconds."""
    return json.loads(kept.with_name(kept.name + ".json").read_text(encoding="utf-8"))


def read_prepared(path: Path, limit: int | None = None) -> Iterator[Article]:
    """The articles kept by prepare, one at a time (the first limit of them, if given)."""
    count = 0
    with open(path, "rb") as fh:
        while True:
            try:
                batch = pickle.load(fh)
            except EOFError:
                return
            for article in batch:
                if limit is not None and count >= limit:
                    return
                count += 1
                yield article


class PreparedArticles:
    """The articles kept by prepare as a stream an index run may read in shares (indexer.lookup.Shareable):
    its chunks are the file's pickled batches, found by their offsets (batch_offsets)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[Article]:
        return read_prepared(self.path)

    def share(self, index: int, count: int) -> Iterator[list[Article]]:
        """The batches index, index + count, index + 2 × count … of the file."""
        offsets = batch_offsets(self.path)
        with open(self.path, "rb") as fh:
            for at in offsets[index::count]:
                fh.seek(at)
                yield pickle.load(fh)


def batch_offsets(path: Path) -> list[int]:
    """Where each pickled batch of a kept file starts: read from its side file, or found by reading
    the file through once and kept in the side file (so that a timed run never pays for it)."""
    side = path.with_name(path.name + ".offsets.json")
    size = path.stat().st_size
    try:
        known = json.loads(side.read_text(encoding="utf-8"))
        if known.get("size") == size:
            return [int(at) for at in known["offsets"]]
    except (OSError, ValueError, KeyError):
        pass
    offsets: list[int] = []
    with open(path, "rb") as fh:
        while fh.tell() < size:
            offsets.append(fh.tell())
            pickle.load(fh)
    tmp = side.with_name(side.name + ".tmp")
    tmp.write_text(json.dumps({"size": size, "offsets": offsets}), encoding="utf-8")
    tmp.replace(side)
    return offsets
