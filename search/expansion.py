"""Reading more into a typed query than its characters: aliases of places and aiders, pinyin.

A typed term keeps matching exactly what was typed; expansion only adds other strings that count
as the same term (Term.also), and search.execution ranks the articles found through them below
the articles that contain the typed text itself:

* an **alias** — a search for 上海 also finds 沪克合作 and 沪喀产业协作联盟, because the aliases
  data file (corpus/data/aliases.tsv) says these name 上海 when metadata is extracted;
* a **pinyin** reading — kelamayi, "ke la ma yi" or the initials klmy of a known entity find
  克拉玛依 (search.vocabulary reads the spelling against the index's own words).

Quoted phrases are exact and never expanded. Each expansion is explained to the user.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

from corpus.aiders import alias_phrases
from indexer.analysis import fold, stream
from search.query import And, Near, Node, Not, Or, ParsedQuery, Term, shown_parts
from search.vocabulary import Vocabulary, is_pinyin_text

PINYIN_READINGS = 3  # Chinese words a pinyin spelling may stand for at most


@dataclass(frozen=True, slots=True)
class Reading:
    """How one typed term was read: its pinyin words or the aliases it also matches."""

    typed: str
    kind: str  # "pinyin" or "alias"
    found: tuple[str, ...]

    def explain(self) -> str:
        """The reading in words for the results page."""
        if self.kind == "pinyin":
            return f"按拼音 {self.typed} 匹配：{'、'.join(self.found)}"
        return f"{self.typed} 也匹配简称：{'、'.join(self.found)}（只含简称的文章排在后面）"


@dataclass(frozen=True, slots=True)
class Expansion:
    """An expanded query and how its terms were read."""

    parsed: ParsedQuery
    readings: tuple[Reading, ...] = ()


@functools.cache
def aliases_of(name: str) -> tuple[str, ...]:
    """The shortest alias phrases naming name: one that contains another adds no match (沪援疆干部)."""
    phrases = sorted({stream(p): p for p in alias_phrases().get(name, ())}.items(), key=lambda kv: len(kv[0]))
    kept: list[tuple[str, str]] = []
    for folded, phrase in phrases:
        if folded and not any(shorter in folded for shorter, _ in kept):
            kept.append((folded, phrase))
    return tuple(phrase for _, phrase in kept)


def _map_terms(node: Node, change: Callable[[Term], Term]) -> Node:
    """The tree with every term replaced by change(term); a NOT of 上海 also excludes 沪克.

    The words of a proximity are matched exactly as typed, so they are left as they are.
    """
    if isinstance(node, Term):
        return change(node)
    if isinstance(node, Near):
        return node
    if isinstance(node, Not):
        return Not(_map_terms(node.item, change))
    return type(node)(tuple(_map_terms(item, change) for item in node.items))


def _is_syllables(node: Node) -> bool:
    """Whether a node is an unquoted word in Latin letters, which may be pinyin."""
    return isinstance(node, Term) and not node.phrase and not node.also and is_pinyin_text(fold(node.text))


def _join_syllables(node: Node, vocabulary: Callable[[], Vocabulary], readings: list[Reading]) -> Node:
    """The tree with runs of Latin words that spell a word together (ke la ma yi) made one term."""
    if isinstance(node, Not):
        return Not(_join_syllables(node.item, vocabulary, readings))
    if isinstance(node, Or):
        return Or(tuple(_join_syllables(item, vocabulary, readings) for item in node.items))
    if not isinstance(node, And):
        return node
    items: list[Node] = []
    run: list[Term] = []
    for item in (*node.items, None):
        if item is not None and _is_syllables(item) and (not run or item.field == run[0].field):  # type: ignore[union-attr]
            run.append(item)  # type: ignore[arg-type]
            continue
        if len(run) > 1:
            typed = " ".join(t.text for t in run)
            found = tuple(vocabulary().sounding_like(fold("".join(t.text for t in run)), PINYIN_READINGS))
            if found:
                readings.append(Reading(typed, "pinyin", found))
                run = [Term(typed, field=run[0].field, also=found)]
        items.extend(run)
        run = []
        if item is not None:
            if _is_syllables(item):
                run = [item]  # type: ignore[list-item]
            else:
                items.append(_join_syllables(item, vocabulary, readings))
    return items[0] if len(items) == 1 else And(tuple(items))


def expand(parsed: ParsedQuery, vocabulary: Callable[[], Vocabulary]) -> Expansion:
    """The query with aliases and pinyin readings added; vocabulary is called only for Latin input."""
    if parsed.root is None:
        return Expansion(parsed)
    readings: list[Reading] = []
    # Syllables typed apart (ke la ma yi) spell one word when read together.
    root = _join_syllables(parsed.root, vocabulary, readings)

    def change(term: Term) -> Term:
        if term.phrase or term.also:
            return term
        # Read as the index reads text: full-width letters, traditional characters folded.
        typed = fold(term.text).strip()
        if is_pinyin_text(typed):
            found = tuple(vocabulary().sounding_like(typed, PINYIN_READINGS))
            if found:
                readings.append(Reading(term.text, "pinyin", found))
                return replace(term, also=found)
            return term
        found = aliases_of(typed)
        if found:
            readings.append(Reading(term.text, "alias", found))
            return replace(term, also=found)
        return term

    root = _map_terms(root, change)
    if not readings:
        return Expansion(parsed)
    terms = tuple(dict.fromkeys(shown_parts(root)))
    return Expansion(ParsedQuery(parsed.text, root, terms), tuple(dict.fromkeys(readings)))


def shown_terms(terms: tuple[Term | Near, ...], title: str, text: str) -> list[Term | Near]:
    """The terms to mark in one article: a term it contains as typed, else the alternatives it was found by.

    An article naming 克拉玛依 has its 克拉玛依 marked, not the 援克 of 援克拉玛依 beside it; one found
    only through 沪克 has 沪克 marked.
    """
    shown: list[Term | Near] = []
    folded: str | None = None
    for term in terms:
        if isinstance(term, Term) and term.also:
            folded = folded if folded is not None else stream(title) + "\n" + stream(text)
            if stream(term.text) not in folded:
                shown.extend(Term(alt, True, term.field) for alt in term.also)
                continue
        shown.append(term)
    return shown

