"""A page's layout: which lines are headlines and captions, and the paragraphs its lines join into.

The second step of splitting a page (corpus.page), over the lines of corpus.lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.cleaning import cjk_count, ends_sentence, join_fragments
from corpus.lines import (
    CAPTION_MARKS,
    CREDIT_MAX,
    CREDIT_ROLE,
    Line,
    is_credit,
    is_dateline,
    opens_body,
    starts_with_date,
)

CAPTION_LOOKAHEAD = 8
# Paragraph kinds set aside as captions: a photo credit (…摄), a marked caption (■ …), and a caption
# found by the layout (a figure's).
CAPTION_KINDS = ("credit", "caption", "figure")
HEADING_MAX = 48
# A web page's headline stands above its date or source line and may be longer, with commas.
WEB_TITLE_MAX = 64
WEB_TITLE_MIN = 4
SUBTITLE_DASHES = ("——", "—", "--")
# A heading must be shorter than this share of the column width on narrow pages.
SHORT_SHARE = 0.8
NARROW_PAGE = 30
# More blank lines than between paragraphs mark a figure's gap; a short finished line in it is its caption.
FIGURE_GAP = 2
CAPTION_MAX = 100
BULLETS_MIN = 2
CAPTION_DATE = re.compile(r"^(\d{4}年)?\d{0,2}月\d{1,2}日[，,]")
WIDE_BODY_SHARE = 0.5
CAPTION_PULL_MAX = 60


@dataclass(slots=True)
class Paragraph:
    """One joined paragraph and what it is: heading, dateline, body, credit or caption."""

    text: str
    kind: str
    lines: int = 1
    header: list[str] = field(default_factory=list)
    before_meta: bool = False
    after_more: bool = False


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


def mark_headings(lines: list[Line], width: float, web: bool) -> None:
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
