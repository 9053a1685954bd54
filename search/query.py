"""The query language: words (all must match), "phrases", OR, NOT/-word, (groups), title:, proximity.

Every word or phrase is matched as typed, as a substring of the article's folded word characters
(punctuation and spacing are ignored, traditional characters fold to simplified); see
search.execution for how a parsed query is run and scored. A phrase in quotes is one such string
(its spaces are ignored), so "对口支援" finds exactly the articles containing 对口支援.

Readings of malformed input: an unclosed quote runs to the end of the query; an unclosed bracket
closes at the end; words with no letters, digits or CJK characters are ignored. Input that has no
sensible reading (a stray closing bracket, a lone OR/NOT, nothing searchable, too long, too deeply
nested) raises BadQuery with a message saying what to change.

Proximity: ``"援疆 干部"~10`` (or ``援疆 NEAR/10 干部``) matches where the words stand within 10
characters of each other, in either order: at most 10 word characters between them (punctuation
and spacing are not counted, as everywhere). With more than two words, all of them must stand in
one stretch holding at most that many other characters. The words are matched exactly as typed.

The work a query may cause is bounded, each limit answered by a BadQuery naming it: at most
MAX_QUERY_LENGTH characters, MAX_DEPTH nested brackets and MAX_TERMS words and phrases here, and at
most search.limits.MAX_READ positions and postings read from the index when it runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from indexer.analysis import stream
from search.errors import BadQuery

MAX_QUERY_LENGTH = 500
MAX_DEPTH = 16
MAX_TERMS = 32  # words and phrases, negated ones included: each is looked up on its own
MAX_DISTANCE = 1000  # characters a proximity may span at most

_QUOTES_OPEN = '"“＂「『'
_QUOTES_CLOSE = {'"': '"', "“": "”", "＂": "＂", "「": "」", "『": "』"}
_LPAREN = "(（"
_RPAREN = ")）"
_MINUS = "-－"
_FIELDS = {"title": "title", "标题": "title"}
_OPERATORS = {"OR": "OR", "AND": "AND", "NOT": "NOT"}
_NEAR = re.compile(r"NEAR/([0-9]+)")
_TILDE = "~～"


@dataclass(frozen=True, slots=True)
class Term:
    """A typed word or quoted phrase, searched in the title and text, or the title only."""

    text: str
    phrase: bool = False
    field: str | None = None  # None: title and text; "title": the title only
    # Other strings that count as this term, ranked below it: the aliases of a place or aider
    # (沪克 for 上海), the Chinese words a pinyin spelling reads as (克拉玛依 for kelamayi).
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class And:
    """All parts must match."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """Any part may match."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """The part must not match."""

    item: Node


@dataclass(frozen=True, slots=True)
class Near:
    """Two or more words standing within distance characters of each other, in any order."""

    terms: tuple[Term, ...]
    distance: int


Node = Union[Term, And, Or, Not, Near]


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A parsed query: its tree (None = everything) and the terms whose matches are highlighted."""

    text: str
    root: Node | None
    highlight_terms: tuple[Term | Near, ...]  # a proximity is marked as one match, from its first word to its last

    @property
    def is_empty(self) -> bool:
        """Whether the query asks for everything (no words at all)."""
        return self.root is None


@dataclass(frozen=True, slots=True)
class _Tok:
    """One lexical token: kind is WORD, PHRASE, OR, AND, NOT, NEAR, NEG, FIELD, LPAREN or RPAREN."""

    kind: str
    text: str
    at: int
    distance: int | None = None  # NEAR/n, or a phrase followed by ~n


def _lex(text: str) -> list[_Tok]:
    """Split a query into tokens, reading an unclosed quote as running to the end."""
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in _QUOTES_OPEN:
            close = _QUOTES_CLOSE[c]
            end = text.find(close, i + 1)
            if c == "“":
                # Straight quotes often close curly ones when typed by hand.
                alt = text.find('"', i + 1)
                end = alt if end < 0 or (0 <= alt < end) else end
            if end < 0:
                end = n
            distance, after = _tilde(text, end + 1)
            toks.append(_Tok("PHRASE", text[i + 1 : end], i, distance))
            i = after
        elif c in _LPAREN:
            toks.append(_Tok("LPAREN", c, i))
            i += 1
        elif c in _RPAREN:
            toks.append(_Tok("RPAREN", c, i))
            i += 1
        elif c in _MINUS and i + 1 < n and not text[i + 1].isspace() and (not toks or _separated(text, i)):
            toks.append(_Tok("NEG", c, i))
            i += 1
        else:
            j = i
            while j < n and not (text[j].isspace() or text[j] in _QUOTES_OPEN or text[j] in _LPAREN or text[j] in _RPAREN):
                j += 1
            word = text[i:j]
            field, sep, rest = word.replace("：", ":").partition(":")
            if sep and field.lower() in _FIELDS:
                toks.append(_Tok("FIELD", _FIELDS[field.lower()], i))
                if rest:
                    toks.append(_Tok("WORD", rest, i + len(field) + 1))
            elif word in _OPERATORS:
                toks.append(_Tok(_OPERATORS[word], word, i))
            elif near := _NEAR.fullmatch(word):
                toks.append(_Tok("NEAR", word, i, int(near.group(1))))
            else:
                toks.append(_Tok("WORD", word, i))
            i = j
    return toks


