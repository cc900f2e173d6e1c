"""``verifier batch``: inputs, resume, failures, cost, the shared rate-limit
pause, and Ctrl-C / kill halfway, over real HTTP (loopback server)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.helpers.cli import without_configuration
from tests.helpers.fixtures import fixture_content
from tests.helpers.loopback import LoopbackServer, Step, completion, error
from tests.helpers.paths import SEED_000
from verifier.batch import BatchOptions, run_batch
from verifier.engines import make_engine
from verifier.batch.inputs import collect
from verifier.errors import ConfigError, InputError
from verifier.models import BatchRecord

DRAFT = json.dumps(fixture_content("49e59250b2ff3938"), ensure_ascii=False)


def corpus(folder: Path, n: int, *, start: int = 0) -> Path:
    """``n`` distinct articles that the seed's draft grounds in."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED_000.read_text("utf-8")
    for i in range(start, start + n):
        (folder / f"a{i:03d}.txt").write_text(f"{text}\n\n(Article {i})\n", "utf-8")
    return folder


def records(out: Path) -> list[BatchRecord]:
    return [BatchRecord.model_validate_json(line) for line in out.read_text("utf-8").splitlines()]


def answer(body, headers) -> Step:
    return Step(body=completion(DRAFT, usage=(1000, 500)))


def sent_articles(server: LoopbackServer) -> list[str]:
    return [r.headers["x-verifier-article-sha256"] for r in server.requests if r.path.endswith("/chat/completions")]


# -- inputs ---------------------------------------------------------------------------------------


