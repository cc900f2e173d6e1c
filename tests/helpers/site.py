"""A loopback news site for the watch tests: real HTTP on 127.0.0.1, a feed and its article pages.

Pages can be changed, removed, made to fail (a status) or slow between passes.  The server answers
conditional requests (``If-None-Match`` against an ETag made from the body, ``If-Modified-Since``
against the time the page last changed) and counts, per path, the requests, the 200 and 304 answers,
the request headers and when each request came (``time.monotonic``)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter, defaultdict
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

MAX_HOLD = 30.0  # the longest a slow page is held


class Site:
    def __init__(self):
        self.pages: dict[str, tuple[str, bytes, float]] = {}  # path -> (content type, body, changed at)
        self.status: dict[str, int] = {}  # path -> forced status
        self.hold: dict[str, float] = {}  # path -> seconds before answering
        self.robots: str | None = None  # None: robots.txt is a 404
        self.robots_type = "text/plain"
        self.requests: Counter = Counter()
        self.answers: dict[str, Counter] = defaultdict(Counter)
        self.headers: dict[str, list[dict]] = defaultdict(list)
        self.times: dict[str, list[float]] = defaultdict(list)
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                site._answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def put(self, path: str, body: str, content_type: str = "text/html; charset=utf-8") -> None:
        with self.lock:
            old = self.pages.get(path)
            data = body.encode("utf-8")
            # a second's resolution, as HTTP dates have: a change is always a later second
            changed = time.time() if old is None else max(time.time(), old[2] + 1)
            if old is None or old[1] != data:
                self.pages[path] = (content_type, data, changed)

    def remove(self, path: str) -> None:
        with self.lock:
            self.pages.pop(path, None)

    def feed(self, path: str, items: list[tuple[str, str]]) -> None:
        """An RSS 2.0 feed listing ``(title, path)`` items."""
        entries = "".join(f"<item><title>{escape(t)}</title><link>{escape(self.url(p))}</link>"
                          f"<guid>{escape(self.url(p))}</guid></item>" for t, p in items)
        self.put(path, f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Le Journal'
                       f"</title><link>{self.base}/</link><description>news</description>{entries}</channel></rss>",
                 "application/rss+xml; charset=utf-8")

    def reset_counts(self) -> None:
        with self.lock:
            self.requests.clear()
            self.answers.clear()
            self.headers.clear()
            self.times.clear()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self.lock:
            self.requests[path] += 1
            self.headers[path].append({k.lower(): v for k, v in handler.headers.items()})
            self.times[path].append(time.monotonic())
            page = self.pages.get(path)
            status = self.status.get(path)
            hold = self.hold.get(path, 0.0)
        if hold:
            time.sleep(min(hold, MAX_HOLD))
        if path == "/robots.txt" and not status:
            if self.robots is None:
                return self._send(handler, path, 404, b"not found", "text/plain")
            return self._send(handler, path, 200, self.robots.encode(), self.robots_type)
        if status:
            return self._send(handler, path, status, b"failure", "text/plain")
        if page is None:
            return self._send(handler, path, 404, b"not found", "text/plain")
        content_type, body, changed = page
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        last_modified = formatdate(changed, usegmt=True)
        match = handler.headers.get("If-None-Match")
        since = handler.headers.get("If-Modified-Since")
        if match is not None:
            fresh = match == etag
        elif since is not None:
            fresh = int(changed) <= int(parsedate_to_datetime(since).timestamp())
        else:
            fresh = False
        if fresh:
            return self._send(handler, path, 304, b"", None, {"ETag": etag, "Last-Modified": last_modified})
        self._send(handler, path, 200, body, content_type, {"ETag": etag, "Last-Modified": last_modified})

    def _send(self, handler, path: str, status: int, body: bytes, content_type: str | None,
              headers: dict | None = None) -> None:
        with self.lock:
            self.answers[path][status] += 1
        handler.send_response(status)
        if content_type:
            handler.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            handler.send_header(k, v)
        if status != 304:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if status != 304:
            try:
                handler.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def page(title: str, paragraphs: list[str], chrome: str = "") -> str:
    """A news page: the article in ``<article>``, ``chrome`` (a timestamp, an ad) in ``<nav>`` and ``<aside>``."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
            f"<body><nav><a href=\"/\">Accueil</a> <span>{escape(chrome)}</span></nav>"
            f"<main><article><h1>{escape(title)}</h1>{body}</article></main>"
            f"<aside><p>Publicité : {escape(chrome)}</p></aside><footer>© Le Journal</footer></body></html>")
