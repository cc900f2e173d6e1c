"""Worker processes that die with their parent, ``kill -9`` included.

``worker_pool`` builds the ``ProcessPoolExecutor`` (``spawn``) that a batch
(``pool.py``) and the HTTP service (``service/workers.py``) run their workers
in.  Each worker, before its own initializer:

* on Linux, asks the kernel for SIGKILL when its parent dies
  (``prctl(PR_SET_PDEATHSIG)``), then checks that its parent is still the
  one that started it (the parent may have died just before);
* everywhere, starts a watchdog thread that ends the process as soon as the
  pipe from its parent closes (``multiprocessing.parent_process().sentinel``)
  or its parent id changes;
* ignores Ctrl-C and SIGTERM, which are the parent's to handle: the parent
  stops its workers itself (``stop``).

``stop`` kills the workers of an executor now, even one still loading its
models (``shutdown`` forgets its processes, so they are read first).

``reap_on_death`` is for processes started by a library that does not tie
them all to this one (a local Ray): see ``reaper.py``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1
WATCH_EVERY = 1.0  # seconds between the watchdog's checks of the parent id


def worker_pool(max_workers: int, initializer, initargs: tuple = ()) -> ProcessPoolExecutor:
    """A spawn-context pool whose workers die with this process."""
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start, initargs=(os.getpid(), initializer, initargs))


def _start(parent: int, initializer, initargs: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    tie_to_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def tie_to_parent(parent: int) -> None:
    """End this process when ``parent`` (its parent's pid) ends."""
    if sys.platform.startswith("linux"):
        _death_signal()
    if os.getppid() != parent:  # the parent died before the death signal was set
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="lifeline", daemon=True).start()


def _death_signal() -> None:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the watchdog alone
        pass


def _watch(parent: int) -> None:
    from multiprocessing.connection import wait

    process = multiprocessing.parent_process()
    sentinel = getattr(process, "sentinel", None)
    while True:
        if sentinel is not None:
            try:
                if wait([sentinel], timeout=WATCH_EVERY) and _closed(sentinel):
                    os._exit(1)  # the pipe from the parent closed: it is gone
            except OSError:
                sentinel = None
        else:
            threading.Event().wait(WATCH_EVERY)
        if os.getppid() != parent:
            os._exit(1)


def _closed(sentinel) -> bool:
    """Whether a ready sentinel means the parent is gone: end of file on a pipe (POSIX), a
    signalled handle (Windows)."""
    if sys.platform == "win32":
        return True
    return os.read(sentinel, 1) == b""


def processes(executor: ProcessPoolExecutor) -> list:
    """The executor's worker processes (read before ``shutdown``, which forgets them)."""
    return list((getattr(executor, "_processes", None) or {}).values())


def stop(executor: ProcessPoolExecutor, join: float = 0.0) -> None:
    """Stop the executor's workers now (they ignore SIGTERM: killed), waiting ``join`` seconds for each."""
    workers = processes(executor)
    executor.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        try:
            process.kill()
        except (OSError, ValueError):  # already gone, or closed
            pass
    for process in workers:
        if join:
            try:
                process.join(join)
            except (OSError, ValueError, AssertionError):
                pass


def reap_on_death():
    """Linux: start ``reaper.py`` watching this process (its descendants are killed once it is gone,
    ``kill -9`` included); returns the reaper's ``Popen``, or None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    import subprocess
    from pathlib import Path

    return subprocess.Popen([sys.executable, "-S", str(Path(__file__).with_name("reaper.py")), str(os.getpid())],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, close_fds=True)
