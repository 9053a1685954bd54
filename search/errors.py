"""The errors of searching."""

from __future__ import annotations

from corpus.errors import XjsearchError


class BadQuery(XjsearchError):
    """A query or filter that cannot be read; the message tells the user what to change."""
