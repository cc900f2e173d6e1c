"""``verifier batch --export-requests``: the Batch API request lines, written and not sent.

Every article not done in ``--out`` (if given) gets its lines, one per article
or per chunk of a long one, built by the engine's Batch API
(``batch_api().request_lines``, the code ``--batch-api`` submits with); an
article with the same text as another shares its lines.  ``vllm run-batch``
or the OpenAI Batch API answers them elsewhere, and ``--import-results``
(``imported.py``) records the answers.  The file is written atomically and
holds no credentials.
"""

from __future__ import annotations

from pathlib import Path

from verifier.batch.imported import needs_batch_api
from verifier.batch.inputs import collect
from verifier.batch.ledger import Ledger
from verifier.batch.run import BatchOptions, make_plan
from verifier.engines.base import BatchApiEngine, Engine
from verifier.errors import ConfigError, InputError
from verifier.models import BatchExport, BatchFailure
from verifier.storage import write_atomic


def export_requests(inputs: list[str], requests_file: Path, engine: Engine, out: Path | None = None,
                    options: BatchOptions | None = None) -> BatchExport:
    """Write the Batch API request lines of ``inputs`` to ``requests_file`` (atomically); see the module doc."""
    options = options or BatchOptions()
    if not inputs:
        raise ConfigError("give at least one INPUT: a file, a directory or a .jsonl list")
    needs_batch_api(engine, "--export-requests")
    items = collect(inputs)
    entries = Ledger(out).load() if out is not None else {}
    plan = make_plan(items, entries, engine, options.output_language, options.retry_failed, out)
    batch_engine: BatchApiEngine = engine  # Capabilities.batch_api
    api = batch_engine.batch_api()
    language = options.output_language
    result = BatchExport(requests_file=str(requests_file), engine=engine.name, model=engine.model,
                         prompt=engine.prompt_id, total=len(items), already_done=plan.already_done,
                         failed_before=plan.failed_before)
    lines: dict[str, bytes] = {}
    for item in plan.todo:
        try:
            article = item.read()
            written = api.request_lines(article, language)
        except InputError as exc:
            result.skipped.append(BatchFailure(id=item.id, error=str(exc), error_type="input"))
            continue
        if written[0][0] in lines:
            result.duplicates += 1
            continue
        lines.update(written)
        result.articles += 1
    result.lines = len(lines)
    write_atomic(requests_file, b"".join(lines.values()).decode("utf-8"))
    return result
