"""Bring the unmutated files of mutants/ up to date before `mutmut run`.

mutmut copies the source folders into mutants/ once and afterwards regenerates only the modules it
mutates: a template, a data file or an unmutated module changed since (by a merge) would stay as
it was, and the tests would run against it. This copies every such file that differs.
"""

from __future__ import annotations

import filecmp
import shutil
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    """Copy each changed file of the source folders, except the mutated modules, into mutants/."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    mutated = set(config["only_mutate"])
    if not (ROOT / "mutants").is_dir():
        return
    copied = 0
    for folder in config["source_paths"]:
        for path in sorted((ROOT / folder).rglob("*")):
            relative = path.relative_to(ROOT)
            if not path.is_file() or "__pycache__" in relative.parts or str(relative) in mutated:
                continue
            target = ROOT / "mutants" / relative
            if target.exists() and filecmp.cmp(path, target, shallow=False):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            copied += 1
    if copied:
        print(f"mutants/: {copied} unmutated files brought up to date")


if __name__ == "__main__":
    main()
