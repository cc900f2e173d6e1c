"""Hostile endpoints (issue 18): an endless reply, a reply that drips a byte at
a time, a huge one, a reply that echoes the key.  Each ends in bounded time
with one line and exit 5 (or a failed record in a batch), reading no more
than the cap; re-asks carry an excerpt of a bad reply, not the reply; the key
an endpoint echoes reaches no output and no file.  Small caps and deadlines
keep them fast: ``VERIFIER_MAX_TOKENS=100`` is a cap of 68,736 bytes."""

from __future__ import annotations

import io
import json
import shutil
import sys
import time

import pytest

from tests.helpers.cli import run_cli
from tests.helpers.hostile import HostileServer, read_head
from tests.helpers.keys import SENTINEL_KEY
from tests.helpers.loopback import LoopbackServer, Step, ok
from tests.helpers.paths import SEED_000, SEED_001
from tests.helpers.cli import claims_in_process, without_configuration
from tests.test_secrets import assert_nothing_leaked
from verifier.engines.llm import guard, waiting
from verifier.errors import scrub

CAP_100 = guard.reply_cap(100)


def claims(monkeypatch, capsys, *extra: str) -> tuple[int, str, str, float]:
    """``verifier claims SEED --engine llm --json --no-cache [extra]`` in this process, and its time."""
    started = time.monotonic()
    code, out, err = claims_in_process(monkeypatch, capsys, *extra)
    return code, out, err, time.monotonic() - started


def one_line(err: str) -> str:
    err = without_configuration(err)
    assert err.count("\n") == 1 and err.startswith("verifier: error: ") and "Traceback" not in err, err
    return err


def test_the_cap_formula():
    assert CAP_100 == 64 * 1024 + 3200 == 68_736
    assert guard.reply_cap(None) == guard.reply_cap(0) == 8 * 1024 * 1024


@pytest.mark.parametrize("kind,declared", [("endless", True), ("huge", True), ("huge", False)])
def test_a_reply_over_the_cap_ends_the_request(kind, declared, endpoint, monkeypatch, capsys):
    monkeypatch.setenv("VERIFIER_MAX_TOKENS", "100")
    monkeypatch.setenv("VERIFIER_MAX_ATTEMPTS", "3")
    with endpoint(HostileServer(kind, size=5_000_000, declared=declared)) as server:
        code, out, err, took = claims(monkeypatch, capsys)
    assert code == 5 and not out and took < 10
    assert f"larger than {CAP_100:,} bytes" in one_line(err)
    assert server.requests == 1  # the same request would be as large: not retried


def test_without_max_tokens_the_default_cap_holds(endpoint, monkeypatch, capsys):
    with endpoint(HostileServer("endless")) as server:
        code, out, err, took = claims(monkeypatch, capsys)
    assert code == 5 and "larger than 8,388,608 bytes" in one_line(err) and server.requests == 1 and took < 20


def test_a_drip_is_cut_at_the_request_time(endpoint, monkeypatch, capsys):
    monkeypatch.setenv("VERIFIER_TIMEOUT", "1.5")  # each byte comes well within it: only the total catches it
    monkeypatch.setenv("VERIFIER_MAX_ATTEMPTS", "1")
    with endpoint(HostileServer("drip", size=10_000, interval=0.1)):
        code, out, err, took = claims(monkeypatch, capsys)
    assert code == 5 and not out and 1.4 < took < 4.5
    assert "no complete reply within 1.5 s (VERIFIER_TIMEOUT, per request)" in one_line(err)


def test_the_answer_deadline_covers_the_retries(endpoint, monkeypatch, capsys):
    monkeypatch.setenv("VERIFIER_TIMEOUT", "1")  # per request: every attempt is cut, and retried
    monkeypatch.setenv("VERIFIER_MAX_ATTEMPTS", "100")
    with endpoint(HostileServer("drip", size=10_000, interval=0.1)) as server:
        code, out, err, took = claims(monkeypatch, capsys, "--timeout", "2.5")
    assert code == 5 and 2.4 < took < 6 and 2 <= server.requests <= 4
    assert "no complete reply within 2.5 s (--timeout, per answer)" in one_line(err)


