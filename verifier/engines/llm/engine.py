"""The LLM engine: one structured chat completion per article.

Structured output sends ``AnalysisDraft`` as a strict JSON schema: the
``response_format`` the SDK's ``chat.completions.parse`` builds, taken once
from the SDK (``response_format``), and every reply is validated with
pydantic.  ``complete`` is the synchronous path; ``acomplete`` the same on
``AsyncOpenAI``, for batches.  Servers without ``json_schema`` support get JSON mode
(``response_format={"type": "json_object"}``) with the schema in the system
message and the same pydantic validation: set ``VERIFIER_RESPONSE_FORMAT=
json_object``, or leave it at ``auto`` to switch when the server rejects
``json_schema`` with HTTP 400.  The SDK's own retries are off; ``retry.py``
owns them, so every request is counted.
"""

from __future__ import annotations

import functools
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from pydantic import BaseModel

from verifier.ingest.article import Article
from verifier.config import Settings
from verifier.engines import EngineResult
from verifier.engines.llm import long_articles
from verifier.errors import ConfigError, UpstreamError, VerifierError, redact
from verifier.models import AnalysisDraft, Usage
from verifier.engines.llm.prompts import Prompt
from verifier.engines.llm.retry import (
    InvalidReply, InvalidResponse, Throttle, UnusableReply, aask_until_valid, acall_with_retries, ask_until_valid,
    call_with_retries, describe,
)

M = TypeVar("M", bound=BaseModel)
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
_SCHEMA_REJECTED = re.compile(r"response_format|json_schema|structured", re.IGNORECASE)
# a prompt longer than the model's context: OpenAI, vLLM, llama.cpp, LM Studio... wordings
_CONTEXT_OVERFLOW = re.compile(r"context[ _](length|size|window)|maximum context|exceeds? (the )?(available )?context"
                               r"|context_length_exceeded|exceed_context_size|prompt is too long", re.IGNORECASE)


def validate_content(content: str, schema: type[BaseModel] = AnalysisDraft) -> BaseModel:
    """Validate a reply's JSON (Markdown fences, which small models add, are dropped)."""
    fenced = _FENCE.match(content)
    return schema.model_validate_json(fenced.group(1) if fenced else content)


@dataclass
class Call:
    """The state of one structured answer: its format, usage and request count."""

    fmt: str
    usage: Usage = field(default_factory=Usage)
    sent: int = 0

    def schema_json(self, schema: type[BaseModel]) -> str | None:
        return json.dumps(schema.model_json_schema(), ensure_ascii=False) if self.fmt == "json_object" else None


