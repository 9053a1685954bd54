"""The aiders an article names as aiding, from aid phrases (上海援疆, 无锡市对口支援, 援克) and the pairing table."""

from __future__ import annotations

import functools
import re
from collections import Counter

from corpus import datafiles
from corpus.matching import Matcher, lexicon


# An aid word a few characters on in the same clause: 江苏省派出的21人检验医疗队支援新疆.
_AID_IN_CLAUSE = re.compile(r"[^，。；！？,;!?：:\n]{0,12}?(援疆|支援新疆|对口支援|对口援助|援建|援派|援助新疆)")


@functools.cache
def letter_aliases() -> dict[str, str]:
    """The one-character aliases naming exactly one aider (沪 → 上海): they name it only in an aid phrase."""
    aiders = datafiles.aiders()
    letters: dict[str, str] = {}
    for alias, meanings in datafiles.aliases().items():
        named = [meaning for meaning in meanings if meaning in aiders]
        if len(alias) == 1 and len(named) == 1:
            letters[alias] = named[0]
    return letters


def _names() -> dict[str, tuple[str, bool]]:
    """Every name that may fill an aid phrase, with its aider and whether it is the aider's own name."""
    names: dict[str, tuple[str, bool]] = {}
    for aider, full_names in datafiles.aiders().items():
        for name in full_names:
            names[name] = (aider, True)
    for city, aider in datafiles.aider_cities().items():
        names.setdefault(city, (aider, False))
    for letter, aider in letter_aliases().items():
        names.setdefault(letter, (aider, False))
    return names


@functools.cache
def _aid_matcher() -> Matcher:
    aiders = datafiles.aiders()
    phrases: dict[str, tuple[str, ...]] = {}
    for alias, meanings in datafiles.aliases().items():
        named = tuple(meaning for meaning in meanings if meaning in aiders)
        if named and alias not in letter_aliases():
            phrases[alias] = named
    for name, (aider, own) in _names().items():
        for template, anyone in datafiles.aid_templates():
            if own or anyone:
                phrases.setdefault(template.replace("{}", name), (aider,))
    return Matcher(phrases, lexicon())


@functools.cache
def _name_matcher() -> Matcher:
    """The aiders' own names and their cities, each naming its aider."""
    return Matcher({name: (aider,) for name, (aider, own) in _names().items() if len(name) > 1}, lexicon())


def infer_aid_from(title: str, text: str) -> tuple[str, ...]:
    """The aiders named as aiding, most named first: in an aid phrase (上海援疆, 援克, 无锡市对口支援
    → 江苏), or as the subject of aid in the same clause (江苏省派出的医疗队支援新疆).

    title and text are folded (corpus.folding), so 廣東援疆 is 广东援疆.
    """
    whole = title + "\n" + text
    matcher = _aid_matcher()
    counts: Counter[str] = Counter()
    phrases: list[tuple[int, int]] = []
    for start, end, phrase in matcher.finditer(whole):
        counts.update(matcher.names[phrase])
        phrases.append((start, end))
    names = _name_matcher()
    for start, end, name in names.finditer(whole):
        if any(s <= start < e for s, e in phrases):
            continue
        if _AID_IN_CLAUSE.match(whole, end):
            counts.update(names.names[name])
    return tuple(aider for aider, _ in counts.most_common())


@functools.cache
def alias_phrases() -> dict[str, tuple[str, ...]]:
    """Each place or aider mapped to the other phrases that name it when metadata is extracted.

    A compound alias names each of its meanings (沪克 names 上海 and 克拉玛依); a one-character alias
    names an aider only inside an aid phrase (沪援疆, 援克 …, see aid_templates.tsv), as in _aid_matcher.
    """
    named: dict[str, list[str]] = {}
    for alias, meanings in datafiles.aliases().items():
        if len(alias) > 1:
            for meaning in meanings:
                named.setdefault(meaning, []).append(alias)
    for letter, aider in letter_aliases().items():
        named.setdefault(aider, []).extend(
            template.replace("{}", letter) for template, anyone in datafiles.aid_templates() if anyone
        )
    return {name: tuple(dict.fromkeys(p for p in phrases if name not in p)) for name, phrases in named.items()}


def aider_names() -> tuple[str, ...]:
    """The values of the aid_from facet: the 19 aiders, in the order of aid_from.tsv."""
    return tuple(datafiles.aiders())


@functools.cache
def aided_regions() -> dict[str, tuple[str, ...]]:
    """Each aider and the regions it aids, by the pairing table (上海: 喀什, 克拉玛依)."""
    places = datafiles.gazetteer()
    aided: dict[str, dict[str, None]] = {aider: {} for aider in datafiles.aiders()}
    for aider, place in datafiles.pairings():
        aided[aider][places[place]] = None
    return {aider: tuple(regions) for aider, regions in aided.items()}
