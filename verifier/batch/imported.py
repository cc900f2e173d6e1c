"""``verifier batch --import-results``: a Batch output file's answers, recorded.

The runner for answers made elsewhere (``vllm run-batch``, the OpenAI Batch
API used by hand) to the lines ``--export-requests`` wrote (``export.py``):
each article finds its lines by custom id (``batch_api().article_answer``;
a long article's chunks are put back together), and its answer is
validated, grounded and recorded like a live one, with ``results_file`` and
the model the results name in its provenance.  No re-ask is possible from a
file: an invalid answer or a refusal is a failure with its reason.  An
article without a line is a failure; a line for no article is a warning.
"""

from __future__ import annotations

import json
from pathlib import Path

from verifier.analysis.pipeline import Pipeline
from verifier.batch.inputs import Item
from verifier.batch.recorder import Recorder
from verifier.engines.base import BatchApiEngine, Engine
from verifier.errors import ConfigError, InputError, UpstreamError

NO_REASK = ("; no re-ask is possible from a results file (--retry-failed without --import-results "
            "asks again live)")


def needs_batch_api(engine: Engine, option: str) -> None:
    if not engine.capabilities.batch_api:
        raise ConfigError(f"{option} needs the llm engine (its requests are what the file holds)")


def read_results(path: Path, note) -> dict[str, dict]:
    """A Batch output file's lines by custom id; a line that is not one is ``note``d and skipped."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the results file ({exc})") from None
    answered: dict[str, dict] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
        except ValueError:
            entry = None
        if not isinstance(entry, dict) or not isinstance(entry.get("custom_id"), str):
            note(f"warning: {path}:{number}: not a Batch output line (no custom_id); ignored")
            continue
        answered[entry["custom_id"]] = entry | {"_line": number}
    return answered


def run_imported(todo: list[Item], pipeline: Pipeline, recorder: Recorder, results_file: Path,
                 earlier: set[str]) -> None:
    """Record each article of ``todo`` from ``results_file``; ``earlier``: the
    SHA-256 prefixes (16) of the articles recorded in earlier runs and not
    redone, whose lines are ignored without a warning."""
    needs_batch_api(pipeline.engine, "--import-results")
    engine: BatchApiEngine = pipeline.engine  # Capabilities.batch_api
    api = engine.batch_api()
    language = pipeline.options.output_language
    note = recorder.progress.note
    answered = read_results(results_file, note)
    groups = api.by_article(answered)
    used: set[str] = set()
    for item in todo:
        article = recorder.read(item)
        if article is None:
            continue
        base = api.article_id(article, language)
        mine = groups.get(base, {})
        used.update(mine)
        where = dict(article_sha256=article.sha256, input_sha256=article.input_sha256)
        try:
            result = api.article_answer(article, language, mine)
        except UpstreamError as exc:
            reason = f"{results_file}: {exc}" + (NO_REASK if getattr(exc, "answered", False) else "")
            failure = UpstreamError(reason)
            failure.usage = getattr(exc, "usage", None)
            recorder.failed(item, failure, **where)
            continue
        if result is None:
            recorder.failed(item, UpstreamError(f"no result for this article in {results_file}"), **where)
            continue
        result.results_file = str(results_file)
        recorder.done(item, pipeline.finish(article, result))
    for cid, entry in answered.items():
        if cid not in used and cid[:16] not in earlier:
            note(f"warning: {results_file}:{entry['_line']}: custom_id {cid!r} matches no article of the "
                 "inputs (another input, model, prompt or --lang?); ignored")
