"""What the loader's output depends on besides its input: its code and data files."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import unicodedata
from importlib import metadata
from pathlib import Path

from corpus.article import Article

CORPUS_PACKAGE = Path(__file__).resolve().parent
# The libraries whose answers the loader's output holds (OpenCC's folding of traditional script, the
# readers' text of web pages, PDFs, Word files, web archives and scans), beside Python's own
# Unicode tables (NFKC, character categories).
LIBRARIES = ("opencc", "charset-normalizer", "trafilatura", "htmldate", "pypdfium2", "python-docx", "warcio",
             "rapidocr-onnxruntime", "onnxruntime")


@functools.cache
def loader_signature() -> str:
    """A digest of Article's fields, of every file of corpus/ (its code and data files), of the
    libraries' versions and of Unicode's: what the articles read from a file depend on, besides the file."""
    digest = hashlib.sha1(",".join(f.name for f in dataclasses.fields(Article)).encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library} {metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} none".encode())
    digest.update(f"unicode {unicodedata.unidata_version}".encode())
    for path in sorted(CORPUS_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(CORPUS_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]
