"""A deterministic synthetic corpus: the bundled articles' sentences recombined into N articles.

Article ``i`` depends only on (seed, i, revision), never on N, so the 1,000-article corpus is a
prefix of the 10,000-article one and a changed article is the same id with revision 1. Text is
made of whole sentences of the real articles (runs of consecutive sentences keep phrases intact,
random picks mix topics), with digit runs renumbered now and then so that the vocabulary is not
just the bundled one's; titles are real titles with variations or a clause of the text; dates are
spread over 2010–2025 and the facet values are drawn from the bundled articles and the data files.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path

from corpus import datafiles, load_corpus
from corpus.metadata import sector_names

log = logging.getLogger(__name__)

# Bump when the generated text changes, so cached corpora of an older generator are not reused.
GENERATOR_VERSION = 1
DEFAULT_SEED = 20231210
# Target size of the text in UTF-8 bytes; the last paragraph overshoots it by ~330 bytes on average,
# so title + text average ~1.7 KB.
SIZE_LOW, SIZE_HIGH, SIZE_MODE = 400, 2700, 1000
DATE_FIRST = dt.date(2010, 1, 1)
DATE_LAST = dt.date(2025, 12, 31)
CHANGED_SHARE = 0.01

_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?][”’」』）)]*|[^。！？!?]+$")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Material:
    """What synthetic articles are made of: real paragraphs as sentences, titles and facet values."""

    paragraphs: tuple[tuple[str, ...], ...]
    sentences: tuple[str, ...]
    titles: tuple[str, ...]
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    aid_from: tuple[str, ...]
    sources: tuple[str, ...]


def split_sentences(paragraph: str) -> tuple[str, ...]:
    """The sentences of a paragraph, each keeping its closing punctuation and quotes."""
    return tuple(s for s in (m.group(0).strip() for m in _SENTENCE.finditer(paragraph)) if s)


def load_material() -> Material:
    """Sentences, titles and facet values of the bundled corpus and the data files."""
    articles = load_corpus().articles
    paragraphs = tuple(
        sentences
        for article in articles
        for paragraph in article.text.split("\n")
        if (sentences := split_sentences(paragraph))
    )
    sentences = tuple(s for p in paragraphs for s in p if len(s) >= 6)

    def union(from_articles: list[str], from_data: list[str]) -> tuple[str, ...]:
        return tuple(sorted(set(from_articles) | set(from_data)))

    return Material(
        paragraphs=paragraphs,
        sentences=sentences,
        titles=tuple(a.title for a in articles),
        regions=union(
            [r for a in articles for r in a.regions], [row[0] for row in datafiles.read_table("regions.tsv", 2)]
        ),
        sectors=union([s for a in articles for s in a.sectors], list(sector_names())),
        aid_from=union(
            [s for a in articles for s in a.aid_from], [row[0] for row in datafiles.read_table("aid_from.tsv", 3)]
        ),
        sources=union([a.source for a in articles], [row[0] for row in datafiles.read_table("sources.tsv", 2)]),
    )


def _renumber(rng: random.Random, sentence: str) -> str:
    """Replace each digit run by another number of the same length, three times in ten."""
    if rng.random() >= 0.3:
        return sentence
    return _DIGITS.sub(lambda m: str(rng.randrange(10 ** (len(m.group(0)) - 1), 10 ** len(m.group(0)))), sentence)


def _body(rng: random.Random, material: Material, target_bytes: int) -> str:
    """Paragraphs of recombined real sentences, until the text reaches target_bytes of UTF-8."""
    paragraphs: list[str] = []
    size = 0
    while size < target_bytes:
        if rng.random() < 0.5:
            source = rng.choice(material.paragraphs)
            start = rng.randrange(len(source))
            picked = list(source[start : start + rng.randint(2, 5)])
        else:
            picked = [rng.choice(material.sentences) for _ in range(rng.randint(2, 4))]
        paragraph = "".join(_renumber(rng, s) for s in picked)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(paragraphs)


def _title(rng: random.Random, material: Material, region: str, text: str) -> str:
    """A real title, a varied real title, or a clause of the article's first sentence."""
    roll = rng.random()
    title = rng.choice(material.titles)
    if roll < 0.3:
        return title
    if roll < 0.5:
        return f"{region}：{title}"
    if roll < 0.6:
        return f"{title}（{rng.randint(2, 9)}）"
    first = re.split(r"[，。！？、；：]", text, maxsplit=1)[0]
    clause = first[: rng.randint(8, 20)].strip()
    return clause if len(clause) >= 4 else title


