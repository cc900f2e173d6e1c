"""Retries: backoff on transient faults, re-asks on schema-invalid replies.

* ``call_with_retries`` repeats one request on rate limits (honouring
  ``Retry-After`` / ``retry-after-ms``), timeouts, connection errors, 5xx and
  unparseable response bodies, with exponential backoff and jitter, for at
  most ``max_attempts`` requests.
* ``ask_until_valid`` validates each reply against the schema and, when it
  does not validate, asks again with the validation errors appended to the
  conversation, at most ``max_reasks`` times.
"""

from __future__ import annotations

import logging
import time
from typing import Callable, TypeVar

from pydantic import ValidationError
from tenacity import (
    RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential, wait_random,
)

log = logging.getLogger("verifier")
T = TypeVar("T")


class InvalidResponse(Exception):
    """The endpoint answered 2xx with a body that is not a chat completion."""


class InvalidReply(Exception):
    """The model's reply stayed schema-invalid after every re-ask."""

    def __init__(self, error: ValidationError | ValueError, asks: int):
        self.error = error
        self.asks = asks
        super().__init__(str(error))


def is_transient(exc: BaseException) -> bool:
    import openai

    if isinstance(exc, (openai.RateLimitError, openai.APIConnectionError, InvalidResponse)):
        return True  # APITimeoutError is an APIConnectionError
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code >= 500 or exc.status_code in (408, 409)
    return False


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait, from ``retry-after-ms`` or ``Retry-After``."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    headers = response.headers
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            try:
                return max(0.0, float(value) / scale)
            except ValueError:
                from email.utils import parsedate_to_datetime

                try:
                    return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
                except (TypeError, ValueError):
                    continue
    return None


def _waiter(base: float, max_wait: float) -> Callable[[RetryCallState], float]:
    # exponential backoff (base, 2·base, 4·base...) plus up to one base of jitter
    backoff = wait_exponential(multiplier=base, max=max_wait) + wait_random(0, base)

    def wait(state: RetryCallState) -> float:
        asked = retry_after(state.outcome.exception() if state.outcome else None)
        return min(asked if asked is not None else backoff(state), max_wait)

    return wait


def call_with_retries(fn: Callable[[], T], *, max_attempts: int, base: float, max_wait: float,
                      sleep: Callable[[float], None] = time.sleep) -> T:
    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.info("attempt %d failed (%s); retrying in %.2fs", state.attempt_number,
                 describe(exc), state.next_action.sleep if state.next_action else 0)

    retrying = Retrying(
        stop=stop_after_attempt(max_attempts),
        wait=_waiter(base, max_wait),
        retry=retry_if_exception(is_transient),
        reraise=True,
        sleep=sleep,
        before_sleep=before_sleep,
    )
    return retrying(fn)


def ask_until_valid(ask: Callable[[list[dict]], tuple[str, T | None]], messages: list[dict],
                    validate: Callable[[str], T], feedback: Callable[[str], str], max_reasks: int) -> T:
    """``ask(messages)`` returns (raw content, parsed value or None); a None
    value is validated here so both parse() and JSON mode share one path."""
    conversation = list(messages)
    for asks in range(1, max_reasks + 2):
        content, parsed = ask(conversation)
        try:
            return parsed if parsed is not None else validate(content)
        except (ValidationError, ValueError) as exc:
            if asks > max_reasks:
                raise InvalidReply(exc, asks) from None
            log.info("reply %d did not validate; asking again with the errors", asks)
            conversation += [{"role": "assistant", "content": content},
                             {"role": "user", "content": feedback(validation_summary(exc))}]
    raise AssertionError("unreachable")


def validation_summary(exc: Exception, limit: int = 10) -> str:
    if isinstance(exc, ValidationError):
        lines = [f"- {'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors()[:limit]]
        more = exc.error_count() - limit
        return "\n".join(lines + ([f"- ... and {more} more"] if more > 0 else []))
    return f"- {exc}"


def describe(exc: BaseException | None) -> str:
    """One short line for an endpoint fault (no body dumps, no secrets)."""
    import openai

    if exc is None:
        return "unknown error"
    if isinstance(exc, openai.APITimeoutError):
        return "request timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "could not connect to the endpoint"
    if isinstance(exc, openai.APIStatusError):
        message = ""
        body = exc.body
        if isinstance(body, dict):
            err = body.get("error", body)
            message = err.get("message", "") if isinstance(err, dict) else str(err)
        reason = getattr(exc.response, "reason_phrase", "") or ""
        text = f"HTTP {exc.status_code} {reason}".strip()
        return f"{text}: {message[:200]}" if message else text
    if isinstance(exc, InvalidResponse):
        return f"invalid response body ({exc})"
    return f"{type(exc).__name__}: {str(exc)[:200]}"