def test_inputs_directories_jsonl_and_errors(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "a.txt").write_text("A", "utf-8")
    (tmp_path / "d" / "sub" / "b.md").write_text("B", "utf-8")
    (tmp_path / "d" / "sub" / "c.HTML").write_text("<p>C</p>", "utf-8")
    (tmp_path / "d" / "notes.csv").write_text("x", "utf-8")
    (tmp_path / "d" / ".hidden").mkdir()
    (tmp_path / "d" / ".hidden" / "h.txt").write_text("H", "utf-8")
    (tmp_path / "list.jsonl").write_text(
        '{"id": "x1", "text": "Un texte."}\n\n{"path": "d/a.txt"}\n{"id": 7, "path": "d/sub/b.md"}\n', "utf-8")
    items = collect([str(tmp_path / "d"), str(tmp_path / "list.jsonl")])
    ids = [i.id for i in items]
    assert ids[:3] == [str(tmp_path / "d" / "a.txt"), str(tmp_path / "d" / "sub" / "b.md"),
                       str(tmp_path / "d" / "sub" / "c.HTML")]
    assert ids[3:] == ["x1", f"{tmp_path / 'list.jsonl'}:3", "7"]
    assert items[3].read().text == "Un texte." and items[4].read().text == "A"

    with pytest.raises(InputError, match="no such file"):
        collect([str(tmp_path / "missing")])
    (tmp_path / "dup.jsonl").write_text('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "utf-8")
    with pytest.raises(InputError, match="appears twice"):
        collect([str(tmp_path / "dup.jsonl")])
    for bad in ('{"id": "a"}', '{"id": "a", "text": "x", "path": "y"}', "[1]", "{nope"):
        (tmp_path / "bad.jsonl").write_text(bad + "\n", "utf-8")
        with pytest.raises(InputError, match=r"bad.jsonl:1"):
            collect([str(tmp_path / "bad.jsonl")])


def test_invalid_unicode_in_names_and_texts_never_crashes_a_batch(tmp_path):
    """JSON allows an unpaired surrogate ("\\ud800") and Linux a file name that is not UTF-8; records are
    UTF-8 JSON: a bad id or path is a malformed line (one message), a bad text a failed item, a bad file
    name an id with U+FFFD (the file itself is analysed)."""
    for key, line in (("id", '{"id": "a\\udc00", "text": "x"}'), ("path", '{"id": "a", "path": "\\ud800.txt"}')):
        (tmp_path / "bad.jsonl").write_text(line + "\n", "utf-8")
        with pytest.raises(InputError, match=f'bad.jsonl:1: "{key}" is not valid Unicode'):
            collect([str(tmp_path / "bad.jsonl")])
    folder = tmp_path / "in"
    folder.mkdir()
    odd = bytes(folder) + b"/caf\xe9.txt"  # Latin-1 bytes in a file name
    with open(odd, "wb") as handle:
        handle.write(SEED_000.read_bytes())
    (tmp_path / "texts.jsonl").write_text('{"id": "lone", "text": "Le ministre a dit \\ud800 lundi."}\n', "utf-8")
    out = tmp_path / "out.jsonl"
    summary = run_batch([str(folder), str(tmp_path / "texts.jsonl")], out, make_engine("offline"),
                        BatchOptions(use_cache=False, progress=False, workers=1))
    assert summary.done == 1 and [f.id for f in summary.failed] == ["lone"]
    done, failed = records(out)
    assert done.id == done.source == str(folder / "caf\ufffd.txt") and done.analysis.claims
    assert failed.error_type == "input" and "not valid Unicode" in failed.error


# -- offline ------------------------------------------------------------------------------------


def test_offline_batch_records_resume_and_retry_failed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "seed.txt").write_text(SEED_000.read_text("utf-8"), "utf-8")
    (folder / "page.html").write_text(
        "<html><body><nav>Menu Accueil</nav><article><p>Le ministre a déclaré lundi que la réforme serait "
        "adoptée avant 2026, selon un communiqué.</p><p>« Nous ne reculerons pas », a-t-il ajouté devant "
        "les députés réunis à Paris.</p></article></body></html>", "utf-8")
    (folder / "empty.txt").write_text("  \n", "utf-8")
    out = tmp_path / "out.jsonl"

    first = run_batch([str(folder)], out, make_engine("offline"), BatchOptions(workers=1, progress=False))
    assert (first.done, len(first.failed), first.total) == (2, 1, 3)
    assert first.failed[0].error_type == "input" and "empty" in first.failed[0].error
    recs = {Path(r.id).name: r for r in records(out)}
    html = recs["page.html"].analysis
    assert recs["seed.txt"].status == "done" and recs["seed.txt"].analysis.claims
    spans = [s.text for c in html.claims for s in c.evidence]
    assert html.article.chars < 300 and any("ministre" in t for t in spans)  # the body, not the page
    assert not any("Menu" in t for t in spans)
    assert recs["empty.txt"].status == "failed" and recs["empty.txt"].input_sha256

    again = run_batch([str(folder)], out, make_engine("offline"), BatchOptions(workers=1, progress=False))
    assert (again.already_done, again.failed_before, again.done, again.failed) == (2, 1, 0, [])
    assert len(records(out)) == 3  # nothing redone

    (folder / "empty.txt").write_text("Un article enfin écrit, avec une phrase.", "utf-8")
    retried = run_batch([str(folder)], out, make_engine("offline"), BatchOptions(workers=1, progress=False))
    assert (retried.already_done, retried.done) == (2, 1)  # changed input: redone without asking

    with pytest.raises(ConfigError, match="choose another --out"):
        run_batch([str(folder)], out, make_engine("replay"), BatchOptions(progress=False))


