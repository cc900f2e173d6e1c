"""Each command in table, JSON and Markdown; errors as one line and an exit code."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import run_cli, without_configuration
from tests.helpers.keys import SENTINEL_KEY
from tests.helpers.loopback import LoopbackServer, Step, error, ok
from tests.helpers.paths import SEED_000, SEED_001

COMMANDS = ("summarize", "claims", "who-said-what")


@pytest.mark.parametrize("command", COMMANDS)
def test_table(command):
    proc = run_cli(command, str(SEED_000), "--engine", "replay", env={"COLUMNS": "160"})
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "engine replay · model hand-annotated · prompt analyze@v1" in out
    expected = {"summarize": "Summary —", "claims": "Claims —", "who-said-what": "Who said what —"}[command]
    assert expected in out


def test_who_said_what_table_shows_denials_and_roles():
    out = run_cli("who-said-what", str(SEED_000), "--engine", "replay", env={"COLUMNS": "160"}).stdout.decode()
    assert "Dmitri Peskov" in out and "porte-parole" in out
    assert "DENIAL" in out and "fausses nouvelles" in out
    out = run_cli("who-said-what", str(SEED_001), "--engine", "replay", env={"COLUMNS": "160"}).stdout.decode()
    assert "NO COMMENT" in out


@pytest.mark.parametrize("command,key", [("summarize", "summary"), ("claims", "claims"),
                                         ("who-said-what", "attributions")])
def test_json(command, key):
    proc = run_cli(command, str(SEED_001), "--engine", "replay", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out[key] and out["ungrounded"] == 0
    assert out["provenance"]["engine"] == "replay" and out["article"]["language"] == "fr"


@pytest.mark.parametrize("command,heading", [("summarize", "# Summary:"), ("claims", "# Claims:"),
                                             ("who-said-what", "# Who said what:")])
def test_markdown(command, heading):
    proc = run_cli(command, str(SEED_000), "--engine", "replay", "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert out.startswith(heading) and "prompt analyze@v1" in out
    if command != "summarize":
        assert "|---|" in out


def test_stdin_and_output_file(tmp_path):
    target = tmp_path / "claims.json"
    proc = run_cli("claims", "-", "--engine", "replay", "--json", "-o", str(target), stdin=SEED_000.read_bytes())
    assert proc.returncode == 0, proc.stderr
    out = json.loads(target.read_text("utf-8"))
    assert out["article"]["source"] == "-" and out["claims"]


def test_missing_fixture_names_the_key_and_how_to_record(tmp_path):
    article = tmp_path / "new.txt"
    article.write_text("Un tout autre article, jamais annoté.", "utf-8")
    proc = run_cli("claims", str(article), "--engine", "replay")
    err = without_configuration(proc.stderr.decode())
    assert proc.returncode == 6
    assert err.count("\n") == 1 and "prompt analyze@v1, model hand-annotated, article" in err
    assert "verifier record" in err


@pytest.mark.parametrize("args,code,message", [
    (["claims", "nope.txt", "--engine", "replay"], 3, "no such file"),
    (["claims", ".", "--engine", "replay"], 3, "is a directory"),
    (["claims", str(SEED_000), "--engine", "offline", "--lang", "de"], 4, "handles fr and en"),
    (["claims", str(SEED_000), "--engine", "offline", "--model", "x"], 4, "takes no --model"),
    (["claims", str(SEED_000), "--engine", "gpt"], 4, "unknown engine"),
    (["claims", str(SEED_000), "--engine", "replay", "--prompt", "analyze@v9"], 4, "no prompt"),
])
def test_bad_input_is_one_line_and_an_exit_code(args, code, message):
    proc = run_cli(*args)
    err = without_configuration(proc.stderr.decode())
    assert proc.returncode == code, err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def _assert_clean_failure(proc, code: int, message: str):
    out, err = proc.stdout.decode(), without_configuration(proc.stderr.decode())
    assert proc.returncode == code, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], err
    assert "Traceback" not in out + err
    assert SENTINEL_KEY not in out + err


def _endpoint_env(server) -> dict:
    return {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": SENTINEL_KEY, "VERIFIER_MODEL": "m",
            "VERIFIER_MAX_ATTEMPTS": "3", "VERIFIER_MAX_REASKS": "1"}


def test_cli_against_endpoint_answering_500s():
    with LoopbackServer([error(500, f"upstream exploded; key was {SENTINEL_KEY}")]) as server:
        proc = run_cli("claims", str(SEED_000), env=_endpoint_env(server))
    assert len(server.requests) == 3
    _assert_clean_failure(proc, 5, "the endpoint failed after 3 request(s): HTTP 500")


def test_cli_against_endpoint_answering_non_json_body():
    with LoopbackServer([Step(body="<html>Bad gateway</html>")]) as server:
        proc = run_cli("who-said-what", str(SEED_000), env=_endpoint_env(server))
    assert len(server.requests) == 3
    _assert_clean_failure(proc, 5, "invalid response body")


def test_cli_against_endpoint_answering_non_json_content():
    with LoopbackServer([ok("Sure! Here are the claims: ...")]) as server:
        proc = run_cli("summarize", str(SEED_000), env=_endpoint_env(server))
    assert len(server.requests) == 2
    _assert_clean_failure(proc, 5, "did not match the schema after 2 attempts")


def test_cli_three_commands_one_request_and_verbose_usage(seed_draft_json, tmp_path):
    with LoopbackServer([ok(seed_draft_json)]) as server:
        env = {**_endpoint_env(server), "VERIFIER_CACHE_DIR": str(tmp_path / "c"), "COLUMNS": "200"}
        procs = [run_cli(c, str(SEED_000), "--verbose", env=env) for c in COMMANDS]
    assert len(server.requests) == 1
    assert all(p.returncode == 0 for p in procs), [p.stderr for p in procs]
    assert "tokens 100 in / 50 out" in procs[0].stdout.decode()
    assert "from cache" in procs[1].stdout.decode()
    assert SENTINEL_KEY not in "".join(p.stdout.decode() + p.stderr.decode() for p in procs)


def test_ungrounded_items_are_hidden_counted_and_shown_on_request(tmp_path):
    draft = {"language": "fr", "claims": [
        {"text": "Le Kremlin a démenti.", "modality": "denied", "speaker": "le Kremlin",
         "evidence": ["le Kremlin a rapidement démenties"]},
        {"text": "Musk a avoué.", "modality": "asserted", "speaker": None,
         "evidence": ["Musk a tout avoué devant le Congrès américain"]}],
        "attributions": [], "summary": []}
    with LoopbackServer([ok(json.dumps(draft))]) as server:
        env = {**_endpoint_env(server), "VERIFIER_CACHE_DIR": str(tmp_path / "c"), "COLUMNS": "200"}
        hidden = run_cli("claims", str(SEED_000), env=env)
        shown = run_cli("claims", str(SEED_000), "--show-ungrounded", env=env)
        as_json = json.loads(run_cli("claims", str(SEED_000), "--json", env=env).stdout)
    assert "1 of 2 claims are not grounded in the article: 1 not in article" in hidden.stderr.decode()
    assert "Musk a avoué" not in hidden.stdout.decode() and "Kremlin a démenti" in hidden.stdout.decode()
    assert "Musk a avoué" in shown.stdout.decode() and "not in article" in shown.stdout.decode()
    assert as_json["ungrounded"] == 1 and [c["grounded"] for c in as_json["claims"]] == [True, False]
    assert as_json["claims"][1]["evidence"][0]["start"] is None


def test_prompts_commands():
    listed = run_cli("prompts", "list", env={"COLUMNS": "200"})
    assert listed.returncode == 0 and "analyze@v1" in listed.stdout.decode()
    shown = run_cli("prompts", "show", "analyze@v1")
    assert shown.stdout.decode().startswith("---\nname: analyze\nversion: v1")
    assert run_cli("prompts", "check").returncode == 0


def test_help_does_not_import_openai():
    proc = run_cli("--help")
    assert proc.returncode == 0
    import subprocess
    import sys

    probe = subprocess.run([sys.executable, "-c", (
        "import sys; sys.argv=['verifier','--help']\n"
        "from verifier.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('openai' in sys.modules, 'pydantic' in sys.modules)")], capture_output=True, text=True)
    assert probe.stdout.strip().endswith("False False")
