"""``verifier verify CLAIMS --against SOURCE``: claims checked against a source."""

from __future__ import annotations

import typer
from typing_extensions import Annotated

from verifier.cli.common import (
    EngineOpt, Format, FormatOpt, JsonOpt, ModelOpt, NoCacheOpt, OutputOpt, VerboseOpt, TimeoutOpt, announce, engine_settings,
    setup_logging, write_report,
)


def verify(claims: Annotated[str, typer.Argument(
               help="Claims: a JSON file (a list of strings, of objects with 'text', or 'verifier claims "
                    "--json' output), a text file with one claim per line, or an article (its claims "
                    "are extracted).", show_default=False)],
           against: Annotated[str, typer.Option("--against", "-a", help="The source to check the claims "
                                                "against (an article file, an http(s):// address, "
                                                "or - for stdin).",
                                                show_default=False)],
           engine: EngineOpt = None, model: ModelOpt = None, as_json: JsonOpt = False,
           fmt: FormatOpt = Format.table, no_cache: NoCacheOpt = False, verbose: VerboseOpt = False,
           output: OutputOpt = None, timeout: TimeoutOpt = None) -> None:
    """Check each claim against a source: supported, contradicted or not found, with the evidence
    sentences (offsets into the source) and a short reason."""
    setup_logging(verbose)
    from verifier.analysis import AnalyzeOptions
    from verifier.compare.verify import verify as check
    from verifier.engines import make_engine
    from verifier.render.verify_view import verify_markdown, verify_table

    built = make_engine(engine, model=model, settings=engine_settings(timeout))
    announce(engine, model, built)
    report = check(claims, against, built, AnalyzeOptions(use_cache=not no_cache))

    write_report(report, Format.json if as_json else fmt, output, markdown=lambda: verify_markdown(report),
                 table=lambda console: verify_table(report, console, verbose=verbose))


def register(app: typer.Typer) -> None:
    app.command(name="verify")(verify)
