"""Input files every reader test shares, made once a session: an e-paper PDF and OCR'd scans."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus import load_corpus
from corpus.article import Article
from corpus.readers import ocr
from tests.integration.inputs.printed import epaper_html, print_pdf, render_page
from tests.integration.inputs.texts import CLINIC, KINDERGARTENS, LIBRARY, ORCHARD, RIVER, SAVED_LATER


@pytest.fixture(scope="session")
def epaper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-page e-paper PDF printed by chromium: two articles in two columns on each page."""
    path = tmp_path_factory.mktemp("epaper") / "epaper.pdf"
    print_pdf(epaper_html((KINDERGARTENS, RIVER), (CLINIC, LIBRARY)), path)
    os.utime(path, SAVED_LATER)
    return path


@pytest.fixture(scope="session")
def ocr_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An OCR cache of the test session's own."""
    path = tmp_path_factory.mktemp("ocr-cache")
    before = os.environ.get(ocr.CACHE_ENV)
    os.environ[ocr.CACHE_ENV] = str(path)
    yield path
    if before is None:
        del os.environ[ocr.CACHE_ENV]
    else:
        os.environ[ocr.CACHE_ENV] = before


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory, ocr_cache: Path) -> tuple[Path, tuple[Article, ...]]:
    """A folder with a rendered page image and a scanned (image-only) PDF of another page, OCR'd once."""
    folder = tmp_path_factory.mktemp("scans")
    for path in (render_page([ORCHARD], folder / "scan.png"), render_page([CLINIC], folder / "scan.pdf")):
        os.utime(path, SAVED_LATER)
    result = load_corpus(folder)
    assert result.skipped == ()
    return folder, result.articles


@pytest.fixture(scope="session")
def every_format(tmp_path_factory: pytest.TempPathFactory, epaper: Path, scans: tuple[Path, tuple[Article, ...]]) -> Path:
    """A folder holding one file of each kind the readers take (tests must not change it)."""
    from tests.integration.inputs.every import write_every_format

    return write_every_format(tmp_path_factory.mktemp("every") / "papers", epaper, scans[0])
