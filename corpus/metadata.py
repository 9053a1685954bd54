"""Inferring an article's metadata from its text and the data files: date, regions, sectors, aiders, names."""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from corpus import datafiles
from corpus.errors import CorpusError

XINJIANG = "新疆"
TITLE_WEIGHT = 3
REGION_SHARE = 0.5  # a region is kept when mentioned at least half as often as the leading one
REGION_MIN = 2
REGIONWIDE_REGIONS = 3  # an article about this many regions is also about Xinjiang as a whole
SECTOR_SHARE = 0.5
SECTOR_MAX = 3
DATELINE_SPAN = 80  # an article's own date is stated near its start
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})  # jieba's part-of-speech tags of person names
ORG_TAG = "nt"
NAME_LENGTHS = range(2, 4)  # a Han name is a surname and one or two characters
ORG_MIN_LENGTH = 4
# The dots joining the parts of a transliterated name (艾尔肯·吐尼亚孜): a part is no name of its own.
NAME_DOTS = frozenset("·•‧・")

# A segmented text as (word, part-of-speech tag) pairs, as jieba's tagger gives them.
Tagged = Sequence[tuple[str, str]]

_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_PAGE_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_YEAR = re.compile(r"((?:19|20)\d{2})年")


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What the manifest says of a page: its paper, publication date and home region."""

    source: str
    date: str
    precision: str
    home_region: str | None


def parse_date(value: str) -> tuple[str, str]:
    """Read YYYY, YYYY-MM or YYYY-MM-DD into a full date (first day) and its precision."""
    match = _PAGE_DATE.match(value.strip())
    if not match:
        raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = match.groups()
    full = datetime.date(int(year), int(month or 1), int(day or 1)).isoformat()
    precision = "day" if day else "month" if month else "year"
    return full, precision


def infer_date(text: str, page: PageInfo | None, fallback_year: int) -> tuple[str, str]:
    """An article's date: the date in its dateline with the page's year, else the page's date."""
    match = _DATE.search(text[:DATELINE_SPAN])
    if match:
        year_text, month, day = match.groups()
        if year_text:
            year = int(year_text)
        elif page is not None:
            page_date = datetime.date.fromisoformat(page.date)
            year = page_date.year
            # A December item on a January page is from the year before.
            if int(month) > page_date.month + 1 and page.precision != "year":
                year -= 1
        else:
            year = _latest_year(text, fallback_year)
        try:
            return datetime.date(year, int(month), int(day)).isoformat(), "day"
        except ValueError:
            pass
    if page is not None:
        return page.date, page.precision
    return datetime.date(_latest_year(text, fallback_year), 1, 1).isoformat(), "year"


def _latest_year(text: str, fallback: int) -> int:
    """The latest year the text names that is not in the future, else fallback."""
    this_year = datetime.date.today().year
    years = [int(y) for y in _YEAR.findall(text) if int(y) <= this_year]
    return max(years) if years else fallback


class _Matcher:
    """Longest-first matching of a fixed vocabulary in text (a small Aho-Corasick stand-in)."""

    def __init__(self, words: dict[str, tuple[str, ...]]) -> None:
        self.words = words
        ordered = sorted(words, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(word) for word in ordered)) if ordered else None

    def count(self, text: str) -> Counter[str]:
        """How often each value is named in text, longest names winning overlaps."""
        found: Counter[str] = Counter()
        if self.pattern is None:
            return found
        for match in self.pattern.finditer(text):
            found.update(self.words[match.group()])
        return found


@functools.cache
def _places() -> _Matcher:
    places = {place: (region,) for place, region in datafiles.gazetteer().items()}
    regions = set(datafiles.region_aliases().values())
    for alias, meanings in datafiles.aliases().items():
        named = tuple(meaning for meaning in meanings if meaning in regions)
        if named and len(alias) > 1:
            places.setdefault(alias, named)
    return _Matcher(places)


def infer_regions(title: str, text: str, home_region: str | None) -> tuple[str, ...]:
    """The regions an article is about: those named often, not every passing mention."""
    counts = _places().count(text)
    for region, count in _places().count(title).items():
        counts[region] += TITLE_WEIGHT * count
    counts.pop("-", None)
    xinjiang = counts.pop(XINJIANG, 0)
    chosen: list[str] = []
    if counts:
        top = max(counts.values())
        threshold = max(REGION_MIN, REGION_SHARE * top)
        chosen = [region for region, count in counts.most_common() if count >= threshold]
    if len(chosen) >= REGIONWIDE_REGIONS:
        return (XINJIANG, *chosen)
    if chosen:
        return tuple(chosen)
    # Local news rarely names its own region; region-wide news names Xinjiang instead.
    if home_region and (counts.get(home_region, 0) or xinjiang < REGION_MIN):
        return (home_region,)
    if counts and max(counts.values()) >= xinjiang:
        return (counts.most_common(1)[0][0],)
    return (XINJIANG,)


@functools.cache
def _sector_keywords() -> tuple[tuple[str, str, float], ...]:
    rows = []
    for sector, keyword, weight in datafiles.read_table("sectors.tsv", 3):
        try:
            rows.append((sector, keyword, float(weight or 1)))
        except ValueError as error:
            raise CorpusError(f"sectors.tsv: weight of {keyword!r} is not a number") from error
    return tuple(rows)


