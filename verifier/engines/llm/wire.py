"""The SDK boundary: what goes out in a request, what comes back, and the endpoint's faults as one-line errors.

Structured output sends a schema as a strict JSON schema: the
``response_format`` that the SDK's ``chat.completions.parse`` builds, taken
once from the SDK (``response_format``), and every reply is validated with
pydantic (``validate_content``).  Servers without ``json_schema`` support
get JSON mode (``response_format={"type": "json_object"}``) with the schema
in the system message (``Call.schema_json``).  ``translated`` turns the
SDK's exceptions into ``VerifierError``s without secrets, for chat
completions and the Batch API alike.
"""

from __future__ import annotations

import functools
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

from pydantic import BaseModel

from verifier.engines.llm.faults import InvalidReply, InvalidResponse, UnusableReply, describe, validation_summary
from verifier.errors import ConfigError, UpstreamError, redact, scrub
from verifier.models import AnalysisDraft, Usage

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
# a prompt longer than the model's context: OpenAI, vLLM, llama.cpp, LM Studio... wordings
_CONTEXT_OVERFLOW = re.compile(r"context[ _](length|size|window)|maximum context|exceeds? (the )?(available )?context"
                               r"|context_length_exceeded|exceed_context_size|prompt is too long", re.IGNORECASE)


@dataclass
class Call:
    """The state of one structured answer: its format, usage and request count."""

    fmt: str
    usage: Usage = field(default_factory=Usage)
    sent: int = 0

    def schema_json(self, schema: type[BaseModel]) -> str | None:
        return json.dumps(schema.model_json_schema(), ensure_ascii=False) if self.fmt == "json_object" else None


def validate_content(content: str, schema: type[BaseModel] = AnalysisDraft) -> BaseModel:
    """Validate a reply's JSON (Markdown fences, which small models add, are dropped)."""
    fenced = _FENCE.match(content)
    return schema.model_validate_json(fenced.group(1) if fenced else content)


def scrub_reply(content: str, secrets: list[str | None]) -> str:
    """A reply with every string of its JSON scrubbed (``errors.scrub``): the
    key, a piece of it, a bearer token become ``[redacted]`` before the reply
    is validated, grounded, cached or shown; a reply that is not JSON is
    scrubbed as text."""
    fenced = _FENCE.match(content)
    try:
        value = json.loads(fenced.group(1) if fenced else content)
    except ValueError:
        return scrub(content, secrets)

    def walk(node):
        if isinstance(node, str):
            return scrub(node, secrets)
        if isinstance(node, list):
            return [walk(item) for item in node]
        if isinstance(node, dict):
            return {walk(key): walk(item) for key, item in node.items()}
        return node

    cleaned = walk(value)
    return content if cleaned == value else json.dumps(cleaned, ensure_ascii=False)


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


def request_format(schema: type[BaseModel], fmt: str) -> dict:
    """The ``response_format`` of a request in format ``fmt`` (json_schema or json_object)."""
    return response_format(schema) if fmt == "json_schema" else {"type": "json_object"}


def body_of(raw) -> tuple[object, dict]:
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


@contextmanager
def translated(secrets: list[str | None], failed: Callable[[str], str], *, model: str | None = None,
               context_tokens: int | None = None):
    """The endpoint's faults as one-line ``VerifierError``s without ``secrets``.

    ``failed(description)`` words a fault of the route (chat completions,
    the Batch API); ``model``, when given, names the model in a 404 (the
    chat completions route); ``context_tokens``, when given, names the
    setting in a prompt-too-long answer, which is not retried."""
    import openai

    try:
        yield
    except InvalidReply as exc:
        raise UpstreamError(redact(
            f"the model's reply did not match the schema after {exc.asks} attempts "
            f"({validation_summary(exc.error, limit=1).lstrip('- ')})", secrets)) from None
    except UnusableReply as exc:
        raise UnusableReply(exc.kind, redact(str(exc), secrets)) from None
    except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
        raise ConfigError(redact(f"the endpoint rejected the credentials ({describe(exc)}); "
                                 "check OPENAI_API_KEY", secrets)) from None
    except openai.NotFoundError as exc:
        if model is None:
            raise UpstreamError(redact(failed(describe(exc)), secrets)) from None
        raise ConfigError(redact(f"the endpoint does not know model {model!r} or the chat "
                                 f"completions route ({describe(exc)}); check VERIFIER_MODEL and "
                                 "OPENAI_BASE_URL", secrets)) from None
    except (openai.OpenAIError, InvalidResponse) as exc:
        if context_tokens is not None and _context_overflow(exc):  # the same request would overflow again
            raise UpstreamError(redact(
                f"the article is too long for the model's context window ({describe(exc)}); set "
                f"VERIFIER_CONTEXT_TOKENS to the model's context size (now {context_tokens}) "
                "so that long articles are split to fit",
                secrets)) from None
        raise UpstreamError(redact(failed(describe(exc)), secrets)) from None


def _context_overflow(exc: BaseException) -> bool:
    """Whether ``exc`` is an endpoint's "the prompt exceeds the context" answer (HTTP 400 or 413)."""
    import openai

    if not isinstance(exc, openai.APIStatusError) or exc.status_code not in (400, 413):
        return False
    body = exc.body if isinstance(exc.body, dict) else {}
    err = body.get("error", body)
    fields = [describe(exc)] + ([str(err.get(k) or "") for k in ("code", "type")] if isinstance(err, dict) else [])
    return any(_CONTEXT_OVERFLOW.search(text) for text in fields)
