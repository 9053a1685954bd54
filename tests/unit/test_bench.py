"""The benchmark harness's pure parts: the synthetic corpus is deterministic, the statistics exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.queries import QUERY_MIX
from bench.stats import growth_exponent, latency_summary, percentile, summarize
from bench.synthetic import changed_indexes, ensure_corpus, load_material, make_article, split_sentences


@pytest.fixture(scope="module")
def material():
    return load_material()


def test_article_depends_only_on_seed_index_and_revision(material):
    first = make_article(material, 7, 42)
    assert make_article(material, 7, 42) == first
    assert make_article(material, 8, 42) != first
    changed = make_article(material, 7, 42, revision=1)
    assert changed["id"] == first["id"] == "syn-0000042"
    assert changed["text"] != first["text"]


def test_article_fields_come_from_the_real_values(material):
    for index in range(50):
        article = make_article(material, 1, index)
        assert set(article["regions"]) <= set(material.regions)
        assert set(article["sectors"]) <= set(material.sectors)
        assert set(article["aid_from"]) <= set(material.aid_from)
        assert article["source"] in material.sources
        assert "2010-01-01" <= article["date"] <= "2025-12-31"


def test_smaller_corpus_is_a_prefix_of_a_larger_one(tmp_path):
    small = ensure_corpus(tmp_path, 120, seed=3)
    large = ensure_corpus(tmp_path, 240, seed=3)
    small_lines = small.path.read_text(encoding="utf-8").splitlines()
    assert large.path.read_text(encoding="utf-8").splitlines()[:120] == small_lines
    assert small.changed == 1 and large.changed == 2
    # The changed copy differs in exactly the changed articles, ids kept.
    changed_lines = large.changed_path.read_text(encoding="utf-8").splitlines()
    differing = [i for i, (a, b) in enumerate(zip(large.path.read_text(encoding="utf-8").splitlines(), changed_lines))
                 if a != b]
    assert differing == changed_indexes(240, 3)
    assert [json.loads(changed_lines[i])["id"] for i in differing] == [f"syn-{i:07d}" for i in differing]


def test_average_article_is_about_1_7_kb(tmp_path):
    corpus = ensure_corpus(tmp_path, 400, seed=5)
    assert 1500 <= corpus.text_bytes / corpus.n <= 1900


def test_changed_indexes_are_one_percent_and_fixed():
    assert changed_indexes(1000, 9) == changed_indexes(1000, 9)
    assert len(changed_indexes(1000, 9)) == 10
    assert len(set(changed_indexes(1000, 9))) == 10
    assert changed_indexes(50, 9) == changed_indexes(50, 9) and len(changed_indexes(50, 9)) == 1


def test_split_sentences_keeps_closing_punctuation_and_quotes():
    assert split_sentences("他说：“好。”我们走吧！还有") == ("他说：“好。”", "我们走吧！", "还有")


def test_percentile_interpolates_between_ranks():
    values = [4.0, 1.0, 3.0, 2.0, 5.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 3.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile([10.0, 20.0], 25) == 12.5
    with pytest.raises(ValueError):
        percentile([], 50)


def test_summarize_and_latency_summary():
    assert summarize([1.0, 2.0, 3.0, 4.0]) == {"n": 4, "mean": 2.5, "p50": 2.5, "p95": 3.85, "p99": 3.97, "max": 4.0}
    summary = latency_summary({"a": [1.0, 3.0], "b": [2.0]}, {"a": "x", "b": "y"}, {"a": 5, "b": 0})
    assert summary["overall"]["p50"] == 2.0
    assert summary["by_category"] == {"x": summarize([1.0, 3.0]), "y": summarize([2.0])}
    assert summary["by_query"]["a"]["total"] == 5


def test_growth_exponent():
    assert growth_exponent(1000, 2.0, 10000, 20.0) == pytest.approx(1.0)
    assert growth_exponent(1000, 2.0, 10000, 2.0) == pytest.approx(0.0)
    assert growth_exponent(1000, 1.0, 10000, 100.0) == pytest.approx(2.0)


def test_query_mix_urls_and_requests_agree():
    labels = [q.label for q in QUERY_MIX]
    assert len(labels) == len(set(labels))
    filtered = next(q for q in QUERY_MIX if q.label.startswith('"高质量发展" region'))
    assert filtered.url() == (
        "/api/search?q=%22%E9%AB%98%E8%B4%A8%E9%87%8F%E5%8F%91%E5%B1%95%22&region=%E5%92%8C%E7%94%B0"
        "&region=%E5%85%8B%E6%8B%89%E7%8E%9B%E4%BE%9D&from=2020-01-01&to=2025-12-31"
    )
    request = filtered.request()
    assert (request.query, request.regions, request.date_from, request.date_to) == (
        '"高质量发展"', ("和田", "克拉玛依"), "2020-01-01", "2025-12-31")


def test_fresh_queries_are_distinct_fixed_and_new():
    from bench.queries import FRESH_COUNTS, fresh_queries

    fresh = fresh_queries()
    texts = [dict(q.params)["q"] for q in fresh]
    assert len(texts) == len(set(texts)) == sum(FRESH_COUNTS.values())
    assert not set(texts) & {dict(q.params).get("q") for q in QUERY_MIX}
    assert fresh == fresh_queries()
    assert [q.category for q in fresh].count("phrase") == FRESH_COUNTS["phrase"]


def test_the_export_of_the_load_phase_holds_about_ten_thousand_rows_at_any_size():
    from bench.load import export_url

    assert export_url(10_000) == "/api/search?q=%E6%8F%B4+OR+%E7%9A%84&format=csv"
    # A tenth of the 16 years the synthetic dates spread over, for a tenth of 100,000 articles.
    assert export_url(100_000) == "/api/search?q=%E6%8F%B4+OR+%E7%9A%84&format=csv&from=2010-01-01&to=2011-08-08"


def test_one_request_in_twenty_of_the_load_is_an_export_and_every_client_starts_elsewhere_in_the_mix():
    from bench.load import mix_plans

    plans = mix_plans(16, 40, "EXPORT")
    assert [sum(kind == "export" for kind, _ in plan) for plan in plans] == [2] * 16
    assert len({plan[0][1] for plan in plans}) == 8  # the mix's 24 queries, every third one first
    assert all(url == "EXPORT" for plan in plans for kind, url in plan if kind == "export")
    assert mix_plans(2, 3) == [[("search", q.url()) for q in QUERY_MIX[0:3]], [("search", q.url()) for q in QUERY_MIX[3:6]]]


def test_a_timed_load_keeps_every_client_sending_its_plan_until_the_time_is_up():
    import http.server
    import threading

    from bench.client import run_clients

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the server under load
        disable_nagle_algorithm = True  # the headers and the body go out at once

        def do_GET(self):
            body = self.path.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        plans = [[("search", "/a"), ("search", "/b")], [("export", "/c")]]
        once, _, _ = run_clients(server.server_port, plans)
        assert sorted((a.kind, a.size) for a in once) == [("export", 2), ("search", 2), ("search", 2)]
        timed, seconds, _ = run_clients(server.server_port, plans, 0.3)
    finally:
        server.shutdown()
        server.server_close()
    assert seconds >= 0.3
    # Each client went round its plan again and again, in its order, until the time was up.
    searches = [a for a in timed if a.kind == "search"]
    assert len(searches) > 10 and sum(a.kind == "export" for a in timed) > 5
    assert all(a.status == 200 for a in timed)


def test_the_load_client_reads_chunked_bodies_and_bodies_that_end_with_the_connection():
    import http.server
    import threading

    from bench.client import run_clients

    connections = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):
            super().setup()
            connections.append(self.client_address)

        def do_GET(self):
            self.send_response(201 if self.path == "/chunked" else 200)
            if self.path == "/chunked":  # 3 chunks, sent one by one
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for piece in (b"a" * 5000, b"b" * 17, b"c"):
                    self.wfile.write(b"%x;note=1\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
            else:  # no length: the body ends when the connection does
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b"x" * 70_000)
                self.close_connection = True

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        answers, _, _ = run_clients(server.server_port, [[("export", "/chunked"), ("search", "/closed"),
                                                          ("search", "/chunked"), ("export", "/closed")]])
    finally:
        server.shutdown()
        server.server_close()
    assert [(a.kind, a.status, a.size) for a in answers] == [
        ("export", 201, 5018), ("search", 200, 70_000), ("search", 201, 5018), ("export", 200, 70_000)]
    assert len(connections) == 2  # a new connection after the first closed one; none once the plan ended


def test_a_load_run_is_summed_up_by_kind_and_fate():
    from bench.client import Answer
    from bench.load import summarize_load

    answers = [Answer("search", 200, ms, 10) for ms in (10.0, 20.0, 30.0)] + [
        Answer("export", 200, 900.0, 3 * 2**20), Answer("export", 429, 1.0, 80)]
    summary = summarize_load(answers, 2.0)
    assert (summary["requests"], summary["requests_per_s"], summary["searches_per_s"]) == (5, 2.5, 1.5)
    assert summary["search_ms"]["p50"] == 20.0
    assert summary["exports"] == {"sent": 2, "done": 1, "refused_429": 1, "failed": 0,
                                  "ms": summarize([900.0]), "mb_each": 3.0}


def test_reusing_an_index_measures_only_serving_and_says_when_there_is_none(tmp_path, monkeypatch):
    import bench.run
    from bench.run import BenchConfig, run_size

    ran = []
    monkeypatch.setattr(bench.run, "_phase", lambda result, name, *args, **kwargs: ran.append(name))
    config = BenchConfig(sizes=(120,), cache_dir=tmp_path, reuse_index=True, skip=frozenset({"load"}))
    missing = run_size(config, 120)
    assert ran == [] and missing["errors"] == [
        {"phase": "reuse", "error": f"no kept index at {tmp_path / 'index-n120'}: run once with --keep-index"}]
    (tmp_path / "index-n120").mkdir()
    (tmp_path / "index-n120" / "CURRENT").write_text("1")
    kept = run_size(config, 120)
    assert ran == ["query", "http"] and "errors" not in kept


def test_the_reindex_is_measured_three_times_back_and_forth_and_the_median_run_is_the_figure(monkeypatch):
    import bench.run
    from bench.report import markdown_table

    asked = []
    seconds = iter([5.0, 3.0, 4.0])

    def run_phase(name, args):
        asked.append((name, args["corpus"], args["prepared"], args["index"]))
        return {"seconds": next(seconds), "updated": 10, "corpus": args["corpus"]}

    monkeypatch.setattr(bench.run, "run_phase", run_phase)
    result = {"n": 1000}
    build_args = {"corpus": "c.jsonl", "prepared": "c.pickle", "index": "ix"}
    bench.run._reindexes(result, build_args, [(Path("changed.jsonl"), Path("changed.pickle")),
                                              (Path("c.jsonl"), Path("c.pickle"))], 10)
    assert asked == [("incremental", "changed.jsonl", "changed.pickle", "ix"), ("incremental", "c.jsonl", "c.pickle", "ix"),
                     ("incremental", "changed.jsonl", "changed.pickle", "ix")]
    # The median run (4.0 s, the third: the index is left changed), with every run's time.
    assert result["incremental"] == {"seconds": 4.0, "updated": 10, "corpus": "changed.jsonl", "runs_s": [5.0, 3.0, 4.0]}
    assert "errors" not in result
    result["derived"] = bench.run.derive(result)
    assert result["derived"]["incremental_s"] == 4.0
    assert "1,000: 5.00, 3.00, 4.00 s" in markdown_table({"results": [result]})

    seconds = iter([1.0, 1.0, 1.0])
    wrong = {"n": 1000}
    bench.run._reindexes(wrong, build_args, [(Path("changed.jsonl"), Path("changed.pickle")),
                                             (Path("c.jsonl"), Path("c.pickle"))], 11)
    assert wrong["errors"] == [{"phase": "incremental", "error": "10 articles updated, 11 changed"}] * 3


def test_kept_articles_are_dealt_in_shares_by_batch_and_their_offsets_are_kept_beside_them(tmp_path, monkeypatch):
    from bench import articles as kept
    from bench.articles import PreparedArticles, batch_offsets, read_prepared
    from tests.conftest import make_article

    monkeypatch.setattr(kept, "PICKLED", 4)
    path = tmp_path / "corpus.articles.pickle"
    written = [make_article(f"k{i}", f"第{i}篇", f"援疆项目第{i}期。") for i in range(23)]
    with open(path, "wb") as out:
        assert kept._write_batches(written, out) == (23, sum(len(a.title) + len(a.text) for a in written))
    source = PreparedArticles(path)
    assert list(source) == list(read_prepared(path)) == written
    shares = [list(source.share(index, 3)) for index in range(3)]
    assert [len(chunk) for share in shares for chunk in share] == [4, 4, 4, 4, 4, 3]  # batches 0, 3 | 1, 4 | 2, 5
    dealt = [chunk for turn in range(2) for share in shares for chunk in share[turn : turn + 1]]
    assert [a for chunk in dealt for a in chunk] == written
    side = path.with_name(path.name + ".offsets.json")
    assert json.loads(side.read_text())["offsets"] == batch_offsets(path)
    # A side file of another version of the file is not believed.
    side.write_text(json.dumps({"size": 1, "offsets": [0, 5]}))
    assert [len(chunk) for chunk in PreparedArticles(path).share(1, 2)] == [4, 4, 3]
