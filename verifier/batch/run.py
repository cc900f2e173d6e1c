"""``run_batch``: many articles through one engine, resumable and accounted.

Plan: the inputs minus what ``--out`` already holds for the same engine,
model, prompt and input bytes (failures too, unless ``retry_failed``).  Then,
by what the engine can do: the provider's Batch API when asked for
(``deferred.py``), a session of concurrent requests for an engine that
waits on requests (``live.py``), else worker processes for an engine that
computes locally (``pool.py``), or its actors on Ray with ``backend="ray"``
(``ray_backend.py``).  Every article goes through the analysis
pipeline, and its record is appended to ``--out`` as soon as it is finished.
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from verifier.analysis.pipeline import AnalyzeOptions, Pipeline
from verifier.batch.inputs import Item, collect
from verifier.batch.ledger import Entry, Ledger
from verifier.batch.pricing import load_prices
from verifier.batch.progress import BatchProgress
from verifier.batch.recorder import Recorder, recorded_endpoint
from verifier.engines.base import Engine
from verifier.errors import ConfigError, InputError
from verifier.models import BatchSummary
from verifier.storage import FileLock, Locked

log = logging.getLogger("verifier")
LOCK_POLL = 0.2  # seconds between tries of a held lock


BACKENDS = ("local", "ray")


@dataclass
class BatchOptions:
    output_language: str | None = None
    concurrency: int = 8  # engines that wait on requests: requests in flight
    workers: int | None = None  # local engines: processes; default, every core
    retry_failed: bool = False
    use_cache: bool = True
    prices: Path | None = None
    progress: bool = True
    batch_api: bool = False
    poll_interval: float = 30.0
    wait: float | None = None  # another run holds --out: None refuses at once; else seconds to wait for it
    import_results: Path | None = None  # a Batch output file to record the answers from (imported.py)
    backend: str = "local"  # local engines: "local" (worker processes) or "ray" (actors on Ray)
    ray_address: str | None = None  # backend "ray": a cluster to join; None starts a local Ray

    @property
    def analyze_options(self) -> AnalyzeOptions:
        return AnalyzeOptions(output_language=self.output_language, use_cache=self.use_cache)


@dataclass
class Plan:
    items: list[Item]
    todo: list[Item]
    already_done: int = 0
    failed_before: int = 0


def make_plan(items: list[Item], entries: dict[str, Entry], engine, output_language: str | None,
              retry_failed: bool, out: Path) -> Plan:
    current = (engine.name, engine.model, engine.prompt_id, output_language)
    for entry in entries.values():
        earlier = (entry.engine, entry.model, entry.prompt, entry.output_language)
        if earlier != current:
            raise ConfigError(
                f"{out} holds results of engine {earlier[0]}, model {earlier[1]}, prompt {earlier[2]}"
                f"{', language ' + earlier[3] if earlier[3] else ''}; this run uses {current[0]}, "
                f"{current[1]}, {current[2]}: choose another --out")
    endpoint = recorded_endpoint(engine.endpoint)
    for entry in entries.values():
        if entry.endpoint is not None and entry.endpoint != endpoint:  # None: local, or an older record
            raise ConfigError(f"{out} holds answers from the endpoint {entry.endpoint}; this run sends to "
                              f"{endpoint or 'no endpoint'}: choose another --out (or set OPENAI_BASE_URL back)")
    plan = Plan(items, [])
    for item in items:
        entry = entries.get(item.id)
        if entry is not None and entry.input_sha256 and entry.input_sha256 == item.input_sha256():
            if entry.status == "done":
                plan.already_done += 1
                continue
            if not retry_failed:
                plan.failed_before += 1
                continue
        plan.todo.append(item)
    return plan


def prepare(inputs: list[str], out: Path, engine: Engine, options: BatchOptions) -> tuple[Ledger, Plan]:
    """Inputs, ledger and plan: everything before the first request."""
    if not inputs:
        raise ConfigError("give at least one INPUT: a file, a directory or a .jsonl list")
    items = collect(inputs)
    if options.batch_api and not engine.capabilities.batch_api:
        raise ConfigError("--batch-api needs the llm engine (an OpenAI-compatible endpoint with the Batch API)")
    if options.import_results is not None:
        if options.batch_api:
            raise ConfigError("--import-results records answers already made: it cannot go with --batch-api")
        if not engine.capabilities.batch_api:
            raise ConfigError("--import-results needs the llm engine (its requests are what the file answers)")
        if not options.import_results.is_file():
            raise InputError(f"{options.import_results}: no such results file")
    if options.backend not in BACKENDS:
        raise ConfigError(f"--backend must be one of {', '.join(BACKENDS)}, not {options.backend!r}")
    if options.backend == "ray" and (engine.capabilities.concurrent or options.batch_api):
        raise ConfigError("--backend ray runs an engine that computes locally (offline); "
                          "this one waits on requests: use -j for more in flight")
    if options.ray_address and options.backend != "ray":
        raise ConfigError("--ray-address needs --backend ray")
    ledger = Ledger(out)
    plan = make_plan(items, ledger.load(), engine, options.output_language, options.retry_failed, out)
    return ledger, plan


def run_batch(inputs: list[str], out: Path, engine: Engine, options: BatchOptions | None = None) -> BatchSummary:
    """Analyse every article of ``inputs`` with ``engine`` into ``out`` (JSONL); see the module doc."""
    options = options or BatchOptions()
    if options.concurrency < 1:
        raise ConfigError("--concurrency must be at least 1")
    with output_lock(out, options.wait):
        return _run_locked(inputs, out, engine, options)


def lock_path(out: Path) -> Path:
    return out.with_name(out.name + ".lock")


@contextmanager
def output_lock(out: Path, wait: float | None):
    """Hold ``<out>.lock`` for the whole run: a second run on the same ``--out`` refuses (``wait`` None)
    or waits at most ``wait`` seconds for the first to finish, saying so in one line."""
    lock = FileLock(lock_path(out))
    deadline = None if wait is None else time.monotonic() + wait
    said = False
    while True:
        try:
            lock.try_acquire()
            break
        except Locked as held:
            who = f" (pid {held.holder})" if held.holder.isdigit() else ""
            if deadline is None:
                raise ConfigError(f"{out} is being written by another batch{who}; wait for it (--wait) "
                                  "or choose another --out") from None
            if time.monotonic() >= deadline:
                raise ConfigError(f"{out} is still being written by another batch{who} after {wait:g} s "
                                  "(--wait-timeout)") from None
            if not said:
                log.warning("waiting for another batch writing %s%s to finish", out, who)
                said = True
            time.sleep(LOCK_POLL)
    try:
        yield
    finally:
        lock.release()


def _run_locked(inputs: list[str], out: Path, engine: Engine, options: BatchOptions) -> BatchSummary:
    ledger, plan = prepare(inputs, out, engine, options)
    prices = load_prices(options.prices)
    summary = BatchSummary(out=str(out), engine=engine.name, model=engine.model, prompt=engine.prompt_id,
                           total=len(plan.items), already_done=plan.already_done,
                           failed_before=plan.failed_before, prices=prices.source)
    priced = engine.capabilities.priced
    progress = BatchProgress(options.progress)
    recorder = Recorder(ledger, summary, prices, progress, options.output_language, endpoint=engine.endpoint,
                        batch_price=options.batch_api or options.import_results is not None, priced=priced)
    pipeline = Pipeline(engine, options.analyze_options)
    started = time.perf_counter()
    progress.start(len(plan.todo), engine.name, spending=priced)
    try:
        if plan.todo and options.import_results is not None:
            from verifier.batch.imported import run_imported

            earlier = {e.article_sha256[:16] for e in ledger.entries.values() if e.article_sha256}
            run_imported(plan.todo, pipeline, recorder, options.import_results, earlier)
        elif plan.todo and options.batch_api:
            from verifier.batch.deferred import run_deferred

            run_deferred(plan.todo, pipeline, recorder, options.poll_interval)
        elif plan.todo and engine.capabilities.concurrent:
            from verifier.batch.live import run_live

            run_live(plan.todo, pipeline, recorder, options.concurrency)
        elif plan.todo and options.backend == "ray":
            from verifier.batch.ray_backend import run_ray

            run_ray(plan.todo, pipeline, recorder, options.workers, options.ray_address)
        elif plan.todo:
            from verifier.batch.pool import run_pool

            run_pool(plan.todo, pipeline, recorder, options.workers or os.cpu_count() or 1)
    finally:
        progress.stop()
        ledger.close()
        summary.elapsed_seconds = round(time.perf_counter() - started, 3)
        summary.not_started = len(plan.todo) - summary.done - len(summary.failed)
    return summary
