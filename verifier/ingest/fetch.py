"""Fetching an article from an ``http://`` or ``https://`` address.

One GET with httpx2: redirects followed (at most ``MAX_REDIRECTS``), ``TIMEOUT``
seconds at most to connect or between two reads, an honest User-Agent, and the
body streamed and cut after ``max_bytes`` (the caller refuses what is too large).
Only HTML pages and plain text are accepted; every failure (DNS, connection,
TLS, timeout, HTTP status, content type) is an ``InputError`` of one line.
With ``allow_private=False`` (the service) every request, each redirect
included, is checked by ``addresses.check_url`` before it is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier import __version__
from verifier.errors import InputError

TIMEOUT = 20.0
MAX_REDIRECTS = 5
USER_AGENT = f"Mozilla/5.0 (compatible; verifier/{__version__})"
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")
_HINT = "check the address or your network connection"


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    data: bytes  # at most max_bytes
    charset: str | None  # from the Content-Type header
    html: bool | None  # True: served as an HTML page; None: plain text or no type, judged from the content


def fetch(url: str, max_bytes: int, *, allow_private: bool = True) -> Page:
    """GET ``url``; see the module doc."""
    import httpx2

    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"}
    transport = None if allow_private else _Guarded(httpx2.HTTPTransport(), url)
    try:
        with httpx2.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=TIMEOUT,
                           headers=headers, transport=transport) as client, \
                client.stream("GET", url) as response:
            if not response.is_success:
                raise InputError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
            html = _kind(url, response.headers.get("Content-Type"))
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) >= max_bytes:
                    break
            return Page(str(response.url), bytes(data[:max_bytes]), response.charset_encoding, html)
    except httpx2.TooManyRedirects:
        raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
    except httpx2.TimeoutException:
        raise InputError(f"cannot fetch {url}: no answer within {TIMEOUT:g} s; {_HINT}") from None
    except (httpx2.HTTPError, httpx2.InvalidURL) as exc:
        reason = re.sub(r"\[Errno -?\d+\]\s*", "", str(exc)).strip().rstrip(".") or type(exc).__name__
        raise InputError(f"cannot fetch {url}: {reason}; {_HINT}") from None


class _Guarded:
    """A transport that checks each request's address (the first and every redirect) before sending it."""

    def __init__(self, inner, first: str):
        self.inner, self.first = inner, first

    def handle_request(self, request):
        from verifier.ingest.addresses import check_url

        check_url(str(request.url), allow_private=False, via=self.first)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _kind(url: str, content_type: str | None) -> bool | None:
    """True for an HTML page; None for plain text or no type (a raw HTML file served as text/plain is still
    recognised from its content, as a local file is); anything else is refused."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in HTML_TYPES:
        return True
    if not media or media in TEXT_TYPES:
        return None
    raise InputError(f"{url}: the server sent {media}, not an HTML page or plain text; "
                     "give the address of the article's web page, or its text as a file")
