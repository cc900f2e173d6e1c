"""``verifier diff OLD NEW``: two versions of a story, claim by claim."""

from __future__ import annotations

import sys
import typer
from typing_extensions import Annotated

from verifier.cli.common import (
    EngineOpt, Format, FormatOpt, JsonOpt, ModelOpt, NoCacheOpt, OutputOpt, PromptOpt, VerboseOpt,
    setup_logging, write_text,
)

OnlyChangesOpt = Annotated[bool, typer.Option("--only-changes", help="Hide unchanged and reworded claims, "
                                              "and sources and stances present in both versions.")]


def diff(old: Annotated[str, typer.Argument(help="The earlier (or first outlet's) article.", show_default=False)],
         new: Annotated[str, typer.Argument(help="The later (or second outlet's) article.", show_default=False)],
         engine: EngineOpt = None, model: ModelOpt = None, prompt: PromptOpt = None,
         only_changes: OnlyChangesOpt = False, as_json: JsonOpt = False, fmt: FormatOpt = Format.table,
         no_cache: NoCacheOpt = False, verbose: VerboseOpt = False, output: OutputOpt = None) -> None:
    """Compare two versions of a story: claims kept, reworded, changed in a detail (number, date,
    name, hedging, speaker, negation), added or removed; sources and denials in one version only."""
    setup_logging(verbose)
    from verifier.diff import diff_files

    report = diff_files(old, new, engine=engine, model=model, prompt=prompt, use_cache=not no_cache)
    if engine is None and report.old.provenance.engine == "offline":
        sys.stderr.write(f"verifier: engine: offline ({report.old.provenance.model})\n")
    fmt = Format.json if as_json else fmt
    if fmt is Format.json:
        from verifier.render import to_json

        if only_changes:
            report = _only_changes(report)
        write_text(to_json(report), output)
    elif fmt is Format.markdown:
        from verifier.render.diff_view import diff_markdown

        write_text(diff_markdown(report, only_changes=only_changes), output)
    else:
        from verifier.render.diff_view import diff_table

        write_text(None, output, lambda console: diff_table(report, console, only_changes=only_changes,
                                                            verbose=verbose))


def _only_changes(report):
    keep = {"changed", "added", "removed"}
    return report.model_copy(update={
        "pairs": [p for p in report.pairs if p.status.value in keep],
        "speakers": [s for s in report.speakers if s.status.value != "kept"],
        "stances": [s for s in report.stances if s.status.value != "kept"],
    })


def register(app: typer.Typer) -> None:
    app.command(name="diff")(diff)
