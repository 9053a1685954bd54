"""The index's vocabulary by sound and spelling: pinyin lookup, near-pinyin and one-character fixes, completion."""

from __future__ import annotations

import bisect
import functools
import heapq
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass


# The shapes of words, compiled when first used (a vocabulary read, a correction looked for): a class
# of Chinese characters takes 1–3 ms to compile, which a search that uses none should not wait for.
_SHAPES = {
    "_CJK_WORD": r"^[\u3400-\u4dbf\u4e00-\u9fff]{2,8}$",
    # What may be a vocabulary word at all: Chinese characters (a name may hold a middle dot).
    "WORD_SHAPE": r"^[\u3400-\u4dbf\u4e00-\u9fff][\u3400-\u4dbf\u4e00-\u9fff·]+$",
    # Names of people and organisations may be longer and hold a middle dot (艾尔肯·吐尼亚孜).
    "_ENTITY": r"^[\u3400-\u4dbf\u4e00-\u9fff][\u3400-\u4dbf\u4e00-\u9fff·]{1,39}$",
}
_PINYIN_TEXT = re.compile(r"^[a-zA-Z][a-zA-Z' ]*$")
# Confusions Chinese typists make between syllables: flat and curled initials, n/l, front and back nasals.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))
INITIALS_MIN = 3  # initials (klmy) are matched only for entities, and only from this many letters
SHORT_PREFIX = 2  # completions of prefixes this short are remembered
KNOWN_FREQUENCY = 3  # a word outside the dictionary used by this many articles is a known word too


@functools.cache
def shape(name: str) -> re.Pattern[str]:
    """The compiled pattern of a word shape (see _SHAPES; WORD_SHAPE: what may be a vocabulary word)."""
    return re.compile(_SHAPES[name])


def syllables(word: str) -> list[str]:
    """The toneless pinyin syllables of a word (non-Chinese characters kept as they are)."""
    # Imported when first needed: loading pypinyin's dictionaries takes a third of a second,
    # which a server starting up (or a CLI search) should not wait for.
    from pypinyin import lazy_pinyin

    return [syllable.lower() for syllable in lazy_pinyin(word, errors="default")]


def fuzzy_syllable(syllable: str) -> str:
    """A syllable with the confusable parts folded: zhang → zan, ning → lin."""
    for curled, flat in _FUZZY_INITIALS:
        if syllable.startswith(curled):
            syllable = flat + syllable[len(curled) :]
            break
    for back, front in _FUZZY_FINALS:
        if syllable.endswith(back):
            syllable = syllable[: -len(back)] + front
            break
    return syllable


def initials(word: str) -> str:
    """The first letters of a word's syllables: 克拉玛依 → klmy."""
    return _first_letters(syllables(word))


def _first_letters(sounds: list[str]) -> str:
    """The first letter of each syllable."""
    return "".join(sound[:1] for sound in sounds)


@functools.lru_cache(maxsize=1 << 18)
def _sounds(word: str) -> tuple[str, str, str]:
    """A word's pinyin, fuzzy pinyin and initials, remembered: a new index generation reuses them."""
    sounds = syllables(word.replace("·", ""))
    # The initials from the same syllables: asking pypinyin a second time doubled the reading.
    return "".join(sounds), "".join(map(fuzzy_syllable, sounds)), _first_letters(sounds)


def is_pinyin_text(text: str) -> bool:
    """Whether a query is written in Latin letters that may be pinyin."""
    return bool(_PINYIN_TEXT.match(text.strip()))


@dataclass(frozen=True, slots=True)
class Entry:
    """A vocabulary word: how many articles use it, whether it names an entity, and how it sounds."""

    word: str
    frequency: int
    entity: bool
    known: bool  # an entity, a dictionary word or a frequent one: not a stray segment such as 援克新
    pinyin: str
    fuzzy: str
    initials: str


