"""Text pages (.txt): OCR'd newspaper pages in UTF-8, GB18030/GBK or Big5, one page a file."""

from __future__ import annotations

import re
from collections.abc import Iterator

from charset_normalizer import from_bytes

from corpus.cleaning import cjk_count
from corpus.readers.source import RawDocument, Source, Unreadable

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
    check_text(text, chinese=chinese)
    return text


def check_text(text: str, *, chinese: bool = True) -> None:
    """Unreadable unless text reads as text (few control characters) and, if chinese, as Chinese."""
    # Counted without a list of characters: a corpus file may hold millions of them.
    letters = len(text) - sum(m.end() - m.start() for m in _SPACE.finditer(text))
    controls = sum(1 for _ in _CONTROL.finditer(text))
    if letters and controls / letters > MAX_CONTROL_SHARE:
        raise Unreadable("binary file (control characters)")
    if chinese and letters and cjk_count(text) / letters < MIN_CJK_SHARE:
        raise Unreadable("no Chinese text found (not UTF-8 or GB18030 Chinese)")


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


def read_text(source: Source) -> Iterator[RawDocument]:
    """One OCR'd page: its raw text, split into articles after the reader."""
    text = decode(source.read_all())
    source.found["pages"] += 1
    yield RawDocument(text)
