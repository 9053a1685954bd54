"""Index builds and updates: incremental by checksum, rebuilds, generations, lock and versions."""

import dataclasses
import json

import pytest
from whoosh import index as whoosh_index

from corpus import lexicon
from corpus.article import Skipped
from indexer import store
from indexer.analysis import words
from indexer.build import update_index
from indexer.errors import IndexLocked, IndexMissing, IndexOutdated
from search.model import SearchRequest
from search.service import SearchService
from tests.conftest import SAMPLE_ARTICLES, make_article
from tests.integration.test_index_entities import entity_postings


def counts(report):
    return (report.added, report.updated, report.deleted, report.unchanged, len(report.skipped))


def ids(service, query):
    return sorted(h.id for h in service.search(SearchRequest(query=query, per_page=100)).hits)


def test_first_build_adds_everything(tmp_path):
    report = update_index(SAMPLE_ARTICLES, tmp_path / "ix")
    assert counts(report) == (6, 0, 0, 0, 0)
    assert (report.generation, report.rebuilt, report.reason) == (1, True, "no index yet")
    assert store.read_current(tmp_path / "ix") == 1


def test_rerun_without_changes_is_a_no_op(sample_index):
    report = update_index(SAMPLE_ARTICLES, sample_index)
    assert counts(report) == (0, 0, 0, 6, 0)
    assert (report.generation, report.changed) == (1, False)
    assert store.generations(sample_index) == [1]


def test_incremental_add_change_delete(sample_index):
    changed = dataclasses.replace(SAMPLE_ARTICLES[0], text="上海对口支援克拉玛依市，新增光伏制氢项目。")
    new = make_article("new", "光伏制氢", "白碱滩光伏制氢项目稳步推进。")
    articles = (changed,) + SAMPLE_ARTICLES[1:5] + (new,)  # drops "tianjin"
    report = update_index(articles, sample_index)
    assert counts(report) == (1, 1, 1, 4, 0)
    assert (report.generation, report.rebuilt) == (2, False)
    service = SearchService(sample_index)
    assert ids(service, "光伏制氢") == ["kly-city", "new"]
    assert ids(service, "马克思") == []  # the old text of kly-city is gone
    assert ids(service, "组团式") == []  # tianjin was deleted
    assert ids(service, "") == ["chen", "iov", "kly-city", "kly-word", "new", "trad"]
    service.close()


def test_the_documents_of_many_deleted_ids_are_found_in_a_second_process(sample_index, monkeypatch):
    import os

    from indexer import build

    lookups: list[int] = []
    find = build._deleted_documents

    def recording(*args):
        lookups.append(os.getpid())
        return find(*args)

    monkeypatch.setattr(build, "FORKED_DELETIONS", 2)
    monkeypatch.setattr(build, "can_fork", lambda: True)
    monkeypatch.setattr(build, "_deleted_documents", recording)
    changed = dataclasses.replace(SAMPLE_ARTICLES[0], text="上海对口支援克拉玛依市，新增光伏制氢项目。")
    report = update_index((changed,) + SAMPLE_ARTICLES[1:4], sample_index)  # one changed, two deleted
    assert counts(report)[1:3] == (1, 2)
    assert lookups == []  # recorded in the child, whose list this process never sees
    service = SearchService(sample_index)
    assert ids(service, "马克思") == [] and ids(service, "组团式") == []  # old text of kly-city, and tianjin
    assert ids(service, "") == sorted(a.id for a in SAMPLE_ARTICLES[:4])
    service.close()
    monkeypatch.setattr(build, "FORKED_DELETIONS", 10)
    report = update_index(SAMPLE_ARTICLES[1:3], sample_index)  # two deleted: looked up here
    assert counts(report)[2] == 2 and lookups == [os.getpid()]
    service = SearchService(sample_index)
    assert ids(service, "") == sorted(a.id for a in SAMPLE_ARTICLES[1:3])
    service.close()


def test_incremental_update_keeps_the_previous_generation_intact(sample_index):
    update_index(SAMPLE_ARTICLES[:2], sample_index)
    assert store.generations(sample_index) == [1, 2]
    # Generation 2 was written beside generation 1, which still holds all six articles.
    with whoosh_index.open_dir(str(sample_index / "gen-000001")).searcher() as searcher:
        assert searcher.doc_count() == 6
    service = SearchService(sample_index)
    assert ids(service, "") == ["kly-city", "kly-word"]
    service.close()


