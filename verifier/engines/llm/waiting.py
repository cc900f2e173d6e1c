"""A line on stderr while a call to the endpoint takes long.

Off unless a front end turns it on (``enable``: the CLI does; the service and
the library stay quiet).  After ``FIRST`` (2) seconds without an answer, a
terminal gets a spinner line redrawn in place and erased when the answer
comes; anything else (a log, a pipe) gets one line ``verifier: waiting for
the endpoint… (N s)`` every ``EVERY`` (10) seconds, the first after 10 s, so
that a run that fails quickly still prints its one line of error.
"""

from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager
from typing import Iterator, TextIO

FIRST = 2.0
EVERY = 10.0
_SPIN = "|/-\\"
_enabled = False


def enable(first: float | None = None, every: float | None = None) -> None:
    """Show waits on stderr (the one of the moment), after ``first`` s, every ``every`` s."""
    global _enabled, FIRST, EVERY
    _enabled = True
    FIRST = first if first is not None else FIRST
    EVERY = every if every is not None else EVERY


def disable() -> None:
    global _enabled, FIRST, EVERY
    _enabled, FIRST, EVERY = False, 2.0, 10.0


@contextmanager
def shown() -> Iterator[None]:
    """Report the wait of the block, when enabled, from a daemon thread."""
    stream = sys.stderr
    if not _enabled or stream is None:
        yield
        return
    done = threading.Event()
    thread = threading.Thread(target=_report, args=(stream, done, time.monotonic()), daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(timeout=1.0)


def _report(stream: TextIO, done: threading.Event, start: float) -> None:
    tty = getattr(stream, "isatty", lambda: False)()
    if done.wait(FIRST if tty else EVERY):
        return
    turn, drawn = 0, False
    while not done.is_set():
        seconds = int(time.monotonic() - start)
        try:
            if tty:
                stream.write(f"\rverifier: waiting for the endpoint {_SPIN[turn % 4]} ({seconds} s)")
                drawn = True
            else:
                stream.write(f"verifier: waiting for the endpoint… ({seconds} s)\n")
            stream.flush()
        except (OSError, ValueError):
            return
        turn += 1
        if done.wait(0.25 if tty else EVERY):
            break
    if drawn:
        try:
            stream.write("\r\033[K")
            stream.flush()
        except (OSError, ValueError):
            pass
