"""The fixed query mix, as /api/search parameters and as SearchRequests.

Every search returns facets and snippets (the service always computes both), so every query of
the mix measures the whole answer a user gets. Words are taken from the bundled corpus, so the
synthetic articles (its sentences recombined) match them in realistic proportions: common words
match a large share, names and phrases a small one.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from search.model import SearchRequest


@dataclass(frozen=True, slots=True)
class BenchQuery:
    """One query of the mix: a label, its category and its /api/search parameters."""

    label: str
    category: str  # one-word | two-word | phrase | boolean | filtered | browse
    params: tuple[tuple[str, str], ...]

    def url(self) -> str:
        """The /api/search path with this query's parameters."""
        return "/api/search?" + urlencode(self.params)

    def request(self) -> SearchRequest:
        """The SearchRequest the API builds from these parameters."""
        multi: dict[str, list[str]] = {}
        for key, value in self.params:
            multi.setdefault(key, []).append(value)

        def one(key: str) -> str | None:
            return multi[key][0] if key in multi else None

        return SearchRequest(
            query=one("q") or "",
            regions=tuple(multi.get("region", ())),
            sectors=tuple(multi.get("sector", ())),
            aid_from=tuple(multi.get("aid_from", ())),
            sources=tuple(multi.get("source", ())),
            years=tuple(multi.get("year", ())),
            months=tuple(multi.get("month", ())),
            date_from=one("from"),
            date_to=one("to"),
            sort=one("sort") or "relevance",
            page=int(one("page") or 1),
            per_page=int(one("per_page") or 10),
        )


def _q(label: str, category: str, **params: str | tuple[str, ...]) -> BenchQuery:
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        key = {"date_from": "from", "date_to": "to"}.get(key, key)
        for item in (value,) if isinstance(value, str) else value:
            pairs.append((key, item))
    return BenchQuery(label, category, tuple(pairs))


QUERY_MIX: tuple[BenchQuery, ...] = (
    _q("援疆", "one-word", q="援疆"),
    _q("克拉玛依", "one-word", q="克拉玛依"),
    _q("教育", "one-word", q="教育"),
    _q("医疗", "one-word", q="医疗"),
    _q("乡村振兴", "one-word", q="乡村振兴"),
    _q("陈吉宁", "one-word", q="陈吉宁"),
    _q("上海 援疆", "two-word", q="上海 援疆"),
    _q("教育 医疗", "two-word", q="教育 医疗"),
    _q("和田 产业", "two-word", q="和田 产业"),
    _q("克拉玛依 数字", "two-word", q="克拉玛依 数字"),
    _q('"对口援疆"', "phrase", q='"对口援疆"'),
    _q('"高质量发展"', "phrase", q='"高质量发展"'),
    _q('"组团式" 医疗', "phrase", q='"组团式" 医疗'),
    _q("教育 OR 医疗", "boolean", q="教育 OR 医疗"),
    _q("援疆 -上海", "boolean", q="援疆 -上海"),
    _q("援疆 region=喀什", "filtered", q="援疆", region="喀什"),
    _q("教育 sector=教育 2015–2019", "filtered", q="教育", sector="教育", date_from="2015-01-01", date_to="2019-12-31"),
    _q("上海 aid_from=上海 year=2020", "filtered", q="上海", aid_from="上海", year="2020"),
    _q('"高质量发展" region=和田,克拉玛依 2020–2025', "filtered", q='"高质量发展"', region=("和田", "克拉玛依"),
       date_from="2020-01-01", date_to="2025-12-31"),
    _q("产业 sort=date", "filtered", q="产业", sort="date"),
    _q("援疆 page 3", "filtered", q="援疆", page="3"),
    _q("(all) region=和田 sector=医疗卫生", "browse", region="和田", sector="医疗卫生"),
    _q("(all) year=2023 month=2023-08", "browse", year="2023", month="2023-08"),
    _q("(all) newest", "browse"),
)

CATEGORIES: tuple[str, ...] = ("one-word", "two-word", "phrase", "boolean", "filtered", "browse")
