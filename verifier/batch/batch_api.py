"""``--batch-api``: the provider's Batch API instead of live requests.

Upload a JSONL of chat-completion requests (the bodies the live path
sends), create a batch, poll it, download
its output and error files, then validate, ground and record each answer
like a live one (no re-ask is possible: a schema-invalid answer is a
failure that ``--retry-failed`` can send live).  An article too long for
one request is recorded as failed at once, with the reason: only the live
path splits articles into chunks.  Submitted batches are
written to ``OUT.batches.json`` before polling starts, so an interrupted run
never submits twice: re-running the same command picks up the batches still
in flight and collects their results.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from verifier.analysis.pipeline import cached_result, finish
from verifier.batch.inputs import Item
from verifier.batch.recorder import Recorder
from verifier.errors import ConfigError, InputError, UpstreamError, redact
from verifier.models import AnalysisDraft, Usage
from verifier.engines.llm.retry import call_with_retries

ENDPOINT = "/v1/chat/completions"
MAX_REQUESTS = 50_000  # the Batch API's limits per batch
MAX_BYTES = 190 * 1024 * 1024
TERMINAL = ("completed", "failed", "expired", "cancelled")


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
    from verifier.storage import write_atomic

    write_atomic(path, json.dumps({"batches": [b.__dict__ for b in batches]}, indent=1, ensure_ascii=False))


def request_body(engine, article, output_language: str | None) -> dict:
    """The JSON body the live path POSTs for ``article`` (same messages, model,
    limits and response format)."""
    call = engine.start_call()
    messages = engine.messages_for(article, output_language)(call.schema_json(AnalysisDraft))
    args = engine.request_args(messages, call.fmt, {}, AnalysisDraft)
    del args["extra_headers"]
    return args


def too_long(engine, article, output_language: str | None) -> str | None:
    """Why ``article`` cannot be one Batch API line (it would need chunks,
    which only the live path sends), or None."""
    from verifier.engines.llm.long_articles import overflow

    over = overflow(engine, article, output_language)
    if over is None:
        return None
    return f"too long for --batch-api ({over[0]} tokens, limit {over[1]}); run without --batch-api"


def run_batch_api(todo: list[Item], engine, options, recorder: Recorder, cache) -> None:
    client = engine.client()
    path = state_path(Path(recorder.summary.out))
    batches = load_state(path)
    by_id = {item.id: item for item in todo}
    waiting = {rid for b in batches if not b.collected for rid in b.requests.values()}
    lines: dict[str, tuple[Item, bytes]] = {}
    for item in todo:
        if item.id in waiting:
            continue
        try:
            article = item.read()
        except InputError as exc:
            recorder.failed(item, exc, input_sha256=item.input_sha256())
            continue
        cached = cached_result(article, engine, options.output_language, cache)
        if cached is not None:
            recorder.done(item, finish(article, engine, cached, options.output_language, cached=True))
            continue
        reason = too_long(engine, article, options.output_language)
        if reason:
            recorder.failed(item, InputError(f"{article.source}: {reason}"), article_sha256=article.sha256,
                            input_sha256=article.input_sha256)
            continue
        custom_id = f"r{len(lines) + 1}-{article.sha256[:12]}"
        body = request_body(engine, article, options.output_language)
        line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
        lines[custom_id] = (item, (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
    def retried(fn):
        return call_with_retries(fn, **engine.retry_args())

    with _api_errors([engine.settings.api_key]):
        for chunk in _chunks(lines):
            data = b"".join(lines[c][1] for c in chunk)
            upload = retried(lambda: client.files.create(file=("verifier-batch.jsonl", data, "application/jsonl"),
                                                         purpose="batch"))
            created = retried(lambda: client.batches.create(
                input_file_id=upload.id, endpoint=ENDPOINT, completion_window="24h",
                metadata={"tool": "verifier", "prompt": engine.prompt_id}))
            batches.append(Submitted(created.id, {c: lines[c][0].id for c in chunk}))
            save_state(path, batches)
            recorder.progress.note(f"submitted batch {created.id} ({len(chunk)} requests)")
        recorder.summary.batch_api = [b.id for b in batches if not b.collected]
        try:
            for submitted in [b for b in batches if not b.collected]:
                batch = _wait(client, submitted, options.poll_interval, recorder, retried)
                _collect(client, batch, submitted, by_id, engine, options, recorder, cache, retried)
                submitted.collected = True
                save_state(path, batches)
        except KeyboardInterrupt:
            recorder.summary.interrupted = True
            recorder.progress.note(f"interrupted: the batches keep running at the provider; run the same "
                                   f"command again to collect them (state in {path})")


def _chunks(lines: dict[str, tuple[Item, bytes]]) -> list[list[str]]:
    chunks: list[list[str]] = []
    size = 0
    for custom_id, (_item, raw) in lines.items():
        if not chunks or len(chunks[-1]) >= MAX_REQUESTS or size + len(raw) > MAX_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(custom_id)
        size += len(raw)
    return chunks


def _wait(client, submitted: Submitted, interval: float, recorder: Recorder, retried):
    last = None
    while True:
        batch = retried(lambda: client.batches.retrieve(submitted.id))
        counts = batch.request_counts
        status = f"batch {batch.id}: {batch.status}" + (
            f" ({counts.completed + counts.failed}/{counts.total})" if counts and counts.total else "")
        if status != last:
            recorder.progress.note(status)
            last = status
        if batch.status in TERMINAL:
            return batch
        time.sleep(interval)


def _collect(client, batch, submitted: Submitted, by_id: dict[str, Item], engine, options,
             recorder: Recorder, cache, retried) -> None:
    answered: dict[str, dict] = {}
    for file_id in (batch.output_file_id, batch.error_file_id):
        if file_id:
            content = retried(lambda: client.files.content(file_id).read())
            for raw in content.decode("utf-8").splitlines():
                if raw.strip():
                    entry = json.loads(raw)
                    answered[entry.get("custom_id", "")] = entry
    batch_errors = "; ".join(e.message or e.code or "" for e in (batch.errors.data or [])) if batch.errors else ""
    for custom_id, item_id in submitted.requests.items():
        item = by_id.get(item_id)
        if item is None:
            continue  # finished meanwhile, or no longer among the inputs
        entry = answered.get(custom_id)
        if entry is None:
            reason = f"batch {batch.id} ended {batch.status} without answering it"
            recorder.failed(item, UpstreamError(reason + (f" ({batch_errors})" if batch_errors else "")),
                            input_sha256=item.input_sha256())
            continue
        _record_answer(item, entry, engine, options, recorder, cache)


def _record_answer(item: Item, entry: dict, engine, options, recorder: Recorder, cache) -> None:
    from verifier.engines import EngineResult
    from verifier.engines.llm.engine import reply_content, validate_content

    response = entry.get("response") or {}
    try:
        article = item.read()
    except InputError as exc:
        recorder.failed(item, exc, input_sha256=item.input_sha256())
        return
    usage = Usage()
    try:
        status = response.get("status_code")
        if status != 200:
            error = entry.get("error") or (response.get("body") or {}).get("error") or {}
            raise UpstreamError(f"the Batch API answered HTTP {status}: {error.get('message', 'no message')}"[:300])
        content = reply_content(response.get("body") or {}, usage)
        draft = validate_content(content, AnalysisDraft)
    except Exception as exc:  # noqa: BLE001 - recorded with its reason
        failure = exc if isinstance(exc, UpstreamError) else UpstreamError(
            f"the answer did not match the schema ({str(exc).splitlines()[0][:200]})")
        failure.usage = usage
        recorder.failed(item, failure, article_sha256=article.sha256, input_sha256=article.input_sha256)
        return
    result = EngineResult(draft=draft, usage=usage, response_format="json_schema")
    recorder.done(item, finish(article, engine, result, options.output_language, cache=cache))


@contextmanager
def _api_errors(secrets: list[str | None]):
    """Batch API faults become one-line errors without secrets."""
    import openai

    from verifier.engines.llm.retry import describe

    try:
        yield
    except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
        raise ConfigError(redact(f"the endpoint rejected the credentials ({describe(exc)})", secrets)) from None
    except openai.OpenAIError as exc:
        raise UpstreamError(redact(f"the Batch API failed: {describe(exc)}", secrets)) from None