def test_a_backoff_never_sleeps_past_the_answer_deadline(endpoint, monkeypatch, capsys):
    """A rate limit asking for 30 s (allowed: VERIFIER_RETRY_MAX_WAIT 60) under --timeout 2: the wait is cut
    to the 2 s, and the attempt after it ends at once naming the deadline, not 30 s later."""
    from tests.helpers.loopback import error

    monkeypatch.setenv("VERIFIER_RETRY_MAX_WAIT", "60")
    monkeypatch.setenv("VERIFIER_MAX_ATTEMPTS", "5")
    with endpoint(LoopbackServer([error(429, "slow down", {"Retry-After": "30"})] * 5)) as server:
        code, out, err, took = claims(monkeypatch, capsys, "--timeout", "2")
    assert code == 5 and not out and 1.9 < took < 6, took
    assert "within 2 s (--timeout, per answer)" in one_line(err) and len(server.requests) == 1


def test_a_silence_after_a_drip_ends_at_the_deadline_not_a_read_timeout_later(endpoint, monkeypatch, capsys):
    monkeypatch.setenv("VERIFIER_TIMEOUT", "30")  # the read timeout: a silence would be waited out 30 s
    monkeypatch.setenv("VERIFIER_MAX_ATTEMPTS", "2")
    with endpoint(HostileServer("drip", size=10_000, interval=0.1, silent_after=5)):
        code, out, err, took = claims(monkeypatch, capsys, "--timeout", "1.5")
    assert code == 5 and 1.4 < took < 5, took
    assert "within 1.5 s (--timeout, per answer)" in one_line(err)


def test_a_long_silence_after_a_drip_ends_at_the_deadline(endpoint, monkeypatch, capsys):
    monkeypatch.setenv("VERIFIER_TIMEOUT", "30")
    monkeypatch.setenv("VERIFIER_MAX_ATTEMPTS", "2")
    # 2 s of drip, then silence: each wait on the socket is cut to the time left, not set once per reply
    with endpoint(HostileServer("drip", size=10_000, interval=0.1, silent_after=20)):
        code, out, err, took = claims(monkeypatch, capsys, "--timeout", "2.5")
    assert code == 5 and 2.4 < took < 3.7, took
    assert "within 2.5 s (--timeout, per answer)" in one_line(err)


def test_headers_that_drip_end_at_the_deadline(endpoint, monkeypatch, capsys):
    monkeypatch.setenv("VERIFIER_TIMEOUT", "30")
    with endpoint(HostileServer("drip-head", interval=0.1)):
        code, out, err, took = claims(monkeypatch, capsys, "--timeout", "1.5")
    assert code == 5 and 1.4 < took < 3, took
    assert "within 1.5 s (--timeout, per answer)" in one_line(err)


def test_a_batch_marks_the_endless_article_failed_and_goes_on(endpoint, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in (SEED_000, SEED_001):
        shutil.copyfile(path, folder / path.name)
    env = {"VERIFIER_MAX_TOKENS": "100", "VERIFIER_TIMEOUT": "2"}
    started = time.monotonic()
    with endpoint(HostileServer("endless")):
        proc = run_cli("batch", str(folder), "--out", "results.jsonl", "--no-progress", env=env, timeout=60)
    assert proc.returncode == 1 and time.monotonic() - started < 30
    records = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text("utf-8").splitlines()]
    assert len(records) == 2 and all(r["status"] == "failed" for r in records)
    assert all(f"larger than {CAP_100:,} bytes" in r["error"] for r in records)


