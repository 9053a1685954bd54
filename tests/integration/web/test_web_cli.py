"""`xjsearch serve`: builds a missing index with progress, prints the URL, runs its worker processes."""

import json
import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from web.cli import cli


class RecordedSocket:
    """Stands in for a listening socket: it only says where it would listen."""

    def __init__(self, host, port):
        self.address = (host, port)

    def getsockname(self):
        return self.address


@pytest.fixture()
def served(monkeypatch):
    """What the command would listen on and run, recorded instead; a worker's start is run here."""
    import web.server

    calls = []

    def listen(host, port):
        calls.append(("listen", host, port))
        return RecordedSocket(host, port)

    def run_server(app, sock, settings, on_worker_start):
        on_worker_start()
        calls.append(("run", app, sock.address, settings))
        return 0

    monkeypatch.setattr(web.server, "listen", listen)
    monkeypatch.setattr(web.server, "run_server", run_server)
    return calls


def test_serve_builds_a_missing_index_then_serves_on_localhost(tmp_path, served):
    index_dir = tmp_path / "index"
    result = CliRunner().invoke(cli, ["serve", "--index", str(index_dir), "--port", "5123"])
    assert result.exit_code == 0, result.output
    served_count = re.fullmatch(rf"xjsearch: (\d+) articles, index {re.escape(str(index_dir))}\n"
                                r"serving at http://127\.0\.0\.1:5123/  \(Ctrl\+C stops\)\nstopped\n", result.stdout)
    assert served_count, result.stdout
    # The progress goes to stderr: what is happening, a bar, then how many were indexed.
    errors = result.stderr.splitlines()
    assert errors[0] == f"no index at {index_dir} yet: building it from the bundled corpus"
    assert errors[1].startswith("indexing")
    indexed = re.fullmatch(r"indexed (\d+) articles in \d+\.\d s", errors[-1])
    assert indexed and indexed.group(1) == served_count.group(1) != "0", result.stderr
    from web.server import ServerSettings, default_workers

    (listened, (ran, app, address, settings)) = served
    assert (listened, ran, address) == (("listen", "127.0.0.1", 5123), "run", ("127.0.0.1", 5123))
    assert settings == ServerSettings(workers=default_workers(), threads=8)
    assert app.config["INDEX"] == str(index_dir) and app.debug is False


def test_serve_runs_the_workers_and_threads_asked_for(web_index, served):
    from web.server import ServerSettings

    result = CliRunner().invoke(cli, ["serve", "--index", str(web_index), "--workers", "3", "--threads", "2"])
    assert result.exit_code == 0, result.output
    assert served[1][3] == ServerSettings(workers=3, threads=2)


def test_serve_reports_a_server_that_stopped_on_a_failure(web_index, served, monkeypatch):
    import web.server

    monkeypatch.setattr(web.server, "run_server", lambda app, sock, settings, on_worker_start: 3)
    result = CliRunner().invoke(cli, ["serve", "--index", str(web_index)])
    assert result.exit_code == 1
    assert result.stderr == "Error: the server stopped (status 3): see the messages above\n"


def test_serve_rebuilds_an_index_of_the_bundled_corpus_left_by_an_older_xjsearch(tmp_path, served):
    from indexer import store
    from indexer.build import ensure_index

    index_dir = tmp_path / "index"
    ensure_index(index_dir)
    meta_path = index_dir / store.generation_name(store.read_current(index_dir)) / store.META
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "analysis_version": 1}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--index", str(index_dir), "--port", "5123"])
    assert result.exit_code == 0, result.output
    errors = result.stderr.splitlines()
    assert errors[0] == (f"the index at {index_dir} was built by an older xjsearch (analysis version 1): "
                         "building it from the bundled corpus")
    served_count = re.search(r"xjsearch: (\d+) articles", result.stdout).group(1)
    assert re.fullmatch(rf"indexed {served_count} articles in \d+\.\d s", errors[-1]), result.stderr


def test_serve_reuses_an_existing_index_quietly(web_index, served):
    result = CliRunner().invoke(cli, ["serve", "--index", str(web_index)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"xjsearch: 6 articles, index {web_index}",
                                          "serving at http://127.0.0.1:5000/  (Ctrl+C stops)", "stopped"]
    assert result.stderr == ""


def test_binding_beyond_localhost_is_explicit_and_warned(web_index, served):
    result = CliRunner().invoke(cli, ["serve", "--index", str(web_index), "--host", "0.0.0.0", "--port", "8080"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "warning: listening on 0.0.0.0: other machines can reach this server\n"
    assert result.stdout.splitlines()[-2] == "serving at http://0.0.0.0:8080/  (Ctrl+C stops)"
    assert served[0] == ("listen", "0.0.0.0", 8080)


def test_serve_rejects_a_bad_port(web_index, served):
    result = CliRunner().invoke(cli, ["serve", "--index", str(web_index), "--port", "70000"])
    assert result.exit_code == 2
    assert "70000 is not in the range 0<=x<=65535" in result.output
    assert served == []


def test_serve_answers_http_on_a_real_port(web_index):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    root = Path(__file__).resolve().parents[3]
    process = subprocess.Popen(
        [sys.executable, "-c", "from web.cli import main; main()", "serve", "--index", str(web_index),
         "--port", str(port)],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == f"xjsearch: 6 articles, index {web_index}\n"
        assert process.stdout.readline() == f"serving at http://127.0.0.1:{port}/  (Ctrl+C stops)\n"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=10) as response:
            health = json.load(response)
            # Answered by a worker process, which the command's own process (the arbiter) started.
            assert health == {"status": "ok", "articles": 6, "generation": 1, "worker": health["worker"]}
            assert health["worker"] != process.pid and Path(f"/proc/{health['worker']}").exists()
            assert response.headers["Server"] == "xjsearch"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_port_in_use_is_one_line_naming_the_next_step(web_index):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--index", str(web_index), "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: cannot listen on 127.0.0.1:{port}: the port is in use — "
                             "stop the other server or choose another --port\n")
    assert "serving at" not in result.stdout


def test_an_address_of_no_interface_here_is_one_line(web_index):
    # 192.0.2.1 is reserved for documentation (RFC 5737): no machine has it, and it needs no lookup.
    result = CliRunner().invoke(cli, ["serve", "--index", str(web_index), "--host", "192.0.2.1"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: cannot listen on 192.0.2.1:5000: no network interface has this address"
                             " — check --host\n")


def test_an_unknown_host_is_one_line(web_index, monkeypatch):
    def unresolvable(host, port, *args, **kwargs):
        # What getaddrinfo raises for a name it cannot resolve (no lookup made here).
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unresolvable)
    result = CliRunner().invoke(cli, ["serve", "--index", str(web_index), "--host", "nowhere.invalid"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: cannot listen on nowhere.invalid:5000: unknown host 'nowhere.invalid'"
                             " — give an address, e.g. --host 127.0.0.1\n")
