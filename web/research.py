"""What the research pages (concordance, trends) share: reading a page's search and its own options."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from werkzeug.datastructures import MultiDict

from search.model import SearchRequest
from web.params import BadParameter, Limits, parse_search, parse_search_keeping_the_rest

Options = TypeVar("Options")


def search_args(args: MultiDict, own: Iterable[str]) -> MultiDict:
    """The parameters of the search a research page reads: its own parameters left out."""
    rest = MultiDict(args)
    for name in own:
        rest.poplist(name)
    return rest


def read_page(args: MultiDict, own: Iterable[str], lim: Limits, options: Callable[[MultiDict, Limits], Options],
              defaults: Options) -> tuple[SearchRequest, Options, str | None]:
    """A page's search, its own options (defaults when bad) and the first bad parameter's message (or None).

    As on the search page, a bad parameter is named while what the rest of the URL asks for is kept.
    """
    req, bad = parse_search_keeping_the_rest(search_args(args, own), lim, per_page_allowed=False)
    try:
        chosen = options(args, lim)
    except BadParameter as exc:
        chosen, bad = defaults, bad or exc
    return req, chosen, None if bad is None else str(bad)


def read_api(args: MultiDict, own: Iterable[str], lim: Limits,
             options: Callable[[MultiDict, Limits], Options]) -> tuple[SearchRequest, Options]:
    """An API call's search and its own options; BadParameter (a 400) for the first bad one."""
    return parse_search(search_args(args, own), lim, per_page_allowed=False), options(args, lim)
