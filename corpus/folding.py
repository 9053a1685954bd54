"""Folding: one reading of every text, for search and for metadata alike.

Folding is per character (NFKC, then OpenCC traditional → simplified, then lowercase), so the
same function applies to queries, documents and the rules that read metadata from a text, and
each character of a text maps to the characters it folds to (which keeps highlights exact).
廣東援疆 reads as 广东援疆 and ２０２３ as 2023 wherever a rule or a query looks at it.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Any

WORD_RUN = re.compile(r"[^\W_]+")
_NON_WORD = re.compile(r"[\W_]+")

_fold_lock = threading.Lock()
_fold_table: dict[str, str] = {}  # only characters that change
_foldable_re: re.Pattern[str] = re.compile("(?!)")
_fold_irregular: set[str] = set()  # characters that fold to other than exactly one character
_irregular_re: re.Pattern[str] = re.compile("(?!)")
_table_built = False
# Until this many characters were folded, each new character is folded when first seen instead of
# building the whole table: a terminal search folds a query and ten snippets, and should not wait.
_LEARN_LIMIT = 50_000
_learned: set[str] = set()
_learned_count = 0
_astral_seen: set[str] = set()
# Characters that fold and that most texts hold (capitals, full-width punctuation and digits, the
# ellipsis, the ideographic space): learned with the first text, so that the patterns are not
# compiled again (about 1 ms each) for each of the next texts that brings one more of them.
_COMMON = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ\u2026\u3000" + "".join(map(chr, range(0xFF01, 0xFF5F))))
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_converter: Any = None


def _t2s(text: str) -> str:
    """Convert traditional to simplified characters with OpenCC (loaded on first use)."""
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return str(_converter.convert(text))


def fold_char(char: str) -> str:
    """Fold one character: NFKC, traditional → simplified, lowercase (may give 0–n chars)."""
    folded = unicodedata.normalize("NFKC", char)
    folded = "".join(_t2s(c) if c > "\u2e7f" else c for c in folded)
    return folded.lower()


def _record(char: str, folded: str) -> None:
    """Enter one character's folding in the translation table."""
    if folded != char:
        _fold_table[char] = folded
    if len(folded) != 1:
        _fold_irregular.add(char)


def _build_table() -> None:
    """Fold every character of the Basic Multilingual Plane once (about 0.07 s).

    Per-text learning of unseen characters cost more than segmentation; OpenCC is called once
    for all CJK characters (see _simplified). Most characters fold to themselves and are passed
    over with one comparison, which keeps server start-up short.
    """
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    nfkc = [unicodedata.normalize("NFKC", c) for c in chars]
    simplified = _simplified({c for n in nfkc for c in n})
    for char, normal in zip(chars, nfkc):
        if normal == char:
            folded = simplified.get(char, char).lower()
            if folded != char:
                _record(char, folded)
        else:
            _record(char, "".join(simplified.get(c, c) for c in normal).lower())
    _compile_patterns()


def _simplified(chars: set[str]) -> dict[str, str]:
    """The simplified form of each character of chars that OpenCC changes, each converted on its own.

    OpenCC is called once for all of them, joined by line breaks so that no multi-character
    phrase applies: exactly what fold_char does for one character.
    """
    cjk = sorted(c for c in chars if c > "\u2e7f")
    if not cjk:
        return {}
    return {t: s for t, s in zip(cjk, _t2s("\n".join(cjk)).split("\n")) if t != s}


def _learn(text: str) -> None:
    """Fold the characters of text not seen yet, as fold_char does (before the table is built)."""
    new = (set(text) if _learned else _COMMON.union(text)) - _learned
    nfkc = {char: unicodedata.normalize("NFKC", char) for char in new}
    simplified = _simplified({c for normal in nfkc.values() for c in normal})
    changed = False
    for char, normal in nfkc.items():
        folded = "".join(simplified.get(c, c) for c in normal).lower()
        changed |= folded != char
        _record(char, folded)
    _learned.update(new)
    if changed:
        _compile_patterns()


def _one_of(chars: set[str] | dict[str, str]) -> re.Pattern[str]:
    """A pattern matching any one of chars (nothing, when there are none)."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]" if chars else "(?!)")


def _compile_patterns() -> None:
    """Compile the patterns of characters that fold, and that fold to other than one character."""
    global _irregular_re, _foldable_re
    # A regex substitution visits only the characters that change: 4x faster than str.translate.
    _foldable_re = _one_of(_fold_table)
    _irregular_re = _one_of(_fold_irregular)


def build_folding() -> None:
    """Build the whole folding table now (a server does at start, rather than during a request)."""
    global _table_built
    with _fold_lock:
        if not _table_built:
            _build_table()
            _table_built = True


def _ready(text: str) -> re.Pattern[str]:
    """Make sure every character of text is in the table; the pattern of irregular characters."""
    global _learned_count
    if not _table_built:
        with _fold_lock:
            _learned_count += len(text)
            if not _table_built and _learned_count <= _LEARN_LIMIT:
                _learn(text)
        if _learned_count > _LEARN_LIMIT:
            build_folding()
    if _ASTRAL.search(text):
        new = {c for c in _ASTRAL.findall(text) if c not in _astral_seen}
        if new:
            with _fold_lock:
                for char in new:
                    _record(char, fold_char(char))
                    _astral_seen.add(char)
                _compile_patterns()
    return _irregular_re


def _fold_match(match: re.Match[str]) -> str:
    """The folding of one matched character."""
    return _fold_table[match.group()]


def fold(text: str) -> str:
    """Fold text character by character (see fold_char)."""
    _ready(text)
    return _foldable_re.sub(_fold_match, text)


def stream(text: str) -> str:
    """The folded word characters of text, everything else removed: what grams are made of."""
    return _NON_WORD.sub("", fold(text))


def stream_offsets(text: str) -> tuple[str, list[int]]:
    """The stream of text and, for each stream character, the index of its original character."""
    irregular = _ready(text)
    chars: list[str] = []
    offsets: list[int] = []

    def regular(start: int, end: int) -> None:
        # Characters folding to exactly one character keep their positions.
        for m in WORD_RUN.finditer(_foldable_re.sub(_fold_match, text[start:end])):
            chars.append(m.group())
            offsets.extend(range(start + m.start(), start + m.end()))

    pos = 0
    for match in irregular.finditer(text):
        index = match.start()
        regular(pos, index)
        for piece in _fold_table.get(match.group(), match.group()):
            if piece.isalnum():
                chars.append(piece)
                offsets.append(index)
        pos = index + 1
    regular(pos, len(text))
    return "".join(chars), offsets
