"""Scans read by OCR on the machine: rendered pages, a scanned PDF, the cache that spares a second OCR."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from bench.ocr import edit_distance
from corpus import load_corpus
from corpus.article import Article, Skipped
from corpus.loader import iter_files
from corpus.readers import ocr
from corpus.readers.layout import Box
from tests.integration.inputs.texts import CLINIC, ORCHARD, Written


def accuracy(found: str, written: Written) -> float:
    """Character accuracy of OCR: 1 − edit distance / length of the written title and text (whitespace aside)."""
    expected = "".join((written.title + written.text).split())
    return 1 - edit_distance("".join(found.split()), expected) / len(expected)


def test_a_rendered_page_and_a_scanned_pdf_are_read_at_97_percent(scans: tuple[Path, tuple[Article, ...]]) -> None:
    _folder, (clinic, orchard) = scans
    assert [(a.origin, a.page, a.title, a.date) for a in (clinic, orchard)] == [
        ("scan.pdf#1", 1, CLINIC.title, "2024-05-20"),
        ("scan.png#1", None, ORCHARD.title, "2024-04-08"),
    ]
    assert accuracy(orchard.title + orchard.text, ORCHARD) >= 0.97
    assert accuracy(clinic.title + clinic.text, CLINIC) >= 0.97


def test_a_second_index_of_the_same_scans_does_no_ocr(
    scans: tuple[Path, tuple[Article, ...]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from indexer.build import index_corpus

    folder, first = scans
    # Renamed copies: the cache knows a scan by its content, not its name.
    shutil.copy2(folder / "scan.png", tmp_path / "page-a.png")
    shutil.copy2(folder / "scan.pdf", tmp_path / "page-b.pdf")

    def no_ocr(image: object) -> list[Box]:
        raise AssertionError("OCR ran again")

    monkeypatch.setattr(ocr, "recognise", no_ocr)
    skipped: list[Skipped] = []
    found = {}
    for report, articles in iter_files(tmp_path, skipped):
        texts = [a.text for a in articles]  # read first: the report is complete once they are
        found[report.name] = (texts, dict(report.found))
    assert found == {
        "page-a.png": ([first[1].text], {"pages OCR'd before (cached)": 1}),
        "page-b.pdf": ([first[0].text], {"pages OCR'd before (cached)": 1}),
    }
    report = index_corpus(tmp_path, tmp_path / "index")
    assert (report.added, report.skipped) == (2, ())


def test_each_page_of_a_scan_is_numbered_and_its_progress_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from PIL import Image

    monkeypatch.setenv(ocr.CACHE_ENV, str(tmp_path / "cache"))
    pages = [Image.new("L", (400, 300), 255), Image.new("L", (400, 300), 250)]
    pages[0].save(tmp_path / "two.tif", save_all=True, append_images=pages[1:])
    texts = iter([[Box(10, 10, 300, 40, "喀什新闻"), Box(10, 60, 390, 90, "本报讯 喀什地区举办培训班。")],
                  [Box(10, 10, 300, 40, "和田新闻"), Box(10, 60, 390, 90, "本报讯 和田地区举办运动会。")]])
    monkeypatch.setattr(ocr, "recognise", lambda image: next(texts))
    with caplog.at_level(logging.INFO, logger="corpus.readers.ocr"):
        articles = load_corpus(tmp_path).articles
    assert [(a.origin, a.page, a.title) for a in articles] == [("two.tif#1", 1, "喀什新闻"), ("two.tif#2", 2, "和田新闻")]
    assert [r.getMessage().rsplit(" in ", 1)[0] for r in caplog.records] == [
        "OCR two.tif page 1/2: 2 lines", "OCR two.tif page 2/2: 2 lines",
    ]


def test_without_ocr_installed_a_scan_is_reported_with_the_next_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from PIL import Image

    monkeypatch.setenv(ocr.CACHE_ENV, str(tmp_path / "cache"))
    Image.new("L", (100, 100), 255).save(tmp_path / "scan.jpg")
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import fails as when not installed
    ocr._engine.cache_clear()
    try:
        result = load_corpus(tmp_path)
    finally:
        ocr._engine.cache_clear()
    assert result.skipped == (Skipped(str(tmp_path / "scan.jpg"), "OCR is not installed — run: pip install -e '.[ocr]' (see the README)"),)