def test_offline_process_pool_matches_in_process(tmp_path, monkeypatch):
    import verifier.batch.pool as pool

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(10):
        name = ("000_7a43b438991ae711.txt", "001_0ae1607b2b57d138.txt")[i % 2]
        (folder / f"{i}_{name}").write_text((SEED_000.parent / name).read_text("utf-8") + f"\n({i})\n", "utf-8")
    one = run_batch([str(folder)], tmp_path / "one.jsonl", make_engine("offline"),
                    BatchOptions(workers=1, use_cache=False, progress=False))

    monkeypatch.setattr(pool, "MIN_PER_WORKER", 1)  # a pool even for ten articles
    here, from_workers = [], []
    slow = pool.analyze_item  # this process works slowly, so the workers get articles once they are up

    def analyze_here(*args):
        here.append(time.sleep(2.5))  # 25 s in all: time for the workers to load spaCy on a busy machine
        return slow(*args)
    monkeypatch.setattr(pool, "analyze_item", analyze_here)
    outcome = pool._outcome
    monkeypatch.setattr(pool, "_outcome", lambda f: from_workers.append(1) or outcome(f))
    two = run_batch([str(folder)], tmp_path / "two.jsonl", make_engine("offline"),
                    BatchOptions(workers=2, use_cache=False, progress=False))
    assert one.done == two.done == 10 and here and from_workers and len(here) + len(from_workers) == 10

    def claims(out):
        return {Path(r.id).name: [c.text for c in r.analysis.claims] for r in records(out)}
    assert claims(tmp_path / "one.jsonl") == claims(tmp_path / "two.jsonl")


# -- llm over HTTP ------------------------------------------------------------------------------


def test_llm_batch_usage_cost_failures_and_no_second_request(tmp_path, endpoint):
    folder = corpus(tmp_path / "in", 5)
    prices = tmp_path / "prices.json"
    prices.write_text('{"models": {"test-model": {"input": 2.0, "output": 8.0}}}', "utf-8")

    def respond(body, headers):
        if "(Article 3)" in body["messages"][-1]["content"]:
            return error(500, "boom")
        return answer(body, headers)

    out = tmp_path / "out.jsonl"
    with endpoint(LoopbackServer(responder=respond)) as server:
        summary = run_batch([str(folder)], out, make_engine(), BatchOptions(concurrency=3, prices=prices, progress=False))
        assert summary.done == 4 and [f.id for f in summary.failed] == [str(folder / "a003.txt")]
        assert summary.failed[0].error_type == "upstream" and "HTTP 500" in summary.failed[0].error
        per_article = 1000 * 2.0 / 1e6 + 500 * 8.0 / 1e6
        done = [r for r in records(out) if r.status == "done"]
        assert all(r.usage.prompt_tokens == 1000 and r.cost_usd == pytest.approx(per_article) for r in done)
        assert all(r.analysis.provenance.engine == "llm" and r.analysis.claims for r in done)
        assert summary.usage.completion_tokens == 4 * 500
        assert summary.cost_usd == pytest.approx(4 * per_article)
        first_requests = len(server.requests)

        again = run_batch([str(folder)], out, make_engine(), BatchOptions(concurrency=3, prices=prices, progress=False))
        assert len(server.requests) == first_requests  # finished and failed: nothing sent
        assert (again.already_done, again.failed_before) == (4, 1)

        retry = run_batch([str(folder)], out, make_engine(), BatchOptions(retry_failed=True, prices=prices, progress=False))
        assert retry.done == 0 and len(retry.failed) == 1
        assert sent_articles(server)[first_requests:] == [records(out)[-1].article_sha256] * 4  # 4 attempts


def test_a_results_file_keeps_its_endpoint_and_another_endpoint_is_refused(tmp_path, endpoint, monkeypatch):
    """Answers from one endpoint are not taken as done for another (as for the cache key): records name
    the base URL, without its credentials; resuming against another is refused before any request."""
    folder = corpus(tmp_path / "in", 2)
    out = tmp_path / "out.jsonl"
    with endpoint(LoopbackServer(responder=answer)) as first:
        with_user = first.base_url.replace("http://", "http://user:pw-9f3k@") + "?tenant=7"
        monkeypatch.setenv("OPENAI_BASE_URL", with_user)
        run_batch([str(folder)], out, make_engine(), BatchOptions(progress=False))
        kept = {r.endpoint for r in records(out)}
        assert kept == {first.base_url} and "pw-9f3k" not in out.read_text("utf-8")
    corpus(folder, 1, start=2)
    with endpoint(LoopbackServer(responder=answer)) as second:
        with pytest.raises(ConfigError, match=f"answers from the endpoint {first.base_url}; this run sends to "
                                              f"{second.base_url}"):
            run_batch([str(folder)], out, make_engine(), BatchOptions(progress=False))
        assert second.requests == []


