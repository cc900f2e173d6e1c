"""The HTTP service in-process (FastAPI's TestClient): auth, problems, parity with the CLI, jobs, limits.

One application (one warm worker process) serves the whole module; tests that need another
configuration build their own.  The real server, over a loopback port, is in test_service_uvicorn.py.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.helpers.cli import run_cli
from tests.helpers.paths import SEED_000, SEED_001
from verifier.cli import app as cli_app
from verifier.service.app import create_app
from verifier.service.auth import key_matches
from verifier.service.settings import EngineSpec, ServiceSettings, check_bind

KEY = "svc-test-key-0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}
SEED_TEXT = SEED_000.read_text("utf-8")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """A warm service with one worker and an API key; its workers see an isolated cache."""
    root = tmp_path_factory.mktemp("service")
    with pytest.MonkeyPatch.context() as mp:
        import os

        for name in list(os.environ):
            if name.startswith(("OPENAI_", "VERIFIER_")):
                mp.delenv(name)
        mp.setenv("VERIFIER_CACHE_DIR", str(root / "cache"))
        settings = ServiceSettings(engine=EngineSpec(), api_keys=(KEY, "another-key-abcdef"), workers=1, queue=2,
                                   timeout=120, data_dir=root / "data")
        with TestClient(create_app(settings)) as c:
            yield c


def _problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["title"] and "\n" not in body["detail"]
    return body


def _cli(*args: str):
    return CliRunner().invoke(cli_app, list(args))


# --- health, auth -------------------------------------------------------------------------------


def test_healthz_answers_without_a_key_and_says_what_is_loaded(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["engine"] == "offline" and body["models_loaded"] is True
    assert body["workers"] == 1


def test_every_v1_route_needs_a_valid_key(client):
    for method, path in (("post", "/v1/who-said-what"), ("post", "/v1/claims"), ("post", "/v1/summarize"),
                         ("post", "/v1/analyze"), ("post", "/v1/diff"), ("post", "/v1/verify"),
                         ("post", "/v1/jobs"), ("get", "/v1/jobs/job_abc"), ("post", "/v1/report")):
        r = client.request(method.upper(), path, json={"text": "x"} if method == "post" else None)
        body = _problem(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer"), path
        assert KEY not in r.text
    wrong = client.post("/v1/claims", json={"text": "Il pleut."}, headers={"Authorization": "Bearer nope"})
    body = _problem(wrong, 401)
    assert "not valid" in body["detail"] and "nope" not in body["detail"]
    assert client.post("/v1/claims", json={"text": "Il pleut à Paris."}, headers=AUTH).status_code == 200
    other = {"Authorization": "Bearer another-key-abcdef"}
    assert client.post("/v1/claims", json={"text": "Il pleut à Paris."}, headers=other).status_code == 200


def test_key_comparison_checks_every_key():
    keys = ("alpha-key", "beta-key")
    assert key_matches("beta-key", keys) and key_matches("alpha-key", keys)
    assert not key_matches("beta-ke", keys) and not key_matches("", keys) and not key_matches("x", ())


@pytest.mark.parametrize("host, allowed", [("127.0.0.1", True), ("::1", True), ("localhost", True),
                                           ("0.0.0.0", False), ("192.168.1.4", False), ("::", False)])
def test_without_keys_only_loopback_may_be_bound(host, allowed):
    from verifier.errors import ConfigError

    if allowed:
        check_bind(host, ())
    else:
        with pytest.raises(ConfigError, match="without API keys"):
            check_bind(host, ())
    check_bind(host, ("k",))  # with keys any address is fine


# --- the same JSON as the CLI ---------------------------------------------------------------------


def test_api_and_cli_give_the_same_attributions_claims_and_summary(client):
    api = client.post("/v1/who-said-what", json={"text": SEED_TEXT}, headers=AUTH)
    assert api.status_code == 200 and api.headers["content-type"] == "application/json"
    cli = _cli("who-said-what", str(SEED_000), "--json")
    assert cli.exit_code == 0, cli.output
    api_out, cli_out = api.json(), json.loads(cli.stdout)
    assert api_out["attributions"] and api_out["attributions"] == cli_out["attributions"]
    assert api_out["article"]["sha256"] == cli_out["article"]["sha256"]
    assert api_out["provenance"]["prompt"] == cli_out["provenance"]["prompt"]

    for view, key in (("claims", "claims"), ("summarize", "summary")):
        api = client.post(f"/v1/{view}", json={"text": SEED_TEXT}, headers=AUTH).json()
        cli = json.loads(_cli(view, str(SEED_000), "--json").stdout)
        assert api[key] and api[key] == cli[key], view

    whole = client.post("/v1/analyze", json={"text": SEED_TEXT}, headers=AUTH).json()
    assert whole["attributions"] == cli_out["attributions"] and whole["claims"] and whole["summary"]


def test_summary_length_and_language_options_reach_the_engine(client):
    r = client.post("/v1/summarize", json={"text": SEED_TEXT, "sentences": 2}, headers=AUTH)
    assert r.status_code == 200 and len(r.json()["summary"]) == 2


def test_diff_and_verify_answer_the_cli_json(client):
    old, new = SEED_TEXT, SEED_TEXT.replace("2022", "2021", 1)
    assert old != new
    r = client.post("/v1/diff", json={"old": {"text": old}, "new": {"text": new}}, headers=AUTH)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["counts"] and any(p["status"] == "changed" for p in report["pairs"])

    claims = ["Elon Musk a parlé à Vladimir Poutine."]
    r = client.post("/v1/verify", json={"claims": claims, "source": {"text": SEED_TEXT}}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert [c["text"] for c in r.json()["claims"]] == claims
    bad = client.post("/v1/verify", json={"claims": [], "source": {"text": SEED_TEXT}}, headers=AUTH)
    assert "expected a JSON list of claims" in _problem(bad, 422)["detail"]


def test_openapi_and_verifier_schema_agree(client):
    from verifier.models import OUTPUT_SCHEMAS

    spec = client.get("/openapi.json").json()
    components = spec["components"]["schemas"]
    for path, name in (("/v1/who-said-what", "who-said-what"), ("/v1/claims", "claims"),
                       ("/v1/summarize", "summarize"), ("/v1/analyze", "analysis"), ("/v1/diff", "diff"),
                       ("/v1/verify", "verify")):
        ref = spec["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        served = components[ref.rsplit("/", 1)[1]]
        ours = OUTPUT_SCHEMAS[name].model_json_schema()
        assert set(served["properties"]) == set(ours["properties"]), path
        assert sorted(served.get("required", [])) == sorted(ours.get("required", [])), path
        assert "401" in spec["paths"][path]["post"]["responses"] and "422" in spec["paths"][path]["post"]["responses"]


# --- bad input: problem documents with the CLI's lines ---------------------------------------------


def test_bad_input_is_a_problem_with_the_cli_line(client, tmp_path):
    empty = _problem(client.post("/v1/claims", json={"text": "  \n"}, headers=AUTH), 422)
    assert empty["detail"] == "<text>: the article is empty"
    (tmp_path / "empty.txt").write_text("  \n")
    cli = run_cli("claims", str(tmp_path / "empty.txt"))
    assert cli.returncode == 3 and cli.stderr.decode().endswith(": the article is empty\n")

    binary = _problem(client.post("/v1/claims", json={"text": "ab\x00\x00cd" * 50}, headers=AUTH), 422)
    assert "binary" in binary["detail"]

    both = _problem(client.post("/v1/claims", json={"text": "x", "url": "https://example.org/"}, headers=AUTH), 422)
    assert both["detail"] == 'give exactly one of "text" or "url"'
    neither = _problem(client.post("/v1/claims", json={}, headers=AUTH), 422)
    assert neither["detail"] == 'give exactly one of "text" or "url"'

    engine = _problem(client.post("/v1/claims", json={"text": "x", "engine": "nope"}, headers=AUTH), 422)
    cli = run_cli("claims", str(SEED_000), "--engine", "nope")
    assert cli.returncode == 4 and cli.stderr.decode() == f"verifier: error: {engine['detail']}\n"
    assert engine["detail"] == "unknown engine 'nope'; choose one of: offline, llm, replay"

    not_json = _problem(client.post("/v1/claims", content=b"{not json", headers={**AUTH, "Content-Type":
                                                                                  "application/json"}), 422)
    assert not_json["detail"]
    unknown_field = _problem(client.post("/v1/claims", json={"text": "x", "txet": 1}, headers=AUTH), 422)
    assert "txet" in unknown_field["detail"]


def test_a_body_over_10_mb_is_refused_413(client):
    big = json.dumps({"text": "a" * (10 * 1024 * 1024 + 10)})
    body = _problem(client.post("/v1/claims", content=big, headers={**AUTH, "Content-Type": "application/json"}),
                    413)
    assert "10 MB" in body["detail"]

    def chunks():  # no Content-Length: counted as it arrives
        yield b'{"text": "'
        for _ in range(11):
            yield b"a" * (1024 * 1024)
        yield b'"}'

    body = _problem(client.post("/v1/claims", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}),
                    413)
    assert "10 MB" in body["detail"] and body["type"] == "urn:verifier:problem:too-large"


def test_private_addresses_are_refused_as_url_inputs(client):
    for url in ("http://127.0.0.1:9/article", "http://169.254.169.254/latest/meta-data/",
                "http://10.1.2.3/x", "http://[::1]/x", "http://localhost/x"):
        body = _problem(client.post("/v1/claims", json={"url": url}, headers=AUTH), 422)
        assert "refused" in body["detail"] and "VERIFIER_ALLOW_PRIVATE_URLS" in body["detail"], url


def test_unknown_routes_and_methods_are_problems(client):
    _problem(client.get("/v1/nothing", headers=AUTH), 404)
    _problem(client.get("/v1/claims", headers=AUTH), 405)


# --- busy: 429 with Retry-After; health stays fast -------------------------------------------------


def test_beyond_the_queue_the_service_answers_429_and_health_stays_fast(client):
    pool = client.app.state.pool
    long_text = "\n\n".join(SEED_TEXT + f"\n\nParagraphe {n} : le ministre a déclaré qu'il viendrait." for n in range(8))
    results = {}

    def slow():
        results["slow"] = client.post("/v1/who-said-what", json={"text": long_text}, headers=AUTH)

    saved = pool.limit
    pool.limit = 1
    try:
        worker = threading.Thread(target=slow)
        worker.start()
        deadline = time.monotonic() + 10
        while pool.busy == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        assert pool.busy == 1
        started = time.perf_counter()
        health = client.get("/healthz")
        took = time.perf_counter() - started
        busy = client.post("/v1/claims", json={"text": "Il pleut."}, headers=AUTH)
        still_busy = pool.busy
        worker.join(60)
    finally:
        pool.limit = saved
    assert health.status_code == 200 and health.json()["busy"] == 1 and took < 0.1
    assert still_busy == 1, "the slow analysis finished before the second request: nothing was tested"
    body = _problem(busy, 429)
    assert int(busy.headers["retry-after"]) >= 1 and "busy" in body["detail"]
    assert results["slow"].status_code == 200


# --- jobs -----------------------------------------------------------------------------------------


def _wait(client, job_id: str, until=("done", "failed", "cancelled"), timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}", headers=AUTH).json()
        if job["status"] in until:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job['status']}")


def test_a_job_of_several_items_completes_with_one_result_line_per_item(client):
    items = [{"custom_id": "seed-0", "text": SEED_TEXT}, {"custom_id": "seed-1", "text": SEED_001.read_text()},
             {"custom_id": "short", "text": "« Nous ne céderons pas », a déclaré la ministre, Anne Dupont."},
             {"custom_id": "empty", "text": "   "}]
    r = client.post("/v1/jobs", json={"task": "who-said-what", "items": items}, headers=AUTH)
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] in ("queued", "running") and job["counts"]["total"] == 4
    job = _wait(client, job["id"])
    assert job["status"] == "done" and job["counts"] == {"total": 4, "done": 3, "failed": 1, "pending": 0}

    r = client.get(job["results_url"], headers=AUTH)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/jsonl")
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert [x["custom_id"] for x in lines] == ["seed-0", "seed-1", "short", "empty"]
    assert lines[3]["response"] is None and lines[3]["error"] == {"code": "input",
                                                                 "message": "<empty>: the article is empty"}
    direct = client.post("/v1/who-said-what", json={"text": SEED_TEXT}, headers=AUTH).json()
    assert lines[0]["response"]["status_code"] == 200
    assert lines[0]["response"]["body"]["attributions"] == direct["attributions"]
    speakers = {a["speaker"]["name"] for a in lines[2]["response"]["body"]["attributions"]}
    assert any("Dupont" in s for s in speakers)
    other = {"Authorization": "Bearer another-key-abcdef"}  # a job belongs to the key that created it
    for method, path in (("GET", f"/v1/jobs/{job['id']}"), ("GET", job["results_url"]),
                         ("DELETE", f"/v1/jobs/{job['id']}")):
        _problem(client.request(method, path, headers=other), 404)
    assert job["id"] not in (tmp := json.dumps(client.app.state.store.load(job["id"]).owner))
    assert KEY not in tmp and KEY not in (client.app.state.store.root / job["id"] / "job.json").read_text()
    # finished: cancelling changes nothing
    assert client.delete(f"/v1/jobs/{job['id']}", headers=AUTH).json()["status"] == "done"


def test_jobs_reject_bad_requests_and_unknown_ids(client):
    dup = [{"custom_id": "a", "text": "x"}, {"custom_id": "a", "text": "y"}]
    assert "appears twice" in _problem(client.post("/v1/jobs", json={"items": dup}, headers=AUTH), 422)["detail"]
    _problem(client.post("/v1/jobs", json={"items": []}, headers=AUTH), 422)
    bad_task = client.post("/v1/jobs", json={"task": "translate", "items": [{"custom_id": "a", "text": "x"}]},
                           headers=AUTH)
    assert "task" in _problem(bad_task, 422)["detail"]
    hook = client.post("/v1/jobs", json={"items": [{"custom_id": "a", "text": "x"}],
                                         "webhook": "http://127.0.0.1:9/hook"}, headers=AUTH)
    assert "refused" in _problem(hook, 422)["detail"]
    _problem(client.get("/v1/jobs/job_doesnotexist", headers=AUTH), 404)
    _problem(client.get("/v1/jobs/..%2F..%2Fetc", headers=AUTH), 404)


def test_a_queued_job_can_be_cancelled(client):
    runner = client.app.state.runner
    long_items = [{"custom_id": f"n{n}", "text": SEED_TEXT + f"\n\nAjout {n} : il a dit qu'il viendrait."}
                  for n in range(30)]
    first = client.post("/v1/jobs", json={"items": long_items}, headers=AUTH).json()
    second = client.post("/v1/jobs", json={"items": long_items[:2]}, headers=AUTH).json()
    cancelled = client.delete(f"/v1/jobs/{second['id']}", headers=AUTH).json()
    assert runner.current != second["id"]
    assert cancelled["status"] == "cancelled" and cancelled["counts"]["done"] == 0
    stopped = client.delete(f"/v1/jobs/{first['id']}", headers=AUTH).json()
    assert stopped["status"] in ("running", "cancelled", "queued")
    first = _wait(client, first["id"])
    assert first["status"] == "cancelled" and first["counts"]["done"] < 30
    assert _wait(client, second["id"])["counts"]["done"] == 0


# --- the page -------------------------------------------------------------------------------------


def test_the_home_page_asks_for_a_text_and_a_key(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'id="text"' in r.text and "var needsKey = true;" in r.text
    assert "http://" not in r.text.replace('placeholder="https://…"', "") and "<link" not in r.text


# --- the llm engine behind the service, against a loopback endpoint --------------------------------


def test_the_llm_engine_behind_the_service_flags_fabricated_quotes_and_hides_the_key(tmp_path):
    from tests.helpers.fabricator import Fabricator
    from tests.helpers.keys import SENTINEL_KEY
    from tests.helpers.loopback import LoopbackServer, error

    article = ("Le conseil municipal a rejeté mardi le projet de stade par 7 voix contre 2. "
               "« Nous ne signerons pas un chèque en blanc », a déclaré la maire, Linda Carter.\n\n"
               "Le promoteur Thomas Reed a dit qu'il ferait appel de la décision.\n")
    fabricator = Fabricator("altered_quote", seed=1)
    env = {"OPENAI_API_KEY": SENTINEL_KEY, "VERIFIER_MODEL": "fabricated", "VERIFIER_MAX_ATTEMPTS": "1",
           "VERIFIER_CACHE_DIR": str(tmp_path / "cache")}
    with LoopbackServer(responder=fabricator) as llm, pytest.MonkeyPatch.context() as mp:
        for name, value in {**env, "OPENAI_BASE_URL": llm.base_url}.items():
            mp.setenv(name, value)
        settings = ServiceSettings(engine=EngineSpec(), workers=1, queue=1, timeout=60, data_dir=tmp_path / "data")
        with TestClient(create_app(settings)) as c:
            assert c.get("/healthz").json()["engine"] == "llm"
            r = c.post("/v1/who-said-what", json={"text": article})
            assert r.status_code == 200, r.text
            out = r.json()
            assert out["provenance"]["engine"] == "llm" and out["attributions"]
            altered = [e for e in fabricator.entries(article) if e["altered"] and e["list"] == "attributions"]
            assert altered, "the fabricator altered no attribution: nothing was tested"
            flagged = [a for a in out["attributions"] if not a["grounded"]]
            assert len(flagged) >= len(altered)
            assert all(a["grounding"]["status"] in ("altered", "not_found") for a in flagged)
            assert SENTINEL_KEY not in r.text

    with LoopbackServer([error(500, f"upstream broke, key {SENTINEL_KEY}")]) as broken, \
            pytest.MonkeyPatch.context() as mp:
        for name, value in {**env, "OPENAI_BASE_URL": broken.base_url,
                            "VERIFIER_CACHE_DIR": str(tmp_path / "cache2")}.items():
            mp.setenv(name, value)
        settings = ServiceSettings(engine=EngineSpec(), workers=1, queue=1, timeout=60, data_dir=tmp_path / "d2")
        with TestClient(create_app(settings, warm=False)) as c:
            r = c.post("/v1/claims", json={"text": article})
            body = _problem(r, 502)
            assert SENTINEL_KEY not in r.text and "sk-test" not in body["detail"]


def test_the_report_route_answers_the_page_verifier_report_writes(client, tmp_path):
    r = client.post("/v1/report", json={"text": SEED_TEXT}, headers=AUTH)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    cli = _cli("report", str(SEED_000), "-o", str(tmp_path / "r.html"))
    assert cli.exit_code == 0, cli.output
    import re

    marks = re.findall(r'data-start="(\d+)" data-end="(\d+)"', r.text)
    assert marks and marks == re.findall(r'data-start="(\d+)" data-end="(\d+)"', (tmp_path / "r.html").read_text())

    revised = SEED_TEXT.replace("2022", "2021", 1)
    diff_page = client.post("/v1/report", json={"text": revised, "against": {"text": SEED_TEXT}}, headers=AUTH)
    assert diff_page.status_code == 200 and "2022" in diff_page.text and "2021" in diff_page.text
    assert "changed" in diff_page.text.lower()
    _problem(client.post("/v1/report", json={"text": ""}, headers=AUTH), 422)


# --- what the review of the service found ---------------------------------------------------------


def test_engine_errors_travel_back_from_a_worker_as_plain_data():
    import pickle

    from verifier.engines.llm.faults import InvalidReply, UnusableReply
    from verifier.errors import UpstreamError
    from verifier.models import Usage
    from verifier.service.tasks import WorkerFailure, portable

    refusal = UnusableReply("refusal", "the model refused: ", "I can't help with that")
    refusal.usage = Usage(prompt_tokens=10, completion_tokens=2, total_tokens=12, requests=1)
    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(refusal))  # what broke the whole pool
    back = pickle.loads(pickle.dumps(portable(refusal)))
    assert type(back) is UpstreamError and str(back) == str(refusal) and back.usage.total_tokens == 12
    bug = pickle.loads(pickle.dumps(portable(InvalidReply(ValueError("bad json"), 3))))
    assert type(bug) is WorkerFailure and str(bug) == "InvalidReply: bad json"


def test_a_lone_surrogate_is_bad_input_not_a_crash(client):
    body = _problem(client.post("/v1/claims", content=b'{"text": "Le maire \\ud800 a dit oui."}',
                                headers={**AUTH, "Content-Type": "application/json"}), 422)
    assert "unpaired surrogate" in body["detail"]


def test_a_dead_worker_is_replaced_and_the_service_answers_again(client):
    import os
    import signal

    pool = client.app.state.pool
    pids = list(pool._executor._processes)
    assert pids
    os.kill(pids[0], signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not pool.broken and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool.broken and client.get("/healthz").json()["models_loaded"] is False
    r = client.post("/v1/who-said-what", json={"text": SEED_TEXT}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert not pool.broken and set(pool._executor._processes).isdisjoint(pids)
    health = client.get("/healthz").json()
    assert health["models_loaded"] is True and health["busy"] == 0  # every analysis released its slot


def test_cancelling_a_running_job_survives_a_restart(tmp_path):
    import asyncio

    from verifier.service.job_runner import JobRunner
    from verifier.service.job_store import JobStore

    store = JobStore(tmp_path)
    job = store.create("claims", EngineSpec("offline"), [{"custom_id": "a", "text": "Il pleut."}],
                       language=None, webhook=None)
    job.status = "running"
    store.save(job)
    runner = JobRunner(store, pool=None, allow_private=False)
    runner.current = job.id  # running in this server: it stops after its running items...
    assert runner.cancel(store.load(job.id)).status == "running"
    assert store.load(job.id).cancel_requested
    restarted = JobRunner(store, pool=None, allow_private=False)  # ...and a restart does not take it up
    asyncio.run(restarted._run(store.load(job.id)))
    assert store.load(job.id).status == "cancelled" and store.counts(store.load(job.id))["done"] == 0


def test_reading_a_job_never_cuts_the_line_being_written(tmp_path):
    from verifier.service.job_store import JobStore

    store = JobStore(tmp_path)
    job = store.create("claims", EngineSpec("offline"), [{"custom_id": "a", "text": "x"}, {"custom_id": "b",
                       "text": "y"}], language=None, webhook=None)
    results = store.root / job.id / "results.jsonl"
    line = json.dumps({"id": "a", "source": "<a>", "status": "failed", "engine": "offline", "model": "m",
                       "prompt": "p", "error": "boom", "error_type": "input", "finished": "2026-01-01T00:00:00"})
    results.write_text(line + "\n" + line.replace('"a"', '"b"')[:40])  # b is half written
    assert store.counts(job) == {"total": 2, "done": 0, "failed": 1, "pending": 1}
    assert list(store.records(job)) == ["a"]
    assert results.read_text().endswith(line.replace('"a"', '"b"')[:40]), "a reader truncated the ledger"
