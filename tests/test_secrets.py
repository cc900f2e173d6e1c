"""The API key never reaches what the tool writes: stdout, stderr (errors,
``--verbose`` logs, the SDK's own debug log), the cache, ``batch`` results and
state, recorded fixtures.  Each test runs the real command with a sentinel key
against a loopback server that echoes the key in its errors, then searches
everything written for the key and for pieces of it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli import run_cli
from tests.helpers.keys import SENTINEL_KEY
from tests.helpers.loopback import LoopbackServer, Step, _fail, error, ok
from tests.helpers.paths import ROOT, SEED_000, SEED_001
from verifier.errors import leaks, redact

PREFIX = "sk-test-"
SECRET = SENTINEL_KEY[len(PREFIX):]  # the part that identifies the key
MASKED = PREFIX + "*" * 15 + SENTINEL_KEY[-4:]  # how OpenAI echoes a key it rejects
ECHO_401 = (f"Incorrect API key provided: {SENTINEL_KEY}. You can find your API key at "
            "https://platform.openai.com/account/api-keys.")
ECHO_500 = f"upstream failed for key {MASKED} (full key: {SENTINEL_KEY})"


def key_pieces(text: str) -> list[str]:
    """What in ``text`` gives the key away: the key, six consecutive characters
    of its secret part, a word with its prefix (a cut or masked key), a masked
    run of stars, or an Authorization header."""
    found = [SECRET[i:i + 6] for i in range(len(SECRET) - 5) if SECRET[i:i + 6] in text]
    found += re.findall(re.escape(PREFIX) + r"\S*", text) + re.findall(r"\*{3,}\w*", text)
    found += re.findall(r"(?i)authorization|bearer", text)
    return found


def written(tmp_path: Path, procs: list[subprocess.CompletedProcess]) -> dict[str, str]:
    """Everything the runs wrote: their output streams and every file under
    ``tmp_path`` (the cwd, cache, results, fixtures), except the test's own ``.env``."""
    out = {}
    for n, proc in enumerate(procs):
        out[f"run {n} stdout"] = proc.stdout.decode("utf-8", "replace")
        out[f"run {n} stderr"] = proc.stderr.decode("utf-8", "replace")
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file() and path != tmp_path / ".env":
            out[str(path.relative_to(tmp_path))] = path.read_bytes().decode("utf-8", "replace")
    return out


def assert_nothing_leaked(tmp_path: Path, procs: list[subprocess.CompletedProcess]) -> dict[str, str]:
    everything = written(tmp_path, procs)
    leaked = {name: key_pieces(text) for name, text in everything.items() if key_pieces(text)}
    assert leaked == {}
    return everything


def sent_the_key(server: LoopbackServer) -> bool:
    return any(seen.headers.get("authorization") == f"Bearer {SENTINEL_KEY}" for seen in server.requests)


def test_the_search_finds_every_form_of_the_key():
    for text in (SENTINEL_KEY, MASKED, SENTINEL_KEY[:14], "****1e7b", SECRET, "Authorization: Bearer x"):
        assert key_pieces(f"error: {text}.")
    assert key_pieces("error: the endpoint failed, [redacted]") == []


def test_redact_removes_the_key_and_pieces_of_it():
    for echoed in (ECHO_401, ECHO_500, f"cut at 200 chars: {SENTINEL_KEY[:12]}", "masked: ****1e7b.",
                   f"https://x.invalid/v1?key={SENTINEL_KEY}&a=1"):
        message = redact(echoed, [SENTINEL_KEY])
        assert key_pieces(message) == [] and "[redacted]" in message and leaks(echoed, [SENTINEL_KEY])
        assert not leaks(message, [SENTINEL_KEY])
    assert redact("HTTP 500: no key here\nsecond line", [SENTINEL_KEY]) == "HTTP 500: no key here second line"


def test_claims_success_and_echoed_key_errors(endpoint, tmp_path, seed_draft_json):
    procs = []
    with endpoint(LoopbackServer([ok(seed_draft_json)])) as server:
        procs.append(run_cli("claims", str(SEED_000), "--verbose", "--json", "-o", "claims.json"))
        procs.append(run_cli("who-said-what", str(SEED_000), "--verbose"))  # from the cache
        procs.append(run_cli("summarize", str(SEED_000), "--verbose", "--no-cache", env={"OPENAI_LOG": "debug"}))
    assert [p.returncode for p in procs] == [0, 0, 0] and sent_the_key(server) and len(server.requests) == 2
    assert "Sending HTTP Request" in procs[2].stderr.decode()  # the SDK's debug log was on
    with endpoint(LoopbackServer([_fail(401, ECHO_401, "invalid_api_key")])) as server:
        procs.append(run_cli("claims", str(SEED_001), "--verbose", env={"OPENAI_LOG": "debug"}))
    assert procs[-1].returncode == 4 and sent_the_key(server)
    with endpoint(LoopbackServer([error(500, ECHO_500)])) as server:
        procs.append(run_cli("claims", str(SEED_001), "--verbose", env={"VERIFIER_MAX_ATTEMPTS": "2"}))
    assert procs[-1].returncode == 5 and len(server.requests) == 2
    stderr = procs[-1].stderr.decode()
    assert "attempt 1 failed (HTTP 500" in stderr and "[redacted]" in stderr.splitlines()[-1]
    everything = assert_nothing_leaked(tmp_path, procs)
    assert any(name.startswith("cache") and "49e59250" in text for name, text in everything.items())
    assert "claims.json" in everything


