"""A JSON line or a file the live index read before, unchanged, is not read again by `xjsearch
index`: the run takes its articles from the ledger (corpus.loader's known records), and ends as one
that read everything — the same report, the same things reported, the same ledger."""

from __future__ import annotations

import datetime
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

import corpus.loader as loader
from corpus.article import Skipped
from indexer import store
from indexer.build import index_corpus, update_index
from indexer.ledger import SUM_BYTES, Ledger, LedgerWriter, id_hash


def _line(number: int, **fields: object) -> dict[str, object]:
    record: dict[str, object] = {
        "id": f"n{number}", "title": f"援疆项目第{number}期开工",
        "text": f"第{number}期援疆项目在喀什地区开工，惠及当地群众{number}百户。",
    }
    record.update(fields)
    return record


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture()
def read_texts(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The titles the loader reads metadata from (each line read again shows here)."""
    seen: Counter[str] = Counter()
    describe = loader.metadata.describe

    def counted(title: str, text: str, *args: object, **kwargs: object) -> object:
        seen[title] += 1
        return describe(title, text, *args, **kwargs)

    monkeypatch.setattr(loader.metadata, "describe", counted)
    return seen


def _ledger(index_dir: Path) -> list[tuple[str, str]]:
    live = store.read_current(index_dir)
    assert live is not None
    ledger = Ledger.load(index_dir / store.generation_name(live) / store.LEDGER)
    return sorted((i, ledger.checksum(ledger.find(i)).hex()) for i in ledger.unseen())  # type: ignore[arg-type]


def _every_line_read(corpus: Path, index_dir: Path, copy: Path) -> tuple[object, list[Skipped]]:
    """The same run on a copy of the index, reading every line (no known records)."""
    shutil.copytree(index_dir, copy)
    skipped: list[Skipped] = []
    report = update_index(loader.iter_corpus(corpus, skipped), copy, skipped=skipped, corpus_label=str(corpus))
    return report, skipped


def _summary(report: object) -> tuple[object, ...]:
    return tuple(getattr(report, name) for name in ("added", "updated", "deleted", "unchanged", "skipped"))


def test_unchanged_lines_are_not_read_again_and_the_run_ends_as_one_reading_every_line(tmp_path, read_texts):
    records = [_line(n) for n in range(1, 7)]
    corpus = _write(tmp_path / "ready.jsonl", records)
    index_dir = tmp_path / "index"
    assert index_corpus(corpus, index_dir).added == 6
    assert len(read_texts) == 6

    read_texts.clear()
    again = index_corpus(corpus, index_dir)
    assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 6)
    assert not read_texts  # no line read again

    # One line changed, one gone, one new: only the changed and the new one are read.
    records[1] = _line(2, text="第2期援疆项目在和田地区开工，改写后的文字。")
    del records[3]
    records.append(_line(9))
    _write(corpus, records)
    expected, expected_skipped = _every_line_read(corpus, index_dir, tmp_path / "copy")
    read_texts.clear()
    report = index_corpus(corpus, index_dir)
    assert set(read_texts) == {"援疆项目第2期开工", "援疆项目第9期开工"}
    assert (report.added, report.updated, report.deleted, report.unchanged) == (1, 1, 1, 4)
    assert _summary(report) == _summary(expected)
    assert _ledger(index_dir) == _ledger(tmp_path / "copy")


def test_a_line_with_something_to_report_is_read_and_reported_every_time(tmp_path, read_texts):
    records = [
        _line(1),
        _line(2, id="a/b"),  # an id no address can hold: replaced, which is reported
        _line(3, id="same"),
        _line(4, id="same"),  # a repeated id: reported
    ]
    corpus = _write(tmp_path / "ready.jsonl", records)
    index_dir = tmp_path / "index"
    first = index_corpus(corpus, index_dir)
    read_texts.clear()
    second = index_corpus(corpus, index_dir)
    assert sorted(s.reason for s in second.skipped) == sorted(s.reason for s in first.skipped)
    assert len(second.skipped) == 2
    # The clean line and the repeated id's first are passed over; the others are read again.
    assert set(read_texts) == {"援疆项目第2期开工", "援疆项目第4期开工"}
    assert second.unchanged == first.added == 3


def test_a_line_whose_date_lies_later_this_year_is_read_again(tmp_path, read_texts):
    today = datetime.date.today()
    later = today + datetime.timedelta(days=1)
    if later.year != today.year:
        pytest.skip("no later day this year")
    corpus = _write(tmp_path / "ready.jsonl", [_line(1), _line(2, text=f"{later:%Y年%-m月%-d日}，援疆项目在喀什开工。")])
    index_dir = tmp_path / "index"
    index_corpus(corpus, index_dir)
    read_texts.clear()
    assert index_corpus(corpus, index_dir).unchanged == 2
    assert set(read_texts) == {"援疆项目第2期开工"}  # its date may hold another day


def test_every_line_is_read_again_by_another_loader_a_rebuild_or_under_another_name(tmp_path, read_texts):
    corpus = _write(tmp_path / "ready.jsonl", [_line(1), _line(2)])
    index_dir = tmp_path / "index"
    index_corpus(corpus, index_dir)
    read_texts.clear()
    index_corpus(corpus, index_dir, rebuild=True)
    assert len(read_texts) == 2
    read_texts.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "loader_signature", lambda: "another loader")
        assert index_corpus(corpus, index_dir).unchanged == 2
    assert len(read_texts) == 2
    read_texts.clear()
    renamed = corpus.rename(tmp_path / "renamed.jsonl")
    assert index_corpus(renamed, index_dir).unchanged == 2
    assert len(read_texts) == 2


def test_a_ledger_tells_the_articles_of_a_record_in_order_only_when_it_holds_them_all(tmp_path):
    writer = LedgerWriter()
    ids = ["x-2", "x", "y", "z"]
    key_x, key_y = "ab" * 16, "cd" * 16
    records = [f"{key_x}/2/2", f"{key_x}/1/2", f"{key_y}/1/2", ""]  # y's second part is not in
    digests = bytes(range(len(ids) * SUM_BYTES))
    writer.add_many(ids, [id_hash(i) for i in ids], digests, records=records)
    writer.save(tmp_path / "ledger.npz")
    ledger = Ledger.load(tmp_path / "ledger.npz")
    assert ledger.known(key_x) == (("x", digests[SUM_BYTES : 2 * SUM_BYTES].hex()), ("x-2", digests[:SUM_BYTES].hex()))
    assert ledger.known(key_y) is None
    assert ledger.known("ef" * 16) is None
    # A ledger written without records knows none.
    plain = LedgerWriter()
    plain.add_many(ids, [id_hash(i) for i in ids], digests)
    plain.save(tmp_path / "plain.npz")
    assert Ledger.load(tmp_path / "plain.npz").known(key_x) is None


def _page(title: str, place: str) -> str:
    return (f"{title}\n\n本报讯 近日，援疆工作队来到{place}，走访当地群众，了解项目进展。\n\n"
            f"工作队表示，将继续做好{place}的援疆工作。\n")


def test_an_unchanged_page_file_is_not_read_again(tmp_path, read_texts):
    corpus = tmp_path / "pages"
    corpus.mkdir()
    (corpus / "a.txt").write_text(_page("援疆工作队走访喀什", "喀什"), encoding="utf-8")
    (corpus / "b.txt").write_text(_page("援疆工作队走访和田", "和田"), encoding="utf-8")
    (corpus / "empty.txt").write_text("\n\n", encoding="utf-8")  # no article: reported every time
    index_dir = tmp_path / "index"
    first = index_corpus(corpus, index_dir)
    assert first.added == 2 and len(first.skipped) == 1
    read_texts.clear()
    again = index_corpus(corpus, index_dir)
    assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 2)
    assert not read_texts
    assert [s.reason for s in again.skipped] == [s.reason for s in first.skipped]

    # One page rewritten: only it is read; the run ends as one reading every file.
    (corpus / "b.txt").write_text(_page("援疆工作队走访和田", "和田地区墨玉县"), encoding="utf-8")
    expected, _ = _every_line_read(corpus, index_dir, tmp_path / "copy")
    read_texts.clear()
    report = index_corpus(corpus, index_dir)
    assert set(read_texts) == {"援疆工作队走访和田"}
    assert _summary(report) == _summary(expected)
    assert _ledger(index_dir) == _ledger(tmp_path / "copy")


@pytest.mark.parametrize("seed", range(3))
def test_random_edits_end_as_runs_reading_everything(tmp_path, seed, read_texts):
    import random

    rng = random.Random(seed)
    places = ["喀什", "和田", "阿克苏", "克拉玛依", "伊犁"]

    def record(n: int) -> dict[str, object]:
        fields: dict[str, object] = {"title": f"援疆项目{n}号在{rng.choice(places)}开工",
                                     "text": f"{rng.choice(places)}的援疆项目{n}号开工，{rng.randint(1, 99)}户受益。"}
        roll = rng.random()
        if roll < 0.5:
            fields["id"] = f"r{n}"
        elif roll < 0.6:
            fields["id"] = f"r{rng.randint(0, n)}"  # perhaps a repeat of an earlier id
        elif roll < 0.65:
            fields["id"] = f"r{n}/x"  # an id no address can hold
        return fields

    records = [record(n) for n in range(12)]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    index_dir = tmp_path / "index"
    passed_over = 0
    for round_number in range(4):
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        if rng.random() < 0.5:
            lines.insert(rng.randint(0, len(lines)), "{not json")
        (corpus / "ready.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        for k in range(3):
            if rng.random() < 0.5:
                title = f"援疆工作队第{rng.randint(1, 3)}次走访{rng.choice(places)}"
                (corpus / f"page{k}.txt").write_text(_page(title, rng.choice(places)), encoding="utf-8")
        copy = tmp_path / f"copy{round_number}"
        if index_dir.exists():
            expected, _ = _every_line_read(corpus, index_dir, copy)
        read_texts.clear()
        report = index_corpus(corpus, index_dir)
        if round_number:
            assert _summary(report) == _summary(expected)
            assert _ledger(index_dir) == _ledger(copy)
            passed_over += report.unchanged + len(report.skipped) - sum(read_texts.values())
        # Edits: some records rewritten, some gone, some new.
        records = [record(i) if rng.random() < 0.2 else r for i, r in enumerate(records)]
        records = [r for r in records if rng.random() > 0.1] + [record(100 + round_number * 10 + k) for k in range(2)]
    assert passed_over > 0  # the runs did pass lines and files over
