"""Atom feeds (RFC 4287): /feed?q=…&region=… gives a search's newest matching articles.

Every search has one, linked from its results page, so that a feed reader shows what each reindex
added. Entry ids are URNs made from the article's id alone (a name-based UUID), so they stay the
same across reindexes, servers and addresses; the feed's id is made the same way from its search.
An entry's updated is the article's date (the index's build time when the article has none), the
feed's updated the build time of the index generation that answered.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, request, url_for

from search.export import plain_text
from search.model import Hit, SearchRequest
from web import limits, service
from web.openapi import FEED_ENTRIES, FEED_MEDIA_TYPE
from web.params import parse_search, query_string, request_params

bp = Blueprint("feed", __name__)

ATOM = "http://www.w3.org/2005/Atom"
# The namespace of the name-based UUIDs of entries and feeds (itself a name-based UUID of the project's name).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "xjsearch")


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """What a feed says of itself: id, title, when updated, and its links."""

    id: str
    title: str
    updated: str  # RFC 3339
    self_url: str
    page_url: str


def entry_id(article_id: str) -> str:
    """The stable Atom id of an article's entry."""
    return uuid.uuid5(NAMESPACE, "article:" + article_id).urn


def feed_id(params: str) -> str:
    """The stable Atom id of a search's feed, from its canonical query string."""
    return uuid.uuid5(NAMESPACE, "feed:" + params).urn


def timestamp(date: str, fallback: str) -> str:
    """An article's date as an RFC 3339 time (midnight UTC), or fallback when it has none."""
    return f"{date}T00:00:00Z" if date else fallback


def feed_title(req: SearchRequest) -> str:
    """The feed's title: the query and the chosen filters."""
    parts = [req.query or "全部文章"]
    not_filters = ("q", "sort", "page", "collapse")
    chosen = [v for name, values in request_params(req, limits()).lists() if name not in not_filters for v in values]
    return "援疆报刊检索：" + "，".join(parts + chosen)


def atom_feed(info: FeedInfo, hits: Sequence[Hit], article_url: Callable[[str], str]) -> bytes:
    """The Atom document of a feed; article_url gives the URL of an article's page from its id."""
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    add(feed, "id", info.id)
    add(feed, "title", info.title)
    add(feed, "updated", info.updated)
    add(add(feed, "author"), "name", "xjsearch")
    add(feed, "generator", "xjsearch")
    add(feed, "link", rel="self", type=FEED_MEDIA_TYPE, href=info.self_url)
    add(feed, "link", rel="alternate", type="text/html", href=info.page_url)
    for hit in hits:
        entry = add(feed, "entry")
        add(entry, "id", entry_id(hit.id))
        add(entry, "title", hit.title or hit.id)
        add(entry, "updated", timestamp(hit.date, info.updated))
        add(entry, "link", rel="alternate", type="text/html", href=article_url(hit.id))
        if hit.source:
            add(add(entry, "author"), "name", hit.source)
        for value in (*hit.regions, *hit.sectors):
            add(entry, "category", term=value)
        add(entry, "summary", plain_text(hit.snippet), type="text")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)


def feed_query(req: SearchRequest) -> str:
    """The query string of a search's feed (no sort or page: a feed is the newest matches)."""
    params = request_params(req, limits())
    for name in ("sort", "page", "per_page"):
        params.poplist(name)
    return query_string(params)


@bp.get("/feed")
def feed():
    """The Atom feed of a search: its newest matching articles."""
    req = parse_search(request.args, limits(), per_page_allowed=False)
    params = feed_query(req)
    result = service().search(replace(req, sort="date", page=1, per_page=FEED_ENTRIES))
    built = service().stats().built_at
    updated = built.replace("+00:00", "Z") if built else "1970-01-01T00:00:00Z"
    suffix = "?" + params if params else ""
    info = FeedInfo(feed_id(params), feed_title(req), updated, url_for("feed.feed", _external=True) + suffix,
                    url_for("pages.search", _external=True) + suffix)
    highlight = "?" + query_string([("q", req.query)]) if req.query else ""

    def article_url(article_id: str) -> str:
        return url_for("pages.article", article_id=article_id, _external=True) + highlight

    body = atom_feed(info, result.hits, article_url)
    return Response(body, content_type=FEED_MEDIA_TYPE + "; charset=utf-8")
