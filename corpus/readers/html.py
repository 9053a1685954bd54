"""Web pages (.html, .htm): the article's main text and metadata, by trafilatura (dates by htmldate).

trafilatura keeps the article and drops navigation, related links, comments and footers; its
metadata gives the title (og:title or the headline rather than the <title> with the site's
name), the publication date (htmldate, through trafilatura), the site name (→ source), the author
and the URL (canonical link or og:url). What they leave empty the project's text rules infer.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from corpus.readers.source import RawDocument, Source, Unreadable
from corpus.readers.text import decode

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# As browsers do (the WHATWG Encoding Standard), pages labelled GB2312 or GBK are read as GB18030,
# which holds every character those labels are used for, and Big5 as Big5-HKSCS.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs"}
# A line of the page's furniture above the text: 来源：… 发布时间：… 作者：…
_INFO_LABEL = re.compile(r"(来源|稿源|发布时间|发布日期|时间|日期|作者|记者|编辑|责任编辑|责编|点击|浏览|阅读)[:：]")
_AUTHOR_IN_INFO = re.compile(r"作者[:：]\s*([^\s　|]+(?:\s[^\s　|:：]+)?)")
INFO_LINE_MAX = 120


def declared_encoding(data: bytes, header: str | None = None) -> str | None:
    """The codec a page declares (an HTTP Content-Type header, a <meta> charset or an XML declaration)."""
    found: list[str] = []
    if header:
        match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", header, re.I)
        if match:
            found.append(match.group(1))
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(data[:4096])
        if match:
            found.append(match.group(1).decode("ascii"))
    for label in found:
        try:
            name = codecs.lookup(label).name
        except LookupError:
            continue
        return _SUPERSETS.get(name, name)
    return None


def decode_page(data: bytes, header: str | None = None) -> str:
    """A page's text: in its declared encoding, else UTF-8, else detected (GB18030/GBK, Big5)."""
    codec = declared_encoding(data, header)
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass  # a wrong declaration: detect instead
    return decode(data, chinese=False)


def page_document(data: bytes, *, url: str = "", header: str | None = None) -> RawDocument:
    """The article of one web page (its bytes), with the metadata the page gives; Unreadable if it has none."""
    import trafilatura

    markup = decode_page(data, header)
    tree = trafilatura.load_html(markup)
    if tree is None:
        raise Unreadable("not an HTML page")
    found = trafilatura.bare_extraction(tree, url=url or None, with_metadata=True, include_comments=False)
    if found is None or not (found.text or "").strip():
        raise Unreadable("no article text found in the web page")
    title = (found.title or "").strip()
    lines = [line.strip() for line in found.text.splitlines() if line.strip()]
    author = found.author or _meta_author(tree)
    # trafilatura keeps the headline and the line of furniture under it when they stand in the
    # article's container; both are metadata, not text.
    if lines and title and lines[0].replace(" ", "") == title.replace(" ", ""):
        lines.pop(0)
    while lines and _is_info_line(lines[0]):
        info = lines.pop(0)
        if not author and (match := _AUTHOR_IN_INFO.search(info)):
            author = match.group(1)
    if not lines:
        raise Unreadable("no article text found in the web page")
    if not title:
        title = lines.pop(0) if len(lines) > 1 else ""
    return RawDocument(
        "\n".join(lines),
        title=title,
        url=(found.url or url or "").strip(),
        date=found.date or None,
        source=(found.sitename or "").strip() or None,
        author=author or None,
    )


def _is_info_line(line: str) -> bool:
    """Whether a line is the page's furniture under a headline (source, time, author labels)."""
    return len(line) <= INFO_LINE_MAX and len(_INFO_LABEL.findall(line)) >= 2


def _meta_author(tree: object) -> str | None:
    """The page's <meta name="author">, which trafilatura leaves out when it is a short Chinese name."""
    values = tree.xpath('//meta[@name="author"]/@content')  # type: ignore[attr-defined]
    return str(values[0]).strip() or None if values else None


def read_html(source: Source) -> Iterator[RawDocument]:
    """A saved web page's article."""
    document = page_document(source.read_all())
    source.found["web pages"] += 1
    yield document
