"""The analysis cache under concurrent processes, and a cache that cannot work.

Several real processes (spawned, as batch workers are) write to one cache file
at the same moment; nothing may be lost, no value may be torn and no write may
fail with "database is locked".  A corrupt or unusable cache costs one warning,
never the analysis.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from verifier.analysis import cache as cache_module
from verifier.analysis.cache import Cache, CacheKey

PAD = "é" * 3000  # a few pages per value: writes take long enough to overlap
WAIT = 60  # seconds: a hung worker fails the test instead of blocking the run


def _key(name: str) -> CacheKey:
    return CacheKey(article_sha256=name, engine="offline", model="m", prompt="analyze@v1", output_language=None)


def _value(worker: int, i: int) -> dict:
    return {"worker": worker, "i": i, "draft": {"text": f"{worker}/{i} {PAD}"}}


def _warnings_of_this_process() -> list[str]:
    """Collect the cache's warnings (a failed write is only a warning)."""
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    logging.getLogger("verifier").addHandler(Collect())
    return seen


def _write(path: str, worker: int, keys: list[str], start, results) -> None:
    warnings = _warnings_of_this_process()
    cache = Cache(Path(path))
    start.wait(WAIT)
    for i, name in enumerate(keys):
        cache.put(_key(name), _value(worker, i))
    results.put((worker, warnings))


def _read(path: str, worker: int, keys: list[str], start, results) -> None:
    """Read the keys over and over while others write them; record what was seen."""
    warnings = _warnings_of_this_process()
    cache = Cache(Path(path))
    start.wait(WAIT)
    seen = []
    for _ in range(20):
        seen.extend(cache.get(_key(name)) for name in keys)
    results.put((worker, warnings, seen))


def _run(jobs: list[tuple]) -> list[tuple]:
    """Start one spawned process per (target, args...) job, released together."""
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(len(jobs)), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, start, results)) for target, *args in jobs]
    for p in procs:
        p.start()
    try:
        out = [results.get(timeout=WAIT) for _ in procs]
    finally:
        for p in procs:
            p.join(WAIT)
    assert all(p.exitcode == 0 for p in procs)
    return sorted(out, key=lambda r: r[0])


def _rows(path: Path) -> dict[str, dict]:
    with sqlite3.connect(path) as conn:
        return {k: json.loads(v) for k, v in conn.execute("SELECT key, result FROM analyses")}


def test_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "cache" / "analyses.sqlite3"  # created by whichever process comes first
    workers, n = 3, 150
    keys = {w: [f"w{w}-{i}" for i in range(n)] for w in range(workers)}
    results = _run([(_write, str(path), w, keys[w]) for w in range(workers)])
    assert [warnings for _, warnings in results] == [[]] * workers  # no "database is locked"
    rows = _rows(path)
    assert len(rows) == workers * n
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reader = Cache(path)
    for w in range(workers):
        for i, name in enumerate(keys[w]):
            assert reader.get(_key(name)) == _value(w, i)


def test_a_reader_sees_whole_values_while_another_process_writes(tmp_path):
    path = tmp_path / "analyses.sqlite3"
    keys = [f"k{i}" for i in range(100)]
    Cache(path).put(_key(keys[0]), _value(0, 0))  # the file exists: the reader starts reading at once
    (_, write_warnings), (_, read_warnings, seen) = _run([(_write, str(path), 0, keys), (_read, str(path), 1, keys)])
    assert write_warnings == [] and read_warnings == []
    whole = [_value(0, i) for i in range(len(keys))]
    assert all(value is None or value in whole for value in seen)
    assert any(value is not None for value in seen)
    assert len(_rows(path)) == len(keys)


def test_processes_writing_the_same_key_leave_one_whole_value(tmp_path):
    path = tmp_path / "analyses.sqlite3"
    n = 100
    results = _run([(_write, str(path), w, ["same"] * n) for w in range(2)])
    assert [warnings for _, warnings in results] == [[], []]
    rows = _rows(path)
    assert len(rows) == 1
    # the last write wins: each process's last value is the only one that can be left
    assert list(rows.values())[0] in (_value(0, n - 1), _value(1, n - 1))


