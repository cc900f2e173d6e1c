"""``verifier record``: capture a live endpoint's answer as a fixture.

The engine runs against the configured endpoint through a transport that
keeps the body of the last successful chat completion; once that reply has
validated, it is saved with ``source.kind = "recorded"``, the model the
endpoint reported and today's date.  Request headers (and so the API key)
are never stored, and a reply that holds the key (an endpoint echoing it)
is refused.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx2

from verifier.ingest.article import Article
from verifier.config import Settings
from verifier.errors import ConfigError, InputError, UpstreamError, leaks
from verifier.engines.replay.fixtures import FixtureKey, FixtureStore


class RecordingTransport(httpx2.BaseTransport):
    def __init__(self, inner: httpx2.BaseTransport | None = None):
        self.inner = inner or httpx2.HTTPTransport()
        self.last: dict | None = None

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self.inner.handle_request(request)
        if request.url.path.endswith("/chat/completions") and response.status_code == 200:
            response.read()
            try:
                self.last = json.loads(response.content)
            except ValueError:
                self.last = None
        return response

    def close(self) -> None:
        self.inner.close()


def record(article: Article, *, model: str | None = None, prompt: str | None = None,
           output_language: str | None = None, settings: Settings | None = None,
           store: FixtureStore | None = None, inner: httpx2.BaseTransport | None = None) -> Path:
    """Analyse ``article`` live and save the validated reply as a fixture."""
    from verifier.engines import make_engine
    from verifier.engines.llm import long_articles

    settings = settings or Settings.from_env()
    if not settings.endpoint_configured:
        raise ConfigError("recording needs a live endpoint: set OPENAI_API_KEY or OPENAI_BASE_URL")
    from verifier.engines.llm import guard

    # the reply's size and time bounded as on the live path (guard.py), beneath the recording
    transport = RecordingTransport(guard.transport(inner or httpx2.HTTPTransport(),
                                                   guard.reply_cap(settings.max_tokens), settings.timeout))
    engine = make_engine("llm", model=model, prompt=prompt, settings=settings,
                         http_client=httpx2.Client(transport=transport, timeout=settings.timeout))
    chunks = long_articles.plan(engine, article, output_language)
    if chunks is not None:
        raise InputError(f"{article.source}: too long for one request ({len(chunks)} chunks at "
                         f"VERIFIER_CONTEXT_TOKENS={settings.context_tokens}); a fixture holds one reply per article")
    engine.analyze(article, output_language)
    if transport.last is None:
        raise ConfigError("the endpoint's reply could not be captured")
    if leaks(json.dumps(transport.last, ensure_ascii=False), [settings.api_key]):
        raise UpstreamError("the endpoint's reply holds the API key; it was not saved")
    store = store or FixtureStore()
    key = FixtureKey(engine.prompt_id, engine.model, article.sha256, output_language)
    served = str(transport.last.get("model") or engine.model)
    return store.save_recorded(key, transport.last, model=served, date=date.today().isoformat(),
                               article=_relative_article(article, store))


def _relative_article(article: Article, store: FixtureStore) -> str | None:
    try:
        return str(Path(article.source).resolve().relative_to(store.root.resolve()))
    except ValueError:
        return None
