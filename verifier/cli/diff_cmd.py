"""``verifier diff OLD NEW``: two versions of a story, claim by claim."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from typing_extensions import Annotated

from verifier.cli.common import (
    EngineOpt, Format, FormatOpt, JsonOpt, ModelOpt, NoCacheOpt, OutputOpt, PromptOpt, VerboseOpt,
    TimeoutOpt, announce, engine_settings, setup_logging, write_report,
)


OnlyChangesOpt = Annotated[bool, typer.Option("--only-changes", help="Hide unchanged and reworded claims, "
                                              "and sources and stances present in both versions.")]


def diff(old: Annotated[str, typer.Argument(help="The earlier (or first outlet's) article: a file, "
                                            "an http(s):// address or -.", show_default=False)],
         new: Annotated[str, typer.Argument(help="The later (or second outlet's) article: a file, "
                                            "an http(s):// address or -.", show_default=False)],
         engine: EngineOpt = None, model: ModelOpt = None, prompt: PromptOpt = None,
         only_changes: OnlyChangesOpt = False, as_json: JsonOpt = False, fmt: FormatOpt = Format.table,
         no_cache: NoCacheOpt = False, verbose: VerboseOpt = False, output: OutputOpt = None,
         timeout: TimeoutOpt = None,
         db: Annotated[Optional[Path], typer.Option("--db", help="A watch database (verifier watch): OLD and "
                                                    "NEW are then stored versions, URL@N.",
                                                    show_default=False)] = None) -> None:
    """Compare two versions of a story: claims kept, reworded, changed in a detail (number, date,
    name, hedging, speaker, negation), added or removed; sources and denials in one version only."""
    setup_logging(verbose)
    from verifier.analysis import AnalyzeOptions
    from verifier.compare.diff import diff as compare, only_changes as without_unchanged
    from verifier.engines import make_engine
    from verifier.render.diff_view import diff_markdown, diff_table

    built = make_engine(engine, model=model, prompt=prompt, settings=engine_settings(timeout))
    announce(engine, model, built)
    if db is not None:
        from verifier.watch.history import stored_diff

        report = stored_diff(db, old, new, built, use_cache=not no_cache)[4]
    else:
        report = compare(old, new, built, AnalyzeOptions(use_cache=not no_cache))
    warn_left_out(report)
    fmt = Format.json if as_json else fmt
    write_report(without_unchanged(report) if only_changes and fmt is Format.json else report, fmt, output,
                 markdown=lambda: diff_markdown(report, only_changes=only_changes, verbose=verbose),
                 table=lambda console: diff_table(report, console, only_changes=only_changes, verbose=verbose))


def warn_left_out(report) -> None:
    """Say on stderr how many claims were not compared (not grounded in their article)."""
    left = {k: n for k, n in report.ungrounded.items() if n}
    if left:
        sys.stderr.write("verifier: warning: claims not grounded in their article were left out of the "
                         f"comparison ({', '.join(f'{n} of the {k} version' for k, n in left.items())}); "
                         "`verifier claims --show-ungrounded` shows them\n")


def register(app: typer.Typer) -> None:
    app.command(name="diff")(diff)
