"""Jobs on disk: bulk analyses kept, and resumed after a restart (``job_runner.py`` runs them).

A job lives in ``DATA_DIR/jobs/<id>/``: ``job.json`` (what to do and its
status, rewritten atomically), ``items.jsonl`` (the items as submitted) and
``results.jsonl``, a batch ledger (``batch/ledger.py``): one ``BatchRecord``
per finished item, appended as soon as it is finished.  On start-up the
runner takes every job not finished up again and skips the items the
ledger already holds, so a server killed mid-job resumes it, finished
results survive restarts and no finished item is analysed again (an item
that was running when the server died is redone, from the analysis cache
if its analysis had been stored).  One server owns
a data directory at a time (a lock file).

Results are served in the OpenAI Batch API's output shape, one line per
item: ``{"id", "custom_id", "response": {"status_code", "body"}, "error"}``,
where ``body`` is what the task's route answers for that item.
"""

from __future__ import annotations

import fcntl
import json
import logging
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from verifier.batch.ledger import Ledger
from verifier.errors import ConfigError
from verifier.models import BatchRecord
from verifier.service.schemas import JobCounts, JobOut
from verifier.service.settings import EngineSpec
from verifier.storage import write_atomic

log = logging.getLogger("verifier")
FINISHED = ("done", "failed", "cancelled")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Job:
    id: str
    task: str
    engine: dict
    total: int
    created_at: str = field(default_factory=now)
    language: str | None = None
    webhook: str | None = None
    status: str = "queued"
    finished_at: str | None = None
    error: str | None = None
    owner: str | None = None  # the creating key's fingerprint (auth.fingerprint); None without keys
    cancel_requested: bool = False

    @property
    def spec(self) -> EngineSpec:
        return EngineSpec(**self.engine)


class JobStore:
    def __init__(self, root: Path):
        self.root = root / "jobs"
        self._lock_fd: int | None = None

    def lock(self) -> None:
        """Own the jobs folder, or refuse: two servers would run the same jobs twice."""
        import os

        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise ConfigError(f"another verifier serve runs the jobs in {self.root}; "
                              "give this one another --data-dir") from None
        self._lock_fd = fd

    def unlock(self) -> None:
        import os

        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _dir(self, job_id: str) -> Path:
        if not job_id.startswith("job_") or not job_id[4:].isalnum():
            raise KeyError(job_id)
        return self.root / job_id

    def create(self, task: str, spec: EngineSpec, items: list[dict], *, language: str | None,
               webhook: str | None, owner: str | None = None) -> Job:
        job = Job(id=f"job_{uuid.uuid4().hex}", task=task, engine=asdict(spec), total=len(items),
                  language=language, webhook=webhook, owner=owner)
        folder = self.root / job.id
        folder.mkdir(parents=True)
        write_atomic(folder / "items.jsonl", "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items))
        self.save(job)
        return job

    def save(self, job: Job) -> None:
        write_atomic(self._dir(job.id) / "job.json", json.dumps(asdict(job), ensure_ascii=False, indent=1))

    def load(self, job_id: str) -> Job:
        try:
            path = self._dir(job_id) / "job.json"
            return Job(**json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            raise KeyError(job_id) from None

    def items(self, job: Job) -> list[dict]:
        lines = (self._dir(job.id) / "items.jsonl").read_text("utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def ledger(self, job: Job) -> Ledger:
        return Ledger(self._dir(job.id) / "results.jsonl")

    def _finished_lines(self, job: Job) -> list[str]:
        """The ledger's complete lines, read only: a line being appended (no newline yet) is left for
        the runner, which repairs a line cut short by a crash when it takes the job up again."""
        try:
            data = (self._dir(job.id) / "results.jsonl").read_bytes()
        except FileNotFoundError:
            return []
        data = data[:data.rfind(b"\n") + 1]
        return [line for line in data.decode("utf-8", "replace").splitlines() if line.strip()]

    def records(self, job: Job) -> dict[str, BatchRecord]:
        """The finished items' records by custom_id (the last line for an id wins)."""
        out: dict[str, BatchRecord] = {}
        for line in self._finished_lines(job):
            record = BatchRecord.model_validate_json(line)
            out[record.id] = record
        return out

    def counts(self, job: Job) -> dict:
        status = {}
        for line in self._finished_lines(job):
            entry = json.loads(line)
            status[entry["id"]] = entry["status"]
        done = sum(s == "done" for s in status.values())
        failed = sum(s == "failed" for s in status.values())
        return {"total": job.total, "done": done, "failed": failed, "pending": job.total - done - failed}

    def unfinished(self) -> list[Job]:
        if not self.root.is_dir():
            return []
        jobs = []
        for folder in self.root.iterdir():
            try:
                job = self.load(folder.name)
            except KeyError:
                continue
            if job.status not in FINISHED:
                jobs.append(job)
        return sorted(jobs, key=lambda j: j.created_at)

    def result_lines(self, job: Job) -> Iterator[str]:
        """One Batch-API-shaped line per finished item, in the order the items were given."""
        records = self.records(job)
        for n, item in enumerate(self.items(job), 1):
            record = records.get(item["custom_id"])
            if record is not None:
                yield json.dumps(result_line(job, n, record), ensure_ascii=False) + "\n"


def job_out(job: Job, store: JobStore) -> JobOut:
    """The job as ``GET /v1/jobs/{id}`` answers it."""
    return JobOut(id=job.id, task=job.task, status=job.status, engine=job.engine.get("name"),
                  created_at=job.created_at, finished_at=job.finished_at, counts=JobCounts(**store.counts(job)),
                  error=job.error, webhook=job.webhook, results_url=f"/v1/jobs/{job.id}/results")


def result_line(job: Job, n: int, record: BatchRecord) -> dict:
    line = {"id": f"{job.id}-{n}", "custom_id": record.id, "response": None, "error": None}
    if record.status == "done" and record.analysis is not None:
        from verifier.analysis.views import view

        a = record.analysis
        body = a if job.task == "analyze" else view(job.task, a)
        line["response"] = {"status_code": 200, "body": json.loads(body.model_dump_json())}
    else:
        line["error"] = {"code": record.error_type or "internal", "message": record.error or "failed"}
    return line
