"""``verifier batch --dry-run``: what a batch would send and cost, sending nothing.

Prompt tokens are counted on the messages each article would get (tiktoken
where the model's encoding is known, else 4 characters per token), plus the
JSON schema that travels with them.  Completion tokens cannot be known
before the model answers: they are estimated from the completion/prompt
ratio of the results already in ``--out`` when there are some, else from
``DEFAULT_COMPLETION_RATIO``, the ratio of the hand-annotated answers in
``fixtures/`` to their prompts (measured in characters; claims, quotes and
evidence are copied from the article, so answers run longer than articles).
"""

from __future__ import annotations

import json
from pathlib import Path

from verifier.analysis.pipeline import cached_result
from verifier.batch.run import BatchOptions, prepare
from verifier.errors import InputError
from verifier.models import AnalysisDraft, BatchEstimate, BatchFailure

DEFAULT_COMPLETION_RATIO = 2.4


def observed_ratio(out: Path) -> tuple[float, str]:
    """Completion/prompt tokens over the fresh results already in ``out``."""
    prompt = completion = 0
    if out.is_file():
        for line in out.read_text("utf-8").splitlines():
            try:
                usage = json.loads(line).get("usage") or {}
            except ValueError:
                continue
            prompt += usage.get("prompt_tokens") or 0
            completion += usage.get("completion_tokens") or 0
    if prompt:
        return completion / prompt, f"ratio {completion / prompt:.2f} observed in {out}"
    return DEFAULT_COMPLETION_RATIO, f"default ratio {DEFAULT_COMPLETION_RATIO} (no earlier results to learn from)"


def estimate_batch(inputs: list[str], out: Path, options: BatchOptions | None = None) -> BatchEstimate:
    from verifier.analysis.cache import Cache
    from verifier.batch.pricing import load_prices
    from verifier.engines.llm.tokens import count_messages, count_text

    options = options or BatchOptions()
    engine, _ledger, plan = prepare(inputs, out, options)
    est = BatchEstimate(engine=engine.name, model=engine.model, prompt=engine.prompt_id, total=len(plan.items),
                        already_done=plan.already_done, failed_before=plan.failed_before)
    cache = Cache() if options.use_cache else None
    exact, methods = True, set()
    for item in plan.todo:
        try:
            article = item.read()
        except InputError as exc:
            est.unreadable.append(BatchFailure(id=item.id, error=str(exc), error_type="input"))
            continue
        if cached_result(article, engine, options.output_language, cache) is not None:
            est.from_cache += 1
            continue
        est.to_send += 1
        if engine.name != "llm":
            continue
        messages = engine.messages_for(article, options.output_language)(None)
        count = count_messages(messages, engine.model)
        est.prompt_tokens += count.tokens
        exact, methods = exact and count.exact, methods | {count.method}
    if engine.name != "llm":
        est.tokenizer = f"none: the {engine.name} engine sends nothing to a provider"
        est.cost_usd = est.batch_cost_usd = 0.0
        return est
    if est.to_send:
        schema = count_text(json.dumps(AnalysisDraft.model_json_schema()), engine.model)
        est.prompt_tokens += schema.tokens * est.to_send
        methods.add(schema.method)
    ratio, est.completion_basis = observed_ratio(out)
    est.completion_tokens = round(est.prompt_tokens * ratio)
    est.prompt_tokens_exact = exact and bool(methods)
    est.tokenizer = "; ".join(sorted(methods))
    prices = load_prices(options.prices)
    est.prices = prices.source
    est.cost_usd = prices.cost(engine.model, est.prompt_tokens, est.completion_tokens)
    est.batch_cost_usd = prices.cost(engine.model, est.prompt_tokens, est.completion_tokens, batch=True)
    return est
