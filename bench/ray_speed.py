"""``verifier batch --backend ray`` against one local worker, end to end.

Writes ``--articles`` articles (default 400) from ``fixtures/articles/*.txt``, each with a sentence
of its own (so no two share a cache key), then runs the real command line twice, in subprocesses,
with ``--no-cache``: ``--workers 1`` (the local backend, in one process), ``--workers CORES`` (the
local backend's process pool: what this machine's cores give without Ray) and ``--backend ray``
(a local Ray, one actor per core).  Wall time covers everything: interpreter start, spaCy loads,
Ray's start and shutdown.  Prints both times, the ratio, and whether the records are identical
(every field but ``finished``).  Exits 1 when they are not.

``--phases`` measures instead, in this process, where Ray's time goes: starting a local Ray, the actors
starting and loading spaCy, the steady rate of the actors against one in-process pipeline, the shutdown.

Usage, from the project root: python -m bench.ray_speed [--articles N] [--workers W] [--phases]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.helpers.records import by_id

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "fixtures" / "articles"


def write_articles(folder: Path, n: int) -> None:
    texts = [p.read_text("utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    folder.mkdir(parents=True)
    for i in range(n):
        extra = f"Selon un témoin cité le {i % 28 + 1} mars, {i + 3} personnes attendaient devant la mairie."
        (folder / f"a{i:04d}.txt").write_text(f"{texts[i % len(texts)]}\n\n{extra}\n", "utf-8")


def run(folder: Path, out: Path, *options: str) -> float:
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "verifier", "batch", str(folder), "--out", str(out),
                           "--engine", "offline", "--no-cache", "--no-progress", "--json", *options],
                          capture_output=True, text=True, env=env, cwd=folder.parent)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{' '.join(options)}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    summary = json.loads(proc.stdout)
    print(f"{' '.join(options):<24} {summary['done']} done, {len(summary['failed'])} failed: "
          f"{wall:6.1f} s wall, {summary['done'] / wall:5.1f} articles/s")
    return wall


def phases(folder: Path, workers: int) -> None:
    import ray

    from verifier.analysis.pipeline import AnalyzeOptions, Pipeline
    from verifier.batch.ray_backend import Analyst, Payload, start
    from verifier.engines import make_engine
    from verifier.ingest.article import article_from_bytes

    files = sorted(folder.glob("*.txt"))
    engine, options = make_engine("offline"), AnalyzeOptions(use_cache=False)
    t0 = time.perf_counter()
    start(ray, None, workers)
    t1 = time.perf_counter()
    actor = ray.remote(num_cpus=1)(Analyst)
    actors = [actor.remote(engine, options) for _ in range(workers)]
    ray.get([a.ready.remote() for a in actors])
    t2 = time.perf_counter()
    refs = [actors[i % workers].analyze.remote(Payload(str(f), data=f.read_bytes())) for i, f in enumerate(files)]
    ray.get(refs)
    t3 = time.perf_counter()
    ray.shutdown()
    t4 = time.perf_counter()
    engine.warm_up()
    pipeline = Pipeline(engine, options)
    t5 = time.perf_counter()
    for f in files:
        pipeline.analyze(article_from_bytes(f.read_bytes(), str(f)))
    t6 = time.perf_counter()
    print(f"start a local Ray {t1 - t0:.1f} s; {workers} actors up and warm {t2 - t1:.1f} s; shutdown {t4 - t3:.1f} s")
    print(f"steady: {workers} actors {len(files) / (t3 - t2):.1f} articles/s, one in-process pipeline "
          f"{len(files) / (t6 - t5):.1f} articles/s ({(t6 - t5) / (t3 - t2):.2f}x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--workers", type=int, default=None, help="ray actors (default: every core)")
    ap.add_argument("--phases", action="store_true", help="where Ray's time goes, measured in this process")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        write_articles(folder, args.articles)
        if args.phases:
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
            return phases(folder, args.workers or os.cpu_count() or 1)
        print(f"{args.articles} articles, {os.cpu_count()} cores, no cache")
        one = run(folder, Path(tmp) / "one.jsonl", "--workers", "1")
        cores = os.cpu_count() or 1
        pool = run(folder, Path(tmp) / "pool.jsonl", "--workers", str(cores))
        ray = run(folder, Path(tmp) / "ray.jsonl", "--backend", "ray",
                  *(["--workers", str(args.workers)] if args.workers else []))
        same = by_id(Path(tmp) / "one.jsonl") == by_id(Path(tmp) / "ray.jsonl")
        print(f"ray / 1 worker: {one / ray:.2f}x faster end to end (target >= 1.3x)")
        print(f"local pool of {cores} / 1 worker: {one / pool:.2f}x (what {cores} processes give on this machine)")
        print(f"records identical (but 'finished'): {same}")
        sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
