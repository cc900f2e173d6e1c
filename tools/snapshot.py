"""Every command's output on every fixture, recorded to prove that a change of code layout changes no behaviour.

``record DIR`` runs ~270 command lines of the ``verifier`` CLI, in this process (spaCy loads once), each in a
fresh temporary directory with its own cache and no OPENAI_*/VERIFIER_* settings but those the scenario sets,
and writes one JSON file per command line: exit code, stdout, stderr and the files it wrote.  What it covers:

* ``summarize``, ``claims``, ``who-said-what`` on every article of ``fixtures/articles`` and
  ``fixtures/adversarial/articles``, as JSON, Markdown and table (``-o``), with the offline engine, the replay
  engine, and the llm engine against a loopback OpenAI-compatible server (``tests/``'s ``LoopbackServer``)
  that answers each article with its hand-annotated fixture; options ``-n``, ``--lang``, ``-v``,
  ``--show-ungrounded``; the cache (a second run answered from it);
* the llm engine's paths: JSON mode, the fallback when ``json_schema`` is refused, retries on 5xx, a re-ask
  after a schema-invalid reply, a refusal, an endpoint that keeps failing, and a long article split in chunks;
* ``diff`` (both seeds, every engine, ``--only-changes``), ``verify`` (a claims file, an article, the JSON of
  ``claims --json``, every engine), ``batch`` (offline, replay, llm, ``--dry-run``, ``--batch-api``, a
  resumed run), ``record``, ``schema``, ``prompts``;
* one-line errors: missing, empty, binary and directory inputs, an unknown engine, no endpoint, bad options.

Outputs are normalised where they legitimately vary: temporary paths, the checkout's path, loopback ports,
times (``finished``, ``elapsed_seconds``, a fixture's recording date).

``compare BEFORE AFTER`` prints every command line whose recorded output differs (with a diff of the first
lines that differ) and exits 1 if any does.

To check a restructuring, record the commit before it with this script from the commit after it::

    git worktree add /tmp/verifier-before <commit>
    PYTHONPATH=/tmp/verifier-before .venv/bin/python tools/snapshot.py record /tmp/before
    .venv/bin/python tools/snapshot.py record /tmp/after
    .venv/bin/python tools/snapshot.py compare /tmp/before /tmp/after

(``PYTHONPATH`` puts the older ``verifier`` package, with its own prompts and fixtures, ahead of the
installed one; the inputs and the loopback server come from this checkout in both runs.)
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
ARTICLES = sorted((FIXTURES / "articles").glob("*.txt"))
ADVERSARIAL = sorted((FIXTURES / "adversarial" / "articles").glob("*.txt"))
SEED_000, SEED_001 = FIXTURES / "articles" / "000_7a43b438991ae711.txt", FIXTURES / "articles" / "001_0ae1607b2b57d138.txt"
STARBUCKS = FIXTURES / "articles" / "summedits_63f9455b8d931ba6e664fb9e.txt"
CLAIMS_FR = FIXTURES / "claims" / "starbucks_fr.txt"
VIEWS = ("summarize", "claims", "who-said-what")
KEY = "sk-snapshot-0123456789abcdef"


def _loopback():
    """The tests' loopback server module, wherever the tests keep it."""
    for rel in ("tests/helpers/loopback.py", "tests/loopback.py"):
        path = ROOT / rel
        if path.is_file():
            spec = importlib.util.spec_from_file_location("snapshot_loopback", path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module
            spec.loader.exec_module(module)
            return module
    raise SystemExit("snapshot: no tests/helpers/loopback.py or tests/loopback.py")


lb = _loopback()


# -- loopback responders -----------------------------------------------------------------------------------


_MARKER_ID = re.compile(r"<<<ARTICLE ([0-9a-f]{12})>>>")


def _fixture(prompt: str, sha: str, root: Path = FIXTURES) -> dict | None:
    found = sorted((root / "responses" / prompt / "hand-annotated").glob(f"{sha[:16]}*.json")) if sha else []
    return json.loads(found[0].read_text("utf-8"))["content"] if found else None


def _key(body, headers) -> tuple[str, str]:
    """The request's prompt and article hash: from its headers, or (a Batch API line, which has none) the
    article's marker id in its messages, for the analyze prompt."""
    if headers.get("x-verifier-article-sha256"):
        return headers.get("x-verifier-prompt", ""), headers["x-verifier-article-sha256"]
    for message in (body or {}).get("messages") or []:
        found = _MARKER_ID.search(str(message.get("content") or ""))
        if found:
            return "analyze@v1", found.group(1)
    return "", ""


def fixture_responder(root: Path = FIXTURES):
    """Answers every request with the hand-annotated fixture of its prompt and article (404 without one)."""
    def respond(body, headers):
        content = _fixture(*_key(body, headers), root)
        if content is None:
            return lb.error(404, "snapshot: no fixture for this request")
        return lb.ok(json.dumps(content, ensure_ascii=False), usage=(321, 123))
    return respond


_MARKED = re.compile(r"<<<ARTICLE \w+>>>\n(.*)\n<<<END ARTICLE \w+>>>", re.S)


def echo_responder(body, headers):
    """A draft built from the request's own article text: its first and last lines as quotes."""
    text = ""
    for message in (body or {}).get("messages") or []:
        found = _MARKED.search(str(message.get("content") or ""))
        if found:
            text = found.group(1)
    lines = [line.strip() for line in text.splitlines() if len(line.strip()) > 20] or [text.strip() or "x"]
    first, last = lines[0][:80], lines[-1][-80:]
    draft = {"language": "fr",
             "claims": [{"text": first, "modality": "asserted", "speaker": None, "evidence": [first]},
                        {"text": last, "modality": "reported", "speaker": "X", "evidence": [last]}],
             "attributions": [{"speaker": {"name": "X", "role": None}, "content": last, "kind": "indirect",
                               "cue": None, "is_denial": False, "is_no_comment": False, "evidence": last}],
             "summary": [{"text": first, "citations": [first]}]}
    return lb.ok(json.dumps(draft, ensure_ascii=False), usage=(1000, 100))


def refuse_json_schema(respond):
    """Like ``respond``, but a request with a ``json_schema`` response format is answered HTTP 400."""
    def answer(body, headers):
        if ((body or {}).get("response_format") or {}).get("type") == "json_schema":
            return lb._fail(400, "response_format json_schema is not supported by this server")
        return respond(body, headers)
    return answer


def scripted(*steps_then):
    """The steps in order, then ``respond`` for every later request."""
    *steps, respond = steps_then
    count = {"n": 0}

    def answer(body, headers):
        count["n"] += 1
        if count["n"] <= len(steps):
            step = steps[count["n"] - 1]
            return step(body, headers) if callable(step) else step
        return respond(body, headers)
    return answer


def schema_invalid(respond):
    def answer(body, headers):
        good = respond(body, headers)
        return lb.ok(lb._schema_invalid(lb._content(good)))
    return answer


# -- scenarios ----------------------------------------------------------------------------------------------


@dataclass
class Run:
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    stdin: bytes | None = None


@dataclass
class Scenario:
    name: str
    runs: list[Run]
    server: Callable | None = None  # a responder: the runs get OPENAI_BASE_URL/KEY/VERIFIER_MODEL for it
    files: tuple[str, ...] = ()  # files in the working directory to keep (globs)
    setup: Callable[[Path], None] | None = None


def _p(path: Path) -> str:
    return str(path)


def scenarios() -> list[Scenario]:
    out: list[Scenario] = []
    everything = ARTICLES + ADVERSARIAL
    for article in everything:
        for view in VIEWS:
            out.append(Scenario(f"offline/{view}/{article.stem}", [
                Run([view, _p(article), "--json", "--no-cache"]),
                Run([view, _p(article), "-f", "markdown", "--no-cache"]),
                Run([view, _p(article), "-o", "table.txt", "--no-cache"])], files=("table.txt",)))
    out += [
        Scenario("offline/options", [
            Run(["summarize", _p(SEED_000), "-n", "2", "--json"]),
            Run(["summarize", _p(SEED_001), "--sentences", "5", "-f", "markdown"]),
            Run(["claims", _p(SEED_000), "--lang", "en", "--json"]),
            Run(["who-said-what", _p(ARTICLES[2]), "--lang", "fr", "--json"]),
            Run(["who-said-what", _p(SEED_001), "-v", "--show-ungrounded"]),
            Run(["claims", "-", "--json"], stdin=SEED_001.read_bytes()),
            Run(["claims", "--engine", "offline", _p(SEED_000), "--format", "json"])]),
        Scenario("offline/cache", [Run(["claims", _p(SEED_000), "--json"]), Run(["who-said-what", _p(SEED_000), "--json"]),
                                   Run(["summarize", _p(SEED_000), "--json", "-v"])]),
    ]
    for article in ARTICLES:
        for view in VIEWS:
            out.append(Scenario(f"replay/{view}/{article.stem}", [
                Run([view, _p(article), "--engine", "replay", "--json"]),
                Run([view, _p(article), "--engine", "replay", "-f", "markdown"]),
                Run([view, _p(article), "--engine", "replay", "-v", "-o", "table.txt"])], files=("table.txt",)))
    adversarial = {"VERIFIER_FIXTURES_DIR": _p(FIXTURES / "adversarial")}
    for article in ADVERSARIAL:
        out.append(Scenario(f"replay/adversarial/{article.stem}", [
            Run(["claims", _p(article), "--engine", "replay", "--json"], adversarial),
            Run(["who-said-what", _p(article), "--engine", "replay", "--show-ungrounded"], adversarial),
            Run(["summarize", _p(article), "--engine", "replay", "-f", "markdown", "--show-ungrounded"], adversarial),
            Run(["claims", _p(article), "--engine", "replay", "--model", "obeyed-fake-json", "--json"], adversarial)]))
    out.append(Scenario("replay/missing-fixture", [Run(["claims", _p(SEED_000), "--engine", "replay", "--model", "nope"]),
                                                   Run(["claims", _p(SEED_000), "--engine", "replay", "--lang", "en"])]))
    for article in ARTICLES:
        out.append(Scenario(f"llm/{article.stem}", [
            Run([view, _p(article), "--json"]) for view in VIEWS] + [
            Run(["claims", _p(article), "-f", "markdown", "-v"]),
            Run(["who-said-what", _p(article), "-v", "-o", "table.txt"])],
            server=fixture_responder(), files=("table.txt",)))
    adv_root = FIXTURES / "adversarial"
    for article in ADVERSARIAL:
        out.append(Scenario(f"llm/adversarial/{article.stem}", [
            Run(["claims", _p(article), "--json"]), Run(["who-said-what", _p(article), "--json"]),
            Run(["summarize", _p(article), "--json", "--show-ungrounded"])], server=fixture_responder(adv_root)))
    respond = fixture_responder()
    out += [
        Scenario("llm/json-mode", [Run(["claims", _p(SEED_000), "--json"], {"VERIFIER_RESPONSE_FORMAT": "json_object"})],
                 server=respond),
        Scenario("llm/json-schema-refused", [Run(["claims", _p(SEED_001), "--json", "-v"])],
                 server=refuse_json_schema(respond)),
        Scenario("llm/retry-5xx", [Run(["claims", _p(SEED_000), "--json"])],
                 server=scripted(lb.error(500, "boom"), lb.error(503, "busy", {"retry-after": "0"}), respond)),
        Scenario("llm/reask", [Run(["who-said-what", _p(SEED_000), "--json"])],
                 server=scripted(schema_invalid(respond), respond)),
        Scenario("llm/refusal-then-answer", [Run(["claims", _p(SEED_000), "--json"])],
                 server=scripted(lb.ok(None, refusal="I can't help with that."), respond)),
        Scenario("llm/refusal-twice", [Run(["claims", _p(SEED_000), "--json"])],
                 server=scripted(lb.ok(None, refusal="No."), lb.ok(None, refusal="No."), respond)),
        Scenario("llm/always-fails", [Run(["claims", _p(SEED_000)], {"VERIFIER_MAX_ATTEMPTS": "2"})],
                 server=lambda body, headers: lb.error(500, "down")),
        Scenario("llm/bad-credentials", [Run(["claims", _p(SEED_000)])],
                 server=lambda body, headers: lb._fail(401, f"Incorrect API key provided: {KEY}")),
        Scenario("llm/unknown-model", [Run(["claims", _p(SEED_000)])],
                 server=lambda body, headers: lb._fail(404, "The model does not exist")),
        Scenario("llm/context-overflow", [Run(["claims", _p(SEED_000)])],
                 server=lambda body, headers: lb._fail(400, "This model's maximum context length is 8192 tokens")),
        Scenario("llm/long-article", [
            Run(["claims", _p(SEED_001), "--json", "--no-cache"], {"VERIFIER_CONTEXT_TOKENS": "3600",
                                                                   "VERIFIER_MAX_TOKENS": "500"}),
            Run(["who-said-what", _p(SEED_000), "--json", "--no-cache"], {"VERIFIER_CONTEXT_TOKENS": "3200",
                                                                          "VERIFIER_MAX_TOKENS": "400"}),
            Run(["claims", _p(SEED_001), "--no-cache"], {"VERIFIER_CONTEXT_TOKENS": "3600", "VERIFIER_MAX_TOKENS": "500",
                                                         "VERIFIER_MAX_CHUNKS": "1"}),
            Run(["claims", _p(SEED_001), "--no-cache"], {"VERIFIER_CONTEXT_TOKENS": "1000"}),
            Run(["batch", _p(SEED_001), "--out", "out.jsonl", "--no-progress"], {"VERIFIER_CONTEXT_TOKENS": "3600",
                                                                                  "VERIFIER_MAX_TOKENS": "500"}),
            Run(["batch", _p(SEED_000), "--out", "api.jsonl", "--batch-api", "--poll-interval", "0", "--no-progress"],
                {"VERIFIER_CONTEXT_TOKENS": "3200", "VERIFIER_MAX_TOKENS": "400"})],
                 server=echo_responder, files=("out.jsonl", "api.jsonl")),
        Scenario("llm/lang", [Run(["claims", _p(SEED_000), "--lang", "en", "--json"])], server=respond),
    ]
    for label, engine_args, server in (("offline", [], None), ("replay", ["--engine", "replay"], None),
                                       ("llm", [], respond)):
        out.append(Scenario(f"diff/{label}", [
            Run(["diff", _p(SEED_000), _p(SEED_001), *engine_args, "--json"]),
            Run(["diff", _p(SEED_000), _p(SEED_001), *engine_args, "-f", "markdown"]),
            Run(["diff", _p(SEED_000), _p(SEED_001), *engine_args, "--only-changes", "--json"]),
            Run(["diff", _p(SEED_000), _p(SEED_001), *engine_args, "--only-changes", "-f", "markdown"]),
            Run(["diff", _p(SEED_000), _p(SEED_001), *engine_args, "-v", "-o", "table.txt"])],
            server=server, files=("table.txt",)))
    out.append(Scenario("diff/offline-other", [
        Run(["diff", _p(ARTICLES[2]), _p(ARTICLES[3]), "--json"]),
        Run(["diff", _p(SEED_001), _p(SEED_000), "--only-changes", "-o", "table.txt"]),
        Run(["diff", _p(SEED_000), _p(SEED_000), "--json"])], files=("table.txt",)))
    for label, engine_args, server in (("offline", [], None), ("replay", ["--engine", "replay"], None),
                                       ("llm", [], respond)):
        out.append(Scenario(f"verify/{label}", [
            Run(["verify", _p(CLAIMS_FR), "--against", _p(STARBUCKS), *engine_args, "--json"]),
            Run(["verify", _p(CLAIMS_FR), "--against", _p(STARBUCKS), *engine_args, "-f", "markdown"]),
            Run(["verify", _p(CLAIMS_FR), "--against", _p(STARBUCKS), *engine_args, "-v", "-o", "table.txt"])],
            server=server, files=("table.txt",)))

    def claims_json(tmp: Path) -> None:
        (tmp / "list.json").write_text(json.dumps(["Starbucks opened its first branch in Italy in 2018.",
                                                   "Starbucks a ouvert en Italie en 2016."]), "utf-8")
        (tmp / "objects.json").write_text(json.dumps({"claims": [{"text": "Protesters set fire to palm trees."}]}),
                                          "utf-8")
        (tmp / "bad.json").write_text('{"claims": [{"text": "x", "evidence": "no"}]}', "utf-8")
    out.append(Scenario("verify/inputs", [
        Run(["claims", _p(SEED_000), "--json", "-o", "claims.json"]),
        Run(["verify", "claims.json", "--against", _p(SEED_001), "--json"]),
        Run(["verify", _p(SEED_000), "--against", _p(SEED_001), "--json"]),
        Run(["verify", "list.json", "--against", _p(STARBUCKS), "--json"]),
        Run(["verify", "objects.json", "--against", _p(STARBUCKS), "-f", "markdown"]),
        Run(["verify", "bad.json", "--against", _p(STARBUCKS)]),
        Run(["verify", _p(SEED_000), "--against", _p(STARBUCKS), "--engine", "replay"]),
        Run(["verify", _p(CLAIMS_FR), "--against", _p(STARBUCKS), "--engine", "offline", "--model", "x"])],
        setup=claims_json))

    def corpus(tmp: Path) -> None:
        folder = tmp / "corpus"
        folder.mkdir()
        for article in ARTICLES:
            shutil.copy(article, folder / article.name)
        (folder / "empty.txt").write_text("", "utf-8")
        (tmp / "list.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in (
            {"id": "a", "path": f"corpus/{SEED_000.name}"}, {"id": "b", "text": SEED_001.read_text("utf-8")},
            {"text": "Le maire a annoncé lundi un budget de 5 millions d'euros pour les écoles de la ville."})) + "\n",
            "utf-8")
    batch_files = ("out.jsonl", "out.jsonl.batches.json")
    out += [
        Scenario("batch/offline", [
            Run(["batch", "corpus", "list.jsonl", "--out", "out.jsonl", "--json", "--no-progress"]),
            Run(["batch", "corpus", "list.jsonl", "--out", "out.jsonl", "--no-progress"]),
            Run(["batch", "corpus", "--out", "out.jsonl", "--retry-failed", "--no-progress"]),
            Run(["batch", "corpus", "--out", "out.jsonl", "--dry-run", "--json"]),
            Run(["batch", "corpus", "--out", "other.jsonl", "--dry-run"]),
            Run(["batch", "corpus", "--out", "out.jsonl", "--engine", "replay", "--no-progress"])],
            setup=corpus, files=batch_files),
        Scenario("batch/replay", [
            Run(["batch", "corpus", "--out", "out.jsonl", "--engine", "replay", "--json", "--no-progress"]),
            Run(["batch", "corpus", "--out", "out.jsonl", "--engine", "replay", "--dry-run"])],
            setup=corpus, files=batch_files),
        Scenario("batch/llm", [
            Run(["batch", "corpus", "list.jsonl", "--out", "d.jsonl", "--dry-run", "--json"]),
            Run(["batch", "corpus", "list.jsonl", "--out", "d.jsonl", "--dry-run"]),
            Run(["batch", "corpus", "--out", "out.jsonl", "--json", "--no-progress", "-j", "1"]),
            Run(["batch", "corpus", "--out", "out.jsonl", "--dry-run", "--json"]),
            Run(["batch", "corpus", "--out", "out.jsonl", "--no-progress"])],
            setup=corpus, server=respond, files=batch_files),
        Scenario("batch/llm-echo", [
            Run(["batch", "list.jsonl", "--out", "out.jsonl", "--no-progress", "-j", "1"])],
            setup=corpus, server=echo_responder, files=batch_files),
        Scenario("batch/batch-api", [
            Run(["batch", "corpus", "--out", "out.jsonl", "--batch-api", "--poll-interval", "0", "--json",
                 "--no-progress"]),
            Run(["batch", "corpus", "--out", "out.jsonl", "--batch-api", "--poll-interval", "0", "--no-progress"])],
            setup=corpus, server=respond, files=batch_files),
        Scenario("batch/errors", [
            Run(["batch", "nowhere", "--out", "out.jsonl"]),
            Run(["batch", "corpus", "--out", "out.jsonl", "--batch-api"]),
            Run(["batch", "corpus", "--out", "corpus"]),
            Run(["batch", "corpus", "--out", "out.jsonl", "--engine", "replay", "--no-progress"]),
            Run(["batch", "corpus", "--out", "out.jsonl", "--no-progress"])],
            setup=corpus, files=batch_files),
    ]

    def record_setup(tmp: Path) -> None:
        (tmp / "fx").mkdir()
    out += [
        Scenario("record", [Run(["record", _p(SEED_000)], {"VERIFIER_FIXTURES_DIR": "fx"}),
                            Run(["claims", _p(SEED_000), "--engine", "replay", "--model", "test-model", "--json"],
                                {"VERIFIER_FIXTURES_DIR": "fx"}),
                            Run(["record", _p(SEED_001)], {"VERIFIER_FIXTURES_DIR": "fx", "VERIFIER_CONTEXT_TOKENS": "3600",
                                                           "VERIFIER_MAX_TOKENS": "500"})],
                 server=respond, setup=record_setup, files=("fx/responses/*/*/*.json",)),
        Scenario("record/no-endpoint", [Run(["record", _p(SEED_000)])]),
        Scenario("schema", [Run(["schema"])] + [Run(["schema", name]) for name in (
            "claims", "who-said-what", "summarize", "analysis", "diff", "verify", "batch-record", "batch-summary",
            "batch-estimate", "draft", "nope")]),
        Scenario("prompts", [Run(["prompts", "list"]), Run(["prompts", "show", "analyze@v1"]),
                             Run(["prompts", "show", "verify"]), Run(["prompts", "check"]),
                             Run(["prompts", "show", "nope@v9"])]),
    ]

    def bad_inputs(tmp: Path) -> None:
        (tmp / "empty.txt").write_text("  \n", "utf-8")
        (tmp / "binary.bin").write_bytes(b"%PDF-1.4 binary")
        (tmp / "nul.txt").write_bytes(b"abc\x00def")
        (tmp / "folder").mkdir()
        (tmp / "latin1.txt").write_bytes("Le ministre a déclaré que la réforme « coûtera 3 millions » en 2024."
                                         .encode("cp1252"))
        (tmp / "page.html").write_text("<html><body><nav><a href='/'>Accueil</a></nav></body></html>", "utf-8")
    out.append(Scenario("errors", [
        Run(["claims", "missing.txt"]), Run(["claims", "empty.txt"]), Run(["claims", "binary.bin"]),
        Run(["claims", "nul.txt"]), Run(["claims", "folder"]), Run(["claims", "page.html"]),
        Run(["claims", "latin1.txt", "--json"]), Run(["claims", _p(SEED_000), "--engine", "nope"]),
        Run(["claims", _p(SEED_000), "--engine", "llm"]), Run(["claims", _p(SEED_000), "--model", "x"]),
        Run(["claims", _p(SEED_000), "--engine", "offline", "--prompt", "analyze@v1"]),
        Run(["claims", _p(SEED_000), "--engine", "replay", "--prompt", "nope@v1"]),
        Run(["claims", _p(SEED_000), "--lang", "de"]), Run(["summarize", _p(SEED_000), "-n", "0"]),
        Run(["diff", _p(SEED_000), "missing.txt"]), Run(["verify", _p(CLAIMS_FR)]),
        Run(["claims", _p(SEED_000)], {"VERIFIER_MAX_ATTEMPTS": "zero"}),
        Run(["claims", _p(SEED_000)], {"VERIFIER_RESPONSE_FORMAT": "xml", "OPENAI_API_KEY": KEY}),
        Run(["nope"]), Run([])], setup=bad_inputs))
    return out


