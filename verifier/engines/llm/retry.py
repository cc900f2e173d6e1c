"""Retries: backoff on transient faults, re-asks on schema-invalid replies.

* ``call_with_retries`` repeats one request on rate limits (honouring
  ``Retry-After`` / ``retry-after-ms``), timeouts, connection errors, 5xx and
  unparseable response bodies, with exponential backoff and jitter, for at
  most ``max_attempts`` requests, never sleeping past the answer's deadline
  (``--timeout``: the attempt after it ends at once, naming the deadline); ``acall_with_retries`` is the same for
  coroutines, with a ``Throttle`` through which one rate limit pauses and
  narrows every worker of a batch.
* ``ask_until_valid`` validates each reply against the schema and, when it
  does not validate, asks again with the validation errors appended to the
  conversation, at most ``max_reasks`` times.  A reply without a usable answer
  (``UnusableReply``: a refusal, a cut-off at the output limit, a content
  filter) is asked again with the same conversation, at most
  ``UNUSABLE_RETRIES`` times and within the same ``max_reasks``: a sampled
  model may not repeat it, and each such reply is paid for.

Each retry and re-ask is logged at INFO with ``extra={"event": ...}``
("retry", "reask", "reask_unusable"), so a caller can count them.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Awaitable, Callable, TypeVar

from pydantic import ValidationError
from tenacity import (
    RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential, wait_random,
)

from verifier.engines.llm.faults import (
    InvalidReply, InvalidResponse, UnusableReply, describe, validation_summary,
)

log = logging.getLogger("verifier")
T = TypeVar("T")
RATE_LIMIT_ATTEMPTS = 4  # rate limits in a batch: this many times VERIFIER_MAX_ATTEMPTS
UNUSABLE_RETRIES = 1  # refusals, cut-offs and filtered replies: asked again at most this many times
REASK_EXCERPT = 2_000  # characters of a schema-invalid reply sent back with its errors


def excerpt(content: str, limit: int = REASK_EXCERPT) -> str:
    """The first ``limit`` characters of a reply, saying how much was cut."""
    if len(content) <= limit:
        return content
    return f"{content[:limit]}\n[... {len(content) - limit:,} more characters not repeated]"


def is_transient(exc: BaseException) -> bool:
    import openai

    from verifier.engines.llm.guard import DeadlinePassed, ReplyTooLarge

    if isinstance(exc, openai.APIConnectionError) and isinstance(exc.__cause__, ReplyTooLarge):
        return False  # the same reply would be as large
    if isinstance(exc, openai.APIConnectionError) and isinstance(exc.__cause__, DeadlinePassed):
        return not exc.__cause__.final  # a request's time is retried, as a timeout; the answer's is over
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
        from verifier.engines.llm.guard import answer_time_left

        asked = retry_after(state.outcome.exception() if state.outcome else None)
        if asked is not None:  # a little jitter: workers told the same instant do not all retry at it
            asked += random.uniform(0, max(0.05, asked / 4))
        seconds = min(asked if asked is not None else backoff(state), max_wait)
        left = answer_time_left()  # never sleep past the answer's deadline (--timeout)
        return seconds if left is None else min(seconds, left)

    return wait


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.info("attempt %d failed (%s); retrying in %.2fs", state.attempt_number,
             describe(exc), state.next_action.sleep if state.next_action else 0, extra={"event": "retry"})


def call_with_retries(fn: Callable[[], T], *, max_attempts: int, base: float, max_wait: float,
                      sleep: Callable[[float], None] = time.sleep) -> T:
    retrying = Retrying(
        stop=stop_after_attempt(max_attempts),
        wait=_waiter(base, max_wait),
        retry=retry_if_exception(is_transient),
        reraise=True,
        sleep=sleep,
        before_sleep=_log_retry,
    )
    return retrying(fn)


class Throttle:
    """Shared by every worker of a batch, so that one rate limit slows them
    all, as providers expect: a 429 pauses every next request until its
    ``Retry-After`` has passed and halves how many requests may be in flight
    (``limit``); each success gives back 1/limit, up to ``ceiling`` (AIMD)."""

    def __init__(self, ceiling: int = 1_000_000):
        self.ceiling = ceiling
        self.limit = float(ceiling)
        self.in_flight = 0
        self.until = 0.0
        self.rate_limited = 0
        self._cut_until = 0.0
        self._freed = None

    def pause(self, seconds: float) -> None:
        now = time.monotonic()
        self.rate_limited += 1
        self.until = max(self.until, now + seconds)
        if now >= self._cut_until:  # one cut per pause: the 429s of one burst count once
            self.limit = max(1.0, self.limit / 2)
            self._cut_until = self.until

    async def acquire(self) -> None:
        import asyncio

        if self._freed is None:
            self._freed = asyncio.Event()
        while True:
            delay = self.until - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            elif self.in_flight < max(1, int(self.limit)):
                self.in_flight += 1
                return
            else:
                self._freed.clear()
                await self._freed.wait()

    def release(self, succeeded: bool) -> None:
        self.in_flight -= 1
        if succeeded:
            self.limit = min(float(self.ceiling), self.limit + 1 / self.limit)
        if self._freed is not None:
            self._freed.set()


async def acall_with_retries(fn: Callable[[], Awaitable[T]], *, max_attempts: int, base: float,
                             max_wait: float, throttle: Throttle | None = None) -> T:
    """``call_with_retries`` for coroutines, through a ``Throttle`` shared by
    the batch.  Rate limits get ``RATE_LIMIT_ATTEMPTS`` times the attempts:
    in a batch they are expected, not a fault."""
    import openai
    from tenacity import AsyncRetrying

    throttle = throttle or Throttle()

    def stop(state: RetryCallState) -> bool:
        limited = isinstance(state.outcome.exception() if state.outcome else None, openai.RateLimitError)
        return state.attempt_number >= max_attempts * (RATE_LIMIT_ATTEMPTS if limited else 1)

    def before_sleep(state: RetryCallState) -> None:
        if isinstance(state.outcome.exception() if state.outcome else None, openai.RateLimitError):
            throttle.pause(state.next_action.sleep if state.next_action else base)
        _log_retry(state)

    async def attempt() -> T:
        await throttle.acquire()
        succeeded = False
        try:
            result = await fn()
            succeeded = True
            return result
        finally:
            throttle.release(succeeded)

    retrying = AsyncRetrying(stop=stop, wait=_waiter(base, max_wait), retry=retry_if_exception(is_transient),
                             reraise=True, before_sleep=before_sleep)
    return await retrying(attempt)


class Reasker:
    """The re-ask loop of ``ask_until_valid``, shared by the sync and async
    callers: ``take`` returns (True, value) once a reply validates, else
    appends the errors to ``conversation`` and returns (False, None);
    ``unusable`` lets an ``UnusableReply`` be asked again, or raises it."""

    def __init__(self, messages: list[dict], validate: Callable[[str], T], feedback: Callable[[str], str],
                 max_reasks: int):
        self.conversation = list(messages)
        self.validate = validate
        self.feedback = feedback
        self.max_reasks = max_reasks
        self.asks = 0
        self.unusable_replies = 0

    def unusable(self, exc: UnusableReply) -> None:
        """Count a reply without an answer; raise it when no retry is left."""
        self.asks += 1
        self.unusable_replies += 1
        if self.asks > self.max_reasks or self.unusable_replies > UNUSABLE_RETRIES:
            raise exc.after(self.unusable_replies, self.asks) from None
        log.info("reply %d had no usable answer (%s); asking again", self.asks, exc.kind,
                 extra={"event": "reask_unusable"})

    def take(self, content: str, parsed: T | None) -> tuple[bool, T | None]:
        self.asks += 1
        try:
            return True, parsed if parsed is not None else self.validate(content)
        except (ValidationError, ValueError) as exc:
            if self.asks > self.max_reasks:
                raise InvalidReply(exc, self.asks) from None
            log.info("reply %d did not validate; asking again with the errors", self.asks, extra={"event": "reask"})
            self.conversation += [{"role": "assistant", "content": excerpt(content)},
                                  {"role": "user", "content": self.feedback(validation_summary(exc))}]
            return False, None


def ask_until_valid(ask: Callable[[list[dict]], tuple[str, T | None]], messages: list[dict],
                    validate: Callable[[str], T], feedback: Callable[[str], str], max_reasks: int) -> T:
    """``ask(messages)`` returns (raw content, parsed value or None); a None
    value is validated here so both parse() and JSON mode share one path."""
    reasker = Reasker(messages, validate, feedback, max_reasks)
    while True:
        try:
            reply = ask(reasker.conversation)
        except UnusableReply as exc:
            reasker.unusable(exc)
            continue
        done, value = reasker.take(*reply)
        if done:
            return value


async def aask_until_valid(ask: Callable[[list[dict]], Awaitable[tuple[str, T | None]]], messages: list[dict],
                           validate: Callable[[str], T], feedback: Callable[[str], str], max_reasks: int) -> T:
    reasker = Reasker(messages, validate, feedback, max_reasks)
    while True:
        try:
            reply = await ask(reasker.conversation)
        except UnusableReply as exc:
            reasker.unusable(exc)
            continue
        done, value = reasker.take(*reply)
        if done:
            return value
