"""Fetching an article from an ``http://`` or ``https://`` address.

One GET with httpx2: redirects followed (at most ``MAX_REDIRECTS``), ``TIMEOUT``
seconds at most to connect or between two reads and ``DEADLINE`` seconds for the
whole fetch, redirects included: every wait on the socket, headers included, is
cut to the time left (``verifier/net/bounded.py``, as for the llm engine's
endpoints), so a server that drips its headers or its page a byte at a time ends
there.  An honest User-Agent, and the body streamed and cut after ``max_bytes``
(the caller refuses what is too large; a declared ``Content-Length`` far over it
is refused before the body is read).
Only HTML pages and plain text are accepted (and the ``also`` media types a caller names, e.g. feeds);
every failure (DNS, connection, TLS, timeout, HTTP status, content type) is an ``InputError`` of one
line (``HTTPStatus``, which carries the status, for an answer that is not a success).

``headers`` adds request headers (``If-None-Match``, ``If-Modified-Since``): a ``304 Not Modified``
answer is then a ``Page`` with ``status`` 304 and no data.  ``Page`` also carries the validators
(``etag``, ``last_modified``) and the media type, for the watcher (``verifier/watch/polite.py``).

With ``allow_private=False`` (the service, unless ``VERIFIER_ALLOW_PRIVATE_URLS=1``) every hop passes
the address policy of ``addresses.py``: redirects are followed here, one by one, each target checked,
and each connection goes to the address that was checked (the URL's host replaced by it, the Host
header and TLS SNI kept on the name, so the certificate is still verified for the name).  The CLI
keeps ``allow_private=True``: a local user may fetch from their own machine.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urljoin

from verifier import __version__
from verifier.errors import InputError
from verifier.ingest import addresses
from verifier.net import bounded

TIMEOUT = 20.0
DEADLINE = 60.0  # seconds for the whole fetch, redirects included
CAP_MARGIN = 1024 * 1024  # a declared Content-Length this far over max_bytes is refused unread
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
    status: int = 200  # 304: not modified (only when conditional ``headers`` were sent); data is then empty
    etag: str | None = None
    last_modified: str | None = None
    media: str = ""  # the Content-Type's media type, lower case


class HTTPStatus(InputError):
    """The server answered with a status that is not a success (nor an expected 304)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def fetch(url: str, max_bytes: int, *, allow_private: bool | None = True, headers: dict | None = None,
          also: tuple[str, ...] = ()) -> Page:
    """GET ``url``; see the module doc.  ``allow_private=None``: as ``VERIFIER_ALLOW_PRIVATE_URLS`` says.
    ``headers``: extra request headers; ``also``: media types accepted besides HTML and text (``html`` None;
    ``*/*``: any type)."""
    import httpx2

    if allow_private is None:
        allow_private = addresses.private_urls_allowed()
    shown = addresses.safe_url(url)
    ends = time.monotonic() + DEADLINE
    accept = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"
    if also:
        accept = ",".join(also) + "," + accept
    headers = {"User-Agent": USER_AGENT, "Accept": accept, **(headers or {})}
    try:
        with bounded.deadline(DEADLINE, "the whole fetch"):
            return _get(url, shown, max_bytes, ends, allow_private, headers, also)
    except httpx2.TooManyRedirects:
        raise InputError(f"{shown}: more than {MAX_REDIRECTS} redirects") from None
    except (_TooSlow, bounded.DeadlinePassed):
        raise InputError(f"cannot fetch {shown}: the page did not arrive whole within {DEADLINE:g} s; {_HINT}") from None
    except bounded.ReplyTooLarge:
        raise InputError(f"{shown}: the page is larger than {max_bytes - 1:,} bytes (its Content-Length)") from None
    except httpx2.TimeoutException:
        raise InputError(f"cannot fetch {shown}: no answer within {TIMEOUT:g} s; {_HINT}") from None
    except (httpx2.HTTPError, httpx2.InvalidURL) as exc:
        reason = re.sub(r"\[Errno -?\d+\]\s*", "", str(exc)).strip().rstrip(".") or type(exc).__name__
        raise InputError(f"cannot fetch {shown}: {reason}; {_HINT}") from None


def _get(url: str, shown: str, max_bytes: int, ends: float, allow_private: bool, headers: dict,
         also: tuple[str, ...] = ()) -> Page:
    import httpx2

    cap = max_bytes + CAP_MARGIN
    if allow_private:
        client = httpx2.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=TIMEOUT, headers=headers)
        with bounded.guard(client, cap, None) as client, client.stream("GET", url) as response:
            return _page(shown, response, max_bytes, ends=ends, also=also)
    client = httpx2.Client(follow_redirects=False, timeout=TIMEOUT, headers=headers)
    with bounded.guard(client, cap, None) as client:
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            try:
                checked = addresses.check(current)
            except InputError as exc:
                if hop == 0 or not str(exc).startswith(addresses.safe_url(current)):
                    raise
                raise InputError(f"{shown} redirected to {exc}") from None
            target, extensions, host_header = addresses.pinned(current, checked[0])
            with client.stream("GET", target, headers={"Host": host_header},
                               extensions=extensions) as response:
                location = response.headers.get("Location")
                if response.is_redirect and location:
                    current = urljoin(current, location)
                    continue
                return _page(shown, response, max_bytes, final=current, ends=ends, also=also)
        raise httpx2.TooManyRedirects("too many redirects")


class _TooSlow(Exception):
    pass


def _page(shown: str, response, max_bytes: int, final: str | None = None, ends: float = float("inf"),
          also: tuple[str, ...] = ()) -> Page:
    validators = {"etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified")}
    if response.status_code == 304 and any(k.lower().startswith("if-") for k in response.request.headers):
        return Page(final or str(response.url), b"", None, None, status=304, **validators)
    if not response.is_success:
        raise HTTPStatus(f"{shown}: HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                         response.status_code)
    media = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    html = None if media and (media in also or "*/*" in also) else _kind(shown, response.headers.get("Content-Type"))
    data = bytearray()
    for chunk in response.iter_bytes():
        data += chunk
        if len(data) >= max_bytes:
            break
        if time.monotonic() > ends:
            raise _TooSlow()
    return Page(final or str(response.url), bytes(data[:max_bytes]), response.charset_encoding, html,
                status=response.status_code, media=media, **validators)


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
