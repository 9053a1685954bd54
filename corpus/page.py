"""Splitting one OCR'd newspaper page into its articles: lines → paragraphs → headed articles."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from corpus import datafiles
from corpus.cleaning import bigrams, cjk_count, clean_line, ends_sentence, join_fragments, without_glosses
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
# The reporters' names in brackets after a dateline: （记者 丁建刚、符晓波）, (全媒体记者张武明), (王小军).
DATELINE_END = re.compile(r"^.*?\d{1,2}月\d{1,2}日[讯电訊電]\s*|^.*?[讯訊]\s*|^.*?[电電]\s*")
SUMMARY_LABEL = re.compile(r"^[【\[]?(内容)?摘要[】\]]?\s*[:：]\s*")
EDITORS_NOTE = re.compile(r"^[【\[]?(编者按|编者的话|编前语|导读)[】\]]?\s*[:：]?")
STRAY_MARKS = re.compile(r"^[|｜\s]+|[|｜\s]+$|^<正>")
REPORTERS = re.compile(r"^[（(][^（()）]{1,40}[）)]\s*")
CONTINUATION = re.compile(r"[（(]\s*[上下][转轉]第\s*\d+\s*版\s*[)）]")
CAPTION_MARKS = "■▶➡►●▲◆"
# Paragraph kinds set aside as captions: a photo credit (…摄), a marked caption (■ …), and a caption
# found by the layout (a figure's).
CAPTION_KINDS = ("credit", "caption", "figure")
CREDIT_ROLE = re.compile(r"[记記]者|通[讯訊][员員]|[摄攝]影|[实實][习習]生|特派|[记記]$")
CREDIT_END = ("摄", "攝")
CREDIT_MAX = 40
HEADING_MAX = 48
# A web page's headline stands above its date or source line and may be longer, with commas.
WEB_TITLE_MAX = 64
WEB_TITLE_MIN = 4
# A site's menu down the page: this many lines or more in a row, each this short.
MENU_ITEMS = 5
MENU_ITEM_MAX = 6
_SENTENCE_MARK = re.compile(r"[，,。；;！!？?：:、]")
# How long the paragraph below an author's name alone is at least.
LONE_NAME_BEFORE = 40
# How far down a saved web page its navigation and date lines stand.
WEB_HEAD_LINES = 8
# A headline made of the first sentence of an item printed without one.
FIRST_SENTENCE_MAX = 40
FIRST_SENTENCE_MIN = 6
SUBTITLE_DASHES = ("——", "—", "--")
# An article this many paragraphs long is a feature, whose subheads open no new article.
FEATURE_PARAGRAPHS = 4
# A heading must be shorter than this share of the column width on narrow pages.
SHORT_SHARE = 0.8
NARROW_PAGE = 30
OVERLAP_MIN = 0.34
CAPTION_LOOKAHEAD = 8
# More blank lines than between paragraphs mark a figure's gap; a short finished line in it is its caption.
FIGURE_GAP = 2
CAPTION_MAX = 100
BULLETS_MIN = 2
CAPTION_DATE = re.compile(r"^(\d{4}年)?\d{0,2}月\d{1,2}日[，,]")
WIDE_BODY_SHARE = 0.5
CAPTION_PULL_MAX = 60
BODY_SPAN = 4


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


@dataclass(slots=True)
class Paragraph:
    """One joined paragraph and what it is: heading, dateline, body, credit or caption."""

    text: str
    kind: str
    lines: int = 1
    header: list[str] = field(default_factory=list)
    before_meta: bool = False
    after_more: bool = False


@dataclass(slots=True)
class PageArticle:
    """An article as found on a page, before metadata: headline, paragraphs, captions."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    # Lines printed above the article that are no part of it but tell its date and source
    # (2024-03-05 来源：…, 发布时间：…): read for metadata, not indexed as text.
    header: list[str] = field(default_factory=list)
    confirmed: bool = False  # its headline stands above a web page's date or source line
    lead: bool = False  # it opens with running text, no headline or dateline: a feature's lead

    @property
    def text(self) -> str:
        """The article's clean text: its paragraphs, then its captions."""
        return "\n".join([*self.paragraphs, *self.captions])


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
        text = STRAY_MARKS.sub("", clean_line(CONTINUATION.sub("", raw_line)))
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
        item = len(line.text) <= MENU_ITEM_MAX and not _SENTENCE_MARK.search(line.text) and not line.before_meta
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


