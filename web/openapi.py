"""The OpenAPI description of the JSON API, served at /api/openapi.json and fuzzed by the tests."""

from __future__ import annotations

from search.concordance import COLUMNS as CONCORDANCE_COLUMNS
from search.concordance import CONCORDANCE_SORTS, DEFAULT_WIDTH, MAX_ARTICLES, MAX_WIDTH
from search.export import COLUMNS as EXPORT_COLUMNS
from search.hits import REPRINTS_LISTED
from search.limits import MAX_READ
from search.model import PRECISIONS
from search.query import MAX_DEPTH, MAX_TERMS
from search.service import ENTITY_FACET_SIZE
from search.trends import INTERVALS, MAX_QUERIES
from web.params import CONTROL_CHARACTERS, SEARCH_FORMATS, Limits

_STRINGS = {"type": "array", "items": {"type": "string"}}
# Text without control characters (web.params refuses them); ECMA-262 reads Python's \xHH escapes alike.
NO_CONTROL = f"^[^{CONTROL_CHARACTERS.pattern[1:-1]}]*$"
# The media type of each export of /api/search (format=csv or format=jsonl), sent with charset=utf-8.
EXPORT_MEDIA_TYPES = {"csv": "text/csv", "jsonl": "application/x-ndjson"}
FEED_MEDIA_TYPE = "application/atom+xml"
FEED_ENTRIES = 30  # newest articles a search's feed holds
CONCORDANCE_PER_PAGE = 50  # lines a page of a concordance holds unless per_page says otherwise


def _facet_param(name: str, description: str, pattern: str | None = None) -> dict:
    """A repeatable facet filter parameter; an empty value is ignored."""
    items: dict = {"type": "string", "maxLength": 100, "pattern": f"^({pattern})?$" if pattern else NO_CONTROL}
    return {
        "name": name,
        "in": "query",
        "description": description + " Repeat the parameter to choose several values (OR).",
        "schema": {"type": "array", "items": items, "maxItems": 20},
        "style": "form",
        "explode": True,
    }


def _or_empty(schema: dict) -> dict:
    """A parameter schema that also takes the empty string, which means "not given" (as forms send)."""
    return {"anyOf": [schema, {"type": "string", "maxLength": 0}]}


def query_limits(limits: Limits) -> str:
    """What a query must keep within, in words (the OpenAPI document's and the README's)."""
    return (f"At most {limits.max_query_length} characters; brackets nested at most {MAX_DEPTH} deep; at most "
            f"{MAX_TERMS} words or phrases, negated ones included; at most {MAX_READ:,} positions and postings "
            "read from the index (counted before the query runs: a single common character reads millions in a "
            "large archive); something searchable (a letter, digit or CJK character: a query of only "
            "punctuation, brackets or quotes is refused); no control characters (tab, LF and CR count as "
            "spaces). A query beyond these is a 400 whose error says what to change.")


def _q(limits: Limits) -> dict:
    """The q parameter."""
    return {
        "name": "q",
        "in": "query",
        "description": 'Query: words (all must match), "phrases", OR, NOT or -word, (groups), title:word. '
        "Empty browses everything, newest first. " + query_limits(limits),
        "schema": {"type": "string", "maxLength": limits.max_query_length, "pattern": NO_CONTROL},
    }


def _filters() -> list[dict]:
    """The filters every search takes (facet values and a date range), shared by the search's other views."""
    return [
        _facet_param("region", "Region (地区), e.g. 喀什."),
        _facet_param("sector", "Sector (领域), e.g. 教育."),
        _facet_param("aid_from", "Aiding province or city (援助方), e.g. 上海."),
        _facet_param("source", "Newspaper or agency (来源)."),
        _facet_param("year", "Year, YYYY.", "[0-9]{4}"),
        _facet_param("month", "Month, YYYY-MM.", "[0-9]{4}-(0[1-9]|1[0-2])"),
        _facet_param("person", "Person named (人物), e.g. 陈吉宁."),
        _facet_param("org", "Organisation named (机构), e.g. 复旦大学."),
        {"name": "from", "in": "query", "description": "First date, inclusive, YYYY-MM-DD.",
         "schema": _or_empty({"type": "string", "format": "date"})},
        {"name": "to", "in": "query", "description": "Last date, inclusive, YYYY-MM-DD.",
         "schema": _or_empty({"type": "string", "format": "date"})},
    ]


