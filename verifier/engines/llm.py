"""The LLM engine: one structured chat completion per article.

Structured output uses ``chat.completions.parse`` with ``AnalysisDraft`` as a
strict JSON schema.  Servers without ``json_schema`` support get JSON mode
(``response_format={"type": "json_object"}``) with the schema in the system
message and the same pydantic validation: set ``VERIFIER_RESPONSE_FORMAT=
json_object``, or leave it at ``auto`` to switch when the server rejects
``json_schema`` with HTTP 400.  The SDK's own retries are off; ``retry.py``
owns them, so every request is counted.
"""

from __future__ import annotations

import json
import re
from typing import Callable, TypeVar

from pydantic import BaseModel

from verifier.article import Article
from verifier.config import Settings
from verifier.engines import EngineResult
from verifier.errors import ConfigError, UpstreamError, redact
from verifier.models import AnalysisDraft, Usage
from verifier.prompts import Prompt
from verifier.retry import InvalidReply, InvalidResponse, ask_until_valid, call_with_retries, describe

M = TypeVar("M", bound=BaseModel)
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
_SCHEMA_REJECTED = re.compile(r"response_format|json_schema|structured", re.IGNORECASE)


def validate_content(content: str, schema: type[BaseModel] = AnalysisDraft) -> BaseModel:
    """Validate a reply's JSON (Markdown fences, which small models add, are dropped)."""
    fenced = _FENCE.match(content)
    return schema.model_validate_json(fenced.group(1) if fenced else content)


