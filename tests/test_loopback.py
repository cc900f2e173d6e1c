"""The loopback server itself, driven through the real ``openai`` SDK."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import openai
import pytest

from tests.helpers.loopback import LoopbackServer, Step, error, ok
from tests.helpers.paths import ROOT



def client(server: LoopbackServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0)


def ask(c: openai.OpenAI, text: str) -> str | None:
    reply = c.chat.completions.create(model="m", messages=[{"role": "user", "content": text}])
    return reply.choices[0].message.content


def jsonl(*lines: dict) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def line(custom_id: str, text: str) -> dict:
    return {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": "m", "messages": [{"role": "user", "content": text}]}}


def test_batch_round_trip_splits_output_and_error_files():
    seen: list[tuple[dict[str, str], dict | None]] = []

    def responder(body: dict | None, headers: dict[str, str]) -> Step:
        seen.append((headers, body))
        text = body["messages"][0]["content"]
        return error(400, "refused") if text == "bad" else ok(text.upper())

    data = jsonl(line("a", "one"), line("b", "bad"), line("c", "three"))
    with LoopbackServer(responder=responder, latency=5.0, rate_limit=0.001) as server:
        c = client(server)
        uploaded = c.files.create(file=("in.jsonl", data), purpose="batch")
        assert (uploaded.id, uploaded.bytes, uploaded.filename, uploaded.purpose) == ("file-1", len(data), "in.jsonl", "batch")
        assert server.files[uploaded.id] == data
        batch = c.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions",
                                 completion_window="24h", metadata={"run": "t"})
        assert (batch.id, batch.status, batch.metadata) == ("batch_1", "validating", {"run": "t"})
        assert batch.request_counts.total == 3 and not seen
        start = time.monotonic()
        statuses = [c.batches.retrieve(batch.id).status for _ in range(4)]
        assert time.monotonic() - start < 1.0  # batch lines skip the 5 s latency and the limiter
        assert statuses == ["in_progress", "in_progress", "completed", "completed"]
        done = c.batches.retrieve(batch.id)
        output = [json.loads(x) for x in c.files.content(done.output_file_id).read().splitlines()]
        errors = [json.loads(x) for x in c.files.content(done.error_file_id).content.splitlines()]
    # answered once, in order, with the line's body; no latency, no rate limit
    assert [h for h, _ in seen] == [{"x-batch-custom-id": cid} for cid in "abc"]
    assert seen[0][1] == line("a", "one")["body"]
    assert (done.request_counts.completed, done.request_counts.failed) == (2, 1) and done.completed_at
    assert [(o["custom_id"], o["response"]["status_code"]) for o in output] == [("a", 200), ("c", 200)]
    assert output[1]["response"]["body"]["choices"][0]["message"]["content"] == "THREE"
    assert output[0]["id"].startswith("batch_req_") and output[0]["error"] is None
    assert len(errors) == 1 and errors[0]["custom_id"] == "b"
    assert errors[0]["response"]["status_code"] == 400
    assert errors[0]["response"]["body"]["error"]["message"] == "refused"
    assert server.batches[batch.id]["status"] == "completed" and server.completions == 0
    assert [s.method for s in server.requests].count("GET") == 7


def test_batch_uses_the_script_and_leaves_error_file_null_when_all_succeed():
    with LoopbackServer([ok("first"), ok("rest")], batch_polls=1) as server:
        c = client(server)
        f = c.files.create(file=("in.jsonl", jsonl(line("x", "1"), line("y", "2"))), purpose="batch")
        b = c.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")
        assert [c.batches.retrieve(b.id).status for _ in range(2)] == ["in_progress", "completed"]
        done = c.batches.retrieve(b.id)
        out = c.files.content(done.output_file_id).read().decode().splitlines()
    assert done.error_file_id is None
    assert [json.loads(x)["response"]["body"]["choices"][0]["message"]["content"] for x in out] == ["first", "rest"]


def test_invalid_batches_fail_unknown_ids_404_and_cancel():
    with LoopbackServer([ok("x")]) as server:
        c = client(server)
        bad = c.files.create(file=("bad.jsonl", b'{"custom_id": "a"}\nnot json\n'), purpose="batch")
        failed = c.batches.create(input_file_id=bad.id, endpoint="/v1/chat/completions", completion_window="24h")
        assert failed.status == "failed" and [e.line for e in failed.errors.data] == [1, 2]
        missing = c.batches.create(input_file_id="file-999", endpoint="/v1/chat/completions", completion_window="24h")
        assert missing.status == "failed" and missing.errors.data[0].code == "invalid_file"
        with pytest.raises(openai.NotFoundError):
            c.batches.retrieve("batch_999")
        with pytest.raises(openai.NotFoundError):
            c.files.content("file-999")
        good = c.files.create(file=("in.jsonl", jsonl(line("a", "1"))), purpose="batch")
        b = c.batches.create(input_file_id=good.id, endpoint="/v1/chat/completions", completion_window="24h")
        assert c.batches.cancel(b.id).status == "cancelling"
        assert c.batches.retrieve(b.id).status == "cancelled"
        assert c.batches.retrieve(b.id).status == "cancelled"
    assert server.batches[b.id]["output_file_id"] is None and server.completions == 0


def test_rate_limit_answers_429_with_retry_after_ms():
    with LoopbackServer([ok("hi")], rate_limit=2) as server:
        c = client(server)
        assert [ask(c, "q"), ask(c, "q")] == ["hi", "hi"]  # the bucket holds 2
        with pytest.raises(openai.RateLimitError) as caught:
            ask(c, "q")
        wait_ms = int(caught.value.response.headers["retry-after-ms"])
        assert 1 <= wait_ms <= 500
        assert caught.value.response.json() == {"error": {"message": "rate limit", "type": "rate_limit_error"}}
        time.sleep(wait_ms / 1000 + 0.02)
        assert ask(c, "q") == "hi"
    assert (len(server.requests), server.completions, server.rate_limited) == (4, 3, 1)


def test_latency_overlaps_across_concurrent_requests():
    def echo(body: dict | None, headers: dict[str, str]) -> Step:
        return ok(body["messages"][0]["content"] + "!")

    with LoopbackServer(responder=echo, latency=0.3) as server:
        c = client(server)
        start = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda i: ask(c, f"q{i}"), range(8)))
        elapsed = time.monotonic() - start
    assert answers == [f"q{i}!" for i in range(8)]
    assert 0.3 <= elapsed < 1.2, elapsed  # 8 x 0.3 s = 2.4 s if serialised
    assert server.completions == 8 and all(s.method == "POST" for s in server.requests)


def test_standalone_serves_and_prints_counts_on_sigterm(tmp_path):
    content = tmp_path / "content.json"
    content.write_text('{"claims": []}', "utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "tests.helpers.loopback", "--latency", "0.05", "--rate-limit", "0",
                             "--content-file", str(content)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        c = openai.OpenAI(base_url=url, api_key="sk-test", max_retries=0)
        assert [ask(c, "a"), ask(c, "b")] == ['{"claims": []}'] * 2
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=5)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert json.loads(out.strip().splitlines()[-1]) == {"requests": 2, "completions": 2, "rate_limited": 0}
