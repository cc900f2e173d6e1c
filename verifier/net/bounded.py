"""HTTP with bounds: a size cap on a reply and total deadlines, enforced while reading.

``GuardedTransport`` (and ``AsyncGuardedTransport``) wraps an httpx2 transport:

* a size cap: a declared ``Content-Length`` over it is refused at once, and a
  body that grows over it (an endless or huge reply) is cut there: the request
  ends with ``ReplyTooLarge``, never read whole;
* a total time per request (``request_seconds``) and per answer (``deadline``,
  a context shared by every request made inside it): every wait (connect, each
  read) is shortened to the time that remains, and the time is checked between
  two pieces of the body, so a server that drips one byte a second ends at the
  deadline too (``DeadlinePassed``).  The connection itself is wrapped too
  (``_Backend``, in place of the pool's network backend): each read and write
  on the socket, response headers included, waits at most the time left of
  the request under way, so a silence or a drip in any part of the reply
  ends at the deadline, not one read timeout later.

Both errors are httpx2 transport errors, so a client library wraps them (the
openai SDK: ``APIConnectionError``, the error in its ``__cause__``).  Used by
the llm engine (``engines/llm/guard.py``: its caps and clients) and by URL
fetches (``ingest/fetch.py``).
"""

from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager
from typing import Iterator

import httpcore2
import httpx2

_current: contextvars.ContextVar = contextvars.ContextVar("verifier_request_clock", default=None)  # a _Clock
_deadline: contextvars.ContextVar[tuple[float, float, str] | None] = contextvars.ContextVar("verifier_deadline",
                                                                                      default=None)


class ReplyTooLarge(httpx2.TransportError):
    """A transport error, so that a client library wraps it; ``why`` says where the cap comes from."""

    def __init__(self, cap: int, why: str = ""):
        self.cap = cap
        super().__init__(f"the reply was larger than {cap:,} bytes{f' ({why})' if why else ''}; "
                         "it was not read further")


class DeadlinePassed(httpx2.TransportError):
    """A transport error (the SDK wraps it); ``final`` when the answer's deadline
    passed (nothing more is sent), else the request's (retried like a timeout)."""

    def __init__(self, seconds: float, what: str, final: bool):
        self.seconds, self.what, self.final = seconds, what, final
        super().__init__(f"the endpoint sent no complete reply within {seconds:g} s ({what})")


@contextmanager
def deadline(seconds: float | None, label: str = "the deadline") -> Iterator[None]:
    """Every request made inside shares one deadline ``seconds`` from now (``label``: what it is
    called in the error); an enclosing deadline, if any, stays (an article's covers its chunks)."""
    if not seconds or _deadline.get() is not None:
        yield
        return
    token = _deadline.set((time.monotonic() + seconds, seconds, label))
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

    def __init__(self, request_seconds: float | None, request_label: str):
        now = time.monotonic()
        self.at, self.seconds, self.what, self.final = float("inf"), 0.0, "", False
        if request_seconds:
            self.at, self.seconds, self.what = now + request_seconds, request_seconds, request_label
        outer = _deadline.get()
        if outer is not None and outer[0] <= self.at:
            self.at, self.seconds, self.what, self.final = outer[0], outer[1], outer[2], True

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


def _declared(response: httpx2.Response, cap: int, why: str) -> None:
    try:
        if int(response.headers.get("Content-Length", "0")) > cap:
            raise ReplyTooLarge(cap, why)
    except ValueError:
        pass


class _Body(httpx2.SyncByteStream):
    def __init__(self, inner, cap: int, why: str, clock: _Clock, request: httpx2.Request):
        self.inner, self.cap, self.why, self.clock, self.request = inner, cap, why, clock, request

    def __iter__(self) -> Iterator[bytes]:
        size = 0
        self.clock.shorten(self.request)
        for chunk in self.inner:
            size += len(chunk)
            if size > self.cap:
                raise ReplyTooLarge(self.cap, self.why)
            self.clock.shorten(self.request)
            yield chunk

    def close(self) -> None:
        self.inner.close()


class _AsyncBody(httpx2.AsyncByteStream):
    def __init__(self, inner, cap: int, why: str, clock: _Clock, request: httpx2.Request):
        self.inner, self.cap, self.why, self.clock, self.request = inner, cap, why, clock, request

    async def __aiter__(self):
        size = 0
        self.clock.shorten(self.request)
        async for chunk in self.inner:
            size += len(chunk)
            if size > self.cap:
                raise ReplyTooLarge(self.cap, self.why)
            self.clock.shorten(self.request)
            yield chunk

    async def aclose(self) -> None:
        await self.inner.aclose()


class GuardedTransport(httpx2.BaseTransport):
    def __init__(self, inner: httpx2.BaseTransport, cap: int, request_seconds: float | None, *,
                 why: str = "", request_label: str = "per request"):
        """``why``: where the cap comes from; ``request_label``: what ``request_seconds`` is called."""
        self.inner, self.cap, self.request_seconds = inner, cap, request_seconds
        self.why, self.request_label = why, request_label
        _wrap_backend(inner, _Backend)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        clock = _Clock(self.request_seconds, self.request_label)
        clock.shorten(request)
        _current.set(clock)  # for the connection's reads and writes, until the next request here
        response = self.inner.handle_request(request)
        try:
            _declared(response, self.cap, self.why)
        except ReplyTooLarge:
            response.close()
            raise
        return httpx2.Response(response.status_code, headers=response.headers, extensions=response.extensions,
                               stream=_Body(response.stream, self.cap, self.why, clock, request))

    def close(self) -> None:
        self.inner.close()


class AsyncGuardedTransport(httpx2.AsyncBaseTransport):
    def __init__(self, inner: httpx2.AsyncBaseTransport, cap: int, request_seconds: float | None, *,
                 why: str = "", request_label: str = "per request"):
        """``why``: where the cap comes from; ``request_label``: what ``request_seconds`` is called."""
        self.inner, self.cap, self.request_seconds = inner, cap, request_seconds
        self.why, self.request_label = why, request_label
        _wrap_backend(inner, _AsyncBackend)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        clock = _Clock(self.request_seconds, self.request_label)
        clock.shorten(request)
        _current.set(clock)
        response = await self.inner.handle_async_request(request)
        try:
            _declared(response, self.cap, self.why)
        except ReplyTooLarge:
            await response.aclose()
            raise
        return httpx2.Response(response.status_code, headers=response.headers, extensions=response.extensions,
                               stream=_AsyncBody(response.stream, self.cap, self.why, clock, request))

    async def aclose(self) -> None:
        await self.inner.aclose()




def guard(client, cap: int, request_seconds: float | None, *, why: str = "", request_label: str = "per request"):
    """Put every transport of an httpx2 ``client`` behind the bounds, its own and the proxies' it set up
    from the environment (``HTTPS_PROXY``...: httpx2 reads them only when no ``transport`` is given,
    so the client is built without one and wrapped here); returns the client."""
    wrapper = AsyncGuardedTransport if isinstance(client, httpx2.AsyncClient) else GuardedTransport

    def wrap(transport):
        if transport is None or isinstance(transport, wrapper):
            return transport
        return wrapper(transport, cap, request_seconds, why=why, request_label=request_label)

    client._transport = wrap(client._transport)
    client._mounts = {pattern: wrap(transport) for pattern, transport in client._mounts.items()}
    return client
