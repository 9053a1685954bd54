"""The kill rate of each mutated module after `mutmut run`, and the mutants that survived.

Run from the project root after `mutmut run` (make mutation does both). Reads mutmut's results in
mutants/, leaves out the survivors tests/mutation/equivalent.txt explains (a mutant that behaves
exactly as the code does), prints a table and every other survivor with the line it changed, and
exits 1 if a module kills fewer than TARGET of its non-equivalent mutants.

equivalent.txt holds one block a mutant: its name, the changed line as `mutmut show NAME` prints
it (after "+"), and why no test can tell the two apart. An entry whose line no longer matches (the
code changed and mutmut numbered its mutants anew) counts for nothing and is reported as stale.
"""

from __future__ import annotations

import json
import os
import sys
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EQUIVALENT = Path(__file__).with_name("equivalent.txt")
TARGET = 0.90

# mutmut's exit codes (mutmut.stats.status_by_exit_code): a test failed, errored, hung or crashed → caught.
CAUGHT = {1: "killed", 3: "killed", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout",
          255: "timeout", -11: "segfault", -9: "segfault", 37: "type check"}
MISSED = {0: "survived", 5: "no tests", 33: "no tests", None: "not checked"}


@dataclass(frozen=True, slots=True)
class Equivalent:
    """A surviving mutant that behaves as the code does."""

    name: str
    line: str
    why: str


def read_equivalents(path: Path = EQUIVALENT) -> dict[str, Equivalent]:
    """The blocks of equivalent.txt by mutant name."""
    entries: dict[str, Equivalent] = {}
    blocks = [b for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()] if path.exists() else []
    for block in blocks:
        lines = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
        if not lines:
            continue
        name, changed, why = lines[0].strip(), lines[1].strip(), " ".join(line.strip() for line in lines[2:])
        if not changed.startswith("+ ") or not why:
            raise SystemExit(f"{path}: the entry of {name} needs a '+ changed line' and a reason")
        entries[name] = Equivalent(name, changed[2:].strip(), why)
    return entries


def changed_line(name: str, module: str) -> str:
    """The first line a mutant adds, as `mutmut show` prints it."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(name, path=module)
    added = [line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return added[0] if added else ""


def mutated_modules() -> list[str]:
    """The modules [tool.mutmut] only_mutate names, in its order."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    return list(config["only_mutate"])


def main() -> int:
    """Print the table and the survivors; 1 if some module is under the target."""
    os.chdir(ROOT)  # mutmut finds its files under ./mutants
    equivalents = read_equivalents()
    used: set[str] = set()
    rows = []
    survivors: list[tuple[str, str, str]] = []
    below = []
    for module in mutated_modules():
        meta_path = ROOT / "mutants" / (module + ".meta")
        if not meta_path.exists():
            rows.append((module, 0, 0, 0, 0, 0, "not run"))
            continue
        results = json.loads(meta_path.read_text(encoding="utf-8"))["exit_code_by_key"]
        counts: Counter[str] = Counter()
        for name, code in sorted(results.items(), key=lambda kv: _number(kv[0])):
            if code in CAUGHT:
                counts["caught"] += 1
                continue
            status = MISSED.get(code, "suspicious")
            if status == "not checked":
                counts[status] += 1
                continue
            line = changed_line(name, module)
            entry = equivalents.get(name)
            if status == "survived" and entry is not None and entry.line == line:
                counts["equivalent"] += 1
                used.add(name)
                continue
            counts[status] += 1
            survivors.append((module, name, f"{status}: {line}"))
        total = len(results)
        judged = total - counts["equivalent"]
        rate = counts["caught"] / judged if judged else 1.0
        if rate < TARGET or counts["not checked"]:
            below.append(module)
        rows.append((module, total, counts["caught"], counts["equivalent"], counts["survived"],
                     counts["no tests"] + counts["suspicious"] + counts["not checked"], f"{rate:.1%}"))
    print(f"{'module':<24}{'mutants':>8}{'killed':>8}{'equiv.':>8}{'survived':>9}{'other':>7}  kill rate")
    for module, total, caught, equivalent, survived, other, rate in rows:
        print(f"{module:<24}{total:>8}{caught:>8}{equivalent:>8}{survived:>9}{other:>7}  {rate}")
    if survivors:
        print(f"\n{len(survivors)} mutants not killed (mutmut show NAME prints the whole change):")
        for module, name, what in survivors:
            print(f"  {name}  {what}")
    stale = sorted(set(equivalents) - used)
    if stale:
        print("\nequivalent.txt entries that match no surviving mutant (remove or update them):")
        for name in stale:
            print(f"  {name}")
    if below:
        print(f"\nunder {TARGET:.0%} of non-equivalent mutants killed (or not all checked): {', '.join(below)}")
        return 1
    return 0


def _number(name: str) -> tuple[str, int]:
    """Order mutants by function, then by mutmut's number."""
    function, _, number = name.rpartition("__mutmut_")
    return function, int(number) if number.isdigit() else 0


if __name__ == "__main__":
    sys.exit(main())
