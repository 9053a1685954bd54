"""Build and update an index: incremental by content hash, or a full rebuild beside the live one.

Every run that changes anything writes a new generation directory and then swaps CURRENT to it
(see indexer.store). An incremental run first hard-links the live generation's files into the new
directory — Whoosh never rewrites a segment file, deletions live in the new table of contents — so
the live index is never written to, and searches keep being answered from it until the swap.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec

from corpus.article import Article, Skipped
from indexer import store
from indexer.analysis import ANALYSIS_VERSION, analysis_signature
from indexer.errors import IndexStateError
from indexer.grams import ensure_gram_files
from indexer.paths import resolve_index_dir
from indexer.reprints import ensure_reprints
from indexer.schema import build_schema, to_document, to_raw_document

log = logging.getLogger(__name__)

# Called with (articles done, articles to do) while documents are written.
Progress = Callable[[int, int], None]


def _writer_limit_mb() -> int:
    """How many MB of postings Whoosh's writers (together) buffer before spilling sorted runs to disk.

    Spilling pickles every posting twice: it made a 10,000-article build ~40% slower, and a
    100,000-article build twice as slow (253 s with 1 GB, 129 s with 4 GB). So the writers may
    use a quarter of the machine's memory, between 1 and 4 GB. Whoosh's estimate is low: at
    100,000 articles each of two writer processes peaked at 2.7 GB.
    """
    try:
        physical_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (ValueError, OSError, AttributeError):
        physical_mb = 4096
    return max(1024, min(4096, physical_mb // 4))


_WRITER_LIMIT_MB = _writer_limit_mb()
# Below this many documents, starting writer processes costs more than it saves.
_PARALLEL_MIN_DOCS = 1000
_MAX_WORKERS = 4
_BLOCK_POSTINGS = 1024
# A compound segment is one file whose parts Whoosh reads through in-memory copies: each searcher
# held a copy of every posting file it had touched (+190 MB at 100,000 articles). Separate
# files are read from the page cache instead.
_COMPOUND = False


def _codec() -> W3Codec:
    """Whoosh's codec with posting blocks of _BLOCK_POSTINGS instead of 128.

    Queries read whole posting lists (search.execution), where each block costs a file read, an
    unpickling and a decompression: larger blocks read a common word's postings several times
    faster, and nothing skips within a list any more.
    """
    return W3Codec(blocklimit=_BLOCK_POSTINGS)


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What one index run did: counts of articles added/updated/deleted/unchanged, and skips."""

    index_dir: str
    generation: int
    added: int
    updated: int
    deleted: int
    unchanged: int
    skipped: tuple[Skipped, ...]
    rebuilt: bool
    reason: str  # why a full build was made, or "" for an incremental run
    seconds: float

    @property
    def changed(self) -> bool:
        """Whether the run wrote a new generation."""
        return self.rebuilt or bool(self.added or self.updated or self.deleted)

    def to_json(self) -> dict[str, Any]:
        """The report as the JSON object `xjsearch index --json` prints."""
        return {
            "index": self.index_dir,
            "generation": self.generation,
            "added": self.added,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "skipped": [{"path": s.path, "reason": s.reason} | ({"line": s.line} if s.line is not None else {}) for s in self.skipped],
            "rebuilt": self.rebuilt,
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
        }


def _dedupe(articles: Sequence[Article]) -> tuple[dict[str, Article], list[Skipped]]:
    """Articles by id; a repeated id is skipped with its reason rather than silently replaced."""
    by_id: dict[str, Article] = {}
    skipped: list[Skipped] = []
    for article in articles:
        if article.id in by_id:
            skipped.append(Skipped(article.origin, f"duplicate article id {article.id}"))
            continue
        by_id[article.id] = article
    return by_id, skipped


def _link_tree(src: Path, dst: Path) -> None:
    """Hard-link (or copy, across devices) the Whoosh files of one generation into another."""
    dst.mkdir()
    for entry in src.iterdir():
        if not entry.is_file() or entry.name in (store.META, store.CHECKSUMS) or "LOCK" in entry.name:
            continue
        try:
            os.link(entry, dst / entry.name)
        except OSError:
            shutil.copy2(entry, dst / entry.name)


