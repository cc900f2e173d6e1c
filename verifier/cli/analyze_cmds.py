"""``summarize``, ``claims`` and ``who-said-what``: three views over one analysis."""

from __future__ import annotations

import typer

from verifier.cli.common import (
    ArticleArg, EngineOpt, Format, FormatOpt, JsonOpt, LangOpt, ModelOpt, NoCacheOpt, OutputOpt,
    PromptOpt, SentencesOpt, ShowUngroundedOpt, VerboseOpt, emit, TimeoutOpt, announce, engine_settings, setup_logging, warn_ungrounded,
)

_ITEMS = {"claims": "claims", "who-said-what": "attributions", "summarize": "summary"}


def run_view(view_name: str, article: str, engine: str | None, model: str | None, prompt: str | None,
             lang: str | None, as_json: bool, fmt: Format, no_cache: bool, verbose: bool,
             show_ungrounded: bool, output, sentences: int | None = None, timeout: float | None = None) -> None:
    setup_logging(verbose)
    from verifier.analysis import AnalyzeOptions, analyze
    from verifier.analysis.views import view
    from verifier.engines import make_engine
    from verifier.ingest.article import read_article

    doc = read_article(article)
    built = make_engine(engine, model=model, prompt=prompt, summary_sentences=sentences,
                        settings=engine_settings(timeout))
    announce(engine, model, built)
    result = analyze(doc, built, AnalyzeOptions(output_language=lang, use_cache=not no_cache))
    out = view(view_name, result, sentences=sentences)
    fmt = Format.json if as_json else fmt
    warn_ungrounded(out, _ITEMS[view_name], show_ungrounded)
    emit(out, fmt, show_ungrounded=show_ungrounded, verbose=verbose, output=output)


def _command(view_name: str):
    def command(article: ArticleArg, engine: EngineOpt = None, model: ModelOpt = None,
                prompt: PromptOpt = None, lang: LangOpt = None, as_json: JsonOpt = False,
                fmt: FormatOpt = Format.table, no_cache: NoCacheOpt = False, verbose: VerboseOpt = False,
                show_ungrounded: ShowUngroundedOpt = False, output: OutputOpt = None,
                timeout: TimeoutOpt = None) -> None:
        run_view(view_name, article, engine, model, prompt, lang, as_json, fmt, no_cache, verbose,
                 show_ungrounded, output, timeout=timeout)

    def summarize(article: ArticleArg, engine: EngineOpt = None, model: ModelOpt = None,
                  prompt: PromptOpt = None, lang: LangOpt = None, sentences: SentencesOpt = None,
                  as_json: JsonOpt = False, fmt: FormatOpt = Format.table, no_cache: NoCacheOpt = False,
                  verbose: VerboseOpt = False, show_ungrounded: ShowUngroundedOpt = False,
                  output: OutputOpt = None, timeout: TimeoutOpt = None) -> None:
        run_view(view_name, article, engine, model, prompt, lang, as_json, fmt, no_cache, verbose,
                 show_ungrounded, output, sentences, timeout)

    return summarize if view_name == "summarize" else command


def register(app: typer.Typer) -> None:
    for name, help_text in (
        ("summarize", "A short summary; every sentence cites the article passages it rests on."),
        ("claims", "The article's factual claims: modality, speaker and verbatim evidence with offsets."),
        ("who-said-what", "Every speaker, what they said, the reporting verb, denials and refusals to comment."),
    ):
        app.command(name=name, help=help_text)(_command(name))
