"""The exception hierarchy every layer of xjsearch raises from."""


class XjsearchError(Exception):
    """Base class of every error xjsearch reports to a user."""


class CorpusError(XjsearchError):
    """A corpus path or data file cannot be used at all."""
