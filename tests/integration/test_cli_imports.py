"""A quick terminal: each command imports only what it uses (timed by the bench, not here)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Libraries that take a noticeable part of a second to import.
HEAVY = ("flask", "gunicorn", "jieba", "numpy", "opencc", "pypinyin", "rjieba", "waitress", "whoosh")


# What a terminal search needs none of: the rules that read raw pages (cleaning, dates, sources,
# page furniture, the metadata facade and the loader), the research views, the article view and the
# statistics, the index writer, the web application and server, the per-user default directory
# (the search is given --index), numpy.ma (np.unique's first call imports it), and the modules
# imported only where a command fails or a filter value is unknown.
NOT_FOR_A_SEARCH = (
    "corpus.cleaning", "corpus.dates", "corpus.furniture", "corpus.loader", "corpus.metadata", "corpus.sources",
    "difflib", "flask", "indexer.build", "numpy.ma", "platformdirs", "search.articles", "search.concordance",
    "search.statistics", "search.trends", "socket", "web.api", "web.server", "web.views",
)


def imported(names: tuple[str, ...], *args: str) -> list[str]:
    """Which of the modules names an `xjsearch` command with args has imported when it ends."""
    code = (
        "import sys\n"
        f"sys.argv = ['xjsearch', *{list(args)!r}]\n"
        "from web.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {names!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    return eval(done.stderr.strip().splitlines()[-1])  # noqa: S307 - the list printed above


def heavy_imports(*args: str) -> list[str]:
    """The HEAVY libraries an `xjsearch` command with args has imported when it ends."""
    return imported(HEAVY, *args)


@pytest.mark.parametrize("args", [("--help",), ("search", "--help"), ("serve", "--help"), ("--version",)])
def test_help_imports_none_of_the_heavy_libraries(args):
    assert heavy_imports(*args) == []


def test_a_terminal_search_imports_what_a_search_needs_and_no_web_server(sample_index):
    # 疆 finds four articles: enough that no correction is looked for (which reads pinyin).
    assert heavy_imports("search", "疆", "--index", str(sample_index)) == ["numpy", "opencc", "rjieba", "whoosh"]


def test_stats_reads_the_index_without_the_segmenter(sample_index):
    # numpy: the facet values are counted from the index's facet columns.
    assert heavy_imports("stats", "--index", str(sample_index)) == ["numpy", "whoosh"]


def test_a_terminal_search_imports_none_of_the_modules_it_does_not_use(sample_index):
    assert imported(NOT_FOR_A_SEARCH, "search", "疆", "--index", str(sample_index)) == []


# Prints on stderr if the interpreter's exit handlers run, which a command ending by os._exit skips.
TEARDOWN = "import atexit, sys; atexit.register(lambda: print('teardown', file=sys.stderr))\n"


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    """`xjsearch args` as the console script runs it, in an interpreter whose exit handlers say when they run."""
    code = TEARDOWN + "from web.cli import run\nrun()\n"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def answer(output: str) -> dict:
    """A command's JSON answer without the time it took."""
    found = json.loads(output)
    found.pop("took_ms", None)
    return found


@pytest.mark.parametrize("args", [("search", "疆"), ("concordance", "疆"), ("stats",)], ids=" ".join)
def test_a_reading_command_ends_without_the_teardown_and_prints_all_it_answered(sample_index, args):
    from click.testing import CliRunner

    from web.cli import cli

    expected = CliRunner().invoke(cli, [*args, "--json", "--index", str(sample_index)], catch_exceptions=False)
    done = run_script(*args, "--json", "--index", str(sample_index))
    assert (done.returncode, done.stderr) == (0, "")
    assert answer(done.stdout) == answer(expected.output)


def test_a_failed_search_and_the_other_commands_end_as_usual(sample_index, tmp_path):
    failed = run_script("search", '"', "--index", str(sample_index))
    assert (failed.returncode, failed.stderr) == (1, "Error: 没有可以检索的内容：搜索词里要有汉字、字母或数字\nteardown\n")
    from click.testing import CliRunner

    from web.cli import cli

    exported = run_script("export", "--index", str(sample_index), "--output", str(tmp_path / "all.jsonl"))
    assert (exported.returncode, exported.stderr) == (0, "teardown\n")
    expected = CliRunner().invoke(cli, ["export", "--index", str(sample_index)], catch_exceptions=False).output
    assert len(expected.splitlines()) == 6
    assert (tmp_path / "all.jsonl").read_text(encoding="utf-8") == expected


def _threads_after(code: str, **env: str) -> list[str]:
    """What code prints after `import numpy`, and the threads the process then has."""
    environ = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"} | env
    script = f"{code}\nimport numpy\nprint(open('/proc/self/status').read().split('Threads:')[1].split()[0])"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60)
    return done.stdout.split()


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="OpenBLAS starts no thread on one core")
def test_numpys_blas_starts_no_thread_for_a_command_unless_the_user_asks():
    assert int(_threads_after("pass")[0]) > 1  # OpenBLAS's own choice: a thread per core
    # The command module sets it first: numpy's import then starts none.
    assert _threads_after("import os, web.cli; print(os.environ['OPENBLAS_NUM_THREADS'])") == ["1", "1"]
    assert _threads_after("import os, web.cli; print(os.environ['OPENBLAS_NUM_THREADS'])",
                          OPENBLAS_NUM_THREADS="2") == ["2", "2"]
