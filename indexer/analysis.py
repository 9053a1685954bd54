"""Text analysis: folding, the word-character stream and jieba words.

This is the only module that imports a segmenter. Its import path is stable because Whoosh
pickles the analyzer classes below into the index's table of contents.

Two views of every title and text are indexed:

* **words** — jieba segmentation of the folded text, in Whoosh's word fields. Words rank
  whole-word matches first.
* the **stream** — the folded text with every non-word character (punctuation, whitespace)
  removed, whose character bigrams and their positions make the gram index (indexer.grams).
  A typed string is folded the same way; its stream is then exactly a substring of the stream of
  every text that contains it, so every such article is found, whatever jieba made of it.

Folding (``corpus.folding``, re-exported here) is per character (NFKC, then OpenCC traditional →
simplified, then lowercase), so the same function applies to queries, documents and the metadata
rules of corpus/, and each stream character maps back to one character of the original text
(which keeps highlights exact).

Segmentation uses rjieba (jieba-rs: jieba's dictionary and algorithm, 15–20× faster). rjieba has
no ``load_userdict``, but it has ``add_word`` with jieba's frequency suggestion, so the user
dictionary (``corpus.lexicon.user_words()``) is honoured by adding each word to both segmenters
in the same way; python-jieba is kept as the reference segmenter that a test compares with
rjieba over the whole bundled corpus. Tokens are then split into runs of word characters, which
makes both segmenters agree on ranges such as ``2023-2025`` and drops punctuation.

The people and organisations an article names (the ``person`` and ``org`` facets) come from
rjieba's part-of-speech tags, filtered by the rules of ``corpus.metadata.infer_entities``. Tagging
gives the same words as cutting, so a document's tags are remembered for a moment and words()
takes its words from them instead of segmenting the text a second time.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.analysis import Token, Tokenizer

from corpus.folding import WORD_RUN, build_folding, fold, fold_char, stream, stream_offsets
from corpus.entities import entity_rules, infer_entities

__all__ = [
    "ANALYSIS_VERSION", "FacetTokenizer", "WordTokenizer", "analysis_signature", "build_folding",
    "entities", "fold", "fold_char", "in_dictionary", "reference_words", "stream", "stream_offsets", "tags",
    "user_dictionary", "words",
]

# Bump whenever folding, segmentation, the schema or the gram index changes: an index built by
# another version cannot be searched and must be rebuilt.
ANALYSIS_VERSION = 5

log = logging.getLogger(__name__)

_CJK = "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Whitespace between two CJK characters is layout (line breaks of the page), never a word break;
# jieba would otherwise split 克拉\n\n玛依. Compiled when first needed (about 2 ms): a query
# term holds no whitespace.
_CJK_GAP = f"(?<=[{_CJK}])\\s+(?=[{_CJK}])"
_SPACE = re.compile(r"\s")


@functools.cache
def _cjk_gap() -> re.Pattern[str]:
    """The compiled _CJK_GAP."""
    return re.compile(_CJK_GAP)


class _Segmenter:
    """A lazily built segmenter with the user dictionary added (one per process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rjieba: Any = None
        self._jieba: Any = None

    def rjieba(self) -> Any:
        """The rjieba segmenter with the user dictionary."""
        if self._rjieba is None:
            with self._lock:
                if self._rjieba is None:
                    # Importing rjieba builds its default segmenter (jieba's dictionary, about
                    # 0.1 s); that one is used, with the user dictionary added, not a second.
                    import rjieba

                    seg = rjieba
                    for word in user_dictionary():
                        seg.add_word(word, None, None)
                    self._rjieba = seg
        return self._rjieba

    def jieba(self) -> Any:
        """The python-jieba reference segmenter with the same user dictionary."""
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    seg = jieba.Tokenizer()
                    for word in user_dictionary():
                        seg.add_word(word)
                    self._jieba = seg
        return self._jieba


_segmenter = _Segmenter()


def user_dictionary() -> tuple[str, ...]:
    """The words the segmenters must keep whole (gazetteer places, people, organisations)."""
    from corpus.lexicon import user_words

    return tuple(word for word in user_words() if word.strip())


def analysis_signature() -> str:
    """The analysis version and a hash of the user dictionary and name rules, stored with every index."""
    digest = hashlib.sha1("\n".join((*user_dictionary(), "", *entity_rules())).encode("utf-8")).hexdigest()[:12]
    return f"{ANALYSIS_VERSION}:{digest}"


def _prepare(text: str) -> str:
    """Fold text and remove layout whitespace between CJK characters, before segmentation."""
    folded = fold(text)
    return _cjk_gap().sub("", folded) if _SPACE.search(folded) else folded


def _split_tokens(tokens: Sequence[str]) -> list[str]:
    """Keep the word-character runs of each token (drops punctuation, splits 2023-2025)."""
    out: list[str] = []
    for token in tokens:
        if token.isalnum():
            out.append(token)
        else:
            out.extend(WORD_RUN.findall(token))
    return out


# The tags of the last few texts tagged, least recently used first: an article's title and text
# are tagged for its names, then cut into words. A lookup that misses only costs a segmentation.
_MEMO_SIZE = 4
_memo_lock = threading.Lock()
_tag_memo: OrderedDict[str, list[tuple[str, str]]] = OrderedDict()
_entity_memo: OrderedDict[tuple[Any, ...], tuple[tuple[str, ...], tuple[str, ...]]] = OrderedDict()
_SEPARATOR = ("\n", "x")  # between title and text, so that no name spans both


def _remember(memo: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    """Keep key's value as the most recently used, forgetting the least recently used."""
    with _memo_lock:
        memo[key] = value
        memo.move_to_end(key)
        while len(memo) > _MEMO_SIZE:
            memo.popitem(last=False)


def tags(text: str) -> list[tuple[str, str]]:
    """The words of text with their part-of-speech tags (rjieba), remembered for words()."""
    tagged = _tag_memo.get(text)
    if tagged is None:
        tagged = _segmenter.rjieba().tag(_prepare(text))
    # Also on a hit: a title shared by many articles must outlive the texts tagged after it.
    _remember(_tag_memo, text, tagged)
    return tagged


def words(text: str) -> list[str]:
    """The searched words of text, segmented by rjieba, in order (positions = index)."""
    tagged = _tag_memo.get(text)
    if tagged is not None:
        return _split_tokens([token for token, _ in tagged])
    return _split_tokens(_segmenter.rjieba().cut(_prepare(text)))


def entities(
    title: str, text: str, people: Sequence[str] = (), orgs: Sequence[str] = ()
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The people and organisations an article names, in order of first appearance.

    people and orgs are the article's names from names.tsv, all kept; the part-of-speech rules
    of corpus.metadata add those that jieba's tags show.
    """
    key = (title, text, tuple(people), tuple(orgs))
    found = _entity_memo.get(key)
    if found is None:
        found = infer_entities([*tags(title), _SEPARATOR, *tags(text)], key[2], key[3])
        _remember(_entity_memo, key, found)
    return found


def in_dictionary(word: str) -> bool:
    """Whether the segmenter's dictionary (jieba's, with the user dictionary) holds word."""
    return bool(_segmenter.rjieba().has_word(word))


def reference_words(text: str) -> list[str]:
    """The same as words() but segmented by python-jieba: the reference rjieba is checked against."""
    return _split_tokens(list(_segmenter.jieba().cut(_prepare(text))))


def _entoken(texts: Sequence[str], positions: bool, mode: str, kwargs: dict[str, Any]) -> Iterator[Token]:
    """Yield Whoosh tokens for a token list, positions = list index."""
    token = Token(positions, False, mode=mode, **kwargs)
    for pos, text in enumerate(texts):
        token.text = text
        token.boost = 1.0
        token.stopped = False
        if positions:
            token.pos = pos
        yield token


class WordTokenizer(Tokenizer):
    """Whoosh tokenizer of the word fields: a string is segmented, a token list is used as is."""

    def __call__(  # type: ignore[override]
        self, value: str | Sequence[str], positions: bool = False, mode: str = "", **kwargs: Any
    ) -> Iterator[Token]:
        kwargs.pop("chars", None)
        texts = value if not isinstance(value, str) else words(value)
        return _entoken(texts, positions, mode, kwargs)


class FacetTokenizer(Tokenizer):
    """Whoosh tokenizer of facet fields: each value of a tuple is one token, kept verbatim."""

    def __call__(  # type: ignore[override]
        self, value: str | Sequence[str], positions: bool = False, mode: str = "", **kwargs: Any
    ) -> Iterator[Token]:
        kwargs.pop("chars", None)
        texts = [value] if isinstance(value, str) else list(value)
        return _entoken(texts, positions, mode, kwargs)
