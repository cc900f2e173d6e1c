"""Settings from the environment and an optional ``.env`` file.

Variables (all optional; see ``.env.example``):

=========================== ================================================
OPENAI_API_KEY              key for the endpoint (never logged or stored)
OPENAI_BASE_URL             any OpenAI-compatible endpoint (Azure, Ollama,
                            vLLM, llama.cpp server...); default: OpenAI
VERIFIER_MODEL              model name; default ``gpt-4o-mini``
VERIFIER_TIMEOUT            seconds per request, in total (a reply that
                            drips in is cut there too); default 120
VERIFIER_DEADLINE           seconds per answer (an article with all its
                            requests, retries, re-asks and chunks; one
                            judgment); --timeout sets it; default 300
VERIFIER_MAX_ATTEMPTS       attempts per request on transient faults; 4
VERIFIER_MAX_REASKS         re-asks after a schema-invalid, refused or cut-off
                            reply (refusals and cut-offs once at most); 2
VERIFIER_RETRY_BASE         first backoff wait in seconds; 1.0
VERIFIER_RETRY_MAX_WAIT     longest single wait (also caps Retry-After); 60
VERIFIER_RESPONSE_FORMAT    auto | json_schema | json_object; auto
VERIFIER_MAX_TOKENS         output token limit sent as max_tokens; unset
VERIFIER_CONTEXT_TOKENS     the model's context window in tokens: longer
                            articles are split to fit (docs/inputs.md);
                            default 128000 (gpt-4o-mini's)
VERIFIER_MAX_CHUNKS         most requests one article may be split into;
                            longer ones are refused before sending; 50
VERIFIER_TEMPERATURE        sampling temperature; unset (server default)
VERIFIER_CACHE_DIR          cache directory; default: the user cache dir
VERIFIER_FIXTURES_DIR       fixtures directory for replay and record
VERIFIER_PRICES             price table file (JSON) for cost estimates;
                            see verifier/batch/prices.json
VERIFIER_ALLOW_PRIVATE_URLS 1/true/yes: the service may fetch (and POST
                            webhooks to) loopback, private, link-local and
                            metadata addresses; refused by default there
                            (the CLI always may; docs/inputs.md)
=========================== ================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from verifier.errors import ConfigError

DEFAULT_MODEL = "gpt-4o-mini"
RESPONSE_FORMATS = ("auto", "json_schema", "json_object")
DEFAULT_CONTEXT_TOKENS = 128_000  # gpt-4o-mini's context window
DEFAULT_MAX_CHUNKS = 50
DEFAULT_DEADLINE = 300.0  # seconds per answer (VERIFIER_DEADLINE, --timeout)


_FROM_FILE: dict[str, str] = {}  # variables set from .env by this process, with the values set


def load_env_file() -> None:
    """Load ``.env`` from the current directory; real environment wins.
    Which variables came from the file is remembered (``origin``)."""
    path = Path.cwd() / ".env"
    if path.is_file():
        from dotenv import dotenv_values

        for name, value in dotenv_values(path).items():
            if value is not None and name not in os.environ:
                os.environ[name] = value
                _FROM_FILE[name] = value


def origin(name: str) -> str | None:
    """Where variable ``name`` came from: ``".env"`` (the file in the current
    directory), ``"environment"``, or None when it is not set."""
    value = os.environ.get(name)
    if not value:
        return None
    return ".env" if _FROM_FILE.get(name) == value else "environment"


def env_number(name: str, default: float, kind: type = float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a valid number") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative")
    return value


@dataclass(frozen=True)
class Settings:
    api_key: str | None
    base_url: str | None
    model: str
    timeout: float
    max_attempts: int
    max_reasks: int
    retry_base: float
    retry_max_wait: float
    response_format: str
    max_tokens: int | None
    temperature: float | None
    context_tokens: int = DEFAULT_CONTEXT_TOKENS
    max_chunks: int = DEFAULT_MAX_CHUNKS
    deadline: float = DEFAULT_DEADLINE

    @property
    def endpoint_configured(self) -> bool:
        return bool(self.api_key or self.base_url)

    @classmethod
    def from_env(cls) -> "Settings":
        load_env_file()
        fmt = os.environ.get("VERIFIER_RESPONSE_FORMAT", "auto").strip() or "auto"
        if fmt not in RESPONSE_FORMATS:
            raise ConfigError(f"VERIFIER_RESPONSE_FORMAT must be one of {', '.join(RESPONSE_FORMATS)}, not {fmt!r}")
        max_tokens = os.environ.get("VERIFIER_MAX_TOKENS", "").strip()
        temperature = os.environ.get("VERIFIER_TEMPERATURE", "").strip()
        attempts = int(env_number("VERIFIER_MAX_ATTEMPTS", 4, int))
        if attempts < 1:
            raise ConfigError("VERIFIER_MAX_ATTEMPTS must be at least 1")
        context = int(env_number("VERIFIER_CONTEXT_TOKENS", DEFAULT_CONTEXT_TOKENS, int))
        chunks = int(env_number("VERIFIER_MAX_CHUNKS", DEFAULT_MAX_CHUNKS, int))
        if context < 1 or chunks < 1:
            raise ConfigError("VERIFIER_CONTEXT_TOKENS and VERIFIER_MAX_CHUNKS must be at least 1")
        return cls(
            api_key=os.environ.get("OPENAI_API_KEY") or None,
            base_url=os.environ.get("OPENAI_BASE_URL") or None,
            model=os.environ.get("VERIFIER_MODEL") or DEFAULT_MODEL,
            timeout=env_number("VERIFIER_TIMEOUT", 120.0),
            max_attempts=attempts,
            max_reasks=int(env_number("VERIFIER_MAX_REASKS", 2, int)),
            retry_base=env_number("VERIFIER_RETRY_BASE", 1.0),
            retry_max_wait=env_number("VERIFIER_RETRY_MAX_WAIT", 60.0),
            response_format=fmt,
            max_tokens=int(env_number("VERIFIER_MAX_TOKENS", 0, int)) if max_tokens else None,
            temperature=env_number("VERIFIER_TEMPERATURE", 0.0) if temperature else None,
            context_tokens=context,
            max_chunks=chunks,
            deadline=env_number("VERIFIER_DEADLINE", DEFAULT_DEADLINE),
        )


def cache_dir() -> Path:
    env = os.environ.get("VERIFIER_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("verifier"))


def _project_dir(name: str) -> Path:
    """A data folder shipped in the wheel (verifier/_data/NAME) or, in a
    source checkout, the top-level folder NAME beside the package."""
    here = Path(__file__).resolve().parent
    packaged = here / "_data" / name
    return packaged if packaged.is_dir() else here.parent / name


def prompts_dir() -> Path:
    env = os.environ.get("VERIFIER_PROMPTS_DIR")
    return Path(env) if env else _project_dir("prompts")


def fixtures_dir() -> Path:
    env = os.environ.get("VERIFIER_FIXTURES_DIR")
    return Path(env) if env else _project_dir("fixtures")
