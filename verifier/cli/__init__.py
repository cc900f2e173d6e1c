"""The ``verifier`` command: thin Typer commands over the library.

One top level (``main``) turns every ``VerifierError`` into one line on
stderr and its exit code; nothing below it prints a traceback.
"""

from __future__ import annotations

import os
import sys

import typer

from verifier.errors import VerifierError, redact

app = typer.Typer(
    name="verifier",
    help="Grounded summaries, claims, who-said-what, diffs of two versions and claim verification "
         "for news articles: offline, or over any OpenAI-compatible LLM. Every quote is located in "
         "the article, or flagged.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from verifier.cli import (
        analyze_cmds, batch_cmd, diff_cmd, prompts_cmd, record_cmd, report_cmd, schema_cmd, serve_cmd,
        verify_cmd, watch_cmd,
    )

    analyze_cmds.register(app)
    diff_cmd.register(app)
    verify_cmd.register(app)
    batch_cmd.register(app)
    report_cmd.register(app)
    app.add_typer(prompts_cmd.app, name="prompts")
    schema_cmd.register(app)
    record_cmd.register(app)
    serve_cmd.register(app)
    watch_cmd.register(app)


_register()


def _fail(message: str, code: int) -> None:
    secrets = [os.environ.get("OPENAI_API_KEY")]
    sys.stderr.write(f"verifier: error: {redact(message, secrets)}\n")
    sys.exit(code)


def main() -> None:
    """Run the CLI; usage errors exit 2 (Typer), ``VerifierError``s their own code."""
    try:
        app()
    except VerifierError as exc:
        _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # a bug: still one line, never a traceback
        if os.environ.get("VERIFIER_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set VERIFIER_DEBUG=1 for details)", 1)
