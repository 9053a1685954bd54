"""Loading a corpus: every file a reader takes becomes Articles, one at a time; the rest is reported.

A corpus is walked folder by folder in name order (corpus.walk). Only regular files are opened (a
FIFO or a device named *.txt is reported, never read), each under a size cap; the table of corpus.readers
picks a reader by magic bytes and suffix. What a reader finds (pages, or articles with what the
file says of them) goes through the same steps whatever the format: pages are split into
articles (corpus.page), text is cleaned, metadata the file did not give is inferred
(corpus.metadata), an article over the length limit is cut into parts, and an id that cannot be
linked is replaced. iter_corpus yields the articles as they are made, so a corpus of any size is
read without holding it; load_corpus collects them.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from corpus import dates, metadata
from corpus.article import WEB_ADDRESS, Article, LoadResult, PageInfo, Skipped, Unchanged, record_part
from corpus.cleaning import clean_headline, clean_line, ends_sentence, join_fragments
from corpus.errors import CorpusError
from corpus.lines import headlines
from corpus.page import split_page, web_head
from corpus.sources import without_site_name
from corpus.readers import Format, format_for, known_suffixes
from corpus.readers.source import MAX_FILE_MB_ENV, KnownRecords, Limits, RawDocument, Source, Unreadable, megabytes
from corpus.version import loader_signature
from corpus.walk import corpus_files, default_corpus, open_regular, read_manifest, readable_path

log = logging.getLogger(__name__)

# An id is part of the article's address (/articles/<id>): one that a browser would cut or
# rewrite there (a slash or backslash, a dot path, control characters) or a very long one is replaced.
MAX_ID_LENGTH = 200
SNIFF_BYTES = 512


def article_id(*parts: str) -> str:
    """A stable id from what identifies an article (file name and headline, its URL, or its text)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def unlinkable(id: str) -> str | None:
    """Why an id cannot stand in an article's address, or None if it can."""
    if len(id) > MAX_ID_LENGTH:
        return f"longer than {MAX_ID_LENGTH} characters"
    if "/" in id or "\\" in id:
        return "contains a slash"
    if id in (".", ".."):
        return "is a dot path"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in id):
        return "contains control characters"
    return None


def clean_text(text: str) -> str:
    """Clean a ready article's text: lines of a paragraph joined, paragraphs one line each."""
    paragraphs: list[str] = []
    current = ""
    for raw_line in text.splitlines():  # also U+2028, U+0085 …: a JSON string may hold them
        line = clean_line(raw_line)
        if not line:
            continue
        # Lines broken inside a sentence (克拉\n\n玛依) are one paragraph; a finished one ends it.
        if current and not ends_sentence(current):
            current = join_fragments(current, line)
        else:
            if current:
                paragraphs.append(current)
            current = line
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


_SENTENCE_END = re.compile(r"[。！？!?；;…]")


