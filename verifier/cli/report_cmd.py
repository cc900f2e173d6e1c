"""``verifier report ARTICLE [--against OTHER]``: one self-contained HTML page."""

from __future__ import annotations

from typing import Optional

import typer
from typing_extensions import Annotated

from verifier.cli.common import (
    ArticleArg, EngineOpt, LangOpt, ModelOpt, NoCacheOpt, OutputOpt, PromptOpt, VerboseOpt,
    TimeoutOpt, announce, engine_settings, setup_logging, write_text,
)

AgainstOpt = Annotated[Optional[str], typer.Option("--against", "-a", help="An earlier (or another outlet's) "
                                                   "version: both side by side, the aligned claims linked and "
                                                   "each change labelled. ARTICLE is then the new version.",
                                                   show_default=False)]


def report(article: ArticleArg, against: AgainstOpt = None, engine: EngineOpt = None, model: ModelOpt = None,
           prompt: PromptOpt = None, lang: LangOpt = None, no_cache: NoCacheOpt = False,
           verbose: VerboseOpt = False, output: OutputOpt = None, timeout: TimeoutOpt = None) -> None:
    """A self-contained HTML report (no external resources): the article with who said what highlighted
    by speaker, the claims, the cited summary and what failed grounding; with --against, two versions
    side by side."""
    setup_logging(verbose)
    from verifier.analysis import AnalyzeOptions, analyze
    from verifier.engines import make_engine
    from verifier.ingest.article import read_article
    from verifier.render.html import diff_report_html, report_html

    if against == "-" and article == "-":
        from verifier.errors import InputError

        raise InputError("only one of ARTICLE and --against can be read from stdin (-)")
    doc = read_article(article)
    other = read_article(against) if against is not None else None
    built = make_engine(engine, model=model, prompt=prompt, settings=engine_settings(timeout))
    announce(engine, model, built)
    options = AnalyzeOptions(output_language=lang, use_cache=not no_cache)
    if other is None:
        page = report_html(doc.text, analyze(doc, built, options))
    else:
        from verifier.cli.diff_cmd import warn_left_out
        from verifier.compare.diff import diff_with_analyses

        old, new, compared = diff_with_analyses(other, doc, built, options)
        warn_left_out(compared)
        page = diff_report_html(other.text, old, doc.text, new, compared)
    write_text(page, output)


def register(app: typer.Typer) -> None:
    app.command(name="report")(report)