# -- running ----------------------------------------------------------------------------------------------


class _Capture(io.TextIOWrapper):
    def __init__(self, data: bytes = b""):
        super().__init__(io.BytesIO(data), encoding="utf-8", errors="replace", newline="")

    def text(self) -> str:
        self.flush()
        return self.buffer.getvalue().decode("utf-8", "replace")


def _run(run: Run, tmp: Path, base_env: dict[str, str]) -> dict:
    from verifier.cli import main

    for name in [k for k in os.environ if k.startswith(("OPENAI_", "VERIFIER_"))]:
        del os.environ[name]
    os.environ.update({"VERIFIER_CACHE_DIR": str(tmp / "cache"), "VERIFIER_RETRY_BASE": "0.01",
                       "VERIFIER_RETRY_MAX_WAIT": "0.05", "COLUMNS": "140", **base_env, **run.env})
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    out, err, inp = _Capture(), _Capture(), _Capture(run.stdin or b"")
    saved = sys.stdout, sys.stderr, sys.stdin, sys.argv
    sys.stdout, sys.stderr, sys.stdin, sys.argv = out, err, inp, ["verifier", *run.argv]
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdout, sys.stderr, sys.stdin, sys.argv = saved
        for handler in list(root.handlers):
            root.removeHandler(handler)
    return {"argv": run.argv, "env": run.env, "exit": code, "stdout": out.text(), "stderr": err.text()}