def test_a_lock_held_too_long_costs_one_warning_not_the_analysis(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT", 0.2)
    monkeypatch.setattr(cache_module, "LOCKED_RETRIES", 1)
    path = tmp_path / "analyses.sqlite3"
    cache = Cache(path)
    cache.put(_key("before"), _value(0, 0))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing, and not finishing
    try:
        with caplog.at_level(logging.WARNING, logger="verifier"):
            cache.put(_key("a"), _value(0, 1))
            cache.put(_key("b"), _value(0, 2))
        assert cache.get(_key("before")) == _value(0, 0)  # reading does not wait for a writer
    finally:
        other.rollback()
        other.close()
    assert [r.getMessage() for r in caplog.records] == [
        f"warning: could not write the cache {path} (database is locked); results are not cached"]


def _unusable(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "c" / "analyses.sqlite3"
    path.parent.mkdir()
    if kind == "corrupt":
        path.write_bytes(b"not a database " * 500)
    elif kind == "a directory":
        path.mkdir()
    elif kind == "under a file":
        path.parent.rmdir()
        path.parent.write_text("a file where the cache directory should be")
    return path


@pytest.mark.parametrize("kind", ["a directory", "under a file"])
def test_an_unusable_cache_costs_one_warning(tmp_path, caplog, kind):
    cache = Cache(_unusable(tmp_path, kind))
    with caplog.at_level(logging.WARNING, logger="verifier"):
        for i in range(3):
            assert cache.get(_key("k")) is None
            cache.put(_key("k"), _value(0, i))
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert message.startswith("warning: cache ") and "continuing without it" in message and "\n" not in message


def test_a_corrupt_cache_file_is_moved_aside_once_and_rebuilt(tmp_path, caplog):
    path = _unusable(tmp_path, "corrupt")
    cache = Cache(path)
    with caplog.at_level(logging.WARNING, logger="verifier"):
        assert cache.get(_key("k")) is None
        cache.put(_key("k"), _value(0, 0))
        assert cache.get(_key("k")) == _value(0, 0)
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert message.startswith(f"warning: cache {path} was corrupt (file is not a database); moved aside to "
                              "analyses.sqlite3.corrupt-") and "\n" not in message
    aside = [p for p in path.parent.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"not a database")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="verifier"):  # the next run
        assert Cache(path).get(_key("k")) == _value(0, 0)
    assert caplog.records == []


def test_a_corrupt_entry_is_moved_aside_and_only_it(tmp_path, caplog):
    path = tmp_path / "c" / "analyses.sqlite3"
    Cache(path).put(_key("bad"), _value(0, 0))
    Cache(path).put(_key("good"), _value(0, 1))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE analyses SET result = '{\"draft\": ' WHERE key = ?", (_key("bad").digest,))
    cache = Cache(path)
    with caplog.at_level(logging.WARNING, logger="verifier"):
        assert cache.get(_key("bad")) is None
        assert cache.get(_key("good")) == _value(0, 1)  # the rest of the cache is still read
        assert cache.get(_key("bad")) is None
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        f"warning: cache {path}: entry {_key('bad').digest[:12]} was unreadable"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT key FROM set_aside").fetchall() == [(_key("bad").digest,)]


def test_a_read_only_cache_directory_is_read_but_not_written(tmp_path, caplog):
    path = tmp_path / "c" / "analyses.sqlite3"
    Cache(path).put(_key("old"), _value(0, 0))
    path.parent.chmod(0o500)
    path.chmod(0o400)
    try:
        probe = path.parent / "probe"
        try:
            probe.touch()
        except PermissionError:
            pass
        else:
            pytest.skip("file permissions are not enforced for this user (root)")
        cache = Cache(path)
        with caplog.at_level(logging.WARNING, logger="verifier"):
            for i in range(3):
                cache.put(_key("new"), _value(0, i))
                assert cache.get(_key("old")) == _value(0, 0)
        assert [r.getMessage() for r in caplog.records] == [
            f"warning: could not write the cache {path} (attempt to write a readonly database); "
            "results are not cached"]
    finally:
        path.parent.chmod(0o700)
        path.chmod(0o600)
