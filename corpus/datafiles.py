"""Reading the editable data files in corpus/data (gazetteer, regions, sectors, aiders, names, name rules)."""

from __future__ import annotations

import functools
from pathlib import Path

from corpus.errors import CorpusError

DATA_DIR = Path(__file__).resolve().parent / "data"


def _data_lines(name: str) -> list[str]:
    """The lines of a data file, or a CorpusError naming it."""
    path = DATA_DIR / name
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise CorpusError(f"cannot read data file {path}: {error.strerror}") from error


def read_table(name: str, columns: int) -> tuple[tuple[str, ...], ...]:
    """Read a tab-separated data file: comments (#) and the header row skipped, rows padded."""
    path = DATA_DIR / name
    lines = _data_lines(name)
    rows: list[tuple[str, ...]] = []
    header_seen = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) > columns or not cells[0]:
            raise CorpusError(f"{path}:{number}: expected {columns} tab-separated columns")
        rows.append(tuple(cells + [""] * (columns - len(cells))))
    return tuple(rows)


def read_lines(name: str) -> tuple[str, ...]:
    """Read a one-entry-a-line data file, skipping blank lines and comments."""
    lines = _data_lines(name)
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


@functools.cache
def furniture() -> tuple[str, ...]:
    """The column labels and running heads that are part of no article (furniture.txt)."""
    return read_lines("furniture.txt")


def split_list(cell: str) -> tuple[str, ...]:
    """Split a comma-separated cell into its non-empty items."""
    return tuple(item.strip() for item in cell.split(",") if item.strip())


@functools.cache
def region_aliases() -> dict[str, str]:
    """Every name of a region (its short name and aliases) mapped to the short name."""
    names: dict[str, str] = {}
    for region, aliases in read_table("regions.tsv", 2):
        names[region] = region
        for alias in split_list(aliases):
            names[alias] = region
    return names


@functools.cache
def places() -> tuple[tuple[str, str, str], ...]:
    """The rows of gazetteer.tsv: (place, region, kind), kind as the file's header explains."""
    return read_table("gazetteer.tsv", 3)


@functools.cache
def gazetteer() -> dict[str, str]:
    """Every place and region name mapped to its region ("-" for words that only look like places)."""
    names = dict(region_aliases())
    for place, region, _ in places():
        names[place] = region
    return names


@functools.cache
def names() -> dict[str, str]:
    """People and organisation names mapped to their kind ("person" or "org")."""
    return {name: kind for name, kind in read_table("names.tsv", 2)}


@functools.cache
def aliases() -> dict[str, tuple[str, ...]]:
    """Abbreviations and compounds (沪, 援克, 津和) mapped to the places and aiders they name."""
    return {alias: split_list(meaning) for alias, meaning in read_table("aliases.tsv", 2)}


@functools.cache
def aiders() -> dict[str, tuple[str, ...]]:
    """Each of the 19 aiders and its full names (上海: 上海, 上海市)."""
    return {aider: split_list(names) or (aider,) for aider, names, _ in read_table("aid_from.tsv", 3)}


@functools.cache
def aider_cities() -> dict[str, str]:
    """The cities and districts that send aid on an aider's behalf, mapped to it (无锡 → 江苏)."""
    return {city: aider for aider, _, cities in read_table("aid_from.tsv", 3) for city in split_list(cities)}


@functools.cache
def pairings() -> tuple[tuple[str, str], ...]:
    """The pairing table of 对口援疆: (aider, aided place) rows of pairings.tsv."""
    return tuple((aider, aided) for aider, aided in read_table("pairings.tsv", 2))


@functools.cache
def aid_templates() -> tuple[tuple[str, bool], ...]:
    """The aid phrases of aid_templates.tsv ({} stands for a name) and whether a city or an
    abbreviation may fill them too (False: only an aider's own names, as in 上海企业)."""
    return tuple((template, scope == "all") for template, scope in read_table("aid_templates.tsv", 2))


@functools.cache
def boundary_words() -> frozenset[str]:
    """Words a name must not be cut out of (支援 in 支援喀什 holds no 援喀): boundary_words.txt."""
    return frozenset(read_lines("boundary_words.txt"))


@functools.cache
def not_sources() -> frozenset[str]:
    """Values a 来源 line may hold that name no outlet (原创, 本站): not_sources.txt."""
    return frozenset(read_lines("not_sources.txt"))


@functools.cache
def outlets() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """The news outlets of outlets.tsv: (name, other names, kind)."""
    return tuple((name, split_list(names), kind) for name, names, kind in read_table("outlets.tsv", 3))


@functools.cache
def surnames() -> frozenset[str]:
    """The Han surnames a tagged person name must begin with (surnames.txt)."""
    return frozenset(read_lines("surnames.txt"))


@functools.cache
def name_context() -> tuple[frozenset[str], frozenset[str]]:
    """The words that confirm a tagged name: those it follows and those that follow it."""
    sides: dict[str, set[str]] = {"before": set(), "after": set()}
    for word, side in read_table("name_context.tsv", 2):
        if side not in sides:
            raise CorpusError(f"name_context.tsv: side of {word!r} is {side!r}, not before or after")
        sides[side].add(word)
    return frozenset(sides["before"]), frozenset(sides["after"])


@functools.cache
def not_names() -> frozenset[str]:
    """Words jieba tags as person names that are no one's name (not_names.txt)."""
    return frozenset(read_lines("not_names.txt"))


@functools.cache
def org_suffixes() -> tuple[str, ...]:
    """The endings of organisation names (org_suffixes.txt)."""
    return read_lines("org_suffixes.txt")


@functools.cache
def generic_orgs() -> frozenset[str]:
    """Organisation-like words that name no particular body (generic_orgs.txt)."""
    return frozenset(read_lines("generic_orgs.txt"))


@functools.cache
def stop_words() -> frozenset[str]:
    """Words too general to be an article's key terms (stopwords.txt)."""
    return frozenset(read_lines("stopwords.txt"))
