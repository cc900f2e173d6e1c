"""A report page read back with ``html.parser``: every highlight element's
text and attributes, each article container's text, the embedded JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    inside: str | None = None  # the data-text of the article container it is in


@dataclass
class Page:
    marks: list[Element] = field(default_factory=list)        # every element carrying data-start
    containers: dict[str, str] = field(default_factory=dict)  # data-text → the container's text
    scripts: dict[str, str] = field(default_factory=dict)     # id of a <script> → its raw content
    ids: set[str] = field(default_factory=set)
    elements: list[Element] = field(default_factory=list)

    def marks_of(self, attribute: str, value: str) -> list[Element]:
        return [m for m in self.marks if m.attrs.get(attribute) == value]

    def text_of(self, attribute: str, value: str) -> str:
        """The text of the (first) element whose ``attribute`` is ``value``."""
        return next(e.text for e in self.elements if e.attrs.get(attribute) == value)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[Element] = []

    def handle_starttag(self, tag, attrs):
        el = Element(tag, {k: v or "" for k, v in attrs})
        container = next((e.attrs["data-text"] for e in reversed(self.stack) if "data-text" in e.attrs), None)
        el.inside = container
        if "id" in el.attrs:
            self.page.ids.add(el.attrs["id"])
        if tag in VOID:
            return
        self.stack.append(el)
        self.page.elements.append(el)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack and self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag if self.stack else None}>"
        el = self.stack.pop()
        if "data-start" in el.attrs:
            self.page.marks.append(el)
        if "data-text" in el.attrs:
            self.page.containers[el.attrs["data-text"]] = el.text
        if tag == "script" and "id" in el.attrs:
            self.page.scripts[el.attrs["id"]] = el.text

    def handle_data(self, data):
        for el in self.stack:
            el.text += data


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert not reader.stack, f"unclosed: {[e.tag for e in reader.stack]}"
    return reader.page


def embedded_text(page: Page, script_id: str) -> str:
    return json.loads(page.scripts[script_id])


EXTERNAL = re.compile(r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
                      r"""|url\(\s*["']?\s*(?!data:)[^)'"\s]|@import|<link\b|<script[^>]*\bsrc\s*=|<iframe|<object""",
                      re.IGNORECASE)


def external_references(html: str) -> list[str]:
    """Everything that would make the browser fetch something."""
    return [m.group(0) for m in EXTERNAL.finditer(html)]
