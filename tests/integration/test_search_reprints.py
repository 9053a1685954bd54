"""Reprints grouped in a real index: one result per story, led by its earliest copy, kept right by reindexing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexer.build import update_index
from search.model import SearchRequest
from search.service import SearchService
from tests.reprint_corpus import pair_scores, reprint_corpus

STORIES, SINGLES = reprint_corpus(stories=12, singles=40, seed=14)
ARTICLES = [a for s in STORIES for a in (s.original, *s.reprints)] + SINGLES
BY_ID = {a.id: a for a in ARTICLES}


def _earliest_first(ids):
    """Ids in the order copies are listed: earliest date first, then id."""
    return sorted(ids, key=lambda i: (BY_ID[i].date, i))


@pytest.fixture(scope="module")
def reprint_index(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("reprints") / "index"
    update_index(ARTICLES, index_dir)
    return index_dir


@pytest.fixture()
def service(reprint_index):
    service = SearchService(reprint_index)
    yield service
    service.close()


def _groups(service: SearchService, **request) -> list[frozenset[str]]:
    """Every result of a search with its copies, as sets of ids."""
    result = service.search(SearchRequest(per_page=100, **request))
    return [frozenset([h.id, *(r.id for r in h.reprints)]) for h in result.hits]


def test_each_story_is_one_result_with_its_reprints(service):
    found = [g for g in _groups(service) if len(g) > 1]
    precision, recall = pair_scores([s.ids for s in STORIES], found)
    assert precision >= 0.95 and recall >= 0.95
    result = service.search(SearchRequest(per_page=100))
    assert result.articles == len(ARTICLES)
    assert result.total == len(ARTICLES) - sum(h.reprint_count for h in result.hits if h.reprint_count)


def test_the_earliest_dated_copy_leads_and_the_others_follow_by_date(service):
    story = STORIES[0]
    result = service.search(SearchRequest(query=story.original.title, per_page=100))
    hit = next(h for h in result.hits if h.id in story.ids)
    ordered = _earliest_first(story.ids)
    assert hit.id == ordered[0]
    assert [r.id for r in hit.reprints] == ordered[1:]
    assert hit.reprint_count == len(ordered) - 1
    first = BY_ID[ordered[1]]
    assert (hit.reprints[0].title, hit.reprints[0].source, hit.reprints[0].date) == (first.title, first.source, first.date)


def test_collapse_false_lists_every_copy_with_the_others(service):
    story = STORIES[1]
    result = service.search(SearchRequest(collapse=False, per_page=100))
    assert result.total == result.articles == len(ARTICLES)
    copies = {h.id: [r.id for r in h.reprints] for h in result.hits if h.id in story.ids}
    assert set(copies) == story.ids
    for id, others in copies.items():
        assert others == [i for i in _earliest_first(story.ids) if i != id]


def test_a_filter_shows_the_earliest_copy_it_keeps(service):
    story = STORIES[2]
    ordered = _earliest_first(story.ids)
    late = BY_ID[ordered[-1]].date
    result = service.search(SearchRequest(date_from=late, date_to=late, per_page=100))
    shown = [h for h in result.hits if h.id in story.ids]
    assert [h.id for h in shown] == [i for i in ordered if BY_ID[i].date == late][:1]


def test_an_export_keeps_or_collapses_reprints(service):
    total, hits = service.iter_hits(SearchRequest())
    collapsed = [h.id for h in hits]
    total_all, hits = service.iter_hits(SearchRequest(collapse=False))
    every = [h.id for h in hits]
    assert (total, len(collapsed)) == (len(collapsed), len(collapsed))
    assert (total_all, sorted(every)) == (len(ARTICLES), sorted(BY_ID))
    assert len(collapsed) < len(every)


def test_reindexing_keeps_groups_right(tmp_path):
    story = STORIES[3]
    ordered = _earliest_first(story.ids)
    index_dir = tmp_path / "index"
    # First without one reprint; it joins its group when added.
    missing = BY_ID[ordered[-1]]
    update_index([a for a in ARTICLES if a.id != missing.id], index_dir)
    service = SearchService(index_dir)
    try:
        assert _with(service, ordered[0]) == frozenset(ordered[:-1])
        update_index(ARTICLES, index_dir)
        assert _with(service, ordered[0]) == frozenset(ordered)
        # The leader deleted: the next earliest copy leads.
        update_index([a for a in ARTICLES if a.id != ordered[0]], index_dir)
        assert _with(service, ordered[1]) == frozenset(ordered[1:])
        assert _leader(service, ordered[1]) == ordered[1]
        # A copy dated earlier than every other, added later, takes the lead.
        earlier = replace(BY_ID[ordered[0]], id="story-earliest", date="2022-01-01", origin="reprints#earliest")
        update_index([*(a for a in ARTICLES if a.id != ordered[0]), earlier], index_dir)
        assert _leader(service, ordered[1]) == "story-earliest"
    finally:
        service.close()


def _with(service: SearchService, id: str) -> frozenset[str]:
    """The group of the result that holds id (collapse off, so every copy is a result)."""
    hit = next(h for h in service.search(SearchRequest(collapse=False, per_page=100)).hits if h.id == id)
    return frozenset([hit.id, *(r.id for r in hit.reprints)])


def _leader(service: SearchService, id: str) -> str:
    """The id shown for the group of id when reprints are collapsed."""
    for hit in service.search(SearchRequest(per_page=100)).hits:
        if id == hit.id or id in {r.id for r in hit.reprints}:
            return hit.id
    raise AssertionError(id)


def test_groups_found_again_after_each_run_are_those_of_grouping_every_document(tmp_path, caplog, monkeypatch):
    import logging
    import random
    import shutil

    import numpy as np
    from whoosh import index as whoosh_index

    from indexer import store
    from indexer.merging import MergePolicy
    from indexer.pipeline import BuildSettings
    from indexer import grouping
    from indexer.reprints import GROUPS, ensure_reprints
    from tests.reprint_corpus import edit

    monkeypatch.setattr(grouping, "REDO_SHARE", 1.0)  # the changed parts found again however many

    rng = random.Random(5)
    index_dir = tmp_path / "index"
    # Segments are never rewritten for their deletions here: every run adds one and keeps the others.
    settings = BuildSettings(merge=MergePolicy(reclaim=1.0))
    current = {a.id: a for a in ARTICLES[::2]}
    update_index(list(current.values()), index_dir, settings=settings)
    caplog.set_level(logging.INFO, logger="indexer.reprints")
    caplog.set_level(logging.INFO, logger="indexer.grouping")
    for run in range(4):
        caplog.clear()
        for article in rng.sample(ARTICLES, 12):  # added back, or a reprint edited again
            current[article.id] = replace(article, text=edit(rng, article.text)) if article.id in current else article
        for gone in rng.sample(sorted(current), 5):
            del current[gone]
        update_index(list(current.values()), index_dir, settings=settings)
        assert "documents in parts a change reaches" in caplog.text
        assert "from the previous generation's" in caplog.text
        live = index_dir / store.generation_name(store.read_current(index_dir))
        whole = tmp_path / f"whole-{run}"
        shutil.copytree(live, whole)
        (whole / GROUPS).unlink()
        ix = whoosh_index.open_dir(str(whole))
        try:
            ensure_reprints(ix, whole)
        finally:
            ix.close()
        with np.load(live / GROUPS) as found, np.load(whole / GROUPS) as expected:
            assert found["leader"].tolist() == expected["leader"].tolist()
            assert found["members"].tolist() == expected["members"].tolist()
            assert len(found["members"]) > 10