def sector_names() -> tuple[str, ...]:
    """The sectors of the taxonomy, in the data file's order."""
    return tuple(dict.fromkeys(sector for sector, _, _ in _sector_keywords()))


def infer_sectors(title: str, text: str) -> tuple[str, ...]:
    """One to three sectors, by keyword scores from sectors.tsv (a title hit counts triple)."""
    scores: Counter[str] = Counter()
    for sector, keyword, weight in _sector_keywords():
        hits = text.count(keyword) + TITLE_WEIGHT * title.count(keyword)
        if hits:
            scores[sector] += weight * hits
    if not scores:
        return (sector_names()[0],)
    top = max(scores.values())
    ranked = [sector for sector, score in scores.most_common() if score >= SECTOR_SHARE * top]
    return tuple(ranked[:SECTOR_MAX])


@functools.cache
def _aid_templates() -> tuple[str, ...]:
    """The aid phrases of aid_templates.txt, {} standing for an aider's name."""
    return tuple(line for line in datafiles.read_lines("aid_templates.txt") if "{}" in line)


@functools.cache
def _letter_aliases() -> dict[str, str]:
    """The one-character aliases naming exactly one aider (沪 → 上海): they name it only in an aid phrase."""
    aiders = datafiles.aiders()
    letters: dict[str, str] = {}
    for alias, meanings in datafiles.aliases().items():
        named = [meaning for meaning in meanings if meaning in aiders]
        if len(alias) == 1 and len(named) == 1:
            letters[alias] = named[0]
    return letters


@functools.cache
def _aid_matcher() -> _Matcher:
    aiders = datafiles.aiders()
    names = {name: aider for aider, full_names in aiders.items() for name in full_names}
    for letter, aider in _letter_aliases().items():
        names.setdefault(letter, aider)
    phrases: dict[str, tuple[str, ...]] = {}
    for alias, meanings in datafiles.aliases().items():
        named = tuple(meaning for meaning in meanings if meaning in aiders)
        if named and alias not in _letter_aliases():
            phrases[alias] = named
    for name, aider in names.items():
        for template in _aid_templates():
            phrases.setdefault(template.replace("{}", name), (aider,))
    return _Matcher(phrases)


def infer_aid_from(title: str, text: str) -> tuple[str, ...]:
    """The provinces and cities named as aiding (上海援疆, 援克, 天津市对口支援 …), most named first."""
    counts = _aid_matcher().count(title + "\n" + text)
    return tuple(aider for aider, _ in counts.most_common())


@functools.cache
def _source_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    rows = []
    for source, pattern in datafiles.read_table("sources.tsv", 2):
        try:
            rows.append((source, re.compile(pattern, re.MULTILINE)))
        except re.error as error:
            raise CorpusError(f"sources.tsv: bad pattern {pattern!r}: {error}") from error
    return tuple(rows)


def infer_source(text: str, page_source: str | None) -> str:
    """The agency or paper that wrote the article: a reprint credit wins over the page's paper."""
    for source, pattern in _source_patterns():
        if pattern.search(text):
            return source
    return page_source or "未注明"


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
def alias_phrases() -> dict[str, tuple[str, ...]]:
    """Each place or aider mapped to the other phrases that name it when metadata is extracted.

    A compound alias names each of its meanings (沪克 names 上海 and 克拉玛依); a one-character alias
    names an aider only inside an aid phrase (沪援疆, 援克 …, see aid_templates.txt), as in _aid_matcher.
    """
    named: dict[str, list[str]] = {}
    for alias, meanings in datafiles.aliases().items():
        if len(alias) > 1:
            for meaning in meanings:
                named.setdefault(meaning, []).append(alias)
    for letter, aider in _letter_aliases().items():
        named.setdefault(aider, []).extend(template.replace("{}", letter) for template in _aid_templates())
    return {name: tuple(dict.fromkeys(p for p in phrases if name not in p)) for name, phrases in named.items()}


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
        if previous.endswith(before) or following in after:
            found[word] = None
    return tuple(found)


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
        name for name in tagged_people(tags) if name not in orgs and not any(name in known for known in people)
    ]
    found_orgs = [name for name in tagged_orgs(tags) if name not in people]
    return _merged(people, found_people, tags), _merged(orgs, found_orgs, tags)


def entity_rules() -> tuple[str, ...]:
    """Every entry of the data files the name rules read, for the signature of an index."""
    before, after = datafiles.name_context()
    lists = (datafiles.surnames(), before, after, datafiles.not_names(), datafiles.generic_orgs())
    return (*(entry for entries in lists for entry in (*sorted(entries), "")), *datafiles.org_suffixes())


def canonical_regions(values: list[str]) -> tuple[str, ...]:
    """Region names given by a user (short names, aliases or places) as canonical short names."""
    places = datafiles.gazetteer()
    result = [places.get(value.strip(), value.strip()) for value in values if value.strip()]
    return tuple(dict.fromkeys(region for region in result if region != "-"))
