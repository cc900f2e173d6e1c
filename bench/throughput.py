"""Benchmark ``verifier batch`` throughput in one run: LLM path, rate limit, offline pool.

All numbers come from one run (the machines are noisy: read the ratios).
1. LLM engine: ``--articles`` distinct articles (seed 000 plus an "(Article N)"
   line: distinct hashes, one draft grounds in all) through ``run_batch`` in
   this process at ``--concurrency`` against ``tests.helpers.loopback`` in a
   subprocess (its CPU is not counted; it shares the cores), which answers the
   seed's hand-annotated draft after ``--latency`` s.  After a warm-up (imports,
   one request): wall time, articles/s against the ideal min(C / latency, rate
   limit) (not reachable: ceil(N / C) rounds at best, 0.96 for 200 at 16), CPU
   of this process (``time.process_time``), peak RSS.  Overhead per article
   outside the engine = (batch CPU - CPU of N bare SDK calls at the same
   concurrency, on a fresh unlimited server) / N; a bare call sends the
   engine's own wire arguments (messages built per call, articles read before)
   with ``with_raw_response.create`` and parses the body, so the overhead covers
   reading, hashing, validation, grounding, cache and records.  The batch and
   the bare calls run ``--repeat`` times (each batch with a fresh cache and
   out file) and the trial with the median batch wall time is reported.  The
   server answers ``--latency`` after each request arrived.  Then the same
   batch into the same ``--out`` against a fresh server: 0 requests expected.
2. ``--rate-limit-scenario R`` (0 skips): a fresh server allowing R
   completions/s (a token bucket that starts full, so a short run can beat R;
   429 with retry-after-ms), fresh out and cache: articles done per second
   against min(C / latency, R), 429s sent, every article done?  No target: one
   429 pauses every worker (the shared ``Throttle``).
3. Offline engine (``--skip-offline`` skips): ``--offline-articles`` (the 5
   fixtures x variants with a suffix line), no cache, 1 worker (in this
   process, spaCy warmed up on a French and an English article) against 2
   (two spawned workers; this process analyses articles itself until they
   have loaded spaCy, which IS included end to end).  A thread watches
   the out file (the ledger writes each record when done): articles/s over
   the second half of the records is the rate once every worker is up.
Targets: fraction of ideal >= 0.90, overhead <= 5 ms CPU per article, 0
requests on re-run; the offline 2-core / 1-core ratio has none.  Exits 0 even
when a target is missed (it is a report).

Usage, from the project root: python -m bench.throughput [--articles N] [--repeat K] [--concurrency C] [--latency S] [--rate-limit R] [--rate-limit-scenario R] [--offline-articles N] [--skip-offline]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from bench.sandbox import sandbox
from verifier.batch import BatchOptions, run_batch
from verifier.engines import make_engine

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "fixtures" / "articles"
SEED = ARTICLES / "000_7a43b438991ae711.txt"
DRAFT = ROOT / "fixtures" / "responses" / "analyze@v1" / "hand-annotated" / "49e59250b2ff3938.json"
HEADER = (f"{'run':<22}{'N':>5}{'wall s':>8}{'art/s':>8}{'ideal/s':>9}{'of ideal':>9}{'CPU s':>8}"
          f"{'CPU ms/a':>9}{'requests':>9}")


@contextmanager
def loopback(content: Path, latency: float, rate_limit: float):
    """A loopback server subprocess; OPENAI_BASE_URL points at it; ``.counts`` after the block."""
    # run from the checkout's root: the benchmark itself works inside a temporary directory
    proc = subprocess.Popen([sys.executable, "-m", "tests.helpers.loopback", "--content-file", str(content),
                             "--latency", str(latency), "--rate-limit", str(rate_limit)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    srv = SimpleNamespace(url=proc.stdout.readline().strip(), counts={})
    try:
        if not srv.url.startswith("http"):
            raise RuntimeError(f"loopback server did not start (got {srv.url!r})")
        os.environ["OPENAI_BASE_URL"] = srv.url
        yield srv
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            out = proc.communicate(timeout=10)[0]
        except subprocess.TimeoutExpired:
            proc.kill()
            out = proc.communicate()[0]
        lines = out.strip().splitlines()
        srv.counts = json.loads(lines[-1]) if lines else {}


def timed(fn, *args):
    gc.collect()
    c0, t0 = time.process_time(), time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t0, time.process_time() - c0


async def bare_calls(engine, articles, concurrency: int) -> None:
    """The baseline: the engine's wire arguments, one raw SDK call each, body parsed."""
    from verifier.models import AnalysisDraft

    client = engine.async_client()
    pending = iter(articles)

    async def worker() -> None:
        for article in pending:
            args = engine.wire_args(engine.start_call(), engine.messages_for(article, None)(None),
                                     engine.headers(article, None), AnalysisDraft)
            raw = await client.chat.completions.with_raw_response.create(**args)
            raw.http_response.json()

    try:
        await asyncio.gather(*(worker() for _ in range(min(concurrency, len(articles)))))
    finally:
        await client.close()