class LLMEngine:
    name = "llm"
    cacheable = True

    def __init__(self, settings: Settings, prompt: Prompt, model: str | None = None,
                 http_client: object | None = None):
        self.settings = settings
        self.prompt = prompt
        self.model = model or settings.model
        self.http_client = http_client
        self.requests = 0

    @property
    def prompt_id(self) -> str:
        return self.prompt.id

    # -- client -----------------------------------------------------------

    def _client(self):
        import openai

        kwargs = dict(
            api_key=self.settings.api_key or "no-key",
            base_url=self.settings.base_url,
            timeout=self.settings.timeout,
            max_retries=0,
        )
        if self.http_client is not None:
            kwargs["http_client"] = self.http_client
        return openai.OpenAI(**kwargs)

    def _headers(self, article: Article, output_language: str | None) -> dict[str, str]:
        headers = {"X-Verifier-Prompt": self.prompt.id, "X-Verifier-Article-Sha256": article.sha256}
        if output_language:
            headers["X-Verifier-Output-Language"] = output_language
        return headers

    # -- one request ------------------------------------------------------

    def _send(self, client, messages: list[dict], fmt: str, headers: dict[str, str], schema: type[BaseModel]):
        self.requests += 1
        kwargs: dict = dict(model=self.model, messages=messages, extra_headers=headers)
        if self.settings.max_tokens:
            kwargs["max_tokens"] = self.settings.max_tokens
        if self.settings.temperature is not None:
            kwargs["temperature"] = self.settings.temperature
        if fmt == "json_schema":
            raw = client.chat.completions.with_raw_response.parse(response_format=schema, **kwargs)
        else:
            raw = client.chat.completions.with_raw_response.create(
                response_format={"type": "json_object"}, **kwargs)
        try:
            body = raw.http_response.json()
        except ValueError:
            raise InvalidResponse("not JSON") from None
        if not isinstance(body, dict) or not body.get("choices"):
            raise InvalidResponse("no choices in the completion")
        return raw, body

    def _reply(self, raw, body: dict, fmt: str, usage: Usage) -> tuple[str, BaseModel | None]:
        from pydantic import ValidationError

        used = body.get("usage") or {}
        usage.prompt_tokens += int(used.get("prompt_tokens") or 0)
        usage.completion_tokens += int(used.get("completion_tokens") or 0)
        usage.total_tokens += int(used.get("total_tokens") or 0)
        usage.requests += 1
        choice = body["choices"][0]
        message = choice.get("message") or {}
        if message.get("refusal"):
            raise UpstreamError(f"the model refused the request: {str(message['refusal'])[:200]}")
        finish = choice.get("finish_reason")
        if finish == "length":
            raise UpstreamError(
                f"the model's reply was cut off at its output limit ({used.get('completion_tokens', '?')} "
                "tokens); raise VERIFIER_MAX_TOKENS or use a model with a larger output limit")
        if finish == "content_filter":
            raise UpstreamError("the endpoint's content filter stopped the reply")
        content = message.get("content") or ""
        if fmt != "json_schema":
            return content, None
        try:
            return content, raw.parse().choices[0].message.parsed
        except (ValidationError, ValueError):
            return content, None

    # -- the analysis -----------------------------------------------------

    def analyze(self, article: Article, output_language: str | None) -> EngineResult:
        def messages(schema: str | None) -> list[dict]:
            return self.prompt.messages(article=article.text, article_id=article.sha256[:12],
                                        source=article.source, output_language=output_language, schema=schema)

        draft, usage, fmt = self.complete(messages, AnalysisDraft, self._headers(article, output_language))
        return EngineResult(draft=draft, usage=usage, response_format=fmt)

    def complete(self, messages: Callable[[str | None], list[dict]], schema: type[M],
                 headers: dict[str, str], check: Callable[[M], None] | None = None) -> tuple[M, Usage, str]:
        """One structured answer: ``messages(schema_json_or_None)`` builds the
        conversation, the reply validates against ``schema`` (and ``check``,
        which raises ``ValueError`` to re-ask); returns it with usage and format."""
        import openai

        self.requests = 0
        client = self._client()
        usage = Usage()
        fmt = "json_object" if self.settings.response_format == "json_object" else "json_schema"
        secrets = [self.settings.api_key]

        def ask(conversation: list[dict]) -> tuple[str, BaseModel | None]:
            raw, body = call_with_retries(
                lambda: self._send(client, conversation, fmt, headers, schema),
                max_attempts=self.settings.max_attempts, base=self.settings.retry_base,
                max_wait=self.settings.retry_max_wait)
            content, parsed = self._reply(raw, body, fmt, usage)
            # with a ``check``, every reply goes through ``validate``, so a failed check re-asks
            return content, None if check else parsed

        def validate(content: str):
            value = validate_content(content, schema)
            if check:
                check(value)
            return value

        def run():
            schema_json = json.dumps(schema.model_json_schema(), ensure_ascii=False) if fmt == "json_object" else None
            return ask_until_valid(ask, messages(schema_json), validate, self.prompt.reask_message,
                                   self.settings.max_reasks)

        try:
            try:
                value = run()
            except openai.BadRequestError as exc:
                if not (self.settings.response_format == "auto" and fmt == "json_schema"
                        and _SCHEMA_REJECTED.search(describe(exc))):
                    raise
                fmt = "json_object"  # the server does not take json_schema: JSON mode
                value = run()
        except InvalidReply as exc:
            raise UpstreamError(redact(
                f"the model's reply did not match the schema after {exc.asks} attempts "
                f"({_first_error(exc.error)})", secrets)) from None
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            raise ConfigError(redact(f"the endpoint rejected the credentials ({describe(exc)}); "
                                     "check OPENAI_API_KEY", secrets)) from None
        except openai.NotFoundError as exc:
            raise ConfigError(redact(f"the endpoint does not know model {self.model!r} or the chat "
                                     f"completions route ({describe(exc)}); check VERIFIER_MODEL and "
                                     "OPENAI_BASE_URL", secrets)) from None
        except (openai.OpenAIError, InvalidResponse) as exc:
            raise UpstreamError(redact(
                f"the endpoint failed after {self.requests} request(s): {describe(exc)}", secrets)) from None
        return value, usage, fmt


def _first_error(exc: Exception) -> str:
    from verifier.retry import validation_summary

    return validation_summary(exc, limit=1).lstrip("- ")