def test_identical_articles_are_asked_once_and_unknown_price_is_null(tmp_path, endpoint):
    folder = corpus(tmp_path / "in", 3)
    (folder / "copy.txt").write_text((folder / "a001.txt").read_text("utf-8"), "utf-8")
    out = tmp_path / "out.jsonl"
    with endpoint(LoopbackServer(responder=answer, latency=0.05)) as server:
        summary = run_batch([str(folder)], out, make_engine(), BatchOptions(concurrency=4, progress=False))
    assert summary.done == 4 and summary.from_cache == 1
    assert len(server.requests) == 3
    assert summary.cost_usd is None  # test-model has no price


def test_one_rate_limit_pauses_every_worker(tmp_path, endpoint):
    folder = corpus(tmp_path / "in", 8)
    lock = threading.Lock()
    seen = []

    def respond(body, headers):
        with lock:
            seen.append(time.monotonic())
            first = len(seen) == 1
        if first:
            return error(429, "slow down", headers={"retry-after-ms": "600"})
        return Step(body=completion(DRAFT), delay=0.05)

    with endpoint(LoopbackServer(responder=respond)) as server:
        summary = run_batch([str(folder)], tmp_path / "out.jsonl", make_engine(), BatchOptions(concurrency=4, progress=False))
    assert summary.done == 8
    limited = seen[0]
    # the other three were in flight already; every later request waited out the pause
    later = [t - limited for t in seen[4:]]
    assert len(server.requests) == 9 and min(later) >= 0.55


def test_bad_credentials_stop_the_batch(tmp_path, endpoint):
    folder = corpus(tmp_path / "in", 10)
    with endpoint(LoopbackServer([error(401, "invalid api key")])) as server:
        summary = run_batch([str(folder)], tmp_path / "out.jsonl", make_engine(), BatchOptions(concurrency=2, progress=False))
    assert summary.stopped and "credentials" in summary.stopped
    assert len(server.requests) <= 2 and summary.not_started >= 8
    assert all(f.error_type == "config" for f in summary.failed)


# -- interruption -------------------------------------------------------------------------------