def mark_captions(lines: list[Line]) -> None:
    """Mark the photo captions that stand alone in a figure's gap: after more blank lines than a
    paragraph break, short, and finished or opened by the photo's date (2025年6月23日,…)."""
    gaps = sorted(line.blanks for line in lines[1:] if line.blanks)
    if not gaps:
        return
    figure_gap = max(FIGURE_GAP, gaps[len(gaps) // 2] + 1)
    for index in range(1, len(lines)):
        line = lines[index]
        line.after_gap = line.blanks >= figure_gap
        alone = index + 1 == len(lines) or lines[index + 1].blank_before
        if not line.after_gap or not alone or len(line.text) > CAPTION_MAX or is_dateline(line.text):
            continue
        if ends_sentence(line.text) or CAPTION_DATE.match(line.text):
            line.caption = True


def _heading_candidate(text: str, width: float) -> bool:
    """Could this line be (part of) a headline? Short, unfinished, no commas on narrow pages."""
    if len(text) > HEADING_MAX or cjk_count(text) < 2 or ends_sentence(text):
        return False
    if is_credit(text) or opens_body(text) or text[0] in CAPTION_MARKS:
        return False
    if text[-1] in "，,、：:；;（(“":
        return False
    if width < NARROW_PAGE and re.search(r"[，,。]", text):
        return False
    return True


def _boundary_before(lines: list[Line], index: int) -> bool:
    """Whether a new block may start at lines[index]: page start, or the line before is finished."""
    if index == 0:
        return True
    previous = lines[index - 1]
    if lines[index].after_gap or previous.heading or previous.caption:
        return True
    return ends_sentence(previous.text) or is_credit(previous.text)


def _credit_follows(lines: list[Line], start: int) -> bool:
    """Whether a photo credit closes the next few lines: then short lines above it are a caption."""
    for line in lines[start : start + CAPTION_LOOKAHEAD]:
        if line.heading or opens_body(line.text):
            return False
        if is_credit(line.text):
            return True
    return False


def _web_title(text: str) -> bool:
    """Could this line, standing above a web page's date or source line, be its headline?"""
    return (
        len(text) <= WEB_TITLE_MAX
        and cjk_count(text) >= 2
        and not is_credit(text)
        and not is_dateline(text)
        and text[0] not in CAPTION_MARKS
        and text[-1:] not in "，,、：:；;（(“"
    )


def _mark_opening_headline(lines: list[Line], width: float) -> None:
    """A wide page (a web page's text, a line to a paragraph) opening with a short unfinished line,
    perhaps followed by its subtitles (——…), then a paragraph: that line is the page's headline."""
    first = lines[0].text
    if not _web_title(first) or ends_sentence(first) or len(first) > HEADING_MAX:
        return
    end = 1
    while end < len(lines) and lines[end].text.startswith(SUBTITLE_DASHES) and len(lines[end].text) <= WEB_TITLE_MAX:
        end += 1
    if end == len(lines):
        return
    after = lines[end].text
    if ends_sentence(after) or len(after) >= WIDE_BODY_SHARE * width or opens_body(after):
        for line in lines[:end]:
            line.heading = True


def mark_headings(lines: list[Line], width: float, web: bool = False) -> None:
    """Mark headline lines: a web page's line above its date or source line, those before a
    dateline, and short stand-alone runs between blocks."""
    narrow = width < NARROW_PAGE
    for index, line in enumerate(lines):
        if not line.before_meta:
            continue
        # The headline stands above the date line, perhaps with a stray word between (创始人).
        for back in (index, index - 1):
            if back >= 0 and _web_title(lines[back].text) and cjk_count(lines[back].text) >= WEB_TITLE_MIN:
                lines[back].heading = True
                line.before_meta, lines[back].before_meta = False, True
                break
    # A page of few lines whose paragraphs are each a line has a short median but is no column page.
    paragraph_lines = any(len(line.text) >= 2 * NARROW_PAGE for line in lines)
    if (web or not narrow or paragraph_lines) and len(lines) > 1 and not lines[0].heading:
        _mark_opening_headline(lines, width)
    # Lines just above a dateline or a dated body are its headline.
    for index, line in enumerate(lines):
        if line.caption or not opens_body(line.text) or index == 0:
            continue
        back = index - 1
        while back >= 0 and not lines[back].caption and (lines[back].heading or _heading_candidate(lines[back].text, width)):
            lines[back].heading = True
            back -= 1
            opened = back >= 0 and (_boundary_before(lines, back) or _heading_candidate(lines[back - 1].text, width))
            if back >= 0 and lines[back].text[-1:] in "，、" and opened:
                # A headline broken after a comma: 出席…代表，/艾尔肯·吐尼亚孜…出席座谈会.
                if len(lines[back].text) <= HEADING_MAX and not lines[back + 1].blank_before:
                    lines[back].heading = True
                break
            if back >= 0 and (ends_sentence(lines[back].text) or is_credit(lines[back].text)):
                break
    # Short runs standing between blocks, each line followed by a blank line or another heading.
    index = 0
    while index < len(lines):
        if lines[index].heading or not _boundary_before(lines, index):
            index += 1
            continue
        end = index
        while end < len(lines):
            text = lines[end].text
            short = len(text) <= SHORT_SHARE * width if narrow else True
            if lines[end].heading or lines[end].caption or not (short and _heading_candidate(text, width)):
                break
            end += 1
        # A short line just after a photo's caption starts the text that resumes below the photo.
        after_figure = index > 0 and lines[index - 1].caption
        # The run must be followed by a blank line, a headline, a dateline, or the page's end.
        while end > index:
            if end == len(lines) or lines[end].heading or (opens_body(lines[end].text) and not lines[end].caption):
                break
            # On wide pages a line is a paragraph: a headline is followed by a long one, not by the
            # rest of a sentence that OCR broke (…刘多，新疆维 / 吾尔自治区领导…).
            if lines[end].blank_before and (
                narrow or after_figure or len(lines[end].text) >= WIDE_BODY_SHARE * width
            ):
                break
            end -= 1
        if end > index and not _credit_follows(lines, end):
            for run_index in range(index, end):
                lines[run_index].heading = True
        index = max(end, index + 1)


def _new_paragraph(previous: Line, line: Line, width: float, current: str) -> bool:
    """Whether line starts a new paragraph rather than continuing current, which previous ended."""
    text = line.text
    if line.caption or line.after_gap or previous.caption or line.header or previous.before_meta or line.after_more:
        return True
    if line.heading:
        # A headline continues only a headline line broken after a comma (…代表，\n艾尔肯…).
        return not (previous.heading and previous.text[-1:] in "，、")
    if previous.heading or is_credit(previous.text):
        return True
    if is_dateline(text) or text[0] in CAPTION_MARKS:
        return True
    if is_credit(text):
        # A credit continues only its own first half (地区融媒特派记 / 者胡礼政摄).
        return ends_sentence(current) or not CREDIT_ROLE.search(current) or len(current) > CREDIT_MAX
    if ends_sentence(previous.text):
        if line.blank_before or line.indented or starts_with_date(text):
            return True
        return len(previous.text) < 0.9 * width
    return False


def _kind(text: str, heading: bool) -> str:
    """What a joined paragraph is."""
    if is_credit(text):
        return "credit"
    if text[0] in CAPTION_MARKS and len(text) <= CAPTION_MAX:
        return "caption"
    if heading:
        return "heading"
    if is_dateline(text):
        return "dateline"
    if starts_with_date(text):
        return "dated"
    return "body"


def paragraphs(lines: list[Line], width: float) -> list[Paragraph]:
    """Join lines into paragraphs; a paragraph broken by a caption resumes after it."""
    result: list[Paragraph] = []
    open_index: int | None = None  # a body paragraph a caption interrupted before its sentence ended
    last = 0  # the paragraph the previous line went into
    previous: Line | None = None
    for line in lines:
        target: int | None = None
        if previous is not None and not _new_paragraph(previous, line, width, result[last].text):
            target = last
        elif (
            open_index is not None
            and result[last].kind in CAPTION_KINDS
            and not line.heading
            and not opens_body(line.text)
            and len(result[open_index].text) >= CAPTION_PULL_MAX
        ):
            target = open_index
        if target is None:
            kind = "figure" if line.caption else _kind(line.text, line.heading)
            result.append(Paragraph(line.text, kind, header=list(line.header), before_meta=line.before_meta,
                                    after_more=line.after_more))
            last = len(result) - 1
        else:
            paragraph = result[target]
            paragraph.text = join_fragments(paragraph.text, line.text)
            paragraph.lines += 1
            paragraph.kind = _kind(paragraph.text, line.heading or paragraph.kind == "heading")
            paragraph.header.extend(line.header)
            paragraph.before_meta = paragraph.before_meta or line.before_meta
            last = target
        kind = result[last].kind
        if kind in CAPTION_KINDS:
            if open_index == last:
                open_index = None
        elif kind == "heading" or ends_sentence(result[last].text):
            open_index = None
        else:
            open_index = last
        previous = line
    _unmark_bullets(result)
    return result


def _unmark_bullets(paras: list[Paragraph]) -> None:
    """A run of paragraphs opened by the same mark (◆ …, ◆ …) is a list of points, not captions."""
    index = 0
    while index < len(paras):
        end = index
        mark = paras[index].text[:1]
        while end < len(paras) and paras[end].kind == "caption" and paras[end].text[:1] == mark:
            end += 1
        if end - index >= BULLETS_MIN:
            for paragraph in paras[index:end]:
                paragraph.kind = "body"
        index = max(end, index + 1)


def overlap(line: str, text: str) -> float:
    """The share of line's character pairs that text also has."""
    pairs = bigrams(line)
    return len(pairs & bigrams(text)) / len(pairs) if pairs else 0.0


def _title_of(headings: list[str]) -> tuple[str, list[str]]:
    """The main headline of a headline group, and the rest (kickers, subtitles) for the text."""
    for position, heading in enumerate(headings):
        if not re.search(r"[，,]", heading):
            return heading, headings[:position] + headings[position + 1 :]
    return headings[0], headings[1:]


def _first_sentence(text: str) -> str:
    """A stand-in headline for an item printed without one: its first sentence after the dateline,
    cut after a clause where it runs long."""
    body = SUMMARY_LABEL.sub("", text)
    if is_dateline(body):
        # The dateline ends at its 讯 or 电 after a date, else at the first 讯 (本报讯), else at 电.
        end = DATELINE_END.search(body)
        body = REPORTERS.sub("", body[end.end() :] if end else body)
    sentence = re.split(r"(?<=[。！？!?；;])", body, maxsplit=1)[0]
    if len(sentence) <= FIRST_SENTENCE_MAX:
        return sentence
    # A long sentence is cut after its last clause that fits.
    cut = max((m.end() - 1 for m in re.finditer(r"[，,、：:]", sentence[: FIRST_SENTENCE_MAX + 1])), default=0)
    return sentence[:cut] if cut >= FIRST_SENTENCE_MIN else sentence[:FIRST_SENTENCE_MAX]


CAPTION_PLACE_MIN = 0.2


@dataclass(slots=True)
class _Orphan:
    """A headline printed without a body beside it, and the article it stood before."""

    text: str
    before: int


@dataclass(slots=True)
class _Caption:
    """A photo caption block and the article that was being read when it appeared."""

    texts: list[str]
    default: PageArticle | None
    in_text: bool = False  # found by the layout inside running text: it never stands as an item


@dataclass(slots=True)
class _Builder:
    """Assembles articles from paragraphs, keeping unplaced headlines and captions aside."""

    articles: list[PageArticle] = field(default_factory=list)
    orphans: list[_Orphan] = field(default_factory=list)
    captions: list[_Caption] = field(default_factory=list)

    def orphan(self, texts: list[str], before: int) -> None:
        """Keep headlines that found no body for an item printed elsewhere on the page."""
        self.orphans.extend(_Orphan(text, before) for text in texts)

    def claim(self, body: str) -> list[str]:
        """Take the unplaced headlines that fit a body printed away from its headline."""
        fitting = [orphan for orphan in self.orphans if overlap(orphan.text, body) >= OVERLAP_MIN]
        self.orphans = [orphan for orphan in self.orphans if orphan not in fitting]
        return [orphan.text for orphan in fitting]

    def start(self, headings: list[str], body: str, title_at: int | None = None) -> PageArticle:
        """Open an article under a headline group; lines of a crowded group that do not fit wait.

        title_at is the headline's place in the group where the page says which it is (a web
        page's headline stands above its date line); the others are kickers and subtitles.
        """
        if title_at is not None:
            article = PageArticle(headings[title_at], headings[:title_at] + headings[title_at + 1 :], confirmed=True)
            self.articles.append(article)
            return article
        fitting = headings
        if len(headings) >= 3:
            fitting = [h for h in headings if overlap(h, body) >= OVERLAP_MIN] or headings[-2:]
            self.orphan([h for h in headings if h not in fitting], len(self.articles))
        title, rest = _title_of(fitting)
        article = PageArticle(title, list(rest))
        self.articles.append(article)
        return article

    def start_headless(self, body: str) -> PageArticle:
        """Open an article for a dated body printed without a headline above it."""
        fitting = self.claim(body)
        title, rest = _title_of(fitting) if fitting else (_first_sentence(body), [])
        article = PageArticle(title, list(rest))
        self.articles.append(article)
        return article

    def finish(self) -> list[PageArticle]:
        """Place captions with the article they show, and leftover headlines where they stood."""
        # Each article's character pairs, computed once and again only when a caption joins it:
        # comparing every caption with every article's text anew made long pages quadratic.
        article_pairs = {id(a): bigrams(a.text + a.title) for a in self.articles}
        for caption in self.captions:
            words = "".join(caption.texts)
            pairs = bigrams(words)
            scored = [
                (len(pairs & article_pairs[id(a)]) / len(pairs) if pairs else 0.0, -n, a)
                for n, a in enumerate(self.articles)
            ]
            best = max(scored, key=lambda item: item[:2], default=None)
            if len(pairs) >= 8 and best is not None and best[0] >= CAPTION_PLACE_MIN:
                target = best[2]
            elif caption.default is not None and (len(pairs) < 8 or caption.in_text):
                target = caption.default
            else:
                target = PageArticle(_first_sentence(caption.texts[-1]))
                self.articles.append(target)
            target.captions.extend(caption.texts)
            article_pairs[id(target)] = bigrams(target.text + target.title)
        for orphan in reversed(self.orphans):
            if orphan.before < len(self.articles):
                self.articles[orphan.before].paragraphs.insert(0, orphan.text)
            elif self.articles:
                self.articles[-1].paragraphs.append(orphan.text)
            else:
                self.articles.append(PageArticle(orphan.text))
        return self.articles


def _pull_caption(article: PageArticle | None) -> list[str]:
    """Short trailing paragraphs of an article that are really the caption of the photo below them."""
    if article is None:
        return []
    pulled: list[str] = []
    while len(article.paragraphs) > 1:
        last = article.paragraphs[-1]
        if len(last) >= CAPTION_PULL_MAX and last[0] not in CAPTION_MARKS:
            break
        pulled.insert(0, article.paragraphs.pop())
    return pulled


def _body_after(paras: list[Paragraph], start: int) -> str:
    """The opening of the item that starts at paras[start]: up to its next headline or dateline."""
    taken = [paras[start].text]
    for paragraph in paras[start + 1 : start + BODY_SPAN]:
        if paragraph.kind in ("heading", "dateline"):
            break
        taken.append(paragraph.text)
    return "\n".join(taken)


def split_page(raw: str) -> list[PageArticle]:
    """Split a raw page into articles, each with its headline, paragraphs, captions and header lines.

    A page that carries a web page's furniture (navigation, a date or source line) is a saved web
    page: it holds one article, whose subheads and dated paragraphs open no new one.
    """
    read = read_lines(raw)
    lines = read.lines
    if not lines:
        return []
    width = column_width(lines)
    mark_captions(lines)
    mark_headings(lines, width, read.web)
    paras = paragraphs(lines, width)
    builder = _Builder()
    current: PageArticle | None = None
    pending: list[str] = []  # header lines waiting for the article they stand above
    notes: list[str] = []  # an editor's note waiting for the article it introduces
    body_started = False
    after_caption = False
    index = 0
    while index < len(paras):
        paragraph = paras[index]
        pending.extend(paragraph.header)
        if paragraph.kind == "heading":
            group: list[Paragraph] = []
            while index < len(paras) and paras[index].kind == "heading":
                group.append(paras[index])
                index += 1
            pending.extend(line for p in group[1:] for line in p.header)
            following = paras[index] if index < len(paras) else None
            texts = [p.text for p in group]
            if following is None or following.kind in CAPTION_KINDS:
                builder.orphan(texts, len(builder.articles))
                continue
            body = _body_after(paras, index)
            # A dated body (3月26日，…) opens a news item, except inside a feature, whose dated sections
            # stand under subheads.
            opens = following.kind == "dateline" or (following.kind == "dated" and not _feature(current))
            title = next((i for i, p in enumerate(group) if p.before_meta), None)
            if current is None or opens or len(group) >= 3 or after_caption or group[0].after_more or title is not None:
                current = builder.start(texts, body, title)
                body_started = False
            else:
                current.paragraphs.extend(texts)
            after_caption = False
        elif paragraph.kind in CAPTION_KINDS:
            block = [paragraph.text]
            index += 1
            if paragraph.kind == "credit" and paragraph.text[0] not in CAPTION_MARKS:
                block[:0] = _pull_caption(current if body_started else None)
                # A credit may precede its caption: loose paragraphs between it and the next headline.
                ahead = index
                while ahead < len(paras) and ahead - index < 3 and paras[ahead].kind in ("body", "caption", "figure"):
                    ahead += 1
                if ahead > index and (ahead == len(paras) or paras[ahead].kind == "heading"):
                    block.extend(p.text for p in paras[index:ahead])
                    pending.extend(line for p in paras[index:ahead] for line in p.header)
                    index = ahead
            builder.captions.append(_Caption(block, current, paragraph.kind == "figure"))
            # A photo credit closes a photo item: a headline after it starts the next item. A
            # caption alone (■ …, or one found by the layout) may stand inside a feature.
            after_caption = paragraph.kind == "credit"
        elif current is None and EDITORS_NOTE.match(paragraph.text):
            # An editor's note stands before the article it introduces.
            notes.append(paragraph.text)
            index += 1
        else:
            if current is None or (paragraph.kind == "dateline" and body_started):
                current = builder.start_headless(paragraph.text)
                current.lead = paragraph.kind == "body"
            current.paragraphs.append(paragraph.text)
            body_started = True
            after_caption = False
            index += 1
        if current is not None and pending:
            current.header.extend(pending)
            pending = []
        if current is not None and notes:
            current.paragraphs[:0] = notes
            notes = []
    if notes:  # an editor's note with no article after it is an article of its own
        builder.start_headless(notes[0]).paragraphs.extend(notes)
    articles = builder.finish()
    if articles:
        articles[-1].header.extend([*pending, *read.trailing])
    return [_merged(articles)] if read.web and len(articles) > 1 else articles


def _feature(article: PageArticle | None) -> bool:
    """Whether an article is a feature: one opening with running text (a page cut from a feature's
    middle), a headline with a subtitle (——…), or many paragraphs already."""
    if article is None:
        return False
    return article.lead or any(p.startswith(SUBTITLE_DASHES) for p in article.paragraphs[:2]) or len(article.paragraphs) >= FEATURE_PARAGRAPHS


def _merged(articles: list[PageArticle]) -> PageArticle:
    """One article of a web page's pieces under the headline its date line confirms (else the
    first piece's); the other pieces' headlines become paragraphs."""
    lead = next((a for a in articles if a.confirmed), articles[0])
    merged = PageArticle(lead.title, [], [], [], confirmed=lead.confirmed)
    for article in articles:
        if article is not lead:
            merged.paragraphs.append(article.title)
        merged.paragraphs.extend(article.paragraphs)
        merged.captions.extend(article.captions)
        merged.header.extend(article.header)
    return merged