def _tilde(text: str, i: int) -> tuple[int | None, int]:
    """A proximity ~n standing at i (after a closing quote): n and where the rest begins; (None, i) if none."""
    if i < len(text) and text[i] in _TILDE:
        j = i + 1
        while j < len(text) and text[j] in "0123456789":
            j += 1
        if j > i + 1:
            return int(text[i + 1 : j]), j
    return None, i


def _separated(text: str, i: int) -> bool:
    """Whether position i starts a new token (so a minus there negates rather than hyphenates)."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in _LPAREN


class _Parser:
    """A recursive-descent parser over the tokens of one query."""

    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def parse(self) -> Node | None:
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            # Only a stray closing bracket can stop the top level early.
            raise _unmatched(tok)
        return node

    def or_expr(self) -> Node | None:
        items = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.i += 1
            if items[-1] is None and not self._had_terms(items):
                raise BadQuery("OR 的前后都要有搜索词，例如：教育 OR 医疗")
            nxt = self.and_expr()
            if nxt is None:
                raise BadQuery("OR 的前后都要有搜索词，例如：教育 OR 医疗")
            items.append(nxt)
        kept = [x for x in items if x is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    @staticmethod
    def _had_terms(items: list[Node | None]) -> bool:
        return any(x is not None for x in items)

    def and_expr(self) -> Node | None:
        items: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind not in ("OR", "RPAREN"):
            if tok.kind == "AND":
                self.i += 1
                if not items or (nxt := self.peek()) is None or nxt.kind in ("OR", "RPAREN", "AND"):
                    raise BadQuery("AND 的前后都要有搜索词，例如：教育 AND 医疗")
                continue
            node = self.unary()
            while (near := self.peek()) is not None and near.kind == "NEAR":
                self.i += 1
                following = self.peek()
                if following is not None and following.kind in ("LPAREN", "FIELD", "NOT", "NEG"):
                    raise BadQuery(f"{near.text} 只能连接词或引号里的短语，例如：援疆 {near.text} 干部")
                if following is None or following.kind not in ("WORD", "PHRASE"):
                    raise BadQuery(f"{near.text} 的前后都要有搜索词，例如：援疆 {near.text} 干部")
                node = _near(node, self.atom(None), near)
            if node is not None:
                items.append(node)
        if not items:
            return None
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node | None:
        tok = self.peek()
        assert tok is not None
        if tok.kind in ("NOT", "NEG"):
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "AND", "RPAREN"):
                example = "教育 NOT 医疗" if tok.kind == "NOT" else "教育 -医疗"
                raise BadQuery(f"{tok.text} 后面要紧跟一个搜索词，例如：{example}")
            inner = self.unary()
            return None if inner is None else Not(inner)
        return self.atom(None)

    def atom(self, field: str | None) -> Node | None:
        tok = self.peek()
        assert tok is not None
        self.i += 1
        if tok.kind == "FIELD":
            nxt = self.peek()
            if nxt is None or nxt.kind not in ("WORD", "PHRASE", "LPAREN"):
                raise BadQuery(f"{tok.text}: 后面要紧跟一个搜索词，例如：{tok.text}:克拉玛依")
            return self.atom(tok.text)
        if tok.kind == "LPAREN":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise BadQuery(f"括号最多嵌套 {MAX_DEPTH} 层：请去掉多余的括号")
            node = self.or_expr()
            close = self.peek()
            if close is not None and close.kind == "RPAREN":
                self.i += 1
            self.depth -= 1
            return _with_field(node, field) if field else node
        if tok.kind in ("WORD", "PHRASE"):
            if tok.kind == "PHRASE" and tok.distance is not None:
                return _proximity(tok, field)
            if not stream(tok.text):
                return None
            return Term(tok.text, tok.kind == "PHRASE", field)
        if tok.kind == "RPAREN":
            raise _unmatched(tok)
        if tok.kind == "NEAR":
            raise BadQuery(f"{tok.text} 的前后都要有搜索词，例如：援疆 {tok.text} 干部")
        # An operator word where a word was expected, e.g. "NOT OR".
        raise BadQuery(f"{tok.text} 不能紧跟在运算符后面：把它放在两个搜索词之间，例如：教育 {tok.text} 医疗")


def _checked_distance(distance: int, typed: str) -> int:
    """A proximity's distance, if within MAX_DISTANCE."""
    if distance > MAX_DISTANCE:
        raise BadQuery(f"{typed} 的距离最多 {MAX_DISTANCE} 个字（收到：{distance}）")
    return distance


