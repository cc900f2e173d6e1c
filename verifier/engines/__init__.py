"""Engines turn an article into an ``AnalysisDraft``.

* ``offline`` (``engines/offline/``): spaCy pipelines from PyPI and rules;
  the default when no endpoint is configured.
* ``llm`` (``engines/llm/``): any OpenAI-compatible endpoint through the
  official openai SDK.
* ``replay`` (``engines/replay/``): the llm engine's own SDK path, answered
  from ``fixtures/`` by an HTTP transport instead of the network (tests,
  demos, offline review).

``base.py`` says what an engine is and declares what it can do
(``Capabilities``); ``registry.py`` builds one by name.
"""

from verifier.engines.base import (
    BatchApiEngine, Capabilities, ConcurrentEngine, Engine, EngineResult, Judged, JudgingEngine, PricedEngine, Session,
    TokenCount,
)
from verifier.engines.registry import ENGINES, default_engine, make_engine

__all__ = ["BatchApiEngine", "Capabilities", "ConcurrentEngine", "Engine", "EngineResult", "Judged", "JudgingEngine", "PricedEngine",
           "Session", "TokenCount", "ENGINES", "default_engine", "make_engine"]
