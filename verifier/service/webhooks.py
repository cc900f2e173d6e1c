"""Calling a job's webhook: one JSON POST, retried, bounded, never raising.

The address passes the same policy as ``url`` inputs (``ingest/addresses.py``;
private addresses need ``VERIFIER_ALLOW_PRIVATE_URLS=1``) and redirects are
not followed.  Connection errors, timeouts, 429 and 5xx are retried with
exponential backoff (a ``Retry-After`` in seconds is honoured) for at most
``attempts`` tries and ``deadline`` seconds in all; the answer's body is read
up to 64 KB and dropped.  With ``secret``, the body is signed:
``X-Verifier-Signature: sha256=<hex HMAC-SHA256 of the body>``.  A delivery
that fails is one warning in the log (the address without credentials, never
the payload) and ``False``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time

from verifier.errors import InputError
from verifier.ingest.addresses import check_url, without_credentials
from verifier.ingest.fetch import USER_AGENT

log = logging.getLogger("verifier")
MAX_ANSWER = 64 * 1024
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


def deliver(url: str, payload: dict, *, allow_private: bool, deadline: float = 30.0, attempts: int = 4,
            secret: str | None = None, base_wait: float = 0.5) -> bool:
    """POST ``payload`` to ``url``; True once answered 2xx (see the module doc)."""
    import httpx2

    shown = without_credentials(url)
    try:
        check_url(url, allow_private=allow_private)
    except InputError as exc:
        log.warning("warning: webhook not called: %s", exc)
        return False
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if secret:
        headers["X-Verifier-Signature"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    stop_at = time.monotonic() + deadline
    last = "no attempt"
    with httpx2.Client(follow_redirects=False) as client:
        for attempt in range(attempts):
            left = stop_at - time.monotonic()
            if left <= 0:
                break
            wait = base_wait * 2 ** attempt
            try:
                with client.stream("POST", url, content=body, headers=headers,
                                   timeout=httpx2.Timeout(min(10.0, left))) as response:
                    _drain(response)
                    if response.is_success:
                        return True
                    last = f"HTTP {response.status_code}"
                    if response.status_code not in RETRY_STATUSES:
                        break
                    wait = _retry_after(response.headers.get("Retry-After"), wait)
            except httpx2.HTTPError as exc:
                last = type(exc).__name__
            if attempt + 1 < attempts:
                time.sleep(max(0.0, min(wait, stop_at - time.monotonic())))
    log.warning("warning: webhook %s failed (%s) after %d attempt(s)", shown, last, attempt + 1)
    return False


def _drain(response) -> None:
    read = 0
    for chunk in response.iter_bytes():
        read += len(chunk)
        if read >= MAX_ANSWER:
            break


def _retry_after(value: str | None, default: float) -> float:
    try:
        return max(0.0, float(value)) if value else default
    except ValueError:
        return default