class LLMEngine:
    name = "llm"
    cacheable = True

    def __init__(self, settings: Settings, prompt: Prompt, model: str | None = None,
                 http_client: object | None = None, async_http_client: object | None = None):
        self.settings = settings
        self.prompt = prompt
        self.model = model or settings.model
        self.http_client = http_client
        self.async_http_client = async_http_client

    @property
    def prompt_id(self) -> str:
        return self.prompt.id

    # -- clients ----------------------------------------------------------

    def _client_kwargs(self, http_client: object | None) -> dict:
        kwargs = dict(api_key=self.settings.api_key or "no-key", base_url=self.settings.base_url,
                      timeout=self.settings.timeout, max_retries=0)
        if http_client is not None:
            kwargs["http_client"] = http_client
        return kwargs

    def client(self):
        """An ``OpenAI`` client for this engine's endpoint."""
        import openai

        return openai.OpenAI(**self._client_kwargs(self.http_client))

    def async_client(self):
        """An ``AsyncOpenAI`` client for ``aanalyze``; share one across a batch."""
        import openai

        return openai.AsyncOpenAI(**self._client_kwargs(self.async_http_client))

    def headers(self, article: Article, output_language: str | None) -> dict[str, str]:
        headers = {"X-Verifier-Prompt": self.prompt.id, "X-Verifier-Article-Sha256": article.sha256}
        if output_language:
            headers["X-Verifier-Output-Language"] = output_language
        return headers

    # -- one request ------------------------------------------------------

    def request_args(self, messages: list[dict], fmt: str, headers: dict[str, str],
                     schema: type[BaseModel]) -> dict:
        """The ``chat.completions.create`` arguments of one request."""
        kwargs: dict = dict(model=self.model, messages=messages, extra_headers=headers)
        if self.settings.max_tokens:
            kwargs["max_tokens"] = self.settings.max_tokens
        if self.settings.temperature is not None:
            kwargs["temperature"] = self.settings.temperature
        kwargs["response_format"] = response_format(schema) if fmt == "json_schema" else {"type": "json_object"}
        return kwargs

    def wire_args(self, call: Call, messages: list[dict], headers: dict[str, str], schema: type[BaseModel]) -> dict:
        """``request_args`` as sent, counted against ``call``."""
        call.sent += 1
        args = self.request_args(messages, call.fmt, headers, schema)
        # the schema goes out as is: the SDK need not walk it on every request
        args["extra_body"] = {"response_format": args.pop("response_format")}
        return args

    def _send(self, client, call: Call, messages: list[dict], headers: dict[str, str], schema: type[BaseModel]):
        return _body(client.chat.completions.with_raw_response.create(
            **self.wire_args(call, messages, headers, schema)))

    async def _asend(self, client, call: Call, messages: list[dict], headers: dict[str, str],
                     schema: type[BaseModel]):
        return _body(await client.chat.completions.with_raw_response.create(
            **self.wire_args(call, messages, headers, schema)))

    def _reply(self, body: dict, call: Call) -> tuple[str, None]:
        return reply_content(body, call.usage), None  # validated by the caller's ``validate``

    # -- the analysis -----------------------------------------------------

    def messages_for(self, article: Article, output_language: str | None) -> Callable[[str | None], list[dict]]:
        """The article's conversation, given the schema text (JSON mode) or None."""
        def messages(schema: str | None) -> list[dict]:
            return self.prompt.messages(article=article.text, article_id=article.sha256[:12],
                                        source=article.source, output_language=output_language, schema=schema)
        return messages

    def analyze(self, article: Article, output_language: str | None) -> EngineResult:
        """One request, or one per chunk for an article longer than the context allows."""
        chunks = long_articles.plan(self, article, output_language)
        if chunks is not None:
            return long_articles.analyze_chunks(self, article, chunks, output_language)
        draft, usage, fmt = self.complete(self.messages_for(article, output_language), AnalysisDraft,
                                          self.headers(article, output_language))
        return EngineResult(draft=draft, usage=usage, response_format=fmt)

    async def aanalyze(self, article: Article, output_language: str | None, client,
                       throttle: Throttle | None = None) -> EngineResult:
        """``analyze`` on an ``AsyncOpenAI`` client (from ``async_client``); the
        chunks of a long article go one after the other, under ``throttle``."""
        chunks = long_articles.plan(self, article, output_language)
        if chunks is not None:
            return await long_articles.aanalyze_chunks(self, article, chunks, output_language, client, throttle)
        draft, usage, fmt = await self.acomplete(self.messages_for(article, output_language), AnalysisDraft,
                                                 self.headers(article, output_language), client=client,
                                                 throttle=throttle)
        return EngineResult(draft=draft, usage=usage, response_format=fmt)

    def _validator(self, schema: type[M], check: Callable[[M], None] | None) -> Callable[[str], M]:
        def validate(content: str) -> M:
            value = validate_content(content, schema)
            if check:
                check(value)
            return value
        return validate

    def retry_args(self) -> dict:
        """The ``call_with_retries`` limits from the settings."""
        return dict(max_attempts=self.settings.max_attempts, base=self.settings.retry_base,
                    max_wait=self.settings.retry_max_wait)

    def complete(self, messages: Callable[[str | None], list[dict]], schema: type[M],
                 headers: dict[str, str], check: Callable[[M], None] | None = None) -> tuple[M, Usage, str]:
        """One structured answer: ``messages(schema_json_or_None)`` builds the
        conversation, the reply validates against ``schema`` (and ``check``,
        which raises ``ValueError`` to re-ask); returns it with usage and format."""
        client = self.client()
        call = self.start_call()

        def ask(conversation: list[dict]) -> tuple[str, BaseModel | None]:
            _raw, body = call_with_retries(lambda: self._send(client, call, conversation, headers, schema),
                                           **self.retry_args())
            return self._reply(body, call)

        def run():
            return ask_until_valid(ask, messages(call.schema_json(schema)), self._validator(schema, check),
                                   self.prompt.reask_message, self.settings.max_reasks)

        with self._errors(call):
            try:
                value = run()
            except Exception as exc:
                if not self._falls_back(exc, call):
                    raise
                value = run()
        return value, call.usage, call.fmt

    async def acomplete(self, messages: Callable[[str | None], list[dict]], schema: type[M],
                        headers: dict[str, str], check: Callable[[M], None] | None = None, *,
                        client, throttle: Throttle | None = None) -> tuple[M, Usage, str]:
        """``complete`` on an ``AsyncOpenAI`` client, sharing ``throttle``."""
        call = self.start_call()

        async def ask(conversation: list[dict]) -> tuple[str, BaseModel | None]:
            _raw, body = await acall_with_retries(lambda: self._asend(client, call, conversation, headers, schema),
                                                  throttle=throttle, **self.retry_args())
            return self._reply(body, call)

        async def run():
            return await aask_until_valid(ask, messages(call.schema_json(schema)), self._validator(schema, check),
                                          self.prompt.reask_message, self.settings.max_reasks)

        with self._errors(call):
            try:
                value = await run()
            except Exception as exc:
                if not self._falls_back(exc, call):
                    raise
                value = await run()
        return value, call.usage, call.fmt

    def start_call(self) -> Call:
        """A new structured answer in the configured format."""
        return Call("json_object" if self.settings.response_format == "json_object" else "json_schema")

    def _falls_back(self, exc: Exception, call: Call) -> bool:
        """A server that rejects ``json_schema`` gets JSON mode (``auto`` only)."""
        import openai

        if (isinstance(exc, openai.BadRequestError) and self.settings.response_format == "auto"
                and call.fmt == "json_schema" and _SCHEMA_REJECTED.search(describe(exc))):
            call.fmt = "json_object"
            return True
        return False

    @contextmanager
    def _errors(self, call: Call):
        """Endpoint faults become one-line ``VerifierError``s without secrets,
        carrying the call's ``usage``."""
        try:
            with self._translated(call):
                yield
        except VerifierError as exc:
            exc.usage = call.usage  # what the failed call spent, for cost accounting
            raise

    @contextmanager
    def _translated(self, call: Call):
        import openai

        secrets = [self.settings.api_key]
        try:
            yield
        except InvalidReply as exc:
            raise UpstreamError(redact(
                f"the model's reply did not match the schema after {exc.asks} attempts "
                f"({_first_error(exc.error)})", secrets)) from None
        except UnusableReply as exc:
            raise UnusableReply(exc.kind, redact(str(exc), secrets)) from None
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            raise ConfigError(redact(f"the endpoint rejected the credentials ({describe(exc)}); "
                                     "check OPENAI_API_KEY", secrets)) from None
        except openai.NotFoundError as exc:
            raise ConfigError(redact(f"the endpoint does not know model {self.model!r} or the chat "
                                     f"completions route ({describe(exc)}); check VERIFIER_MODEL and "
                                     "OPENAI_BASE_URL", secrets)) from None
        except (openai.OpenAIError, InvalidResponse) as exc:
            if _context_overflow(exc):  # not retried: the same request would overflow again
                raise UpstreamError(redact(
                    f"the article is too long for the model's context window ({describe(exc)}); set "
                    f"VERIFIER_CONTEXT_TOKENS to the model's context size (now {self.settings.context_tokens}) "
                    "so that long articles are split to fit",
                    secrets)) from None
            raise UpstreamError(redact(
                f"the endpoint failed after {call.sent} request(s): {describe(exc)}", secrets)) from None


