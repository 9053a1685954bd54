"""Raw newspaper pages and ready articles become clean Article records with their metadata."""

from corpus.article import Article, LoadResult, Skipped
from corpus.errors import CorpusError, XjsearchError
from corpus.loader import default_corpus, load_corpus

__all__ = ["Article", "CorpusError", "LoadResult", "Skipped", "XjsearchError", "default_corpus", "load_corpus"]