def test_a_reask_sends_an_excerpt_of_the_bad_reply(endpoint, monkeypatch, capsys, seed_draft_json):
    bad = json.dumps({"claims": "x" * 50_000})
    with endpoint(LoopbackServer([ok(bad), ok(seed_draft_json)])) as server:
        code, out, err, _ = claims(monkeypatch, capsys)
    assert code == 0 and len(server.requests) == 2
    sent = server.requests[1].body["messages"]
    echoed = [m["content"] for m in sent if m["role"] == "assistant"]
    assert len(echoed) == 1 and echoed[0].startswith(bad[:2000]) and len(echoed[0]) < 2100
    assert f"[... {len(bad) - 2000:,} more characters not repeated]" in echoed[0]
    assert len(json.dumps(server.requests[1].body)) < len(json.dumps(server.requests[0].body)) + 5000


def test_scrub_takes_out_the_key_its_pieces_and_bearer_tokens():
    text = f"key {SENTINEL_KEY}, cut {SENTINEL_KEY[:14]}, other sk-abcdefghijklmnopqrstu, Bearer abc.def-123456\nok"
    cleaned = scrub(text, [SENTINEL_KEY])
    assert cleaned == "key [redacted], cut [redacted], other [redacted], [redacted]\nok"
    assert scrub("nothing here, sk-short", [SENTINEL_KEY]) == "nothing here, sk-short"


def test_a_reply_echoing_the_key_is_redacted_everywhere(endpoint, tmp_path, seed_draft_json):
    draft = json.loads(seed_draft_json)
    draft["claims"][0]["text"] = f"The key is {SENTINEL_KEY} and Bearer {SENTINEL_KEY[3:]}"
    draft["claims"][0]["evidence"] = [SENTINEL_KEY]
    echoing = json.dumps(draft, ensure_ascii=False)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(SEED_000, folder / SEED_000.name)
    procs = []
    with endpoint(LoopbackServer([ok(echoing)])):
        procs.append(run_cli("claims", str(SEED_000), "--json", "--show-ungrounded", "--verbose"))
        procs.append(run_cli("claims", str(SEED_000), "--format", "markdown", "--show-ungrounded"))  # cached
        procs.append(run_cli("claims", str(SEED_000), "--show-ungrounded", "--no-cache", "-o", "claims.txt"))
        procs.append(run_cli("batch", str(folder), "--out", "results.jsonl", "--no-progress", "--no-cache"))
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [p.stderr for p in procs]
    assert "[redacted]" in procs[0].stdout.decode()
    everything = assert_nothing_leaked(tmp_path, procs)
    assert any(name.startswith("cache") for name in everything) and "results.jsonl" in everything


def test_a_long_wait_says_so_on_stderr(endpoint, monkeypatch, capsys, seed_draft_json):
    waiting.enable(first=0.1, every=0.3)
    with endpoint(LoopbackServer([Step(body=ok(seed_draft_json).body, delay=1.0)])):
        code, out, err, _ = claims(monkeypatch, capsys)
    assert code == 0 and json.loads(out)
    lines = err.splitlines()
    assert 2 <= len(lines) <= 4 and all(line.startswith("verifier: waiting for the endpoint… (") for line in lines)


def test_no_wait_line_for_a_quick_answer_or_without_the_cli(endpoint, seed_draft_json):
    from verifier.engines import make_engine
    from verifier.ingest.article import read_article

    stream = io.StringIO()
    with endpoint(LoopbackServer([Step(body=ok(seed_draft_json).body, delay=0.6)])):
        sys_stderr, sys.stderr = sys.stderr, stream
        try:
            make_engine("llm").analyze(read_article(str(SEED_000)), None)  # the library: not enabled
        finally:
            sys.stderr = sys_stderr
    assert stream.getvalue() == ""


def test_a_page_that_drips_is_cut_at_the_fetch_deadline(monkeypatch):
    from verifier.errors import InputError
    from verifier.ingest import fetch

    monkeypatch.setattr(fetch, "DEADLINE", 1.0)
    with HostileServer("drip", size=100_000, interval=0.05, content_type="text/html") as server:
        started = time.monotonic()
        with pytest.raises(InputError, match="did not arrive whole within 1 s"):
            fetch.fetch(server.url, 10_000_000)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("kind", ["drip-head", "silent"])