def split_long(text: str, limit: int) -> list[str]:
    """Text cut into parts of at most limit characters, at paragraph ends, else sentence ends."""
    parts: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = window.rfind("\n") + 1
        if cut < limit // 2:
            ends = [m.end() for m in _SENTENCE_END.finditer(window, limit // 2)]
            cut = ends[-1] if ends else limit
        parts.append(text[:cut].strip("\n"))
        text = text[cut:].lstrip("\n")
    if text:
        parts.append(text)
    return parts


@dataclass(slots=True)
class FileReport:
    """What became of one corpus file: the reader that took it, what that reader found, its articles."""

    name: str
    reader: str
    found: Counter[str] = field(default_factory=Counter)
    articles: int = 0


@dataclass(slots=True)
class _Walk:
    """The state of one pass over a corpus: its root, limits, manifest and the ids already given."""

    root: Path
    limits: Limits
    skipped: list[Skipped]
    manifest: dict[str, PageInfo]
    seen: dict[str, str] = field(default_factory=dict)
    known: KnownRecords | None = None  # what an index read from each keyed record before


def iter_files(
    path: Path | None, skipped: list[Skipped], leave_out: Path | None = None, known: KnownRecords | None = None
) -> Iterator[tuple[FileReport, Iterator[Article | Unchanged]]]:
    """Each corpus file a reader takes, with its articles as they are read (read them before the next).

    What cannot be used — a file, a line or record of one, a manifest entry — is appended to skipped.
    A missing corpus raises CorpusError here, at the call, before anything is read or written. The
    folder leave_out, if the corpus holds it, is not read (the index that the articles are going to).
    known, given by an index run, tells what the index read from a record (a JSON line, or any other
    file but a web archive) before: such a record is not read again, and its articles come as
    Unchanged; the others are read with their record's key (Article.record).
    """
    root = Path(path) if path is not None else default_corpus()
    if not root.exists() and not root.is_symlink():
        raise CorpusError(f"no corpus at {root} — give a folder or a file of text pages, JSON Lines, web pages, PDFs, scans, Word files or web archives")
    return _iter_files(root, skipped, leave_out, known)


def _record_hash(state: _Walk, name: str) -> Any:
    """The hash a file's record keys start from: all that what is read from one of its records depends
    on besides the record (the file's name, its manifest entry, the limits, the loader, the year)."""
    context = (loader_signature(), name, repr(state.manifest.get(name)), repr(state.limits),
               str(datetime.date.today().year))
    return hashlib.blake2b("\x1f".join(context).encode("utf-8", "surrogateescape"), digest_size=16)


def _iter_files(
    root: Path, skipped: list[Skipped], leave_out: Path | None, known: KnownRecords | None = None
) -> Iterator[tuple[FileReport, Iterator[Article | Unchanged]]]:
    """iter_files' stream over a corpus that exists."""
    state = _Walk(root, Limits.from_env(), skipped, {}, known=known)
    state.manifest, problems = read_manifest(root if root.is_dir() else root.parent)
    skipped.extend(problems)
    for file in corpus_files(root, skipped, leave_out):
        shown = readable_path(file)
        opened = open_regular(file, shown, skipped)
        if opened is None:
            continue
        handle, info = opened
        try:
            head = handle.read(SNIFF_BYTES)
            fmt = format_for(file.name, head)
            if fmt is None:
                skipped.append(Skipped(shown, f"not a format xjsearch reads ({known_suffixes()})"))
                continue
            if not fmt.streamed and info.st_size > state.limits.max_file_bytes:
                skipped.append(Skipped(
                    shown,
                    f"{megabytes(info.st_size)} MB is over the size cap of {megabytes(state.limits.max_file_bytes)} MB"
                    f" (set {MAX_FILE_MB_ENV} to read it)",
                ))
                continue
            name = readable_path(file.relative_to(root)) if root.is_dir() else shown.rsplit("/", 1)[-1]
            source = Source(file, name, handle, info.st_size, state.limits, skipped, shown_path=shown)
            # For an index run (known given), records are keyed, and passed over when known: a line
            # of a JSON Lines file each, any other file whole (a web archive is read as a stream).
            if state.known is not None and (fmt.name == "jsonl" or not fmt.streamed):
                source.record_hash, source.known = _record_hash(state, name), state.known
            report = FileReport(name, fmt.name, source.found)
            articles = _file_articles(state, fmt, source, report)
            try:
                yield report, articles
            finally:
                articles.close()
        finally:
            handle.close()
    # Callers report what was skipped; a warning here would print it twice.
    for item in skipped:
        log.info("skipped %s%s: %s", item.path, f":{item.line}" if item.line else "", item.reason)


def iter_corpus(path: Path | None, skipped: list[Skipped], leave_out: Path | None = None,
                known: KnownRecords | None = None) -> Iterator[Article | Unchanged]:
    """Every article under path (default: the bundled corpus), one at a time; what is skipped goes to skipped.

    Like iter_files, a missing corpus raises CorpusError at the call, leave_out is not read, and the
    articles of a record known tells of come as Unchanged (never without known).
    """
    files = iter_files(path, skipped, leave_out, known)
    return (article for _report, articles in files for article in articles)


def load_corpus(path: Path | None = None) -> LoadResult:
    """Read every file under path (default: the bundled corpus) into Articles, with what was skipped."""
    skipped: list[Skipped] = []
    articles = tuple(article for article in iter_corpus(path, skipped) if isinstance(article, Article))
    return LoadResult(articles, tuple(skipped))


def _file_articles(state: _Walk, fmt: Format, source: Source, report: FileReport) -> Iterator[Article | Unchanged]:
    """The articles of one file: its reader's documents through the shared steps."""
    page_info = state.manifest.get(source.name)
    titles: Counter[str] = Counter()
    if source.record_hash is not None and not fmt.streamed:
        yield from _whole_file(state, fmt, source, report)
        return
    try:
        for document in fmt.reader(source):
            for article in _document_articles(document, source, page_info, titles, report):
                if _keep(state, source, article):
                    report.articles += 1
                    yield article
    except Unreadable as error:
        source.skip(str(error), error.line)
        return
    if not report.articles and not source.found.get("lines"):
        source.skip("no article text found")


def _whole_file(state: _Walk, fmt: Format, source: Source, report: FileReport) -> Iterator[Article | Unchanged]:
    """The articles of a file keyed whole (Source.record_key of its bytes): those an index read from
    it before, as Unchanged, when source.known holds them all; else the file read, each article
    keyed (record_part) when reading it reported nothing and refused no date of this year as
    after today (so that all it tells is in its articles). The file's articles are held until it
    is read (a file is under the size cap), since each names how many there are."""
    try:
        key = source.record_key(source.read_all())
    except Unreadable as error:
        source.skip(str(error), error.line)
        return
    known = source.known(key) if source.known is not None else None
    if known is not None:
        for article in _unchanged(known, key, lambda number: f"{source.name}#{number}"):
            if _keep(state, source, article):
                report.articles += 1
                yield article
        return
    told = _told(source)
    source.record_hash = source.known = None  # its documents are read as any file's, their articles gathered here
    read = list(_file_articles(state, fmt, source, report))
    if _told(source) == told:
        read = [replace(a, record=record_part(key, k, len(read))) if isinstance(a, Article) else a
                for k, a in enumerate(read, start=1)]
    yield from read


def _unchanged(known: tuple[tuple[str, str], ...], key: str, origin: Callable[[int], str]) -> Iterator[Unchanged]:
    """The articles an index read from a record before (known: each one's id and stored checksum),
    as Unchanged, in their order; origin gives the k-th one's."""
    for part, (known_id, checksum) in enumerate(known, start=1):
        yield Unchanged(known_id, origin(part), checksum, record_part(key, part, len(known)))


def _told(source: Source) -> tuple[int, int]:
    """What reading has had to say so far: the notices reported, and the dates of this year refused
    as lying after today. A record whose reading added to either is read again next time."""
    return len(source.skipped), dates.refused_as_future()


def _document_articles(
    document: RawDocument,
    source: Source,
    page_info: PageInfo | None,
    titles: Counter[str],
    report: FileReport,
) -> Iterator[Article | Unchanged]:
    """The articles of one document a reader found: a page's articles, or the one article it is."""
    if document.known is not None:
        # A record read before, the same: its articles as the index has them, in the same order.
        yield from _unchanged(document.known, document.record, lambda _: f"{source.name}:{document.line}")
        return
    if document.title is None:
        spaced = headlines(document.text)
        for found in split_page(document.text):
            titles[found.title] += 1
            yield from _finish(
                source, report, document, page_info,
                id=article_id(source.name, found.title, str(titles[found.title])),
                title=found.title, text=found.text, header=found.header,
                headline=without_site_name(spaced.get(found.title, found.title)),
            )
        return
    # A saved page's text may still carry its head: navigation, date and source lines.
    header, body = web_head(document.text)
    title, text = clean_line(document.title), clean_text(body)
    headline = clean_headline(document.title)
    if document.line is None:  # a JSON line's title is the user's own; a web page's may end with its site's name
        headline = without_site_name(headline)
    try:
        if not title:
            raise Unreadable("missing 'title'")
        if not text:
            raise Unreadable("missing 'text'")
        if document.line is not None:  # a JSON line: its own id, else one from its content
            id = document.id or article_id(title, text)
        else:
            titles[title] += 1
            id = document.id or article_id(document.url or source.name, title, str(titles[title]))
        yield from _finish(source, report, document, page_info, id=id, title=title, text=text, header=header,
                           headline=headline or title)
    except Unreadable as error:
        source.skip(str(error), document.line)


def _finish(
    source: Source,
    report: FileReport,
    document: RawDocument,
    page_info: PageInfo | None,
    *,
    id: str,
    title: str,
    text: str,
    header: Sequence[str] = (),
    headline: str | None = None,
) -> Iterator[Article]:
    """The Article (or, for a very long text, the Articles) of one title and text, with metadata.

    headline is the title as shown (its phrases' spaces kept: clean_headline); ids, repeats and
    metadata go by title, its every space squeezed as in any line (so that they stay as they were).
    """
    shown = headline or title
    told = _told(source)
    number = report.articles + 1
    origin = f"{source.name}:{document.line}" if document.line is not None else f"{source.name}#{number}"
    why = unlinkable(id)
    if why:
        new_id = article_id(source.name, id)
        source.skip(f"id {id[:40]!r}{'…' if len(id) > 40 else ''} {why}; indexed as {new_id}", document.line)
        id = new_id
    parts = split_long(text, source.limits.max_article_chars)
    if len(parts) > 1:
        source.skip(
            f"article {origin} of {len(text)} characters is over the limit of {source.limits.max_article_chars};"
            f" indexed as {len(parts)} articles",
            document.line,
        )
    try:
        for index, part in enumerate(parts, start=1):
            article = _build(
                document,
                id=id if index == 1 else f"{id}-{index}",
                title=shown if len(parts) == 1 else f"{shown}（{index}/{len(parts)}）",
                text=part,
                read_title=title if len(parts) == 1 else f"{title}（{index}/{len(parts)}）",
                origin=origin,
                page_info=page_info,
                header=header,
            )
            # A record may be passed over next time when what was read from it is all there is to
            # tell of it: nothing reported (an id replaced, a text cut), no date refused as after today.
            if document.record and _told(source) == told:
                article = replace(article, record=record_part(document.record, index, len(parts)))
            yield article
    except ValueError as error:  # a date the file gives that is no date
        raise Unreadable(str(error), document.line) from error


def _build(
    document: RawDocument,
    *,
    id: str,
    title: str,
    text: str,
    origin: str,
    page_info: PageInfo | None,
    header: Sequence[str] = (),
    read_title: str | None = None,
) -> Article:
    """An Article with every piece of metadata the file did not give inferred from its text (and
    from read_title, the title as a line is read, when it is shown otherwise)."""
    inferred = metadata.describe(read_title or title, text, page_info, header)
    date, precision = metadata.parse_date(document.date) if document.date else (inferred.date, inferred.date_precision)
    people = inferred.people
    if document.author:
        people = tuple(dict.fromkeys((*_authors(document.author), *people)))
    return Article(
        id=id,
        title=title,
        text=text,
        date=date,
        date_precision=precision,
        source=document.source or inferred.source,
        regions=metadata.canonical_regions(list(document.regions)) or inferred.regions,
        sectors=document.sectors or inferred.sectors,
        aid_from=inferred.aid_from if document.aid_from is None else document.aid_from,
        origin=origin,
        url=document.url if WEB_ADDRESS.match(document.url) else "",
        page=document.page,
        people=people,
        orgs=inferred.orgs,
    )


_AUTHOR_SPLIT = re.compile(r"[;；,，、/|\s]+")
_AUTHOR_ROLE = re.compile(r"^(记者|通讯员|实习生|作者|编辑|责任编辑|文|图|摄影|本报记者)[:：]?")


def _authors(value: str) -> list[str]:
    """The names in a web page's author field (记者 张三；通讯员 李四 → 张三, 李四)."""
    names = []
    for piece in _AUTHOR_SPLIT.split(value):
        name = _AUTHOR_ROLE.sub("", piece.strip())
        if name and not _AUTHOR_ROLE.fullmatch(name):
            names.append(name)
    return names


def _keep(state: _Walk, source: Source, article: Article | Unchanged) -> bool:
    """Whether an article's id is new in this corpus; a later one with the same id is reported, not kept."""
    if article.id in state.seen:
        line = int(article.origin.rsplit(":", 1)[1]) if article.origin.startswith(source.name + ":") else None
        where = "" if line else f" (article {article.origin.rsplit('#', 1)[1]})"
        source.skip(f"duplicate id {article.id!r}{where}, already used by {state.seen[article.id]}", line)
        return False
    state.seen[article.id] = article.origin
    return True
