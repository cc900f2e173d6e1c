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

Requests and results files (``verifier batch --export-requests`` /
``--import-results``, for ``vllm run-batch`` or a Batch API used by hand)
use the same lines: ``request_lines`` gives an article's lines, one per
chunk for a long article, under custom ids ``SHA16-KEY`` or
``SHA16-KEY-pIofN`` (the article's SHA-256, a hash of model, prompt and
output language, the chunk's place), and ``article_answer`` puts an
article's answer back together from a results file's lines by those ids.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from verifier.engines.base import EngineResult
from verifier.engines.llm import guard
from verifier.engines.llm.long_articles import overflow, parts, plan
from verifier.engines.llm.merge import merge
from verifier.engines.llm.retry import call_with_retries
from verifier.engines.llm.wire import reply_content, scrub_reply, translated, validate_content
from verifier.errors import UpstreamError
from verifier.ingest.article import Article
from verifier.models import AnalysisDraft, Usage

ENDPOINT = "/v1/chat/completions"
MAX_REQUESTS = 50_000  # the Batch API's limits per batch
MAX_BYTES = 190 * 1024 * 1024
TERMINAL = ("completed", "failed", "expired", "cancelled")
_CHUNK = re.compile(r"-p\d+of\d+$")


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
        self._client = None
        self.secrets = [engine.settings.api_key]

    @property
    def client(self):
        """The endpoint's client, made on first use (a requests file needs none)."""
        if self._client is None:
            self._client = self.engine.client(guard.BATCH_FILE_CAP)
        return self._client

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

    def article_id(self, article: Article, output_language: str | None) -> str:
        """The custom id of ``article``'s request (its chunks add ``-pIofN``): the
        article's SHA-256 and a hash of what else shapes the answer."""
        e = self.engine
        key = hashlib.sha256(f"{e.model}\0{e.prompt_id}\0{output_language or ''}".encode()).hexdigest()[:8]
        return f"{article.sha256[:16]}-{key}"

    def request_lines(self, article: Article, output_language: str | None) -> list[tuple[str, bytes]]:
        """``article``'s lines for a requests file, as (custom id, line): one, or
        one per chunk when it is too long for one request, as the live path
        splits it (``InputError`` when it needs more than VERIFIER_MAX_CHUNKS)."""
        base = self.article_id(article, output_language)
        chunks = plan(self.engine, article, output_language)
        if chunks is None:
            return [(base, self.request(base, article, output_language))]
        n = len(chunks)
        ids = [f"{base}-p{i}of{n}" for i in range(1, n + 1)]
        return [(cid, self.request(cid, part, output_language)) for cid, part in zip(ids, parts(article, chunks))]

    @staticmethod
    def by_article(answered: dict[str, dict]) -> dict[str, dict[str, dict]]:
        """A results file's lines grouped by article id (the custom id less its chunk part)."""
        groups: dict[str, dict[str, dict]] = {}
        for cid, entry in answered.items():
            groups.setdefault(_CHUNK.sub("", cid), {})[cid] = entry
        return groups

    def article_answer(self, article: Article, output_language: str | None,
                       answered: dict[str, dict]) -> EngineResult | None:
        """``article``'s answer from a results file's lines by custom id (all of
        them, or its group from ``by_article``): None
        when they hold none for it; an ``UpstreamError`` (with ``usage``) when
        one of its lines failed, holds no valid answer, or a chunk is missing."""
        base = self.article_id(article, output_language)
        if base in answered:
            entries = [answered[base]]
        else:
            pattern = re.compile(re.escape(base) + r"-p(\d+)of(\d+)")
            found = {int(m.group(1)): int(m.group(2)) for cid in answered if (m := pattern.fullmatch(cid))}
            if not found:
                return None
            n = max(found.values())
            missing = [i for i in range(1, n + 1) if i not in found]
            if missing:
                raise UpstreamError(f"no result for part {missing[0]} of {n} of this article")
            entries = [answered[f"{base}-p{i}of{n}"] for i in range(1, n + 1)]
        usage, drafts = Usage(), []
        for i, entry in enumerate(entries, 1):
            try:
                result = self.answer(entry)
            except UpstreamError as exc:
                usage.add(exc.usage)
                failure = UpstreamError(f"part {i} of {len(entries)}: {exc}") if len(entries) > 1 else exc
                failure.usage, failure.answered = usage, getattr(exc, "answered", False)
                raise failure from None
            usage.add(result.usage)
            drafts.append(result.draft)
        body = (entries[0].get("response") or {}).get("body") or {}
        model = body.get("model") if isinstance(body.get("model"), str) else None
        return EngineResult(draft=drafts[0] if len(drafts) == 1 else merge(drafts), usage=usage,
                            response_format="json_schema", chunks=len(drafts) if len(drafts) > 1 else None,
                            model=model)

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
        ``usage``, and ``answered`` when the model answered unusably) when it
        holds none."""
        response = entry.get("response") if isinstance(entry.get("response"), dict) else {}
        usage = Usage()
        status = response.get("status_code")
        try:
            if status != 200:
                body = response.get("body") if isinstance(response.get("body"), dict) else {}
                error = entry.get("error") or body.get("error") or {}
                said = error.get("message", "no message") if isinstance(error, dict) else str(error)
                where = f"HTTP {status}" if status else "no response"
                raise UpstreamError(f"the Batch API answered {where}: {' '.join(str(said).split())}"[:300])
            draft = validate_content(scrub_reply(reply_content(response.get("body") or {}, usage), self.secrets),
                                     AnalysisDraft)
        except Exception as exc:  # noqa: BLE001 - the caller records it with its reason
            failure = exc if isinstance(exc, UpstreamError) else UpstreamError(
                f"the answer did not match the schema ({str(exc).splitlines()[0][:200]})")
            failure.usage = usage
            failure.answered = status == 200  # the model answered, but nothing usable: a re-ask might do
            raise failure from None
        return EngineResult(draft=draft, usage=usage, response_format="json_schema")
