"""``--backend ray``: a local engine (the offline one) over many articles, on Ray.

One actor per CPU (``workers``, default: every CPU of the cluster), each
building the engine's ``Pipeline`` once and warming it up (spaCy loads
once per actor).  The driver reads every article's bytes itself and sends
them, so the workers need no access to its files; the actors answer with
the ``Analysis`` or the failure as plain data, and the driver writes every
record through the same ``Recorder`` (same JSONL, same resume).

Without ``address`` a local Ray is started (no dashboard, no usage stats, a
small object store) and shut down at the end; with one (``auto``,
``ray://host:10001``) the run joins that cluster, whose workers must have the
same verifier version and its spaCy models installed.  A Ray already
initialised by the caller is used as it is and left running.

Ctrl-C once: no new article starts, the ones an actor is analysing finish
and are written; Ctrl-C again stops waiting for them.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

from verifier.analysis.pipeline import AnalyzeOptions, Pipeline
from verifier.batch import lifeline
from verifier.batch.inputs import Item
from verifier.batch.pool import FINISHING
from verifier.batch.recorder import Recorder, error_text, error_type
from verifier.engines.base import Engine
from verifier.errors import ConfigError, InputError
from verifier.ingest.article import article_from_bytes, article_from_text, printable_name, read_file_bytes

QUEUED = 2  # articles handed to each actor at once: one analysed, one waiting
OBJECT_STORE_BYTES = 128 * 1024 * 1024  # a local Ray: articles and analyses are small


@dataclass(frozen=True)
class Payload:
    """What an actor gets: the article's bytes (a file) or text (a JSONL line), never a path."""

    source: str
    data: bytes | None = None
    text: str | None = None


class Analyst:
    """A Ray actor's body: one warm pipeline, many articles."""

    def __init__(self, engine: Engine, options: AnalyzeOptions):
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver handles Ctrl-C
        except ValueError:  # not the main thread
            pass
        engine.warm_up()
        self.pipeline = Pipeline(engine, options)

    def ready(self) -> int:
        return os.getpid()

    def analyze(self, payload: Payload) -> tuple:
        """("done", analysis) or ("failed", kind, text, article_sha256, input_sha256)."""
        try:
            if payload.text is not None:
                article = article_from_text(payload.text, payload.source)
            else:
                article = article_from_bytes(payload.data, payload.source)
        except InputError as exc:
            return "failed", error_type(exc), error_text(exc), None, _sha(payload)
        try:
            return "done", self.pipeline.analyze(article)
        except Exception as exc:  # noqa: BLE001 - recorded with its reason
            return "failed", error_type(exc), error_text(exc), article.sha256, article.input_sha256


def _sha(payload: Payload) -> str:
    import hashlib

    data = payload.data if payload.text is None else payload.text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def _import_ray():
    try:
        import ray
    except ImportError:
        raise ConfigError("--backend ray needs Ray: pip install 'verifier[ray]'") from None
    return ray


def start(ray, address: str | None, workers: int | None) -> bool:
    """Connect to ``address`` or start a local Ray; True when this run must shut it down."""
    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    quiet = dict(include_dashboard=False, log_to_driver=False, logging_level="WARNING")
    try:
        if address:
            ray.init(address=address, **({} if address.startswith("ray://") else quiet))
        else:
            # "local": a new instance, even when RAY_ADDRESS or a `ray start` on this machine names another;
            # its agents do not die with this process: a reaper kills them once it is gone (kill -9 too)
            lifeline.reap_on_death()
            ray.init(address="local", num_cpus=workers or os.cpu_count() or 1,
                     object_store_memory=OBJECT_STORE_BYTES, **quiet)
    except Exception as exc:  # noqa: BLE001 - Ray's own errors: one line
        where = f"reach Ray at {address}" if address else "start a local Ray"
        raise ConfigError(f"cannot {where}: {' '.join(str(exc).split())}") from None
    return True


def run_ray(todo: list[Item], pipeline: Pipeline, recorder: Recorder, workers: int | None,
            address: str | None = None) -> None:
    ray = _import_ray()
    owned = start(ray, address, workers)
    try:
        cpus = int(ray.cluster_resources().get("CPU", 1))
        count = max(1, min(workers or cpus, len(todo)))
        actor = ray.remote(num_cpus=1)(Analyst)
        actors = [actor.remote(pipeline.engine, pipeline.options) for _ in range(count)]
        _drive(ray, todo, actors, recorder)
    finally:
        if owned:
            ray.shutdown()


def _drive(ray, todo: list[Item], actors: list, recorder: Recorder) -> None:
    queue = list(reversed(todo))
    sent: dict = {}  # ref -> (item, actor index)
    load = [0] * len(actors)
    while queue or sent:
        try:
            while queue and min(load) < QUEUED:
                index = load.index(min(load))
                item = queue.pop()
                payload = _payload(item, recorder)
                if payload is None:
                    continue
                sent[actors[index].analyze.remote(payload)] = (item, index)
                load[index] += 1
            if not sent:
                continue
            done, _ = ray.wait(list(sent), num_returns=1, timeout=0.5)
            for ref in done:
                item, index = sent.pop(ref)
                load[index] -= 1
                _record(ray, ref, item, recorder)
        except KeyboardInterrupt:
            if not recorder.interrupt(FINISHING):
                break
            queue.clear()
            for ref in sent:  # an article still waiting for its actor is not started; a running one finishes
                ray.cancel(ref)


def _payload(item: Item, recorder: Recorder) -> Payload | None:
    """The item's text or bytes, read here; None once its failure to be read is recorded."""
    if item.text is not None:
        return Payload(item.source, text=item.text)
    try:
        return Payload(printable_name(item.path), data=read_file_bytes(item.path))
    except InputError as exc:
        recorder.failed(item, exc, input_sha256=item.input_sha256())
        return None


def _record(ray, ref, item: Item, recorder: Recorder) -> None:
    try:
        outcome = ray.get(ref)
    except ray.exceptions.TaskCancelledError:
        return  # Ctrl-C before it started: not started, as the summary says
    except Exception as exc:  # noqa: BLE001 - an actor died: the article failed
        recorder.failed(item, exc)
        return
    if outcome[0] == "done":
        recorder.done(item, outcome[1])
    else:
        _, kind, text, article_sha256, input_sha256 = outcome
        if article_sha256 is None and item.path is not None:
            input_sha256 = item.input_sha256()  # as the local backend has it: the whole file's bytes
        recorder.failure(item, kind, text, article_sha256=article_sha256, input_sha256=input_sha256)
