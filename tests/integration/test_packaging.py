"""The project's packaging: a wheel and an editable install build without a warning and carry the data files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What `pip install .` and `pip install -e .` (make run, make test) ask of the build backend.
BUILD = """
import sys
from setuptools import build_meta
out = sys.argv[1]
names = build_meta.build_wheel(out), build_meta.build_editable(out)
print(*names)
"""


def tracked_files() -> list[str]:
    """The files of the repository (so a build sees a clean checkout, not this worktree's leftovers)."""
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [name for name in listing.stdout.split("\0") if name]


def test_the_build_backend_prints_no_warning_and_packs_the_data(tmp_path):
    source = tmp_path / "source"
    for name in tracked_files():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((ROOT / name).read_bytes())
    out = tmp_path / "dist"
    out.mkdir()
    built = subprocess.run([sys.executable, "-W", "default", "-c", BUILD, str(out)], cwd=source,
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    # setuptools warns in a banner of "!!" and a warning category; neither may appear.
    noise = [line for line in (built.stdout + built.stderr).splitlines() if "Warning" in line or "!!" in line]
    assert noise == []
    wheel, editable = built.stdout.splitlines()[-1].split()
    with zipfile.ZipFile(out / wheel) as archive:
        names = set(archive.namelist())
    data = {name for name in names if not name.endswith(".py") and ".dist-info/" not in name}
    expected = {f"corpus/raw/{p.name}" for p in (ROOT / "corpus/raw").iterdir()}
    expected |= {f"corpus/data/{p.name}" for p in (ROOT / "corpus/data").iterdir()}
    expected |= {f"web/templates/{p.name}" for p in (ROOT / "web/templates").iterdir()}
    expected |= {f"web/static/{p.name}" for p in (ROOT / "web/static").iterdir()}
    assert data == expected
    assert {"corpus/__init__.py", "indexer/__init__.py", "search/__init__.py", "web/__init__.py"} <= names
    # The editable install is one path entry: the project root, where the four packages are.
    with zipfile.ZipFile(out / editable) as archive:
        pth = [name for name in archive.namelist() if name.endswith(".pth")]
        assert [archive.read(name).decode().strip() for name in pth] == [str(source)]
