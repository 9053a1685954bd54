"""Page furniture: the lines of a page that belong to no article's text.

A newspaper page prints column labels (furniture.txt); a saved web page carries navigation,
breadcrumbs, menus and share bars, and states its date, source and author on lines of their own
(web_furniture.tsv). Navigation is dropped; date, source and byline lines are set aside as an
article's header, which the date and source rules read.
"""

from __future__ import annotations

import functools
import re

from corpus import datafiles
from corpus.cleaning import without_glosses
from corpus.dates import is_date_line
from corpus.errors import CorpusError
from corpus.folding import fold

NAV, META, BYLINE = "nav", "meta", "byline"
KINDS = (NAV, META, BYLINE)
# A line longer than this is a paragraph, whatever it mentions.
HEADER_LINE_MAX = 100
# A name in a byline: a Han name, or a transliterated one with its dot (拍热扎提·阿不都).
NAME_MAX = 4
DOTTED_NAME_MAX = 12
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A line of no Chinese this short in a page's head is a counter, a code or a border, no text.
STRAY_MAX = 20
_SENTENCE_PUNCTUATION = re.compile(r"[，。,！？!?；;]")
# A menu's item as a saved page's text renders a list: a list bullet and a few words (  • 援疆新闻).
_MENU_ITEM = re.compile(r"^[•◦▪‣]\s*[^\s，。,！？!?；;]{1,8}$")


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    rows = []
    for kind, pattern in datafiles.read_table("web_furniture.tsv", 2):
        if kind not in KINDS:
            raise CorpusError(f"web_furniture.tsv: kind {kind!r} is not one of {', '.join(KINDS)}")
        try:
            rows.append((kind, re.compile(pattern)))
        except re.error as error:
            raise CorpusError(f"web_furniture.tsv: bad pattern {pattern!r}: {error}") from error
    return tuple(rows)


@functools.cache
def outlets_by_name() -> dict[str, str]:
    """Every name of a known outlet, folded, and the outlet it names (the first outlet to give a
    name keeps it): a line that is only one is the page's masthead."""
    names: dict[str, str] = {}
    for outlet, others, _ in datafiles.outlets():
        for name in (outlet, *others):
            names.setdefault(fold(name), outlet)
    return names


def _named_outlets(line: str) -> set[str] | None:
    """The outlets a line names when it is only outlets' names (石榴云/新疆日报, 人民日报 浙江日报), else None."""
    parts = [part for part in re.split(r"[\s/|｜\-—]+", line) if part]
    names = outlets_by_name()
    if parts and all(part in names for part in parts):
        return {names[part] for part in parts}
    return None


def _masthead(line: str) -> bool:
    """Whether a line names one outlet only (人民网, 石榴云/新疆日报), or is a breadcrumb starting at one
    (新疆都市报 > 新闻 > …): the page's masthead."""
    # A name of several words (China Daily) is one outlet's, not words that must each be one.
    if line in outlets_by_name():
        return True
    named = _named_outlets(line)
    if named is not None:
        return len(named) == 1
    crumbs = [crumb.strip() for crumb in re.split(r"[>»›]+", line)]
    return len(crumbs) > 1 and crumbs[0] in outlets_by_name()


def is_column_label(text: str) -> bool:
    """Whether a line is only a column label of furniture.txt (perhaps repeated, as OCR may read it twice)."""
    compact = re.sub(r"\s", "", text)
    return bool(compact) and any(not compact.replace(label, "") for label in datafiles.furniture())


def web_kind(line: str) -> str | None:
    """What a line of a saved web page is when it is furniture: nav, meta or byline; else None.

    line is the page's line before stray spaces are squeezed out: a byline's names stand apart
    (科技日报记者 王春 朱彤), while a column of OCR text runs on (…日报记者马伊宁从自治).
    """
    folded = without_glosses(fold(line)).strip()
    if not folded or len(folded) > HEADER_LINE_MAX:
        return None
    if is_date_line(folded) or _masthead(folded):
        return META
    if _MENU_ITEM.match(folded) or len(_named_outlets(folded) or ()) > 1:
        return NAV  # a menu's item, or a bar of links to several outlets (人民日报 浙江日报 新疆日报)
    if not _CJK.search(folded) and len(folded) <= STRAY_MAX:
        return NAV  # a share counter, a page code (AA04), a table's border
    for kind, pattern in _patterns():
        match = pattern.search(folded)
        if match is None:
            continue
        if kind == BYLINE and not _names_only(folded, match.end()):
            continue
        return kind
    return None


def _names_only(line: str, start: int) -> bool:
    """Whether what follows a byline's role (…记者) is only names: short words set apart, no sentence."""
    rest = line[start:].strip()
    if _SENTENCE_PUNCTUATION.search(rest) or rest.endswith(("摄", "攝")):
        return False
    return all(_is_name(name) for name in rest.split())


def _is_name(word: str) -> bool:
    """A Han name (up to four characters) or a transliterated one joined by its dot."""
    return len(word) <= NAME_MAX or (any(dot in word for dot in "·•・") and len(word) <= DOTTED_NAME_MAX)