@functools.cache
def response_format(schema: type[BaseModel]) -> dict:
    """The ``response_format`` the SDK's ``chat.completions.parse`` sends for
    ``schema`` (a strict JSON schema), taken once from the SDK itself: every
    request, and every Batch API line, carries exactly that without
    rebuilding it."""
    import httpx2
    import openai

    sent: list[dict] = []

    def capture(request: httpx2.Request) -> httpx2.Response:
        sent.append(json.loads(request.read()))
        return httpx2.Response(400, json={"error": {"message": "captured"}})

    client = openai.OpenAI(api_key="capture", base_url="http://capture.invalid/v1", max_retries=0,
                           http_client=httpx2.Client(transport=httpx2.MockTransport(capture)))
    try:
        client.chat.completions.parse(model="capture", messages=[], response_format=schema)
    except openai.BadRequestError:
        pass
    return sent[0]["response_format"]


def _body(raw) -> tuple[object, dict]:
    """The parsed completion of a 2xx response; a body that is not one (cut
    short, not JSON, an error object) is an ``InvalidResponse``, retried."""
    try:
        body = raw.http_response.json()
    except ValueError:
        raise InvalidResponse("not JSON") from None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        raise InvalidResponse(f"an error with HTTP {raw.http_response.status_code}: "
                              f"{' '.join(str(body['error'].get('message', '')).split())[:200]}")
    choices = body.get("choices") if isinstance(body, dict) else None
    if not choices or not isinstance(choices, list) or not isinstance(choices[0], dict):
        raise InvalidResponse("no choices in the completion")
    return raw, body


