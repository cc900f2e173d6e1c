"""Webhook delivery (``verifier/service/webhooks.py``) against real loopback servers: delivered once,
retried on 5xx, bounded give-up, private addresses refused without a request, the HMAC signature."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from verifier.ingest import addresses
from verifier.service import webhooks


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch):
    monkeypatch.setattr(webhooks, "BACKOFF_BASE", 0.01)
    monkeypatch.setattr(webhooks, "BACKOFF_MAX", 0.05)


@contextmanager
def receiver(statuses: list[int], headers: dict[str, str] | None = None):
    """A loopback server answering POSTs with ``statuses`` in turn (the last repeats); records each request."""
    seen: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            seen.append({"path": self.path, "headers": dict(self.headers), "body": body})
            status = statuses[min(len(seen), len(statuses)) - 1]
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", seen
    finally:
        server.shutdown()
        server.server_close()


PAYLOAD = {"job": "j1", "status": "done", "text": "café"}


def test_delivered_once_on_200():
    with receiver([200]) as (url, seen):
        assert webhooks.deliver(url, PAYLOAD, allow_private=True) is True
    assert len(seen) == 1
    assert json.loads(seen[0]["body"]) == PAYLOAD and seen[0]["path"] == "/hook"
    assert seen[0]["headers"]["Content-Type"] == "application/json"
    assert "verifier/" in seen[0]["headers"]["User-Agent"]
    assert webhooks.SIGNATURE_HEADER not in seen[0]["headers"]


def test_retried_after_500_then_delivered():
    with receiver([500, 503, 200]) as (url, seen):
        assert webhooks.deliver(url, PAYLOAD, allow_private=True) is True
    assert len(seen) == 3


def test_429_retry_after_is_honoured_within_the_deadline():
    with receiver([429, 200], {"Retry-After": "0.04"}) as (url, seen):
        start = time.monotonic()
        assert webhooks.deliver(url, PAYLOAD, allow_private=True) is True
    assert len(seen) == 2 and time.monotonic() - start >= 0.04


def test_gives_up_after_attempts_in_bounded_time(caplog):
    with receiver([500]) as (url, seen):
        start = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="verifier"):
            ok = webhooks.deliver(url.replace("http://", "http://bob:hunter22@"), PAYLOAD, allow_private=True,
                                  attempts=3)
    assert ok is False and len(seen) == 3 and time.monotonic() - start < 5
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and "3 attempt(s)" in lines[0] and "HTTP 500" in lines[0]
    assert "hunter22" not in lines[0] and "café" not in lines[0] and "\n" not in lines[0]


def test_deadline_bounds_the_retries():
    with receiver([503], {"Retry-After": "30"}) as (url, seen):
        start = time.monotonic()
        assert webhooks.deliver(url, PAYLOAD, allow_private=True, deadline=0.5, attempts=50) is False
    assert time.monotonic() - start < 2


def test_4xx_is_not_retried_and_unreachable_does_not_raise():
    with receiver([404]) as (url, seen):
        assert webhooks.deliver(url, PAYLOAD, allow_private=True) is False
    assert len(seen) == 1
    with receiver([200]) as (url, _):
        pass  # the server is gone: connection refused
    assert webhooks.deliver(url, PAYLOAD, allow_private=True, attempts=2) is False


def test_private_address_refused_without_a_request(caplog):
    with receiver([200]) as (url, seen):
        with caplog.at_level(logging.WARNING, logger="verifier"):
            assert webhooks.deliver(url, PAYLOAD, allow_private=False) is False
        assert webhooks.deliver("http://169.254.169.254/latest", PAYLOAD, allow_private=False) is False
    assert seen == []
    assert "refused: 127.0.0.1 is a loopback address" in caplog.records[0].getMessage()


def test_redirects_are_not_followed():
    with receiver([200]) as (target, seen):
        with receiver([307], {"Location": target}) as (url, first):
            assert webhooks.deliver(url, PAYLOAD, allow_private=True) is False
    assert len(first) == 1 and seen == []


def test_public_name_is_pinned_to_the_checked_address(monkeypatch):
    real = addresses.blocked_reason
    monkeypatch.setattr(addresses, "blocked_reason", lambda a: None if a == "127.0.0.1" else real(a))
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["127.0.0.1"])
    with receiver([200]) as (url, seen):
        port = url.split(":")[2].split("/")[0]
        assert webhooks.deliver(f"http://hooks.example:{port}/hook", PAYLOAD, allow_private=False) is True
    assert seen[0]["headers"]["Host"] == f"hooks.example:{port}"


def test_signature_verifies():
    with receiver([200]) as (url, seen):
        assert webhooks.deliver(url, PAYLOAD, allow_private=True, secret="s3cr3t-key") is True
    body, header = seen[0]["body"], seen[0]["headers"][webhooks.SIGNATURE_HEADER]
    expected = "sha256=" + hmac.new(b"s3cr3t-key", body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(header, expected) and header == webhooks.sign(body, "s3cr3t-key")
