"""The records of the search service: what is asked, and what comes back."""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.article import Origin
from corpus.article import UNDATED, UNKNOWN

SORTS = ("relevance", "date")
MAX_PER_PAGE = 100  # hits a page may ask for
MAX_PAGE = 1000  # pages a search may be read to
# A concordance's orders, and the characters of context each side of a match (search.concordance).
CONCORDANCE_SORTS = ("date", "left", "right")
DEFAULT_WIDTH = 20
MAX_WIDTH = 100
# Each facet and the SearchRequest field holding its chosen values.
SELECTION_FIELDS = {
    "region": "regions",
    "sector": "sectors",
    "aid_from": "aid_from",
    "source": "sources",
    "year": "years",
    "month": "months",
    "person": "people",
    "org": "orgs",
}
FACETS = tuple(SELECTION_FIELDS)
PRECISIONS = ("day", "month", "year", UNKNOWN)


def shown_date(date: str | None, precision: str) -> str:
    """A date only as far as it is known: YYYY-MM-DD, YYYY-MM (month precision), YYYY (year), or 日期不详."""
    # The index keeps a full YYYY-MM-DD for sorting and ranges; its day (or month) may be a stand-in.
    if not date or precision == UNKNOWN:
        return UNDATED
    if precision == "month":
        return date[:7]
    if precision == "year":
        return date[:4]
    return date


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """One search: the typed query, the chosen facet values, date range, order and page."""

    query: str = ""
    regions: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    aid_from: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    months: tuple[str, ...] = ()  # "YYYY-MM"
    people: tuple[str, ...] = ()  # people named (the person facet)
    orgs: tuple[str, ...] = ()  # organisations named (the org facet)
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None  # YYYY-MM-DD, inclusive
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    collapse: bool = True  # reprints of one story shown as one result (search.reprints)


@dataclass(frozen=True, slots=True)
class Reprint:
    """Another copy of a hit's story: the same article reprinted elsewhere (or printed first)."""

    id: str
    title: str
    date: str | None  # None: unknown
    date_precision: str
    source: str


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching article with its highlighted snippet (HTML: escaped text and <mark>)."""

    id: str
    title: str
    date: str | None  # None when the article's date is unknown
    date_precision: str  # "day", "month", "year" or "unknown": how much of date is known
    source: str
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    aid_from: tuple[str, ...]
    score: float
    snippet: str
    title_html: str = ""  # the title, escaped, with its matches marked
    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    origin: Origin | None = None  # its corpus file, page and URL
    reprints: tuple[Reprint, ...] = ()  # the other copies of its story, earliest first (at most REPRINTS_LISTED)
    reprint_count: int = 0  # how many other copies there are


@dataclass(frozen=True, slots=True)
class FacetValue:
    """One value of a facet and how many articles choosing it would give."""

    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The answer to a SearchRequest: one page of hits, the total and the facet counts."""

    request: SearchRequest
    total: int
    took_ms: float
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    did_you_mean: str | None = None  # a corrected query that finds more, when this one finds little
    explanations: tuple[str, ...] = ()  # how typed words were read (pinyin, aliases), for the user
    notices: tuple[str, ...] = ()  # hints on chosen filter values no article has and no data file knows
    articles: int = 0  # matching articles, reprints included (total counts each group once when collapsed)


@dataclass(frozen=True, slots=True)
class Related:
    """An article similar to the one being read."""

    id: str
    title: str
    date: str | None
    date_precision: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    """One whole article for reading; html is the escaped text in <p> paragraphs, matches marked."""

    id: str
    title: str
    date: str | None
    date_precision: str
    source: str
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    aid_from: tuple[str, ...]
    text: str
    html: str
    title_html: str
    matches: int  # how many <mark> spans html holds
    related: tuple[Related, ...] = ()
    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    key_terms: tuple[str, ...] = ()  # the article's most distinctive words (tf-idf), best first
    origin: Origin | None = None  # its corpus file, page and URL


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What an index holds: article count, size on disk, generation, when built, facet counts."""

    articles: int
    size_bytes: int
    generation: int
    built_at: str  # ISO 8601, UTC
    build_seconds: float
    date_min: str | None
    date_max: str | None
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)


def selected(request: SearchRequest, facet: str) -> tuple[str, ...]:
    """The values of a facet a request chooses."""
    return getattr(request, SELECTION_FIELDS[facet])  # type: ignore[no-any-return]
