"""Articles longer than the model's context: planned into chunks that fit
(``plan``, ``article_budget``), sent one request per chunk by the LLM
engine, and merged into one answer (``merge.py``); see
docs/inputs.md.  For an article that fits, ``plan`` returns None, without a
tokenizer when its size alone shows it.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Protocol

from verifier.config import Settings
from verifier.engines.base import EngineResult
from verifier.engines.llm.merge import merge
from verifier.engines.llm.prompts import Prompt
from verifier.engines.llm.tokens import PER_MESSAGE, REPLY_PRIMING, count_messages, count_text
from verifier.engines.llm.wire import Call
from verifier.errors import ConfigError, InputError, VerifierError
from verifier.ingest.article import Article
from verifier.models import AnalysisDraft, Usage
from verifier.text.chunks import Chunk, split

if TYPE_CHECKING:
    from verifier.engines.llm.retry import Throttle

OUTPUT_RESERVE = 16_384  # tokens kept for the reply without VERIFIER_MAX_TOKENS (at most a quarter of the context)
MIN_CHUNK_TOKENS = 256  # the fewest article tokens worth one request


class ChunkedEngine(Protocol):
    """What chunking needs of the LLM engine (``engine.py``), which calls it back."""

    settings: Settings
    prompt: Prompt
    model: str

    def messages_for(self, article: Article, output_language: str | None) -> Callable[[str | None], list[dict]]: ...

    def headers(self, article: Article, output_language: str | None) -> dict[str, str]: ...

    def complete(self, messages, schema, headers, check=None, prompt=None) -> tuple: ...

    async def acomplete(self, messages, schema, headers, check=None, prompt=None, *, client, throttle=None) -> tuple:
        ...


def overflow(engine: ChunkedEngine, article: Article, output_language: str | None) -> tuple[int, int] | None:
    """None when ``article`` fits one request, else its tokens and the
    article budget of one request."""
    budget = article_budget(engine, article, output_language)
    if budget is None:
        return None
    tokens = count_text(article.text, engine.model).tokens
    return None if tokens <= budget else (tokens, budget)


def plan(engine: ChunkedEngine, article: Article, output_language: str | None) -> list[Chunk] | None:
    """None when ``article`` fits one request, else the chunks to send it
    in.  ``InputError`` when it needs more than VERIFIER_MAX_CHUNKS,
    ``ConfigError`` when the prompt leaves the article no room."""
    over = overflow(engine, article, output_language)
    if over is None:
        return None
    tokens, budget = over
    limit = engine.settings.max_chunks
    needed = math.ceil(tokens / budget)
    if needed <= limit:
        chunks = split(article.text, budget, lambda text: count_text(text, engine.model).tokens)
        if len(chunks) <= limit:
            return chunks
        needed = len(chunks)
    raise InputError(
        f"{article.source}: too long: {tokens} tokens need {needed} requests of at most {budget} article "
        f"tokens (VERIFIER_CONTEXT_TOKENS={engine.settings.context_tokens}), over VERIFIER_MAX_CHUNKS={limit}; "
        "raise VERIFIER_MAX_CHUNKS, use a model with a larger context, or split the article")


def article_budget(engine: ChunkedEngine, article: Article, output_language: str | None) -> int | None:
    """Tokens of article text one request can hold: the context less the
    prompt (counted with the JSON schema, which structured output sends
    too), the reply's reserve and a margin.  None when the article surely
    fits: a token is at least one byte, so its UTF-8 size is enough to tell,
    without a tokenizer."""
    s = engine.settings
    reserve = s.max_tokens or min(OUTPUT_RESERVE, s.context_tokens // 4)
    margin = s.context_tokens // 20
    room = s.context_tokens - reserve - margin
    messages = engine.prompt.messages(article="", article_id=article.sha256[:12], source=article.source,
                                      output_language=output_language, schema=_draft_schema())
    most = sum(len(str(v).encode()) + PER_MESSAGE for m in messages for v in m.values()) + REPLY_PRIMING
    if most + len(article.text.encode()) <= room:
        return None
    prompt = count_messages(messages, engine.model).tokens
    if room - prompt < MIN_CHUNK_TOKENS:
        raise ConfigError(
            f"VERIFIER_CONTEXT_TOKENS={s.context_tokens} leaves {max(0, room - prompt)} tokens for the article "
            f"(at least {MIN_CHUNK_TOKENS} needed): the prompt takes {prompt}, the reply's reserve {reserve}"
            f"{' (VERIFIER_MAX_TOKENS)' if s.max_tokens else ''} and the margin {margin}; set it to the model's "
            f"context window{' or lower VERIFIER_MAX_TOKENS' if s.max_tokens else ''}")
    return room - prompt


def analyze_chunks(engine: ChunkedEngine, article: Article, chunks: list[Chunk],
                   output_language: str | None) -> EngineResult:
    answers: list[tuple[AnalysisDraft, Usage, str]] = []
    with _spent(answers):
        for part in parts(article, chunks):
            answers.append(engine.complete(engine.messages_for(part, output_language), AnalysisDraft,
                                           engine.headers(part, output_language)))
            engine = _in_format(engine, answers[-1][2])
    return _merged(answers)


async def aanalyze_chunks(engine: ChunkedEngine, article: Article, chunks: list[Chunk], output_language: str | None,
                          client, throttle: Throttle | None) -> EngineResult:
    answers: list[tuple[AnalysisDraft, Usage, str]] = []
    with _spent(answers):
        for part in parts(article, chunks):
            answers.append(await engine.acomplete(engine.messages_for(part, output_language), AnalysisDraft,
                                                  engine.headers(part, output_language), client=client,
                                                  throttle=throttle))
            engine = _in_format(engine, answers[-1][2])
    return _merged(answers)


def _in_format(engine: ChunkedEngine, fmt: str) -> ChunkedEngine:
    """This engine, or, once ``auto`` has fallen back to JSON mode, a copy
    that starts there (the next chunks skip the rejected request)."""
    if fmt != "json_object" or engine.settings.response_format != "auto":
        return engine
    engine = copy.copy(engine)
    engine.settings = dataclasses.replace(engine.settings, response_format="json_object")
    return engine


@functools.cache
def _draft_schema() -> str:
    """The schema text JSON mode puts in the prompt (counted whatever the format)."""
    return Call("json_object").schema_json(AnalysisDraft) or ""


def parts(article: Article, chunks: list[Chunk]) -> list[Article]:
    """Each chunk as an article of its own: sent between the markers with its
    own id (its SHA-256) and its place named in the source line."""
    return [dataclasses.replace(article, text=c.text, source=f"{article.source}, part {c.index + 1} of {len(chunks)}")
            for c in chunks]


def _merged(answers: list[tuple[AnalysisDraft, Usage, str]]) -> EngineResult:
    """The chunks' answers as one result: drafts merged, usage summed."""
    usage = Usage()
    for _draft, used, _fmt in answers:
        usage.add(used)
    return EngineResult(draft=merge([draft for draft, _used, _fmt in answers]), usage=usage,
                        response_format=answers[-1][2], chunks=len(answers))


@contextmanager
def _spent(answers: list[tuple[AnalysisDraft, Usage, str]]):
    """A chunk's failure carries the usage of the chunks answered before it too."""
    try:
        yield
    except VerifierError as exc:
        usage = Usage()
        for used in [u for _d, u, _f in answers] + [getattr(exc, "usage", None) or Usage()]:
            usage.add(used)
        exc.usage = usage
        raise
