"""Readers: one module per input format, each a function from an opened file to raw documents.

FORMATS is the table that picks a reader for a file, as Python's mimetypes and sqlite-utils'
rows_from_file do: by magic bytes where the format has them (a PDF named .txt is still a PDF),
else by suffix. What a reader yields (corpus.readers.source.RawDocument) is a page to split into
articles or one article with what the file states of it; corpus.loader does the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from corpus.readers.docx import read_docx
from corpus.readers.html import read_html
from corpus.readers.jsonl import read_jsonl
from corpus.readers.ocr import read_image
from corpus.readers.pdf import read_pdf
from corpus.readers.source import RawDocument, Source
from corpus.readers.text import read_text
from corpus.readers.warc import read_warc

Reader = Callable[[Source], Iterator[RawDocument]]


@dataclass(frozen=True, slots=True)
class Format:
    """An input format: its name, the suffixes and leading bytes that mark it, and its reader."""

    name: str
    suffixes: tuple[str, ...]
    magic: tuple[bytes, ...]
    reader: Reader
    streamed: bool = False  # read a line or record at a time: the size cap applies to each, not the file
    description: str = ""


# Formats with magic bytes come first: a file is what its bytes say before what its name says.
FORMATS: tuple[Format, ...] = (
    Format("pdf", (".pdf",), (b"%PDF-",), read_pdf, description="PDF pages: text layer in reading order, scans OCR'd"),
    Format("image", (".png", ".jpg", ".jpeg", ".tif", ".tiff"),
           (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"), read_image,
           description="scanned pages, OCR'd"),
    Format("warc", (".warc", ".warc.gz"), (b"WARC/",), read_warc, streamed=True,
           description="web archives: each HTML response a web page"),
    Format("docx", (".docx",), (), read_docx, description="Word files: headings as titles"),
    Format("html", (".html", ".htm"), (), read_html, description="saved web pages: main text and metadata"),
    Format("text", (".txt",), (), read_text, description="OCR'd newspaper pages, UTF-8, GB18030/GBK or Big5"),
    Format("jsonl", (".jsonl",), (), read_jsonl, streamed=True, description="ready articles, one JSON object a line"),
)


def format_for(name: str, head: bytes) -> Format | None:
    """The format of a file from its name and first bytes, or None if no reader takes it."""
    for fmt in FORMATS:
        if fmt.magic and head.startswith(fmt.magic):
            return fmt
    lower = name.lower()
    for fmt in FORMATS:
        if lower.endswith(fmt.suffixes):
            return fmt
    return None


def known_suffixes() -> str:
    """The suffixes of every format, as a report names them: ".txt, .jsonl …"."""
    return ", ".join(suffix for fmt in FORMATS for suffix in fmt.suffixes)
