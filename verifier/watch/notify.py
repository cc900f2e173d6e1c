"""``--webhook``: each event posted in a background thread, so a slow receiver never holds the pass.

``Notifier(send)`` takes the sender (``verifier/service/webhooks.py``'s ``deliver``, given by the CLI:
signed, retried within its deadline); ``close(wait)`` waits at most ``wait`` seconds for what is still
queued, then leaves it (the thread is a daemon)."""

from __future__ import annotations

import queue
import threading
import time
from typing import Callable

_STOP = object()


class Notifier:
    def __init__(self, send: Callable[[dict], object]):
        self._send = send
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="verifier-webhook", daemon=True)
        self._thread.start()

    def post(self, payload: dict) -> None:
        self._queue.put(payload)

    def _run(self) -> None:
        while True:
            payload = self._queue.get()
            if payload is _STOP:
                return
            try:
                self._send(payload)
            except Exception:  # the sender logs its own failures; nothing may end the thread
                pass

    def close(self, wait: float = 5.0) -> bool:
        """Wait up to ``wait`` seconds for the queued events; True when all went."""
        self._queue.put(_STOP)
        ends = time.monotonic() + wait
        self._thread.join(max(0.0, ends - time.monotonic()))
        return not self._thread.is_alive()
