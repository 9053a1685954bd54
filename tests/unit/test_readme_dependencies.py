"""Every pinned dependency is named in the README's table of why each is there."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _table_names() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Dependencies", 1)[1].split("\n### ", 1)[0]
    names: set[str] = set()
    for row in re.findall(r"^\| (.+?) \|", section, flags=re.M):
        names.update(re.findall(r"[a-z][a-z0-9._-]*[a-z0-9]", row.split("(")[0].lower()))
    return names


def _pinned() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = [*project["dependencies"], *(s for extra in project["optional-dependencies"].values() for s in extra)]
    return {re.split(r"[=<>\[ ]", spec, maxsplit=1)[0].lower() for spec in specs if "==" in spec}


def test_every_pinned_dependency_says_why_it_is_there():
    pinned = _pinned()
    assert "whoosh3" in pinned and "warcio" in pinned
    assert sorted(pinned - _table_names()) == []
