"""What every engine is, and what some engines can also do.

An engine turns an ``Article`` into an ``AnalysisDraft`` (``analyze``): quotes,
never offsets; grounding happens after it, in ``verifier.analysis``.  Whatever
else an engine offers is declared in its ``Capabilities`` and reached through
the matching method below; callers ask the capability, never the engine's
name, so a new engine (another provider, a local model) touches only
``engines/`` and the CLI's ``--engine`` list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, AsyncContextManager, Callable, Protocol

from verifier.models import AnalysisDraft, FixtureSource, Usage

if TYPE_CHECKING:
    from pydantic import BaseModel

    from verifier.ingest.article import Article


@dataclass(frozen=True)
class Capabilities:
    """What an engine can do beyond ``analyze`` (and ``warm_up``).

    * ``cacheable``: its answers are worth keeping in the analysis cache
      (not so for answers that are already local files, like fixtures).
    * ``concurrent``: each analysis waits on requests, not on this machine:
      ``session(concurrency)`` answers many articles at once on one shared
      client.  Without it an analysis is local work, so a batch spreads it
      over worker processes; such an engine must pickle, and ``warm_up``
      loads its models in each worker.
    * ``priced``: its requests are billed per token by a provider:
      ``count_prompt`` counts a request before it is sent, and batches
      report tokens and cost.
    * ``judges``: ``judge`` answers a versioned prompt over a batch of items
      with one structured reply (verify's verdicts, diff's ambiguous pairs).
    * ``batch_api``: ``batch_api()`` reaches the provider's Batch API
      (requests submitted now, answers collected within 24 hours).
    * ``languages``: the article languages it reads (ISO 639-1), None for any; the pipeline refuses
      an article in another language (unless the caller named the language, ``--lang``).
    """

    cacheable: bool = True
    concurrent: bool = False
    priced: bool = False
    judges: bool = False
    batch_api: bool = False
    languages: tuple[str, ...] | None = None


@dataclass
class EngineResult:
    draft: AnalysisDraft
    usage: Usage | None = None
    response_format: str | None = None
    fixture: FixtureSource | None = None
    chunks: int | None = None  # requests a long article was split into
    model: str | None = None  # the model that answered, when the reply named it (a results file)
    results_file: str | None = None  # the Batch API results file the answer was read from


@dataclass
class Judged:
    """One structured reply to a judging prompt, what it cost, and where a replayed one came from."""

    reply: Any
    usage: Usage = field(default_factory=Usage)
    fixture: FixtureSource | None = None


@dataclass(frozen=True)
class TokenCount:
    """A token count, whether it is exact, and how it was made."""

    tokens: int
    exact: bool
    method: str


class Engine(Protocol):
    name: str
    model: str
    prompt_id: str
    capabilities: Capabilities
    endpoint: str | None  # the base URL its requests go to (part of the cache key); None: local work
    def analyze(self, article: Article, output_language: str | None) -> EngineResult: ...

    def warm_up(self) -> None:
        """Load what the first analysis would load (models, pipelines): a
        worker process or a long-running service pays it once, up front."""


class Session(Protocol):
    """Analyses in flight together on one client (``Capabilities.concurrent``)."""

    async def analyze(self, article: Article, output_language: str | None) -> EngineResult: ...


class ConcurrentEngine(Engine, Protocol):
    def session(self, concurrency: int) -> AsyncContextManager[Session]:
        """At most ``concurrency`` requests in flight; one rate limit slows them all."""


class JudgingEngine(Engine, Protocol):
    def judge(self, prompt_id: str, values: dict[str, str], schema: type[BaseModel], key: str,
              check: Callable[[Any], None] | None = None) -> Judged:
        """One structured reply to prompt ``prompt_id`` filled with ``values``,
        validated against ``schema`` and ``check`` (a ``ValueError`` asks again);
        ``key`` names the request (its replay fixture)."""


class BatchApiEngine(Engine, Protocol):
    def batch_api(self) -> Any:
        """The provider's Batch API for this engine (``engines/llm/batch_api.py``'s ``BatchApi``)."""


class PricedEngine(Engine, Protocol):
    def count_prompt(self, article: Article, output_language: str | None) -> TokenCount:
        """The prompt tokens ``analyze`` would send for ``article`` (schema included)."""
