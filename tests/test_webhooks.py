"""Job webhooks (``service/webhooks.py``) against a real loopback receiver: delivered, retried, given up
in bounded time, refused for a private address unless allowed, signed."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from tests.helpers.receiver import Receiver
from verifier.service.webhooks import deliver


@pytest.fixture
def hooks():
    with Receiver() as r:
        yield r


PAYLOAD = {"id": "job_1", "status": "done", "counts": {"total": 2, "done": 2}}


def test_delivered_once_on_success(hooks):
    assert deliver(hooks.url, PAYLOAD, allow_private=True) is True
    assert len(hooks.hits) == 1 and json.loads(hooks.hits[0][1]) == PAYLOAD
    assert hooks.hits[0][0]["Content-Type"] == "application/json"


def test_retried_after_5xx_and_429(hooks):
    hooks.statuses = [500, 429, 200]
    assert deliver(hooks.url, PAYLOAD, allow_private=True, base_wait=0.01) is True
    assert len(hooks.hits) == 3


def test_gives_up_after_the_attempts_and_says_so(hooks, caplog):
    hooks.statuses = [503]
    started = time.monotonic()
    assert deliver("http://user:pw@" + hooks.url.removeprefix("http://"), PAYLOAD, allow_private=True,
                   attempts=3, base_wait=0.01) is False
    assert len(hooks.hits) == 3 and time.monotonic() - started < 5
    assert "HTTP 503" in caplog.text and "pw" not in caplog.text and "done" not in caplog.text


def test_a_client_error_is_not_retried(hooks):
    hooks.statuses = [404]
    assert deliver(hooks.url, PAYLOAD, allow_private=True, base_wait=0.01) is False
    assert len(hooks.hits) == 1


def test_the_deadline_bounds_an_unreachable_hook():
    started = time.monotonic()
    assert deliver("http://127.0.0.1:9/hook", PAYLOAD, allow_private=True, attempts=50, deadline=1.0,
                   base_wait=0.2) is False
    assert time.monotonic() - started < 3


def test_a_private_address_is_refused_unless_allowed(hooks, caplog):
    assert deliver(hooks.url, PAYLOAD, allow_private=False) is False
    assert hooks.hits == [] and "refused" in caplog.text


def test_the_body_is_signed_with_the_secret(hooks):
    assert deliver(hooks.url, PAYLOAD, allow_private=True, secret="s3cret") is True
    headers, body = hooks.hits[0]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Verifier-Signature"] == expected
