"""Hostile endpoints and pages against the real command line (issue 18).

Each case runs ``verifier`` in a child process against a server on 127.0.0.1
(``tests/helpers/hostile.py``, ``tests/helpers/loopback.py``) with the default
settings but for what the case names, and prints: exit code, seconds, the
child's peak RSS (``os.wait4``'s rusage, the child alone), its stderr's last
line, and whether the key appears in any output or file.  A case passes
when it ends within its deadline + 10 s, under 1 GB, with a non-zero exit and
one line of error (or a failed record in a batch), and the key nowhere.

    python -m bench.hostile [--case NAME ...] [--deadline S]

Cases: endless (a 200 reply without end), huge (100 MB declared),
huge-chunked (100 MB, no length), drip (one byte a second, ``--timeout``),
batch-endless (a batch: both records failed), echo (a valid reply holding
the key: claims --json, claims from the cache, batch), fetch-drip (a page
dripping one byte every 0.1 s: the 60 s fetch deadline).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.helpers.fixtures import fixture_content
from tests.helpers.hostile import HostileServer
from tests.helpers.keys import SENTINEL_KEY
from tests.helpers.loopback import LoopbackServer, ok
from tests.helpers.paths import SEED_000, SEED_001

ROOT = Path(__file__).resolve().parent.parent
GB = 1024 ** 3


def run(args: list[str], env: dict, cwd: Path) -> tuple[int, float, int, str, str]:
    """(exit code, seconds, peak RSS bytes, stdout, stderr) of ``verifier ARGS``."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-c", "from verifier.cli import main; main()", *args],
                                env=env, cwd=cwd, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        took = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        code = os.waitstatus_to_exitcode(status)
        return code, took, usage.ru_maxrss * 1024, out.read().decode("utf-8", "replace"), \
            err.read().decode("utf-8", "replace")


def leaked(folder: Path, texts: list[str]) -> list[str]:
    secret = SENTINEL_KEY[len("sk-test-"):]
    found = [f"output {n}" for n, text in enumerate(texts) if secret in text]
    for path in folder.rglob("*"):
        if path.is_file() and secret.encode() in path.read_bytes():
            found.append(str(path.relative_to(folder)))
    return found


def case(name: str, deadline: float, work: Path, env: dict) -> dict:
    folder = work / name
    folder.mkdir()
    env = {**env, "VERIFIER_CACHE_DIR": str(folder / "cache")}
    llm = ["--engine", "llm", "--json"]
    bound = deadline
    runs, expect_failed = [], 0
    if name in ("endless", "huge", "huge-chunked", "drip", "batch-endless"):
        server = {"endless": HostileServer("endless"), "huge": HostileServer("huge"),
                  "huge-chunked": HostileServer("huge", declared=False),
                  "drip": HostileServer("drip", size=1_000_000, interval=1.0),
                  "batch-endless": HostileServer("endless")}[name]
        env.update(OPENAI_BASE_URL=server.base_url)
        with server:
            if name == "batch-endless":
                inputs = folder / "in"
                inputs.mkdir()
                for path in (SEED_000, SEED_001):
                    shutil.copyfile(path, inputs / path.name)
                runs.append(run(["batch", str(inputs), "--out", "results.jsonl", "--no-progress",
                                 "--timeout", str(deadline)], env, folder))
                expect_failed = 2
            else:
                runs.append(run(["claims", str(SEED_000), *llm, "--timeout", str(deadline)], env, folder))
        requests = server.requests
    elif name == "echo":
        draft = fixture_content("49e59250b2ff3938")
        draft["claims"][0]["text"] = f"The key is {SENTINEL_KEY}."
        draft["claims"][0]["evidence"] = [SENTINEL_KEY]
        inputs = folder / "in"
        inputs.mkdir()
        shutil.copyfile(SEED_000, inputs / SEED_000.name)
        with LoopbackServer([ok(json.dumps(draft, ensure_ascii=False))]) as server:
            env.update(OPENAI_BASE_URL=server.base_url)
            runs.append(run(["claims", str(SEED_000), *llm, "--show-ungrounded", "--verbose"], env, folder))
            runs.append(run(["claims", str(SEED_000), "--engine", "llm", "--format", "markdown",
                             "--show-ungrounded"], env, folder))
            runs.append(run(["batch", str(inputs), "--out", "results.jsonl", "--no-progress", "--no-cache"],
                            env, folder))
        requests = len(server.requests)
    elif name == "fetch-drip":
        bound = 60.0  # verifier.ingest.fetch.DEADLINE
        with HostileServer("drip", size=1_000_000, interval=0.1, content_type="text/html") as server:
            runs.append(run(["claims", server.url, "--engine", "offline", "--json"], env, folder))
        requests = server.requests
    else:
        raise SystemExit(f"unknown case {name}")
    records = []
    if (folder / "results.jsonl").exists():
        records = [json.loads(line) for line in (folder / "results.jsonl").read_text("utf-8").splitlines()]
    keys = leaked(folder, [text for r in runs for text in r[3:]])
    worst = max(r[1] for r in runs)
    rss = max(r[2] for r in runs)
    if name == "echo":
        ok_ = all(r[0] == 0 for r in runs) and not keys
    else:
        code, _took, _rss, out, err = runs[0]
        lines = err.splitlines()  # one line of error, after the configuration line and the waiting lines
        lines = lines[1:] if lines and lines[0].startswith("verifier: engine ") else lines
        one_line = len(lines) >= 1 and lines[-1].startswith("verifier: error: ") and all(
            line.startswith("verifier: waiting for the endpoint") for line in lines[:-1])
        failed = sum(r.get("status") == "failed" for r in records)
        ok_ = code != 0 and worst <= bound + 10 and rss < GB and not keys and (
            failed == expect_failed if expect_failed else one_line)
    return {"case": name, "ok": ok_, "exit": [r[0] for r in runs], "seconds": round(worst, 1),
            "peak_rss_mb": round(rss / 2 ** 20), "requests": requests, "key_found_in": keys,
            "failed_records": sum(r.get("status") == "failed" for r in records),
            "last_line": (runs[0][4].strip().splitlines() or [""])[-1][:200]}


CASES = ("endless", "huge", "huge-chunked", "drip", "batch-endless", "echo", "fetch-drip")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", choices=CASES, help="a case (default: all)")
    parser.add_argument("--deadline", type=float, default=20.0, help="--timeout given to each llm run")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "VERIFIER_"))}
    env.update(OPENAI_API_KEY=SENTINEL_KEY, VERIFIER_MODEL="test-model", PYTHONPATH=str(ROOT))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.case or CASES:
            result = case(name, args.deadline, Path(tmp), env)
            results.append(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)
    print(f"{sum(r['ok'] for r in results)}/{len(results)} cases ended bounded, in one line, without the key")
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
