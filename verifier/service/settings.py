"""The service's settings: flags of ``verifier serve`` and the environment.

=============================== ============================================
VERIFIER_API_KEYS               comma-separated keys; when set, every ``/v1``
                                route needs ``Authorization: Bearer <key>``.
                                Without keys the service binds loopback only.
VERIFIER_ALLOW_PRIVATE_URLS     ``1``: ``url`` inputs and webhooks may reach
                                loopback/private/link-local addresses
VERIFIER_DATA_DIR               where jobs are kept; default: the user data dir
VERIFIER_SERVE_WORKERS          worker processes; default: the cores
VERIFIER_SERVE_QUEUE            analyses waiting beyond the running ones
                                before 429; default 4 per worker
VERIFIER_SERVE_TIMEOUT          seconds a synchronous request may take; 300
VERIFIER_WEBHOOK_SECRET         signs webhook bodies (X-Verifier-Signature)
=============================== ============================================
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from verifier.config import env_number
from verifier.errors import ConfigError
from verifier.ingest.addresses import private_urls_allowed

MAX_BODY_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class EngineSpec:
    """The engine a request runs on, as the CLI's ``--engine/--model/--prompt``
    (None: the default, llm when an endpoint is configured, else offline)."""

    name: str | None = None
    model: str | None = None
    prompt: str | None = None

    def build(self):
        from verifier.engines import make_engine

        return make_engine(self.name, model=self.model, prompt=self.prompt)


@dataclass(frozen=True)
class ServiceSettings:
    engine: EngineSpec = field(default_factory=EngineSpec)
    api_keys: tuple[str, ...] = ()
    workers: int = 1
    queue: int = 4
    timeout: float = 300.0
    data_dir: Path = Path(".")
    allow_private_urls: bool = False
    use_cache: bool = True
    max_body_bytes: int = MAX_BODY_BYTES
    webhook_secret: str | None = None

    @classmethod
    def from_env(cls, engine: EngineSpec | None = None, *, workers: int | None = None,
                 queue: int | None = None, use_cache: bool = True, data_dir: Path | None = None) -> "ServiceSettings":
        keys = tuple(k.strip() for k in os.environ.get("VERIFIER_API_KEYS", "").split(",") if k.strip())
        workers = workers or _int("VERIFIER_SERVE_WORKERS", os.cpu_count() or 1)
        return cls(
            engine=engine or EngineSpec(),
            api_keys=keys,
            workers=max(1, workers),
            queue=queue if queue is not None else _int("VERIFIER_SERVE_QUEUE", 4 * max(1, workers)),
            timeout=float(_int("VERIFIER_SERVE_TIMEOUT", 300)),
            data_dir=data_dir or default_data_dir(),
            allow_private_urls=private_urls_allowed(),
            use_cache=use_cache,
            webhook_secret=os.environ.get("VERIFIER_WEBHOOK_SECRET") or None,
        )


def default_data_dir() -> Path:
    env = os.environ.get("VERIFIER_DATA_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("verifier"))


def _int(name: str, default: int) -> int:
    return int(env_number(name, default, int))


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is a loopback address."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, keys: tuple[str, ...]) -> None:
    """Without API keys the service answers anyone who reaches it: refuse any address but loopback."""
    if not keys and not is_loopback(host):
        raise ConfigError(f"refusing to listen on {host} without API keys: set VERIFIER_API_KEYS "
                          "(comma-separated) to require a Bearer key, or listen on 127.0.0.1")
