"""The README's examples are true: each `$ xjsearch …` and `$ curl …` line of its code blocks is run
against the bundled corpus's index (and a server of it), and what the README shows it printing is
what it prints.

Strict on the examples, tolerant of the rest: every such command must succeed, and where the README
shows output, the output must match it, with `…` standing for anything and values that change from
run to run (took_ms, score) for any number. Other commands (`make`, `.venv/bin/python -m bench`),
prose and sections are not read; `xjsearch serve`, which runs until stopped, is not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
RUN = ("xjsearch", "curl")
NOT_RUN = ("xjsearch serve",)  # runs until stopped; tests/integration/web/test_web_cli.py serves for real
README_SERVER = "127.0.0.1:5000"
ELLIPSIS = "…"
# Values that differ between runs, each as the README writes it and as it may be printed.
VOLATILE = [
    (r'"(?:took_ms|score)":\s*-?[0-9]+(?:\.[0-9]+)?', r'"(?:took_ms|score)":\s*-?[0-9]+(?:\.[0-9]+)?(?:e-?[0-9]+)?'),
    (r"\([0-9]+ ms\)", r"\([0-9]+ ms\)"),
]


@dataclass(frozen=True)
class Example:
    """One command of the README, the output shown under it (may be empty), and where it stands."""

    command: str
    output: str
    line: int

    def __str__(self) -> str:
        return f"README.md:{self.line}: {self.command.splitlines()[0]}"


def examples(text: str) -> list[Example]:
    """Every `$ ` command of the README's code blocks (joined over trailing backslashes) and its output."""
    found: list[Example] = []
    lines = text.splitlines()
    in_block, i = False, 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            in_block = not in_block
            i += 1
            continue
        if not (in_block and line.startswith("$ ")):
            i += 1
            continue
        start, command = i + 1, line[2:]
        while command.endswith("\\") and i + 1 < len(lines):
            i += 1
            command += "\n" + lines[i]
        output: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].startswith(("$ ", "```")):
            output.append(lines[i])
            i += 1
        found.append(Example(command, "\n".join(output).strip(), start))
    return found


def checked(example: Example) -> bool:
    """Whether the test runs this example: a command of xjsearch or curl, and one that ends by itself."""
    words = example.command.split()
    return words[0] in RUN and not example.command.startswith(NOT_RUN)


def expected_pattern(shown: str) -> list[str]:
    """The README's output as regular expressions, one for each stretch between two `…`.

    Whitespace may differ (the README spreads JSON over lines), volatile values may be any number.
    """
    token = re.compile("|".join([r"\s+", *(f"(?:{shown_re})" for shown_re, _ in VOLATILE)]))
    pieces = []
    for stretch in shown.split(ELLIPSIS):
        out, at = [], 0
        for match in token.finditer(stretch):
            out.append(re.escape(stretch[at:match.start()]))
            if match.group().isspace():
                out.append(r"\s*")
            else:
                out.append(next(printed for shown_re, printed in VOLATILE if re.fullmatch(shown_re, match.group())))
            at = match.end()
        out.append(re.escape(stretch[at:]))
        pieces.append("".join(out))
    return pieces


def mismatch(shown: str, printed: str) -> str | None:
    """Where printed departs from what the README shows (None if it matches), as a glob matches:
    the first stretch at the start, each next one at its leftmost place, the last one at the end."""
    pieces = expected_pattern(shown)
    text, at = printed.strip(), 0
    for n, piece in enumerate(pieces):
        last = n == len(pieces) - 1
        pattern = re.compile(piece + (r"\Z" if last else ""), re.S)
        match = pattern.match(text, at) if n == 0 else pattern.search(text, at)
        if match is None:
            stretch = shown.split(ELLIPSIS)[n].strip()
            return f"README text {stretch[:120]!r} not found in the output from {text[at:at + 200]!r}"
        at = match.end()
    return None


@pytest.fixture(scope="module")
def readme_index(bundled_index, tmp_path_factory):
    """A copy of the bundled corpus's index, which the README's `xjsearch index` may update."""
    index_dir = tmp_path_factory.mktemp("readme") / "index"
    shutil.copytree(bundled_index, index_dir)
    return index_dir


