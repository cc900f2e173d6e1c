"""Check the service's speed targets, as ratios measured in one run.

1. "A warm service answers who-said-what on a seed-sized article in <= 0.25 x
   the time of a cold CLI call": ``verifier who-said-what SEED --json
   --no-cache`` as a fresh process (median of 3 wall times: start-up, model
   load and analysis, as a command-line user pays them) against ``POST
   /v1/who-said-what`` on a ``verifier serve --no-cache`` started beforehand
   (median of 10 requests after one warm-up request; nothing comes from a
   cache on either side).  The server's start-up (until /healthz answers) is
   reported apart.
2. "/healthz answers in < 100 ms while analyses run": two clients post
   who-said-what on a 6x seed article in a loop while a third asks /healthz
   every 20 ms over one kept-alive connection; max and p95 of those times.

No timed assertions: the script only prints.  Machines are noisy; read the ratios.
Usage, from the project root: python -m bench.serve_speed [--article PATH] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "articles" / "000_7a43b438991ae711.txt"


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "VERIFIER_"))}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cold_cli(article: Path, runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "verifier", "who-said-what", str(article), "--json",
                               "--no-cache"], env=_env(), capture_output=True)
        times.append(time.perf_counter() - started)
        if proc.returncode != 0:
            sys.exit(f"the CLI failed: {proc.stderr.decode()[-500:]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--article", type=Path, default=SEED)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    text = args.article.read_text("utf-8")
    print(f"article: {args.article.name} ({len(text)} chars); {os.cpu_count()} cores; workers {args.workers}")

    cli = cold_cli(args.article)
    print(f"cold CLI who-said-what --no-cache: median {statistics.median(cli):.2f} s "
          f"({', '.join(f'{t:.2f}' for t in cli)})")

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "verifier", "serve", "--port", str(port), "--no-cache",
                               "--workers", str(args.workers), "--data-dir", str(ROOT / ".bench-serve-data")],
                              env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            while True:
                try:
                    if client.get("/healthz").json()["models_loaded"]:
                        break
                except httpx.HTTPError:
                    pass
                if time.perf_counter() - started > 180 or server.poll() is not None:
                    sys.exit("the server did not start")
                time.sleep(0.1)
            print(f"server start-up until warm: {time.perf_counter() - started:.2f} s (paid once)")
            client.post("/v1/who-said-what", json={"text": text}).raise_for_status()
            warm = []
            for _ in range(10):
                t0 = time.perf_counter()
                client.post("/v1/who-said-what", json={"text": text}).raise_for_status()
                warm.append(time.perf_counter() - t0)
            ratio = statistics.median(warm) / statistics.median(cli)
            print(f"warm service POST /v1/who-said-what: median {statistics.median(warm) * 1000:.0f} ms")
            print(f"1. warm service / cold CLI = {ratio:.3f} (target <= 0.25)")

            big = "\n\n".join(text + f"\n\nAjout {n} : le maire a déclaré qu'il viendrait." for n in range(6))
            stop = threading.Event()
            answered = []

            def load() -> None:
                with httpx.Client(base_url=url, timeout=120) as c:
                    while not stop.is_set():
                        answered.append(c.post("/v1/who-said-what", json={"text": big}).status_code)

            loaders = [threading.Thread(target=load) for _ in range(2)]
            for t in loaders:
                t.start()
            time.sleep(0.5)
            health = []
            for _ in range(100):
                t0 = time.perf_counter()
                client.get("/healthz").raise_for_status()
                health.append(time.perf_counter() - t0)
                time.sleep(0.02)
            stop.set()
            for t in loaders:
                t.join(120)
            health.sort()
            print(f"2. /healthz under load: p95 {health[94] * 1000:.1f} ms, max {health[-1] * 1000:.1f} ms "
                  f"(target < 100 ms); {len(answered)} analyses answered meanwhile ({set(answered)})")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


if __name__ == "__main__":
    main()
