"""Splitting one newspaper page (or a saved web page's text) into its articles.

Lines (corpus.lines) → headlines, captions and paragraphs (corpus.paragraphs) → headed articles,
here: a headline group opens an article where a dateline or a date follows it, captions join the
article they show, headlines printed away from their text find it, and a saved web page is one
article under the headline its date line confirms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.cleaning import bigrams
from corpus.lines import CAPTION_MARKS, column_width, is_dateline, page_lines, read_lines, web_head
from corpus.paragraphs import (
    CAPTION_KINDS,
    CAPTION_PULL_MAX,
    SUBTITLE_DASHES,
    Paragraph,
    mark_captions,
    mark_headings,
    paragraphs,
)

__all__ = ["PageArticle", "page_lines", "split_page", "web_head"]

# Where a dateline ends: at an outlet's 消息 with no 讯 or 电 before it (天山网消息), at its 讯 or 电
# after a date, else at the first 讯 (本报讯), else at 电.
DATELINE_END = re.compile(
    r"^[^，,。:\n讯电訊電]{0,16}?消息\s*|^.*?\d{1,2}月\d{1,2}日[讯电訊電]\s*|^.*?[讯訊]\s*|^.*?[电電]\s*"
)
SUMMARY_LABEL = re.compile(r"^[【\[]?(内容)?摘要[】\]]?\s*[:：]\s*")
EDITORS_NOTE = re.compile(r"^[【\[]?(编者按|编者的话|编前语|导读)[】\]]?\s*[:：]?")
# The reporters' names in brackets after a dateline: （记者 丁建刚、符晓波）, (全媒体记者张武明), (王小军).
REPORTERS = re.compile(r"^[（(][^（()）]{1,40}[）)]\s*")
# A headline made of the first sentence of an item printed without one.
FIRST_SENTENCE_MAX = 40
FIRST_SENTENCE_MIN = 6
# An article this many paragraphs long is a feature, whose subheads open no new article.
FEATURE_PARAGRAPHS = 4
OVERLAP_MIN = 0.34
BODY_SPAN = 4


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
        body = REPORTERS.sub("", DATELINE_END.sub("", body))  # anchored: it cuts once
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
