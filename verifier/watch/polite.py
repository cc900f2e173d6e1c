"""Fetching politely: robots.txt honoured, a delay between two requests to one host, conditional requests.

Every request goes through ``verifier/ingest/fetch.py`` (its User-Agent, its deadlines, its size cap).
``robots.txt`` is read once per host per pass (``Polite`` lives for one pass) with the same bounded
fetch: a 4xx answer (none there) allows everything, any other failure disallows the host for the pass
(RFC 9309: an unreachable robots.txt means "do not crawl").  Requests to one host are at least
``delay`` seconds apart, the robots.txt request included.  A page fetched before is asked for with
``If-None-Match`` / ``If-Modified-Since``: a 304 answer downloads nothing.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from urllib.parse import urlsplit, urlunsplit

from verifier.ingest import fetch as fetching
from verifier.ingest.article import MAX_BYTES

ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_TOKEN = "verifier"  # the product token robots.txt groups name (RFC 9309), not the whole User-Agent
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml")


class Disallowed(Exception):
    """robots.txt does not let this User-Agent fetch the address."""


class Polite:
    """One pass's fetcher: robots rules and the last request time per host."""

    def __init__(self, delay: float = 1.0, *, allow_private: bool = True, sleep=time.sleep):
        self.delay = delay
        self.allow_private = allow_private  # False: the address policy of ingest/addresses.py (the service)
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}  # rules, or why none
        self._lock = threading.Lock()

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> fetching.Page:
        """GET ``url`` conditionally; ``Disallowed`` when robots.txt says no; ``InputError`` on failure."""
        refused = self.refusal(url)
        if refused:
            raise Disallowed(refused)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._wait(url)
        return fetching.fetch(url, MAX_BYTES + 1, headers=headers, also=FEED_TYPES, allow_private=self.allow_private)

    def refusal(self, url: str) -> str | None:
        """Why robots.txt keeps us from ``url``; None when it may be fetched."""
        parts = urlsplit(url)
        host = parts.netloc
        if host not in self._robots:
            self._robots[host] = self._read_robots(urlunsplit((parts.scheme, host, "/robots.txt", "", "")))
        rules = self._robots[host]
        if isinstance(rules, str):
            return rules
        return None if rules.can_fetch(ROBOTS_TOKEN, url) else "robots.txt disallows it"

    def _read_robots(self, robots_url: str) -> urllib.robotparser.RobotFileParser | str:
        rules = urllib.robotparser.RobotFileParser(robots_url)
        self._wait(robots_url)
        try:
            page = fetching.fetch(robots_url, ROBOTS_MAX_BYTES, allow_private=self.allow_private, also=("*/*",))
        except fetching.HTTPStatus as exc:
            if 400 <= exc.status < 500:
                rules.allow_all = True
                return rules
            return f"its robots.txt could not be read (HTTP {exc.status}); the host is skipped this pass"
        except fetching.InputError:
            return "its robots.txt could not be read; the host is skipped this pass"
        rules.parse(page.data.decode("utf-8", "replace").splitlines())
        return rules

    def _wait(self, url: str) -> None:
        host = urlsplit(url).netloc
        with self._lock:
            last = self._last.get(host)
            if last is not None:
                gap = last + self.delay - time.monotonic()
                if gap > 0:
                    self._sleep(gap)
            self._last[host] = time.monotonic()
