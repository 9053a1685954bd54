"""The ledger: compact ids and checksums, exact even when two ids share a hash."""

import hashlib
import random

import numpy as np
import pytest

from indexer import ledger as ledger_module
from indexer.ledger import Ledger, LedgerWriter, checksum_digest


def digest(text: str) -> bytes:
    return checksum_digest(hashlib.sha1(text.encode()).hexdigest())


def test_a_repeated_id_is_refused_and_the_rest_found_after_saving(tmp_path):
    writer = LedgerWriter()
    ids = [f"文章-{i}" for i in range(3000)]  # enough to grow the table several times
    assert all(writer.add(i, digest(i)) for i in ids)
    assert writer.add("文章-17", digest("other")) is False
    assert len(writer) == 3000
    writer.save(tmp_path / "ledger.npz")
    read = Ledger.load(tmp_path / "ledger.npz")
    assert len(read) == 3000
    entry = read.find("文章-17")
    assert entry is not None and read.checksum(entry) == digest("文章-17")
    assert read.find("文章-3000") is None
    for i in ids[::7]:
        read.seen[read.find(i)] = True
    assert sorted(read.unseen()) == sorted(set(ids) - set(ids[::7]))


def test_a_saved_ledger_holds_every_id_whole_in_hash_order(tmp_path):
    from indexer.ledger import id_hash

    rng = random.Random(4)
    ids = ["".join(rng.choice("援疆ab-0123") for _ in range(rng.randint(1, 12))) + f"#{i}" for i in range(2000)]
    writer = LedgerWriter()
    for i in ids:
        writer.add(i, digest(i))
    hashes, sums, ends, blob = writer.arrays()
    starts = np.concatenate(([0], ends[:-1]))
    found = [bytes(blob[s:e]).decode("utf-8") for s, e in zip(starts.tolist(), ends.tolist())]
    assert found == sorted(ids, key=id_hash)
    assert hashes.tolist() == sorted(id_hash(i) for i in ids)
    assert [bytes(row) for row in sums] == [digest(i) for i in found]


def test_ids_sharing_a_hash_are_told_apart(tmp_path, monkeypatch):
    monkeypatch.setattr(ledger_module, "id_hash", lambda article_id: 42)
    writer = LedgerWriter()
    assert writer.add("a", digest("a")) and writer.add("b", digest("b")) and writer.add("c", digest("c"))
    assert writer.add("b", digest("b")) is False
    writer.save(tmp_path / "ledger.npz")
    read = Ledger.load(tmp_path / "ledger.npz")
    found = {i: read.find(i) for i in ("a", "b", "c", "d")}
    assert found["d"] is None
    assert {i: read.checksum(e) for i, e in found.items() if e is not None} == {i: digest(i) for i in "abc"}


def test_an_empty_ledger_and_the_json_checksums_of_older_generations(tmp_path):
    LedgerWriter().save(tmp_path / "empty.npz")
    assert len(Ledger.load(tmp_path / "empty.npz")) == 0
    sha = hashlib.sha1(b"x").hexdigest()
    old = Ledger.from_checksums({"kly": sha, "chen": sha})
    assert old.checksum(old.find("kly")) == checksum_digest(sha) and old.find("iov") is None


def test_a_damaged_ledger_file_is_an_error(tmp_path):
    (tmp_path / "ledger.npz").write_bytes(b"not a ledger")
    with pytest.raises((OSError, ValueError)):
        Ledger.load(tmp_path / "ledger.npz")


def _hashes(ids):
    return np.array([ledger_module.id_hash(i) for i in ids], dtype=np.uint64)


@pytest.mark.parametrize("seed", range(6))
def test_batches_decide_as_articles_taken_one_at_a_time(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    if seed % 2:  # few hash values: most ids share one with another id
        monkeypatch.setattr(ledger_module, "id_hash", lambda article_id: len(article_id) % 3)
    pool = [f"稿件{n}" for n in range(400)]
    live = LedgerWriter()
    live_ids = rng.sample(pool, 150)
    live.add_many(live_ids, _hashes(live_ids), b"".join(digest(i) for i in live_ids))
    live.save(tmp_path / "ledger.npz")
    old = Ledger.load(tmp_path / "ledger.npz")

    expected_fresh, entered = [], {}
    writer = LedgerWriter()
    beside = LedgerWriter()  # told each id's entry in the live ledger, as an update tells it
    for _ in range(12):
        batch = [rng.choice(pool) for _ in range(rng.randrange(0, 90))]
        digests = [digest(i + str(rng.randrange(2))) for i in batch]
        fresh = writer.add_many(batch, _hashes(batch), b"".join(digests))
        live_entries = old.find_many(batch, _hashes(batch))
        fresh_beside = beside.add_many(batch, _hashes(batch), b"".join(digests), (live_entries, old.seen))
        old.seen[live_entries[fresh_beside & (live_entries >= 0)]] = True
        expected = []
        for article_id, d in zip(batch, digests):
            expected.append(article_id not in entered)
            entered.setdefault(article_id, d)
        assert fresh.tolist() == fresh_beside.tolist() == expected
        entries = old.find_many(batch, _hashes(batch))
        assert [e >= 0 for e in entries.tolist()] == [i in live_ids for i in batch]
        found = entries >= 0
        assert [bytes(row) for row in old.checksums(entries[found])] == [digest(i) for i, f in zip(batch, found) if f]
        expected_fresh.extend(expected)
    assert len(writer) == len(beside) == len(entered) == sum(expected_fresh)
    assert len(beside._tabled) == len(set(entered) - set(live_ids))  # the table holds only ids new to the live ledger
    writer.save(tmp_path / "next.npz")
    beside.save(tmp_path / "beside.npz")
    with np.load(tmp_path / "next.npz") as one, np.load(tmp_path / "beside.npz") as other:
        assert all(np.array_equal(one[name], other[name]) for name in one.files)
    again = Ledger.load(tmp_path / "next.npz")
    ids = list(entered)
    assert [bytes(again.checksum(e)) for e in again.find_many(ids, _hashes(ids)).tolist()] == [entered[i] for i in ids]
    assert again.find_many([], _hashes([])).tolist() == []


def test_a_table_of_the_new_ids_alone_grows_and_still_refuses_every_repeat(tmp_path):
    ids = [f"稿件{n}" for n in range(3000)]
    live = LedgerWriter()
    live.add_many(ids[::2], _hashes(ids[::2]), b"".join(digest(i) for i in ids[::2]))
    live.save(tmp_path / "live.npz")
    old = Ledger.load(tmp_path / "live.npz")
    plain, beside = LedgerWriter(), LedgerWriter()
    for round_ in range(2):  # every id twice: the second time each is a repeat
        for at in range(0, len(ids), 500):
            batch = ids[at : at + 500]
            digests = b"".join(digest(i) for i in batch)
            entries = old.find_many(batch, _hashes(batch))
            fresh = beside.add_many(batch, _hashes(batch), digests, (entries, old.seen))
            old.seen[entries[fresh & (entries >= 0)]] = True
            assert fresh.tolist() == plain.add_many(batch, _hashes(batch), digests).tolist() == [round_ == 0] * len(batch)
    assert len(beside._tabled) == 1500 < len(beside._slots) // 2 + 1
    plain.save(tmp_path / "plain.npz")
    beside.save(tmp_path / "beside.npz")
    with np.load(tmp_path / "plain.npz") as one, np.load(tmp_path / "beside.npz") as other:
        assert all(np.array_equal(one[name], other[name]) for name in one.files)
