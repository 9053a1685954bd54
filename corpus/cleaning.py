"""Character-level cleaning of OCR text: full-width folding, stray spaces, sentence ends, joining."""

from __future__ import annotations

import re
import unicodedata

# Chinese punctuation stays Chinese: only full-width letters, digits and a few symbols are folded,
# because NFKC over everything would turn "，" into "," in running Chinese text.
_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05\uff0b\uff0d\uff0e\uff0f\uff20\uff06\uff03]")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_PUNCT = r"，。、；：？！“”‘’（）《》〈〉【】「」『』—…·～"
_TIGHT = rf"[{_CJK}{_CJK_PUNCT}0-9]"
# A space is stray when it stands between two CJK characters or digits (not two digits), or next
# to Chinese punctuation: OCR inserts these (12月 10 日, 援 疆 工 作), Chinese typesetting never.
_STRAY_SPACE = re.compile(rf"(?<={_TIGHT})[ \t\u3000\u00a0]+(?={_TIGHT})")
_PUNCT_SPACE = re.compile(rf"[ \t\u3000\u00a0]+(?=[{_CJK_PUNCT}])|(?<=[{_CJK_PUNCT}])[ \t\u3000\u00a0]+")
_DIGITS_APART = re.compile(r"(?<=\d)[ \t\u3000\u00a0]+(?=\d)")
# Chinese set with ASCII punctuation (手牵手, 塔河; 一系列 "打基础"): the space OCR leaves after the
# comma or beside the quote is as stray as one between two characters.
_ASCII_PUNCT_SPACE = re.compile(
    rf'(?<=[{_CJK}][,;:!?])[ \t\u3000\u00a0]+(?=[{_CJK}"0-9])|(?<=[{_CJK}])[ \t\u3000\u00a0]+(?=")'
    rf'|(?<=[{_CJK}]")[ \t\u3000\u00a0]+(?=[{_CJK}])'
)

_CJK_CHAR = re.compile(rf"[{_CJK}]")
# Punctuation inside or at the end of a sentence: a line holding any reads on as text, no name or label.
SENTENCE_MARKS = re.compile(r"[，,。；;！!？?、]")

# What may end a sentence; a closing quote or bracket ends one only when what it closes did.
_SENTENCE_END = "。！？!?…；;"
_CLOSERS = "”’」』）)】》\"'"


def fold_fullwidth(text: str) -> str:
    """Fold full-width letters, digits and ASCII symbols to ASCII (NFKC), keeping CJK punctuation."""
    return _FULLWIDTH_ALNUM.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)


def squeeze_spaces(line: str) -> str:
    """Remove the spaces OCR leaves between CJK characters and digits, and around CJK punctuation."""
    # Two numbers side by side (2029 2030) keep their gap, as one space; everything else tight loses
    # it. The pieces between such gaps are squeezed apart (a placeholder for the gaps could be a
    # character of the line itself).
    pieces = _DIGITS_APART.split(line)
    squeezed = " ".join(_ASCII_PUNCT_SPACE.sub("", _PUNCT_SPACE.sub("", _STRAY_SPACE.sub("", piece))) for piece in pieces)
    return re.sub(r"[ \t\u3000\u00a0]{2,}", " ", squeezed)


def clean_line(line: str) -> str:
    """One OCR line made clean: folded, stray spaces removed, trimmed."""
    return squeeze_spaces(fold_fullwidth(line.replace("\ufeff", ""))).strip()


# A headline sets its phrases apart with a space (八千里路跨越 二十七载情牵, 结硕果 “门洞商店”印证,
# 开工86个 涉及民生, 江西援疆: 全力建设): a gap with a Chinese character or a digit, then a Chinese
# character, closing quote or ASCII colon on its left, and a Chinese character or an opening quote
# beside a Chinese character on its right. OCR's stray spaces stand between single characters
# (援 疆 工 作) or beside numbers (12月 10 日) and go as in any line.
_OPENING, _CLOSING = "“「『《（【", "”」』》）】"
_PHRASE_GAP = re.compile(
    rf"(?<=[{_CJK}0-9][{_CJK}{_CLOSING}:!?])(?<![0-9][{_CLOSING}:!?])[ \t\u3000\u00a0]+"
    rf"(?=[{_CJK}][{_CJK}{_OPENING}]|[{_OPENING}][{_CJK}])"
)
_KEPT_GAP = "\ue000"  # a private-use character standing for a kept gap while the line is cleaned
# What decorates a headline's ends on some sites (✳️…🥓): symbols, variation selectors, joiners.
_DECORATION = ("So", "Sk", "Mn", "Me", "Cf", "Co")


def clean_headline(line: str) -> str:
    """A headline made clean as clean_line makes a line, keeping the spaces that set its phrases apart
    and without the symbols that decorate its ends."""
    marked = _PHRASE_GAP.sub(_KEPT_GAP, line.replace(_KEPT_GAP, ""))
    cleaned = clean_line(marked).replace(_KEPT_GAP, " ")
    start, end = 0, len(cleaned)
    while start < end and (cleaned[start].isspace() or unicodedata.category(cleaned[start]) in _DECORATION):
        start += 1
    while end > start and (cleaned[end - 1].isspace() or unicodedata.category(cleaned[end - 1]) in _DECORATION):
        end -= 1
    return cleaned[start:end]


def ends_sentence(text: str) -> bool:
    """Whether text ends a sentence (so a following line may start a new paragraph)."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in _CLOSERS:
        stripped = stripped[:-1]
        if stripped and stripped[-1] in _SENTENCE_END:
            return True
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def join_fragments(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no separator, except a space between two Latin words."""
    if left and right and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha():
        return f"{left} {right}"
    return left + right


# Pinyin glosses some sites print after characters converted to traditional script: 對(duì)口.
_GLOSS = re.compile(r"\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def without_glosses(text: str) -> str:
    """Text without the pinyin glosses a converter left after characters (對(duì)口 → 對口)."""
    return _GLOSS.sub("", text)


def cjk_count(text: str) -> int:
    """How many CJK ideographs text holds."""
    return sum(1 for _ in _CJK_CHAR.finditer(text))


def bigrams(text: str) -> set[str]:
    """The set of adjacent CJK character pairs in text, for comparing what two texts are about."""
    chars = "".join(_CJK_CHAR.findall(text))
    return {chars[i : i + 2] for i in range(len(chars) - 1)}
