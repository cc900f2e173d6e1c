"""The job runner: queued jobs one after another, each item on the worker pool.

Started with the server (``app.py``), it takes up every unfinished job
(``resume``), then runs what ``enqueue`` hands it.  A job's items not yet in
its ledger are analysed, at most ``workers`` at a time, each within the
request deadline; every finished item is recorded at once (``Recorder``,
as a batch does).  A cancelled job stops handing out items; its webhook, if
any, is called when it ends, in a thread, so the runner never waits on it.
"""

from __future__ import annotations

import asyncio
import logging
import os

from verifier.batch.inputs import Item
from verifier.batch.pricing import load_prices
from verifier.batch.progress import BatchProgress
from verifier.batch.recorder import Recorder
from verifier.errors import redact
from verifier.models import Analysis, BatchSummary
from verifier.service import tasks
from verifier.service.job_store import FINISHED, Job, JobStore, job_out, now

log = logging.getLogger("verifier")


class JobRunner:
    """Runs queued jobs one after another, each item on the worker pool, at most ``workers`` at a time."""

    def __init__(self, store: JobStore, pool, *, allow_private: bool, timeout: float = 300.0,
                 webhook_secret: str | None = None):
        self.store = store
        self.webhook_secret = webhook_secret
        self.timeout = timeout  # per item
        self.pool = pool
        self.allow_private = allow_private
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.cancelled: set[str] = set()
        self.current: str | None = None

    def resume(self) -> None:
        for job in self.store.unfinished():
            log.info("resuming job %s (%s)", job.id, job.status)
            self.queue.put_nowait(job.id)

    def enqueue(self, job: Job) -> None:
        self.queue.put_nowait(job.id)

    def cancel(self, job: Job) -> Job:
        """Cancel now a job not started; a running one stops handing out items (kept on disk: a
        restart does not take it up again)."""
        if job.status in FINISHED:
            return job
        self.cancelled.add(job.id)
        if job.id != self.current:
            job.status, job.finished_at = "cancelled", now()
        job.cancel_requested = True
        self.store.save(job)
        return job

    async def run_forever(self) -> None:
        """Run jobs until the server stops; a job that fails is marked failed and the next one runs."""
        while True:
            job_id = await self.queue.get()
            try:
                await self._run(self.store.load(job_id))
            except asyncio.CancelledError:
                if asyncio.current_task().cancelling():
                    raise  # the server stops: the job is taken up again at the next start
                self._failed(job_id, "cancelled by an error in the worker pool")
            except Exception as exc:  # noqa: BLE001 - one job failing must not stop the others
                self._failed(job_id, f"{type(exc).__name__}: {exc}")

    def _failed(self, job_id: str, reason: str) -> None:
        reason = redact(reason, [os.environ.get("OPENAI_API_KEY")])
        log.error("job %s failed: %s", job_id, reason)
        try:
            job = self.store.load(job_id)
            job.status, job.error, job.finished_at = "failed", reason, now()
            self.store.save(job)
            self._notify(job)
        except Exception as exc:  # noqa: BLE001 - the runner goes on whatever the disk says
            log.error("job %s: cannot record its failure: %s", job_id, type(exc).__name__)

    async def _run(self, job: Job) -> None:
        if job.status in FINISHED:
            return
        if job.id in self.cancelled or job.cancel_requested:
            return self._finish(job, "cancelled")
        self.current = job.id
        try:
            job.status = "running"
            self.store.save(job)
            engine = job.spec.build()
            ledger = self.store.ledger(job)
            entries = ledger.load()
            todo = [i for i in self.store.items(job) if i["custom_id"] not in entries]
            summary = BatchSummary(out=str(ledger.path), engine=engine.name, model=engine.model,
                                   prompt=engine.prompt_id, total=job.total)
            recorder = Recorder(ledger, summary, load_prices(None), BatchProgress(False), job.language,
                                priced=engine.capabilities.priced, endpoint=engine.endpoint)
            try:
                await self._items(job, todo, recorder)
            finally:
                ledger.close()
            self._finish(job, "cancelled" if job.id in self.cancelled else "done")
        finally:
            self.current = None

    async def _items(self, job: Job, todo: list[dict], recorder: Recorder) -> None:
        """Every item, at most ``workers`` at a time; an item that fails in any way is recorded failed
        (so no item outlives the job, and the ledger is closed only when all are done)."""
        slots = asyncio.Semaphore(self.pool.workers)

        async def one(item: dict) -> None:
            async with slots:
                if job.id in self.cancelled:
                    return
                try:
                    outcome = await self._outcome(job, item)
                except Exception as exc:  # noqa: BLE001 - a dead worker, a broken pool: this item failed
                    outcome = ("failed", tasks.portable(exc), None, None)
                entry = Item(item["custom_id"], item.get("url") or f"<{item['custom_id']}>",
                             path=item.get("url"), text=item.get("text"))
                if outcome[0] == "done":
                    recorder.done(entry, Analysis.model_validate_json(outcome[1]))
                else:
                    recorder.failed(entry, outcome[1], article_sha256=outcome[2], input_sha256=outcome[3])

        await asyncio.gather(*(one(item) for item in todo))

    async def _outcome(self, job: Job, item: dict) -> tuple:
        future = self.pool.submit(tasks.job_item, job.task, item, job.spec, job.language)
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.timeout)
        except asyncio.TimeoutError:
            future.cancel()
            return "failed", TimeoutError(f"the analysis did not finish within {self.timeout:g} s"), None, None

    def _finish(self, job: Job, status: str) -> None:
        job.status, job.finished_at = status, now()
        self.store.save(job)
        self._notify(job)

    def _notify(self, job: Job) -> None:
        """POST the job's status to its webhook, in a thread: the runner goes on."""
        if not job.webhook:
            return
        payload = job_out(job, self.store).model_dump(mode="json")
        from verifier.service.webhooks import deliver

        asyncio.get_running_loop().run_in_executor(
            None, lambda: deliver(job.webhook, payload, allow_private=self.allow_private, secret=self.webhook_secret))
