"""The people and organisations an article names: names.tsv, and jieba's tags kept by the rules of corpus/data."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from corpus import datafiles

PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})  # jieba's part-of-speech tags of person names
ORG_TAG = "nt"
NAME_LENGTHS = range(2, 4)  # a Han name is a surname and one or two characters
ORG_MIN_LENGTH = 4
# The dots joining the parts of a transliterated name (艾尔肯·吐尼亚孜): a part is no name of its own.
NAME_DOTS = frozenset("·•‧・")

# How many words before a tagged name a title may be cut into (指挥/长).
TITLE_WORDS = 3
# What ends a transliterated name's part: prepositions, particles, conjunctions, pronouns (jieba's
# tags p, u, c, r), however long the part has grown.
_NAME_STOP_TAGS = frozenset("pucr")
DOTTED_PART_MAX = 8

# A segmented text as (word, part-of-speech tag) pairs, as jieba's tagger gives them.
Tagged = Sequence[tuple[str, str]]


def infer_names(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The people and the organisations from names.tsv that the text names, in order of appearance."""
    people: list[tuple[int, str]] = []
    orgs: list[tuple[int, str]] = []
    for name, kind in datafiles.names().items():
        position = text.find(name)
        if position >= 0:
            (people if kind == "person" else orgs).append((position, name))
    return tuple(n for _, n in sorted(people)), tuple(n for _, n in sorted(orgs))


@functools.cache
def _context_words() -> tuple[tuple[str, ...], frozenset[str]]:
    before, after = datafiles.name_context()
    return tuple(sorted(before)), after


def _may_be_name(word: str) -> bool:
    """Whether a word jieba tags as a person looks like a Han name: length, surname, no place or org."""
    return (
        len(word) in NAME_LENGTHS
        and word[0] in datafiles.surnames()
        and word not in datafiles.not_names()
        and word not in datafiles.gazetteer()
        and datafiles.names().get(word) != "org"
    )


def tagged_people(tags: Tagged) -> tuple[str, ...]:
    """The Han names jieba tags as people that a title before or a speech word after confirms."""
    before, after = _context_words()
    found: dict[str, None] = {}
    for index, (word, tag) in enumerate(tags):
        if tag not in PERSON_TAGS or word in found or not _may_be_name(word):
            continue
        previous = tags[index - 1][0] if index else ""
        following = tags[index + 1][0] if index + 1 < len(tags) else ""
        if previous in NAME_DOTS or following in NAME_DOTS:
            continue
        # A title may be cut into words (指挥/长 骆梅英): the words just before are read together.
        preceding = "".join(word for word, _ in tags[max(0, index - TITLE_WORDS) : index])
        if preceding.endswith(before) or following in after:
            found[word] = None
    return tuple(found)


def dotted_people(tags: Tagged) -> tuple[str, ...]:
    """Transliterated names joined by a dot (艾尔肯·吐尼亚孜) that a title before or a speech word after
    confirms (主席艾尔肯·吐尼亚孜说), kept whole: the word before the first dot, and the words after
    each dot up to a speech word, a function word or punctuation."""
    before, after = _context_words()
    found: dict[str, None] = {}
    index = 0
    while index < len(tags):
        if tags[index][0] not in NAME_DOTS or index == 0 or not _is_han(tags[index - 1][0]):
            index += 1
            continue
        start = index - 1
        parts = [tags[start][0]]
        end = index
        while end < len(tags) and tags[end][0] in NAME_DOTS:
            piece = ""
            end += 1
            while end < len(tags) and _is_han(tags[end][0]) and tags[end][0] not in after \
                    and tags[end][1][:1] not in _NAME_STOP_TAGS and len(piece) < DOTTED_PART_MAX:
                piece += tags[end][0]
                end += 1
            if not piece:
                break
            parts.append(piece)
        preceding = "".join(word for word, _ in tags[max(0, start - TITLE_WORDS) : start])
        following = tags[end][0] if end < len(tags) else ""
        name = "·".join(parts)
        if len(parts) > 1 and (preceding.endswith(before) or following in after) and name not in datafiles.gazetteer():
            found[name] = None
        index = max(end, index + 1)
    return tuple(found)


def _is_han(word: str) -> bool:
    return bool(word) and all("\u4e00" <= char <= "\u9fff" for char in word)


def tagged_orgs(tags: Tagged) -> tuple[str, ...]:
    """The words jieba tags as organisations that end like one (大学, 集团 …) and are not generic."""
    suffixes = datafiles.org_suffixes()
    found: dict[str, None] = {}
    for word, tag in tags:
        if (
            tag == ORG_TAG
            and len(word) >= ORG_MIN_LENGTH
            and word.endswith(suffixes)
            and word not in datafiles.generic_orgs()
        ):
            found[word] = None
    return tuple(found)


def _merged(known: Sequence[str], found: Sequence[str], tags: Tagged) -> tuple[str, ...]:
    """Known names (in order of appearance already) and found ones, by first appearance in the tags."""
    names = tuple(dict.fromkeys([*known, *found]))
    if len(names) == len(dict.fromkeys(known)):
        return names
    text = "".join([word for word, _ in tags])
    positions = [text.find(name) for name in names]
    # A known name the tagged text does not show (split by folding, say) keeps its place at the end.
    ranked = sorted(range(len(names)), key=lambda i: (positions[i] < 0, positions[i], i))
    return tuple(names[i] for i in ranked)


def infer_entities(
    tags: Tagged, people: Sequence[str] = (), orgs: Sequence[str] = ()
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """People and organisations of a tagged text: the known ones (names.tsv) and those the tags show.

    people and orgs are the names.tsv names the text shows, in order of appearance (as an Article's
    are), all kept; a tagged name is placed among them by its first appearance. A tagged name that
    is part of a known person's name (艾力江 of 艾力江·阿不都艾尼) is that person, not another one.
    """
    found_people = [
        name
        for name in (*tagged_people(tags), *dotted_people(tags))
        if name not in orgs and not any(name in known for known in people)
    ]
    found_orgs = [name for name in tagged_orgs(tags) if name not in people]
    return _merged(people, found_people, tags), _merged(orgs, found_orgs, tags)


def entity_rules() -> tuple[str, ...]:
    """Every entry of the data files the name rules read, for the signature of an index."""
    before, after = datafiles.name_context()
    lists = (datafiles.surnames(), before, after, datafiles.not_names(), datafiles.generic_orgs())
    return (*(entry for entries in lists for entry in (*sorted(entries), "")), *datafiles.org_suffixes())
