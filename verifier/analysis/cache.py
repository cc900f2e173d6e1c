"""The analysis cache: one SQLite file under the user cache directory.

Key: SHA-256 over (article SHA-256, engine, model, prompt name@version,
output language, and the endpoint's base URL for an engine that sends
requests: answers from one endpoint are never replayed for another).  Value: the engine's draft (before grounding, so grounding
improvements apply to cached answers) with its usage and response format.
WAL mode lets several processes read and write at once: readers never wait,
writers take turns (``BEGIN IMMEDIATE``), and a writer waits up to
``BUSY_TIMEOUT`` seconds for another to finish.  A cache that cannot be opened,
read or written (corrupt file, unusable directory, disk full, a lock held too
long) is reported in one warning and skipped from then on: it never costs a
result.  What is corrupt is moved aside once, with one warning, and rebuilt:
an entry that does not parse goes to the ``set_aside`` table (the caller
analyses the article again and stores the new answer); a file that is not a
database, or a malformed one, is renamed ``analyses.sqlite3.corrupt-<time>``
and a new cache started.  The next run meets neither.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
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
_SET_ASIDE = """
CREATE TABLE IF NOT EXISTS set_aside (
    key TEXT NOT NULL,
    moved TEXT NOT NULL,
    reason TEXT NOT NULL,
    result TEXT
)
"""


@dataclass(frozen=True)
class CacheKey:
    article_sha256: str
    engine: str
    model: str
    prompt: str
    output_language: str | None
    endpoint: str | None = None  # the base URL the answer came from; None for local work

    @property
    def digest(self) -> str:
        fields = [self.article_sha256, self.engine, self.model, self.prompt, self.output_language]
        raw = json.dumps(fields + [self.endpoint] if self.endpoint is not None else fields)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class Cache:
    """One connection per ``Cache``, opened on first use and shared by its
    threads under a lock (a batch writes hundreds of results through it)."""

    def __init__(self, path: Path | None = None):
        self.path = path or cache_dir() / "analyses.sqlite3"
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._off: set[str] = set()  # "get"/"put" after a failure: warned once, then skipped
        self._identity: tuple[int, int] | None = None  # the opened file's (device, inode)
        self._renewed = False  # a corrupt file was moved aside once: not again

    @contextmanager
    def _connect(self):
        with self._lock:
            if self._conn is None:
                self._conn = self._open()
            with self._conn:  # one transaction
                yield self._conn

    def _open(self) -> sqlite3.Connection:
        try:
            return self._open_file()
        except sqlite3.DatabaseError as exc:
            if not self._move_aside(exc):
                raise
            return self._open_file()

    def _open_file(self) -> sqlite3.Connection:
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
        try:
            st = os.stat(self.path)
            self._identity = (st.st_dev, st.st_ino)
        except OSError:
            self._identity = None
        return conn

    def _move_aside(self, exc: sqlite3.DatabaseError) -> bool:
        """A corrupt file (not a database, malformed): rename it, with its WAL, beside itself, once,
        with one warning; whether a new one may be opened.  A file another process already replaced is
        left alone."""
        if self._renewed or not _corrupt(exc):
            return False
        self._renewed = True
        try:
            st = os.stat(self.path)
            if self._identity is None or self._identity == (st.st_dev, st.st_ino):
                aside = self.path.with_name(f"{self.path.name}.corrupt-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}")
                os.replace(self.path, aside)
                for suffix in ("-wal", "-shm"):
                    extra = self.path.with_name(self.path.name + suffix)
                    if extra.exists():
                        os.replace(extra, aside.with_name(aside.name + suffix))
                log.warning(f"warning: cache {self.path} was corrupt ({exc}); moved aside to {aside.name}, "
                            "starting a new one")
        except OSError:
            return False
        self._identity = None
        return True

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
            try:
                row = self._select(key)
            except sqlite3.DatabaseError as exc:
                with self._lock:
                    if self._conn is not None:
                        self._conn.close()
                        self._conn = None
                    renewed = self._move_aside(exc)
                if not renewed:
                    raise
                return None
        except (sqlite3.Error, OSError) as exc:
            self._give_up("get", f"warning: cache {self.path} unreadable ({exc}); continuing without it")
            return None
        if row is None:
            return None
        try:
            value = json.loads(row[0])
            if not isinstance(value, dict):
                raise ValueError(f"a {type(value).__name__}, not an object")
        except (ValueError, TypeError) as exc:
            self._set_aside(key, row[0], exc)
            return None
        return value

    def _select(self, key: CacheKey):
        with self._connect() as conn:
            return conn.execute("SELECT result FROM analyses WHERE key = ?", (key.digest,)).fetchone()

    def _set_aside(self, key: CacheKey, result, exc: Exception) -> None:
        """Move an entry that does not parse to the ``set_aside`` table, with one warning: it is
        analysed again and stored anew, and the next run does not meet it."""
        reason = " ".join(str(exc).split())
        try:
            with self._connect() as conn:
                conn.execute(_SET_ASIDE)
                conn.execute("INSERT INTO set_aside VALUES (?, ?, ?, ?)",
                             (key.digest, datetime.now(timezone.utc).isoformat(timespec="seconds"), reason,
                              result if isinstance(result, str) else repr(result)))
                conn.execute("DELETE FROM analyses WHERE key = ?", (key.digest,))
        except (sqlite3.Error, OSError) as exc2:
            log.warning(f"warning: cache {self.path}: entry {key.digest[:12]} is unreadable ({reason}) and could "
                        f"not be moved aside ({exc2}); analysing again")
            return
        log.warning(f"warning: cache {self.path}: entry {key.digest[:12]} was unreadable ({reason}); moved aside "
                    "(table set_aside), analysing again")

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


def _corrupt(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file itself is damaged (not busy, locked, read-only or unopenable)."""
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text