def _normalise(text: str, tmp: Path) -> str:
    import verifier

    tree = Path(verifier.__file__).resolve().parent.parent  # where the recorded package keeps its fixtures
    text = text.replace(str(tmp.resolve()), "<TMP>").replace(str(tmp), "<TMP>")
    text = text.replace(str(ROOT), "<ROOT>").replace(str(tree), "<ROOT>")
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<PORT>", text)
    text = re.sub(r'"finished": ?"[^"]*"', '"finished": "<TIME>"', text)
    text = re.sub(r'"elapsed_seconds": ?[\d.e-]+', '"elapsed_seconds": <S>', text)
    text = re.sub(r"(done\s+\d+ \(from cache \d+\) in )[\d.]+s", r"\1<S>s", text)
    return re.sub(r'"date": ?"\d{4}-\d\d-\d\d"', '"date": "<DATE>"', text)


def run_scenario(scenario: Scenario) -> dict:
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="verifier-snapshot-")))
        cwd = Path.cwd()
        os.chdir(tmp)
        stack.callback(os.chdir, cwd)
        if scenario.setup:
            scenario.setup(tmp)
        env: dict[str, str] = {}
        if scenario.server is not None:
            server = stack.enter_context(lb.LoopbackServer(responder=scenario.server, batch_polls=1))
            env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY, "VERIFIER_MODEL": "test-model"}
        runs = [_run(run, tmp, env) for run in scenario.runs]
        files = {}
        for pattern in scenario.files:
            for path in sorted(tmp.glob(pattern)):
                files[str(path.relative_to(tmp))] = path.read_text("utf-8")
        for run in runs:
            run["stdout"], run["stderr"] = _normalise(run["stdout"], tmp), _normalise(run["stderr"], tmp)
            run["argv"] = [_normalise(arg, tmp) for arg in run["argv"]]
        return {"name": scenario.name, "runs": runs, "files": {k: _normalise(v, tmp) for k, v in files.items()}}


