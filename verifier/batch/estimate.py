"""``verifier batch --dry-run``: what a batch would send and cost, sending nothing.

For an engine whose requests are priced, the engine counts the prompt
tokens of the request each article would get (``count_prompt``: the llm
engine uses tiktoken where the model's encoding is known, else 4 characters
per token, and adds the JSON schema that travels with the messages).
Completion tokens cannot be known before the model answers: they are
estimated from the completion/prompt ratio of the results already in
``--out`` when there are some, else from
``DEFAULT_COMPLETION_RATIO``, the ratio of the hand-annotated answers in
``fixtures/`` to their prompts (measured in characters; claims, quotes and
evidence are copied from the article, so answers run longer than articles).
"""

from __future__ import annotations

import json
from pathlib import Path

from verifier.analysis.pipeline import Pipeline
from verifier.batch.pricing import load_prices
from verifier.batch.run import BatchOptions, prepare
from verifier.engines.base import Engine, PricedEngine
from verifier.errors import InputError
from verifier.models import BatchEstimate, BatchFailure

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


def estimate_batch(inputs: list[str], out: Path, engine: Engine, options: BatchOptions | None = None) -> BatchEstimate:
    options = options or BatchOptions()
    _ledger, plan = prepare(inputs, out, engine, options)
    est = BatchEstimate(engine=engine.name, model=engine.model, prompt=engine.prompt_id, total=len(plan.items),
                        already_done=plan.already_done, failed_before=plan.failed_before)
    pipeline = Pipeline(engine, options.analyze_options)
    priced = engine.capabilities.priced
    counter: PricedEngine = engine  # its count_prompt is used only when priced
    exact, methods = True, set()
    for item in plan.todo:
        try:
            article = item.read()
        except InputError as exc:
            est.unreadable.append(BatchFailure(id=item.id, error=str(exc), error_type="input"))
            continue
        if pipeline.lookup(article) is not None:
            est.from_cache += 1
            continue
        est.to_send += 1
        if priced:
            count = counter.count_prompt(article, options.output_language)
            est.prompt_tokens += count.tokens
            exact, methods = exact and count.exact, methods | {count.method}
    if not priced:
        est.tokenizer = f"none: the {engine.name} engine sends nothing to a provider"
        est.cost_usd = est.batch_cost_usd = 0.0
        return est
    ratio, est.completion_basis = observed_ratio(out)
    est.completion_tokens = round(est.prompt_tokens * ratio)
    est.prompt_tokens_exact = exact and bool(methods)
    est.tokenizer = "; ".join(sorted(methods))
    prices = load_prices(options.prices)
    est.prices = prices.source
    est.cost_usd = prices.cost(engine.model, est.prompt_tokens, est.completion_tokens)
    est.batch_cost_usd = prices.cost(engine.model, est.prompt_tokens, est.completion_tokens, batch=True)
    return est
