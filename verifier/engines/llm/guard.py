"""The llm engine's bounds on what one endpoint may cost: a reply's size and the time it takes.

The transports and deadlines are ``verifier/net/bounded.py`` (shared with URL
fetches); this module holds the engine's caps (``reply_cap``: from
``VERIFIER_MAX_TOKENS``; ``BATCH_FILE_CAP``) and builds the SDK's clients over
them.  The SDK wraps ``ReplyTooLarge`` and ``DeadlinePassed`` in an
``APIConnectionError`` (their ``__cause__``), worded by ``faults.describe``;
``retry.is_transient`` retries neither a reply over the cap nor a passed answer
deadline, and retries a request's own time as a timeout.  A wait cut short by
the deadline is a read timeout, retried, and the next attempt then ends at
once with ``DeadlinePassed``.
"""

from __future__ import annotations

import httpx2

from contextlib import AbstractContextManager

from verifier.net import bounded
from verifier.net.bounded import DeadlinePassed, ReplyTooLarge, answer_time_left  # noqa: F401 - the engine's names

DEFAULT_REPLY_CAP = 8 * 1024 * 1024  # bytes, when no max_tokens is set
REPLY_BASE = 64 * 1024  # the completion's envelope (ids, usage, refusal...) and margin
BATCH_FILE_CAP = 512 * 1024 * 1024  # a Batch API output file: many replies in one download
BYTES_PER_TOKEN = 32  # a token is a few characters; JSON escapes (\\uXXXX) at most 6 bytes each
CAP_WHY = "the cap, from VERIFIER_MAX_TOKENS: 64 KiB + 32 bytes a token, else 8 MiB"
REQUEST_LABEL = "VERIFIER_TIMEOUT, per request"
ANSWER_LABEL = "--timeout, per answer"


def reply_cap(max_tokens: int | None) -> int:
    """The most bytes a reply may have: 64 KiB + 32 bytes per token of
    ``max_tokens`` (a token is at most a few characters, each at most 6 bytes
    in JSON), else 8 MiB, ~2,000 pages of JSON."""
    return REPLY_BASE + BYTES_PER_TOKEN * max_tokens if max_tokens else DEFAULT_REPLY_CAP


def deadline(seconds: float | None) -> AbstractContextManager[None]:
    """The answer's deadline (``--timeout``): every request made inside shares it."""
    return bounded.deadline(seconds, ANSWER_LABEL)


def transport(inner: httpx2.BaseTransport, cap: int, request_seconds: float | None) -> bounded.GuardedTransport:
    """``inner`` with the engine's bounds: the reply ``cap`` and ``VERIFIER_TIMEOUT`` per request."""
    return bounded.GuardedTransport(inner, cap, request_seconds, why=CAP_WHY, request_label=REQUEST_LABEL)


def client(cap: int, request_seconds: float | None):
    """An ``httpx2.Client`` as the SDK would build (environment proxies included), bounded."""
    import openai

    return bounded.guard(openai.DefaultHttpxClient(), cap, request_seconds, why=CAP_WHY, request_label=REQUEST_LABEL)


def async_client(cap: int, request_seconds: float | None):
    import openai

    return bounded.guard(openai.DefaultAsyncHttpxClient(), cap, request_seconds, why=CAP_WHY,
                         request_label=REQUEST_LABEL)
