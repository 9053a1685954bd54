"""Scans (.png, .jpg, .tif, and PDF pages without a text layer): Chinese OCR on the machine, cached.

RapidOCR (rapidocr-onnxruntime) runs PaddleOCR's PP-OCRv4 models, which ship inside its wheel, with
ONNX Runtime: offline, no model is fetched. It is an optional extra (`pip install -e '.[ocr]'`).
Its text boxes are ordered into columns and lines by corpus.readers.layout, so a scanned page is
split into articles as the bundled OCR'd pages are. What OCR read is cached by the file's content
hash ($XJSEARCH_OCR_CACHE, else the per-user cache directory): an unchanged scan is never OCR'd
twice, whatever its name.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus.readers.layout import Box, page_text
from corpus.readers.source import RawDocument, Source, Unreadable

log = logging.getLogger(__name__)

CACHE_ENV = "XJSEARCH_OCR_CACHE"
# What read the boxes: a cache entry made by another engine or model is not used.
ENGINE = "rapidocr-onnxruntime PP-OCRv4"
# Scans are rendered or read at this many pixels per inch for OCR.
RENDER_DPI = 200
NOT_INSTALLED = "OCR is not installed — run: pip install -e '.[ocr]' (see the README)"


def cache_dir() -> Path:
    """Where OCR results are kept: $XJSEARCH_OCR_CACHE, else the per-user cache directory."""
    value = os.environ.get(CACHE_ENV, "").strip()
    if value:
        return Path(value).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("xjsearch", appauthor=False) / "ocr"


@functools.cache
def _engine() -> Any:
    """The OCR engine, loaded once (about a second) on the first scan."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise Unreadable(NOT_INSTALLED) from None
    return RapidOCR()


def recognise(image: Any) -> list[Box]:
    """The text boxes OCR finds in a PIL image."""
    import numpy

    result, _elapsed = _engine()(numpy.asarray(image.convert("RGB")))
    boxes = []
    for points, text, _score in result or ():
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        boxes.append(Box(float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys)), str(text)))
    return boxes


class OcrCache:
    """The OCR'd boxes of one file's pages, by the file's content hash."""

    def __init__(self, data: bytes) -> None:
        self.path = cache_dir() / f"{hashlib.sha256(data).hexdigest()}.json"
        self.pages: dict[str, list[list[Any]]] = {}
        try:
            entry = json.loads(self.path.read_text(encoding="utf-8"))
            if entry.get("engine") == ENGINE:
                self.pages = entry["pages"]
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def boxes(self, page: int) -> list[Box] | None:
        """The boxes of a page read before, or None."""
        found = self.pages.get(str(page))
        return None if found is None else [Box(*item) for item in found]

    def store(self, page: int, boxes: list[Box]) -> None:
        """Keep a page's boxes (written at once: a killed run keeps the pages it read)."""
        self.pages[str(page)] = [[b.x0, b.y0, b.x1, b.y1, b.text] for b in boxes]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".partial")
            partial.write_text(json.dumps({"engine": ENGINE, "pages": self.pages}, ensure_ascii=False), encoding="utf-8")
            partial.replace(self.path)
        except OSError as error:
            log.warning("OCR cache %s not written: %s", self.path, error)


def page_boxes(source: Source, cache: OcrCache, page: int, pages: int, image: Any) -> list[Box]:
    """A scanned page's boxes: from the cache, else by OCR (with a progress line per page)."""
    boxes = cache.boxes(page)
    if boxes is not None:
        source.found["pages OCR'd before (cached)"] += 1
        return boxes
    started = time.perf_counter()
    boxes = recognise(image() if callable(image) else image)
    cache.store(page, boxes)
    source.found["pages OCR'd"] += 1
    log.info("OCR %s page %d/%d: %d lines in %.1f s", source.name, page, pages, len(boxes), time.perf_counter() - started)
    return boxes


def read_image(source: Source) -> Iterator[RawDocument]:
    """A scanned page (or each page of a multi-page TIFF), OCR'd and put in reading order."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    data = source.read_all()
    cache = OcrCache(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                boxes = page_boxes(source, cache, number, frames, lambda: frame.copy())
                text = page_text(boxes)
                if text.strip():
                    yield RawDocument(text, page=number if frames > 1 else None)
    except UnidentifiedImageError as error:
        raise Unreadable("not a readable image (damaged, or no image)") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise Unreadable(f"not a readable image: {error}") from error
