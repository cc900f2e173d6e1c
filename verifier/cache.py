"""The analysis cache: one SQLite file under the user cache directory.

Key: SHA-256 over (article SHA-256, engine, model, prompt name@version,
output language).  Value: the engine's draft (before grounding, so grounding
improvements apply to cached answers) with its usage and response format.
WAL mode lets several processes read and write at once.  A cache that
cannot be opened or written is reported and skipped: it never costs a result.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from verifier.config import cache_dir

log = logging.getLogger("verifier")

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

    @contextmanager
    def _connect(self):
        with self._lock:
            if self._conn is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")  # WAL: durable across crashes of this process
                conn.execute(_SCHEMA)
                self._conn = conn
            with self._conn:  # one transaction
                yield self._conn

    def get(self, key: CacheKey) -> dict | None:
        try:
            with self._connect() as conn:
                row = conn.execute("SELECT result FROM analyses WHERE key = ?", (key.digest,)).fetchone()
        except (sqlite3.Error, OSError) as exc:
            log.warning("warning: cache %s unreadable (%s); continuing without it", self.path, exc)
            return None
        return json.loads(row[0]) if row else None

    def put(self, key: CacheKey, result: dict) -> None:
        try:
            self._put(key, result)
        except (sqlite3.Error, OSError) as exc:
            log.warning("warning: could not write the cache %s (%s)", self.path, exc)

    def _put(self, key: CacheKey, result: dict) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO analyses VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key.digest, datetime.now(timezone.utc).isoformat(timespec="seconds"),
                 key.article_sha256, key.engine, key.model, key.prompt, key.output_language,
                 json.dumps(result, ensure_ascii=False)),
            )