def reply_content(body: dict, usage: Usage) -> str:
    """The reply's text from a chat completion body, counting its usage;
    refusals, truncation and content filtering are ``UnusableReply``s."""
    used = body.get("usage") or {}
    usage.prompt_tokens += int(used.get("prompt_tokens") or 0)
    usage.completion_tokens += int(used.get("completion_tokens") or 0)
    usage.total_tokens += int(used.get("total_tokens") or 0)
    usage.requests += 1
    choice = (body.get("choices") or [{}])[0]
    message = choice.get("message") or {}
    if message.get("refusal"):
        said = " ".join(str(message["refusal"]).split())[:200]
        raise UnusableReply("refusal", "the model refused the request", f": {said}")
    finish = choice.get("finish_reason")
    if finish == "length":
        raise UnusableReply(
            "length", f"the model's reply was cut off at its output limit ({used.get('completion_tokens', '?')} "
            "tokens)", "; raise VERIFIER_MAX_TOKENS or use a model with a larger output limit")
    if finish == "content_filter":
        raise UnusableReply("content_filter", "the endpoint's content filter stopped the reply")
    return message.get("content") or ""


def _first_error(exc: Exception) -> str:
    from verifier.engines.llm.retry import validation_summary

    return validation_summary(exc, limit=1).lstrip("- ")


def _context_overflow(exc: BaseException) -> bool:
    """Whether ``exc`` is an endpoint's "the prompt exceeds the context" answer (HTTP 400 or 413)."""
    import openai

    if not isinstance(exc, openai.APIStatusError) or exc.status_code not in (400, 413):
        return False
    body = exc.body if isinstance(exc.body, dict) else {}
    err = body.get("error", body)
    fields = [describe(exc)] + ([str(err.get(k) or "") for k in ("code", "type")] if isinstance(err, dict) else [])
    return any(_CONTEXT_OVERFLOW.search(text) for text in fields)
