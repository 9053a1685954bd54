"""The query sets, as /api/search parameters and as SearchRequests.

Every search returns facets and snippets (the service always computes both), so every query
measures the whole answer a user gets. Words are taken from the bundled corpus, so the synthetic
articles (its sentences recombined) match them in realistic proportions: common words match a
large share, names and phrases a small one.

Two sets, because the service caches each query's scored matches per index generation:

* ``fresh_queries()`` — distinct query texts, each run once per process, so every one is a full
  search (what a user typing a new query waits for). The headline latencies are these.
* ``QUERY_MIX`` — a fixed mix repeated several times: after its first pass the typed part is a
  cache hit, so it measures what choosing a facet, a date range or a page costs.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from search.model import SearchRequest
from search.vocabulary import syllables

FRESH_SEED = 5
FRESH_COUNTS = {"one-word": 40, "two-word": 30, "phrase": 20, "filtered": 30, "misspelt": 15, "pinyin": 15}
SUGGEST_COUNT = 120  # prefixes typed into the search box, in characters and in pinyin


@dataclass(frozen=True, slots=True)
class BenchQuery:
    """One query of the mix: a label, its category and its /api/search parameters."""

    label: str
    category: str  # one-word | two-word | phrase | boolean | filtered | browse | misspelt | pinyin
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

CATEGORIES: tuple[str, ...] = ("one-word", "two-word", "phrase", "boolean", "filtered", "browse", "misspelt", "pinyin")


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Words of the bundled corpus by falling frequency (2+ characters, no numbers), and its sentences."""
    from bench.synthetic import load_material
    from indexer.analysis import words

    material = load_material()
    counts: Counter[str] = Counter()
    for sentence in material.sentences:
        counts.update(w for w in words(sentence) if len(w) >= 2 and not any(c.isdigit() for c in w))
    ranked = tuple(w for w, _ in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0])))
    return ranked, material.sentences


def fresh_queries(seed: int = FRESH_SEED) -> tuple[BenchQuery, ...]:
    """Distinct query texts (none in QUERY_MIX), a fixed set per seed: words from three frequency
    bands, word pairs, quoted 3–6 character substrings of real sentences, and filtered words."""
    from bench.synthetic import load_material

    ranked, sentences = _vocabulary()
    material = load_material()
    rng = random.Random(f"fresh:{seed}")
    used = {dict(q.params).get("q", "") for q in QUERY_MIX}
    bands = (ranked[:60], ranked[60:600], ranked[600:])

    def word() -> str:
        return rng.choice(bands[rng.choice((0, 0, 1, 1, 2))])

    def phrase() -> str:
        sentence = re.sub(r"[^\w]", "", rng.choice(sentences))
        length = rng.randint(3, 6)
        start = rng.randrange(max(1, len(sentence) - length))
        return '"' + sentence[start : start + length] + '"'

    characters = sorted({c for w in ranked for c in w})

    def misspelt() -> str:
        # One character of a word replaced: mostly finds little, so a correction is looked for.
        typed = word()
        at = rng.randrange(len(typed))
        return typed[:at] + rng.choice(characters) + typed[at + 1 :]

    makers = {
        "one-word": lambda: {"q": word()},
        "misspelt": lambda: {"q": misspelt()},
        "pinyin": lambda: {"q": "".join(syllables(word()))},
        "two-word": lambda: {"q": f"{word()} {word()}"},
        "phrase": lambda: {"q": phrase()},
        "filtered": lambda: {
            "q": word(),
            **rng.choice((
                {"region": rng.choice(material.regions)},
                {"sector": rng.choice(material.sectors)},
                {"aid_from": rng.choice(material.aid_from)},
                {"date_from": f"{rng.randint(2010, 2020)}-01-01", "date_to": f"{rng.randint(2020, 2025)}-12-31"},
                {"year": str(rng.randint(2010, 2025)), "region": rng.choice(material.regions)},
            )),
        },
    }
    out: list[BenchQuery] = []
    for category, count in FRESH_COUNTS.items():
        made = 0
        while made < count:
            params = makers[category]()
            if params["q"] in used:
                continue
            used.add(params["q"])
            made += 1
            out.append(_q(f"fresh {category} {params['q']}", category, **params))
    return tuple(out)


def suggest_prefixes(seed: int = FRESH_SEED) -> tuple[str, ...]:
    """Distinct prefixes a user types on the way to a word: 1–3 characters, or 2–6 pinyin letters."""
    ranked, _ = _vocabulary()
    rng = random.Random(f"suggest:{seed}")
    out: dict[str, None] = {}
    while len(out) < SUGGEST_COUNT:
        typed = rng.choice(ranked[:2000])
        if rng.random() < 0.5:
            out[typed[: rng.randint(1, min(3, len(typed)))]] = None
        else:
            letters = "".join(syllables(typed))
            out[letters[: rng.randint(2, min(6, len(letters)))]] = None
    return tuple(out)


def time_queries(
    run_one: Callable[[BenchQuery], int], queries: Sequence[BenchQuery], reps: int = 1
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Run each query reps times through run_one (which returns the total); ms per run and totals."""
    timings: dict[str, list[float]] = {q.label: [] for q in queries}
    totals: dict[str, int] = {}
    for _ in range(reps):
        for query in queries:
            started = time.perf_counter()
            totals[query.label] = run_one(query)
            timings[query.label].append((time.perf_counter() - started) * 1000)
    return timings, totals


def categories_of(queries: Sequence[BenchQuery]) -> dict[str, str]:
    """Each query's label → its category."""
    return {q.label: q.category for q in queries}
