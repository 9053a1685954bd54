"""One-line changes that once passed the whole suite, each checked to fail the tests written for it.

mutmut mutates the code inside functions; these changes are also to module constants (which mutmut
leaves alone) and to modules outside the mutated core. Each is made in a copy of the project, the
tests named beside it run there, and the run must fail. Run from anywhere with the project's
python (make mutation runs it after mutmut); exits 1 if a change passes its tests.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# (file, text, replacement, the tests that must fail, what the change does to users)
CHANGES = (
    ("search/query.py", "return Not(inner) if inner is not None else None", "return inner",
     "tests/unit/test_query.py", "title:(援疆 -北京) requires 北京 instead of excluding it"),
    ("search/query.py", " or text[i - 1] in _LPAREN", "",
     "tests/unit/test_query.py", "(-北京 援疆) searches for 北京"),
    ("search/highlight.py", "text_stream.find(needle, start + 1)", "text_stream.find(needle, start + len(needle))",
     "tests/unit/test_highlight.py", "哈哈 on 哈哈哈 marks two of three characters"),
    ("corpus/cleaning.py", '_SENTENCE_END = "。！？!?…；;"', '_SENTENCE_END = "。！？!?…"',
     "tests/unit/test_cleaning.py", "paragraphs joined wrongly after semicolons"),
    ("corpus/cleaning.py", "left[-1].isalpha() and right[0].isascii() and right[0].isalpha()",
     "left[-1].isalnum() and right[0].isascii() and right[0].isalnum()",
     "tests/unit/test_cleaning.py", "5 + G joined as 5 G"),
    ("search/corrections.py", "FEW_RESULTS = 3", "FEW_RESULTS = 1",
     "tests/integration/test_search_promises.py", "did-you-mean offered far less often"),
    ("search/corrections.py", "FEW_RESULTS = 3", "FEW_RESULTS = 4",
     "tests/integration/test_search_promises.py", "did-you-mean offered to queries finding three articles"),
    ("search/corrections.py", "if not wait and gen.unread_vocabulary():", "if False:",
     "tests/integration/test_search_promises.py", "a server's first searches wait for its vocabulary"),
    ("indexer/build.py", 'if meta.get("signature") != signature:', "if False:",
     "tests/integration/test_index_build.py", "a changed dictionary no longer forces a rebuild"),
    ("web/params.py", 'orgs=_values(args, "org", limits)', 'orgs=_values(args, "orgs", limits)',
     "tests/integration/test_search_promises.py", "the organisation filter silently ignored on the web"),
    ("search/vocabulary.py", '("eng", "en"), ', "",
     "tests/unit/test_vocabulary.py", "near-pinyin corrections (程 for 陈) lost"),
    ("search/facets.py", "ENTITY_FACET_SIZE = 30", "ENTITY_FACET_SIZE = 31",
     "tests/unit/test_facets.py", "31 people or organisations listed"),
    ("search/selection.py", "for f, p in passes.items() if f != facet)", "for f, p in passes.items())",
     "tests/integration/test_search_promises.py", "a chosen person hides the other people's counts"),
)


def main() -> int:
    """Check every change in a copy of the project; 1 if any passes its tests."""
    missed = 0
    with tempfile.TemporaryDirectory(prefix="xjsearch-changes-") as scratch:
        copy = Path(scratch) / "xjsearch"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
            ".git", ".venv", "mutants", "var", ".hypothesis", ".pytest_cache", "__pycache__"))
        # The control: unchanged, the copy passes every test named here.
        control = _pytest(copy, sorted({change[3] for change in CHANGES}))
        if control.returncode != 0:
            print(control.stdout[-2000:])
            print("the unchanged copy fails its tests: nothing can be said of the changes")
            return 1
        for path, text, replacement, tests, effect in CHANGES:
            target = copy / path
            original = target.read_text(encoding="utf-8")
            if original.count(text) != 1:
                print(f"gone     {path}: {text!r} is no longer in the code (update this list)")
                missed += 1
                continue
            target.write_text(original.replace(text, replacement), encoding="utf-8")
            try:
                run = _pytest(copy, [tests])
            finally:
                target.write_text(original, encoding="utf-8")
            caught = run.returncode == 1
            missed += not caught
            print(f"{'caught' if caught else 'MISSED':<8} {path}: {effect}")
    print(f"{len(CHANGES) - missed} of {len(CHANGES)} changes caught by their tests")
    return 1 if missed else 0


def _pytest(copy: Path, tests: list[str]) -> subprocess.CompletedProcess[str]:
    """Run tests in the copy; python -m puts the copy first on sys.path, ahead of the installed project."""
    return subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-n", "0", "-p", "no:cacheprovider", *tests],
                          cwd=copy, capture_output=True, text=True, check=False)


if __name__ == "__main__":
    sys.exit(main())
