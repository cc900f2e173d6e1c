"""The LLM engine: one structured chat completion per article, on any OpenAI-compatible endpoint.

``analyze`` sends the article with the ``analyze`` prompt and validates the
reply against ``AnalysisDraft`` (``wire.py`` holds the request and reply
formats); an article longer than the model's context is sent in chunks
(``long_articles.py``).  ``complete`` is the synchronous path of one
structured answer, ``acomplete`` the same on ``AsyncOpenAI``, for sessions
of many articles at once.  Servers without ``json_schema`` support get JSON
mode: set ``VERIFIER_RESPONSE_FORMAT=json_object``, or leave it at ``auto``
to switch when the server rejects ``json_schema`` with HTTP 400.  The SDK's
own retries are off; ``retry.py`` owns them, so every request is counted.

Beyond ``analyze`` it can judge (``judge``: verify's verdicts, diff's
ambiguous pairs), count a request's tokens before sending it
(``count_prompt``), run sessions of concurrent requests (``session``) and
reach the provider's Batch API (``batch_api``).
"""

from __future__ import annotations

import json
import re
from contextlib import asynccontextmanager, contextmanager
from typing import AsyncIterator, Callable, TypeVar

from pydantic import BaseModel

from verifier.config import Settings
from verifier.engines.base import Capabilities, EngineResult, Judged, TokenCount
from verifier.engines.llm import guard, long_articles, waiting
from verifier.engines.llm.faults import describe
from verifier.engines.llm.prompts import Prompt, get_prompt
from verifier.engines.llm.retry import (
    Throttle, aask_until_valid, acall_with_retries, ask_until_valid, call_with_retries,
)
from verifier.engines.llm.wire import (
    Call, body_of, reply_content, request_format, scrub_reply, translated, validate_content,
)
from verifier.errors import VerifierError
from verifier.ingest.article import Article
from verifier.models import AnalysisDraft, Usage

M = TypeVar("M", bound=BaseModel)
DEFAULT_BASE_URL = "https://api.openai.com/v1"  # the openai SDK's, when OPENAI_BASE_URL is not set
_SCHEMA_REJECTED = re.compile(r"response_format|json_schema|structured", re.IGNORECASE)


