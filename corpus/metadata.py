"""An article's metadata, inferred from its text and the data files: date, source, regions, sectors, aiders, names.

Every rule reads the same folded text that search reads (corpus.folding: traditional → simplified,
full-width → ASCII), so 廣東援疆 names 广东 and 阿克蘇地區 is 阿克苏. Each field has a module of its
own: corpus.dates, corpus.sources, corpus.places, corpus.sectors, corpus.aiders, corpus.entities;
this module reads them together (describe) and is where the rest of the project asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corpus.aiders import aided_regions, aider_names, alias_phrases, infer_aid_from
from corpus.article import UNKNOWN, PageInfo
from corpus.cleaning import without_glosses
from corpus.dates import infer_date, parse_date
from corpus.entities import entity_rules, infer_entities, infer_names, tagged_orgs, tagged_people
from corpus.folding import fold
from corpus.places import XINJIANG, canonical_regions, infer_regions, region_names
from corpus.sectors import infer_sectors, sector_names
from corpus.sources import UNKNOWN_SOURCE, infer_source

__all__ = [
    "UNKNOWN",
    "UNKNOWN_SOURCE",
    "XINJIANG",
    "Metadata",
    "PageInfo",
    "aided_regions",
    "aider_names",
    "alias_phrases",
    "canonical_regions",
    "describe",
    "entity_rules",
    "infer_aid_from",
    "infer_date",
    "infer_entities",
    "infer_names",
    "infer_regions",
    "infer_sectors",
    "infer_source",
    "parse_date",
    "region_names",
    "sector_names",
    "tagged_orgs",
    "tagged_people",
]


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the text and the page say of an article, each field as an Article holds it."""

    date: str | None
    date_precision: str
    source: str
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    aid_from: tuple[str, ...]
    people: tuple[str, ...]
    orgs: tuple[str, ...]


def describe(title: str, text: str, page: PageInfo | None = None, header: Sequence[str] = ()) -> Metadata:
    """Every field of an article's metadata from its title, text, page and header lines.

    header holds the lines a page printed above the article and that are no part of its text:
    the date and source lines of a web page (2024-03-05 来源：…), which the date and source read.
    """
    # Pinyin glosses (對(duì)口) would cut the words the rules look for.
    title, text = without_glosses(title), without_glosses(text)
    header = [without_glosses(line) for line in header]
    folded_title, folded_text = fold(title), fold(text)
    date, precision = infer_date(text, page, header)
    people, orgs = infer_names(folded_title + "\n" + folded_text)
    return Metadata(
        date=date,
        date_precision=precision,
        source=infer_source(text, page.source if page else None, header),
        regions=infer_regions(folded_title, folded_text, page.home_region if page else None),
        sectors=infer_sectors(folded_title, folded_text),
        aid_from=infer_aid_from(folded_title, folded_text),
        people=people,
        orgs=orgs,
    )
