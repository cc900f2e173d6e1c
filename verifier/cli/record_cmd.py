"""``verifier record``: save a live endpoint's analysis of an article as a fixture."""

from __future__ import annotations

import sys

import typer

from verifier.cli.common import ArticleArg, LangOpt, ModelOpt, PromptOpt, VerboseOpt, setup_logging


def record(article: ArticleArg, model: ModelOpt = None, prompt: PromptOpt = None, lang: LangOpt = None,
           verbose: VerboseOpt = False) -> None:
    """Analyse ARTICLE on the configured live endpoint and store the reply under fixtures/
    (source: recorded, with the model and date), for --engine replay --model MODEL."""
    setup_logging(verbose)
    from verifier.ingest.article import read_article
    from verifier.engines.replay.record import record as do_record

    path = do_record(read_article(article), model=model, prompt=prompt, output_language=lang)
    sys.stdout.write(f"recorded {path}\n")


def register(app: typer.Typer) -> None:
    app.command("record")(record)