@pytest.fixture(scope="module")
def readme_server(readme_index):
    """A waitress server of that index on a free port: the README's http://127.0.0.1:5000."""
    import waitress

    from web import create_app

    server = waitress.create_server(create_app({"INDEX": str(readme_index)}), host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, name="readme-server", daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


def run(example: Example, index_dir: Path, server: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """Run an example as a shell would, with xjsearch from this environment, the README's server here,
    and a home folder holding the README's ~/papers."""
    command = example.command.replace(README_SERVER, server)
    if command.startswith("curl "):
        # Quiet, and failing on an HTTP error, so that a 400 is not taken for the README's answer.
        command = "curl --silent --show-error --fail-with-body " + command[len("curl "):]
    env = {**os.environ, "XJSEARCH_INDEX": str(index_dir), "NO_COLOR": "1", "HOME": str(home),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


EXAMPLES = [example for example in examples(README.read_text(encoding="utf-8")) if checked(example)]


def test_the_readme_has_examples_to_check():
    # The tour shows the corpus, searching, the API and exports; each has at least one example.
    commands = [example.command for example in EXAMPLES]
    assert any(c.startswith("xjsearch corpus inspect") for c in commands)
    assert any(c.startswith("xjsearch search") for c in commands)
    assert any(c.startswith("curl") and "/api/search" in c for c in commands)
    assert any(e.output for e in EXAMPLES if e.command.startswith("curl"))


@pytest.fixture(scope="module")
def readme_home(tmp_path_factory, every_format):
    """A home folder whose ~/papers holds a file of every kind the corpus readers take."""
    home = tmp_path_factory.mktemp("home")
    (home / "papers").symlink_to(every_format, target_is_directory=True)
    return home


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_a_readme_example_runs_and_prints_what_the_readme_shows(example, readme_index, readme_server, readme_home,
                                                                tmp_path):
    if example.command.startswith("curl") and shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    done = run(example, readme_index, readme_server, tmp_path, readme_home)
    assert done.returncode == 0, f"{example} exited {done.returncode}: {done.stderr}"
    if example.output:
        problem = mismatch(example.output, done.stdout)
        assert problem is None, f"{example}: {problem}"


@pytest.mark.parametrize("shown, printed, matches", [
    ("27 articles", "\n27 articles\n", True),
    ("27 articles", "26 articles", False),
    ("a.txt\n    #1  标题\n    …\n27 articles", "\na.txt\n    #1  标题\n\nb.txt\n    #1  x\n27 articles", True),
    ("a.txt\n    …\n27 articles", "b.txt\n    #1\n27 articles", False),
    ('{"total": 5, "took_ms": 4.2, "hits": [{"score": 13.52}, …]}',
     '{"total":5,"took_ms":0.73,"hits":[{"score":9.1},{"score":2}]}', True),
    ('{"total": 5, "took_ms": 4.2}', '{"total":6,"took_ms":4.2}', False),
    ("first … last", "first and more last", True),
    ("first … last", "first and more last and more", False),
])
def test_output_matches_with_ellipses_and_volatile_values(shown, printed, matches):
    assert (mismatch(shown, printed) is None) is matches


def test_commands_are_read_from_code_blocks_over_continued_lines():
    text = "\n".join([
        "$ xjsearch stats   # not in a block",
        "```",
        "$ curl -G http://127.0.0.1:5000/api/search \\",
        "    -d q=x",
        '{"query": "x"}',
        "$ xjsearch index",
        "```",
        "```sh",
        "make run",
        "$ .venv/bin/python -m bench",
        "```",
    ])
    assert examples(text) == [
        Example("curl -G http://127.0.0.1:5000/api/search \\\n    -d q=x", '{"query": "x"}', 3),
        Example("xjsearch index", "", 6),
        Example(".venv/bin/python -m bench", "", 10),
    ]
    assert [checked(e) for e in examples(text)] == [True, True, False]
