"""The tiered merge policy: which segments are merged."""

from indexer.merging import MergePolicy, Size, plan_merges

POLICY = MergePolicy(factor=3, floor_docs=10, max_docs=100)


def test_tiers_are_factor_times_larger_than_the_one_below():
    assert [POLICY.tier(n) for n in (0, 1, 29, 30, 89, 90, 269, 270)] == [0, 0, 0, 1, 1, 2, 2, 3]


def test_factor_segments_of_a_tier_are_merged_smallest_first():
    sizes = [Size(5), Size(40), Size(2), Size(8), Size(35), Size(3)]
    # Tier 0 (under 30): 2, 3, 5, 8 → the three smallest; tier 1 (30–89): only two.
    assert plan_merges(sizes, POLICY) == [[2, 5, 0]]


def test_no_merge_makes_a_segment_larger_than_max_docs():
    sizes = [Size(45), Size(45), Size(40), Size(30)]
    # 30 + 40 fit, 45 more would not; segments over max_docs / 2 are never merged.
    assert plan_merges(sizes, POLICY) == [[3, 2]]
    assert plan_merges([Size(60), Size(60), Size(60)], POLICY) == []


def test_a_segment_with_many_deletions_is_rewritten():
    sizes = [Size(50, deleted=20), Size(50, deleted=10), Size(4)]
    assert plan_merges(sizes, POLICY) == [[0]]


def test_live_documents_decide_the_tier():
    sizes = [Size(80, deleted=60), Size(9), Size(9)]
    # 80 with 60 deleted counts as 20 (tier 0), merged with the others of its tier.
    assert plan_merges(sizes, POLICY) == [[1, 2, 0]]