def _proximity(tok: _Tok, field: str | None) -> Node | None:
    """A quoted phrase followed by ~n: its words within n characters of each other (one word: that word)."""
    assert tok.distance is not None
    distance = _checked_distance(tok.distance, f"~{tok.distance}")
    terms = tuple(Term(w, True, field) for w in tok.text.split() if stream(w))
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else Near(terms, distance)


def _near(left: Node | None, right: Node | None, tok: _Tok) -> Node | None:
    """left NEAR/n right: both words or phrases (or proximities of the same n, which join)."""
    assert tok.distance is not None
    distance = _checked_distance(tok.distance, tok.text)
    terms: list[Term] = []
    for side in (left, right):
        if side is None:
            continue
        if isinstance(side, Term):
            terms.append(side)
        elif isinstance(side, Near) and side.distance == distance:
            terms.extend(side.terms)
        else:
            raise BadQuery(f"{tok.text} 只能连接词或引号里的短语，例如：援疆 {tok.text} 干部")
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else Near(tuple(terms), distance)


def _unmatched(tok: _Tok) -> BadQuery:
    """The error of a closing bracket that no opening bracket matches."""
    opening = "(" if tok.text == ")" else "（"
    return BadQuery(f"第 {tok.at + 1} 个字符“{tok.text}”没有对应的左括号：删去它，或在前面补上“{opening}”")


def _with_field(node: Node | None, field: str) -> Node | None:
    """Restrict every term of a group to field (title:(a OR b))."""
    if node is None:
        return None
    if isinstance(node, Term):
        return Term(node.text, node.phrase, field)
    if isinstance(node, Near):
        return Near(tuple(Term(t.text, t.phrase, field) for t in node.terms), node.distance)
    if isinstance(node, Not):
        inner = _with_field(node.item, field)
        return Not(inner) if inner is not None else None
    items = tuple(x for x in (_with_field(i, field) for i in node.items) if x is not None)
    return type(node)(items)


def count_terms(node: Node | None) -> int:
    """How many terms a tree holds, negated ones included."""
    if node is None:
        return 0
    if isinstance(node, Term):
        return 1
    if isinstance(node, Near):
        return len(node.terms)
    if isinstance(node, Not):
        return count_terms(node.item)
    return sum(count_terms(item) for item in node.items)


def positive_terms(node: Node | None) -> list[Term]:
    """The terms not under a NOT (the words of a proximity too)."""
    return [t for part in shown_parts(node) for t in (part.terms if isinstance(part, Near) else (part,))]


def shown_parts(node: Node | None, negated: bool = False) -> list[Term | Near]:
    """The terms and proximities whose matches are shown: every one not under a NOT."""
    if node is None:
        return []
    if isinstance(node, (Term, Near)):
        return [] if negated else [node]
    if isinstance(node, Not):
        return shown_parts(node.item, not negated)
    out: list[Term | Near] = []
    for item in node.items:
        out.extend(shown_parts(item, negated))
    return out


def parse_query(text: str) -> ParsedQuery:
    """Parse a typed query; raises BadQuery for input with no sensible reading."""
    if len(text) > MAX_QUERY_LENGTH:
        raise BadQuery(f"搜索词太长：最多 {MAX_QUERY_LENGTH} 个字符，收到 {len(text)} 个")
    if not text.strip():
        return ParsedQuery(text, None, ())
    # Lexed unstripped (leading blanks are skipped anyway), so a reported position counts as the user does.
    root = _Parser(_lex(text.rstrip())).parse()
    if root is None:
        raise BadQuery("没有可以检索的内容：搜索词里要有汉字、字母或数字")
    if (count := count_terms(root)) > MAX_TERMS:
        raise BadQuery(f"搜索词太多：最多 {MAX_TERMS} 个词或短语，收到 {count} 个；"
                       "请删去一些，或把相连的词放进引号组成一个短语")
    terms = tuple(dict.fromkeys(shown_parts(root)))
    return ParsedQuery(text, root, terms)
