"""A small reader of the HTML the pages render: elements by tag and class, with text and attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    """One element: tag, attributes, its text and its inner HTML as written."""

    tag: str
    attrs: dict[str, str]
    text: str = ""
    inner: str = ""
    children: list["Element"] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        """The element's class names."""
        return set(self.attrs.get("class", "").split())


class _Reader(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.elements: list[Element] = []
        self.stack: list[tuple[Element, int]] = []
        self.lines = [0]
        for line in source.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if self.stack:
            self.stack[-1][0].children.append(element)
        if tag not in VOID:
            start = self._offset() + len(self.get_starttag_text() or "")
            self.stack.append((element, start))

    def handle_endtag(self, tag):
        while self.stack:
            element, start = self.stack.pop()
            element.inner = self.source[start:self._offset()]
            if element.tag == tag:
                break

    def handle_data(self, data):
        for element, _ in self.stack:
            element.text += data


def parse(source: str) -> list[Element]:
    """Every element of a page, in document order."""
    reader = _Reader(source)
    reader.feed(source)
    reader.close()
    return reader.elements


def select(source: str, tag: str, cls: str | None = None, **attrs: str) -> list[Element]:
    """The elements with this tag (and class, and attribute values)."""
    return [
        e for e in parse(source)
        if e.tag == tag and (cls is None or cls in e.classes)
        and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
    ]


def text(element: Element) -> str:
    """An element's text with runs of whitespace collapsed."""
    return " ".join(element.text.split())


def links(source: str, cls: str | None = None) -> list[tuple[str, str]]:
    """(href, text) of the links with this class."""
    return [(e.attrs.get("href", ""), text(e)) for e in select(source, "a", cls)]


def facet_boxes(source: str, facet: str) -> list[tuple[str, str, bool]]:
    """(value, label text, checked) of one facet's checkboxes in the filter form, in order."""
    out = []
    for label in select(source, "label", "facet-value"):
        box = label.children[0]
        if box.tag == "input" and box.attrs.get("type") == "checkbox" and box.attrs.get("name") == facet:
            out.append((box.attrs["value"], text(label), "checked" in box.attrs))
    return out


def facet_sets(source: str) -> dict[str, Element]:
    """The fieldset of each facet of the filter form, by facet name."""
    return {fs.children[0].attrs["id"].removeprefix("facet-"): fs for fs in select(source, "fieldset", "facet")}