def test_only_the_live_and_previous_generations_are_kept(sample_index):
    update_index(SAMPLE_ARTICLES[:5], sample_index)
    update_index(SAMPLE_ARTICLES[:4], sample_index)
    update_index(SAMPLE_ARTICLES[:3], sample_index, rebuild=True)
    assert store.generations(sample_index) == [3, 4]
    assert store.read_current(sample_index) == 4


def test_rebuild_reports_changes_relative_to_the_live_index(sample_index):
    report = update_index(SAMPLE_ARTICLES[1:], sample_index, rebuild=True)
    assert counts(report) == (0, 0, 1, 5, 0)
    assert (report.rebuilt, report.reason, report.generation) == (True, "--rebuild", 2)


def test_duplicate_ids_are_skipped_with_a_reason(tmp_path):
    dup = make_article("chen", "重复", "重复的文章", origin="page.txt#3")
    report = update_index(SAMPLE_ARTICLES + (dup,), tmp_path / "ix", skipped=[Skipped("bad.txt", "empty file")])
    assert report.skipped == (Skipped("bad.txt", "empty file"), Skipped("page.txt#3", "duplicate article id chen"))
    assert report.to_json()["skipped"] == [
        {"path": "bad.txt", "reason": "empty file"},
        {"path": "page.txt#3", "reason": "duplicate article id chen"},
    ]


def test_report_json_keys(sample_index):
    data = update_index(SAMPLE_ARTICLES, sample_index).to_json()
    assert {k: data[k] for k in ("added", "updated", "deleted", "unchanged", "skipped", "generation")} == {
        "added": 0, "updated": 0, "deleted": 0, "unchanged": 6, "skipped": [], "generation": 1,
    }


def test_a_second_reindex_gets_a_clear_message(sample_index):
    with store.reindex_lock(sample_index):
        with pytest.raises(IndexLocked) as info:
            update_index(SAMPLE_ARTICLES, sample_index)
    assert str(info.value) == (
        f"another reindex is running on {sample_index} — wait for it to finish, then run the command again"
    )


def test_missing_index(tmp_path):
    with pytest.raises(IndexMissing) as info:
        SearchService(tmp_path / "nowhere").search(SearchRequest(query="上海"))
    assert str(info.value) == f"no index at {tmp_path / 'nowhere'} — run: xjsearch index --index {tmp_path / 'nowhere'}"


def test_an_index_of_another_analysis_version_must_be_rebuilt(sample_index):
    meta_path = sample_index / "gen-000001" / store.META
    meta = json.loads(meta_path.read_text())
    meta["analysis_version"] = 0
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(IndexOutdated) as info:
        SearchService(sample_index).search(SearchRequest(query="上海"))
    assert "run: xjsearch index --rebuild" in str(info.value)
    report = update_index(SAMPLE_ARTICLES, sample_index)
    assert (report.rebuilt, report.generation) == (True, 2)
    assert report.reason.startswith("analysis version 0 → ")
    assert ids(SearchService(sample_index), "网联") == ["iov"]


def test_a_changed_user_dictionary_forces_a_rebuild(sample_index, monkeypatch):
    words("援疆")  # this process's segmenter keeps the real dictionary: only the stored signature differs
    unchanged = update_index(SAMPLE_ARTICLES, sample_index)
    assert (unchanged.rebuilt, unchanged.reason, unchanged.generation) == (False, "", 1)
    real = lexicon.user_words()
    monkeypatch.setattr(lexicon, "user_words", lambda: (*real, "沙漠美人"))
    report = update_index(SAMPLE_ARTICLES, sample_index)
    assert (report.rebuilt, report.reason, report.generation) == (
        True, "the user dictionary or the name rules changed", 2)
    again = update_index(SAMPLE_ARTICLES, sample_index)
    assert (again.rebuilt, again.reason, again.generation) == (False, "", 2)


