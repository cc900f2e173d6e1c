"""HTML pages: recognised by name or content, and reduced to their article body (trafilatura).

lxml (under trafilatura) stops at libxml2's nesting limit (256 elements deep) and drops everything
below, so a page nested deeper (300 ``div``s) read as having no text.  Such a page is read instead by
the standard library's tolerant ``HTMLParser``, which has no depth limit: the text outside
``script``/``style``/``nav``/``header``/``footer``/``aside``/``form``, a paragraph per block element,
with one warning on stderr.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

from verifier.errors import InputError

HTML_SUFFIXES = (".html", ".htm")
MAX_DEPTH = 255  # libxml2's limit: lxml keeps nothing nested deeper
_SKIPPED = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "head", "svg"}
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "blockquote",
           "tr", "pre", "main", "body"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
log = logging.getLogger("verifier")
_HTML_START = re.compile(r"\s*(<!doctype\s+html|<html[\s>])", re.IGNORECASE)


def looks_like_html(text: str, source: str = "") -> bool:
    return source.lower().endswith(HTML_SUFFIXES) or bool(_HTML_START.match(text[:1024]))


def html_to_text(html: str, source: str) -> str:
    """The article body of an HTML page (trafilatura), as plain text.  A page has none when trafilatura's
    precise mode without fallback extractors finds nothing: only navigation, links and boilerplate."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its complaints end as the one error below
    options = {"output_format": "txt", "include_comments": False, "include_tables": False}
    text = trafilatura.extract(html, **options)
    if not text or not text.strip() or not trafilatura.extract(html, fast=True, favor_precision=True, **options):
        deep = _DeepText.read(html)
        if deep.deepest > MAX_DEPTH and deep.text():
            log.warning("warning: %s: the page nests elements %d deep, past what lxml reads; its text was "
                        "taken by a plain tag strip", source, deep.deepest)
            return deep.text()
        raise InputError(f"{source}: no article text found in this HTML page")
    return text


class _DeepText(HTMLParser):
    """The text of a page nested past ``MAX_DEPTH``, and how deep it goes (one pass, no tree)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = self.deepest = self.skipping = 0
        self.parts: list[str] = []

    @classmethod
    def read(cls, html: str) -> _DeepText:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        if tag in _VOID:
            return
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)
        if tag in _SKIPPED or self.skipping:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        self.depth = max(0, self.depth - 1)
        self.skipping = max(0, self.skipping - 1) if self.skipping else 0
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        paragraphs = (" ".join(p.split()) for p in "".join(self.parts).split("\n\n"))
        return "\n\n".join(p for p in paragraphs if p)