def record(folder: Path, only: str | None) -> None:
    import verifier

    folder.mkdir(parents=True, exist_ok=True)
    print(f"snapshot: verifier from {Path(verifier.__file__).parent}", file=sys.stderr)
    for scenario in scenarios():
        if only and only not in scenario.name:
            continue
        result = run_scenario(scenario)
        path = folder / (scenario.name.replace("/", "__") + ".json")
        path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
        codes = ",".join(str(r["exit"]) for r in result["runs"])
        print(f"{scenario.name}: exit {codes}", file=sys.stderr)


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")})
    differing = 0
    for name in names:
        a, b = before / name, after / name
        if not a.is_file() or not b.is_file():
            print(f"{name}: only in {'after' if b.is_file() else 'before'}")
            differing += 1
            continue
        old, new = json.loads(a.read_text("utf-8")), json.loads(b.read_text("utf-8"))
        if old == new:
            continue
        differing += 1
        print(f"{name}: differs")
        for i, (x, y) in enumerate(zip(old["runs"], new["runs"])):
            for key in ("exit", "stdout", "stderr"):
                if x[key] != y[key]:
                    lines = difflib.unified_diff(str(x[key]).splitlines(), str(y[key]).splitlines(),
                                                 f"before {x['argv']} {key}", f"after {key}", lineterm="", n=1)
                    print("\n".join(list(lines)[:30]))
        for file in sorted(set(old["files"]) | set(new["files"])):
            if old["files"].get(file) != new["files"].get(file):
                lines = difflib.unified_diff((old["files"].get(file) or "").splitlines(),
                                             (new["files"].get(file) or "").splitlines(),
                                             f"before {file}", f"after {file}", lineterm="", n=1)
                print("\n".join(list(lines)[:30]))
    runs = sum(len(json.loads((after / n).read_text("utf-8"))["runs"]) for n in names if (after / n).is_file())
    print(f"{len(names)} scenarios, {runs} command lines: {differing} differ")
    return 1 if differing else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="run every scenario and write its outputs into DIR")
    rec.add_argument("dir", type=Path)
    rec.add_argument("--only", help="only the scenarios whose name contains this")
    cmp = sub.add_parser("compare", help="compare two recorded folders; exit 1 if any output differs")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.dir, args.only)
    else:
        sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
