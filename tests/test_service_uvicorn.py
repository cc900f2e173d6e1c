"""``verifier serve`` for real: uvicorn on a loopback port, in its own process group.

A job survives ``kill -9`` of the server: the restarted server resumes it, records every item
once, and serves the results after a further restart; its webhook is called.  Health answers
fast while analyses run; a server asked to listen on 0.0.0.0 without keys refuses to start.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import httpx
import pytest

from tests.helpers.paths import SEED_000
from tests.helpers.receiver import Receiver
from tests.helpers.service import Server, env_for

KEY = "uvicorn-test-key-42"
AUTH = {"Authorization": f"Bearer {KEY}"}
SEED_TEXT = SEED_000.read_text("utf-8")


@pytest.fixture
def hook_server():
    with Receiver() as hooks:
        yield hooks


def test_without_keys_the_server_refuses_to_listen_on_all_addresses(tmp_path):
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "verifier", "serve", "--host", "0.0.0.0"], env=env_for(tmp_path),
                          capture_output=True, timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == 4 and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("verifier: error: refusing to listen on 0.0.0.0 without API keys")
    assert time.monotonic() - started < 30


def test_health_answers_fast_while_analyses_run(tmp_path):
    server = Server(tmp_path, "--no-cache", VERIFIER_API_KEYS=KEY)
    try:
        server.wait_ready()
        big = "\n\n".join(SEED_TEXT + f"\n\nAjout {n} : le maire a déclaré qu'il viendrait." for n in range(6))
        done = []

        def analyse():
            done.append(httpx.post(f"{server.url}/v1/who-said-what", json={"text": big}, headers=AUTH, timeout=120))

        threads = [threading.Thread(target=analyse) for _ in range(2)]
        for t in threads:
            t.start()
        with httpx.Client(base_url=server.url) as client:
            client.get("/healthz")  # the connection is open: what follows times the answer only
            times = []
            while any(t.is_alive() for t in threads) and len(times) < 50:
                started = time.perf_counter()
                health = client.get("/healthz", timeout=5)
                times.append(time.perf_counter() - started)
                assert health.status_code == 200
                time.sleep(0.02)
        for t in threads:
            t.join(120)
        assert len(times) >= 3, "the analyses finished before health was asked: nothing was measured"
        assert max(times) < 0.1, times
        assert [r.status_code for r in done] == [200, 200]
    finally:
        server.stop()


def test_a_job_killed_mid_way_resumes_after_restart_and_its_results_survive(tmp_path, hook_server):
    items = [{"custom_id": f"story-{n:02d}",
              "text": SEED_TEXT + f"\n\nMise à jour {n} : « Nous verrons », a déclaré le porte-parole Jean Martin."}
             for n in range(40)]
    env = dict(VERIFIER_API_KEYS=KEY, VERIFIER_ALLOW_PRIVATE_URLS="1")
    server = Server(tmp_path, **env)
    try:
        server.wait_ready()
        r = httpx.post(f"{server.url}/v1/jobs", json={"task": "claims", "items": items, "webhook": hook_server.url},
                       headers=AUTH, timeout=10)
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = httpx.get(f"{server.url}/v1/jobs/{job_id}", headers=AUTH, timeout=5).json()["counts"]["done"]
            if done >= 3:
                break
            time.sleep(0.05)
        server.kill9()
    finally:
        server.stop()
    ledger = tmp_path / "data" / "jobs" / job_id / "results.jsonl"
    before = len(ledger.read_text().splitlines())
    assert 3 <= before < 40, f"{before} items were done at the kill: the test did not interrupt the job"

    server = Server(tmp_path, **env)
    try:
        server.wait_ready()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job = httpx.get(f"{server.url}/v1/jobs/{job_id}", headers=AUTH, timeout=5).json()
            if job["status"] == "done":
                break
            time.sleep(0.2)
        assert job["status"] == "done" and job["counts"] == {"total": 40, "done": 40, "failed": 0, "pending": 0}
        deadline = time.monotonic() + 10
        while not hook_server.hits and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(hook_server.hits) == 1, "the webhook was called more than once (or never)"
        event = json.loads(hook_server.hits[0][1])
        assert event["id"] == job_id and event["status"] == "done" and event["counts"]["done"] == 40
    finally:
        server.stop()
    ids = [json.loads(line)["id"] for line in ledger.read_text().splitlines()]
    assert sorted(ids) == sorted(i["custom_id"] for i in items), "an item was recorded twice or never"

    server = Server(tmp_path, VERIFIER_API_KEYS=KEY)
    try:
        server.wait_ready()
        r = httpx.get(f"{server.url}/v1/jobs/{job_id}/results", headers=AUTH, timeout=10)
        lines = [json.loads(line) for line in r.text.splitlines()]
        assert [x["custom_id"] for x in lines] == [i["custom_id"] for i in items]
        assert all(x["response"]["status_code"] == 200 and x["response"]["body"]["claims"] for x in lines)
        assert httpx.get(f"{server.url}/v1/jobs/{job_id}/results", timeout=10).status_code == 401
    finally:
        server.stop()


def test_a_port_in_use_is_one_line_before_any_model_loads(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "verifier", "serve", "--port", str(port)],
                              env=env_for(tmp_path), capture_output=True, timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == 4 and err == f"verifier: error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