class Vocabulary:
    """The words of an index, searchable by prefix, pinyin, initials, near-pinyin and one-character edits."""

    def __init__(
        self,
        frequencies: Mapping[str, int],
        entities: Iterable[str] = (),
        dictionary: Callable[[str], bool] | None = None,
        present: Callable[[str], bool] | None = None,
        deleted: int = 0,
    ) -> None:
        """Index the words of frequencies (word → articles using it); dictionary tells known words.

        Only known words (entities, dictionary words, words used by KNOWN_FREQUENCY articles) are
        offered as corrections and pinyin readings; completions offer them first. present, when
        given, tells whether a word is still in a live article (frequencies may count the deleted
        articles, of which there are deleted): a word it denies is offered for nothing. A word used
        by more articles than were deleted is in a live one without asking.
        """
        self._dictionary = dictionary
        self._present = present
        self._deleted = deleted
        entity, cjk_word = shape("_ENTITY").match, shape("_CJK_WORD").match
        entity_set = {name for name in entities if entity(name)}
        words = {word: count for word, count in frequencies.items() if cjk_word(word) or word in entity_set}
        for entity in entity_set:
            words.setdefault(entity, 0)
        self.entries: dict[str, Entry] = {}
        self._by_pinyin: dict[str, list[str]] = defaultdict(list)
        self._by_fuzzy: dict[str, list[str]] = defaultdict(list)
        self._by_initials: dict[str, list[str]] = defaultdict(list)
        self._by_pattern: dict[str, list[str]] = defaultdict(list)
        for word, count in words.items():
            entity = word in entity_set
            known = entity or count >= KNOWN_FREQUENCY or dictionary is None or dictionary(word)
            entry = Entry(word, count, entity, known, *_sounds(word))
            self.entries[word] = entry
            if not known:
                continue
            self._by_pinyin[entry.pinyin].append(word)
            self._by_fuzzy[entry.fuzzy].append(word)
            if entry.entity:
                self._by_initials[entry.initials].append(word)
            for position in range(len(word)):
                self._by_pattern[word[:position] + "?" + word[position + 1 :]].append(word)
        self._sorted_words = sorted(self.entries)
        self._sorted_pinyin = sorted((entry.pinyin, word) for word, entry in self.entries.items())
        self._sorted_initials = sorted((key, word) for key, named in self._by_initials.items() for word in named)
        # Completions of short prefixes (a letter or two match most of the vocabulary), remembered.
        self._short: dict[tuple[str, int], list[str]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def frequency(self, word: str) -> int:
        """How many articles use word (0 if it is not a vocabulary word)."""
        entry = self.entries.get(word)
        return entry.frequency if entry else 0

    def _live(self, entry: Entry) -> bool:
        """Whether a word is in a live article."""
        return self._present is None or entry.frequency > self._deleted or self._present(entry.word)

    def _rank(self, words: Iterable[str], limit: int, exclude: str = "") -> list[str]:
        """The best words: entities first, then known words, the most used, the shortest, by code point."""
        candidates = (self.entries[word] for word in set(words) if word != exclude)
        wanted = limit if self._present is None else 3 * limit
        best = heapq.nsmallest(wanted, candidates,
                               key=lambda e: (not e.entity, not e.known, -e.frequency, len(e.word), e.word))
        if self._present is None:
            return [entry.word for entry in best]
        kept: list[str] = []
        for entry in best:  # checked lazily: most words are present, and a check is a lookup
            if self._live(entry):
                kept.append(entry.word)
                if len(kept) == limit:
                    break
        return kept

    def sounding_like(self, text: str, limit: int = 5) -> list[str]:
        """Words spelled by a pinyin text (kelamayi, ke la ma yi), or entities by their initials (klmy)."""
        letters = re.sub(r"[\s']", "", text).lower()
        if not letters.isalpha():
            return []
        found = list(self._by_pinyin.get(letters, ()))
        if not found and len(letters) >= INITIALS_MIN:
            found = list(self._by_initials.get(letters, ()))
        return self._rank(found, limit)

    def correction(self, word: str) -> str | None:
        """The frequent word a typed word was probably meant to be: same sound, near sound, or one character off."""
        if not shape("_CJK_WORD").match(word):
            return None
        typed = self.frequency(word)
        sounds = syllables(word)
        # One character off is a typo only for a word that is no word: 银行 is not 进行 mistyped,
        # nor is an indexed 新冠 a 新疆. Homophones are looked for in any case (克拉马依).
        edits = not typed and not (self._dictionary is not None and self._dictionary(word))
        groups = (
            self._by_pinyin.get("".join(sounds), []),
            self._by_fuzzy.get("".join(map(fuzzy_syllable, sounds)), []),
            [w for i in range(len(word)) for w in self._by_pattern.get(word[:i] + "?" + word[i + 1 :], [])]
            if edits else [],
        )
        for group in groups:
            better = [w for w in group if w != word and self.entries[w].frequency > max(typed, 0) * 2
                      and self._live(self.entries[w])]
            if better:
                return max(better, key=lambda w: (self.entries[w].frequency, self.entries[w].entity, w))
        return None

    def complete(self, prefix: str, limit: int = 10) -> list[str]:
        """Up to limit words starting with prefix, typed in characters or in pinyin."""
        prefix = prefix.strip()
        if not prefix:
            return []
        pinyin = is_pinyin_text(prefix)
        if pinyin:
            prefix = re.sub(r"[\s']", "", prefix).lower()
        key = (prefix, limit)
        if len(prefix) <= SHORT_PREFIX and key in self._short:
            return self._short[key]
        if pinyin:
            found = [word for _, word in _starting(self._sorted_pinyin, prefix)]
            if len(prefix) >= 2:
                found.extend(word for _, word in _starting(self._sorted_initials, prefix))
            best = self._rank(found, limit)
        else:
            start = bisect.bisect_left(self._sorted_words, prefix)
            stop = bisect.bisect_left(self._sorted_words, prefix + "\U0010ffff")
            best = self._rank(self._sorted_words[start:stop], limit)
        if len(prefix) <= SHORT_PREFIX:
            self._short[key] = best  # a race only computes the same list twice
        return best


def _starting(pairs: list[tuple[str, str]], prefix: str) -> list[tuple[str, str]]:
    """The (key, word) pairs of a key-sorted list whose key starts with prefix."""
    start = bisect.bisect_left(pairs, (prefix, ""))
    stop = bisect.bisect_left(pairs, (prefix + "\x7f", ""))
    return pairs[start:stop]
