"""The engines by name: the ``--engine`` choices and the default.

Engines are imported lazily so ``verifier --help`` stays fast.
"""

from __future__ import annotations

from verifier.config import Settings
from verifier.engines.base import Engine
from verifier.errors import ConfigError

ENGINES = ("offline", "llm", "replay")


def default_engine(settings: Settings) -> str:
    """``llm`` when an endpoint is configured (OPENAI_API_KEY or
    OPENAI_BASE_URL), else ``offline``."""
    return "llm" if settings.endpoint_configured else "offline"


def make_engine(name: str | None = None, *, model: str | None = None, prompt: str | None = None,
                settings: Settings | None = None, http_client: object | None = None,
                summary_sentences: int | None = None) -> Engine:
    """Build an engine by name (None: the default); ``http_client`` (an
    ``httpx2.Client``) is for callers that bring their own transport."""
    from verifier.engines.llm.prompts import DEFAULT_PROMPT, get_prompt

    settings = settings or Settings.from_env()
    name = name or default_engine(settings)
    if name == "offline":
        if model or prompt:
            raise ConfigError("the offline engine takes no --model or --prompt")
        from verifier.engines.offline.engine import OfflineEngine

        return OfflineEngine(summary_sentences)
    loaded = get_prompt(prompt or DEFAULT_PROMPT)
    if name == "llm":
        from verifier.engines.llm.engine import LLMEngine

        if not settings.endpoint_configured and http_client is None:
            raise ConfigError("the llm engine needs OPENAI_API_KEY or OPENAI_BASE_URL (see .env.example)")
        return LLMEngine(settings, loaded, model=model, http_client=http_client)
    if name == "replay":
        from verifier.engines.replay.engine import ReplayEngine

        return ReplayEngine(settings, loaded, model=model)
    raise ConfigError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
