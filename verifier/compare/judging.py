"""Batched judging for the comparisons beyond analysis (verify's verdicts, diff's ambiguous pairs):
items go ``size`` at a time into one structured request each, through an engine that judges
(``Capabilities.judges``: its SDK path, retries and re-asks).

Each request carries a key, the SHA-256 of its payload, where an article's
request carries the article's hash, so the replay engine finds its fixture
like it finds an article's.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable

from verifier.engines.base import JudgingEngine
from verifier.models import FixtureSource, Usage


def payload_key(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass
class Judgements:
    """Every reply of a batched judging, in order, with who gave them and what they cost."""

    replies: list[Any]
    engine: str
    model: str
    prompt: str
    usage: Usage = field(default_factory=Usage)
    fixture: FixtureSource | None = None


def ask_in_batches(items: list, judge: JudgingEngine, *, prompt: str, schema, size: int,
                   values: Callable[[list], dict[str, str]], key: Callable[[list], str],
                   check: Callable[[list], Callable[[Any], None]]) -> Judgements:
    """One request per ``size`` items; ``values(batch)`` fills the prompt,
    ``check(batch)`` returns the reply's extra validation (a ``ValueError``
    re-asks)."""
    result = Judgements([], judge.name, judge.model, prompt)
    for start in range(0, len(items), size):
        batch = items[start:start + size]
        judged = judge.judge(prompt, values(batch), schema, key(batch), check(batch))
        result.usage.add(judged.usage)
        result.replies.append(judged.reply)
        result.fixture = judged.fixture or result.fixture
    return result
