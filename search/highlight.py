"""Highlighting: exactly the matched characters of the original text, in <mark>, HTML-escaped.

A term matches where its folded stream occurs in the text's folded stream (see indexer.analysis),
which covers whole-word and substring matches alike; each stream character maps back to one
original character, so marks land on the typed characters even when folding changed the text
(援疆幹部 is marked for 援疆干部). Punctuation and spacing between matched characters stay
unmarked, so a mark never spans two paragraphs; overlapping matches (马克思 and 马克) merge.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from indexer.analysis import stream, stream_offsets
from search.proximity import stretches
from search.query import Near, Term

SNIPPET_FRAGMENTS = 3
SNIPPET_CONTEXT = 25  # characters of context each side of a match
SNIPPET_PLAIN = 120  # characters shown when nothing matched
FRAGMENT_SPAN = 50  # a fragment holds the matches within this many characters of its first
ELLIPSIS = "…"


def match_spans(text: str, terms: Iterable[Term | Near], field: str = "text") -> list[tuple[int, int]]:
    """The (start, end) character ranges of text that the terms match, merged, in order.

    A proximity ("援疆 干部"~10) is marked as one match, from its first word to its last.
    """
    terms = [t for t in terms if _in_field(t, field)]
    needles = {stream(t.text) for t in terms if isinstance(t, Term)}
    needles.discard("")
    nears = [t for t in terms if isinstance(t, Near)]
    if not (needles or nears) or not text:
        return []
    text_stream, offsets = stream_offsets(text)
    marked: set[int] = set()
    for needle in needles:
        for start in _starts(text_stream, needle):
            marked.update(offsets[start : start + len(needle)])
    for near in nears:
        words = [stream(t.text) for t in near.terms]
        for start, end in stretches([_starts(text_stream, w) for w in words], [len(w) for w in words], near.distance):
            marked.update(range(offsets[start], offsets[end - 1] + 1))
    # Consecutive marked characters form one span; only matched characters are visited.
    spans: list[tuple[int, int]] = []
    for index in sorted(marked):
        if spans and spans[-1][1] == index:
            spans[-1] = (spans[-1][0], index + 1)
        else:
            spans.append((index, index + 1))
    return spans


def _in_field(term: Term | Near, field: str) -> bool:
    """Whether a term (every word of a proximity) may match in field ("title" or "text")."""
    fields = [t.field for t in term.terms] if isinstance(term, Near) else [term.field]
    return all(f is None or f == field for f in fields)


def _starts(text_stream: str, needle: str) -> list[int]:
    """Every position where needle begins in text_stream, overlapping ones too."""
    out = []
    start = text_stream.find(needle) if needle else -1
    while start >= 0:
        out.append(start)
        start = text_stream.find(needle, start + 1)
    return out


def mark(text: str, spans: Sequence[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """text[start:end] HTML-escaped, with <mark> around the parts inside spans."""
    end = len(text) if end is None else end
    out: list[str] = []
    pos = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def snippet(
    text: str,
    spans: Sequence[tuple[int, int]],
    fragments: int = SNIPPET_FRAGMENTS,
    context: int = SNIPPET_CONTEXT,
) -> str:
    """A few fragments of text around the first matches, escaped and marked, on one line."""
    flat = text.replace("\r", " ").replace("\n", " ")
    if not spans:
        cut = min(len(flat), SNIPPET_PLAIN)
        return html.escape(flat[:cut]) + (ELLIPSIS if cut < len(flat) else "")
    windows: list[tuple[int, int]] = []
    i = 0
    while i < len(spans) and len(windows) < fragments:
        first = spans[i][0]
        j = i
        # One fragment takes the following matches while they stay close to its first one.
        while j + 1 < len(spans) and spans[j + 1][1] - first <= FRAGMENT_SPAN:
            j += 1
        lo, hi = max(0, first - context), min(len(flat), spans[j][1] + context)
        if windows and lo <= windows[-1][1]:
            lo = windows[-1][1]
        windows.append((lo, hi))
        i = j + 1
    parts: list[str] = []
    previous_end = 0
    for lo, hi in windows:
        inside = [(s, e) for s, e in spans if s < hi and e > lo]
        # Windows that touch the previous one continue it without an ellipsis.
        parts.append((ELLIPSIS if lo > previous_end else "") + mark(flat, inside, lo, hi))
        previous_end = hi
    if previous_end < len(flat):
        parts.append(ELLIPSIS)
    return "".join(parts)


def article_html(text: str, spans: Sequence[tuple[int, int]]) -> tuple[str, int]:
    """The whole text as escaped <p> paragraphs with every match marked, and the mark count."""
    out: list[str] = []
    count = 0
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        inside = [(s, e) for s, e in spans if s < end and e > start]
        count += len(inside)
        out.append("<p>" + mark(text, inside, start, end).strip() + "</p>")
    return "".join(out), count
