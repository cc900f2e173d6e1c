"""A parent for ``tests/test_lifeline.py``: starts workers, prints their pids, then waits to be killed.

``python -m tests.helpers.lifeline_parent pool``: two workers of ``lifeline.worker_pool`` (what the batch
and the service use); ``watchdog``: two spawned processes with the watchdog thread alone (no
``prctl``), the portable fallback."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time


def watchdog_only(parent: int) -> None:
    from verifier.batch import lifeline

    threading.Thread(target=lifeline._watch, args=(parent,), daemon=True).start()
    time.sleep(120)


def main(kind: str) -> None:
    if kind == "pool":
        from verifier.batch import lifeline

        pool = lifeline.worker_pool(2, None)
        pids = {pool.submit(os.getpid).result(timeout=60) for _ in range(8)}
        while len(pids) < 2:
            futures = [pool.submit(time.sleep, 0.2) for _ in range(2)]
            pids = {p.pid for p in lifeline.processes(pool)}
            for f in futures:
                f.result()
        pids = {p.pid for p in lifeline.processes(pool)}
    else:
        context = multiprocessing.get_context("spawn")
        procs = [context.Process(target=watchdog_only, args=(os.getpid(),)) for _ in range(2)]
        for p in procs:
            p.start()
        pids = {p.pid for p in procs}
    print(" ".join(map(str, sorted(pids))), flush=True)
    time.sleep(120)


if __name__ == "__main__":
    main(sys.argv[1])