def start_batch(folder: Path, out: Path, server: LoopbackServer, *extra: str) -> subprocess.Popen:
    import os

    env = {**os.environ, "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-test-key",
           "VERIFIER_MODEL": "test-model"}
    return subprocess.Popen([sys.executable, "-c", "from verifier.cli import main; main()", "batch", str(folder),
                             "--out", str(out), "--concurrency", "2", "--no-progress", *extra],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_lines(out: Path, n: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if out.exists() and out.read_bytes().count(b"\n") >= n:
            return
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.02)
    raise AssertionError("the batch did not get going")


def test_ctrl_c_finishes_in_flight_and_rerun_sends_each_article_once(tmp_path, endpoint):
    folder = corpus(tmp_path / "in", 12)
    out = tmp_path / "out.jsonl"
    with endpoint(LoopbackServer(responder=answer, latency=0.25)) as server:
        proc = start_batch(folder, out, server)
        wait_for_lines(out, 3, proc)
        proc.send_signal(signal.SIGINT)
        _stdout, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 130, stderr.decode()
        assert without_configuration(stderr.decode()).count("\n") <= 3 and "Traceback" not in stderr.decode()
        first = records(out)
        assert 3 <= len(first) < 12 and all(r.status == "done" for r in first)
        assert len(sent_articles(server)) == len(first)  # what was in flight was finished and written

        rerun = start_batch(folder, out, server)
        stdout, stderr = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, stderr.decode()
        assert "already done" in stdout.decode()
    sent = sent_articles(server)
    assert len(sent) == len(set(sent)) == 12  # no article was asked twice
    assert sorted(Path(r.id).name for r in records(out)) == sorted(p.name for p in folder.iterdir())


def test_kill_halfway_then_rerun_repeats_nothing_finished(tmp_path, endpoint):
    folder = corpus(tmp_path / "in", 12)
    out = tmp_path / "out.jsonl"
    with endpoint(LoopbackServer(responder=answer, latency=0.25)) as server:
        proc = start_batch(folder, out, server)
        wait_for_lines(out, 4, proc)
        proc.kill()
        proc.wait(timeout=30)
        with out.open("ab") as fh:  # as if the kill had cut a line short
            fh.write(b'{"id": "half a rec')
        finished = {r.article_sha256 for r in records_lenient(out)}
        before = len(sent_articles(server))

        rerun = start_batch(folder, out, server)
        _stdout, stderr = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, stderr.decode()
        assert "unfinished last line" in stderr.decode()
    again = sent_articles(server)[before:]
    assert not finished & set(again)  # nothing finished was asked again
    assert len({r.id for r in records(out)}) == 12 and all(r.status == "done" for r in records(out))


def records_lenient(out: Path) -> list[BatchRecord]:
    lines = out.read_text("utf-8").split("\n")
    return [BatchRecord.model_validate_json(line) for line in lines if line.endswith("}") and '"finished"' in line]


# -- command line -------------------------------------------------------------------------------


def test_cli_errors_are_one_line(tmp_path):
    from tests.helpers.cli import run_cli, without_configuration

    missing = run_cli("batch", str(tmp_path / "nope"), "--out", str(tmp_path / "o.jsonl"))
    assert missing.returncode == 3 and without_configuration(missing.stderr.decode()).count("\n") == 1
    api = run_cli("batch", str(SEED_000), "--out", str(tmp_path / "o.jsonl"), "--engine", "offline", "--batch-api")
    assert api.returncode == 4 and b"--batch-api needs the llm engine" in api.stderr
    (tmp_path / "o.jsonl").write_text("not a record\n", "utf-8")
    other = run_cli("batch", str(SEED_000), "--out", str(tmp_path / "o.jsonl"), "--engine", "offline")
    assert other.returncode == 4 and b"not a batch record" in other.stderr


# -- the Batch API ------------------------------------------------------------------------------


def batch_answer(body, headers) -> Step:
    if "(Article 2)" in body["messages"][-1]["content"]:
        return error(500, "model overloaded")
    return Step(body=completion(DRAFT, usage=(1000, 500)))


def uploads(server: LoopbackServer) -> int:
    return sum(1 for r in server.requests if r.method == "POST" and r.path.rstrip("/").endswith("/files"))


def test_batch_api_round_trip(tmp_path, endpoint):
    folder = corpus(tmp_path / "in", 4)
    prices = tmp_path / "prices.json"
    prices.write_text('{"models": {"test-model": {"input": 2.0, "output": 8.0, "batch_input": 1.0, '
                      '"batch_output": 4.0}}}', "utf-8")
    out = tmp_path / "out.jsonl"
    options = BatchOptions(batch_api=True, poll_interval=0, prices=prices, progress=False)
    with endpoint(LoopbackServer(responder=batch_answer, batch_polls=1)) as server:
        summary = run_batch([str(folder)], out, make_engine(), options)
        assert not sent_articles(server)  # no live request
        (batch_id,) = server.batches
        lines = [json.loads(x) for x in server.files[server.batches[batch_id]["input_file_id"]].splitlines()]
        assert len(lines) == 4 and {x["url"] for x in lines} == {"/v1/chat/completions"}
        body = lines[0]["body"]
        assert body["model"] == "test-model" and body["response_format"]["json_schema"]["strict"] is True
        assert "(Article 0)" in body["messages"][-1]["content"]

        assert summary.done == 3 and summary.batch_api == [batch_id]
        (failure,) = summary.failed
        assert failure.id.endswith("a002.txt") and "HTTP 500" in failure.error and "model overloaded" in failure.error
        done = [r for r in records(out) if r.status == "done"]
        assert all(r.analysis.claims and all(c.grounded for c in r.analysis.claims) for r in done)
        assert all(r.cost_usd == pytest.approx(1000 * 1.0 / 1e6 + 500 * 4.0 / 1e6) for r in done)  # batch price
        state = json.loads((tmp_path / "out.jsonl.batches.json").read_text("utf-8"))
        assert state["batches"][0]["id"] == batch_id and state["batches"][0]["collected"] is True

        requests_before = len(server.requests)
        again = run_batch([str(folder)], out, make_engine(), options)
        assert again.already_done == 3 and again.failed_before == 1
        assert len(server.requests) == requests_before  # nothing uploaded, created or polled again


def test_batch_api_interrupted_while_polling_is_collected_not_resubmitted(tmp_path, endpoint):
    folder = corpus(tmp_path / "in", 3)
    out = tmp_path / "out.jsonl"
    state = tmp_path / "out.jsonl.batches.json"
    with endpoint(LoopbackServer(responder=answer, batch_polls=10_000)) as server:
        proc = start_batch(folder, out, server, "--batch-api", "--poll-interval", "0.05")
        deadline = time.monotonic() + 60
        while not state.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # polling
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 130, stderr.decode()
        assert "keep running at the provider" in stderr.decode() + stdout.decode()
        assert not out.exists() or not out.read_text("utf-8").strip()

        server.batch_polls = 1
        summary = run_batch([str(folder)], out, make_engine(), BatchOptions(batch_api=True, poll_interval=0, progress=False))
        assert summary.done == 3 and uploads(server) == 1 and len(server.batches) == 1


# -- dry run ------------------------------------------------------------------------------------


def test_dry_run_counts_tokens_and_cost_without_sending(tmp_path, endpoint, monkeypatch, tiktoken_offline):
    import tiktoken

    from verifier.batch.estimate import DEFAULT_COMPLETION_RATIO, estimate_batch
    from verifier.engines import make_engine
    from verifier.models import AnalysisDraft

    folder = corpus(tmp_path / "in", 3)
    prices = tmp_path / "prices.json"
    prices.write_text('{"models": {"gpt-4": {"input": 30.0, "output": 60.0, "batch_input": 15.0, '
                      '"batch_output": 30.0}, "test-model": {"input": 1.0, "output": 1.0}}}', "utf-8")
    out = tmp_path / "out.jsonl"
    with endpoint(LoopbackServer(responder=answer)) as server:
        monkeypatch.setenv("VERIFIER_MODEL", "gpt-4")
        est = estimate_batch([str(folder)], out, make_engine(), BatchOptions(prices=prices))
        enc = tiktoken.get_encoding("cl100k_base")
        engine = make_engine("llm")
        expected = 0
        for path in sorted(folder.iterdir()):
            from verifier.ingest.article import read_article

            article = read_article(str(path))
            msgs = engine.prompt.messages(article=article.text, article_id=article.sha256[:12],
                                          source=article.source, output_language=None)
            expected += sum(len(enc.encode(m["content"])) + len(enc.encode(m["role"])) + 3 for m in msgs) + 3
            expected += len(enc.encode(json.dumps(AnalysisDraft.model_json_schema()), disallowed_special=()))
        assert est.to_send == 3 and est.prompt_tokens_exact and est.prompt_tokens == expected
        assert est.completion_tokens == round(expected * DEFAULT_COMPLETION_RATIO)
        assert est.cost_usd == pytest.approx((expected * 30 + est.completion_tokens * 60) / 1e6)
        assert est.batch_cost_usd == pytest.approx(est.cost_usd / 2)
        assert not server.requests

        # after a real run of one article: it is done, and its usage sets the completion ratio
        monkeypatch.setenv("VERIFIER_MODEL", "test-model")
        run_batch([str(folder / "a000.txt")], out, make_engine(), BatchOptions(progress=False))
        est = estimate_batch([str(folder)], out, make_engine(), BatchOptions(prices=prices))
        assert (est.already_done, est.to_send) == (1, 2) and not est.prompt_tokens_exact
        assert "approximate" in est.tokenizer and "test-model" in est.tokenizer
        assert est.completion_tokens == round(est.prompt_tokens * 0.5)  # 500 out / 1000 in, observed
        elsewhere = estimate_batch([str(folder)], tmp_path / "other.jsonl", make_engine(), BatchOptions(prices=prices))
        assert (elsewhere.from_cache, elsewhere.to_send) == (1, 2)  # the cache answers it: no cost
        assert len(server.requests) == 1


def test_rate_limited_endpoint_finishes_every_article(tmp_path, endpoint):
    folder = corpus(tmp_path / "in", 40)
    with endpoint(LoopbackServer(responder=answer, rate_limit=10, latency=0.02)) as server:
        summary = run_batch([str(folder)], tmp_path / "out.jsonl", make_engine(), BatchOptions(concurrency=12, progress=False))
    assert summary.done == 40 and not summary.failed
    assert server.rate_limited >= 1  # the limit was met, and every worker slowed down instead of giving up
    assert server.rate_limited < 40


# -- one run per --out ----------------------------------------------------------------------------


def test_a_second_batch_on_the_same_out_refuses_and_nothing_is_asked_twice(tmp_path, endpoint):
    folder = corpus(tmp_path / "in", 12)
    out = tmp_path / "out.jsonl"
    with endpoint(LoopbackServer(responder=answer, latency=0.25)) as server:
        first = start_batch(folder, out, server)
        wait_for_lines(out, 1, first)
        second = start_batch(folder, out, server)
        _stdout, stderr = second.communicate(timeout=60)
        assert first.poll() is None  # the refusal came while the first was running
        assert second.returncode == 4, stderr.decode()
        assert without_configuration(stderr.decode()) == (f"verifier: error: {out} is being written by another batch (pid {first.pid}); "
                                   "wait for it (--wait) or choose another --out\n")
        _stdout, stderr = first.communicate(timeout=120)
        assert first.returncode == 0, stderr.decode()
    sent = sent_articles(server)
    assert len(sent) == len(set(sent)) == 12  # every article asked once
    assert len(records(out)) == 12


def test_wait_waits_for_the_first_batch_then_resumes(tmp_path, endpoint):
    folder = corpus(tmp_path / "in", 8)
    out = tmp_path / "out.jsonl"
    with endpoint(LoopbackServer(responder=answer, latency=0.25)) as server:
        first = start_batch(folder, out, server)
        wait_for_lines(out, 1, first)
        second = start_batch(folder, out, server, "--wait")
        stdout, stderr = second.communicate(timeout=120)
        assert first.wait(timeout=60) == 0
        assert second.returncode == 0, stderr.decode()
        assert without_configuration(stderr.decode()).startswith(f"verifier: waiting for another batch writing {out} (pid {first.pid})")
        assert "already done" in stdout.decode()
    sent = sent_articles(server)
    assert len(sent) == len(set(sent)) == 8
    assert len(records(out)) == 8


def test_wait_has_a_deadline(tmp_path):
    from verifier.batch.run import lock_path
    from verifier.storage import FileLock

    out = tmp_path / "out.jsonl"
    held = FileLock(lock_path(out))
    held.try_acquire()  # held by this process: a run in another one meets it
    try:
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-c", "from verifier.cli import main; main()", "batch",
                               str(corpus(tmp_path / "in", 1)), "--out", str(out), "--engine", "offline",
                               "--wait", "--wait-timeout", "1"], capture_output=True, text=True, timeout=60)
    finally:
        held.release()
    assert proc.returncode == 4 and "still being written by another batch" in proc.stderr
    assert time.monotonic() - started < 30 and not out.exists()
