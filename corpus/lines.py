"""A page's lines: cleaned, with a saved web page's furniture dropped or set aside, and what a line opens.

The first step of splitting a page (corpus.page): each non-empty line cleaned (corpus.cleaning),
continuation marks, column labels and a web page's navigation and menus dropped, its date, source
and byline lines set aside as the header of the line below (corpus.furniture), blank lines
remembered. Whether a line opens a news item (a dateline, a date) or is a photo credit is read here.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from corpus import datafiles
from corpus.cleaning import SENTENCE_MARKS, cjk_count, clean_headline, clean_line, without_glosses
from corpus.folding import fold
from corpus.furniture import META, NAV, is_column_label, web_kind
from corpus.sources import opens_with_outlet

# A dateline opens a news item: 本报讯, 地区融媒讯, 地区融媒上海讯, 新疆日报阿克苏12月10日讯, 新华社…电
# (and their traditional forms, 本報訊 …, which a Big5 page prints).
DATELINE = re.compile(
    r"^(本[报報][^，。\s]{0,8}?[讯訊]|[^，。\s]{0,12}?融媒[^，。\s]{0,4}?[讯訊]|[^，。\s]{0,12}?\d{1,2}月\d{1,2}日[讯电訊電]"
    r"|新[华華]社[^，。\s]{0,8}?[电電])"
)
# A body that starts with its date: "3月26日，", "8月27日至28日，", "近日，".
DATE_START = re.compile(r"^((\d{4}年)?\d{1,2}月\d{1,2}日(至\d{1,2}日)?(上午|下午|晚)?[，,]|(近日|日前|近期)[，,])")
# A teaser's link to the whole story; the next headline starts another item.
READ_MORE = re.compile(r"\s*(>>|》》|»)\s*(详情|详细|阅读全文|全文|更多)\s*$")
STRAY_MARKS = re.compile(r"^[|｜\s]+|[|｜\s]+$|^<正>")
CONTINUATION = re.compile(r"[（(]\s*[上下][转轉]第\s*\d+\s*版\s*[)）]")
CAPTION_MARKS = "■▶➡►●▲◆"
CREDIT_ROLE = re.compile(r"[记記]者|通[讯訊][员員]|[摄攝]影|[实實][习習]生|特派|[记記]$")
CREDIT_END = ("摄", "攝")
CREDIT_MAX = 40
# A site's menu down the page: this many lines or more in a row, each this short.
MENU_ITEMS = 5
MENU_ITEM_MAX = 6
HEADLINE_MAX = 80  # a longer line is read as no headline (headlines)
# How long the paragraph below an author's name alone is at least.
LONE_NAME_BEFORE = 40
# How far down a saved web page its navigation and date lines stand.
WEB_HEAD_LINES = 8


@dataclass(slots=True)
class Line:
    """One non-empty cleaned line, how many blank lines preceded it, and what it was found to be."""

    text: str
    blank_before: bool
    indented: bool = False
    heading: bool = False
    blanks: int = 0  # blank lines just above it
    caption: bool = False  # a photo caption found by the layout, not by a mark or a credit
    after_gap: bool = False  # below a figure's gap: text resumes there, a new block
    # A web page's date, source and byline lines that stood just above this line (set aside).
    header: list[str] = field(default_factory=list)
    before_meta: bool = False  # a date or source line follows it: a web page's headline
    after_more: bool = False  # below a teaser's "read more" link (>>详情): a new item starts here


def is_credit(text: str) -> bool:
    """A photo credit ends with 摄 (马海军 摄, 本报记者 陈正宝 摄)."""
    return text.endswith(CREDIT_END) and (len(text) <= CREDIT_MAX or text[0] in CAPTION_MARKS)


def is_dateline(text: str) -> bool:
    """Whether text opens with a news dateline (本报讯, …3月5日电, or a known outlet's: 金山网讯)."""
    return bool(DATELINE.match(without_glosses(text))) or opens_with_outlet(text)


def starts_with_date(text: str) -> bool:
    """Whether text opens with its own date (3月26日，…)."""
    return bool(DATE_START.match(text))


def opens_body(text: str) -> bool:
    """Whether text opens a news item's body: a dateline or a date."""
    return is_dateline(text) or starts_with_date(text)


def is_furniture(text: str) -> bool:
    """Whether a line is only page furniture: a column label, or a web page's navigation."""
    return is_column_label(text) or web_kind(text) == NAV


@dataclass(slots=True)
class PageLines:
    """A page's lines, and whether it carried a web page's furniture (navigation, a source line)."""

    lines: list[Line]
    web: bool
    # Header lines below the last line of the page, if any.
    trailing: list[str] = field(default_factory=list)


def line_text(raw_line: str) -> str:
    """A page's line as read_lines reads it: cleaned, without continuation marks and table borders."""
    return STRAY_MARKS.sub("", clean_line(CONTINUATION.sub("", raw_line)))


def headlines(raw: str) -> dict[str, str]:
    """The page's lines that read otherwise as a headline (clean_headline: its phrases' spaces kept,
    its decorations gone), by their text as read_lines gives it."""
    found: dict[str, str] = {}
    for raw_line in raw.splitlines():
        if len(raw_line) > HEADLINE_MAX:
            continue
        text = line_text(raw_line)
        if text and text not in found:
            headline = STRAY_MARKS.sub("", clean_headline(CONTINUATION.sub("", raw_line)))
            if headline != text:
                found[text] = headline
    return found


def read_lines(raw: str) -> PageLines:
    """The page's non-empty cleaned lines: continuation marks, column labels and web navigation
    removed, a web page's date, source and byline lines set aside as the header of the line below."""
    lines: list[Line] = []
    blanks = 0
    header: list[str] = []
    web = broken = False
    seen = 0
    more = False
    for raw_line in raw.splitlines():
        # A table's borders (| …… |) and a database's paragraph mark (<正>) are no text.
        text = line_text(raw_line)
        teaser_end = bool(READ_MORE.search(text))
        if teaser_end:
            text, raw_line = READ_MORE.sub("", text), READ_MORE.sub("", raw_line)
        # The head of a page is its first few lines of substance (a menu's words do not count).
        seen += len(text) > MENU_ITEM_MAX
        # Below its head, a page that is no web page keeps every line as text.
        kind = web_kind(raw_line) if text and (web or seen <= WEB_HEAD_LINES) else None
        if kind is not None:
            # A web page's furniture breaks the text like one blank line, not like a figure's gap;
            # a page whose head carries it is a saved web page.
            web = True
            broken = True
            blanks = 0
            if kind != NAV:
                header.append(text)
                if kind == META and lines:
                    lines[-1].before_meta = True
            continue
        if not text or is_column_label(text):
            blanks += 1
            more = more or teaser_end
            continue
        lines.append(Line(text, blanks > 0 or broken, raw_line[:1].isspace(), blanks=blanks, header=header,
                          after_more=more))
        header = []
        blanks = 0
        broken, more = False, teaser_end
    menu = _menu(lines)
    if menu:
        # A site's menu printed down the page (首页 / 走进工委 / 工作动态 …).
        lines[menu.stop].header[:0] = [line for item in lines[menu] for line in item.header]
        del lines[menu]
        web = True
    if _lone_name(lines):
        # A page opening with its author's name alone (楊可) above the text.
        lines[1].header[:0] = [*lines[0].header, lines[0].text]
        del lines[0]
        web = True
    return PageLines(lines, web, header)


def _menu(lines: list[Line]) -> slice | None:
    """Where in a page's head a run of menu items stands, each a word or two on a line of its own."""
    start = None
    for index, line in enumerate(lines[: WEB_HEAD_LINES + MENU_ITEMS + 1]):
        # The headline above the date line may be as short as a menu's word, but is none.
        item = len(line.text) <= MENU_ITEM_MAX and not SENTENCE_MARKS.search(line.text) and not line.before_meta
        if item and start is None:
            start = index
        elif not item:
            if start is not None and index - start >= MENU_ITEMS:
                return slice(start, index)
            start = None
    return None


def _lone_name(lines: list[Line]) -> bool:
    """Whether a page's first line is a name alone (a surname and one or two characters) above a paragraph."""
    if len(lines) < 2 or len(lines[1].text) < LONE_NAME_BEFORE:
        return False
    first = fold(lines[0].text)
    return 2 <= len(first) <= 3 and cjk_count(first) == len(first) and first[0] in datafiles.surnames()


def web_head(text: str) -> tuple[list[str], str]:
    """A ready article's text with a saved web page's furniture taken from its head: the date,
    source and byline lines (returned apart, for the metadata rules) and the navigation (dropped)."""
    header: list[str] = []
    kept: list[str] = []
    seen = 0
    for line in text.splitlines():
        seen += bool(line.strip())
        kind = web_kind(line) if line.strip() and seen <= WEB_HEAD_LINES else None
        if kind is None:
            kept.append(line)
        elif kind != NAV:
            header.append(clean_line(line))
    return header, "\n".join(kept)


def page_lines(raw: str) -> list[Line]:
    """The page's non-empty cleaned lines, continuation marks and furniture removed, blank lines remembered."""
    return read_lines(raw).lines


def column_width(lines: list[Line]) -> float:
    """The page's typical line length: narrow on column pages, long where a line is a paragraph."""
    lengths = [len(line.text) for line in lines if len(line.text) >= 4]
    return statistics.median(lengths) if lengths else 0.0
