"""Reading order of a printed page: text boxes (from a PDF's text layer or from OCR) → lines in columns.

A recursive XY-cut (Nagy and Seth's page segmentation): a region is cut first at a vertical gutter
that runs through all of it (columns, read left to right), else at its widest horizontal gap if
that gap is clearly wider than the gaps between lines (a headline across columns, read top to
bottom). What is left is a block of lines, read top to bottom. The text comes out as the bundled
OCR pages are written, so corpus.page splits it the same way: one line per printed line, a blank
line before each paragraph (indented, or after a wider gap) and between blocks.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

# A gutter is at least this many character heights wide (narrower gaps, as after a full-width
# comma, join boxes into one piece of a line); a gap between blocks at least this many times the
# median gap between lines.
GUTTER_SHARE = 1.0
BLOCK_GAP_FACTOR = 1.6
# A line starting this many character heights right of its block's left edge is indented.
INDENT_SHARE = 1.2
# Two boxes are on one line when their vertical overlap is this share of the smaller one.
LINE_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class Box:
    """A piece of text on a page and where it stands (y grows downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        """The box's height: the size of its characters, for a line of text."""
        return self.y1 - self.y0


def _gaps(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The uncovered intervals between sorted spans (start, end)."""
    gaps = []
    spans = sorted(spans)
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start > reach:
            gaps.append((reach, start))
        reach = max(reach, end)
    return gaps


def _lines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into lines (by vertical overlap), top to bottom, each left to right."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        if lines:
            last = lines[-1]
            top, bottom = min(b.y0 for b in last), max(b.y1 for b in last)
            overlap = min(bottom, box.y1) - max(top, box.y0)
            if overlap >= LINE_OVERLAP * min(bottom - top, box.height):
                last.append(box)
                continue
        lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _blocks(boxes: list[Box], char: float, line_gap: float) -> list[list[Box]]:
    """The page's blocks in reading order, by recursive XY-cut."""
    out: list[list[Box]] = []
    pending = [boxes]
    while pending:
        region = pending.pop()
        if len(region) > 1:
            columns = [g for g in _gaps([(b.x0, b.x1) for b in region]) if g[1] - g[0] >= GUTTER_SHARE * char]
            if columns:
                cuts = [g[0] for g in columns]
                parts: list[list[Box]] = [[] for _ in range(len(cuts) + 1)]
                for box in region:
                    parts[sum(1 for cut in cuts if box.x0 > cut)].append(box)
                pending.extend(reversed(parts))
                continue
            rows = _gaps([(b.y0, b.y1) for b in region])
            if rows:
                widest = max(rows, key=lambda g: g[1] - g[0])
                if widest[1] - widest[0] > BLOCK_GAP_FACTOR * line_gap:
                    above = [b for b in region if b.y1 <= widest[0]]
                    below = [b for b in region if b.y1 > widest[0]]
                    pending.extend((below, above))
                    continue
        out.append(region)
    return out


def page_text(boxes: list[Box]) -> str:
    """The text of a page's boxes in reading order, one printed line a line, paragraphs apart."""
    boxes = [b for b in boxes if b.text.strip() and b.x1 > b.x0 and b.y1 > b.y0]
    if not boxes:
        return ""
    char = statistics.median(b.height for b in boxes)
    all_lines = _lines(boxes)
    pieces = [piece for line in all_lines for piece in _pieces(line, char)]
    between = [
        max(0.0, min(b.y0 for b in low) - max(b.y1 for b in high))
        for high, low in zip(all_lines, all_lines[1:])
    ]
    # Gaps between lines of one column; lines side by side in other columns overlap (gap 0).
    line_gap = statistics.median([g for g in between if g > 0] or [char * 0.3])
    out: list[str] = []
    for block in _blocks(pieces, char, line_gap):
        lines = _lines(block)
        left = min(b.x0 for b in block)
        previous_bottom: float | None = None
        if out:
            out.append("")
        for line in lines:
            top = min(b.y0 for b in line)
            indented = line[0].x0 - left >= INDENT_SHARE * char * 0.8
            wide_gap = previous_bottom is not None and top - previous_bottom > BLOCK_GAP_FACTOR * line_gap
            if previous_bottom is not None and (indented or wide_gap):
                out.append("")
            out.append(("  " if indented else "") + _join(line, char))
            previous_bottom = max(b.y1 for b in line)
    return "\n".join(out) + "\n"


def _pieces(line: list[Box], char: float) -> list[Box]:
    """A line's boxes joined where they stand closer than a gutter: pieces of text within one column."""
    pieces: list[list[Box]] = [[line[0]]]
    for before, box in zip(line, line[1:]):
        if box.x0 - before.x1 < GUTTER_SHARE * char:
            pieces[-1].append(box)
        else:
            pieces.append([box])
    return [
        Box(min(b.x0 for b in p), min(b.y0 for b in p), max(b.x1 for b in p), max(b.y1 for b in p), _join(p, char))
        for p in pieces
    ]


def _join(line: list[Box], char: float) -> str:
    """The text of one line's boxes, a space where they stand apart."""
    text = line[0].text.strip()
    for before, box in zip(line, line[1:]):
        text += (" " if box.x0 - before.x1 > 0.5 * char else "") + box.text.strip()
    return text