def test_batch_with_an_echoed_key_failure(endpoint, tmp_path, seed_draft_json):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in (SEED_000, SEED_001):
        shutil.copyfile(path, folder / path.name)
    (folder / "c.txt").write_text("Le ministre a annoncé mardi une réforme, selon un communiqué.", "utf-8")

    def respond(body: dict | None, headers: dict[str, str]) -> Step:
        return error(500, ECHO_500) if "Le ministre a annoncé" in json.dumps(body, ensure_ascii=False) \
            else ok(seed_draft_json)

    env = {"VERIFIER_MAX_ATTEMPTS": "2"}
    with endpoint(LoopbackServer(responder=respond)) as server:
        procs = [run_cli("batch", str(folder), "--out", "results.jsonl", "--verbose", "--no-progress", env=env)]
        procs.append(run_cli("batch", str(folder), "--out", "results.jsonl", "--verbose", "--retry-failed",
                             "--json", env=env))
        procs.append(run_cli("batch", str(folder), "--out", "api.jsonl", "--batch-api", "--poll-interval", "0",
                             "--no-cache", "--verbose", env=env))
    assert [p.returncode for p in procs] == [1, 1, 1] and sent_the_key(server)
    assert any(seen.path == "/v1/batches" for seen in server.requests)
    for out, runs in (("results.jsonl", 2), ("api.jsonl", 1)):
        records = [json.loads(line) for line in (tmp_path / out).read_text("utf-8").splitlines()]
        failed = [r for r in records if r["status"] == "failed"]
        assert len(failed) == runs and sum(r["status"] == "done" for r in records) == 2
        assert all("[redacted]" in r["error"] for r in failed), failed
    assert_nothing_leaked(tmp_path, procs)


def test_record_writes_no_key_or_header(endpoint, tmp_path, seed_draft_json, monkeypatch):
    monkeypatch.setenv("VERIFIER_FIXTURES_DIR", str(tmp_path / "fixtures"))
    with endpoint(LoopbackServer([ok(seed_draft_json)])) as server:
        procs = [run_cli("record", str(SEED_000), "--verbose")]
    assert procs[0].returncode == 0 and sent_the_key(server)
    saved = list((tmp_path / "fixtures").rglob("*.json"))
    assert len(saved) == 1 and json.loads(saved[0].read_text("utf-8"))["source"]["kind"] == "recorded"
    # an endpoint that echoes the key in a successful reply: nothing is saved
    echoing = ok(seed_draft_json)
    echoing.body["system_fingerprint"] = f"fp for {SENTINEL_KEY}"
    with endpoint(LoopbackServer([echoing])):
        procs.append(run_cli("record", str(SEED_001), "--verbose"))
    assert procs[1].returncode == 5 and "holds the API key; it was not saved" in procs[1].stderr.decode()
    assert list((tmp_path / "fixtures").rglob("*.json")) == saved
    assert_nothing_leaked(tmp_path, procs)


def test_key_from_dotenv(tmp_path, seed_draft_json):
    with LoopbackServer([ok(seed_draft_json), error(500, ECHO_500)]) as server:
        (tmp_path / ".env").write_text(f"OPENAI_API_KEY={SENTINEL_KEY}\nOPENAI_BASE_URL={server.base_url}\n"
                                       "VERIFIER_MODEL=m\nVERIFIER_MAX_ATTEMPTS=2\n", "utf-8")
        procs = [run_cli("claims", str(SEED_000), "--verbose"),
                 run_cli("claims", str(SEED_001), "--verbose", env={"OPENAI_LOG": "debug"})]
    assert [p.returncode for p in procs] == [0, 5] and sent_the_key(server)
    assert "attempt 1 failed" in procs[1].stderr.decode()
    assert_nothing_leaked(tmp_path, procs)


def test_dotenv_is_git_ignored_and_the_example_holds_no_key():
    example = (ROOT / ".env.example").read_text("utf-8")
    assert re.search(r"(?m)^OPENAI_API_KEY=$", example) and not re.search(r"sk-\w", example)
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    check = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", ".env"], capture_output=True)
    assert check.returncode == 0


def test_a_batch_failure_reason_never_holds_the_key(monkeypatch):
    from verifier.batch.recorder import error_text

    monkeypatch.setenv("OPENAI_API_KEY", SENTINEL_KEY)
    for exc in (RuntimeError(f"unexpected\n{ECHO_500}"), ValueError(ECHO_401)):
        text = error_text(exc)
        assert text.startswith("internal error: ") and "\n" not in text and key_pieces(text) == []
