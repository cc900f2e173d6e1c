"""The live path over real HTTP: a loopback OpenAI-compatible server, the
official SDK unpatched.  One test per fault, with the request count."""

from __future__ import annotations

import json

import pytest

from tests.helpers.keys import SENTINEL_KEY
from tests.helpers.loopback import LoopbackServer, Step, error, ok
from tests.helpers.paths import SEED_000
from verifier.analysis import AnalyzeOptions, analyze
from verifier.ingest.article import read_article
from verifier.engines import make_engine
from verifier.errors import ConfigError, UpstreamError
from verifier.analysis.views import attributions_view, claims_view, summary_view


def run(cache: bool = False):
    article = read_article(str(SEED_000))
    return analyze(article, make_engine("llm"), AnalyzeOptions(use_cache=cache))


def test_three_views_cost_one_request_carrying_schema_and_model(endpoint, seed_draft_json):
    with endpoint(LoopbackServer([ok(seed_draft_json)])) as server:
        outputs = []
        for view in (summary_view, claims_view, attributions_view):
            outputs.append(view(run(cache=True)))
    assert len(server.requests) == 1
    body = server.requests[0].body
    assert body["model"] == "test-model"
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert set(fmt["json_schema"]["schema"]["properties"]) == {"language", "claims", "attributions", "summary"}
    assert server.requests[0].headers["authorization"] == f"Bearer {SENTINEL_KEY}"
    # the article goes in as delimited data
    user = body["messages"][1]["content"]
    assert "<<<ARTICLE " in user and "<<<END ARTICLE " in user and "Le Kremlin n’a pas tardé" in user
    summary, claims, attributions = outputs
    assert not summary.provenance.cached and claims.provenance.cached and attributions.provenance.cached
    assert claims.provenance.usage.total_tokens == 150
    assert claims.ungrounded == 0 and len(claims.claims) > 10


def test_no_cache_makes_a_new_request(endpoint, seed_draft_json):
    with endpoint(LoopbackServer([ok(seed_draft_json)])) as server:
        run(cache=True)
        run(cache=False)
    assert len(server.requests) == 2


def test_429_then_success_honours_retry_after(endpoint, seed_draft_json):
    script = [error(429, "rate limited", {"retry-after-ms": "300"}), ok(seed_draft_json)]
    with endpoint(LoopbackServer(script)) as server:
        result = run()
    assert len(server.requests) == 2
    assert server.requests[1].at - server.requests[0].at >= 0.3
    assert result.provenance.usage.requests == 1


def test_500_repeated_gives_up_after_max_attempts(endpoint, monkeypatch):
    monkeypatch.setenv("VERIFIER_MAX_ATTEMPTS", "3")
    with endpoint(LoopbackServer([error(500, "boom")])) as server:
        with pytest.raises(UpstreamError, match=r"after 3 request\(s\): HTTP 500"):
            run()
    assert len(server.requests) == 3


def test_timeout_is_retried(endpoint, monkeypatch, seed_draft_json):
    monkeypatch.setenv("VERIFIER_TIMEOUT", "0.5")
    with endpoint(LoopbackServer([Step(body={}, delay=2.0), ok(seed_draft_json)])) as server:
        result = run()
    assert len(server.requests) == 2
    assert result.claims


def test_repeated_timeouts_fail_with_one_line(endpoint, monkeypatch):
    monkeypatch.setenv("VERIFIER_TIMEOUT", "0.3")
    monkeypatch.setenv("VERIFIER_MAX_ATTEMPTS", "2")
    with endpoint(LoopbackServer([Step(body={}, delay=1.0)])) as server:
        with pytest.raises(UpstreamError, match=r"no complete reply within 0.3 s \(VERIFIER_TIMEOUT, per request\)"):
            run()
    assert len(server.requests) == 2


def test_invalid_json_reply_is_reasked_then_fails(endpoint, monkeypatch):
    monkeypatch.setenv("VERIFIER_MAX_REASKS", "2")
    with endpoint(LoopbackServer([ok("this is not JSON {")])) as server:
        with pytest.raises(UpstreamError, match="did not match the schema after 3 attempts"):
            run()
    assert len(server.requests) == 3
    # each re-ask carries the bad reply and the validation error back to the model
    last = server.requests[-1].body["messages"]
    assert last[-2] == {"role": "assistant", "content": "this is not JSON {"}
    assert "Invalid JSON" in last[-1]["content"]


