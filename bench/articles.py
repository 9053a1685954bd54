"""The benchmark's article streams: a JSON Lines corpus read through the loader, and read articles kept.

read_articles reads a corpus file through corpus.loader's stream (iter_corpus), so a million
articles are never held. The harness times that once (the load phase) and
keeps what it read as a file of pickled articles (prepare), which the floor, the build and the
incremental update stream back (read_prepared): each then measures its own work, not the parsing
and cleaning of the corpus, as the build's figures always have.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus.article import Article, Skipped

PICKLED = 1000  # articles pickled together


def prepared_path(source: Path) -> Path:
    """Where prepare keeps the articles of source: named by Article's fields, so a kept file of an
    older Article (which would unpickle without its new fields) is never read."""
    fields = ",".join(f.name for f in dataclasses.fields(Article))
    return source.with_suffix(f".articles-{hashlib.sha1(fields.encode()).hexdigest()[:8]}.pickle")


def read_articles(path: Path, skipped: list[Skipped]) -> Iterator[Article]:
    """The articles of a corpus file, one at a time, through the loader's stream; skips go to skipped."""
    from corpus.loader import iter_corpus

    return iter_corpus(path, skipped)


def prepare(source: Path, target: Path) -> dict[str, Any]:
    """Read source as read_articles does, keep the articles in target; the figures of the reading.

    seconds is the time spent reading (parsing, cleaning, metadata), not keeping.
    """
    skipped: list[Skipped] = []
    count = chars = 0
    reading = 0.0
    stream = read_articles(source, skipped)
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "wb") as fh:
        batch: list[Article] = []
        while True:
            started = time.perf_counter()
            article = next(stream, None)
            reading += time.perf_counter() - started
            if article is None:
                break
            count += 1
            chars += len(article.title) + len(article.text)
            batch.append(article)
            if len(batch) == PICKLED:
                pickle.dump(batch, fh, protocol=pickle.HIGHEST_PROTOCOL)
                batch = []
        if batch:
            pickle.dump(batch, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(target)
    return {"articles": count, "chars": chars, "skipped": len(skipped), "seconds": round(reading, 3)}


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
