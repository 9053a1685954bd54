"""The outlet that wrote an article: its 来源 line, an agency dateline, a reprint credit or the page's masthead."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from corpus import datafiles
from corpus.cleaning import SENTENCE_MARKS, cjk_count
from corpus.dates import is_date_line
from corpus.errors import CorpusError
from corpus.folding import fold
from corpus.furniture import BYLINE, outlets_by_name, web_kind

UNKNOWN_SOURCE = "未注明"
# Which of the text's paragraphs may open with a dateline (新华社乌鲁木齐3月5日电).
DATELINE_PARAGRAPHS = 5
HEADER_LINES = 3
# A 来源 value that names no known outlet is kept only when it looks like one (…日报, …网).
_OUTLET_END = re.compile(r"(报|网|社|台|新闻|客户端|杂志|周刊|在线|晚报|电视台|广播电台|融媒体中心|发布)$")
_OUTLET_MAX = 14
_SOURCE_LABEL = re.compile(
    r"(?:文章来源|信息来源|新闻来源|稿件来源|来源|稿源|出处|转载自|转自|来自)\s*[:：/]\s*|来源\s+(?=\S)"
    r"|^(?:本文)?转(?:载)?自\s*【?|(?:节选自|摘自|选自|原载于?|刊于)\s*(?=《)"
)
# What ends a 来源 value: a space, another label, a date or a separator.
_VALUE_END = re.compile(
    r"[\s|｜,，;；/(（]|(?:作者|编辑|责编|责任编辑|时间|日期|发布时间|发布日期)\s*[:：]|本报记者|记者|\d{4}[-年/.]"
)
_QUOTES = re.compile(r"[“”\"'《》【】「」〈〉()（）\[\]]")
# A byline naming its outlet: 河北日报记者, ●兵团日报全媒体记者, 文/《瞭望》新闻周刊记者, 天山网-新疆日报记者,
# 示例日报见习记者 (a trainee's, whose outlet is 示例日报).
_BYLINE = re.compile(r"^[●■◆]?\s*(?:文\s*[/|｜])?\s*(\S{2,16}?)(?:全媒体|融媒体?)?(?:特约|见习|实习)?记者")
# The names on a date line: runs of letters that are no date or time.
# A reporter's or photographer's credit near the start: the outlet before 记者 (新京报记者 李明),
# or a photo's credit (新华网王雄摄).
_CREDIT = re.compile(
    r"([^\s,，。;；:：、/]{2,14}?)(?:全媒体|融媒体?)?(?:特约|见习|实习)?记者|([^\s,，。;；:：、/]{3,18}?)摄"
)
CREDIT_SPAN = 2000
_NAME_RUN = re.compile(r"[^\W\d_]{2,}")
# A periodical's issue line, alone on its line: 前线 2016年1期, 《求是》2023年第5期.
_ISSUE = re.compile(r"^《?([^\W\d_]{2,14}?)》?\s*\d{4}\s*年\s*第?\s*\d{1,3}\s*期$")
_DATELINE_END = re.compile(r"^[^,。，:\n]{0,16}?(?:\d{1,2}月\d{1,2}日)?\s*(?:电|讯|消息)")


@functools.cache
def _known() -> tuple[tuple[str, str], ...]:
    """Every name of every outlet (folded) and the outlet it names, longest first."""
    return tuple(sorted(outlets_by_name().items(), key=lambda item: -len(item[0])))


def outlet_named(value: str) -> str | None:
    """The known outlet a value starts with (新疆日报原创 → 新疆日报), or any it names."""
    for name, outlet in _known():
        if value.startswith(name):
            return outlet
    for name, outlet in _known():
        if len(name) >= 3 and name in value:
            return outlet
    return None


def _value(text: str) -> str | None:
    """An outlet named by a 来源 value or a masthead: a known one, else the value itself when it is
    short, a name (no sentence) and no non-answer such as 原创."""
    value = _QUOTES.sub("", text).strip()
    # A value that is itself an outlet's name (河北经济日报) is that outlet, not one its name holds (经济日报).
    known = outlet_named(text) if not (_OUTLET_END.search(value) and len(value) <= _OUTLET_MAX) else None
    known = known or next((outlet for name, outlet in _known() if name == value), None)
    if known is not None:
        return known
    if (
        not value
        or len(value) > _OUTLET_MAX
        or value in datafiles.not_sources()
        or cjk_count(value) < 2
        or SENTENCE_MARKS.search(value)
        or ":" in value
    ):
        return None
    return value


def _labelled(lines: Sequence[str]) -> str | None:
    """The outlet of a 来源：X line."""
    for line in lines:
        for match in _SOURCE_LABEL.finditer(line):
            rest = line[match.end() :].strip()
            end = _VALUE_END.search(rest)
            found = outlet_named(rest) or _value(rest[: end.start()] if end else rest)
            if found is not None:
                return found
    return None


def _byline(lines: Sequence[str]) -> str | None:
    """The outlet a reporter's byline names (河北日报记者 辛强, 《瞭望》新闻周刊记者 …)."""
    for line in lines:
        match = _BYLINE.match(line)
        if match and web_kind(line) == BYLINE:
            found = _value(match.group(1))
            if found is not None:
                return found
    return None


def _dated_name(lines: Sequence[str]) -> str | None:
    """The site or paper named beside a header's date (2025-09-28 21:24 新福建, 上海援疆2019-06-24).

    A name that is no known outlet's and does not end like one (…报, …网) is passed over when it is
    a label (来源时间为:2022-01-24) or reads as reporters' names run together (2016-03-07魏晔玲宋明晏):
    the outlet stays unknown rather than wrong.
    """
    for line in lines:
        if not is_date_line(line):
            continue
        for match in _NAME_RUN.finditer(line):
            name = match.group()
            found = _value(name)
            if found is None:
                continue
            if (name in outlets_by_name() or _OUTLET_END.search(name)
                    or not (line.startswith(":", match.end()) or _names_only(name))):
                return found
    return None