def test_non_json_body_is_retried_then_fails(endpoint, monkeypatch):
    monkeypatch.setenv("VERIFIER_MAX_ATTEMPTS", "3")
    with endpoint(LoopbackServer([Step(body="<html>proxy error</html>")])) as server:
        with pytest.raises(UpstreamError, match="invalid response body"):
            run()
    assert len(server.requests) == 3


def test_schema_invalid_then_valid(endpoint, seed_draft_json):
    bad = json.loads(seed_draft_json)
    bad["claims"][0]["modality"] = "probably"
    del bad["summary"]
    with endpoint(LoopbackServer([ok(json.dumps(bad)), ok(seed_draft_json)])) as server:
        result = run()
    assert len(server.requests) == 2
    feedback = server.requests[1].body["messages"][-1]["content"]
    assert "claims.0.modality" in feedback and "summary" in feedback
    assert result.provenance.usage.requests == 2 and result.provenance.usage.total_tokens == 300


def test_refusal_is_asked_once_more_then_a_clear_error(endpoint, monkeypatch):
    refusal = ok(None, refusal="I can't help with that.")
    with endpoint(LoopbackServer([refusal, refusal, refusal])) as server:
        with pytest.raises(UpstreamError, match="refused.*I can't help with that"):
            run()
    assert len(server.requests) == 2
    monkeypatch.setenv("VERIFIER_MAX_REASKS", "0")
    with endpoint(LoopbackServer([refusal])) as server:
        with pytest.raises(UpstreamError, match="refused"):
            run()
    assert len(server.requests) == 1


def test_length_truncation_is_asked_once_more_then_a_clear_error(endpoint):
    cut = ok('{"language": "fr", "claims": [', finish_reason="length")
    with endpoint(LoopbackServer([cut, cut, cut])) as server:
        with pytest.raises(UpstreamError, match="cut off.*VERIFIER_MAX_TOKENS"):
            run()
    assert len(server.requests) == 2


def test_json_mode_fallback_when_json_schema_is_rejected(endpoint, seed_draft_json):
    script = [error(400, "response_format json_schema is not supported"), ok(f"```json\n{seed_draft_json}\n```")]
    with endpoint(LoopbackServer(script)) as server:
        result = run()
    assert len(server.requests) == 2
    second = server.requests[1].body
    assert second["response_format"] == {"type": "json_object"}
    assert '"AnalysisDraft"' in second["messages"][0]["content"]  # the schema travels in the prompt
    assert result.provenance.response_format == "json_object"


def test_json_object_mode_by_configuration(endpoint, monkeypatch, seed_draft_json):
    monkeypatch.setenv("VERIFIER_RESPONSE_FORMAT", "json_object")
    with endpoint(LoopbackServer([ok(seed_draft_json)])) as server:
        run()
    assert server.requests[0].body["response_format"] == {"type": "json_object"}


def test_rejected_key_is_a_configuration_error_without_the_key(endpoint):
    message = f"Incorrect API key provided: {SENTINEL_KEY}"
    with endpoint(LoopbackServer([error(401, message)])) as server:
        with pytest.raises(ConfigError) as info:
            run()
    assert len(server.requests) == 1
    assert SENTINEL_KEY not in str(info.value) and "[redacted]" in str(info.value)


def test_connection_refused_is_retried_then_upstream_error(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("VERIFIER_MAX_ATTEMPTS", "2")
    with pytest.raises(UpstreamError, match="could not connect"):
        run()


def test_llm_engine_without_endpoint_is_a_configuration_error():
    with pytest.raises(ConfigError, match="OPENAI_API_KEY or OPENAI_BASE_URL"):
        make_engine("llm")


def test_a_broken_cache_never_costs_the_result(endpoint, monkeypatch, tmp_path, seed_draft_json):
    (tmp_path / "cache-file").write_text("not a directory")
    monkeypatch.setenv("VERIFIER_CACHE_DIR", str(tmp_path / "cache-file"))
    with endpoint(LoopbackServer([ok(seed_draft_json)])) as server:
        result = run(cache=True)
    assert result.claims and len(server.requests) == 1