def make_article(material: Material, seed: int, index: int, revision: int = 0) -> dict[str, object]:
    """The JSONL record of synthetic article number index (revision > 0: a changed version)."""
    rng = random.Random(f"{GENERATOR_VERSION}:{seed}:{index}:{revision}")
    target = int(rng.triangular(SIZE_LOW, SIZE_HIGH, SIZE_MODE))
    text = _body(rng, material, target)
    regions = rng.sample(material.regions, rng.choice((1, 1, 1, 2)))
    sectors = rng.sample(material.sectors, rng.choice((1, 1, 2, 2, 3)))
    aid_from = rng.sample(material.aid_from, rng.choice((0, 0, 1, 1, 2)))
    day = DATE_FIRST + dt.timedelta(days=rng.randrange((DATE_LAST - DATE_FIRST).days + 1))
    return {
        "id": f"syn-{index:07d}",
        "title": _title(rng, material, regions[0], text),
        "date": day.isoformat(),
        "source": rng.choice(material.sources),
        "text": text,
        "regions": regions,
        "sectors": sectors,
        "aid_from": aid_from,
    }


def changed_indexes(n: int, seed: int, share: float = CHANGED_SHARE) -> list[int]:
    """The article numbers an incremental run changes: a fixed random share of range(n)."""
    count = max(1, round(n * share))
    return sorted(random.Random(f"{GENERATOR_VERSION}:{seed}:changed:{n}").sample(range(n), count))


class _JsonLines:
    """A JSON Lines file written atomically: under a temporary name until it is whole."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tmp = path.with_name(path.name + ".tmp")
        self._fh = open(self._tmp, "w", encoding="utf-8")

    def write(self, record: dict[str, object]) -> None:
        self._fh.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        self._fh.write("\n")

    def close(self) -> None:
        self._fh.close()
        os.replace(self._tmp, self.path)

    def discard(self) -> None:
        self._fh.close()
        self._tmp.unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class SyntheticCorpus:
    """The two cached JSONL files of one size: the corpus and its copy with a share changed."""

    n: int
    seed: int
    path: Path
    changed_path: Path
    changed: int
    text_bytes: int  # UTF-8 bytes of every title + text


def ensure_corpus(cache_dir: Path, n: int, seed: int = DEFAULT_SEED) -> SyntheticCorpus:
    """Generate (or reuse from cache_dir) the synthetic corpus of n articles and its changed copy.

    Both files are written as the articles are made, one at a time, so a million articles never
    sit in memory; a killed run leaves no half-written file under the final names.
    """
    stem = f"synthetic-v{GENERATOR_VERSION}-s{seed}-n{n}"
    path = cache_dir / f"{stem}.jsonl"
    changed_path = cache_dir / f"{stem}-changed.jsonl"
    meta_path = cache_dir / f"{stem}.json"
    changed = set(changed_indexes(n, seed))
    if path.is_file() and changed_path.is_file() and meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return SyntheticCorpus(n, seed, path, changed_path, len(changed), int(meta["text_bytes"]))
    log.info("generating %d synthetic articles into %s", n, path)
    material = load_material()
    cache_dir.mkdir(parents=True, exist_ok=True)
    text_bytes = 0
    original, copy = _JsonLines(path), _JsonLines(changed_path)
    try:
        for i in range(n):
            record = make_article(material, seed, i)
            text_bytes += len(str(record["title"]).encode()) + len(str(record["text"]).encode())
            original.write(record)
            copy.write(make_article(material, seed, i, revision=1) if i in changed else record)
    except BaseException:
        original.discard()
        copy.discard()
        raise
    original.close()
    copy.close()
    meta_path.write_text(json.dumps({"n": n, "seed": seed, "text_bytes": text_bytes}), encoding="utf-8")
    return SyntheticCorpus(n, seed, path, changed_path, len(changed), text_bytes)
