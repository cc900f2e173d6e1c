"""The sync and async twins of ``verifier.engines.llm.retry`` agree.

``ask_until_valid`` over ``call_with_retries`` and ``aask_until_valid`` over
``acall_with_retries`` (the pairs the LLM engine's ``complete`` and
``acomplete`` are built on) get the same scripted faults from a loopback
server, through the real SDK over HTTP: each test runs once per path and
expects the same result, requests, retries, re-asks and usage, or the same
exception type and message.  The one place they differ by design, rate limits
in a batch, is pinned down apart.  The engine's own twins,
``LLMEngine.analyze`` and ``analyze`` in one of its sessions, get the same
servers (an answer, faults, a refusal, JSON mode, a long article in chunks)
and must send the same requests and return the same result or error.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

import openai
import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from tests.helpers.loopback import LoopbackServer, Step, answer_numbered, error, numbered_article, ok
from tests.helpers.paths import SEED_000
from verifier.engines.llm.wire import reply_content
from verifier.engines.llm.retry import (
    RATE_LIMIT_ATTEMPTS, InvalidReply, UnusableReply, aask_until_valid, acall_with_retries, ask_until_valid,
    call_with_retries,
)
from verifier.models import Usage

MODES = ["sync", "async"]
QUESTION = [{"role": "user", "content": "Is the sky blue? Answer in JSON."}]
VALID, INVALID = '{"verdict": "yes"}', '{"verdict": "maybe"}'
REFUSAL = "I can't help with that."


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: Literal["yes", "no"]


def feedback(summary: str) -> str:
    return f"Fix these errors:\n{summary}"


def validation_message(content: str) -> str:
    """What pydantic says about ``content``: the message an ``InvalidReply`` carries."""
    try:
        Answer.model_validate_json(content)
    except ValidationError as exc:
        return str(exc)
    raise AssertionError(f"{content} validates")


def events(caplog) -> dict[str, int]:
    """The retry and re-ask events logged (``extra={"event": ...}``), counted."""
    return dict(Counter(r.event for r in caplog.records if getattr(r, "event", None)))


@dataclass
class Outcome:
    value: Answer | None = None
    error: BaseException | None = None
    usage: Usage = field(default_factory=Usage)


def ask(mode: str, server: LoopbackServer, *, max_attempts: int = 3, max_reasks: int = 2) -> Outcome:
    """``QUESTION`` through the ``mode`` twins (async under ``asyncio.run``), one SDK call per attempt."""
    outcome = Outcome()
    limits = dict(max_attempts=max_attempts, base=0.01, max_wait=2)
    client_args = dict(base_url=server.base_url, api_key="sk-test", max_retries=0)

    def reply(completion) -> tuple[str, None]:
        return reply_content(completion.model_dump(), outcome.usage), None

    def sync() -> Answer:
        with openai.OpenAI(**client_args) as client:
            def once(conversation: list[dict]) -> tuple[str, None]:
                return reply(call_with_retries(
                    lambda: client.chat.completions.create(model="test-model", messages=conversation), **limits))
            return ask_until_valid(once, QUESTION, Answer.model_validate_json, feedback, max_reasks)

    async def asynchronous() -> Answer:
        async with openai.AsyncOpenAI(**client_args) as client:
            async def once(conversation: list[dict]) -> tuple[str, None]:
                return reply(await acall_with_retries(
                    lambda: client.chat.completions.create(model="test-model", messages=conversation), **limits))
            return await aask_until_valid(once, QUESTION, Answer.model_validate_json, feedback, max_reasks)

    try:
        outcome.value = sync() if mode == "sync" else asyncio.run(asynchronous())
    except Exception as exc:  # compared by the tests: type and message
        outcome.error = exc
    return outcome


@dataclass
class Case:
    script: list[Step]
    requests: int  # HTTP requests sent
    replies: int  # completions answered 2xx and counted in the usage
    events: dict[str, int]  # "retry", "reask", "reask_unusable" log events
    value: Answer | None = None
    error: tuple[type, str] | None = None  # (type, message)


YES = Answer(verdict="yes")
CASES = {
    "429-retry-after-then-answer": Case(
        [error(429, "Rate limit reached", {"retry-after": "1"}), ok(VALID)], 2, 1, {"retry": 1}, YES),
    "5xx-twice-then-answer": Case(
        [error(503, "overloaded"), error(500, "boom"), ok(VALID)], 3, 1, {"retry": 2}, YES),
    "schema-invalid-then-valid": Case(
        [ok(INVALID), ok(VALID)], 2, 2, {"reask": 1}, YES),
    "refusal-then-answer": Case(
        [ok(None, refusal=REFUSAL), ok(VALID)], 2, 2, {"reask_unusable": 1}, YES),
    "refusal-persists": Case(
        [ok(None, refusal=REFUSAL)], 2, 2, {"reask_unusable": 1},
        error=(UnusableReply, f"the model refused the request in each of 2 replies: {REFUSAL}")),
    "5xx-exhausts-attempts": Case(
        [error(500, "boom")], 3, 0, {"retry": 2},
        error=(openai.InternalServerError, "Error code: 500 - boom")),
    "schema-invalid-exhausts-reasks": Case(
        [ok(INVALID)], 3, 3, {"reask": 2}, error=(InvalidReply, validation_message(INVALID))),
    "retries-within-reasks": Case(
        [error(502, "bad gateway"), ok(INVALID), error(503, "overloaded"), ok(VALID)], 4, 2,
        {"retry": 2, "reask": 1}, YES),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", CASES)
def test_sync_and_async_twins_agree(name, mode, caplog):
    case = CASES[name]
    caplog.set_level(logging.INFO, logger="verifier")
    with LoopbackServer(case.script) as server:
        outcome = ask(mode, server)  # at most 3 attempts per reply and 2 re-asks
    if case.error is None:
        assert outcome.error is None, repr(outcome.error)
        assert outcome.value == case.value
    else:
        assert (type(outcome.error), str(outcome.error)) == case.error
    assert len(server.requests) == case.requests
    assert outcome.usage.requests == case.replies
    assert events(caplog) == case.events
    sent = [r.body["messages"] for r in server.requests]
    assert sent[0] == QUESTION
    if "retry-after" in case.script[0].headers:
        assert server.requests[1].at - server.requests[0].at >= 1.0  # Retry-After: 1 honoured
    if case.events.get("reask"):  # asked again with the bad reply and the validation errors
        last = sent[-1]
        assert last[:len(QUESTION)] == QUESTION and last[-2] == {"role": "assistant", "content": INVALID}
        assert last[-1]["role"] == "user" and last[-1]["content"].startswith("Fix these errors:\n- verdict:")
    else:  # the same request again
        assert all(messages == QUESTION for messages in sent)
    if isinstance(outcome.error, InvalidReply):
        assert outcome.error.asks == case.requests


@pytest.mark.parametrize("mode,requests", [("sync", 2), ("async", 2 * RATE_LIMIT_ATTEMPTS)])
def test_rate_limits_get_more_attempts_on_the_async_path_only(mode, requests, caplog):
    """The one difference by design: in a batch (async) a rate limit is expected,
    so it gets ``RATE_LIMIT_ATTEMPTS`` times the attempts; the error is the same."""
    caplog.set_level(logging.INFO, logger="verifier")
    with LoopbackServer([error(429, "Rate limit reached", {"retry-after-ms": "10"})]) as server:
        outcome = ask(mode, server, max_attempts=2)
    assert type(outcome.error) is openai.RateLimitError
    assert str(outcome.error) == "Error code: 429 - Rate limit reached"
    assert len(server.requests) == requests and events(caplog) == {"retry": requests - 1}


# -- the engine's twins: ``LLMEngine.analyze`` and ``analyze`` in a ``session`` ------------------------------


def _analyze_in(mode: str, article) -> tuple:
    """``article`` analysed by a new llm engine, synchronously or in one of its sessions; what came back
    (draft, usage, format, chunks) or the error (type and message)."""
    from verifier.engines import make_engine

    engine = make_engine("llm")

    async def in_session():
        async with engine.session(2) as session:
            return await session.analyze(article, None)

    try:
        result = engine.analyze(article, None) if mode == "sync" else asyncio.run(in_session())
    except Exception as exc:  # noqa: BLE001 - compared between the twins
        return type(exc), str(exc), getattr(exc, "usage", None)
    return result.draft, result.usage, result.response_format, result.chunks


def _schema_refused(answer):
    """A server without ``json_schema``: HTTP 400 for it, ``answer`` in JSON mode."""
    def respond(body, headers):
        if ((body or {}).get("response_format") or {}).get("type") == "json_schema":
            return Step(400, {"error": {"message": "response_format json_schema is not supported"}})
        return answer(body, headers)
    return respond


ENGINE_CASES = {
    "answer": dict(script=lambda draft: [ok(draft)]),
    "5xx, then an answer": dict(script=lambda draft: [error(500, "boom"), ok(draft)]),
    "schema-invalid, then an answer": dict(script=lambda draft: [ok('{"language": "fr"}'), ok(draft)]),
    "refused, twice": dict(script=lambda draft: [ok(None, refusal=REFUSAL)]),
    "json_schema refused: JSON mode": dict(responder=lambda draft: _schema_refused(lambda b, h: ok(draft))),
    "a long article in chunks": dict(responder=lambda draft: answer_numbered, chunked=True),
}


@pytest.mark.parametrize("case", sorted(ENGINE_CASES))
def test_the_engines_sync_analysis_and_its_session_agree(case, endpoint, monkeypatch, seed_draft_json):
    from verifier.ingest.article import article_from_text, read_article

    spec = ENGINE_CASES[case]
    if spec.get("chunked"):  # six small articles in one text, and a context that holds about two of them
        monkeypatch.setenv("VERIFIER_CONTEXT_TOKENS", "3000")
        monkeypatch.setenv("VERIFIER_MAX_TOKENS", "300")
        article = article_from_text("\n".join(numbered_article(i) for i in range(1, 7)), "cities.txt", "fr")
    else:
        article = read_article(str(SEED_000))
    seen = {}
    for mode in MODES:
        make = spec.get("responder")
        server = endpoint(LoopbackServer(responder=make(seed_draft_json)) if make else
                          LoopbackServer(spec["script"](seed_draft_json)))
        with server:
            outcome = _analyze_in(mode, article)
        sent = [(r.body.get("messages"), r.body.get("response_format"),
                 {k: v for k, v in r.headers.items() if k.startswith("x-verifier")}) for r in server.requests]
        seen[mode] = outcome, sent
    assert seen["sync"] == seen["async"]
    outcome, sent = seen["sync"]
    assert sent  # every case reached the server
    if spec.get("chunked"):
        assert outcome[3] is not None and outcome[3] > 1 and len(sent) == outcome[3]
