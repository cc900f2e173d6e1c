"""The batch's output file: append-only JSONL, one ``BatchRecord`` per line.

Each record is written with one ``write`` as soon as its article is done, so
a crash or Ctrl-C loses nothing finished; the file is ``fsync``-ed at most
once a second and on close.  A line cut short by a crash (no final newline)
is dropped when the file is next opened.  The last line for an id wins.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from verifier.errors import ConfigError, InputError
from verifier.models import BatchRecord

log = logging.getLogger("verifier")
SYNC_EVERY = 1.0  # seconds between fsyncs


@dataclass(frozen=True)
class Entry:
    """What a re-run needs to know of an earlier record."""

    status: str
    article_sha256: str | None
    engine: str
    model: str
    prompt: str
    output_language: str | None
    error: str | None
    input_sha256: str | None
    endpoint: str | None = None  # None: local work, or a record written before endpoints were kept


class Ledger:
    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, Entry] = {}
        self._fd: int | None = None
        self._synced = 0.0

    def load(self) -> dict[str, Entry]:
        """Read earlier records (the last per id wins), repairing a cut-off last line."""
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a directory; --out takes a file")
        if not self.path.exists():
            return self.entries
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            keep = data.rfind(b"\n") + 1
            log.warning("warning: %s: dropping an unfinished last line (%d bytes) left by an interrupted run",
                        self.path, len(data) - keep)
            with open(self.path, "r+b") as fh:
                fh.truncate(keep)
            data = data[:keep]
        for number, line in enumerate(data.decode("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                self.entries[rec["id"]] = Entry(rec["status"], rec.get("article_sha256"), rec["engine"],
                                                rec["model"], rec["prompt"], rec.get("output_language"),
                                                rec.get("error"), rec.get("input_sha256"), rec.get("endpoint"))
            except (ValueError, KeyError, TypeError):
                raise ConfigError(f"{self.path}:{number}: not a batch record; is --out another file?") from None
        return self.entries

    def append(self, record: BatchRecord) -> None:
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        line = (record.model_dump_json(exclude_none=False) + "\n").encode("utf-8")
        view = memoryview(line)
        while view:
            view = view[os.write(self._fd, view):]
        self.entries[record.id] = Entry(record.status, record.article_sha256, record.engine, record.model,
                                        record.prompt, record.output_language, record.error, record.input_sha256,
                                        record.endpoint)
        now = time.monotonic()
        if now - self._synced >= SYNC_EVERY:
            os.fsync(self._fd)
            self._synced = now

    def close(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None
