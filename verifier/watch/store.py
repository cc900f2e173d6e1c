"""The watch database: one SQLite file (stdlib ``sqlite3``), WAL, versioned by ``PRAGMA user_version``.

Tables (``docs/watch.md``): ``sources`` (an address watched: an article, or a feed and the items it
lists), ``versions`` (each distinct extracted text of a source, numbered 1..n), ``analyses`` (a
version's analysis JSON with its provenance) and ``diffs`` (a version against the one before it).

Two watchers may share a file: every connection waits up to ``BUSY_TIMEOUT`` for a lock, and a new
version is written in one ``BEGIN IMMEDIATE`` transaction that reads the source's latest version first
(``add_version``): the second watcher to arrive sees the text already stored and adds nothing.  A
version's number is unique per source (``UNIQUE(source_id, number)``).  A version, its analysis and its
diff go in together when they can; one left without them (a pass killed between two transactions, an
analysis that failed) is completed by the next pass (``unfinished``).
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from verifier.errors import InputError

BUSY_TIMEOUT = 30.0  # seconds a connection waits for another watcher's write

MIGRATIONS = [
    # 1: the four tables
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('article', 'feed')),
        parent_id INTEGER REFERENCES sources(id),
        in_feed INTEGER NOT NULL DEFAULT 1,
        added_at TEXT NOT NULL,
        fetched_at TEXT,
        last_status TEXT,
        etag TEXT,
        last_modified TEXT,
        last_error TEXT
    );
    CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        number INTEGER NOT NULL,
        text TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        final_url TEXT,
        title TEXT,
        UNIQUE (source_id, number)
    );
    CREATE TABLE analyses (
        version_id INTEGER PRIMARY KEY REFERENCES versions(id),
        engine TEXT NOT NULL,
        model TEXT NOT NULL,
        prompt TEXT NOT NULL,
        analysis_json TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE diffs (
        version_id INTEGER PRIMARY KEY REFERENCES versions(id),
        previous_id INTEGER NOT NULL REFERENCES versions(id),
        diff_json TEXT NOT NULL,
        summary TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Source:
    id: int
    url: str
    kind: str
    parent_id: int | None
    in_feed: bool
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class StoredVersion:
    id: int
    source_id: int
    url: str
    number: int
    text: str
    text_sha256: str
    fetched_at: str
    final_url: str | None
    title: str | None


class Store:
    """One connection to the watch database (``path`` created unless ``must_exist``)."""

    def __init__(self, path: Path, *, must_exist: bool = False):
        path = Path(path)
        if must_exist and not path.is_file():
            raise InputError(f"{path}: no watch database there (create one with `verifier watch URL --db {path}`)")
        if path.is_dir():
            raise InputError(f"{path}: is a directory, not a watch database")
        path.parent.mkdir(parents=True, exist_ok=True)
        ends = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                self.db = self._open(path)
                break
            except sqlite3.OperationalError as exc:
                # switching a new file to WAL takes a lock the busy handler does not wait for: two
                # watchers creating one database at once; the file is whole, so try again
                if "locked" not in str(exc) or time.monotonic() > ends:
                    raise InputError(f"{path}: not a usable watch database ({exc})") from None
                time.sleep(0.05)
            except sqlite3.DatabaseError as exc:
                raise InputError(f"{path}: not a usable watch database ({exc})") from None
        self.path = path

    def _open(self, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
            self.db = db
            self._migrate()
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        with self.transaction():
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise InputError(f"the watch database is of a newer schema ({version}) than this verifier knows "
                                 f"({len(MIGRATIONS)}); upgrade verifier")
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self):
        """``BEGIN IMMEDIATE``: the write lock is taken first, so what is read inside stays true."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ---------------------------------------------------------------- sources

    def source(self, url: str, kind: str = "article", parent_id: int | None = None) -> Source:
        """The source for ``url``, added if new (a known one keeps its kind and parent; back in its feed)."""
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO sources (url, kind, parent_id, added_at) VALUES (?, ?, ?, ?)",
                       (url, kind, parent_id, now()))
            if parent_id is not None:
                db.execute("UPDATE sources SET in_feed = 1 WHERE url = ?", (url,))
            else:
                db.execute("UPDATE sources SET kind = ? WHERE url = ?", (kind, url))
        return self.find(url)

    def find(self, url: str) -> Source | None:
        row = self.db.execute("SELECT id, url, kind, parent_id, in_feed, etag, last_modified FROM sources "
                              "WHERE url = ?", (url,)).fetchone()
        return Source(row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6]) if row else None

    def items(self, feed_id: int) -> list[Source]:
        """The items of a feed it still lists."""
        rows = self.db.execute("SELECT url FROM sources WHERE parent_id = ? AND in_feed = 1 ORDER BY id",
                               (feed_id,)).fetchall()
        return [self.find(r[0]) for r in rows]

    def leave_feed(self, feed_id: int, listed: list[str]) -> list[str]:
        """Mark the feed's items it no longer lists (kept, not fetched from it again); their urls."""
        gone = [s.url for s in self.items(feed_id) if s.url not in set(listed)]
        with self.transaction() as db:
            db.executemany("UPDATE sources SET in_feed = 0 WHERE url = ?", [(u,) for u in gone])
        return gone

    def fetched(self, source_id: int, status: str, *, etag: str | None = None, last_modified: str | None = None,
                error: str | None = None, validators: bool = False) -> None:
        """Record a fetch: its status (``200``, ``304``, ``error``, ``robots``), its error, its validators."""
        with self.transaction() as db:
            db.execute("UPDATE sources SET fetched_at = ?, last_status = ?, last_error = ? WHERE id = ?",
                       (now(), status, error, source_id))
            if validators:
                db.execute("UPDATE sources SET etag = ?, last_modified = ? WHERE id = ?",
                           (etag, last_modified, source_id))

    # ---------------------------------------------------------------- versions

    def add_version(self, source_id: int, text: str, sha: str, *, etag: str | None, last_modified: str | None,
                    final_url: str | None, title: str | None, analysis=None, diff=None) -> StoredVersion | None:
        """A new version when ``sha`` differs from the latest one's (None when it does not), with its
        ``analysis`` (an ``Analysis``) and ``diff`` (``(previous_id, DiffOutput, summary)``) in the same
        transaction; a diff against a version that is no longer the latest is left for ``unfinished``."""
        with self.transaction() as db:
            latest = db.execute("SELECT id, number, text_sha256 FROM versions WHERE source_id = ? "
                                "ORDER BY number DESC LIMIT 1", (source_id,)).fetchone()
            if latest and latest[2] == sha:
                return None
            number = latest[1] + 1 if latest else 1
            cur = db.execute("INSERT INTO versions (source_id, number, text, text_sha256, fetched_at, etag, "
                             "last_modified, final_url, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (source_id, number, text, sha, now(), etag, last_modified, final_url, title))
            version_id = cur.lastrowid
            if analysis is not None:
                self._put_analysis(version_id, analysis)
            if diff is not None and latest and diff[0] == latest[0]:
                self._put_diff(version_id, *diff)
        return self.version_by_id(version_id)

    def put_analysis(self, version_id: int, analysis) -> None:
        with self.transaction():
            self._put_analysis(version_id, analysis)

    def put_diff(self, version_id: int, previous_id: int, diff, summary: str) -> None:
        with self.transaction():
            self._put_diff(version_id, previous_id, diff, summary)

    def _put_analysis(self, version_id: int, analysis) -> None:
        p = analysis.provenance
        self.db.execute("INSERT OR REPLACE INTO analyses (version_id, engine, model, prompt, analysis_json, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (version_id, p.engine, p.model, p.prompt,
                                                      analysis.model_dump_json(), now()))

    def _put_diff(self, version_id: int, previous_id: int, diff, summary: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO diffs (version_id, previous_id, diff_json, summary, created_at) "
                        "VALUES (?, ?, ?, ?, ?)", (version_id, previous_id, diff.model_dump_json(), summary, now()))

    _VERSION = ("SELECT v.id, v.source_id, s.url, v.number, v.text, v.text_sha256, v.fetched_at, v.final_url, "
                "v.title FROM versions v JOIN sources s ON s.id = v.source_id ")

    def version_by_id(self, version_id: int) -> StoredVersion | None:
        row = self.db.execute(self._VERSION + "WHERE v.id = ?", (version_id,)).fetchone()
        return StoredVersion(*row) if row else None

    def version(self, url: str, number: int) -> StoredVersion | None:
        row = self.db.execute(self._VERSION + "WHERE s.url = ? AND v.number = ?", (url, number)).fetchone()
        return StoredVersion(*row) if row else None

    def versions(self, url: str) -> list[StoredVersion]:
        rows = self.db.execute(self._VERSION + "WHERE s.url = ? ORDER BY v.number", (url,)).fetchall()
        return [StoredVersion(*r) for r in rows]

    def latest(self, source_id: int) -> StoredVersion | None:
        row = self.db.execute(self._VERSION + "WHERE v.source_id = ? ORDER BY v.number DESC LIMIT 1",
                              (source_id,)).fetchone()
        return StoredVersion(*row) if row else None

    def previous(self, v: StoredVersion) -> StoredVersion | None:
        row = self.db.execute(self._VERSION + "WHERE v.source_id = ? AND v.number < ? ORDER BY v.number DESC "
                              "LIMIT 1", (v.source_id, v.number)).fetchone()
        return StoredVersion(*row) if row else None

    def analysis_json(self, version_id: int) -> str | None:
        row = self.db.execute("SELECT analysis_json FROM analyses WHERE version_id = ?", (version_id,)).fetchone()
        return row[0] if row else None

    def diff_row(self, version_id: int) -> tuple[int, str, str] | None:
        """``(previous_id, diff_json, summary)`` of a version's stored diff."""
        row = self.db.execute("SELECT previous_id, diff_json, summary FROM diffs WHERE version_id = ?",
                              (version_id,)).fetchone()
        return tuple(row) if row else None

    def unfinished(self) -> list[StoredVersion]:
        """Versions missing their analysis, or their diff (all but a source's first)."""
        rows = self.db.execute(
            self._VERSION + "WHERE v.id NOT IN (SELECT version_id FROM analyses) OR (v.number > 1 AND v.id NOT IN "
            "(SELECT version_id FROM diffs)) ORDER BY v.id").fetchall()
        return [StoredVersion(*r) for r in rows]

    def changes(self) -> list[tuple[str, int, int, str, str]]:
        """Every stored diff: ``(url, number, previous number, fetched_at, summary)``, newest first."""
        return self.db.execute(
            "SELECT s.url, v.number, p.number, v.fetched_at, d.summary FROM diffs d JOIN versions v ON v.id = "
            "d.version_id JOIN versions p ON p.id = d.previous_id JOIN sources s ON s.id = v.source_id "
            "ORDER BY v.fetched_at DESC, v.id DESC").fetchall()


def loads(text: str | None):
    return json.loads(text) if text else None