def _remove_stale(index_dir: Path, keep: set[int]) -> None:
    """Delete generation directories not in keep (leftovers of killed runs, old generations)."""
    for number in store.generations(index_dir):
        if number not in keep:
            shutil.rmtree(index_dir / store.generation_name(number), ignore_errors=True)


def _live_state(index_dir: Path) -> tuple[int | None, dict[str, Any] | None, dict[str, str]]:
    """The live generation number, its meta and its checksums (None/{} if unusable)."""
    number = store.read_current(index_dir)
    if number is None:
        return None, None, {}
    path = index_dir / store.generation_name(number)
    try:
        return number, store.read_json(path / store.META), store.read_json(path / store.CHECKSUMS)
    except (OSError, ValueError):
        return number, None, {}


def _write_documents(
    writer: Any,
    articles: Sequence[Article],
    progress: Progress | None,
    total: int,
    done: int,
    raw: bool = False,
) -> int:
    """Add articles to a Whoosh writer (analysed here, or raw for writer processes); returns done."""
    step = max(1, total // 100)
    make = to_raw_document if raw else to_document
    for article in articles:
        writer.add_document(**make(article))
        done += 1
        if progress is not None and (done % step == 0 or done == total):
            progress(done, total)
    return done


def _writer_processes(count: int, workers: int | None) -> int:
    """How many writer processes to use for count documents (workers=None: one per core)."""
    if workers is None:
        workers = min(os.cpu_count() or 1, _MAX_WORKERS) if count >= _PARALLEL_MIN_DOCS else 1
    return max(1, min(workers, count))


def update_index(
    articles: Sequence[Article],
    index_dir: Path | str | None = None,
    *,
    skipped: Sequence[Skipped] = (),
    rebuild: bool = False,
    progress: Progress | None = None,
    corpus_label: str = "",
    workers: int | None = None,
) -> IndexReport:
    """Bring the index in line with articles: incremental by checksum, or a full rebuild.

    workers is the number of writer processes; None uses one per core for large batches.
    """
    started = time.perf_counter()
    index_dir = resolve_index_dir(index_dir)
    by_id, duplicates = _dedupe(articles)
    all_skipped = tuple(skipped) + tuple(duplicates)
    signature = analysis_signature()
    with store.reindex_lock(index_dir):
        live, meta, old_sums = _live_state(index_dir)
        # Leftovers of killed runs are newer than the live generation and never became live.
        _remove_stale(index_dir, {n for n in store.generations(index_dir) if live is not None and n <= live})
        reason = ""
        if rebuild:
            reason = "--rebuild"
        elif live is None:
            reason = "no index yet"
        elif meta is None:
            reason = "the live index was unreadable"
        elif meta.get("analysis_version") != ANALYSIS_VERSION:
            reason = f"analysis version {meta.get('analysis_version')} → {ANALYSIS_VERSION}"
        elif meta.get("signature") != signature:
            reason = "the user dictionary or the name rules changed"

        new_sums = {aid: a.checksum for aid, a in by_id.items()}
        # The diff is reported relative to the live index even when everything is rewritten.
        added = [a for aid, a in by_id.items() if aid not in old_sums]
        updated = [a for aid, a in by_id.items() if aid in old_sums and old_sums[aid] != new_sums[aid]]
        deleted = [aid for aid in old_sums if aid not in by_id]
        unchanged = len(by_id) - len(added) - len(updated)
        to_write = list(by_id.values()) if reason else added + updated
        if not reason and not to_write and not deleted:
            assert live is not None
            return IndexReport(
                str(index_dir), live, 0, 0, 0, unchanged, all_skipped, False, "",
                time.perf_counter() - started,
            )

        existing = store.generations(index_dir)
        number = (max(existing) if existing else 0) + 1
        gen_dir = index_dir / store.generation_name(number)
        try:
            if reason:
                gen_dir.mkdir()
                ix = whoosh_index.create_in(str(gen_dir), build_schema())
            else:
                assert live is not None
                _link_tree(index_dir / store.generation_name(live), gen_dir)
                ix = whoosh_index.open_dir(str(gen_dir))
            procs = _writer_processes(len(to_write), workers)
            if procs > 1:
                # Each writer process analyses its share and writes its own segment; the
                # segments are not merged (that would cost as much as writing them).
                writer = ix.writer(procs=procs, multisegment=True, limitmb=_WRITER_LIMIT_MB // procs,
                                   codec=_codec(), compound=_COMPOUND)
            else:
                writer = ix.writer(limitmb=_WRITER_LIMIT_MB, codec=_codec(), compound=_COMPOUND)
            try:
                if not reason:
                    for aid in deleted + [a.id for a in updated]:
                        writer.delete_by_term("id", aid)
                _write_documents(writer, to_write, progress, len(to_write), 0, raw=procs > 1)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            ensure_gram_files(ix, gen_dir, workers=procs)
            reprint_seconds = ensure_reprints(ix, gen_dir)
            ix.close()
            seconds = time.perf_counter() - started
            store.write_json(gen_dir / store.CHECKSUMS, new_sums)
            store.write_json(
                gen_dir / store.META,
                {
                    "analysis_version": ANALYSIS_VERSION,
                    "signature": signature,
                    "generation": number,
                    "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "build_seconds": round(seconds, 3),
                    "reprint_seconds": round(reprint_seconds, 3),
                    "articles": len(by_id),
                    "corpus": corpus_label,
                },
            )
        except BaseException:
            shutil.rmtree(gen_dir, ignore_errors=True)
            raise
        store.write_current(index_dir, number)
        # Keep the previous generation: a searcher that opened it just before the swap may
        # still be reading its files.
        _remove_stale(index_dir, {number} | ({live} if live is not None else set()))
        log.info("index generation %d written to %s", number, gen_dir)
        return IndexReport(
            str(index_dir), number, len(added), len(updated), len(deleted), unchanged,
            all_skipped, bool(reason), reason, time.perf_counter() - started,
        )


def index_corpus(
    corpus_path: Path | str | None = None,
    index_dir: Path | str | None = None,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> IndexReport:
    """Load a corpus (the bundled one by default) and update the index from it."""
    from corpus.loader import load_corpus

    loaded = load_corpus(Path(corpus_path) if corpus_path else None)
    return update_index(
        loaded.articles,
        index_dir,
        skipped=loaded.skipped,
        rebuild=rebuild,
        progress=progress,
        corpus_label=str(corpus_path) if corpus_path else "bundled",
    )


def bundled_build_reason(index_dir: Path) -> str | None:
    """Why the bundled corpus must be indexed into index_dir before serving, or None.

    An index is built when there is none, and rebuilt when it was built from the bundled corpus by
    an older analysis (an upgrade). An older index of another corpus is left for its owner to
    rebuild from that corpus: the server then says so.
    """
    live = store.read_current(index_dir)
    if live is None:
        return f"no index at {index_dir} yet"
    try:
        meta = store.read_json(index_dir / store.generation_name(live) / store.META)
    except (OSError, ValueError):
        return None  # the server says what is wrong with it
    if meta.get("corpus") == "bundled" and meta.get("analysis_version") != ANALYSIS_VERSION:
        return f"the index at {index_dir} was built by an older xjsearch (analysis version {meta.get('analysis_version')})"
    return None


def ensure_index(index_dir: Path | str | None = None, progress: Progress | None = None) -> IndexReport | None:
    """Build the index from the bundled corpus if bundled_build_reason says so; else None."""
    index_dir = resolve_index_dir(index_dir)
    if bundled_build_reason(index_dir) is None:
        return None
    try:
        return index_corpus(None, index_dir, progress=progress)
    except IndexStateError:
        # Another process is building it right now; its swap will make the index appear.
        if store.read_current(index_dir) is None:
            raise
        return None
