"""Reprint detection as pure functions: signatures, candidate pairs, groups, leaders, and collapsing."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from indexer.analysis import stream
from indexer.grouping import ROWS, Signed, band_pairs, components, group, leaders, linked, relinked
from indexer.minhash import BINS, EMPTY, MIN_CHARS, signatures, similarity
from indexer.reprints import COPY_FIELDS, Written
from search.model import Reprint
from search.reprints import Groups
from tests.reprint_corpus import edit, pair_scores, reprint_corpus

STORY = ("上海援疆前方指挥部负责人介绍，莎车县人民医院新院区计划于年底前全面建成投用，届时将新增床位六百张。"
         "走进工地，工人们正在加紧施工，塔吊林立，一派繁忙景象。\n"
         "据统计，新院区建成后可带动周边三百户群众就近就业，当地群众纷纷表示，在家门口就能看上好医生了。")
OTHER = ("北京援疆医疗队深入和田乡村开展义诊，为牧民送医送药，受到各族群众欢迎。"
         "专家团队还为当地培养了一支带不走的医疗队伍，远程会诊系统让疑难病例可以实时请后方专家会诊。\n"
         "下一步，北京将继续发挥自身优势，推动对口支援工作走深走实。")


def test_a_text_too_short_to_compare_has_an_empty_signature():
    short = "援疆干部到达喀什" * 2
    assert len(stream(short)) < MIN_CHARS
    rows = signatures([stream(short), stream(STORY)])
    assert rows.shape == (2, BINS)
    assert (rows[0] == EMPTY).all()
    assert not (rows[1] == EMPTY).any()  # empty bins of a long enough text are filled


def test_equal_texts_have_equal_signatures_and_batches_do_not_matter():
    alone = signatures([stream(STORY)])
    batch = signatures([stream(OTHER), stream(STORY), ""])
    assert np.array_equal(alone[0], batch[1])
    assert similarity(alone[0], batch[1]) == 1.0


def test_a_reprint_is_similar_and_another_story_is_not():
    import random

    reprint = edit(random.Random(3), "\n".join(reversed(STORY.split("\n"))))
    story, copy, other = signatures([stream(STORY), stream(reprint), stream(OTHER)])
    assert similarity(story, copy) >= 0.3
    assert similarity(story, other) < 0.1


def test_components_join_every_chain_of_pairs():
    edges = np.array([[0, 2], [2, 5], [3, 4], [5, 6]])
    assert components(8, edges).tolist() == [0, 1, 0, 3, 3, 0, 0, 7]
    assert components(3, np.zeros((0, 2), dtype=np.int64)).tolist() == [0, 1, 2]


def test_the_first_in_order_leads_each_group():
    parts = np.array([0, 1, 0, 3, 3, 0])
    grouped = np.array([0, 2, 3, 4, 5])  # the parts with several documents: {0, 2, 5} and {3, 4}
    dates = np.array(["2023-05-02", "2023-05-01", "", "2023-02-01", "2023-05-01"])
    ids = np.array(["f", "c", "d", "e", "a"])

    # Group {0, 2, 5}: 2 and 5 share the earliest date, 5's id comes first; in {3, 4} the undated one follows.
    assert leaders(parts, grouped, dates, ids).tolist() == [5, 1, 5, 4, 4, 5]
    # The same ids: the document number breaks the tie.
    assert leaders(parts, grouped, dates, np.array(["x"] * 5)).tolist() == [2, 1, 2, 4, 4, 2]
    assert leaders(parts, grouped[:0], dates[:0], ids[:0]).tolist() == [0, 1, 2, 3, 4, 5]


def test_signatures_sharing_a_band_are_compared_and_joined():
    rows = np.zeros((4, BINS), dtype=np.uint16)
    rows[0] = np.arange(BINS)
    rows[1] = np.arange(BINS)
    rows[1][BINS // 2 :] += 1000  # half the bins equal: similar
    rows[2] = np.arange(BINS) + 2000  # nothing in common
    rows[3] = rows[0]
    usable = np.array([True, True, True, False])  # 3 is deleted
    signed = Signed(((0, rows[:2]), (2, rows[2:])), usable)
    dates = np.array(["2023-01-01", "2023-01-02", "2023-01-03", "2023-01-04"])
    assert group(signed, dates, np.array(["0", "1", "2", "3"])).tolist() == [0, 0, 2, 3]


def test_a_bands_key_is_equal_exactly_when_its_bins_are():
    rows = np.zeros((5, BINS), dtype=np.uint16)
    rows[:] = np.arange(BINS)
    rows[1, 2 * ROWS + 3] = 7  # the last bin of band 2 differs
    rows[2, 2 * ROWS] = 7  # its first bin differs
    rows[3, 3 * ROWS] = 7  # a bin of band 3 only
    rows[4, 1], rows[4, 2] = rows[4, 2], rows[4, 1]  # two bins of band 0 swapped
    signed = Signed(((0, rows[:2]), (2, rows[2:])), np.ones(5, dtype=bool))
    keys = signed.band(2)
    assert [keys[i] == keys[0] for i in range(5)] == [True, False, False, True, True]
    assert signed.band(3)[3] != signed.band(3)[0]
    assert signed.band(0)[4] != signed.band(0)[0]  # the same bins in another order are another key
    assert band_pairs(signed, np.arange(5), 2).tolist() == [[0, 3], [3, 4], [0, 4]]  # neighbours, then the first


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grouping_precision_and_recall_on_written_reprints(seed):
    stories, singles = reprint_corpus(stories=30, singles=200, seed=seed)
    articles = [a for s in stories for a in (s.original, *s.reprints)] + singles
    rows = signatures([stream(a.text) for a in articles])
    signed = Signed(((0, rows),), rows[:, 0] != EMPTY)
    leader = group(signed, np.array([a.date or "" for a in articles]), np.array([a.id for a in articles]))
    found: dict[int, set[str]] = {}
    for article, lead in zip(articles, leader.tolist()):
        found.setdefault(lead, set()).add(article.id)
    precision, recall = pair_scores([s.ids for s in stories], [frozenset(g) for g in found.values() if len(g) > 1])
    assert precision >= 0.95 and recall >= 0.95


def _written(leader: list[int]) -> Written:
    """Groups as the build writes them, each grouped document listed by its number."""
    members = np.flatnonzero(np.bincount(leader, minlength=len(leader))[leader] > 1)
    listed = {name: [f"{name}{d}" for d in range(len(leader))] for name in COPY_FIELDS}
    listed["date_precision"] = ["month"] * len(leader)
    return Written(np.array(leader), members, lambda d: {name: values[d] for name, values in listed.items()})


def _groups() -> Groups:
    # Documents 0–6; 1, 3 and 5 are one story led by 3 (earliest), 2 and 6 another led by 6; 4 is deleted.
    alive = np.array([True, True, True, True, False, True, True])
    day_rank = np.array([0, 5, 4, 1, 0, 5, 2])
    dated = np.ones(7, dtype=bool)
    return Groups(_written([0, 3, 6, 3, 4, 3, 6]), alive, day_rank, dated)


def test_groups_list_each_documents_copies_leader_first():
    groups = _groups()
    assert groups.copies(1) == ([3, 5], 2)
    assert groups.copies(3) == ([1, 5], 2)
    assert groups.copies(2) == ([6], 1)
    assert groups.copies(0) == ([], 0)
    assert groups.copies(4) == ([], 0)
    assert groups.listing(5) == Reprint("id5", "title5", "date5", "month", "source5")


def test_copies_are_listed_up_to_a_limit_and_all_counted():
    groups = _groups()
    # The leader (3) stands first in the group: a copy's listing skips itself, not the limit's slot.
    assert groups.copies(3, 1) == ([1], 2)
    assert groups.copies(1, 1) == ([3], 2)
    assert groups.copies(5, 2) == ([3, 1], 2)
    assert groups.copies(5, 0) == ([], 2)


def test_a_copy_of_unknown_date_is_listed_without_one():
    listed = _written([1, 1]).listing
    written = dataclasses.replace(_written([1, 1]), listing=lambda d: {**listed(d), "date": ["", "2023-05-01"][d]})
    groups = Groups(written, np.ones(2, dtype=bool), np.zeros(2, dtype=np.int64), np.array([False, True]))
    assert groups.listing(0) == Reprint("id0", "title0", None, "unknown", "source0")


def test_collapsing_by_relevance_shows_the_leader_where_the_group_ranks_best():
    groups = _groups()
    docs = np.array([5, 0, 2, 3, 1])
    scores = np.array([9.0, 8.0, 7.0, 6.0, 5.0])
    kept, shown = groups.standing(docs, scores, None, by_date=False)
    # 5, 3 and 1 are one result: 3, the leader, at 5's place (and score); 2 stands for its group alone.
    assert kept.tolist() == [0, 1, 2]
    assert shown.tolist() == [3, 0, 2]


def test_collapsing_by_relevance_places_a_group_at_its_match_found_as_typed():
    groups = _groups()
    docs = np.array([1, 3, 5])
    # 1 scores best but was found only through an alias: the group stands where 5 (typed) does.
    kept, shown = groups.standing(docs, np.array([9.0, 2.0, 4.0]), np.array([True, False, False]), by_date=False)
    assert (kept.tolist(), shown.tolist()) == ([2], [3])
    # Equal scores: the lowest index is the group's place.
    kept, shown = groups.standing(docs, np.array([4.0, 2.0, 4.0]), None, by_date=False)
    assert (kept.tolist(), shown.tolist()) == ([0], [3])


def test_collapsing_by_date_keeps_the_shown_copy_at_its_own_date():
    groups = _groups()
    docs = np.array([1, 5, 2, 6, 3, 0])  # newest first
    kept, shown = groups.standing(docs, np.zeros(6), None, by_date=True)
    assert kept.tolist() == [3, 4, 5]
    assert shown.tolist() == [6, 3, 0]


def test_a_group_shows_its_first_copy_in_group_order_among_the_matches():
    groups = _groups()
    # The leader 3 does not match: of 1 and 5 (same day), 1 comes first in the group.
    for by_date in (False, True):
        kept, shown = groups.standing(np.array([5, 1]), np.array([3.0, 1.0]), None, by_date=by_date)
        assert (kept.tolist(), shown.tolist()) == (([0], [1]) if not by_date else ([1], [1]))


def test_a_copy_whose_leader_is_gone_stands_alone():
    groups = Groups(_written([0, 0, 0]), np.array([False, True, True]), np.zeros(3, dtype=np.int64),
                    np.ones(3, dtype=bool))
    assert groups.copies(1) == ([], 0)
    assert not groups.any


def test_listings_are_mapped_from_the_groups_file_and_read_whole_when_compressed(tmp_path):
    from indexer.reprints import _mapped

    titles = np.array(["喀什的新学校", "和田", ""], dtype=str)
    np.savez(tmp_path / "stored.npz", titles=titles, numbers=np.arange(4), none=np.array([], dtype=str))
    np.savez_compressed(tmp_path / "packed.npz", titles=titles)
    mapped = _mapped(tmp_path / "stored.npz", "titles")
    assert isinstance(mapped, np.memmap)
    assert mapped.tolist() == ["喀什的新学校", "和田", ""]
    assert _mapped(tmp_path / "stored.npz", "numbers").tolist() == [0, 1, 2, 3]
    assert _mapped(tmp_path / "stored.npz", "none").tolist() == []
    packed = _mapped(tmp_path / "packed.npz", "titles")
    assert not isinstance(packed, np.memmap)
    assert packed.tolist() == ["喀什的新学校", "和田", ""]


def test_a_generations_groups_list_copies_from_their_segments_files(tmp_path):
    from indexer.reprints import _copies_name, read_groups, write_groups

    def segment(segment_id: str, numbers: range) -> None:
        np.savez(tmp_path / _copies_name(segment_id), **{
            name: np.array([f"{name}{d}" if name != "date" or d % 2 else "" for d in numbers], dtype=str)
            for name in COPY_FIELDS})

    segment("first", range(0, 3))
    segment("second", range(3, 5))
    leader = np.array([0, 1, 2, 1, 0])
    write_groups(tmp_path, leader, ["first", "second"], 5, np.array([0, 1, 3, 4]))
    written = read_groups(tmp_path, ["first", "second"], 5)
    assert written.leader.tolist() == leader.tolist() and written.members.tolist() == [0, 1, 3, 4]
    assert written.listing(3) == {"id": "id3", "title": "title3", "source": "source3", "date": "date3",
                                  "date_precision": "date_precision3"}
    assert written.listing(4)["date"] == "" and written.listing(0)["title"] == "title0"
    assert read_groups(tmp_path, ["first"], 3) is None  # not the segments the groups were made for
    segment("second", range(3, 4))  # a segment file of another length than the segment
    assert read_groups(tmp_path, ["first", "second"], 5) is None


def _random_rows(rng: np.random.Generator, count: int, stories: np.ndarray) -> np.ndarray:
    """Signatures of copies of a few stories, each with a share of its bins edited (so that copies
    fall on both sides of SIMILAR, and a bucket of one band holds several copies), and a few too
    short to compare."""
    edited = rng.random((count, BINS)) < rng.uniform(0.1, 0.9, size=(count, 1))
    rows = np.where(edited, rng.integers(0, EMPTY, size=(count, BINS)), stories[rng.integers(len(stories), size=count)])
    rows[rng.random(count) < 0.05] = EMPTY
    return rows.astype(np.uint16)


def _signed(rows: np.ndarray, usable: np.ndarray, rng: np.random.Generator) -> Signed:
    """rows cut into a few segments at random places."""
    cuts = np.sort(rng.choice(np.arange(1, len(rows)), size=min(3, len(rows) - 1), replace=False)).tolist()
    bounds = [0, *cuts, len(rows)]
    return Signed(tuple((lo, rows[lo:hi]) for lo, hi in zip(bounds, bounds[1:])), usable & (rows[:, 0] != EMPTY))


@pytest.mark.parametrize("seed", range(30))
def test_parts_found_again_after_a_change_are_those_of_a_full_grouping(seed):
    rng = np.random.default_rng(seed)
    stories = rng.integers(0, EMPTY, size=(int(rng.integers(1, 8)), BINS))
    old_rows = _random_rows(rng, int(rng.integers(10, 90)), stories)
    old_usable = rng.random(len(old_rows)) < 0.9  # some deleted by earlier runs
    before = _signed(old_rows, old_usable, rng)
    old_parts = linked(before)

    # The run deletes some documents and adds others anywhere among the rest, which keep their order.
    # Some of the deleted leave the index (their segment went), and some of those come back as added
    # documents (their segment was merged into a new one).
    deleted = before.usable & (rng.random(len(old_rows)) < rng.choice([0.0, 0.05, 0.3]))
    left = deleted & (rng.random(len(old_rows)) < 0.5)
    back = np.flatnonzero(left & (rng.random(len(old_rows)) < 0.5))
    added = np.concatenate((_random_rows(rng, int(rng.integers(0, 25)), stories), old_rows[back]))
    slots = np.sort(rng.integers(0, len(old_rows) + 1, size=len(added)))
    order = np.insert(np.arange(len(old_rows)), slots, -1 - np.arange(len(added)))
    order = order[(order < 0) | ~left[np.maximum(order, 0)]]
    is_new = order < 0
    rows = np.empty((len(order), BINS), dtype=np.uint16)
    rows[is_new] = added[-1 - order[is_new]]
    rows[~is_new] = old_rows[order[~is_new]]
    usable = np.where(is_new, True, before.usable[np.maximum(order, 0)] & ~deleted[np.maximum(order, 0)])
    after = _signed(rows, usable, rng)
    previous = np.where(~is_new & before.usable[np.maximum(order, 0)], old_parts[np.maximum(order, 0)], -1)
    changed = np.where(is_new, after.usable, deleted[np.maximum(order, 0)])

    gone = Signed(((0, old_rows[left]),), np.ones(int(left.sum()), dtype=bool))

    full = linked(after)
    assert relinked(after, previous, changed, gone, old_parts[left], most=1.0).tolist() == full.tolist()
    assert relinked(after, np.where(after.usable, full, -1), np.zeros(len(rows), dtype=bool), most=1.0).tolist() == full.tolist()


@pytest.mark.parametrize("seed", range(6))
def test_bands_shared_with_a_second_process_give_the_parts_of_one(seed, monkeypatch):
    import indexer.grouping as grouping

    rng = np.random.default_rng(seed)
    stories = rng.integers(0, EMPTY, size=(int(rng.integers(2, 9)), BINS))
    rows = _random_rows(rng, 400, stories)
    signed = _signed(rows, rng.random(len(rows)) < 0.9, rng)
    alone = linked(signed)
    assert len(set(alone[signed.usable].tolist())) > 1  # several parts, some of several documents
    assert len(set(alone[signed.usable].tolist())) < signed.usable.sum()
    previous = np.where(signed.usable, alone, -1)
    changed = np.zeros(len(rows), dtype=bool)
    changed[rng.choice(np.flatnonzero(signed.usable), size=5, replace=False)] = True
    after = Signed(signed.parts, signed.usable & ~changed)
    after_alone = linked(after)
    forks = []

    class Counted(grouping.Forked):
        def __init__(self, fn, *args):
            forks.append(args[-1])
            super().__init__(fn, *args)

    monkeypatch.setattr(grouping, "PARALLEL_MIN_DOCUMENTS", 0)
    monkeypatch.setattr(grouping, "can_fork", lambda: True)
    monkeypatch.setattr(grouping, "Forked", Counted)
    assert linked(signed).tolist() == alone.tolist()
    assert forks == [range(1, BINS // ROWS, 2)]  # the child took every other band
    assert relinked(after, previous, changed, most=1.0).tolist() == after_alone.tolist()


@pytest.mark.parametrize("dtype", [np.uint64, np.int64])
def test_values_within_a_few_wanted_are_those_isin_finds(dtype):
    from indexer.grouping import within

    rng = np.random.default_rng(5)
    values = rng.integers(0, 500, size=2000).astype(dtype)
    for wanted in (values[:0], values[:1], values[rng.choice(2000, 40)], rng.integers(400, 900, 60).astype(dtype)):
        assert within(values, wanted).tolist() == np.isin(values, wanted).tolist()
    assert within(np.array([7, 0, 9], dtype=dtype), np.array([9, 7], dtype=dtype)).tolist() == [True, False, True]


def test_two_labellings_joined_give_the_parts_of_both():
    from indexer.grouping import joined

    # {0, 2} and {3, 4} in one; {2, 4} and {1, 5} in the other: {0, 2, 3, 4} and {1, 5} together.
    assert joined(np.array([0, 1, 0, 3, 3, 5]), np.array([0, 1, 2, 3, 2, 1])).tolist() == [0, 1, 0, 0, 0, 1]


def _unique_rows(count: int) -> np.ndarray:
    """Signatures sharing no bin with one another."""
    return (np.arange(count * BINS, dtype=np.int64).reshape(count, BINS) % (EMPTY - 1)).astype(np.uint16)


def _share(rows: np.ndarray, first: int, second: int, bins: list[int]) -> None:
    rows[second, bins] = rows[first, bins]


# Bins 1 and 2 of every band but the first: 62 bins, which never make a whole band.
HALF_BANDS = [b * 4 + k for b in range(1, BINS // 4) for k in (1, 2)]


def test_a_part_found_again_sees_the_whole_bucket_of_its_documents():
    # Documents x, v, y, w share band 0 in that order: v and w are similar (66 equal bins) but
    # never a candidate pair there (x is the bucket's first, y stands between them). A new document
    # c shares band 5 with v and band 6 with w, and is like neither: their parts are found again.
    x, v, y, w, c = range(5)
    rows = _unique_rows(5)
    for other in (v, y, w):
        _share(rows, x, other, [0, 1, 2, 3])
    _share(rows, v, w, HALF_BANDS)
    _share(rows, v, c, [20, 21, 22, 23])
    _share(rows, w, c, [24, 25, 26, 27])
    before = Signed(((0, rows[:4]),), np.ones(4, dtype=bool))
    after = Signed(((0, rows),), np.ones(5, dtype=bool))
    full = linked(after)
    assert full.tolist() == [0, 1, 2, 3, 4]
    previous = np.concatenate((linked(before), [-1]))
    assert relinked(after, previous, np.array([False, False, False, False, True]), most=1.0).tolist() == full.tolist()


def test_a_document_that_left_its_bucket_lets_its_neighbours_meet():
    # x, v, g, w share band 0; v and w are similar but were not neighbours. g's segment leaves the
    # index (g deleted): v and w become neighbours and join, though nothing changed in signed.
    x, v, g, w = range(4)
    rows = _unique_rows(4)
    for other in (v, g, w):
        _share(rows, x, other, [0, 1, 2, 3])
    _share(rows, v, w, HALF_BANDS)
    before = Signed(((0, rows),), np.ones(4, dtype=bool))
    old = linked(before)
    assert old.tolist() == [0, 1, 2, 3]
    kept = [x, v, w]
    after = Signed(((0, rows[kept]),), np.ones(3, dtype=bool))
    assert linked(after).tolist() == [0, 1, 1]
    gone = Signed(((0, rows[[g]]),), np.ones(1, dtype=bool))
    assert relinked(after, old[kept], np.zeros(3, dtype=bool), gone, old[[g]], most=1.0).tolist() == [0, 1, 1]
