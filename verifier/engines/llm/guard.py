"""Bounds on what one endpoint may cost: a reply's size and the time it takes.

``GuardedTransport`` wraps the httpx2 transport of the clients the engine
builds and enforces, while the reply is being read:

* a size cap (``reply_cap``): a declared ``Content-Length`` over it is refused
  at once, and a body that grows over it (an endless or huge reply) is cut
  there: the request ends with ``ReplyTooLarge``, never read whole;
* a total time per request (``VERIFIER_TIMEOUT``) and per answer (the
  ``--timeout`` deadline, ``deadline``): every wait (connect, each read) is
  shortened to the time that remains, and the time is checked between two
  pieces of the body, so a server that drips one byte a second ends at the
  deadline too (``DeadlinePassed``).

The SDK wraps both in an ``APIConnectionError`` (their ``__cause__``), which
is not retried (``retry.is_transient``) and is worded by ``faults.describe``.
"""

from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager
from typing import Iterator

import httpx2

DEFAULT_REPLY_CAP = 8 * 1024 * 1024  # bytes, when no max_tokens is set
REPLY_BASE = 64 * 1024  # the completion's envelope (ids, usage, refusal...) and margin
BATCH_FILE_CAP = 512 * 1024 * 1024  # a Batch API output file: many replies in one download
BYTES_PER_TOKEN = 32  # a token is a few characters; JSON escapes (\\uXXXX) at most 6 bytes each

_deadline: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar("verifier_deadline",
                                                                                      default=None)


def reply_cap(max_tokens: int | None) -> int:
    """The most bytes a reply may have: 64 KiB + 32 bytes per token of
    ``max_tokens`` (a token is at most a few characters, each at most 6 bytes
    in JSON), else 8 MiB, ~2,000 pages of JSON."""
    return REPLY_BASE + BYTES_PER_TOKEN * max_tokens if max_tokens else DEFAULT_REPLY_CAP


class ReplyTooLarge(httpx2.TransportError):
    """A transport error, so that the SDK wraps it (``APIConnectionError``); not retried."""

    def __init__(self, cap: int):
        self.cap = cap
        super().__init__(f"the endpoint's reply was larger than {cap:,} bytes (the cap, "
                         "from VERIFIER_MAX_TOKENS: 64 KiB + 32 bytes a token, else 8 MiB); it was not read further")


class DeadlinePassed(httpx2.TransportError):
    """A transport error (the SDK wraps it); ``final`` when the answer's deadline
    passed (nothing more is sent), else the request's (retried like a timeout)."""

    def __init__(self, seconds: float, what: str, final: bool):
        self.seconds, self.what, self.final = seconds, what, final
        super().__init__(f"the endpoint sent no complete reply within {seconds:g} s ({what})")


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Every request made inside shares one deadline ``seconds`` from now;
    an enclosing deadline, if any, stays (an article's covers its chunks)."""
    if not seconds or _deadline.get() is not None:
        yield
        return
    token = _deadline.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


class _Clock:
    """The deadline of one request: its own total, or the answer's, whichever is first."""

    def __init__(self, request_seconds: float | None):
        now = time.monotonic()
        self.at, self.seconds, self.what, self.final = float("inf"), 0.0, "", False
        if request_seconds:
            self.at, self.seconds, self.what = now + request_seconds, request_seconds, "VERIFIER_TIMEOUT, per request"
        outer = _deadline.get()
        if outer is not None and outer[0] <= self.at:
            self.at, self.seconds, self.what, self.final = outer[0], outer[1], "--timeout, per answer", True

    def left(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise DeadlinePassed(self.seconds, self.what, self.final)
        return left

    def shorten(self, request: httpx2.Request) -> None:
        """Every wait of ``request`` at most the time left (httpcore reads these at each wait)."""
        left = self.left()
        if left == float("inf"):
            return
        timeouts = request.extensions.get("timeout")
        if not isinstance(timeouts, dict):
            timeouts = request.extensions["timeout"] = {}
        for name in ("connect", "read", "write", "pool"):
            current = timeouts.get(name)
            timeouts[name] = left if current is None else min(current, left)


def _declared(response: httpx2.Response, cap: int) -> None:
    try:
        if int(response.headers.get("Content-Length", "0")) > cap:
            raise ReplyTooLarge(cap)
    except ValueError:
        pass


class _Body(httpx2.SyncByteStream):
    def __init__(self, inner, cap: int, clock: _Clock, request: httpx2.Request):
        self.inner, self.cap, self.clock, self.request = inner, cap, clock, request

    def __iter__(self) -> Iterator[bytes]:
        size = 0
        self.clock.shorten(self.request)
        for chunk in self.inner:
            size += len(chunk)
            if size > self.cap:
                raise ReplyTooLarge(self.cap)
            self.clock.shorten(self.request)
            yield chunk

    def close(self) -> None:
        self.inner.close()


class _AsyncBody(httpx2.AsyncByteStream):
    def __init__(self, inner, cap: int, clock: _Clock, request: httpx2.Request):
        self.inner, self.cap, self.clock, self.request = inner, cap, clock, request

    async def __aiter__(self):
        size = 0
        self.clock.shorten(self.request)
        async for chunk in self.inner:
            size += len(chunk)
            if size > self.cap:
                raise ReplyTooLarge(self.cap)
            self.clock.shorten(self.request)
            yield chunk

    async def aclose(self) -> None:
        await self.inner.aclose()


class GuardedTransport(httpx2.BaseTransport):
    def __init__(self, inner: httpx2.BaseTransport, cap: int, request_seconds: float | None):
        self.inner, self.cap, self.request_seconds = inner, cap, request_seconds

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        clock = _Clock(self.request_seconds)
        clock.shorten(request)
        response = self.inner.handle_request(request)
        try:
            _declared(response, self.cap)
        except ReplyTooLarge:
            response.close()
            raise
        return httpx2.Response(response.status_code, headers=response.headers, extensions=response.extensions,
                               stream=_Body(response.stream, self.cap, clock, request))

    def close(self) -> None:
        self.inner.close()


class AsyncGuardedTransport(httpx2.AsyncBaseTransport):
    def __init__(self, inner: httpx2.AsyncBaseTransport, cap: int, request_seconds: float | None):
        self.inner, self.cap, self.request_seconds = inner, cap, request_seconds

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        clock = _Clock(self.request_seconds)
        clock.shorten(request)
        response = await self.inner.handle_async_request(request)
        try:
            _declared(response, self.cap)
        except ReplyTooLarge:
            await response.aclose()
            raise
        return httpx2.Response(response.status_code, headers=response.headers, extensions=response.extensions,
                               stream=_AsyncBody(response.stream, self.cap, clock, request))

    async def aclose(self) -> None:
        await self.inner.aclose()


def client(cap: int, request_seconds: float | None):
    """An ``httpx2.Client`` as the SDK would build, through a ``GuardedTransport``."""
    import openai

    return openai.DefaultHttpxClient(transport=GuardedTransport(httpx2.HTTPTransport(), cap, request_seconds))


def async_client(cap: int, request_seconds: float | None):
    import openai

    return openai.DefaultAsyncHttpxClient(
        transport=AsyncGuardedTransport(httpx2.AsyncHTTPTransport(), cap, request_seconds))
