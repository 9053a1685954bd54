"""Fixtures of the web tests: a small index of inline articles built once, the app and its client."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.build import update_index
from web import create_app
from web_articles import WEB_ARTICLES


@pytest.fixture(scope="session")
def web_index(tmp_path_factory) -> Path:
    """An index of WEB_ARTICLES, built once per session; tests must not modify it."""
    index_dir = tmp_path_factory.mktemp("web") / "index"
    update_index(WEB_ARTICLES, index_dir, corpus_label="web tests")
    return index_dir


@pytest.fixture()
def app(web_index):
    """The app over the web test index, ten results a page."""
    return create_app({"TESTING": True, "INDEX": str(web_index)})


@pytest.fixture()
def client(app):
    """A test client of app."""
    return app.test_client()


@pytest.fixture()
def small_pages_client(web_index):
    """A client whose pages hold two results, to exercise pagination."""
    return create_app({"TESTING": True, "INDEX": str(web_index), "PER_PAGE": 2}).test_client()