def _names_only(run: str) -> bool:
    """Whether run is one or more Han personal names run together: each a surname of surnames.txt
    and one or two more characters (王雄, 魏晔玲宋明晏)."""
    surnames = datafiles.surnames()
    ends = {0}  # where a name may start: after the names that end there
    for at in range(len(run)):
        if at in ends and run[at] in surnames:
            ends.update(at + size for size in (2, 3) if at + size <= len(run))
    return len(run) in ends and cjk_count(run) == len(run)


def _issue(lines: Sequence[str]) -> str | None:
    """The periodical whose issue line (前线 2016年1期) stands in the header or the text's first lines."""
    for line in lines:
        match = _ISSUE.match(line.strip())
        if match:
            found = _value(match.group(1))
            if found is not None:
                return found
    return None


def _dateline(text: str) -> str | None:
    """The outlet whose dateline opens one of the text's first paragraphs (新华社乌鲁木齐3月5日电,
    天山网讯; an editor's note may stand before it)."""
    for paragraph in text.split("\n", DATELINE_PARAGRAPHS)[:DATELINE_PARAGRAPHS]:
        match = _DATELINE_END.match(paragraph)
        if match:
            for name, outlet in _known():
                if match.group().startswith(name):
                    return outlet
    return None


@functools.cache
def _credit_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    rows = []
    for source, pattern in datafiles.read_table("sources.tsv", 2):
        try:
            rows.append((source, re.compile(pattern, re.MULTILINE)))
        except re.error as error:
            raise CorpusError(f"sources.tsv: bad pattern {pattern!r}: {error}") from error
    return tuple(rows)


def _masthead(lines: Sequence[str]) -> str | None:
    """The outlet heading a header line: a known one (人民网, 上海援疆2019-06-24) or a site's name
    set apart before the page's date (中国益阳门户网 www… 发布时间:…)."""
    for line in lines:
        compact = line.strip()
        for name, outlet in _known():
            if compact.startswith(name) and (len(compact) == len(name) or not compact[len(name)].isalpha()):
                return outlet
        first = compact.split()[0] if compact.split() else ""
        if first != compact and _OUTLET_END.search(first) and _value(first):
            return _value(first)
    return None


def infer_source(text: str, page_source: str | None, header: Sequence[str] = ()) -> str:
    """The outlet that wrote the article, else the page's paper, else 未注明.

    Ranked: a 来源 line of the header or the text's first lines, a dateline of an outlet
    (新华社…电), a reprint credit of sources.tsv (图文均据新华社), a reporter's byline naming the
    outlet, a periodical's issue line (前线 2016年1期), a known outlet heading a header line, a name beside the header's date, the page's
    paper (the manifest's).
    """
    folded = fold(text)
    head = [fold(line) for line in header] + folded.split("\n")[:HEADER_LINES]
    found = _labelled(head) or _dateline(folded)
    if found:
        return found
    for source, pattern in _credit_patterns():
        if pattern.search(folded):
            return source
    folded_header = [fold(line) for line in header]
    return (
        _byline(head)
        or _issue(head)
        or _masthead(folded_header)
        or _dated_name(folded_header)
        or page_source
        or _reporter(folded[:CREDIT_SPAN])
        or UNKNOWN_SOURCE
    )


@functools.cache
def _any_known() -> re.Pattern[str]:
    """Any known outlet's name (without quotes)."""
    names = {_QUOTES.sub("", name) for name, _ in _known()} - {""}
    return re.compile("|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)))


def _reporter(text: str) -> str | None:
    """A known outlet whose reporter the text credits (新京报记者 彭子洋 摄, 《瞭望》新闻周刊记者)."""
    # Only a known outlet's name is taken, and every credit is a piece of the text: a text that names
    # none (its quotes aside) is passed over before the credits' pattern is tried at every character.
    if not _any_known().search(_QUOTES.sub("", text)):
        return None
    for match in _CREDIT.finditer(text):
        found = outlet_named(_QUOTES.sub("", match.group(1))) if match.group(1) else outlet_heading(match.group(2))
        if found is not None:
            return found
    return None


# A site's name after a saved page's headline, as its <title> gives it: …变化-新华网, …_中国新闻网, … | 天山网.
_SITE_TAIL = re.compile(r"\s*[-_|｜–]\s*([^-_|｜–]{2,14})$")
_HEADLINE_MIN = 4  # what is left of a headline without the name: at least this many characters


def without_site_name(headline: str) -> str:
    """A headline without the site name a page's <title> puts after it: a known outlet's, or a name
    that ends like one (…网, …报) and is no sentence."""
    match = _SITE_TAIL.search(headline)
    if match is None or len(headline[: match.start()].strip()) < _HEADLINE_MIN:
        return headline
    name = fold(match.group(1)).strip()
    if name in outlets_by_name() or (
        _OUTLET_END.search(name) and cjk_count(name) >= 2 and not SENTENCE_MARKS.search(name)
    ):
        return headline[: match.start()].rstrip()
    return headline


def outlet_heading(value: str) -> str | None:
    """The known outlet value starts with (新华网王雄 → 新华网), if any."""
    return next((outlet for name, outlet in _known() if value.startswith(name)), None)


def opens_with_outlet(text: str) -> bool:
    """Whether text opens with a known outlet's dateline (金山网讯, 今日镇江讯, 天山网消息)."""
    match = _DATELINE_END.match(fold(text))
    return match is not None and outlet_heading(match.group()) is not None
