"""Options shared by the analysis commands, and how their output is written."""

from __future__ import annotations

import io
import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from typing_extensions import Annotated

from verifier.errors import redact


class Format(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


ArticleArg = Annotated[str, typer.Argument(help="Article: a file (text, Markdown or HTML; UTF-8, Latin-1 or "
                                           "Windows-1252), an http(s):// address (the page is fetched and its "
                                           "article body extracted), or - for stdin.", show_default=False)]
EngineOpt = Annotated[Optional[str], typer.Option("--engine", "-e", help="offline | llm | replay. Default: llm when "
                                                  "OPENAI_API_KEY or OPENAI_BASE_URL is set, else offline.",
                                                  show_default=False)]
ModelOpt = Annotated[Optional[str], typer.Option("--model", "-m", help="Model name (default: VERIFIER_MODEL, "
                                                 "or 'hand-annotated' for replay).", show_default=False)]
PromptOpt = Annotated[Optional[str], typer.Option("--prompt", help="Prompt name@version (default: analyze@v1).",
                                                  show_default=False)]
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="llm: language of claim texts and summary "
                                                "(quotes stay verbatim); offline: the pipeline (fr, en). "
                                                "Default: the article's, detected.",
                                                show_default=False)]
SentencesOpt = Annotated[Optional[int], typer.Option("--sentences", "-n", min=1, max=50,
                                                   help="Summary length in sentences (offline: chosen by "
                                                   "position and centrality; llm/replay: the first N).",
                                                   show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the documented JSON (same as --format json).")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table | json | markdown.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Ignore and do not write the analysis cache.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Log requests and retries; show token usage.")]
ShowUngroundedOpt = Annotated[bool, typer.Option("--show-ungrounded", help="Also show items not grounded in "
                                                 "the article (a quote not found or altered, a paraphrase "
                                                 "its evidence does not support), with why (always in JSON).")]
TimeoutOpt = Annotated[Optional[float], typer.Option("--timeout", min=0.1, help="llm: seconds an answer may take "
                                                    "in all (an article with its retries, re-asks and chunks; "
                                                    "one judgment). Default: VERIFIER_DEADLINE, else 300.",
                                                    show_default=False)]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (atomically) "
                                                   "instead of stdout.", show_default=False)]


class RedactingFilter(logging.Filter):
    """Takes the API key, and any piece of it, out of every log line (read at
    each record: a key from ``.env`` is loaded after logging is set up)."""

    def filter(self, record: logging.LogRecord) -> bool:
        key = os.environ.get("OPENAI_API_KEY")
        if key:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):  # a malformed call: logging reports it, key and all, so drop it
                return False
            record.msg, record.args = redact(message, [key]), None
        return True


def setup_logging(verbose: bool) -> None:
    """Log lines on stderr (requests and retries with ``verbose``), never
    holding the key, whichever library logs them."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="verifier: %(message)s")
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    from verifier.engines.llm import waiting

    waiting.enable()  # a line on stderr while the endpoint takes more than 2 s


def engine_settings(timeout: float | None):
    """The settings from the environment, ``--timeout`` (seconds per answer) over ``VERIFIER_DEADLINE``."""
    from dataclasses import replace

    from verifier.config import Settings

    settings = Settings.from_env()
    return replace(settings, deadline=timeout) if timeout else settings


def announce(engine_option: str | None, model_option: str | None, engine) -> None:
    """The first line on stderr of a command that analyses: the engine, model and endpoint host, and
    where each came from (a flag, the environment, the ``.env`` file, the default); never the key."""
    sys.stderr.write(f"verifier: {configuration(engine_option, model_option, engine)}\n")


def configuration(engine_option: str | None, model_option: str | None, engine) -> str:
    from urllib.parse import urlsplit

    from verifier.config import origin

    def source(name: str, bare: bool = False) -> str | None:
        where = origin(name)
        return None if where is None else f"from {where}" if bare else f"{name} from {where}"

    if engine_option is not None:
        engine_from = "--engine"
    elif engine.name == "offline":
        engine_from = "default: no endpoint configured"
    else:
        engine_from = source("OPENAI_BASE_URL", True) or source("OPENAI_API_KEY", True) or "default"
    if model_option is not None:
        model_from = "--model"
    elif engine.name == "offline":
        model_from = "built in"
    else:
        model_from = (source("VERIFIER_MODEL") if engine.name == "llm" else None) or "default"
    parts = [f"engine {engine.name} ({engine_from})", f"model {engine.model} ({model_from})"]
    endpoint = getattr(engine, "endpoint", None)
    if endpoint:
        host = urlsplit(endpoint).netloc.rpartition("@")[2] or endpoint
        parts.append(f"endpoint {host} ({source('OPENAI_BASE_URL') or 'default'})")
    return ", ".join(parts)


def warn_ungrounded(out, kind: str, shown: bool) -> None:
    from verifier.render import ungrounded_counts

    total = len(getattr(out, kind))
    if out.ungrounded:
        hint = "shown, marked" if shown else "hidden from the table; --show-ungrounded shows them"
        label = "summary sentences" if kind == "summary" else kind
        sys.stderr.write(f"verifier: warning: {out.ungrounded} of {total} {label} are not grounded in the article: "
                         f"{ungrounded_counts(getattr(out, kind))} ({hint})\n")


def emit(out, fmt: Format, *, show_ungrounded: bool, verbose: bool, output: Path | None) -> None:
    from verifier.render.markdown import render_markdown
    from verifier.render.table import render_table

    write_report(out, fmt, output,
                 markdown=lambda: render_markdown(out, show_ungrounded=show_ungrounded, verbose=verbose),
                 table=lambda console: render_table(out, console, show_ungrounded=show_ungrounded, verbose=verbose))


def write_report(out, fmt: Format, output: Path | None, *, markdown, table) -> None:
    """``out`` as JSON, or ``markdown()``, or what ``table(console)`` prints."""
    if fmt is Format.json:
        from verifier.render import to_json

        write_text(to_json(out), output)
    elif fmt is Format.markdown:
        write_text(markdown(), output)
    else:
        write_text(None, output, table)


def write_text(text: str | None, output: Path | None, draw=None) -> None:
    """Write ``text`` (or what ``draw(console)`` prints) to stdout or,
    atomically, to ``output``."""
    from verifier.storage import write_atomic

    if draw is not None:
        from rich.console import Console

        console = Console(record=output is not None, file=None if output is None else io.StringIO(),
                          width=160 if output is not None else None)
        draw(console)
        if output is None:
            return
        text = console.export_text()
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
