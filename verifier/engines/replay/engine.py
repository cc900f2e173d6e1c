"""Replay: the LLM engine's own SDK path, answered by fixtures below HTTP.

``ReplayTransport`` is an ``httpx2`` transport that answers
``POST …/chat/completions`` from ``fixtures/``, finding the fixture by the
request's model and its ``X-Verifier-Prompt`` / ``X-Verifier-Article-Sha256``
headers (the headers every request carries).  Everything above HTTP (the
openai SDK, parsing, validation, grounding) is the live code.  Without
``--model``, replay uses the hand-annotated fixtures.
"""

from __future__ import annotations

import dataclasses
import json

import httpx2

from verifier.config import Settings
from verifier.engines.base import Capabilities, EngineResult, Judged
from verifier.engines.llm.engine import LLMEngine
from verifier.engines.llm.prompts import Prompt
from verifier.engines.replay.fixtures import HAND_ANNOTATED, FixtureKey, FixtureStore, completion_body
from verifier.errors import FixtureMissing
from verifier.ingest.article import Article


class ReplayTransport(httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    def __init__(self, store: FixtureStore):
        self.store = store
        self.requests: list[httpx2.Request] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            return _error(404, f"replay serves only POST /chat/completions, not {request.method} {request.url.path}")
        try:
            body = json.loads(request.content)
        except ValueError:
            return _error(400, "request body is not JSON")
        key = FixtureKey(
            prompt=request.headers.get("x-verifier-prompt", ""),
            model=str(body.get("model", "")),
            article_sha256=request.headers.get("x-verifier-article-sha256", ""),
            output_language=request.headers.get("x-verifier-output-language") or None,
        )
        data = self.store.load(key) if key.prompt and key.article_sha256 else None
        if data is None:
            return _error(404, f"no fixture for {key.describe()}")
        return httpx2.Response(200, json=completion_body(data, key))

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        return self.handle_request(request)


def _error(status: int, message: str) -> httpx2.Response:
    return httpx2.Response(status, json={"error": {"message": message, "type": "replay_error"}})


class ReplayEngine(LLMEngine):
    """The llm engine's SDK path answered from fixtures: it judges and runs
    sessions like the llm engine, but is not cached (fixtures are already
    local; edits to them show at once), not priced, and has no Batch API."""

    name = "replay"
    capabilities = Capabilities(cacheable=False, concurrent=True, judges=True)
    endpoint = None  # answered from local fixtures

    def __init__(self, settings: Settings, prompt: Prompt, model: str | None = None,
                 store: FixtureStore | None = None):
        self.store = store or FixtureStore()
        self.transport = ReplayTransport(self.store)
        replay_settings = dataclasses.replace(settings, api_key=None, base_url="http://replay.invalid/v1",
                                              max_attempts=1)
        super().__init__(replay_settings, prompt, model=model or HAND_ANNOTATED,
                         http_client=httpx2.Client(transport=self.transport),
                         async_http_client=httpx2.AsyncClient(transport=self.transport))

    def analyze(self, article: Article, output_language: str | None) -> EngineResult:
        key = FixtureKey(self.prompt.id, self.model, article.sha256, output_language)
        data = self.store.load(key)
        if data is None:
            raise FixtureMissing(
                f"no fixture for {key.describe()} (expected {self.store.path(key)}); record one from a "
                f"live endpoint with: verifier record {article.source} --model MODEL")
        result = super().analyze(article, output_language)
        result.fixture = self.store.source(data, key)
        return result

    def _judge(self, prompt: Prompt, values: dict[str, str], schema, key: str, check) -> Judged:
        fkey = FixtureKey(prompt.id, self.model, key)
        data = self.store.load(fkey)
        if data is None:
            raise FixtureMissing(f"no fixture for {fkey.describe()} (expected {self.store.path(fkey)})")
        judged = super()._judge(prompt, values, schema, key, check)
        judged.fixture = self.store.source(data, fkey)
        return judged
