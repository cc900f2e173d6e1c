"""Job webhooks (``service/webhooks.py``) against a real loopback receiver: delivered, retried, given up
in bounded time, refused for a private address unless allowed, signed."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from verifier.service.webhooks import deliver


class Receiver(BaseHTTPRequestHandler):
    script: list[int] = []
    hits: list[tuple[dict, bytes]] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Receiver.hits.append((dict(self.headers), body))
        status = Receiver.script.pop(0) if len(Receiver.script) > 1 else Receiver.script[0]
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


PAYLOAD = {"id": "job_1", "status": "done", "counts": {"total": 2, "done": 2}}


def test_delivered_once_on_success(receiver):
    Receiver.script = [204]
    assert deliver(receiver, PAYLOAD, allow_private=True) is True
    assert len(Receiver.hits) == 1 and json.loads(Receiver.hits[0][1]) == PAYLOAD
    assert Receiver.hits[0][0]["Content-Type"] == "application/json"


def test_retried_after_5xx_and_429(receiver):
    Receiver.script = [500, 429, 200]
    assert deliver(receiver, PAYLOAD, allow_private=True, base_wait=0.01) is True
    assert len(Receiver.hits) == 3


def test_gives_up_after_the_attempts_and_says_so(receiver, caplog):
    Receiver.script = [503]
    started = time.monotonic()
    assert deliver("http://user:pw@" + receiver.removeprefix("http://"), PAYLOAD, allow_private=True,
                   attempts=3, base_wait=0.01) is False
    assert len(Receiver.hits) == 3 and time.monotonic() - started < 5
    assert "HTTP 503" in caplog.text and "pw" not in caplog.text and "done" not in caplog.text


def test_a_client_error_is_not_retried(receiver):
    Receiver.script = [404]
    assert deliver(receiver, PAYLOAD, allow_private=True, base_wait=0.01) is False
    assert len(Receiver.hits) == 1


def test_the_deadline_bounds_an_unreachable_hook():
    started = time.monotonic()
    assert deliver("http://127.0.0.1:9/hook", PAYLOAD, allow_private=True, attempts=50, deadline=1.0,
                   base_wait=0.2) is False
    assert time.monotonic() - started < 3


def test_a_private_address_is_refused_unless_allowed(receiver, caplog):
    Receiver.script = [200]
    assert deliver(receiver, PAYLOAD, allow_private=False) is False
    assert Receiver.hits == [] and "refused" in caplog.text


def test_the_body_is_signed_with_the_secret(receiver):
    Receiver.script = [200]
    assert deliver(receiver, PAYLOAD, allow_private=True, secret="s3cret") is True
    headers, body = Receiver.hits[0]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Verifier-Signature"] == expected
