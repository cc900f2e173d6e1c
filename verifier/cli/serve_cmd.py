"""``verifier serve``: the HTTP service (FastAPI on uvicorn), models kept warm."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from typing_extensions import Annotated

from verifier.cli.common import EngineOpt, ModelOpt, NoCacheOpt, PromptOpt, VerboseOpt, announce, setup_logging


def serve(host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but loopback "
                                            "needs VERIFIER_API_KEYS.")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, help="Port (0: any free one).")] = 8000,
          engine: EngineOpt = None, model: ModelOpt = None, prompt: PromptOpt = None,
          workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Worker processes running "
                                                         "analyses (default: VERIFIER_SERVE_WORKERS, or one "
                                                         "per core).", show_default=False)] = None,
          queue: Annotated[Optional[int], typer.Option("--queue", min=0, help="Analyses that may wait for a "
                                                       "worker; beyond them the service answers 429 "
                                                       "(default: VERIFIER_SERVE_QUEUE, or 4 per worker).",
                                                       show_default=False)] = None,
          data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="Where jobs are kept (default: "
                                                           "VERIFIER_DATA_DIR, or the user data folder).",
                                                           show_default=False)] = None,
          no_cache: NoCacheOpt = False, verbose: VerboseOpt = False) -> None:
    """Serve the analyses over HTTP: /v1/summarize, /v1/claims, /v1/who-said-what, /v1/analyze, /v1/diff,
    /v1/verify, /v1/jobs, the report page at /, the API docs at /docs."""
    setup_logging(verbose)
    from verifier.service.settings import EngineSpec, ServiceSettings, check_bind

    settings = ServiceSettings.from_env(EngineSpec(engine, model, prompt), workers=workers, queue=queue,
                                        use_cache=not no_cache, data_dir=data_dir)
    check_bind(host, settings.api_keys)
    check_port(host, port)
    built = settings.engine.build()  # a bad --engine is one line now, not in every worker
    announce(engine, model, built)
    import uvicorn

    from verifier.service.app import create_app

    sys.stderr.write(f"verifier: serving on http://{host}:{port} with engine {built.name} ({built.model}), "
                     f"{settings.workers} worker(s), jobs in {settings.data_dir}"
                     f"{', API keys required' if settings.api_keys else ''}; loading models…\n")
    uvicorn.run(create_app(settings, on_ready=lambda: sys.stderr.write("verifier: ready\n")), host=host, port=port, log_level="info" if verbose else "warning",
                access_log=verbose, timeout_graceful_shutdown=10)


def check_port(host: str, port: int) -> None:
    """Fail now, in one line, if the address cannot be listened on (before the models load)."""
    import socket

    from verifier.errors import ConfigError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
