"""Watches on disk: which addresses a client asked the service to watch, how often, and for whom.

A watch lives in ``DATA_DIR/watches/<id>.json`` (rewritten atomically): its addresses, its interval,
its owner (the creating key's fingerprint, as for jobs), an optional webhook, and when its last pass
ran and the next is due.  What its passes find (sources, versions, analyses, diffs) goes into a
watch database of its own, ``DATA_DIR/watches/<id>.db`` (``verifier/watch/store.py``): each watch
sees every version of its addresses as an event of its own, analysed by its own engine, even when
another client watches the same address (which is then fetched once for each).
A deleted watch keeps its file, marked deleted, so its id is never reused; its versions stay.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from verifier.service.job_store import now
from verifier.service.settings import EngineSpec
from verifier.storage import write_atomic


@dataclass
class Watch:
    id: str
    urls: list[str]
    every: float  # seconds between two passes
    engine: dict
    created_at: str = field(default_factory=now)
    owner: str | None = None
    webhook: str | None = None
    next_at: float = 0.0  # epoch seconds: the next pass is due then (0: at once)
    last_pass_at: str | None = None
    passes: int = 0
    events: int = 0
    last_failures: list[str] = field(default_factory=list)
    deleted: bool = False

    @property
    def spec(self) -> EngineSpec:
        return EngineSpec(**self.engine)


class WatchRegistry:
    def __init__(self, root: Path):
        self.root = root / "watches"

    def db(self, watch: Watch) -> Path:
        return self.root / f"{watch.id}.db"

    def _path(self, watch_id: str) -> Path:
        if not watch_id.startswith("watch_") or not watch_id[6:].isalnum():
            raise KeyError(watch_id)
        return self.root / f"{watch_id}.json"

    def create(self, urls: list[str], every: float, spec: EngineSpec, *, owner: str | None,
               webhook: str | None) -> Watch:
        watch = Watch(id=f"watch_{uuid.uuid4().hex}", urls=urls, every=every, engine=asdict(spec), owner=owner,
                      webhook=webhook)
        self.save(watch)
        return watch

    def save(self, watch: Watch) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomic(self._path(watch.id), json.dumps(asdict(watch), ensure_ascii=False, indent=1))

    def load(self, watch_id: str) -> Watch:
        try:
            return Watch(**json.loads(self._path(watch_id).read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            raise KeyError(watch_id) from None

    def active(self) -> list[Watch]:
        found = []
        for path in sorted(self.root.glob("watch_*.json")) if self.root.is_dir() else []:
            try:
                watch = self.load(path.stem)
            except KeyError:
                continue
            if not watch.deleted:
                found.append(watch)
        return found

    def due(self) -> list[Watch]:
        """Active watches whose next pass is due, the most overdue first."""
        moment = time.time()
        return sorted((w for w in self.active() if w.next_at <= moment), key=lambda w: w.next_at)
