"""Endpoint faults injected by the loopback server's ``FaultPlan``, through the
real SDK over HTTP: each kind once then a good answer (the result is right and
the request count shows the retry), each kind for good (one line naming the
reason, exit 5, no traceback), a context overflow (not retried), and a batch
of 200 articles at 20 % faults that loses nothing and completes on a re-run."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers.cli import claims_in_process, run_cli, without_configuration
from tests.helpers.fixtures import fixture_content
from tests.helpers.loopback import FAULT_KINDS, FaultPlan, LoopbackServer, Step, answer_numbered, numbered_article, ok
from tests.helpers.paths import ROOT, SEED_000
from verifier.batch import BatchOptions, run_batch
from verifier.engines import make_engine
from verifier.models import BatchRecord

GOOD = fixture_content("49e59250b2ff3938")
TRANSIENT = ("429", "500", "503", "timeout", "truncated", "invalid_json")
# the reason each fault gives once its budget is spent
REASONS = {
    "429": r"the endpoint failed after 2 request\(s\): HTTP 429 .*Rate limit reached",
    "500": r"the endpoint failed after 2 request\(s\): HTTP 500 .*had an error",
    "503": r"the endpoint failed after 2 request\(s\): HTTP 503 .*overloaded",
    "timeout": r"the endpoint failed after 2 request\(s\): the endpoint sent no complete reply within 1 s "
               r"\(VERIFIER_TIMEOUT, per request\)",
    "truncated": r"the endpoint failed after 2 request\(s\): the endpoint closed the connection before the whole "
                 r"response arrived",
    "invalid_json": r"the endpoint failed after 2 request\(s\): invalid response body \(not JSON\)",
    "schema_invalid": r"the model's reply did not match the schema after 3 attempts \(language: Field required\)",
    "refusal": r"the model refused the request in each of 2 replies: I'm sorry, but I can't help",
    "length": r"the model's reply was cut off at its output limit \(50 tokens\) in each of 2 replies; raise "
              r"VERIFIER_MAX_TOKENS",
}
REQUESTS = {**dict.fromkeys(TRANSIENT, 2), "schema_invalid": 3, "refusal": 2, "length": 2}


@pytest.fixture
def faulty(endpoint, monkeypatch):
    """A server answering the seed's hand-annotated draft, with ``plan``'s faults."""
    monkeypatch.setenv("VERIFIER_TIMEOUT", "1")
    monkeypatch.setenv("VERIFIER_MAX_ATTEMPTS", "2")

    def make(plan: FaultPlan | None = None, script=None) -> LoopbackServer:
        reply = ok(json.dumps(GOOD, ensure_ascii=False))
        return endpoint(LoopbackServer(script or [reply], faults=plan))
    return make


def claims(monkeypatch, capsys) -> tuple[int, str, str]:
    """``verifier claims SEED --engine llm --json --no-cache`` in this process: (exit code, stdout, stderr)."""
    return claims_in_process(monkeypatch, capsys)


def chat(server: LoopbackServer) -> list:
    return [r for r in server.requests if r.path.endswith("/chat/completions")]


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_one_fault_then_the_answer(kind, faulty, monkeypatch, capsys):
    with faulty(FaultPlan(rate=1.0, kinds=[kind], per_key=1, retry_after=1 if kind == "429" else 0.3)) as server:
        code, out, err = claims(monkeypatch, capsys)
    assert code == 0, err
    assert dict(server.injected) == {kind: 1} and server.completions == 1
    sent = chat(server)
    assert len(sent) == 2  # the fault, then the answer
    result = json.loads(out)
    assert [c["text"] for c in result["claims"]] == [c["text"] for c in GOOD["claims"]]
    assert result["ungrounded"] == 0 and result["provenance"]["usage"]["requests"] == (2 if kind in (
        "schema_invalid", "refusal", "length") else 1)  # an answer that came back is counted (and paid)
    gap = sent[1].at - sent[0].at
    first, second = sent[0].body["messages"], sent[1].body["messages"]
    if kind == "429":
        assert gap >= 1.0  # Retry-After: 1 honoured
    elif kind == "503":
        assert gap >= 0.3  # retry-after-ms: 300 honoured
    elif kind == "timeout":
        assert 1.0 <= gap < 3.0  # cut at VERIFIER_TIMEOUT=1, although the server holds the answer 30 s
    if kind == "schema_invalid":  # asked again with the validation error
        assert second[:len(first)] == first and second[-2]["role"] == "assistant"
        assert "language" in second[-1]["content"] and "Field required" in second[-1]["content"]
    else:  # the same request again
        assert second == first


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_a_fault_that_persists_is_one_line_exit_5(kind, faulty, monkeypatch, capsys):
    started = time.monotonic()
    with faulty(FaultPlan(rate=1.0, kinds=[kind], retry_after=0.05)) as server:
        code, out, err = claims(monkeypatch, capsys)
    assert code == 5 and not out
    assert err.count("\n") == 1 and err.startswith("verifier: error: ") and "Traceback" not in err
    assert re.search(REASONS[kind], err), err
    assert len(chat(server)) == REQUESTS[kind] == server.injected[kind]
    assert time.monotonic() - started < 15  # bounded, even for timeouts


@pytest.mark.parametrize("message,kind", [
    ("the request exceeds the available context size, try increasing it", "exceed_context_size_error"),  # llama.cpp
    ("This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. "
     "Please reduce the length of the messages.", "invalid_request_error"),  # OpenAI
])
def test_context_overflow_is_not_retried_and_names_the_setting(message, kind, faulty, monkeypatch, capsys):
    overflow = Step(400, {"error": {"message": message, "type": kind, "param": None, "code": None}})
    with faulty(script=[overflow]) as server:
        code, out, err = claims(monkeypatch, capsys)
    assert code == 5 and err.count("\n") == 1 and "Traceback" not in err
    assert "the article is too long for the model's context window" in err and "VERIFIER_CONTEXT_TOKENS" in err
    assert len(chat(server)) == 1


def test_timeouts_in_a_real_process_end_with_one_line(endpoint):
    started = time.monotonic()
    with endpoint(LoopbackServer([ok(json.dumps(GOOD))], faults=FaultPlan(rate=1.0, kinds=["timeout"]))) as server:
        env = {"OPENAI_BASE_URL": server.base_url, "VERIFIER_TIMEOUT": "1", "VERIFIER_MAX_ATTEMPTS": "2"}
        proc = run_cli("claims", str(SEED_000), "--engine", "llm", env=env)
    stderr = without_configuration(proc.stderr.decode())
    assert proc.returncode == 5 and stderr.count("\n") == 1 and "Traceback" not in stderr
    assert "after 2 request(s): the endpoint sent no complete reply within 1 s (VERIFIER_TIMEOUT, per request)" \
        in stderr
    assert len(chat(server)) == 2 and time.monotonic() - started < 30  # not the 2 x 30 s the server holds


def test_fault_plan_draws_from_seed_key_and_attempt_alone():
    plan = FaultPlan(rate=0.2, seed=3)
    draws = {(key, n): plan.draw(key, n) for key in ("a", "b", "c") for n in range(400)}
    assert draws == {(key, n): FaultPlan(rate=0.2, seed=3).draw(key, n) for key, n in draws}  # no state
    kinds = Counter(k for k in draws.values() if k)
    assert set(kinds) == set(FAULT_KINDS) and 0.15 < kinds.total() / len(draws) < 0.25
    assert [plan.draw("a", n) for n in range(50)] != [FaultPlan(rate=0.2, seed=4).draw("a", n) for n in range(50)]
    with pytest.raises(ValueError, match="fault kinds"):
        FaultPlan(kinds=["404"])


def test_standalone_server_injects_faults_and_counts_them(tmp_path):
    import openai

    content = tmp_path / "content.json"
    content.write_text('{"claims": []}', "utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "tests.helpers.loopback", "--content-file", str(content),
                             "--fault-rate", "1", "--fault-kinds", "503", "--fault-retry-after", "2"],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        client = openai.OpenAI(base_url=proc.stdout.readline().strip(), api_key="sk-test", max_retries=0)
        with pytest.raises(openai.InternalServerError) as caught:
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": "q"}])
        assert caught.value.status_code == 503 and caught.value.response.headers["retry-after"] == "2"
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert json.loads(out.strip().splitlines()[-1]) == {"requests": 1, "completions": 0, "rate_limited": 0,
                                                         "faults": {"503": 1}}


# -- 200 articles, 20 % faults -------------------------------------------------------------------

FAILURE_REASONS = [r for kind, r in REASONS.items() if kind in TRANSIENT] + [
    r"did not match the schema after 2 attempts", r"refused the request", r"cut off at its output limit"]


def records(out: Path) -> list[BatchRecord]:
    return [BatchRecord.model_validate_json(line) for line in out.read_text("utf-8").splitlines()]


def test_200_articles_at_20_percent_faults_lose_nothing_and_a_rerun_completes(tmp_path, endpoint, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(200):
        (folder / f"{i:03d}.txt").write_text(numbered_article(i), "utf-8")
    ids = {str(p) for p in folder.iterdir()}
    out = tmp_path / "out.jsonl"
    for name, value in {"VERIFIER_TIMEOUT": "1", "VERIFIER_MAX_ATTEMPTS": "2", "VERIFIER_MAX_REASKS": "1"}.items():
        monkeypatch.setenv(name, value)
    plan = FaultPlan(rate=0.2, seed=7, retry_after=0.05)
    with endpoint(LoopbackServer(responder=answer_numbered, faults=plan)) as server:
        first = run_batch([str(folder)], out, make_engine(), BatchOptions(concurrency=16, progress=False))
        first_requests = len(chat(server))

        written = records(out)
        assert len(written) == 200 and {r.id for r in written} == ids  # one record per article, none twice
        done = [r for r in written if r.status == "done"]
        failed = [r for r in written if r.status == "failed"]
        assert len(done) + len(failed) == 200 and (first.done, len(first.failed)) == (len(done), len(failed))
        assert all(r.analysis.claims and all(c.grounded for c in r.analysis.claims) for r in done)
        assert failed, "seed 7 makes some articles fail: the budget is small on purpose"
        for r in failed:
            assert r.error_type == "upstream" and r.article_sha256
            assert any(re.search(reason, r.error) for reason in FAILURE_REASONS), r.error
        assert set(server.injected) == set(FAULT_KINDS) and sum(server.injected.values()) >= 30
        assert first_requests > 200

        # the endpoint recovers; --retry-failed sends the failed articles, and only them, once each
        server.faults = None
        monkeypatch.setenv("VERIFIER_TIMEOUT", "30")
        rerun = run_batch([str(folder)], out, make_engine(), BatchOptions(concurrency=16, retry_failed=True, progress=False))
        again = [r.headers["x-verifier-article-sha256"] for r in chat(server)[first_requests:]]
    assert sorted(again) == sorted(r.article_sha256 for r in failed)
    assert (rerun.already_done, rerun.done, rerun.failed) == (len(done), len(failed), [])
    final = {r.id: r for r in records(out)}  # the last line per id wins
    assert set(final) == ids and all(r.status == "done" for r in final.values())
