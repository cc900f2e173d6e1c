"""The watch runner: each watch's passes, when due, one pass at a time, on the worker pool.

Started with the server (``app.py``).  Every second (or at once when a watch is created or asked for
a pass now: ``wake``) it takes the watches whose pass is due (``watch_registry.py``) and runs each
pass in a worker process (``tasks.watch_pass``: the library's ``run_pass`` on the shared watch
database, fetching through the service's address policy), within ``PASS_DEADLINE`` (the pass stops
itself between two addresses; the worker counts as busy while it runs).  After a pass
the watch records when it ran, what failed and when the next is due; each new version's event is
POSTed to the watch's webhook, if any, in a thread (retried, signed; the runner never waits on it).
A pass interrupted by a restart is simply due again: the watch database keeps what it had stored,
and the pass completes versions left without their analysis or diff.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

from verifier.service import tasks
from verifier.service.job_store import now
from verifier.service.watch_registry import Watch, WatchRegistry

log = logging.getLogger("verifier")
PASS_DEADLINE = 1800.0  # seconds a pass may take (a feed of many items, politely spaced)
GRACE = 300.0  # beyond it, for the address under way (its fetch and analysis have their own deadlines)
TICK = 1.0  # seconds between two looks for due watches


class WatchRunner:
    def __init__(self, registry: WatchRegistry, pool, *, allow_private: bool, webhook_secret: str | None = None,
                 delay: float = 1.0):
        self.registry, self.pool = registry, pool
        self.allow_private, self.webhook_secret, self.delay = allow_private, webhook_secret, delay
        self._wake = asyncio.Event()
        self.running: str | None = None

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self) -> None:
        while True:
            try:
                due = self.registry.due()
            except OSError as exc:  # the data dir unreadable for a moment: tried again at the next tick
                log.error("watches: cannot read the registry: %s", exc)
                due = []
            for watch in due:
                try:
                    await self._pass(watch)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - one watch failing must not stop the others
                    log.error("watch %s: the pass failed: %s", watch.id, type(exc).__name__)
                    try:
                        self._after(watch.id, [], [f"the pass failed: {type(exc).__name__}: {exc}"])
                    except Exception as again:  # noqa: BLE001 - e.g. its file gone, a full disk: the runner goes on
                        log.error("watch %s: cannot record the failed pass: %s", watch.id, type(again).__name__)
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), TICK)
            except asyncio.TimeoutError:
                pass

    async def _pass(self, watch: Watch) -> None:
        self.running = watch.id
        try:
            # the pass holds a worker: counted as busy (admission, /healthz) until the worker is done with it
            future = self.pool.submit_counted(tasks.watch_pass, str(self.registry.db(watch)), watch.urls,
                                              watch.spec, self.delay, self.allow_private, PASS_DEADLINE)
            try:  # the pass stops itself at PASS_DEADLINE (between two addresses); waited a little longer
                events, failures = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)),
                                                          PASS_DEADLINE + GRACE)
            except asyncio.TimeoutError:
                events, failures = [], [f"the pass did not finish within {PASS_DEADLINE + GRACE:g} s"]
        finally:
            self.running = None
        self._after(watch.id, events, failures)

    def _after(self, watch_id: str, events: list[str], failures: list[str]) -> None:
        try:
            watch = self.registry.load(watch_id)  # as it is now: it may have been deleted meanwhile
        except KeyError:
            log.error("watch %s: its file is gone; the pass is not recorded", watch_id)
            return
        watch.passes += 1
        watch.events += len(events)
        watch.last_pass_at, watch.last_failures = now(), failures[:50]
        watch.next_at = time.time() + watch.every
        self.registry.save(watch)
        if watch.webhook and events and not watch.deleted:
            from verifier.service.webhooks import deliver

            loop = asyncio.get_running_loop()
            for event in events:
                payload = {"watch": watch.id, **json.loads(event)}
                loop.run_in_executor(None, lambda p=payload: deliver(
                    watch.webhook, p, allow_private=self.allow_private, secret=self.webhook_secret))
