"""``verifier batch --export-requests`` / ``--import-results``: Batch API files without the Batch API.

The results are made the way ``vllm run-batch`` makes them: every exported
body is POSTed to a loopback OpenAI-compatible server (a faithful
fabricator) over real HTTP, and each reply written as a Batch output line."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from tests.helpers.fabricator import Fabricator
from tests.helpers.keys import SENTINEL_KEY
from tests.helpers.loopback import LoopbackServer
from tests.helpers.paths import FIXTURES, SEED_000
from verifier.batch import BatchOptions, run_batch
from verifier.batch.export import export_requests
from verifier.engines import make_engine
from verifier.errors import ConfigError
from verifier.models import BatchRecord

TINY = "Le maire a déclaré lundi que l'école rouvrirait en septembre, selon un communiqué de la mairie."


def corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((FIXTURES / "articles").glob("*.txt"))[:3]:
        shutil.copyfile(path, folder / path.name)
    (folder / "tiny.txt").write_text(TINY, "utf-8")
    return folder


def records(out: Path) -> dict[str, BatchRecord]:
    recs = [BatchRecord.model_validate_json(line) for line in out.read_text("utf-8").splitlines()]
    return {Path(r.id).name: r for r in recs}


def run_batch_file(requests: Path, server: LoopbackServer, results: Path) -> list[dict]:
    """What ``vllm run-batch -i requests -o results`` does: each body to the server, each reply a line."""
    out = []
    for n, raw in enumerate(requests.read_text("utf-8").splitlines(), 1):
        line = json.loads(raw)
        request = urllib.request.Request(server.base_url.removesuffix("/v1") + line["url"], method=line["method"],
                                         data=json.dumps(line["body"]).encode(),
                                         headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            body = json.loads(reply.read())
            status = reply.status
        out.append({"id": f"vllm-{n}", "custom_id": line["custom_id"],
                    "response": {"status_code": status, "request_id": f"req-{n}", "body": body}, "error": None})
    results.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in out), "utf-8")
    return out


CHAT_REQUEST = TypeAdapter(
    __import__("openai").types.chat.completion_create_params.CompletionCreateParamsNonStreaming)


def check_request_line(line: dict) -> None:
    assert set(line) == {"custom_id", "method", "url", "body"}
    assert (line["method"], line["url"]) == ("POST", "/v1/chat/completions")
    body = line["body"]
    CHAT_REQUEST.validate_python(body)  # a chat.completions request, as the SDK types it
    assert {"model", "messages", "response_format"} <= set(body) and "extra_headers" not in body
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert all(isinstance(m["content"], str) and m["content"] for m in body["messages"])
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True and fmt["json_schema"]["schema"]


def test_export_then_import_grounds_every_article(tmp_path, endpoint, monkeypatch):
    folder = corpus(tmp_path / "in")
    monkeypatch.setenv("VERIFIER_MAX_TOKENS", "4000")
    requests, results, out = tmp_path / "requests.jsonl", tmp_path / "results.jsonl", tmp_path / "out.jsonl"
    fabricator = Fabricator("faithful")
    with endpoint(LoopbackServer(responder=fabricator)) as server:
        monkeypatch.setenv("VERIFIER_MODEL", "my-model")  # the server answers as test-model
        written = export_requests([str(folder)], requests, make_engine())
        assert not server.requests  # nothing sent
        assert (written.total, written.articles, written.lines, written.skipped) == (4, 4, 4, [])
        lines = [json.loads(x) for x in requests.read_text("utf-8").splitlines()]
        for line in lines:
            check_request_line(line)
            assert line["body"]["model"] == "my-model" and line["body"]["max_tokens"] == 4000
        assert len({x["custom_id"] for x in lines}) == 4
        assert any(TINY in x["body"]["messages"][-1]["content"] for x in lines)

        run_batch_file(requests, server, results)
        assert server.completions == 4
        summary = run_batch([str(folder)], out, make_engine(), BatchOptions(import_results=results, progress=False))
        assert server.completions == 4  # the import sends nothing
    assert (summary.done, summary.failed, summary.usage.requests) == (4, [], 4)
    recs = records(out)
    assert len(recs) == 4 and all(r.status == "done" for r in recs.values())
    for name, rec in recs.items():
        prov = rec.analysis.provenance
        assert (rec.model, prov.model, prov.results_file) == ("my-model", "test-model", str(results))
        items = rec.analysis.claims + rec.analysis.attributions
        assert rec.analysis.claims and all(c.grounded for c in rec.analysis.claims), name
        assert items and rec.analysis.article.sha256 == rec.article_sha256
    for path in (requests, results, out):
        assert SENTINEL_KEY not in path.read_text("utf-8")

    again = run_batch([str(folder)], out, make_engine(), BatchOptions(import_results=results, progress=False))
    assert (again.already_done, again.done) == (4, 0)
    monkeypatch.setenv("VERIFIER_MODEL", "my-model")
    rest = export_requests([str(folder)], tmp_path / "rest.jsonl", make_engine(), out)
    assert (rest.already_done, rest.lines) == (4, 0) and (tmp_path / "rest.jsonl").read_text("utf-8") == ""


def test_failed_invalid_missing_and_unknown_lines(tmp_path, endpoint, capsys):
    folder = corpus(tmp_path / "in")
    requests, results, out = tmp_path / "requests.jsonl", tmp_path / "results.jsonl", tmp_path / "out.jsonl"
    with endpoint(LoopbackServer(responder=Fabricator("faithful"))) as server:
        export_requests([str(folder)], requests, make_engine())
        lines = run_batch_file(requests, server, results)
    by_name = {}
    for entry, request in zip(lines, requests.read_text("utf-8").splitlines()):
        content = json.loads(request)["body"]["messages"][-1]["content"]
        by_name[next(p.name for p in folder.iterdir() if p.read_text("utf-8")[:200] in content)] = entry
    names = sorted(by_name)
    errored, invalid, refused, missing = names
    by_name[errored].update(response={"status_code": 500, "request_id": "r", "body": None},
                            error={"message": "model  overloaded", "code": "server_error"})
    by_name[invalid]["response"]["body"]["choices"][0]["message"]["content"] = '{"claims": [oops'
    by_name[refused]["response"]["body"]["choices"][0]["message"].update(content=None, refusal="I can't help")
    kept = [by_name[n] for n in (errored, invalid, refused)]
    kept.append({"id": "x", "custom_id": "0000000000000000-deadbeef", "response": None, "error": "stray"})
    results.write_text("".join(json.dumps(x) + "\n" for x in kept) + "not json\n", "utf-8")

    summary = run_batch([str(folder)], out, make_engine(), BatchOptions(import_results=results, progress=False))
    assert summary.done == 0 and len(summary.failed) == 4
    recs = records(out)
    assert all(r.status == "failed" and r.error_type == "upstream" for r in recs.values())
    assert "HTTP 500: model overloaded" in recs[errored].error and "no re-ask" not in recs[errored].error
    assert "did not match the schema" in recs[invalid].error and "no re-ask is possible" in recs[invalid].error
    assert "refused" in recs[refused].error and "no re-ask is possible" in recs[refused].error
    assert recs[invalid].usage.requests == 1  # what the answer cost is kept
    assert recs[missing].error == f"no result for this article in {results}"
    err = " ".join(capsys.readouterr().err.split())  # the console wraps long lines
    assert "custom_id '0000000000000000-deadbeef' matches no article" in err
    assert f"{results}:5: not a Batch output line" in err


def test_long_article_chunks_go_back_together(tmp_path, endpoint, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    long_text = "\n\n".join([SEED_000.read_text("utf-8")] * 6)
    (folder / "long.txt").write_text(long_text, "utf-8")
    (folder / "short.txt").write_text(TINY, "utf-8")
    monkeypatch.setenv("VERIFIER_CONTEXT_TOKENS", "6000")  # the prompt with its schema takes ~2,200
    requests, results, out = tmp_path / "requests.jsonl", tmp_path / "results.jsonl", tmp_path / "out.jsonl"
    with endpoint(LoopbackServer(responder=Fabricator("faithful"))) as server:
        written = export_requests([str(folder)], requests, make_engine())
        ids = [json.loads(x)["custom_id"] for x in requests.read_text("utf-8").splitlines()]
        assert written.articles == 2 and written.lines == len(ids) > 2
        chunked = [i for i in ids if "-p" in i]
        n = len(chunked)
        assert [i.rsplit("-", 1)[1] for i in chunked] == [f"p{k}of{n}" for k in range(1, n + 1)]
        lines = run_batch_file(requests, server, results)
    shuffled = lines[::-1]  # a results file need not keep the input order
    results.write_text("".join(json.dumps(x) + "\n" for x in shuffled), "utf-8")
    summary = run_batch([str(folder)], out, make_engine(), BatchOptions(import_results=results, progress=False))
    assert summary.done == 2 and summary.usage.requests == n + 1
    rec = records(out)["long.txt"]
    assert rec.analysis.provenance.chunks == n and rec.usage.requests == n
    assert rec.analysis.claims and all(c.grounded for c in rec.analysis.claims)

    without_part = [x for x in lines if not x["custom_id"].endswith(f"-p2of{n}")]
    results.write_text("".join(json.dumps(x) + "\n" for x in without_part), "utf-8")
    again = run_batch([str(folder)], tmp_path / "out2.jsonl", make_engine(),
                      BatchOptions(import_results=results, progress=False, use_cache=False))
    (failure,) = again.failed
    assert failure.id.endswith("long.txt") and f"no result for part 2 of {n}" in failure.error


def test_options_that_do_not_go_together(tmp_path, endpoint):
    from tests.helpers.cli import run_cli

    with pytest.raises(ConfigError, match="--export-requests needs the llm engine"):
        export_requests([str(SEED_000)], tmp_path / "r.jsonl", make_engine("offline"))
    with pytest.raises(ConfigError, match="--import-results needs the llm engine"):
        run_batch([str(SEED_000)], tmp_path / "o.jsonl", make_engine("offline"),
                  BatchOptions(import_results=SEED_000, progress=False))
    both = run_cli("batch", str(SEED_000), "--export-requests", str(tmp_path / "r.jsonl"), "--dry-run")
    assert both.returncode == 4 and b"cannot go with" in both.stderr
    no_out = run_cli("batch", str(SEED_000), "--engine", "offline")
    assert no_out.returncode == 4 and b"give --out" in no_out.stderr
    with endpoint(LoopbackServer()) as server:
        env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": SENTINEL_KEY}
        exported = run_cli("batch", str(SEED_000), "--export-requests", str(tmp_path / "r.jsonl"), "--json", env=env)
        assert exported.returncode == 0, exported.stderr
        assert json.loads(exported.stdout)["lines"] == 1 and not server.requests
    assert SENTINEL_KEY not in (tmp_path / "r.jsonl").read_text("utf-8")
    assert SENTINEL_KEY.encode() not in exported.stdout + exported.stderr
