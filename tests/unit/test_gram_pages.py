"""A server's mapped gram files: the pages a query read are let go of afterwards."""

import numpy as np


def _file_pages_kb() -> int:
    """This process's resident pages of mapped files (kB)."""
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("RssFile:"))


def test_released_pages_leave_the_process_and_are_read_again_when_needed(tmp_path):
    from indexer.grams import GramArrays, read_arrays, write_arrays

    positions = np.arange(4_000_000, dtype=np.uint32)  # 16 MB
    arrays = GramArrays(np.array([1], dtype=np.uint64), np.array([0, len(positions)]), positions,
                        np.array([0, 2_000_000, 4_000_001]))
    write_arrays(tmp_path / "g.grams", arrays)
    mapped = read_arrays(tmp_path / "g.grams")
    before = _file_pages_kb()
    assert int(mapped.positions.sum(dtype=np.uint64)) == int(positions.sum(dtype=np.uint64))
    read = _file_pages_kb()
    assert read - before >= 15_000
    mapped.release()
    assert _file_pages_kb() <= read - 15_000
    assert mapped.positions[3_999_999] == 3_999_999 and mapped.keys.tolist() == [1]


def test_the_field_starts_every_query_reads_stay_when_the_positions_go(tmp_path):
    from indexer.grams import GramArrays, read_arrays, write_arrays

    positions = np.arange(4_000_000, dtype=np.uint32)  # 16 MB
    starts = np.arange(0, 4_000_001, 2, dtype=np.int64)  # 16 MB, after the positions in the file
    arrays = GramArrays(np.array([1], dtype=np.uint64), np.array([0, len(positions)]), positions, starts)
    write_arrays(tmp_path / "g.grams", arrays)
    mapped = read_arrays(tmp_path / "g.grams")
    before = _file_pages_kb()
    assert int(mapped.starts.sum()) == int(starts.sum())
    assert int(mapped.positions.sum(dtype=np.uint64)) == int(positions.sum(dtype=np.uint64))
    read = _file_pages_kb()
    assert read - before >= 30_000
    mapped.release()
    # The positions' 16 MB left; the starts' stayed.
    assert read - 17_000 <= _file_pages_kb() <= read - 15_000
