"""Replay serves fixtures through the SDK's HTTP path; record captures them."""

from __future__ import annotations

import json

import httpx2
import pytest

from tests.helpers.keys import SENTINEL_KEY
from tests.helpers.loopback import LoopbackServer, ok
from tests.helpers.paths import SEED_000, SEED_001
from verifier.analysis import AnalyzeOptions, analyze
from verifier.ingest.article import read_article
from verifier.engines import make_engine
from verifier.errors import FixtureMissing, InputError
from verifier.engines.replay.fixtures import FixtureKey, FixtureStore
from verifier.engines.replay.record import record


def test_replay_goes_through_the_sdk_over_http():
    engine = make_engine("replay")
    result = analyze(read_article(str(SEED_001)), engine, AnalyzeOptions(use_cache=False))
    assert len(engine.transport.requests) == 1
    request = engine.transport.requests[0]
    body = json.loads(request.content)
    assert request.url.path == "/v1/chat/completions"
    assert body["response_format"]["type"] == "json_schema" and body["model"] == "hand-annotated"
    assert result.provenance.engine == "replay" and result.provenance.fixture.kind == "hand-annotated"
    assert any(a.is_no_comment for a in result.attributions)


def test_replay_missing_fixture(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Rien à voir.", "utf-8")
    with pytest.raises(FixtureMissing, match=r"model gpt-x.*verifier record .*--model MODEL"):
        analyze(read_article(str(article)), make_engine("replay", model="gpt-x"), AnalyzeOptions(use_cache=False))


def test_record_then_replay(tmp_path, endpoint, seed_draft_json, monkeypatch):
    store = FixtureStore(tmp_path / "fixtures")
    with endpoint(LoopbackServer([ok(seed_draft_json, model="test-model-2026-01-01")])) as server:
        path = record(read_article(str(SEED_000)), store=store)
    assert len(server.requests) == 1
    saved = path.read_text("utf-8")
    data = json.loads(saved)
    assert data["source"] == {"kind": "recorded", "model": "test-model-2026-01-01", "date": data["source"]["date"]}
    assert data["key"]["model"] == "test-model" and data["response"]["choices"][0]["message"]["content"]
    assert SENTINEL_KEY not in saved and "authorization" not in saved.lower()
    # replay it with no endpoint at all
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.setenv("VERIFIER_FIXTURES_DIR", str(store.root))
    result = analyze(read_article(str(SEED_000)), make_engine("replay", model="test-model"), AnalyzeOptions(use_cache=False))
    assert result.provenance.fixture.kind == "recorded"
    assert result.provenance.fixture.model == "test-model-2026-01-01"
    assert result.provenance.usage.total_tokens == 150
    assert result.claims and all(c.grounded for c in result.claims)


def test_record_cli_needs_an_endpoint():
    from tests.helpers.cli import run_cli

    proc = run_cli("record", str(SEED_000))
    assert proc.returncode == 4 and "needs a live endpoint" in proc.stderr.decode()


def test_replay_transport_answers_404_for_unknown_keys():
    from verifier.engines.replay.engine import ReplayTransport

    client = httpx2.Client(transport=ReplayTransport(FixtureStore()))
    r = client.post("http://replay.invalid/v1/chat/completions", json={"model": "m"},
                    headers={"x-verifier-prompt": "analyze@v1", "x-verifier-article-sha256": "0" * 64})
    assert r.status_code == 404 and "no fixture for prompt analyze@v1, model m" in r.json()["error"]["message"]


def test_fixture_key_paths_are_safe_for_any_model_name():
    key = FixtureKey("analyze@v1", "llama3:8b/instruct", "ab" * 32, "en")
    assert str(key.relpath()) == f"responses/analyze@v1/llama3_8b_instruct/{'ab' * 8}.en.json"


def test_record_refuses_an_article_that_needs_chunks(tmp_path, endpoint, monkeypatch):
    monkeypatch.setenv("VERIFIER_CONTEXT_TOKENS", "6000")  # the seed fits; twenty copies do not
    long_article = tmp_path / "long.txt"
    long_article.write_text("\n\n".join([SEED_000.read_text("utf-8").strip()] * 20), "utf-8")
    with endpoint(LoopbackServer([])) as server:
        with pytest.raises(InputError, match=r"too long for one request \(\d+ chunks.*one reply per article"):
            record(read_article(str(long_article)), store=FixtureStore(tmp_path / "fixtures"))
    assert server.requests == []