_COLLAPSE = {"name": "collapse", "in": "query",
             "description": "true (the default, also when empty): each story's reprints are one result, led by "
                            "its earliest dated copy, the others in the hit's reprints. false: every article on "
                            "its own.",
             "schema": {"type": "string", "enum": ["true", "false", "1", "0", ""], "default": "true"}}


def _page(limits: Limits) -> dict:
    """The page parameter."""
    return {"name": "page", "in": "query",
            "schema": _or_empty({"type": "integer", "minimum": 1, "maximum": limits.max_page, "default": 1})}


def _per_page(limits: Limits, default: int) -> dict:
    """The per_page parameter."""
    return {"name": "per_page", "in": "query",
            "schema": _or_empty({"type": "integer", "minimum": 1, "maximum": limits.max_per_page, "default": default})}


def _error(description: str) -> dict:
    """A response carrying the fixed error shape."""
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(description: str, schema: str) -> dict:
    """A 200 response with the named schema."""
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def openapi_document(limits: Limits) -> dict:
    """The OpenAPI 3.0 document of the API under these limits."""
    facet_value = {
        "type": "object",
        "required": ["value", "count"],
        "properties": {"value": {"type": "string"}, "count": {"type": "integer", "minimum": 0},
                       "selected": {"type": "boolean"}},
    }
    facet_lists = {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
    }
    date = {"type": "string", "format": "date", "nullable": True,
            "description": "The article's date, YYYY-MM-DD, or null when the text and the manifest state none."}
    precision = {"type": "string", "enum": list(PRECISIONS),
                 "description": "How much of date is known: the day, or only the month or the year "
                                "(date then holds the first day of that month or year), or nothing "
                                "(unknown: date is null)."}
    unavailable = _error("The index is missing or cannot be read; the message names the next step.")
    too_many_exports = {
        **_error("format=csv or jsonl while this server process already streams as many exports as it may at "
                 "once (MAX_EXPORTS)."),
        "headers": {"Retry-After": {"description": "Seconds after which to try again.",
                                    "schema": {"type": "integer", "minimum": 1}}},
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "xjsearch API",
            "version": "1",
            "description": "Full-text search over Chinese newspaper articles on paired assistance to "
            "Xinjiang (对口援疆). Every error is {\"error\": message, \"status\": code}.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search articles, with facet counts",
                    "parameters": [
                        _q(limits),
                        *_filters(),
                        {"name": "sort", "in": "query", "description": "Empty means relevance.",
                         "schema": {"type": "string", "enum": ["relevance", "date", ""], "default": "relevance"}},
                        _COLLAPSE,
                        _page(limits),
                        _per_page(limits, limits.per_page),
                        {"name": "format", "in": "query",
                         "description": "json (or empty): one page as a SearchResult. csv or jsonl: every hit "
                         "of the search, all pages (page and per_page do not apply), one row each, streamed "
                         "as an attachment: CSV after a header row, or one JSON object a line. Columns: "
                         f"{', '.join(EXPORT_COLUMNS)}; snippet is plain text, snippet_marked has each "
                         "match in 【】. CSV starts with a UTF-8 byte order mark; several values in one cell "
                         "are joined with | (a | or \\ inside a value is written \\| or \\\\); a cell starting "
                         "with =, +, -, @, tab or CR gets a leading ' so that spreadsheets read it as text. "
                         "JSON Lines carry every value exactly.",
                         "schema": {"type": "string", "enum": [*SEARCH_FORMATS, ""], "default": "json"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of hits, the total and facet counts; or, with "
                            "format=csv or jsonl, every hit.",
                            "headers": {"X-Total-Count": {
                                "description": "With format=csv or jsonl: how many hits the export holds.",
                                "schema": {"type": "integer", "minimum": 0}}},
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}},
                                EXPORT_MEDIA_TYPES["csv"]: {"schema": {"type": "string"}},
                                EXPORT_MEDIA_TYPES["jsonl"]: {"schema": {"type": "string"}},
                            },
                        },
                        "400": _error("A parameter is out of bounds or the query cannot be read."),
                        "429": too_many_exports,
                        "503": unavailable,
                    },
                }
            },
            "/api/concordance": {
                "get": {
                    "operationId": "concordance",
                    "summary": "Keyword in context: each occurrence of the query in the matching articles",
                    "parameters": [
                        {**_q(limits), "required": True, "schema": {**_q(limits)["schema"], "minLength": 1},
                         "description": "What to find (the query language of search). " + query_limits(limits)},
                        *_filters(),
                        _COLLAPSE,
                        {"name": "width", "in": "query", "description": "Characters of context each side.",
                         "schema": _or_empty({"type": "integer", "minimum": 1, "maximum": MAX_WIDTH,
                                              "default": DEFAULT_WIDTH})},
                        {"name": "sort", "in": "query",
                         "description": "date (or empty): oldest article first, each article's lines in order; "
                         "left: by the left context read backwards from the match; right: by the right context.",
                         "schema": {"type": "string", "enum": [*CONCORDANCE_SORTS, ""], "default": "date"}},
                        _page(limits),
                        _per_page(limits, min(CONCORDANCE_PER_PAGE, limits.max_per_page)),
                        {"name": "format", "in": "query",
                         "description": "json (or empty): one page of lines (of the earliest "
                         f"{MAX_ARTICLES} matching articles). csv or jsonl: every line of every matching article, "
                         f"streamed as an attachment with the columns {', '.join(CONCORDANCE_COLUMNS)}.",
                         "schema": {"type": "string", "enum": [*SEARCH_FORMATS, ""], "default": "json"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of lines; or, with format=csv or jsonl, every line.",
                            "headers": {"X-Total-Count": {
                                "description": "With format=csv or jsonl: how many articles the lines come from.",
                                "schema": {"type": "integer", "minimum": 0}}},
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Concordance"}},
                                EXPORT_MEDIA_TYPES["csv"]: {"schema": {"type": "string"}},
                                EXPORT_MEDIA_TYPES["jsonl"]: {"schema": {"type": "string"}},
                            },
                        },
                        "400": _error("A parameter is out of bounds, the query is empty or cannot be read."),
                        "429": too_many_exports,
                        "503": unavailable,
                    },
                }
            },
            "/api/trends": {
                "get": {
                    "operationId": "trends",
                    "summary": "Articles per year or month matching each of one to five queries",
                    "parameters": [
                        {"name": "q", "in": "query", "required": True, "style": "form", "explode": True,
                         "description": f"One to {MAX_QUERIES} queries (repeat the parameter; empty ones are "
                         "ignored, but count towards the limit). " + query_limits(limits),
                         "schema": {"type": "array", "minItems": 1, "maxItems": MAX_QUERIES,
                                    "items": {"type": "string", "maxLength": limits.max_query_length,
                                              "pattern": NO_CONTROL}}},
                        *_filters(),
                        {"name": "interval", "in": "query", "description": "year (or empty) or month.",
                         "schema": {"type": "string", "enum": [*INTERVALS, ""], "default": "year"}},
                        {"name": "format", "in": "query",
                         "description": "json (or empty): the series. csv: a period a row (period, articles, then "
                         "each query's count and share), as an attachment.",
                         "schema": {"type": "string", "enum": ["json", "csv", ""], "default": "json"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "The series over the same periods.",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Trends"}},
                                EXPORT_MEDIA_TYPES["csv"]: {"schema": {"type": "string"}},
                            },
                        },
                        "400": _error("A parameter is out of bounds or a query cannot be read."),
                        "503": unavailable,
                    },
                }
            },
            "/feed": {
                "get": {
                    "operationId": "feed",
                    "summary": f"The Atom feed of a search: its {FEED_ENTRIES} newest matching articles",
                    "parameters": [_q(limits), *_filters(), _COLLAPSE],
                    "responses": {
                        "200": {"description": "An Atom feed (RFC 4287); entry ids are urn:uuid: URNs that stay "
                                               "the same for an article across reindexes.",
                                "content": {FEED_MEDIA_TYPE: {"schema": {"type": "string"}}}},
                        "400": {"description": "A parameter is out of bounds or the query cannot be read (an "
                                               "HTML page saying what to change).",
                                "content": {"text/html": {"schema": {"type": "string"}}}},
                        "503": {"description": "The index is missing or cannot be read (an HTML page).",
                                "content": {"text/html": {"schema": {"type": "string"}}}},
                    },
                }
            },
            "/api/suggest": {
                "get": {
                    "operationId": "suggest",
                    "summary": "Up to 10 completions of a prefix typed in characters or pinyin",
                    "parameters": [
                        {"name": "q", "in": "query", "description": "The prefix typed so far (克拉, kela, klm).",
                         "schema": {"type": "string", "maxLength": limits.max_query_length,
                                    "pattern": NO_CONTROL}},
                    ],
                    "responses": {
                        "200": _ok("Entities, frequent words and titles starting with the prefix.", "Suggestions"),
                        "400": _error("The prefix is too long or holds a control character."),
                        "503": unavailable,
                    },
                }
            },
            "/api/articles/{article_id}": {
                "get": {
                    "operationId": "article",
                    "summary": "One article in full; ?q= marks the matches in html",
                    "parameters": [
                        {"name": "article_id", "in": "path", "required": True,
                         "schema": {"type": "string", "pattern": NO_CONTROL}},
                        _q(limits),
                    ],
                    "responses": {
                        "200": _ok("The article.", "Article"),
                        "400": _error("The query cannot be read, or the id holds a control character."),
                        "404": _error("No article has this id."),
                        "503": unavailable,
                    },
                }
            },
            "/api/stats": {
                "get": {
                    "operationId": "stats",
                    "summary": "What the index holds",
                    "responses": {"200": _ok("Index statistics.", "Stats"), "503": unavailable},
                }
            },
            "/api/health": {
                "get": {
                    "operationId": "health",
                    "summary": "Whether the index can be searched",
                    "responses": {"200": _ok("Ready.", "Health"), "503": unavailable},
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "status"],
                    "additionalProperties": False,
                    "properties": {"error": {"type": "string"},
                                   "status": {"type": "integer", "minimum": 400, "maximum": 599}},
                },
                "FacetValue": facet_value,
                "Hit": {
                    "type": "object",
                    "required": ["id", "title", "date", "date_precision", "source", "regions", "sectors",
                                 "aid_from", "score", "snippet"],
                    "properties": {
                        "id": {"type": "string"}, "title": {"type": "string"},
                        "date": date, "date_precision": precision,
                        "source": {"type": "string"},
                        "regions": _STRINGS, "sectors": _STRINGS, "aid_from": _STRINGS,
                        "people": _STRINGS, "orgs": _STRINGS,
                        "score": {"type": "number"},
                        "snippet": {"type": "string", "description": "HTML: escaped text and <mark>."},
                        "origin": {"$ref": "#/components/schemas/Origin"},
                        "reprints": {**_STRINGS, "description": "The ids of the other copies of this story "
                                     f"(reprints, or the original), earliest first; at most {REPRINTS_LISTED} (reprint_count has them all)."},
                        "reprint_count": {"type": "integer", "minimum": 0,
                                          "description": "How many other copies there are."},
                    },
                },
                "Origin": {
                    "type": "object",
                    "nullable": True,
                    "description": "Where the article came from: its file in the corpus, the page of a PDF or "
                                   "scan it was printed on, the address of the web page it was published at.",
                    "required": ["file", "page", "url"],
                    "properties": {
                        "file": {"type": "string"},
                        "page": {"type": "integer", "minimum": 1, "nullable": True},
                        "url": {"type": "string", "nullable": True},
                    },
                },
                "SearchResult": {
                    "type": "object",
                    "required": ["query", "total", "took_ms", "page", "per_page", "hits", "facets"],
                    "properties": {
                        "query": {"type": "string"},
                        "total": {"type": "integer", "minimum": 0},
                        "took_ms": {"type": "number"},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                        "facets": {**facet_lists, "description": "Each facet's values with their counts under the "
                                   f"query and the other facets' choices; person and org list their {ENTITY_FACET_SIZE} most "
                                   "frequent values (and every chosen one)."},
                        "did_you_mean": {"type": "string", "nullable": True,
                                         "description": "A corrected query that finds more, offered when "
                                                        "this one finds few articles; else null."},
                        "explanations": {**_STRINGS, "description": "How typed words were read: pinyin "
                                         "(按拼音 kelamayi 匹配：克拉玛依) and aliases (沪克 for 上海)."},
                        "notices": {**_STRINGS, "description": "Hints on chosen region, aid_from, sector or "
                                    "source values that no article has and the data files do not know: the "
                                    "value meant (莎车县 belongs to 喀什, 无锡 to 江苏), the nearest known "
                                    "value, or the known values."},
                        "articles": {"type": "integer", "minimum": 0,
                                     "description": "Matching articles, reprints included (total counts each "
                                     "story once when reprints are collapsed)."},
                        "collapse": {"type": "boolean"},
                    },
                },
                "Concordance": {
                    "type": "object",
                    "required": ["query", "width", "sort", "total", "articles", "matched", "truncated", "page",
                                 "per_page", "lines"],
                    "properties": {
                        "query": {"type": "string"},
                        "width": {"type": "integer"},
                        "sort": {"type": "string", "enum": list(CONCORDANCE_SORTS)},
                        "total": {"type": "integer", "minimum": 0, "description": "Lines of the articles read."},
                        "articles": {"type": "integer", "minimum": 0, "description": "Articles read."},
                        "matched": {"type": "integer", "minimum": 0, "description": "Articles matching."},
                        "truncated": {"type": "boolean",
                                      "description": f"Whether more than the {MAX_ARTICLES} articles read matched."},
                        "took_ms": {"type": "number"},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "lines": {"type": "array", "items": {
                            "type": "object",
                            "required": list(CONCORDANCE_COLUMNS),
                            "properties": {
                                "id": {"type": "string"}, "title": {"type": "string"}, "date": {"type": "string"},
                                "date_precision": {"type": "string"}, "source": {"type": "string"},
                                "left": {"type": "string"}, "match": {"type": "string"}, "right": {"type": "string"},
                                "position": {"type": "integer", "minimum": 0,
                                             "description": "The match's first character in the text."},
                            },
                        }},
                    },
                },
                "Trends": {
                    "type": "object",
                    "required": ["queries", "interval", "periods", "totals", "series", "undated", "year_only"],
                    "properties": {
                        "queries": _STRINGS,
                        "interval": {"type": "string", "enum": list(INTERVALS)},
                        "periods": {**_STRINGS, "description": "YYYY or YYYY-MM, every one from the first to the "
                                    "last holding an article under the filters."},
                        "totals": {"type": "array", "items": {"type": "integer", "minimum": 0},
                                   "description": "All articles under the filters per period; 0 is a gap."},
                        "series": {"type": "array", "items": {
                            "type": "object",
                            "required": ["query", "counts", "shares", "total", "left_out"],
                            "properties": {
                                "query": {"type": "string"},
                                "counts": {"type": "array", "items": {"type": "integer", "nullable": True},
                                           "description": "Matching articles per period; null in a gap."},
                                "shares": {"type": "array", "items": {"type": "number", "nullable": True},
                                           "description": "counts ÷ totals; null in a gap."},
                                "total": {"type": "integer", "minimum": 0},
                                "left_out": {"type": "integer", "minimum": 0,
                                             "description": "Matching articles with no place on the axis."},
                            },
                        }},
                        "undated": {"type": "integer", "minimum": 0,
                                    "description": "Articles under the filters without a date (left out)."},
                        "year_only": {"type": "integer", "minimum": 0,
                                      "description": "By month: articles known only to the year (left out)."},
                        "took_ms": {"type": "number"},
                    },
                },
                "Suggestions": {
                    "type": "object",
                    "required": ["query", "suggestions"],
                    "properties": {"query": {"type": "string"},
                                   "suggestions": {**_STRINGS, "maxItems": 10}},
                },
                "Article": {
                    "type": "object",
                    "required": ["id", "title", "date", "date_precision", "source", "regions", "sectors",
                                 "aid_from", "text", "html", "matches", "related"],
                    "properties": {
                        "id": {"type": "string"}, "title": {"type": "string"},
                        "date": date,
                        "date_precision": precision,
                        "source": {"type": "string"},
                        "regions": _STRINGS, "sectors": _STRINGS, "aid_from": _STRINGS,
                        "text": {"type": "string"},
                        "html": {"type": "string", "description": "<p> paragraphs, matches in <mark>."},
                        "matches": {"type": "integer", "minimum": 0},
                        "people": _STRINGS, "orgs": _STRINGS,
                        "key_terms": {**_STRINGS, "description": "The article's most distinctive words "
                                      "(tf-idf over the index), best first."},
                        "origin": {"$ref": "#/components/schemas/Origin"},
                        "related": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["id", "title", "date", "date_precision"],
                                "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                                               "date": date, "date_precision": precision},
                            },
                        },
                    },
                },
                "Stats": {
                    "type": "object",
                    "required": ["articles", "size_bytes", "generation", "built_at", "build_seconds",
                                 "date_min", "date_max", "facets"],
                    "properties": {
                        "articles": {"type": "integer", "minimum": 0},
                        "size_bytes": {"type": "integer", "minimum": 0},
                        "generation": {"type": "integer"},
                        "built_at": {"type": "string"},
                        "build_seconds": {"type": "number"},
                        "date_min": {"type": "string", "nullable": True},
                        "date_max": {"type": "string", "nullable": True},
                        "facets": facet_lists,
                    },
                },
                "Health": {
                    "type": "object",
                    "required": ["status", "articles", "generation"],
                    "properties": {"status": {"type": "string", "enum": ["ok"]},
                                   "articles": {"type": "integer"}, "generation": {"type": "integer"},
                                   "worker": {"type": "integer",
                                              "description": "The id of the server process that answered."}},
                },
            }
        },
    }
