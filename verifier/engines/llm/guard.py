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
  deadline too (``DeadlinePassed``).  The connection itself is wrapped too
  (``_Backend``, in place of the pool's network backend): each read and write
  on the socket, response headers included, waits at most the time left of
  the request under way, so a silence or a drip in any part of the reply
  ends at the deadline, not one read timeout later.

The SDK wraps both in an ``APIConnectionError`` (their ``__cause__``), worded
by ``faults.describe``; ``retry.is_transient`` retries neither a reply over
the cap nor a passed answer deadline, and retries a request's own time as a
timeout.  A wait cut short by the deadline is a read timeout, retried, and the
next attempt then ends at once with ``DeadlinePassed``.
"""

from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager
from typing import Iterator

import httpcore2
import httpx2

DEFAULT_REPLY_CAP = 8 * 1024 * 1024  # bytes, when no max_tokens is set
REPLY_BASE = 64 * 1024  # the completion's envelope (ids, usage, refusal...) and margin
BATCH_FILE_CAP = 512 * 1024 * 1024  # a Batch API output file: many replies in one download
BYTES_PER_TOKEN = 32  # a token is a few characters; JSON escapes (\\uXXXX) at most 6 bytes each

_current: contextvars.ContextVar = contextvars.ContextVar("verifier_request_clock", default=None)  # a _Clock
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


def answer_time_left() -> float | None:
    """Seconds left before the answer's deadline (``deadline``), None without one: a backoff
    sleeps no longer than this (the next attempt then ends at once with ``DeadlinePassed``)."""
    outer = _deadline.get()
    return None if outer is None else max(0.0, outer[0] - time.monotonic())


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


def _left(timeout: float | None) -> float | None:
    """``timeout`` cut to the time left of the request under way (in this thread or task)."""
    clock = _current.get()
    if clock is None:
        return timeout
    left = clock.left()
    if left == float("inf"):
        return timeout
    return left if timeout is None else min(timeout, left)


def _timed_out() -> None:
    """After a wait that timed out: the deadline's own error, when it is what cut the wait."""
    clock = _current.get()
    if clock is not None and clock.at - time.monotonic() < 0.05:
        raise DeadlinePassed(clock.seconds, clock.what, clock.final)


class _Stream(httpcore2.NetworkStream):
    def __init__(self, inner):
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self.inner.read(max_bytes, _left(timeout))
        except httpcore2.ReadTimeout:
            _timed_out()
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _left(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, *args, **kwargs):
        return _Stream(self.inner.start_tls(*args, **kwargs))

    def get_extra_info(self, info: str):
        return self.inner.get_extra_info(info)


class _AsyncStream(httpcore2.AsyncNetworkStream):
    def __init__(self, inner):
        self.inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return await self.inner.read(max_bytes, _left(timeout))
        except httpcore2.ReadTimeout:
            _timed_out()
            raise

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self.inner.write(buffer, _left(timeout))

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def start_tls(self, *args, **kwargs):
        return _AsyncStream(await self.inner.start_tls(*args, **kwargs))

    def get_extra_info(self, info: str):
        return self.inner.get_extra_info(info)


class _Backend(httpcore2.NetworkBackend):
    def __init__(self, inner):
        self.inner = inner

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _Stream(self.inner.connect_tcp(host, port, _left(timeout), local_address, socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _Stream(self.inner.connect_unix_socket(path, _left(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class _AsyncBackend(httpcore2.AsyncNetworkBackend):
    def __init__(self, inner):
        self.inner = inner

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _AsyncStream(await self.inner.connect_tcp(host, port, _left(timeout), local_address, socket_options))

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _AsyncStream(await self.inner.connect_unix_socket(path, _left(timeout), socket_options))

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def _wrap_backend(transport, wrapper) -> None:
    """Put ``wrapper`` around the network backend of ``transport``'s pool (an httpx2 transport's)."""
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is not None and not isinstance(backend, (_Backend, _AsyncBackend)):
        pool._network_backend = wrapper(backend)


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
        _wrap_backend(inner, _Backend)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        clock = _Clock(self.request_seconds)
        clock.shorten(request)
        _current.set(clock)  # for the connection's reads and writes, until the next request here
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
        _wrap_backend(inner, _AsyncBackend)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        clock = _Clock(self.request_seconds)
        clock.shorten(request)
        _current.set(clock)
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
