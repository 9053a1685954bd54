"""Raw newspaper pages and ready articles become clean Article records with their metadata."""

from typing import Any

from corpus.article import Article, LoadResult, Skipped
from corpus.errors import CorpusError, XjsearchError

__all__ = ["Article", "CorpusError", "LoadResult", "Skipped", "XjsearchError", "default_corpus", "load_corpus"]


def __getattr__(name: str) -> Any:
    """default_corpus and load_corpus, imported when first asked for: a command that reads no corpus skips the loader."""
    if name in ("default_corpus", "load_corpus"):
        from corpus import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'corpus' has no attribute {name!r}")