def test_leftovers_of_a_killed_build_are_removed(sample_index):
    (sample_index / "gen-000002").mkdir()
    (sample_index / "gen-000002" / "_MAIN_1.toc").write_bytes(b"partial")
    report = update_index(SAMPLE_ARTICLES[:5], sample_index)
    assert report.generation == 2
    assert store.generations(sample_index) == [1, 2]
    assert len(ids(SearchService(sample_index), "")) == 5


def test_ensure_index_builds_the_bundled_corpus_once(tmp_path, bundled_articles):
    from indexer.build import ensure_index

    report = ensure_index(tmp_path / "ix")
    assert (report.added, report.generation) == (len(bundled_articles), 1)
    assert ensure_index(tmp_path / "ix") is None


def test_ensure_index_rebuilds_an_outdated_index_of_the_bundled_corpus_only(tmp_path, bundled_articles):
    from indexer.analysis import ANALYSIS_VERSION
    from indexer.build import bundled_build_reason, ensure_index

    def age(index_dir, corpus):
        meta_path = index_dir / store.generation_name(store.read_current(index_dir)) / store.META
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta.update(analysis_version=1, corpus=corpus)
        meta_path.write_text(json.dumps(meta), encoding="utf-8")

    bundled = tmp_path / "bundled"
    ensure_index(bundled)
    age(bundled, "bundled")
    assert bundled_build_reason(bundled) == (
        f"the index at {bundled} was built by an older xjsearch (analysis version 1)")
    report = ensure_index(bundled)
    assert (report.generation, report.rebuilt, report.reason) == (2, True, f"analysis version 1 → {ANALYSIS_VERSION}")
    assert bundled_build_reason(bundled) is None
    other = tmp_path / "other"
    update_index(bundled_articles[:2], other, corpus_label="/data/mine.jsonl")
    age(other, "/data/mine.jsonl")
    assert bundled_build_reason(other) is None and ensure_index(other) is None  # not ours to replace
    with pytest.raises(IndexOutdated):
        store.open_live(other)


def test_default_index_dir_comes_from_the_environment(tmp_path, monkeypatch):
    from indexer.paths import default_index_dir

    monkeypatch.setenv("XJSEARCH_INDEX", str(tmp_path / "env"))
    assert default_index_dir() == tmp_path / "env"
    monkeypatch.delenv("XJSEARCH_INDEX")
    assert default_index_dir().parts[-2:] == ("xjsearch", "index")


def test_export_skips_deleted_articles_and_is_in_id_order(sample_index):
    from indexer.export import iter_articles

    update_index(SAMPLE_ARTICLES[1:], sample_index)
    assert [row["id"] for row in iter_articles(sample_index)] == ["chen", "iov", "kly-word", "tianjin", "trad"]


def test_articles_without_metadata_are_searchable_and_have_no_facet_values(tmp_path):
    from search.model import FacetValue

    bare = make_article("bare", "标题", "正文", source="", regions=(), sectors=(), aid_from=(), date=None,
                        date_precision="unknown")
    update_index([bare], tmp_path / "ix")
    service = SearchService(tmp_path / "ix")
    result = service.search(SearchRequest(query="正文"))
    assert [h.id for h in result.hits] == ["bare"]
    # An unknown date is counted in the year facet's 日期不详 bucket, and nowhere else.
    assert result.facets["year"] == (FacetValue("日期不详", 1, False),)
    assert all(values == () for facet, values in result.facets.items() if facet != "year")
    assert (result.hits[0].date, result.hits[0].date_precision) == (None, "unknown")
    assert (service.stats().date_min, service.stats().date_max) == (None, None)
    service.close()


def test_writer_processes_build_the_same_index(tmp_path, bundled_articles, bundled_index, bundled_service):
    report = update_index(bundled_articles, tmp_path / "ix", workers=2)
    assert report.added == len(bundled_articles)
    parallel = SearchService(tmp_path / "ix")
    for query in ("克拉玛依", "网联", '"对口支援"', "援疆干部", "疆", "陈吉宁 -马兴瑞", ""):
        request = SearchRequest(query=query, per_page=100)
        ours, theirs = parallel.search(request), bundled_service.search(request)
        assert sorted(h.id for h in ours.hits) == sorted(h.id for h in theirs.hits), query
        assert ours.facets == theirs.facets
    parallel.close()
    # The person and org values are found in the writer processes.
    assert entity_postings(tmp_path / "ix") == entity_postings(bundled_index)
