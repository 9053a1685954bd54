"""Word files (.docx): paragraphs, with the headings the file marks as the titles of its articles.

python-docx reads the paragraphs and their styles. Each heading (a Heading or Title style) that
has text under it starts an article; a file without headings is one page, split into articles by
corpus.page as a text page is.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from corpus.readers.source import RawDocument, Source, Unreadable


def _is_heading(style_name: str) -> bool:
    """Whether a paragraph style marks a heading (Word stores the built-in names in English)."""
    return style_name.lower().startswith(("heading", "title"))


def read_docx(source: Source) -> Iterator[RawDocument]:
    """Each headed section of a Word file as an article, or the whole file as a page without headings."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(source.read_all()))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise Unreadable(f"not a readable Word file: {error}") from error
    title: str | None = None
    body: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        source.found["paragraphs"] += 1
        style = paragraph.style.name if paragraph.style is not None else ""
        if _is_heading(style or ""):
            source.found["headings"] += 1
            if body:
                yield RawDocument("\n".join(body), title=title)
            elif title is not None:
                source.found["headings without text (left out)"] += 1
            title, body = text, []
        else:
            body.append(text)
    if body:
        yield RawDocument("\n".join(body), title=title)