def write_articles(folder: Path, texts: list[str], variants: int) -> Path:
    folder.mkdir()
    for k in range(variants):
        for i, text in enumerate(texts):
            (folder / f"a{k:03d}_{i}.txt").write_text(f"{text}\n\n(Article {k})\n", encoding="utf-8")
    return folder


def row(name: str, n: int, wall: float, cpu: float, ideal: float | None, requests, note: str = "",
        done: int | None = None) -> None:
    """One table line; articles/s counts ``done`` (default n); no ideal, no rate."""
    rate = (n if done is None else done) / wall if ideal else None
    cols = [f"{rate:.1f}" if rate else "-", f"{ideal:.1f}" if ideal else "-", f"{rate / ideal:.2f}" if ideal else "-"]
    print(f"{name:<22}{n:>5}{wall:>8.2f}{cols[0]:>8}{cols[1]:>9}{cols[2]:>9}{cpu:>8.2f}"
          f"{cpu / n * 1000:>9.1f}{requests:>9}  {note}")


def llm(args, tmp: Path, content: Path) -> dict:
    from verifier.batch.inputs import collect

    n, c, latency = args.articles, args.concurrency, args.latency
    folder = write_articles(tmp / "llm", [SEED.read_text(encoding="utf-8")], n)
    options = BatchOptions(concurrency=c, progress=False)
    ideal = min(c / latency, args.rate_limit or math.inf)
    rss_warm = 0
    trials = []  # (summary, wall, cpu, requests, bare wall, bare cpu), alternating batch and bare calls
    for trial in range(args.repeat):
        out = tmp / f"llm-{trial}.jsonl"
        os.environ["VERIFIER_CACHE_DIR"] = str(tmp / f"cache-{trial}")  # a fresh cache: every article is sent
        with loopback(content, latency, args.rate_limit) as srv:
            warm = run_batch([str(next(folder.iterdir()))], tmp / f"warm-{trial}.jsonl", make_engine("llm"),
                             BatchOptions(concurrency=1, use_cache=False, progress=False))
            rss_warm = rss_warm or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            batch, wall, cpu = timed(run_batch, [str(folder)], out, make_engine("llm"), options)
        with loopback(content, latency, 0) as bare_srv:
            engine = make_engine("llm")
            articles = [item.read() for item in collect([str(folder)])]
            _, b_wall, b_cpu = timed(asyncio.run, bare_calls(engine, articles, c))
        trials.append((batch, wall, cpu, srv.counts.get("requests", 0) - warm.usage.requests, b_wall, b_cpu,
                       bare_srv.counts.get("requests", "?")))
    rss_batch = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    # the median trial by batch wall time: the machine is noisy, a median is steadier than one run
    batch, wall, cpu, got, b_wall, b_cpu, b_got = sorted(trials, key=lambda t: t[1])[len(trials) // 2]
    with loopback(content, latency, args.rate_limit) as again:
        rerun, r_wall, r_cpu = timed(run_batch, [str(folder)], out, make_engine("llm"), options)
    best = "" if ideal < c / latency else f"; best reachable {n / c / math.ceil(n / c):.2f} of ideal (ceil(N/C) rounds)"
    print(f"== 1. LLM engine: {n} articles, concurrency {c}, latency {latency:.3f} s, rate limit "
          f"{args.rate_limit or 'none'}{best}; {os.cpu_count()} CPUs, load average "
          + " / ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(HEADER)
    print(f"median of {len(trials)} trials by wall time; walls: "
          + ", ".join(f"{t[1]:.2f}" for t in sorted(trials, key=lambda t: t[1])))
    row("batch (run_batch)", n, wall, cpu, ideal, got,
        f"done {batch.done}, cached {batch.from_cache}, failed {len(batch.failed)}, "
        f"requests in summary {batch.usage.requests}", done=batch.done)
    row("bare SDK calls", n, b_wall, b_cpu, c / latency, b_got)
    row("re-run, same --out", n, r_wall, r_cpu, None, again.counts.get("requests", "?"),
        f"already_done {rerun.already_done}/{n}, done {rerun.done}")
    overhead = (cpu - b_cpu) / n * 1000
    print(f"requests = as counted by each fresh server (batch: minus {warm.usage.requests} warm-up); peak RSS "
          f"{rss_warm} MiB after warm-up, {rss_batch} MiB after the batch")
    print(f"overhead per article outside the engine: ({cpu:.2f} - {b_cpu:.2f}) s / {n} = {overhead:.2f} ms CPU")
    return dict(fraction=batch.done / wall / ideal, overhead=overhead, rerun=again.counts.get("requests"),
                already_done=rerun.already_done, n=n, done=batch.done)


def rate_limited(args, tmp: Path, content: Path) -> None:
    n, c, r = args.articles, args.concurrency, args.rate_limit_scenario
    os.environ["VERIFIER_CACHE_DIR"] = str(tmp / "cache-rl")
    with loopback(content, args.latency, r) as srv:
        summary, wall, cpu = timed(run_batch, [str(tmp / "llm")], tmp / "rl.jsonl", make_engine("llm"),
                                   BatchOptions(concurrency=c, progress=False))
    print(f"== 2. rate limit {r:g}/s at the server, concurrency {c}, fresh out and cache (art/s: done only)")
    print(HEADER)
    row("rate-limited batch", n, wall, cpu, min(c / args.latency, r), srv.counts.get("requests", "?"),
        f"429s sent {srv.counts.get('rate_limited', '?')}, completions {srv.counts.get('completions', '?')}",
        done=summary.done)
    print(f"every article done: {'yes' if summary.done == n else 'NO'} (done {summary.done}, failed "
          f"{len(summary.failed)}" + (f"; first: {summary.failed[0].error}" if summary.failed else "") + ")")


def watch(path: Path, stop: threading.Event, seen: list) -> None:
    """Note each time ``path`` grows, i.e. when records are written."""
    size = 0
    while not stop.is_set():
        stop.wait(0.002)
        if (now := path.stat().st_size if path.exists() else 0) != size:
            seen.append(time.perf_counter())
            size = now


def offline(args, tmp: Path) -> tuple[float, float]:
    fixtures = sorted(ARTICLES.glob("*.txt"))
    variants = max(1, args.offline_articles // len(fixtures))
    folder = write_articles(tmp / "offline", [p.read_text(encoding="utf-8") for p in fixtures], variants)
    n = variants * len(fixtures)
    run_batch([str(folder / "a000_0.txt"), str(folder / "a000_2.txt")], tmp / "warm-offline.jsonl",  # fr, en
              make_engine("offline"), BatchOptions(workers=1, use_cache=False, progress=False))
    print(f"== 3. offline engine: {n} articles ({len(fixtures)} fixtures x {variants}), no cache; "
          "2nd half/s: articles/s over the second half of the records (every worker up)")
    print(f"{'workers':<22}{'N':>5}{'wall s':>8}{'art/s':>8}{'first s':>9}{'last s':>8}{'2nd half/s':>11}  note")
    rates = {}
    for workers in (1, 2):
        out, seen, stop = tmp / f"offline-{workers}.jsonl", [], threading.Event()
        watcher = threading.Thread(target=watch, args=(out, stop, seen), daemon=True)
        gc.collect()
        t0 = time.perf_counter()
        watcher.start()
        try:
            summary = run_batch([str(folder)], out, make_engine("offline"),
                                BatchOptions(workers=workers, use_cache=False, progress=False))
        finally:
            stop.set()
            watcher.join()
        wall = time.perf_counter() - t0
        first, last = (seen[0] - t0, seen[-1] - t0) if seen else (wall, wall)
        half = len(seen) // 2
        steady = (len(seen) - 1 - half) / max(seen[-1] - seen[half], 1e-9) if len(seen) > 2 else 0.0
        rates[workers] = (n / wall, steady)
        note = ("in this process, spaCy warm" if workers == 1
                else "2 spawned workers; this process analyses until they are up")
        print(f"{workers:<22}{n:>5}{wall:>8.2f}{rates[workers][0]:>8.1f}{first:>9.2f}{last:>8.2f}"
              f"{rates[workers][1]:>11.1f}  {note}; done {summary.done}, failed {len(summary.failed)}")
    ratio = rates[2][0] / rates[1][0], rates[2][1] / max(rates[1][1], 1e-9)
    print(f"2-core / 1-core: {ratio[0]:.2f}x end to end (worker start-up included), {ratio[1]:.2f}x over the "
          "second half of the records")
    return ratio


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200, help="LLM articles (default 200)")
    ap.add_argument("--repeat", type=int, default=3, help="LLM trials; the median is reported (default 3)")
    ap.add_argument("--concurrency", type=int, default=16, help="requests in flight (default 16)")
    ap.add_argument("--latency", type=float, default=0.3, help="server latency in seconds (default 0.3)")
    ap.add_argument("--rate-limit", type=float, default=0.0, help="server rate limit, 1/s (default 0 = none)")
    ap.add_argument("--rate-limit-scenario", type=float, default=30.0, help="rate limit of scenario 2 (0 skips)")
    ap.add_argument("--offline-articles", type=int, default=400, help="offline articles (default 400)")
    ap.add_argument("--skip-offline", action="store_true", help="skip the offline engine")
    args = ap.parse_args()
    with sandbox("verifier-bench-") as tmp:
        content = tmp / "content.json"
        content.write_text(json.dumps(json.loads(DRAFT.read_text("utf-8"))["content"], ensure_ascii=False),
                           encoding="utf-8")
        res = llm(args, tmp, content)
        if args.rate_limit_scenario > 0:
            rate_limited(args, tmp, content)
        ratio = None if args.skip_offline else offline(args, tmp)
    print("== targets")
    checks = [(res["fraction"] >= 0.90, f"throughput {res['fraction']:.3f} of ideal (target >= 0.90)"),
              (res["overhead"] <= 5.0, f"overhead {res['overhead']:.2f} ms CPU per article (target <= 5 ms)"),
              (res["rerun"] == 0 and res["already_done"] == res["n"],
               f"re-run sent {res['rerun']} requests (target 0), already_done {res['already_done']}/{res['n']}")]
    if res["done"] != res["n"]:
        checks.append((False, f"only {res['done']} of {res['n']} articles done in the batch"))
    for ok, text in checks:
        print(f"{'PASS' if ok else 'MISS'}  {text}")
    if ratio is not None:
        print(f"info  offline 2-core / 1-core: {ratio[0]:.2f}x end to end, {ratio[1]:.2f}x over the second half "
              "of the records (no target)")


if __name__ == "__main__":
    main()
