"""Did you mean: a query finding few articles, with its words corrected from the generation's vocabulary."""

from __future__ import annotations

from dataclasses import replace

from whoosh.searching import Searcher

from indexer.analysis import words
from search.checks import Checked, check_request
from search.errors import BadQuery
from search.generation import Generation
from search.model import SearchRequest
from search.query import positive_terms
from search.selection import select
from search.vocabulary import is_pinyin_text

FEW_RESULTS = 3  # a query finding fewer articles than this is offered a correction
MAX_CORRECTED_TERMS = 5  # words of a query looked at for a correction (each try is a search)


def did_you_mean(
    gen: Generation, searcher: Searcher, request: SearchRequest, checked: Checked, total: int, wait: bool = True
) -> str | None:
    """The query with its words corrected (same or near pinyin, one character off), if it finds more.

    With wait false, a generation whose vocabulary is not read yet offers nothing: a server reads
    it in the background, and waiting here would hold a pooled searcher.
    """
    if not wait and gen.unread_vocabulary():
        return None
    vocabulary = gen.vocabulary()
    text = checked.parsed.text
    fixes: list[tuple[str, str]] = []
    for term in positive_terms(checked.parsed.root)[:MAX_CORRECTED_TERMS]:
        typed = term.text.strip()
        if is_pinyin_text(typed):
            continue
        right = vocabulary.correction(typed)
        if right is not None:
            fixes.append((typed, right))
        else:
            fixes.extend((w, r) for w in words(typed) if len(w) > 1 and (r := vocabulary.correction(w)) is not None)
    fixes = [(wrong, right) for wrong, right in fixes if wrong in text]
    # Every word corrected at once first (和天 干布 → 和田 干部), then each alone.
    tries = ([fixes] if len(fixes) > 1 else []) + [[fix] for fix in fixes]
    for attempt in tries:
        fixed = text
        for wrong, right in attempt:
            fixed = fixed.replace(wrong, right, 1)
        try:
            again = check_request(replace(request, query=fixed, page=1))
            again = replace(again, parsed=gen.expand(again.parsed).parsed)
            if select(gen, searcher, request, again, with_facets=False).total > total:
                return fixed
        except BadQuery:  # a correction that cannot be searched is none
            continue
    return None
