"""A local engine (the offline one) over many articles: one process per core.

``workers`` processes are started (``spawn``, the same on Linux, macOS and
Windows), each with a copy of the engine, which it warms up once
(``Engine.warm_up``: the spaCy pipelines take seconds), so one is started
per ``MIN_PER_WORKER`` articles at most, and fewer than two run the batch
in this process.  Until they are all up, this process analyses
articles itself; then it hands them out and writes the records.  Workers
read their articles and analyse them through the shared cache (SQLite WAL).  Workers die with this
process, ``kill -9`` included, and ignore Ctrl-C and SIGTERM (``lifeline.py``):
the first Ctrl-C (or SIGTERM) drops the articles not yet started and lets the running
ones finish; a second stops waiting for them.
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from verifier.analysis.pipeline import AnalyzeOptions, Pipeline
from verifier.batch import lifeline
from verifier.batch.inputs import Item
from verifier.batch.recorder import Recorder
from verifier.engines.base import Engine
from verifier.errors import InputError

MIN_PER_WORKER = 20
QUEUED = 3  # articles handed to each worker ahead
FINISHING = "interrupted: finishing the articles in progress (Ctrl-C again to stop)"
_pipeline: Pipeline | None = None  # one per worker process


def _start_worker(engine: Engine, options: AnalyzeOptions) -> None:
    global _pipeline
    engine.warm_up()
    _pipeline = Pipeline(engine, options)


def _ready() -> int:
    return os.getpid()


def analyze_item(item: Item, pipeline: Pipeline) -> tuple:
    """("done", analysis) or ("failed", error, article_sha256, input_sha256)."""
    try:
        article = item.read()
    except InputError as exc:
        return "failed", exc, None, item.input_sha256()
    try:
        return "done", pipeline.analyze(article)
    except Exception as exc:  # noqa: BLE001 - recorded with its reason
        return "failed", exc, article.sha256, article.input_sha256


def _work(item: Item) -> tuple:
    return analyze_item(item, _pipeline)


def _record(recorder: Recorder, item: Item, outcome: tuple) -> None:
    if outcome[0] == "done":
        recorder.done(item, outcome[1])
    else:
        recorder.failed(item, outcome[1], article_sha256=outcome[2], input_sha256=outcome[3])


def run_pool(todo: list[Item], pipeline: Pipeline, recorder: Recorder, workers: int) -> None:
    # a spawned worker costs seconds to start (spaCy load): only worth it for enough articles
    extra = min(workers, len(todo) // MIN_PER_WORKER)
    extra = extra if extra >= 2 else 0
    queue = deque(todo)
    pool = None
    if extra:
        pool = lifeline.worker_pool(extra, _start_worker, (pipeline.engine, pipeline.options))
    # a worker gets articles once it is up: until then this process does them all
    probes = [pool.submit(_ready) for _ in range(extra)] if pool is not None else []
    sent: dict[Future, Item] = {}
    try:
        while queue or sent:
            try:
                ready = sum(p.done() for p in probes)
                _step(queue, sent, pool, ready, ready < extra or not extra, pipeline, recorder)
            except KeyboardInterrupt:
                if not recorder.interrupt(FINISHING):
                    break
                queue.clear()
                for future in list(sent):
                    if future.cancel():
                        del sent[future]
    finally:
        if pool is not None:
            _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Every result is recorded (or given up): stop the workers now, even one
    still loading its pipelines, rather than wait for it."""
    lifeline.stop(pool)


def _step(queue: deque, sent: dict, pool, ready: int, here: bool, pipeline: Pipeline, recorder: Recorder) -> None:
    """Keep the ``ready`` workers fed and record what they finished; then,
    ``here`` (while workers are still starting), analyse one article in this
    process, else wait for the workers."""
    while pool is not None and queue and len(sent) < QUEUED * ready:
        item = queue.popleft()
        sent[pool.submit(_work, item)] = item
    for future in [f for f in sent if f.done()]:
        _record(recorder, sent.pop(future), _outcome(future))
    if queue and here:
        item = queue.popleft()
        _record(recorder, item, analyze_item(item, pipeline))
    elif sent:
        done, _ = wait(list(sent), return_when=FIRST_COMPLETED)
        for future in done:
            _record(recorder, sent.pop(future), _outcome(future))


def _outcome(future: Future) -> tuple:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a worker died: the article failed
        return "failed", exc, None, None
