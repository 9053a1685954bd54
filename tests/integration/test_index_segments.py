"""Segments written in bulk, flushed at a fixed buffer size and merged by the tiered policy.

The bulk writer must write exactly what Whoosh's own writer writes; many small segments and their
merges must find every article, with gram files that match their segments document for document.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from indexer import pipeline, store
from indexer.build import update_index
from indexer.grams import build_arrays, document_fields, file_name, read_arrays
from indexer.merging import MergePolicy, Size, plan_merges
from indexer.pipeline import BuildSettings, Pipeline
from indexer.schema import build_schema, to_document
from indexer.segments import INDEX_NAME, SegmentBuilder, codec
from search.model import SearchRequest
from search.service import SearchService
from tests.conftest import SAMPLE_ARTICLES, make_article


def _contents(ix_dir: Path) -> dict[str, object]:
    """Everything a Whoosh index holds: every posting of every term, stored fields and columns."""
    ix = whoosh_index.open_dir(str(ix_dir))
    try:
        with ix.reader() as reader:
            terms = {}
            for field, text in reader.all_terms():
                postings = reader.postings(field, text)
                items = []
                while postings.is_active():
                    items.append((postings.id(), postings.weight(), postings.value()))
                    postings.next()
                terms[(field, text)] = items
            stored = [reader.stored_fields(d) for d in range(reader.doc_count_all())]
            columns = {name: list(reader.column_reader(name)) for name in ("date", "heading")}
    finally:
        ix.close()
    return {"terms": terms, "stored": stored, "columns": columns}


def test_the_bulk_writer_writes_what_whoosh_writes(tmp_path, bundled_articles):
    articles = list(bundled_articles[:12]) + [make_article("bare", "标题", "正文", source="", regions=(), date="")]
    theirs = tmp_path / "whoosh"
    theirs.mkdir()
    ix = whoosh_index.create_in(str(theirs), build_schema())
    writer = ix.writer(codec=codec())
    for article in articles:
        writer.add_document(**to_document(article))
    writer.commit()
    ours = tmp_path / "bulk"
    ours.mkdir()
    whoosh_index.create_in(str(ours), build_schema()).close()
    builder = SegmentBuilder(ours, build_schema(), buffer_bytes=2**30)
    for article in articles:
        assert builder.add(article) is None
    written = builder.flush()
    TOC(build_schema(), [written.segment], 1).write(FileStorage(str(ours)), INDEX_NAME)
    assert written.documents == len(articles)
    assert _contents(ours) == _contents(theirs)


def _segments(index_dir: Path) -> list[tuple[str, int, int]]:
    """(segment id, documents, deleted) of the live generation."""
    path = index_dir / store.generation_name(store.read_current(index_dir))
    toc = TOC.read(FileStorage(str(path)), INDEX_NAME)
    return [(s.segment_id(), s.doc_count_all(), s.deleted_count()) for s in toc.segments]


def _check_gram_files(index_dir: Path) -> None:
    """Each segment's gram file is exactly the gram arrays of its documents' stored titles and texts."""
    live = store.open_live(index_dir)
    try:
        with live.ix.reader() as reader:
            for sub, _ in reader.leaf_readers():
                stored = [sub.stored_fields(d) for d in range(sub.doc_count_all())]
                expected = build_arrays(document_fields((f["title"], f["text"]) for f in stored))
                found = read_arrays(live.path / file_name(sub.segment().segment_id()))
                for name in ("keys", "offsets", "positions", "starts"):
                    assert getattr(found, name).tolist() == getattr(expected, name).tolist(), name
    finally:
        live.ix.close()
    grams = sorted(p.name for p in live.path.iterdir() if p.name.endswith(".grams"))
    assert grams == sorted(file_name(s) for s, _, _ in _segments(index_dir))


def _articles(count: int, start: int = 0) -> list:
    return [make_article(f"a{i:03d}", f"第{i}篇", f"援疆干部第{i}次来到克拉玛依，编号{i}号项目开工。") for i in range(start, start + count)]


def _ids(service: SearchService, query: str) -> list[str]:
    first = service.search(SearchRequest(query=query, per_page=100))
    pages = [first] + [service.search(SearchRequest(query=query, per_page=100, page=n))
                       for n in range(2, (first.total + 99) // 100 + 1)]
    return sorted(h.id for page in pages for h in page.hits)


# A buffer that fills every few articles, and a policy that merges three segments of a tier.
TINY = BuildSettings(workers=1, buffer_mb=0, merge=MergePolicy(factor=3, floor_docs=2, max_docs=40))


def test_a_tiny_buffer_writes_many_segments_that_are_merged_and_find_every_article(tmp_path):
    articles = _articles(60)
    report = update_index((a for a in articles), tmp_path / "ix", settings=TINY)
    assert (report.added, report.rebuilt) == (60, True)
    segments = _segments(tmp_path / "ix")
    # A segment per article, three of a tier merged into one of the next; none above max_docs / 2 is merged.
    assert sorted(docs for _, docs, _ in segments) == [1, 3, 7, 7, 21, 21]
    service = SearchService(tmp_path / "ix")
    assert _ids(service, "援疆干部") == [a.id for a in articles]
    assert _ids(service, "第17次") == ["a017"]
    assert _ids(service, "编号5号") == ["a005"]
    service.close()
    _check_gram_files(tmp_path / "ix")


def test_writer_processes_and_the_merging_process_find_every_article(tmp_path):
    articles = _articles(120)
    settings = BuildSettings(workers=2, buffer_mb=0, merge=MergePolicy(factor=4, floor_docs=1, max_docs=1000))
    report = update_index(iter(articles), tmp_path / "ix", settings=settings)
    assert report.added == 120
    segments = _segments(tmp_path / "ix")
    assert sum(docs for _, docs, _ in segments) == 120
    assert len(segments) < 12  # 120 flushed segments of one article, merged
    assert plan_merges([Size(docs) for _, docs, _ in segments], settings.merge) == []
    service = SearchService(tmp_path / "ix")
    assert _ids(service, "援疆干部") == [a.id for a in articles]
    assert _ids(service, "第99次") == ["a099"]
    service.close()
    _check_gram_files(tmp_path / "ix")


def _writers_started(monkeypatch) -> list[tuple[int, int]]:
    """(writers started, articles given to the pipeline then) of each start, recorded from now on."""
    started: list[tuple[int, int]] = []
    start = Pipeline._start_writers

    def recording(self, count):
        started.append((count, self._taken))
        start(self, count)

    monkeypatch.setattr(Pipeline, "_start_writers", recording)
    return started


def test_a_run_writes_a_few_articles_itself_then_one_writer_then_one_a_core(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_DOCS", 120)
    started = _writers_started(monkeypatch)
    update_index(_articles(pipeline.BATCH - 1), tmp_path / "few")
    assert started == []  # written here: a process would cost more
    articles = _articles(200)
    report = update_index(iter(articles), tmp_path / "ix")
    # One writer once BATCH articles wait, so that writing goes on while the rest is read; the second
    # when more than PARALLEL_MIN_DOCS have come.
    assert started == [(1, pipeline.BATCH), (1, 121)]
    assert report.added == 200
    assert sum(docs for _, docs, _ in _segments(tmp_path / "ix")) == 200
    service = SearchService(tmp_path / "ix")
    assert _ids(service, "援疆干部") == [a.id for a in articles]
    assert _ids(service, "编号150号") == ["a150"]
    service.close()
    _check_gram_files(tmp_path / "ix")


def test_an_update_writes_its_changes_in_one_writer_as_it_reads(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    index_dir = tmp_path / "ix"
    articles = _articles(300)
    update_index(articles, index_dir)
    started = _writers_started(monkeypatch)
    # Every fifth article changed: sixty to write among three hundred read.
    changed = [dataclasses.replace(a, text=a.text + "新增光伏项目。") if i % 5 == 0 else a for i, a in enumerate(articles)]
    report = update_index(iter(changed), index_dir)
    assert (report.updated, report.unchanged) == (60, 240)
    assert started == [(1, pipeline.BATCH)]
    service = SearchService(index_dir)
    assert _ids(service, "光伏") == [a.id for a in articles[::5]]
    assert _ids(service, "援疆干部") == [a.id for a in articles]
    service.close()
    _check_gram_files(index_dir)


def test_the_writer_finishes_its_segment_while_the_run_saves_its_ledger_and_deletes(tmp_path, monkeypatch):
    import time

    from indexer import build, doctable
    from indexer.ledger import LedgerWriter

    index_dir = tmp_path / "ix"
    articles = _articles(200)
    update_index(articles, index_dir)
    live_tables = {p.name for p in (index_dir / store.generation_name(1)).glob(f"*{doctable.SUFFIX}")}
    flushed_before_saving: list[bool] = []
    save = LedgerWriter.save

    def new_tables(directory: Path) -> set[str]:
        return {p.name for p in directory.glob(f"*{doctable.SUFFIX}")} - live_tables

    def waiting(self, path):
        # The writer was told there is nothing more: its segment's table appears without finish() asking.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not new_tables(path.parent):
            time.sleep(0.01)
        flushed_before_saving.append(bool(new_tables(path.parent)))
        save(self, path)

    monkeypatch.setattr(LedgerWriter, "save", waiting)
    changed = [dataclasses.replace(a, text=a.text + "新增光伏项目。") if i % 2 == 0 else a for i, a in enumerate(articles)]
    report = update_index(iter(changed), index_dir)
    assert report.updated == 100
    assert flushed_before_saving == [True]
    generation = build._NewGeneration(index_dir, 2, False, BuildSettings())
    generation.write(articles[0])
    generation._pipeline.end_input()
    with pytest.raises(RuntimeError, match="after end_input"):
        generation.write(articles[1])
    generation.abandon()


def test_the_folding_table_is_built_while_writer_processes_finish_and_not_for_a_few_articles(tmp_path, monkeypatch):
    from indexer import build

    index_dir = tmp_path / "ix"
    articles = _articles(200)
    update_index(articles, index_dir)
    built: list[bool] = []
    monkeypatch.setattr(build, "build_folding", lambda: built.append(True))
    few = [dataclasses.replace(a, text=a.text + "新增光伏项目。") if i < 3 else a for i, a in enumerate(articles)]
    assert update_index(iter(few), index_dir).updated == 3  # written in this process
    assert built == []
    many = [dataclasses.replace(a, text=a.text + "新增风电项目。") if i % 2 else a for i, a in enumerate(few)]
    assert update_index(iter(many), index_dir).updated == 100  # by a writer process
    assert built == [True]


def test_an_update_forces_to_disk_its_own_files_not_those_linked_from_the_live_generation(tmp_path, monkeypatch):
    index_dir = tmp_path / "ix"
    articles = _articles(30)
    update_index(articles, index_dir)
    synced: list[str] = []
    fsync = os.fsync

    def recording(fd):
        synced.append(Path(os.readlink(f"/proc/self/fd/{fd}")).name)
        fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    update_index([dataclasses.replace(articles[0], text=articles[0].text + "新增光伏项目。"), *articles[1:]], index_dir)
    new, old = index_dir / "gen-000002", index_dir / "gen-000001"
    files = {p.name for p in new.iterdir() if p.is_file()}
    shared = {name for name in files if (old / name).exists() and os.path.samefile(new / name, old / name)}
    assert any(name.endswith(".grams") for name in shared)  # the first segment's files, linked
    assert files - shared <= set(synced)  # the new segment, its grams, the ledger, the groups, the table of contents
    assert any(name.endswith(".grams") for name in files - shared)
    assert not shared & set(synced)


def test_an_update_rewrites_a_segment_with_many_deletions_and_keeps_its_grams_exact(tmp_path):
    index_dir = tmp_path / "ix"
    articles = _articles(30)
    update_index(articles, index_dir)
    assert [docs for _, docs, _ in _segments(index_dir)] == [30]
    # Twelve articles gone (40%), two changed: the old segment is rewritten without its deleted documents.
    changed = [dataclasses.replace(a, text=a.text + "新增光伏项目。") for a in articles[:2]]
    report = update_index(changed + articles[2:18], index_dir, settings=BuildSettings(merge=MergePolicy(reclaim=0.3)))
    assert (report.added, report.updated, report.deleted, report.unchanged) == (0, 2, 12, 16)
    assert sorted((docs, deleted) for _, docs, deleted in _segments(index_dir)) == [(2, 0), (16, 0)]
    service = SearchService(index_dir)
    assert _ids(service, "援疆干部") == [a.id for a in articles[:18]]
    assert _ids(service, "光伏") == ["a000", "a001"]
    service.close()
    _check_gram_files(index_dir)
    # The previous generation still has its own files, untouched.
    previous = whoosh_index.open_dir(str(index_dir / "gen-000001"))
    with previous.searcher() as searcher:
        assert searcher.doc_count() == 30
    previous.close()


def test_articles_are_read_as_a_stream_and_progress_says_how_many(tmp_path):
    pulled: list[int] = []
    calls: list[tuple[int, object]] = []

    def stream():
        for i, article in enumerate(_articles(250)):
            pulled.append(i)
            yield article

    report = update_index(stream(), tmp_path / "ix", progress=lambda done, total: calls.append((done, total)))
    assert report.added == 250 and len(pulled) == 250
    assert calls == [(100, None), (200, None), (250, None)]


def test_document_tables_match_the_segments_they_belong_to(tmp_path, bundled_articles):
    from indexer.doctable import FACET_FIELDS, read_table, table_from_reader
    from indexer.doctable import file_name as table_name

    index_dir = tmp_path / "ix"
    settings = BuildSettings(workers=1, buffer_mb=0, merge=MergePolicy(factor=4, floor_docs=1, max_docs=12))
    update_index(bundled_articles, index_dir, settings=settings)
    # Deletions, then a rewrite of the segments that lost the most.
    update_index(bundled_articles[3:20], index_dir, settings=dataclasses.replace(settings, merge=MergePolicy(reclaim=0.2)))
    live = store.open_live(index_dir)
    try:
        with live.ix.reader() as reader:
            checked = 0
            for sub, _ in reader.leaf_readers():
                written = read_table(live.path / table_name(sub.segment().segment_id()))
                expected = table_from_reader(sub)
                assert written.dates.tolist() == expected.dates.tolist()
                for field in FACET_FIELDS:
                    ours, theirs = written.facets[field], expected.facets[field]
                    # The same values per live document (a deleted one keeps its row here only).
                    live_docs = [d for d in range(sub.doc_count_all()) if not sub.is_deleted(d)]
                    for d in live_docs:
                        assert sorted(ours.values[c] for c in ours.codes[ours.offsets[d]:ours.offsets[d + 1]]) == \
                            sorted(theirs.values[c] for c in theirs.codes[theirs.offsets[d]:theirs.offsets[d + 1]])
                checked += sub.doc_count_all()
    finally:
        live.ix.close()
    assert checked >= 17


def test_a_full_disk_in_a_writer_process_is_raised_as_the_disk_error_and_the_live_index_stays(sample_index, monkeypatch):
    import errno

    from indexer import doctable

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(sample_index / "gen-000002" / "x.docs"))

    # Patched before the writer processes are forked, so they inherit it.
    monkeypatch.setattr(doctable, "write_table", full)
    with pytest.raises(OSError) as info:
        update_index(SAMPLE_ARTICLES + tuple(_articles(4)), sample_index,
                     settings=BuildSettings(workers=2, buffer_mb=0))
    assert (info.value.errno, info.value.filename) == (errno.ENOSPC, str(sample_index / "gen-000002" / "x.docs"))
    assert (store.read_current(sample_index), store.generations(sample_index)) == (1, [1])


def test_a_failing_writer_process_is_raised_with_its_traceback(tmp_path, monkeypatch):
    from indexer import doctable
    from indexer.segments import WriterFailed

    def broken(*args, **kwargs):
        raise ValueError("a table that cannot be written")

    monkeypatch.setattr(doctable, "write_table", broken)
    with pytest.raises(WriterFailed, match="ValueError: a table that cannot be written"):
        update_index(_articles(4), tmp_path / "ix", settings=BuildSettings(workers=2, buffer_mb=0))
    assert store.generations(tmp_path / "ix") == []
