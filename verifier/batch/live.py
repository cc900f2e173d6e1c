"""An engine that waits on requests (``Capabilities.concurrent``: the llm and
replay engines) over many articles: one session of the engine, at most
``concurrency`` requests in flight, one shared rate-limit pause.

Ctrl-C once: no new article starts, the requests in flight finish and are
written (nothing paid is thrown away); Ctrl-C again abandons them.  Bad
credentials or an unknown model stop the batch at the first article that
meets them instead of failing every article the same way.
"""

from __future__ import annotations

import asyncio
import signal

from verifier.analysis.pipeline import Pipeline
from verifier.batch.inputs import Item
from verifier.batch.recorder import Recorder
from verifier.engines.base import ConcurrentEngine, Session
from verifier.errors import ConfigError


def run_live(todo: list[Item], pipeline: Pipeline, recorder: Recorder, concurrency: int) -> None:
    asyncio.run(_run(todo, pipeline, recorder, concurrency))


async def _run(todo: list[Item], pipeline: Pipeline, recorder: Recorder, concurrency: int) -> None:
    engine: ConcurrentEngine = pipeline.engine  # Capabilities.concurrent
    async with engine.session(concurrency) as session:
        await _in_session(todo, pipeline, recorder, concurrency, session)


async def _in_session(todo: list[Item], pipeline: Pipeline, recorder: Recorder, concurrency: int,
                      session: Session) -> None:
    language = pipeline.options.output_language
    stop = asyncio.Event()
    pending = iter(todo)
    by_text: dict[str, asyncio.Future] = {}  # the same article twice is asked once
    loop = asyncio.get_running_loop()

    def record(item: Item, article, result, cached: bool) -> None:
        try:
            analysis = pipeline.finish(article, result, cached=cached)
        except Exception as exc:  # noqa: BLE001 - recorded with its reason
            recorder.failed(item, exc, article_sha256=article.sha256, input_sha256=article.input_sha256)
        else:
            recorder.done(item, analysis)

    async def one(item: Item) -> None:
        article = recorder.read(item)
        if article is None:
            return
        first = by_text.get(article.sha256)
        if first is None:
            by_text[article.sha256] = loop.create_future()
        try:
            if first is not None:
                await asyncio.shield(first)  # the first copy's answer is in the cache by now
            result = pipeline.lookup(article)
            cached = result is not None
            if not cached:
                result = await session.analyze(article, language)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure is recorded with its reason
            recorder.failed(item, exc, article_sha256=article.sha256, input_sha256=article.input_sha256)
            if isinstance(exc, ConfigError) and not stop.is_set():
                recorder.summary.stopped = str(exc)
                stop.set()
        else:
            # ground and write after this worker has sent its next request: the
            # endpoint stays busy while answers are processed
            loop.call_soon(record, item, article, result, cached)
        finally:
            if first is None:
                loop.call_soon(_release, by_text[article.sha256])

    async def worker() -> None:
        for item in pending:
            if stop.is_set():
                return
            await one(item)

    workers = [asyncio.create_task(worker()) for _ in range(min(concurrency, len(todo)))]
    restore = _on_interrupt(stop, workers, recorder)
    try:
        await asyncio.gather(*workers, return_exceptions=True)
        await asyncio.sleep(0)  # the last answers' records
    finally:
        restore()


def _release(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


def _on_interrupt(stop: asyncio.Event, workers: list[asyncio.Task], recorder: Recorder):
    """First Ctrl-C: finish what is in flight; second: abandon it."""
    loop = asyncio.get_running_loop()

    def handler() -> None:
        recorder.summary.interrupted = True
        if not stop.is_set():
            stop.set()
            recorder.progress.note("interrupted: finishing the requests in flight (Ctrl-C again to abandon them)")
        else:
            for task in workers:
                task.cancel()

    try:
        loop.add_signal_handler(signal.SIGINT, handler)
    except (NotImplementedError, RuntimeError):  # not on this platform: Ctrl-C stops at once
        return lambda: None
    return lambda: loop.remove_signal_handler(signal.SIGINT)

