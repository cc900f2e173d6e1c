"""HTML pages: recognised by name or content, and reduced to their article body (trafilatura)."""

from __future__ import annotations

import logging
import re

from verifier.errors import InputError

HTML_SUFFIXES = (".html", ".htm")
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
        raise InputError(f"{source}: no article text found in this HTML page")
    return text
