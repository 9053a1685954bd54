"""How much a query may read from the index: the last of the limits that keep every query quick.

search.query bounds what is typed (MAX_QUERY_LENGTH characters, MAX_DEPTH brackets, MAX_TERMS words
and phrases). What a term costs to run grows with the archive, though: a single common character
such as 的 stands at millions of positions in a large one, and each of them is read. So before a
query runs, the positions and postings it would read are counted from the index — cheaply, from
the sizes of the lists, without reading them — and a query that would read more than MAX_READ is
refused with a BadQuery naming the term that reads most. The bound does not depend on the size of
the archive: what an accepted query reads, and so its time, stays the same however large it grows.

What is counted, per term (search.execution runs each term on its own):

* the exact string (and each alias or pinyin reading of it): the positions of its rarest bigram,
  once per further character of the string (each is checked against the others' positions); a
  single character reads every position of every bigram starting with it;
* where the string occurs at all, the postings of its jieba words in the title and text (BM25);
* a NOT reads every live document once more (what it is subtracted from);
* the words of a proximity (NEAR) are matched as terms, and their positions read once more.
"""

from __future__ import annotations

from typing import Any

from indexer.analysis import stream, words
from indexer.schema import TEXT, TITLE
from search.errors import BadQuery
from search.execution import Collection
from search.query import Near, Node, Not, ParsedQuery, Term

# Positions and postings one query may read. About 0.1 µs each on the benchmark machine: the
# largest accepted query reads for well under 2 s (the bench measures the slowest).
MAX_READ = 10_000_000


def positions_read(collection: Collection, text: str) -> int:
    """How many gram positions matching text reads, over every segment."""
    text_stream = stream(text)
    if not text_stream:
        return 0
    total = 0
    for segment in collection.segments:
        if len(text_stream) == 1:
            lo, hi = segment.char_range(text_stream)
            total += hi - lo
            continue
        ranges = segment.bigram_ranges(text_stream)
        if ranges is not None:  # else a bigram this segment lacks: nothing in it matches
            total += int((ranges[:, 1] - ranges[:, 0]).min()) * len(text_stream)
    return total


def _term_reads(collection: Collection, reader: Any, term: Term) -> int:
    """What running one term reads (see the module docstring)."""
    found = positions_read(collection, term.text)
    total = found + sum(positions_read(collection, alt) for alt in term.also)
    if found:
        fields = (TITLE,) if term.field == "title" else (TITLE, TEXT)
        total += sum(reader.doc_frequency(field, word) for word in words(term.text) for field in fields)
    return total


def reads(collection: Collection, reader: Any, node: Node) -> list[tuple[Term | None, int]]:
    """Each term of a query tree with what running it reads; a NOT (None) reads every live document."""
    if isinstance(node, Term):
        return [(node, _term_reads(collection, reader, node))]
    if isinstance(node, Near):
        return [(term, _term_reads(collection, reader, term) + positions_read(collection, term.text))
                for term in node.terms]
    if isinstance(node, Not):
        return [(None, collection.live_count), *reads(collection, reader, node.item)]
    return [pair for item in node.items for pair in reads(collection, reader, item)]


def check_reads(collection: Collection, reader: Any, parsed: ParsedQuery) -> None:
    """Raise BadQuery when running parsed would read more than MAX_READ positions and postings."""
    if parsed.root is None:
        return
    counted = reads(collection, reader, parsed.root)
    total = sum(n for _, n in counted)
    if total <= MAX_READ:
        return
    by_nots = sum(n for term, n in counted if term is None)
    term, most = max(((t, n) for t, n in counted if t is not None), key=lambda pair: pair[1], default=(None, 0))
    if term is None or by_nots > most:
        what = "NOT（每个 NOT 都要把全部文章读一遍）"
    else:
        what = f"“{term.text}”"
    raise BadQuery(
        f"查询太宽泛：要从索引读取约 {_wan(total)}个位置，每次查询最多 {_wan(MAX_READ)}个，"
        f"读得最多的是{what}；请换用更具体的词，或少用单个常用字和 NOT")


def _wan(n: int) -> str:
    """A count in 万 (ten thousands), as Chinese readers count large numbers, ready for a 个 after it."""
    return f"{n / 10_000:,.0f} 万" if n >= 10_000 else f"{n} "
