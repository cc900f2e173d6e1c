"""The analysis cache: one SQLite file under the user cache directory.

Key: SHA-256 over (article SHA-256, engine, model, prompt name@version,
output language).  Value: the engine's draft (before grounding, so grounding
improvements apply to cached answers) with its usage and response format.
WAL mode lets several processes read and write at once: readers never wait,
writers take turns (``BEGIN IMMEDIATE``), and a writer waits up to
``BUSY_TIMEOUT`` seconds for another to finish.  A cache that cannot be opened,
read or written (corrupt file, unusable directory, disk full, a lock held too
long) is reported in one warning and skipped from then on: it never costs a
result.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from verifier.config import cache_dir

log = logging.getLogger("verifier")

BUSY_TIMEOUT = 30.0
"""Seconds a connection waits for another process's write before giving up."""
LOCKED_RETRIES = 6  # further tries of a write that still met "database is locked" (about 3 s in all)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS analyses (
    key TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    article_sha256 TEXT NOT NULL,
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt TEXT NOT NULL,
    output_language TEXT,
    result TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class CacheKey:
    article_sha256: str
    engine: str
    model: str
    prompt: str
    output_language: str | None

    @property
    def digest(self) -> str:
        raw = json.dumps([self.article_sha256, self.engine, self.model, self.prompt, self.output_language])
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class Cache:
    """One connection per ``Cache``, opened on first use and shared by its
    threads under a lock (a batch writes hundreds of results through it)."""

    def __init__(self, path: Path | None = None):
        self.path = path or cache_dir() / "analyses.sqlite3"
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._off: set[str] = set()  # "get"/"put" after a failure: warned once, then skipped

    @contextmanager
    def _connect(self):
        with self._lock:
            if self._conn is None:
                self._conn = self._open()
            with self._conn:  # one transaction
                yield self._conn

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE: a write transaction takes the write lock at BEGIN, where SQLite waits for it
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level="IMMEDIATE",
                               check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL: durable across crashes of this process
            conn.execute(_SCHEMA)
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _give_up(self, operation: str, message: str) -> None:
        """Warn once, then skip ``operation`` (both when the file never opened)."""
        with self._lock:
            if operation not in self._off:
                log.warning(message)
            self._off.update(("get", "put") if self._conn is None else (operation,))

    def get(self, key: CacheKey) -> dict | None:
        if "get" in self._off:
            return None
        try:
            with self._connect() as conn:
                row = conn.execute("SELECT result FROM analyses WHERE key = ?", (key.digest,)).fetchone()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, OSError, ValueError) as exc:
            self._give_up("get", f"warning: cache {self.path} unreadable ({exc}); continuing without it")
            return None

    def put(self, key: CacheKey, result: dict) -> None:
        if "put" in self._off:
            return
        try:
            for attempt in range(LOCKED_RETRIES + 1):
                try:
                    self._put(key, result)
                    break
                except sqlite3.OperationalError as exc:
                    # a lock SQLite does not wait for (WAL recovery, a journal-mode switch by another
                    # process opening the file): wait a little and try again
                    if attempt == LOCKED_RETRIES or "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                    time.sleep(0.05 * 2 ** attempt)
        except (sqlite3.Error, OSError) as exc:
            self._give_up("put", f"warning: could not write the cache {self.path} ({exc}); "
                          "results are not cached")

    def _put(self, key: CacheKey, result: dict) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO analyses VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key.digest, datetime.now(timezone.utc).isoformat(timespec="seconds"),
                 key.article_sha256, key.engine, key.model, key.prompt, key.output_language,
                 json.dumps(result, ensure_ascii=False)),
            )
