"""Loading a corpus: raw pages (.txt) and ready articles (.jsonl) become Articles; bad files are skipped."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from charset_normalizer import from_bytes

from corpus import metadata
from corpus.article import Article, LoadResult, PageInfo, Skipped
from corpus.cleaning import clean_line, cjk_count, ends_sentence, join_fragments
from corpus.errors import CorpusError
from corpus.page import PageArticle, split_page, web_head

log = logging.getLogger(__name__)

BUNDLED_CORPUS = Path(__file__).resolve().parent / "raw"
MANIFEST = "manifest.json"
PAGE_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl",)
# Chinese text has CJK in most of its letters; decoded binary or a wrong codec has almost none.
MIN_CJK_SHARE = 0.2
MAX_CONTROL_SHARE = 0.01
CHINESE_CODECS = ("gb18030", "big5")
_SPACE = re.compile(r"\s+")
# C0 and C1 control characters and the replacement character, whitespace excepted.
_CONTROL = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in (*range(32), *range(0x7F, 0xA0), 0xFFFD) if not chr(c).isspace()) + "]"
)
TEXT_CODECS = ("utf_8", "gb18030", "gbk", "gb2312", "big5", "hz", "utf_16", "utf_32")


class Unreadable(Exception):
    """A file that cannot be used, with the reason a user reads and the line at fault, if one is."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


def default_corpus() -> Path:
    """The corpus shipped with xjsearch: five OCR'd newspaper pages and their manifest."""
    return BUNDLED_CORPUS


