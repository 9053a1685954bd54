"""`xjsearch index`, `export` and `stats`, run through click's test runner."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from indexer import store
from search.cli import cli


def jsonl(path, *records, extra_lines=()):
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


A = {"id": "a", "title": "智能网联汽车", "text": "氢能、智能网联、数字经济3大产业集群。", "date": "2025-04-02",
     "source": "克拉玛依日报", "regions": ["克拉玛依"], "sectors": ["数字科技"], "aid_from": ["上海"]}
B = {"id": "b", "title": "天津组团式援疆", "text": "天津援疆医疗队开展“组团式”帮扶。", "date": "2023-12-11",
     "source": "和田日报", "regions": ["和田"], "sectors": ["医疗卫生"], "aid_from": ["天津"]}


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture()
def corpus_file(tmp_path):
    return jsonl(tmp_path / "articles.jsonl", A, B, extra_lines=["{not json"])


def run(runner, *args):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_help_lists_every_command(runner):
    result = run(runner, "--help")
    assert result.exit_code == 0
    for command in ("corpus", "index", "export", "stats", "search"):
        assert f"\n  {command} " in result.output


def test_index_json_report(runner, corpus_file, tmp_path):
    result = run(runner, "index", "--corpus", corpus_file, "--index", tmp_path / "ix", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {k: data[k] for k in ("added", "updated", "deleted", "unchanged", "generation")} == {
        "added": 2, "updated": 0, "deleted": 0, "unchanged": 0, "generation": 1,
    }
    assert [(s["path"], s["line"]) for s in data["skipped"]] == [(str(corpus_file), 3)]
    assert data["skipped"][0]["reason"].startswith("malformed JSON")


def test_index_text_report_then_incremental_runs(runner, corpus_file, tmp_path):
    ix = tmp_path / "ix"
    first = run(runner, "index", "--corpus", corpus_file, "--index", ix)
    assert first.output.splitlines()[:2] == [
        "full build (no index yet)",
        "added 2, updated 0, deleted 0, unchanged 0, skipped 1",
    ]
    again = run(runner, "index", "--corpus", corpus_file, "--index", ix)
    assert again.output.splitlines()[0] == "added 0, updated 0, deleted 0, unchanged 2, skipped 1"
    assert "(unchanged, generation 1)" in again.output
    changed = dict(A, text="氢能产业集群加快成长。")
    jsonl(corpus_file, changed, {**B, "id": "c"})
    third = run(runner, "index", "--corpus", corpus_file, "--index", ix)
    assert third.output.splitlines()[0] == "added 1, updated 1, deleted 1, unchanged 0, skipped 0"
    assert "(generation 2)" in third.output
    assert "indexing" not in third.output  # no progress bar when not on a terminal


def test_index_uses_the_environment_variable(runner, corpus_file, tmp_path, monkeypatch):
    monkeypatch.setenv("XJSEARCH_INDEX", str(tmp_path / "env-ix"))
    assert run(runner, "index", "--corpus", corpus_file).exit_code == 0
    assert store.read_current(tmp_path / "env-ix") == 1


def test_concurrent_index_gets_a_clear_message(runner, corpus_file, tmp_path):
    ix = tmp_path / "ix"
    with store.reindex_lock(ix):
        result = run(runner, "index", "--corpus", corpus_file, "--index", ix)
    assert result.exit_code == 1
    assert result.output == f"Error: another reindex is running on {ix} — wait for it to finish, then run the command again\n"


def test_an_index_kept_inside_the_corpus_folder_is_not_read_as_part_of_it(runner, tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    jsonl(folder / "articles.jsonl", A, B)
    ix = folder / "index"
    first = run(runner, "index", "--corpus", folder, "--index", ix)
    assert first.output.splitlines()[:2] == ["full build (no index yet)", "added 2, updated 0, deleted 0, unchanged 0, skipped 0"]
    # Its generation files, lock and ledger are there now; a second run still reads only the articles.
    again = run(runner, "index", "--corpus", folder, "--index", ix)
    assert again.output.splitlines()[0] == "added 0, updated 0, deleted 0, unchanged 2, skipped 0"


def test_missing_corpus_is_one_line(runner, tmp_path):
    result = run(runner, "index", "--corpus", tmp_path / "none.jsonl", "--index", tmp_path / "ix")
    assert (result.exit_code, result.output) == (
        1, f"Error: no corpus at {tmp_path / 'none.jsonl'} — give a folder or a file of text pages, JSON Lines, web pages, PDFs, scans, Word files or web archives\n")
    assert not (tmp_path / "ix").exists()


@pytest.mark.parametrize("command", [["index"], ["search", "援疆"], ["export"], ["stats"], ["serve"]])
def test_an_index_path_that_is_a_file_is_one_line(runner, tmp_path, monkeypatch, command):
    from web.cli import cli as root  # the root group with serve added

    a_file = tmp_path / "index.txt"
    a_file.write_text("not an index", encoding="utf-8")
    result = runner.invoke(root, [*command, "--index", str(a_file)], catch_exceptions=False)
    assert (result.exit_code, result.output) == (
        1, f"Error: {a_file} is a file, not an index directory — give a directory with --index\n")
    monkeypatch.setenv("XJSEARCH_INDEX", str(a_file))
    result = runner.invoke(root, command, catch_exceptions=False)
    assert (result.exit_code, result.output) == (
        1, f"Error: {a_file} (from $XJSEARCH_INDEX) is a file, not an index directory — give a directory with --index\n")
    assert a_file.read_text(encoding="utf-8") == "not an index"


def test_export_jsonl_and_csv(runner, corpus_file, tmp_path):
    ix = tmp_path / "ix"
    jsonl(corpus_file, A, B, {**B, "id": "c", "date": "2023-12", "text": "天津援疆干部扎根基层。"},
          {**B, "id": "d", "date": "2023", "text": "天津援疆。"})
    run(runner, "index", "--corpus", corpus_file, "--index", ix)
    lines = run(runner, "export", "--index", ix, "--format", "jsonl").output.splitlines()
    keys = ("id", "title", "date", "date_precision", "source", "regions", "sectors", "aid_from", "text", "origin")
    assert [list(json.loads(line)) for line in lines] == [list(keys)] * 4
    origin = {"file": "articles.jsonl", "page": None, "url": None}
    assert [json.loads(line) for line in lines] == [
        {**{k: A[k] for k in keys if k in A}, "date_precision": "day", "origin": origin},
        {**{k: B[k] for k in keys if k in B}, "date_precision": "day", "origin": origin},
        {**{k: B[k] for k in keys if k in B}, "id": "c", "date": "2023-12-01", "date_precision": "month",
         "text": "天津援疆干部扎根基层。", "origin": origin},
        {**{k: B[k] for k in keys if k in B}, "id": "d", "date": "2023-01-01", "date_precision": "year",
         "text": "天津援疆。", "origin": origin},
    ]
    output = run(runner, "export", "--index", ix, "--format", "csv").output
    assert output.startswith("\ufeffid,")
    rows = list(csv.reader(io.StringIO(output.removeprefix("\ufeff"))))
    assert rows[0] == ["id", "title", "date", "date_precision", "source", "regions", "sectors", "aid_from", "text", "origin"]
    assert rows[2:] == [
        ["b", "天津组团式援疆", "2023-12-11", "day", "和田日报", "和田", "医疗卫生", "天津", "天津援疆医疗队开展“组团式”帮扶。", "articles.jsonl"],
        ["c", "天津组团式援疆", "2023-12-01", "month", "和田日报", "和田", "医疗卫生", "天津", "天津援疆干部扎根基层。", "articles.jsonl"],
        ["d", "天津组团式援疆", "2023-01-01", "year", "和田日报", "和田", "医疗卫生", "天津", "天津援疆。", "articles.jsonl"],
    ]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_without_an_index_names_the_next_step_and_writes_nothing(runner, tmp_path, fmt):
    result = run(runner, "export", "--index", tmp_path / "ix", "--format", fmt)
    assert result.exit_code == 1
    assert (result.stdout, result.stderr) == (
        "", f"Error: no index at {tmp_path / 'ix'} — run: xjsearch index --index {tmp_path / 'ix'}\n")
    # Nor is an output file made.
    result = run(runner, "export", "--index", tmp_path / "ix", "--format", fmt, "--output", tmp_path / "out")
    assert result.exit_code == 1 and not (tmp_path / "out").exists()


def test_stats(runner, corpus_file, tmp_path):
    ix = tmp_path / "ix"
    run(runner, "index", "--corpus", corpus_file, "--index", ix)
    data = json.loads(run(runner, "stats", "--index", ix, "--json").output)
    assert {k: data[k] for k in ("articles", "generation", "date_min", "date_max")} == {
        "articles": 2, "generation": 1, "date_min": "2023-12-11", "date_max": "2025-04-02",
    }
    assert data["facets"]["region"] == [{"value": "克拉玛依", "count": 1}, {"value": "和田", "count": 1}]
    text = run(runner, "stats", "--index", ix).output
    assert "articles    2\n" in text
    assert "region      克拉玛依 1, 和田 1\n" in text