def test_a_page_whose_headers_drip_or_stall_ends_at_the_fetch_deadline(kind, monkeypatch):
    """Each byte of the headers comes within the 20 s read timeout, or the body stalls after a few bytes:
    only the total (every socket wait cut to the time left) ends it, at the deadline."""
    from verifier.errors import InputError
    from verifier.ingest import fetch

    monkeypatch.setattr(fetch, "DEADLINE", 1.0)
    server = HostileServer("drip-head", interval=0.05) if kind == "drip-head" else \
        HostileServer("drip", size=100_000, interval=0.01, silent_after=5, content_type="text/html")
    with server:
        started = time.monotonic()
        with pytest.raises(InputError, match="did not arrive whole within 1 s"):
            fetch.fetch(server.url, 10_000_000)
    assert time.monotonic() - started < 2.5


def test_a_declared_page_far_over_the_limit_is_refused_unread(monkeypatch):
    from verifier.errors import InputError
    from verifier.ingest import fetch

    with HostileServer("huge", size=50_000_000, content_type="text/html") as server:
        with pytest.raises(InputError, match="the page is larger than 1,000,000 bytes"):
            fetch.fetch(server.url, 1_000_001)


class _Proxy:
    """A forward proxy that is never reachable upstream: it records the request line and answers 502."""

    def __init__(self):
        import socket
        import threading

        self.lines: list[str] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                self.lines.append(read_head(conn).split(b"\r\n", 1)[0].decode("latin-1"))
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def close(self):
        self.sock.close()


def test_environment_proxies_are_used_by_the_bounded_clients(monkeypatch):
    """HTTP_PROXY is honoured by the llm engine's client and by URL fetches: httpx2 reads it only when
    no transport is given, so the bounds wrap the client's own transports (net/bounded.guard)."""
    from verifier.errors import InputError
    from verifier.ingest import fetch

    proxy = _Proxy()
    try:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with pytest.raises(InputError, match="HTTP 502"):
            fetch.fetch("http://news.example/story", 1000)
        with guard.client(1000, 5) as client:
            assert client.get("http://api.example/v1/models").status_code == 502
    finally:
        proxy.close()
    assert proxy.lines == ["GET http://news.example/story HTTP/1.1", "GET http://api.example/v1/models HTTP/1.1"]


def test_a_batch_holds_each_article_to_its_deadline(endpoint, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in (SEED_000, SEED_001):
        shutil.copyfile(path, folder / path.name)
    env = {"VERIFIER_TIMEOUT": "30", "VERIFIER_MAX_ATTEMPTS": "2"}  # a silence would wait out 30 s reads
    started = time.monotonic()
    with endpoint(HostileServer("drip", size=10_000, interval=0.1, silent_after=5)):
        proc = run_cli("batch", str(folder), "--out", "results.jsonl", "--no-progress", "--timeout", "1.5",
                       env=env, timeout=60)
    assert proc.returncode == 1 and time.monotonic() - started < 12
    records = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text("utf-8").splitlines()]
    assert len(records) == 2 and all(r["status"] == "failed" for r in records)
    assert all("within 1.5 s (--timeout, per answer)" in r["error"] for r in records), records


def test_record_is_bounded_as_the_live_path(endpoint, tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFIER_FIXTURES_DIR", str(tmp_path / "fixtures"))
    with endpoint(HostileServer("endless")) as server:
        proc = run_cli("record", str(SEED_000), env={"VERIFIER_MAX_TOKENS": "100"}, timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == 5 and f"larger than {CAP_100:,} bytes" in one_line(err) and server.requests == 1
    assert not list(tmp_path.glob("fixtures/**/*.json"))
