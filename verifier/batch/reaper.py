"""A reaper: once the process it watches has died (``kill -9`` included), it kills what were that
process's descendants (Linux, from ``/proc``).

A local Ray (``--backend ray``) starts processes of its own (GCS, raylet, agents, workers); the
raylet and the workers die with the driver, but the agents it starts do not, and would stay
behind, orphaned, after a ``kill -9`` of the batch.  ``lifeline.reap_on_death`` starts this file
as a script (stdlib only, no package import: it starts in milliseconds) in a session of its own,
so a Ctrl-C to the terminal's process group does not end it first.  While the watched process
lives, the reaper reads its descendants every ``EVERY`` seconds (pid and start time); when it is
gone, the ones still running with the same start time (not a reused pid) get SIGKILL, then the
reaper exits.  After a clean shutdown there is nothing left to kill.

Usage: python reaper.py PID
"""

from __future__ import annotations

import os
import signal
import sys
import time

EVERY = 0.5  # seconds between two looks at /proc


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time) of a process, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    fields = data[data.rfind(b")") + 2:].split()  # after "pid (comm) "
    return int(fields[1]), int(fields[19])


def descendants(root: int) -> dict[int, int]:
    """Every descendant of ``root`` now: pid -> start time."""
    children: dict[int, list[int]] = {}
    started: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = _stat(int(name))
            if stat is not None:
                children.setdefault(stat[0], []).append(int(name))
                started[int(name)] = stat[1]
    found, todo = {}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found and child != os.getpid():
                found[child] = started[child]
                todo.append(child)
    return found


def watch(pid: int) -> None:
    own = _stat(pid)
    if own is None:
        return
    known: dict[int, int] = {}
    while True:
        now = _stat(pid)
        if now is None or now[1] != own[1]:
            break
        known.update(descendants(pid))
        time.sleep(EVERY)
    for child, start in known.items():
        stat = _stat(child)
        if stat is not None and stat[1] == start:
            try:
                os.kill(child, signal.SIGKILL)
            except OSError:
                pass


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch(int(sys.argv[1]))
