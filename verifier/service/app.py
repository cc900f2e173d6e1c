"""``create_app(settings)``: the FastAPI application of ``verifier serve``.

Start-up (the lifespan) starts the worker pool and, with ``warm``, waits
until every worker has loaded the engine's models; it takes the jobs folder
and resumes unfinished jobs, and starts the watch runner (watches due are
passed again).  Shut-down stops both runners and the workers.  Routes live in ``routes/``; every ``/v1`` route needs a key when
keys are configured (``auth.py``).
"""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import Depends, FastAPI

from verifier import __version__
from verifier.service import problems
from verifier.service.auth import require_key
from verifier.service.job_runner import JobRunner
from verifier.service.job_store import JobStore
from verifier.service.limits import BodyLimit
from verifier.service.settings import ServiceSettings
from verifier.service.watch_registry import WatchRegistry
from verifier.service.watch_runner import WatchRunner
from verifier.service.workers import WorkerPool

WARM_DEADLINE = 180.0


def create_app(settings: ServiceSettings, *, warm: bool = True, on_ready=None) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        pool, store = WorkerPool(settings), JobStore(settings.data_dir)
        store.lock()
        runner = JobRunner(store, pool, allow_private=settings.allow_private_urls, timeout=settings.timeout,
                           webhook_secret=settings.webhook_secret)
        app.state.pool, app.state.store, app.state.runner = pool, store, runner
        watches = WatchRegistry(settings.data_dir)
        watch_runner = WatchRunner(watches, pool, allow_private=settings.allow_private_urls,
                                   webhook_secret=settings.webhook_secret)
        app.state.watches, app.state.watch_runner = watches, watch_runner
        try:
            if warm:
                await pool.warm(WARM_DEADLINE)
            runner.resume()
            if on_ready is not None:
                on_ready()
            tasks = [asyncio.create_task(runner.run_forever()), asyncio.create_task(watch_runner.run_forever())]
            yield
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        finally:
            pool.stop()
            store.unlock()

    app = FastAPI(
        title="verifier",
        version=__version__,
        summary="Grounded claims, who said what, summaries, diffs and claim verification for news articles.",
        description="Every quote is located in the article (character offsets) or flagged with the reason. "
                    "The JSON is the CLI's `--json` output (`verifier schema`). Errors are RFC 9457 problem "
                    "documents. When the server has keys (VERIFIER_API_KEYS), every /v1 route needs "
                    "`Authorization: Bearer <key>`.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engines = {}
    problems.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)

    from verifier.service.routes import analyses, compare, health, jobs, page, watches

    app.include_router(health.router)
    app.include_router(page.router)
    for module in (analyses, compare, jobs, watches):
        app.include_router(module.router, prefix="/v1", dependencies=[Depends(require_key)])
    app.include_router(page.api, prefix="/v1", dependencies=[Depends(require_key)])
    return app
