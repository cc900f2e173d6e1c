"""The worker pool: analyses run in warm processes, off the event loop.

``workers`` processes (``spawn``, dying with the server, ``kill -9`` included:
``batch/lifeline.py``) each load the server's engine once
(``tasks.start``) and keep it.  ``run`` admits a request only while fewer
than ``workers + queue`` analyses are running or waiting; beyond that it
answers 429 with a ``Retry-After`` estimated from the recent analysis times.
Every request waits at most ``timeout`` seconds (504 after).  A worker that
dies takes its analyses with it (503) and the pool is rebuilt.  Jobs submit
through ``submit``, which skips admission: their own runner limits them.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from verifier.batch import lifeline
from verifier.service import tasks
from verifier.service.problems import Problem
from verifier.service.settings import ServiceSettings

log = logging.getLogger("verifier")


class WorkerPool:
    def __init__(self, settings: ServiceSettings):
        self.settings = settings
        self.workers = settings.workers
        self.limit = settings.workers + settings.queue
        self.busy = 0
        self._durations: deque[float] = deque(maxlen=20)
        self._probes: list[Future] = []
        self._executor: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the processes; each loads the engine (``warmed`` tells when all have)."""
        s = self.settings
        self._executor = lifeline.worker_pool(self.workers, tasks.start,
                                              (s.engine, s.use_cache, s.allow_private_urls))
        self._probes = [self._executor.submit(tasks.ready) for _ in range(self.workers)]

    async def warm(self, deadline: float) -> None:
        """Wait (at most ``deadline`` seconds) until every worker has loaded its models."""
        if self._executor is None:
            self.start()
        done, pending = await asyncio.wait([asyncio.wrap_future(p) for p in self._probes], timeout=deadline)
        for probe in done:
            if probe.exception() is not None:
                raise probe.exception()
        if pending:
            log.warning("warning: the workers did not load their models within %g s", deadline)

    @property
    def warmed(self) -> bool:
        return bool(self._probes) and all(p.done() and p.exception() is None for p in self._probes)

    def submit(self, fn, *args) -> Future:
        """``fn(*args)`` on a worker; a pool broken by a dead worker is rebuilt once, then used."""
        if self._executor is None:
            self.start()
        executor = self._executor
        try:
            return executor.submit(fn, *args)
        except BrokenProcessPool:
            self.rebuild(executor)
            return self._executor.submit(fn, *args)

    @property
    def broken(self) -> bool:
        return bool(self._executor is not None and getattr(self._executor, "_broken", False))

    def retry_after(self) -> int:
        """Seconds until a slot is likely free: the queue ahead times the mean analysis time, per worker."""
        mean = sum(self._durations) / len(self._durations) if self._durations else 2.0
        ahead = max(1, self.busy - self.workers + 1)
        return max(1, math.ceil(mean * ahead / self.workers))

    async def run(self, fn, *args):
        """``fn(*args)`` in a worker, admitted or refused (429), within the deadline (504).  An analysis
        counts as busy until its worker is done with it, even after its caller stopped waiting (504):
        the admission limit holds what the workers really carry."""
        if self.busy >= self.limit:
            raise Problem(429, f"the service is busy ({self.busy} analyses running or waiting); retry later",
                          kind="busy", headers={"Retry-After": str(self.retry_after())})
        loop = asyncio.get_running_loop()
        started = loop.time()
        future = self.submit_counted(fn, *args)
        executor = self._executor
        try:
            result = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.settings.timeout)
        except asyncio.TimeoutError:
            future.cancel()  # only if it has not started
            raise Problem(504, f"the analysis did not finish within {self.settings.timeout:g} s",
                          kind="timeout") from None
        except BrokenProcessPool:
            self.rebuild(executor)
            raise Problem(503, "a worker process died during the analysis; retry", kind="worker-died",
                          headers={"Retry-After": "5"}) from None
        self._durations.append(loop.time() - started)
        return result

    def submit_counted(self, fn, *args) -> Future:
        """``submit``, counted in ``busy`` (admission, /healthz) until the worker is done with it; on the
        event loop."""
        loop = asyncio.get_running_loop()
        self.busy += 1
        try:
            future = self.submit(fn, *args)
        except BaseException:
            self.busy -= 1
            raise
        future.add_done_callback(lambda _: loop.call_soon_threadsafe(self._release))
        return future

    def _release(self) -> None:
        self.busy -= 1

    def rebuild(self, failed: ProcessPoolExecutor | None) -> None:
        """Replace the pool ``failed`` (broken by a dead worker), unless another caller already did."""
        if failed is not self._executor:
            return
        log.warning("warning: a worker process died; restarting the workers")
        self._executor = None
        if failed is not None:
            lifeline.stop(failed)
        self.start()

    def stop(self) -> None:
        """Stop the workers now, even one still loading its models."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        lifeline.stop(executor, join=5)
