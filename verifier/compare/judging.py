"""Batched structured calls for the commands beyond analysis (verify, diff
adjudication): items go ``size`` at a time into one request each, through
the LLM (or replay) engine's SDK path, retries and re-asks.

Each request carries a key, the SHA-256 of its payload, in the
``X-Verifier-Article-Sha256`` header, so the replay engine finds its fixture
like it finds an article's.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable

from verifier.errors import FixtureMissing
from verifier.models import FixtureSource, Usage


def payload_key(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass
class BatchResult:
    replies: list[Any]
    engine: str
    model: str
    prompt: str
    usage: Usage = field(default_factory=Usage)
    fixture: FixtureSource | None = None


def ask_in_batches(items: list, *, engine: str, model: str | None, prompt: str, schema,
                   size: int, values: Callable[[list], dict[str, str]], key: Callable[[list], str],
                   check: Callable[[list], Callable[[Any], None]]) -> BatchResult:
    """One request per ``size`` items; ``values(batch)`` fills the prompt,
    ``check(batch)`` returns the reply's extra validation (a ``ValueError``
    re-asks)."""
    from verifier.engines import make_engine

    built = make_engine(engine, model=model, prompt=prompt)
    result = BatchResult([], built.name, built.model, built.prompt_id)
    for start in range(0, len(items), size):
        batch = items[start:start + size]
        request_key = key(batch)
        if built.name == "replay":
            result.fixture = _fixture(built, request_key)
        filled = values(batch)
        reply, used, _fmt = built.complete(
            lambda schema_json: built.prompt.render(filled, schema_json), schema,
            {"X-Verifier-Prompt": built.prompt_id, "X-Verifier-Article-Sha256": request_key},
            check=check(batch))
        result.usage.add(used)
        result.replies.append(reply)
    return result


def _fixture(built, key: str) -> FixtureSource:
    from verifier.engines.replay.fixtures import FixtureKey

    fkey = FixtureKey(built.prompt_id, built.model, key)
    data = built.store.load(fkey)
    if data is None:
        raise FixtureMissing(f"no fixture for {fkey.describe()} (expected {built.store.path(fkey)})")
    return built.store.source(data, fkey)
