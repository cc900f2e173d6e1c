"""Webhook delivery: ``deliver(url, payload, ...)`` POSTs a job's result when the job ends.

The URL passes the address policy of ``verifier/ingest/addresses.py`` (private, loopback, link-local,
metadata... refused unless ``allow_private``), the connection is pinned to the checked address, and
redirects are not followed.  Connection errors, timeouts, 429 and 5xx are retried with tenacity
(exponential backoff from ``BACKOFF_BASE`` capped at ``BACKOFF_MAX``; a ``Retry-After`` in seconds is
honoured when it fits), all within ``deadline`` seconds overall.  At most ``MAX_BODY`` bytes of the
answer are read, then discarded.  It returns True on a 2xx answer; otherwise one warning line on the
``verifier`` logger (no payload, no credentials of the URL) and False: it never raises for network errors.

Signature: with ``secret``, the request carries ``X-Verifier-Signature: sha256=<hex>``, the HMAC-SHA256
of the exact body bytes under ``secret``; the receiver recomputes it over the raw body and compares
with ``hmac.compare_digest``.  The body is JSON (UTF-8, ``Content-Type: application/json``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from urllib.parse import urlsplit

import tenacity

from verifier.errors import InputError, redact
from verifier.ingest import addresses
from verifier.ingest.fetch import USER_AGENT

log = logging.getLogger("verifier")

BACKOFF_BASE = 0.5  # seconds before the second attempt; doubled each time
BACKOFF_MAX = 8.0  # longest single wait (Retry-After included)
MAX_BODY = 64 * 1024
SIGNATURE_HEADER = "X-Verifier-Signature"


class _Transient(Exception):
    """A failure worth another attempt (connection, timeout, 429, 5xx)."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class _Final(Exception):
    """A failure not worth retrying (another status, an invalid request)."""


def sign(body: bytes, secret: str) -> str:
    """The ``X-Verifier-Signature`` value for ``body``: ``sha256=<hex HMAC-SHA256>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(url: str, payload: dict, *, allow_private: bool, deadline: float = 30.0, attempts: int = 4,
            secret: str | None = None) -> bool:
    """POST ``payload`` as JSON to ``url``; see the module doc.  True when a 2xx answer came."""
    import httpx2

    shown = addresses.safe_url(url)
    start = time.monotonic()
    try:
        checked = addresses.check(url, allow_private=allow_private)
    except InputError as exc:
        log.warning("webhook not delivered: %s", exc)
        return False
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"User-Agent": USER_AGENT, "Content-Type": "application/json"}
    if secret:
        headers[SIGNATURE_HEADER] = sign(body, secret)
    target, extensions = url, {}
    if checked:
        target, extensions, headers["Host"] = addresses.pinned(url, checked[0])

    def remaining() -> float:
        return deadline - (time.monotonic() - start)

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        backoff = min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (state.attempt_number - 1))
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            backoff = min(BACKOFF_MAX, max(backoff, exc.retry_after))
        return backoff

    def stop(state: tenacity.RetryCallState) -> bool:
        return state.attempt_number >= attempts or wait(state) >= remaining() - 0.05

    def attempt(client) -> None:
        left = remaining()
        if left <= 0:
            raise _Transient("deadline reached")
        try:
            with client.stream("POST", target, content=body, headers=headers, extensions=extensions,
                               timeout=httpx2.Timeout(left)) as response:
                read = 0
                for chunk in response.iter_bytes():
                    read += len(chunk)
                    if read >= MAX_BODY:
                        break
                status = response.status_code
                if 200 <= status < 300:
                    return
                reason = f"HTTP {status} {response.reason_phrase}".rstrip()
                if status == 429 or status >= 500:
                    raise _Transient(reason, _retry_after(response.headers.get("Retry-After")))
                raise _Final(reason)
        except httpx2.TransportError as exc:
            raise _Transient(type(exc).__name__ + (f": {exc}" if str(exc) else "")) from None
        except (httpx2.HTTPError, httpx2.InvalidURL) as exc:
            raise _Final(type(exc).__name__) from None

    retrying = tenacity.Retrying(stop=stop, wait=wait, retry=tenacity.retry_if_exception_type(_Transient),
                                 reraise=True)
    count = 0
    try:
        with httpx2.Client(follow_redirects=False, trust_env=False) as client:
            for state in retrying:
                with state:
                    count += 1
                    attempt(client)
        return True
    except (_Transient, _Final) as exc:
        reason = redact(str(exc).replace(url, shown), [_password(url)])
        log.warning("webhook %s not delivered after %d attempt(s): %s", shown, count, reason)
        return False


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None
