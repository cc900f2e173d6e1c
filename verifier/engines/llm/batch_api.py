"""The provider's Batch API (OpenAI's Files and Batches endpoints) for the llm engine.

A request line is the body the live path POSTs for an article (same
messages, model, limits and response format); lines go up as one JSONL
file per batch (``submit``), a batch is polled (``status``), and its output
and error files are read back (``results``).  ``answer`` turns one output
line into an ``EngineResult``, validated like a live reply; no re-ask is
possible, so an invalid answer is an ``UpstreamError`` carrying what it
cost.  An article too long for one request cannot be a line (``too_long``):
only the live path splits articles into chunks.  Every call is retried on
transient faults and its faults are worded like the live path's
(``wire.translated``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from verifier.engines.base import EngineResult
from verifier.engines.llm import guard
from verifier.engines.llm.long_articles import overflow
from verifier.engines.llm.retry import call_with_retries
from verifier.engines.llm.wire import reply_content, scrub_reply, translated, validate_content
from verifier.errors import UpstreamError
from verifier.ingest.article import Article
from verifier.models import AnalysisDraft, Usage

ENDPOINT = "/v1/chat/completions"
MAX_REQUESTS = 50_000  # the Batch API's limits per batch
MAX_BYTES = 190 * 1024 * 1024
TERMINAL = ("completed", "failed", "expired", "cancelled")


@dataclass(frozen=True)
class BatchStatus:
    """Where a submitted batch stands."""

    id: str
    status: str
    done: int  # requests answered or failed so far
    total: int
    output_file_id: str | None
    error_file_id: str | None
    errors: str  # the batch's own errors, in one line ("" without any)

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL


class BatchApi:
    max_requests = MAX_REQUESTS
    max_bytes = MAX_BYTES

    def __init__(self, engine):
        self.engine = engine
        self.client = engine.client(guard.BATCH_FILE_CAP)
        self.secrets = [engine.settings.api_key]

    def _call(self, fn):
        """``fn()`` retried on transient faults, its faults in one line."""
        with translated([self.engine.settings.api_key], lambda fault: f"the Batch API failed: {fault}"):
            return call_with_retries(fn, **self.engine.retry_args())

    def too_long(self, article: Article, output_language: str | None) -> str | None:
        """Why ``article`` cannot be one line (it would need chunks), or None."""
        over = overflow(self.engine, article, output_language)
        if over is None:
            return None
        return f"too long for --batch-api ({over[0]} tokens, limit {over[1]}); run without --batch-api"

    def request(self, custom_id: str, article: Article, output_language: str | None) -> bytes:
        """The JSONL line that asks for ``article``'s analysis."""
        engine = self.engine
        call = engine.start_call()
        messages = engine.messages_for(article, output_language)(call.schema_json(AnalysisDraft))
        body = engine.request_args(messages, call.fmt, {}, AnalysisDraft)
        del body["extra_headers"]
        line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
        return (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")

    def submit(self, lines: bytes) -> str:
        """Upload ``lines`` and create a batch of them; its id."""
        upload = self._call(lambda: self.client.files.create(
            file=("verifier-batch.jsonl", lines, "application/jsonl"), purpose="batch"))
        created = self._call(lambda: self.client.batches.create(
            input_file_id=upload.id, endpoint=ENDPOINT, completion_window="24h",
            metadata={"tool": "verifier", "prompt": self.engine.prompt_id}))
        return created.id

    def status(self, batch_id: str) -> BatchStatus:
        batch = self._call(lambda: self.client.batches.retrieve(batch_id))
        counts = batch.request_counts
        errors = "; ".join(e.message or e.code or "" for e in (batch.errors.data or [])) if batch.errors else ""
        return BatchStatus(batch.id, batch.status, counts.completed + counts.failed if counts else 0,
                           counts.total if counts else 0, batch.output_file_id, batch.error_file_id, errors)

    def results(self, batch: BatchStatus) -> dict[str, dict]:
        """The batch's output and error lines, by custom id."""
        answered: dict[str, dict] = {}
        for file_id in (batch.output_file_id, batch.error_file_id):
            if file_id:
                content = self._call(lambda: self.client.files.content(file_id).read())
                for raw in content.decode("utf-8").splitlines():
                    if raw.strip():
                        entry = json.loads(raw)
                        answered[entry.get("custom_id", "")] = entry
        return answered

    def answer(self, entry: dict) -> EngineResult:
        """One output line as an analysis draft; an ``UpstreamError`` (with
        ``usage``) when it holds none."""
        response = entry.get("response") or {}
        usage = Usage()
        try:
            status = response.get("status_code")
            if status != 200:
                error = entry.get("error") or (response.get("body") or {}).get("error") or {}
                raise UpstreamError(
                    f"the Batch API answered HTTP {status}: {error.get('message', 'no message')}"[:300])
            draft = validate_content(scrub_reply(reply_content(response.get("body") or {}, usage), self.secrets),
                                     AnalysisDraft)
        except Exception as exc:  # noqa: BLE001 - the caller records it with its reason
            failure = exc if isinstance(exc, UpstreamError) else UpstreamError(
                f"the answer did not match the schema ({str(exc).splitlines()[0][:200]})")
            failure.usage = usage
            raise failure from None
        return EngineResult(draft=draft, usage=usage, response_format="json_schema")
