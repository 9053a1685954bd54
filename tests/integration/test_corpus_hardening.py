"""A corpus no file can hang or crash: only regular files are read, under a size cap, and every skip is reported."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from corpus import Skipped, load_corpus
from corpus.loader import MAX_ID_LENGTH
from corpus.readers.source import MAX_ARTICLE_CHARS

PAGE = "领略科技魅力\n本报讯（通讯员 于欢）3月31日，在克拉玛依科技馆的精心筹备下，孤残儿童开启了\n一段科学探索的旅程。\n"


def load_within(path: Path, seconds: float = 20.0):
    """load_corpus(path), failing the test (not hanging it) if it does not return in time."""
    result: list = []
    worker = threading.Thread(target=lambda: result.append(load_corpus(path)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"loading {path} did not finish in {seconds} s"
    return result[0]


def test_a_fifo_named_like_a_page_is_reported_not_read(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(PAGE, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    result = load_within(tmp_path)
    assert [a.title for a in result.articles] == ["领略科技魅力"]
    assert result.skipped == (
        Skipped(str(tmp_path / "pipe.jsonl"), "not a regular file (a FIFO)"),
        Skipped(str(tmp_path / "pipe.txt"), "not a regular file (a FIFO)"),
    )


def test_a_link_to_an_endless_device_is_reported_not_read(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "nowhere.txt").symlink_to(tmp_path / "missing")
    result = load_within(tmp_path)
    assert result.articles == ()
    assert result.skipped == (
        Skipped(str(tmp_path / "nowhere.txt"), "cannot read: No such file or directory"),
        Skipped(str(tmp_path / "zero.txt"), "not a regular file (a character device)"),
    )


def test_a_file_over_the_size_cap_is_reported_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "small.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "large.txt").write_text(PAGE * 200, encoding="utf-8")  # 35 KB
    monkeypatch.setenv("XJSEARCH_MAX_FILE_MB", "0.01")  # 10 KB
    result = load_corpus(tmp_path)
    assert [a.origin for a in result.articles] == ["small.txt#1"]
    assert result.skipped == (
        Skipped(str(tmp_path / "large.txt"), "0.03 MB is over the size cap of 0.01 MB (set XJSEARCH_MAX_FILE_MB to read it)"),
    )


def test_a_bad_size_cap_setting_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus import CorpusError

    monkeypatch.setenv("XJSEARCH_MAX_FILE_MB", "lots")
    with pytest.raises(CorpusError, match=r"^\$XJSEARCH_MAX_FILE_MB is 'lots', not a positive number of megabytes$"):
        load_corpus(tmp_path)


def test_a_file_name_that_is_not_utf8_is_read_and_reported_by_its_readable_name(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    with open(folder + b"/" + "援疆新闻.txt".encode("gbk"), "wb") as page:
        page.write(PAGE.encode("utf-8"))
    with open(folder + b"/" + "坏文件.txt".encode("gbk"), "wb") as bad:
        bad.write(b"\x00\x01" * 100)
    result = load_corpus(tmp_path)
    assert [(a.title, a.origin) for a in result.articles] == [("领略科技魅力", "援疆新闻.txt#1")]
    assert result.skipped == (Skipped(f"{tmp_path}/坏文件.txt", "binary file (contains NUL bytes)"),)
    json.dumps([a.origin for a in result.articles] + [s.path for s in result.skipped], ensure_ascii=False).encode("utf-8")


def test_an_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "good.txt").write_text(PAGE, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text(PAGE, encoding="utf-8")
    scandir = os.scandir

    # The tests run as root, whom no permission stops: the folder refuses as it would refuse a user.
    def refusing(path):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    result = load_corpus(tmp_path)
    assert [a.origin for a in result.articles] == ["good.txt#1"]
    assert result.skipped == (Skipped(str(locked), "cannot read folder: Permission denied"),)


def test_a_folder_linked_into_itself_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    result = load_corpus(tmp_path)
    assert [a.origin for a in result.articles] == ["a/page.txt#1"]
    assert result.skipped == (Skipped(str(tmp_path / "a" / "loop"), "folder already read (a symbolic link loop)"),)


def test_an_oversized_article_is_cut_into_articles_and_reported(tmp_path: Path) -> None:
    sentence = "克拉玛依发展氢能产业有得天独厚的基础。"  # 19 characters
    line = "本报讯" + sentence * (MAX_ARTICLE_CHARS * 5 // 2 // len(sentence))
    (tmp_path / "huge.txt").write_text("氢能产业\n" + line + "\n", encoding="utf-8")
    result = load_corpus(tmp_path)
    assert [a.title for a in result.articles] == ["氢能产业（1/3）", "氢能产业（2/3）", "氢能产业（3/3）"]
    assert [len(a.text) for a in result.articles] == [199_997, 199_994, len(line) - 199_997 - 199_994]
    assert "".join(a.text for a in result.articles) == line
    assert all(a.text.endswith("。") for a in result.articles)
    assert len({a.id for a in result.articles}) == 3
    assert result.skipped == (
        Skipped(str(tmp_path / "huge.txt"), f"article huge.txt#1 of {len(line)} characters is over the limit of 200000; indexed as 3 articles"),
    )


@pytest.mark.parametrize(
    ("bad_id", "why"),
    [
        ("a/b", "contains a slash"),
        ("a\\b", "contains a slash"),
        ("..", "is a dot path"),
        ("x" * (MAX_ID_LENGTH + 1), f"longer than {MAX_ID_LENGTH} characters"),
        ("a\u0007b", "contains control characters"),
        ("a\u200bb", "contains control characters"),
    ],
)
def test_an_id_that_cannot_be_linked_is_replaced_and_reported(tmp_path: Path, bad_id: str, why: str) -> None:
    record = {"id": bad_id, "title": "援疆", "text": "上海援疆干部在喀什莎车县工作。"}
    (tmp_path / "a.jsonl").write_text(json.dumps(record) + "\n" + json.dumps(record | {"id": "ok-1"}) + "\n", encoding="utf-8")
    result = load_corpus(tmp_path)
    first, second = result.articles
    assert second.id == "ok-1"
    assert len(first.id) == 16 and first.id.isalnum()
    shown = repr(bad_id[:40]) + ("…" if len(bad_id) > 40 else "")
    assert result.skipped == (Skipped(str(tmp_path / "a.jsonl"), f"id {shown} {why}; indexed as {first.id}", 1),)