def decode(data: bytes, *, chinese: bool = True) -> str:
    """Decode a text file: UTF-8 (with or without BOM), else GB18030/GBK or Big5; Unreadable if it is not text."""
    if not data.strip():
        raise Unreadable("empty file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Unreadable("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = _decode_detected(data, data[: error.start].count(b"\n") + 1)
    # Counted without a list of characters: a corpus file may hold millions of them.
    letters = len(text) - sum(m.end() - m.start() for m in _SPACE.finditer(text))
    controls = sum(1 for _ in _CONTROL.finditer(text))
    if letters and controls / letters > MAX_CONTROL_SHARE:
        raise Unreadable("binary file (control characters)")
    if chinese and letters and cjk_count(text) / letters < MIN_CJK_SHARE:
        raise Unreadable("no Chinese text found (not UTF-8 or GB18030 Chinese)")
    return text


def _decode_detected(data: bytes, bad_utf8_line: int) -> str:
    """Decode text that is not UTF-8: GB18030/GBK, or Big5 where the bytes read better as Big5."""
    decoded: dict[str, str] = {}
    for codec in CHINESE_CODECS:
        try:
            decoded[codec] = data.decode(codec)
        except UnicodeDecodeError:
            pass
    if len(decoded) > 1:
        # Most GB2312 byte pairs are also valid Big5 (and the reverse): let the detector judge
        # which reading is Chinese rather than mojibake.
        best = from_bytes(data, cp_isolation=list(decoded)).best()
        return decoded[best.encoding if best is not None and best.encoding in decoded else CHINESE_CODECS[0]]
    if decoded:
        return next(iter(decoded.values()))
    best = from_bytes(data).best()
    if best is None or best.encoding not in TEXT_CODECS:
        raise Unreadable(
            f"undecodable: invalid UTF-8 at line {bad_utf8_line}, and not GB18030/GBK or Big5 text", bad_utf8_line
        )
    return str(best)


def read_manifest(directory: Path) -> tuple[dict[str, PageInfo], list[Skipped]]:
    """The page entries of directory/manifest.json, if there is one; bad entries are reported."""
    path = directory / MANIFEST
    if not path.is_file():
        return {}, []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        pages = document["pages"]
        if not isinstance(pages, dict):
            raise TypeError("'pages' is not an object")
    except (OSError, ValueError, KeyError, TypeError) as error:
        return {}, [Skipped(str(path), f"manifest ignored: {error}")]
    entries: dict[str, PageInfo] = {}
    problems: list[Skipped] = []
    for name, entry in pages.items():
        try:
            date, precision = metadata.parse_date(str(entry["date"]))
            home = entry.get("home_region")
            entries[name] = PageInfo(str(entry["source"]), date, precision, str(home) if home else None)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            problems.append(Skipped(str(path), f"manifest entry {name!r} ignored: {error}"))
    return entries, problems


def article_id(*parts: str) -> str:
    """A stable id from what identifies an article (file name and headline, or its text)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _build(
    *,
    id: str,
    title: str,
    text: str,
    origin: str,
    page: PageInfo | None,
    header: Sequence[str] = (),
    date: str | None = None,
    source: str | None = None,
    regions: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
    aid_from: tuple[str, ...] | None = None,
) -> Article:
    """An Article with every piece of metadata the caller did not give inferred."""
    inferred = metadata.describe(title, text, page, header)
    full_date, precision = metadata.parse_date(date) if date else (inferred.date, inferred.date_precision)
    return Article(
        id=id,
        title=title,
        text=text,
        date=full_date,
        date_precision=precision,
        source=source or inferred.source,
        regions=regions or inferred.regions,
        sectors=sectors or inferred.sectors,
        aid_from=inferred.aid_from if aid_from is None else aid_from,
        origin=origin,
        people=inferred.people,
        orgs=inferred.orgs,
    )


def page_articles(path: Path, raw: str, page: PageInfo | None, name: str | None = None) -> list[Article]:
    """The articles of one raw page, with their metadata; name is the page's path in its corpus."""
    name = name or path.name
    found: list[PageArticle] = split_page(raw)
    seen: Counter[str] = Counter()
    articles = []
    for number, found_article in enumerate(found, start=1):
        seen[found_article.title] += 1
        articles.append(
            _build(
                id=article_id(name, found_article.title, str(seen[found_article.title])),
                title=found_article.title,
                text=found_article.text,
                origin=f"{name}#{number}",
                page=page,
                header=found_article.header,
            )
        )
    return articles


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


def _string_list(record: dict[str, Any], key: str) -> tuple[str, ...] | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Unreadable(f"'{key}' must be a list of strings")
    return tuple(dict.fromkeys(item.strip() for item in value if item.strip()))


def jsonl_articles(
    path: Path, text: str, page: PageInfo | None, name: str | None = None
) -> tuple[list[Article], list[Skipped]]:
    """The articles of a JSON Lines file; a malformed line is skipped and reported with its number."""
    name = name or path.name
    articles: list[Article] = []
    skipped: list[Skipped] = []
    # Only "\n" ends a JSON Lines record: str.splitlines would also split at U+2028 or U+0085,
    # which JSON strings may hold unescaped.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            try:
                record = json.loads(line)
            except ValueError as error:
                raise Unreadable(f"malformed JSON: {error}") from error
            if not isinstance(record, dict):
                raise Unreadable("a line must be a JSON object")
            title, body = record.get("title"), record.get("text")
            if not isinstance(title, str) or not clean_line(title):
                raise Unreadable("missing 'title'")
            if not isinstance(body, str) or not clean_text(body):
                raise Unreadable("missing 'text'")
            for key in ("id", "date", "source"):
                if record.get(key) is not None and not isinstance(record[key], str):
                    raise Unreadable(f"'{key}' must be a string")
            header, body = web_head(body)
            clean_title, clean_body = clean_line(title), clean_text(body)
            if not clean_body:
                raise Unreadable("missing 'text' (only a web page's navigation and date lines)")
            regions = _string_list(record, "regions")
            sectors = _string_list(record, "sectors")
            aid_from = _string_list(record, "aid_from")
            try:
                article = _build(
                    id=(record.get("id") or "").strip() or article_id(clean_title, clean_body),
                    title=clean_title,
                    text=clean_body,
                    origin=f"{name}:{number}",
                    page=page,
                    header=header,
                    date=(record.get("date") or "").strip() or None,
                    source=(record.get("source") or "").strip() or None,
                    regions=metadata.canonical_regions(list(regions or ())),
                    sectors=sectors or (),
                    aid_from=aid_from,
                )
            except ValueError as error:
                raise Unreadable(str(error)) from error
            articles.append(article)
        except Unreadable as error:
            skipped.append(Skipped(str(path), str(error), number))
    return articles, skipped


def corpus_files(path: Path) -> tuple[list[Path], list[Skipped]]:
    """The page and JSONL files a corpus path names; other files are reported, not read."""
    if path.is_file():
        return [path], []
    if not path.is_dir():
        raise CorpusError(f"no corpus at {path} — give a directory of .txt pages or a .jsonl file")
    files: list[Path] = []
    skipped: list[Skipped] = []
    for candidate in sorted(path.rglob("*")):
        if candidate.is_dir() or candidate.name.startswith("."):
            continue
        if candidate.name == MANIFEST and candidate.parent == path:
            continue
        if candidate.suffix.lower() in PAGE_SUFFIXES + JSONL_SUFFIXES:
            files.append(candidate)
        else:
            skipped.append(Skipped(str(candidate), "not a .txt page or a .jsonl file"))
    return files, skipped


def load_corpus(path: Path | None = None) -> LoadResult:
    """Read every page and JSONL file under path (default: the bundled corpus) into Articles."""
    root = Path(path) if path is not None else default_corpus()
    files, skipped = corpus_files(root)
    manifest, problems = read_manifest(root if root.is_dir() else root.parent)
    skipped.extend(problems)
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for file in files:
        try:
            text = decode(file.read_bytes(), chinese=file.suffix.lower() not in JSONL_SUFFIXES)
        except Unreadable as error:
            skipped.append(Skipped(str(file), str(error), error.line))
            continue
        except OSError as error:
            skipped.append(Skipped(str(file), f"cannot read: {error.strerror}"))
            continue
        # Pages are named by their path in the corpus, so a.txt in two folders are two pages.
        name = file.relative_to(root).as_posix() if root.is_dir() else file.name
        page = manifest.get(name)
        if file.suffix.lower() in JSONL_SUFFIXES:
            found, bad_lines = jsonl_articles(file, text, page, name)
            skipped.extend(bad_lines)
        else:
            found = page_articles(file, text, page, name)
            if not found:
                skipped.append(Skipped(str(file), "no article text found"))
        articles.extend(_unique_ids(file, found, seen, skipped))
    # Callers report what was skipped (LoadResult.skipped); a warning here would print it twice.
    for item in skipped:
        log.info("skipped %s%s: %s", item.path, f":{item.line}" if item.line else "", item.reason)
    return LoadResult(tuple(articles), tuple(skipped))


def _unique_ids(file: Path, articles: list[Article], seen: dict[str, str], skipped: list[Skipped]) -> list[Article]:
    """Keep the first article of each id; a later one with the same id is reported, not indexed."""
    unique = []
    for article in articles:
        if article.id in seen:
            line = int(article.origin.rsplit(":", 1)[1]) if file.suffix.lower() in JSONL_SUFFIXES else None
            where = "" if line else f" (article {article.origin.rsplit('#', 1)[1]})"
            skipped.append(Skipped(str(file), f"duplicate id {article.id!r}{where}, already used by {seen[article.id]}", line))
            continue
        seen[article.id] = article.origin
        unique.append(article)
    return unique
