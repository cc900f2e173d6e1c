"""Feeds: telling an RSS/Atom feed from an article page, and the items it lists (``feedparser``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from verifier.errors import InputError

# before the root element: a BOM, the XML declaration and other processing instructions (an
# <?xml-stylesheet?>), comments and a DOCTYPE
_XML_FEED = re.compile(rb"^(\xef\xbb\xbf)?\s*(<\?[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(rss|feed|rdf:RDF)[\s>]",
                       re.DOTALL | re.IGNORECASE)
MAX_ITEMS = 200


@dataclass(frozen=True)
class Item:
    url: str
    title: str | None


def is_feed(media: str, data: bytes) -> bool:
    """A feed by its media type (RSS, Atom, RDF) or, served as XML or text, by its first element."""
    if media in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return True
    if media in ("text/html", "application/xhtml+xml"):
        return False
    return bool(_XML_FEED.match(data[:4096]))


def items(data: bytes, feed_url: str) -> list[Item]:
    """The feed's items (their links made absolute, http(s) only, first seen kept), at most ``MAX_ITEMS``."""
    import feedparser

    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        raise InputError(f"{feed_url}: not a readable feed ({type(parsed.bozo_exception).__name__})")
    out: dict[str, Item] = {}
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link:
            continue
        url = urljoin(feed_url, link)
        if url.startswith(("http://", "https://")) and url not in out:
            out[url] = Item(url, (entry.get("title") or "").strip() or None)
    return list(out.values())[:MAX_ITEMS]