class LLMEngine:
    name = "llm"
    capabilities = Capabilities(cacheable=True, concurrent=True, priced=True, judges=True, batch_api=True)

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

    @property
    def endpoint(self) -> str | None:
        """The base URL requests go to (the SDK's default when none is set), without a trailing slash."""
        return (self.settings.base_url or DEFAULT_BASE_URL).rstrip("/")

    def warm_up(self) -> None:
        """Nothing to load: the model runs at the endpoint."""

    # -- clients ----------------------------------------------------------

    def _client_kwargs(self, http_client: object | None) -> dict:
        kwargs = dict(api_key=self.settings.api_key or "no-key", base_url=self.settings.base_url,
                      timeout=self.settings.timeout, max_retries=0, http_client=http_client)
        return kwargs

    def client(self, cap: int | None = None):
        """An ``OpenAI`` client for this engine's endpoint, its replies bounded (``guard.py``)
        to ``cap`` bytes, by default the size ``VERIFIER_MAX_TOKENS`` allows."""
        import openai

        http_client = self.http_client or guard.client(cap or guard.reply_cap(self.settings.max_tokens),
                                                       self.settings.timeout)
        return openai.OpenAI(**self._client_kwargs(http_client))

    def async_client(self):
        """An ``AsyncOpenAI`` client for ``aanalyze``; a session shares one."""
        import openai

        http_client = self.async_http_client or guard.async_client(guard.reply_cap(self.settings.max_tokens),
                                                                   self.settings.timeout)
        return openai.AsyncOpenAI(**self._client_kwargs(http_client))

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
        kwargs["response_format"] = request_format(schema, fmt)
        return kwargs

    def wire_args(self, call: Call, messages: list[dict], headers: dict[str, str], schema: type[BaseModel]) -> dict:
        """``request_args`` as sent, counted against ``call``."""
        call.sent += 1
        args = self.request_args(messages, call.fmt, headers, schema)
        # the schema goes out as is: the SDK need not walk it on every request
        args["extra_body"] = {"response_format": args.pop("response_format")}
        return args

    def _send(self, client, call: Call, messages: list[dict], headers: dict[str, str], schema: type[BaseModel]):
        return body_of(client.chat.completions.with_raw_response.create(
            **self.wire_args(call, messages, headers, schema)))

    async def _asend(self, client, call: Call, messages: list[dict], headers: dict[str, str],
                     schema: type[BaseModel]):
        return body_of(await client.chat.completions.with_raw_response.create(
            **self.wire_args(call, messages, headers, schema)))

    def _reply(self, body: dict, call: Call) -> tuple[str, None]:
        """The reply's text, the key and anything like a bearer token in it
        ``[redacted]`` (a prompt-injected article can make a model echo the key);
        validated by the caller's ``validate``."""
        return scrub_reply(reply_content(body, call.usage), [self.settings.api_key]), None

    # -- the analysis -----------------------------------------------------

    def messages_for(self, article: Article, output_language: str | None) -> Callable[[str | None], list[dict]]:
        """The article's conversation, given the schema text (JSON mode) or None."""
        def messages(schema: str | None) -> list[dict]:
            return self.prompt.messages(article=article.text, article_id=article.sha256[:12],
                                        source=article.source, output_language=output_language, schema=schema)
        return messages

    def analyze(self, article: Article, output_language: str | None) -> EngineResult:
        """One request, or one per chunk for an article longer than the context allows."""
        with guard.deadline(self.settings.deadline):
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
        with guard.deadline(self.settings.deadline):
            chunks = long_articles.plan(self, article, output_language)
            if chunks is not None:
                return await long_articles.aanalyze_chunks(self, article, chunks, output_language, client, throttle)
            draft, usage, fmt = await self.acomplete(self.messages_for(article, output_language), AnalysisDraft,
                                                     self.headers(article, output_language), client=client,
                                                     throttle=throttle)
        return EngineResult(draft=draft, usage=usage, response_format=fmt)

    @asynccontextmanager
    async def session(self, concurrency: int) -> AsyncIterator[LLMSession]:
        """Analyses in flight together: one ``AsyncOpenAI`` client, at most
        ``concurrency`` requests at once, one rate limit slowing them all."""
        client = self.async_client()
        try:
            yield LLMSession(self, client, Throttle(concurrency))
        finally:
            await client.close()

    def count_prompt(self, article: Article, output_language: str | None) -> TokenCount:
        """The prompt tokens of the request ``analyze`` would send, with the
        JSON schema that travels with it (tiktoken, else approximate)."""
        from verifier.engines.llm.tokens import count_messages, count_text

        messages = count_messages(self.messages_for(article, output_language)(None), self.model)
        schema = count_text(json.dumps(AnalysisDraft.model_json_schema()), self.model)
        return TokenCount(messages.tokens + schema.tokens, messages.exact and schema.exact, messages.method)

    def batch_api(self):
        """The provider's Batch API on this engine's endpoint, model and prompt."""
        from verifier.engines.llm.batch_api import BatchApi

        return BatchApi(self)

    # -- judging ----------------------------------------------------------

    def judge(self, prompt_id: str, values: dict[str, str], schema: type[M], key: str,
              check: Callable[[M], None] | None = None) -> Judged:
        """One structured reply to ``prompt_id`` filled with ``values``; ``key``
        (a hash of the payload) goes where an article's hash goes, so replay
        finds its fixture the same way."""
        return self._judge(get_prompt(prompt_id), values, schema, key, check)

    def _judge(self, prompt: Prompt, values: dict[str, str], schema: type[M], key: str,
               check: Callable[[M], None] | None) -> Judged:
        reply, used, _fmt = self.complete(lambda schema_json: prompt.render(values, schema_json), schema,
                                          {"X-Verifier-Prompt": prompt.id, "X-Verifier-Article-Sha256": key},
                                          check=check, prompt=prompt)
        return Judged(reply, used)

    # -- one structured answer ----------------------------------------------

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
                 headers: dict[str, str], check: Callable[[M], None] | None = None,
                 prompt: Prompt | None = None) -> tuple[M, Usage, str]:
        """One structured answer: ``messages(schema_json_or_None)`` builds the
        conversation, the reply validates against ``schema`` (and ``check``,
        which raises ``ValueError`` to re-ask, in the words of ``prompt``,
        by default the engine's); returns it with usage and format."""
        client = self.client()
        call = self.start_call()
        reask = (prompt or self.prompt).reask_message

        def ask(conversation: list[dict]) -> tuple[str, BaseModel | None]:
            _raw, body = call_with_retries(lambda: self._send(client, call, conversation, headers, schema),
                                           **self.retry_args())
            return self._reply(body, call)

        def run():
            return ask_until_valid(ask, messages(call.schema_json(schema)), self._validator(schema, check),
                                   reask, self.settings.max_reasks)

        with self._errors(call), guard.deadline(self.settings.deadline), waiting.shown():
            try:
                value = run()
            except Exception as exc:
                if not self._falls_back(exc, call):
                    raise
                value = run()
        return value, call.usage, call.fmt

    async def acomplete(self, messages: Callable[[str | None], list[dict]], schema: type[M],
                        headers: dict[str, str], check: Callable[[M], None] | None = None,
                        prompt: Prompt | None = None, *, client, throttle: Throttle | None = None
                        ) -> tuple[M, Usage, str]:
        """``complete`` on an ``AsyncOpenAI`` client, sharing ``throttle``."""
        call = self.start_call()
        reask = (prompt or self.prompt).reask_message

        async def ask(conversation: list[dict]) -> tuple[str, BaseModel | None]:
            _raw, body = await acall_with_retries(lambda: self._asend(client, call, conversation, headers, schema),
                                                  throttle=throttle, **self.retry_args())
            return self._reply(body, call)

        async def run():
            return await aask_until_valid(ask, messages(call.schema_json(schema)), self._validator(schema, check),
                                          reask, self.settings.max_reasks)

        with self._errors(call), guard.deadline(self.settings.deadline):
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
            with translated([self.settings.api_key],
                            lambda fault: f"the endpoint failed after {call.sent} request(s): {fault}",
                            model=self.model, context_tokens=self.settings.context_tokens):
                yield
        except VerifierError as exc:
            exc.usage = call.usage  # what the failed call spent, for cost accounting
            raise


class LLMSession:
    """Articles analysed together on one async client under one throttle (``LLMEngine.session``)."""

    def __init__(self, engine: LLMEngine, client, throttle: Throttle):
        self.engine, self.client, self.throttle = engine, client, throttle

    async def analyze(self, article: Article, output_language: str | None) -> EngineResult:
        return await self.engine.aanalyze(article, output_language, self.client, self.throttle)
