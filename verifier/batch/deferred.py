"""``--batch-api``: the provider's Batch API instead of live requests.

The engine's Batch API (``Capabilities.batch_api``; the llm engine's is
``engines/llm/batch_api.py``) takes one request line per article not
already finished or cached; lines go up in batches within the provider's
limits, each batch is polled, its answers are validated, grounded and
recorded like live ones by the analysis pipeline.  No re-ask is possible:
a schema-invalid answer is a failure that ``--retry-failed`` can send live.
An article too long for one request is recorded as failed at once, with
the reason: only the live path splits articles into chunks.  Submitted
batches are written to ``OUT.batches.json`` before polling starts, so an
interrupted run never submits twice: re-running the same command picks up
the batches still in flight and collects their results.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from verifier.analysis.pipeline import Pipeline
from verifier.batch.inputs import Item
from verifier.batch.recorder import Recorder
from verifier.engines.base import BatchApiEngine
from verifier.errors import ConfigError, InputError, UpstreamError
from verifier.storage import write_atomic


@dataclass
class Submitted:
    id: str
    requests: dict[str, str]  # custom_id -> item id
    collected: bool = False


def state_path(out: Path) -> Path:
    return out.with_name(out.name + ".batches.json")


def load_state(path: Path) -> list[Submitted]:
    if not path.exists():
        return []
    try:
        return [Submitted(**b) for b in json.loads(path.read_text("utf-8"))["batches"]]
    except (ValueError, KeyError, TypeError):
        raise ConfigError(f"{path}: not a batch state file; move it away to start over") from None


def save_state(path: Path, batches: list[Submitted]) -> None:
    write_atomic(path, json.dumps({"batches": [b.__dict__ for b in batches]}, indent=1, ensure_ascii=False))


def run_deferred(todo: list[Item], pipeline: Pipeline, recorder: Recorder, poll_interval: float) -> None:
    engine: BatchApiEngine = pipeline.engine  # Capabilities.batch_api
    api = engine.batch_api()
    language = pipeline.options.output_language
    path = state_path(Path(recorder.summary.out))
    batches = load_state(path)
    by_id = {item.id: item for item in todo}
    waiting = {rid for b in batches if not b.collected for rid in b.requests.values()}
    lines: dict[str, tuple[Item, bytes]] = {}
    for item in todo:
        if item.id in waiting:
            continue
        article = recorder.read(item)
        if article is None:
            continue
        cached = pipeline.lookup(article)
        if cached is not None:
            recorder.done(item, pipeline.finish(article, cached, cached=True))
            continue
        reason = api.too_long(article, language)
        if reason:
            recorder.failed(item, InputError(f"{article.source}: {reason}"), article_sha256=article.sha256,
                            input_sha256=article.input_sha256)
            continue
        custom_id = f"r{len(lines) + 1}-{article.sha256[:12]}"
        lines[custom_id] = (item, api.request(custom_id, article, language))
    for chunk in _chunks(lines, api.max_requests, api.max_bytes):
        batch_id = api.submit(b"".join(lines[c][1] for c in chunk))
        batches.append(Submitted(batch_id, {c: lines[c][0].id for c in chunk}))
        save_state(path, batches)
        recorder.progress.note(f"submitted batch {batch_id} ({len(chunk)} requests)")
    recorder.summary.batch_api = [b.id for b in batches if not b.collected]
    try:
        for submitted in [b for b in batches if not b.collected]:
            status = _wait(api, submitted, poll_interval, recorder)
            _collect(api, status, submitted, by_id, pipeline, recorder)
            submitted.collected = True
            save_state(path, batches)
    except KeyboardInterrupt:
        recorder.summary.interrupted = True
        recorder.progress.note(f"interrupted: the batches keep running at the provider; run the same "
                               f"command again to collect them (state in {path})")


def _chunks(lines: dict[str, tuple[Item, bytes]], max_requests: int, max_bytes: int) -> list[list[str]]:
    chunks: list[list[str]] = []
    size = 0
    for custom_id, (_item, raw) in lines.items():
        if not chunks or len(chunks[-1]) >= max_requests or size + len(raw) > max_bytes:
            chunks.append([])
            size = 0
        chunks[-1].append(custom_id)
        size += len(raw)
    return chunks


def _wait(api, submitted: Submitted, interval: float, recorder: Recorder):
    last = None
    while True:
        batch = api.status(submitted.id)
        line = f"batch {batch.id}: {batch.status}" + (f" ({batch.done}/{batch.total})" if batch.total else "")
        if line != last:
            recorder.progress.note(line)
            last = line
        if batch.finished:
            return batch
        time.sleep(interval)


def _collect(api, batch, submitted: Submitted, by_id: dict[str, Item], pipeline: Pipeline,
             recorder: Recorder) -> None:
    answered = api.results(batch)
    for custom_id, item_id in submitted.requests.items():
        item = by_id.get(item_id)
        if item is None:
            continue  # finished meanwhile, or no longer among the inputs
        entry = answered.get(custom_id)
        if entry is None:
            reason = f"batch {batch.id} ended {batch.status} without answering it"
            recorder.failed(item, UpstreamError(reason + (f" ({batch.errors})" if batch.errors else "")),
                            input_sha256=item.input_sha256())
            continue
        article = recorder.read(item)
        if article is None:
            continue
        try:
            result = api.answer(entry)
        except UpstreamError as exc:
            recorder.failed(item, exc, article_sha256=article.sha256, input_sha256=article.input_sha256)
            continue
        recorder.done(item, pipeline.finish(article, result))
