"""The one seam: source → article → engine (or the cache) → grounding → ``Analysis``.

Every front end (the CLI commands, ``diff``, ``verify``, ``batch``, a
service) analyses an article through this module and nothing else builds
that chain::

    >>> from verifier.analysis import analyze
    >>> from verifier.engines import make_engine
    >>> result = analyze("article.txt", make_engine("offline"))
    >>> [a.speaker.name for a in result.attributions if a.is_denial]

``Pipeline`` keeps the engine, the options and the cache for several
sources; ``lookup`` and ``finish`` are its two halves, for runners that
put the engine's request in between themselves (a batch's concurrent
session, the provider's Batch API).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from verifier import __version__
from verifier.analysis.cache import Cache, CacheKey
from verifier.analysis.grounding import ground
from verifier.engines.base import Engine, EngineResult
from verifier.errors import InputError
from verifier.ingest.article import Article, read_article
from verifier.models import Analysis, AnalysisDraft, Provenance, Usage
from verifier.text.language import language_name


@dataclass(frozen=True)
class AnalyzeOptions:
    """``output_language``: the language of claim texts and summary (llm)
    or the pipeline (offline), None for the article's own;
    ``use_cache``: read and write the analysis cache."""

    output_language: str | None = None
    use_cache: bool = True


class Pipeline:
    def __init__(self, engine: Engine, options: AnalyzeOptions | None = None):
        self.engine = engine
        self.options = options or AnalyzeOptions()
        self.cache = Cache() if self.options.use_cache else None

    def analyze(self, source: str | Article) -> Analysis:
        """Analyse ``source`` (a path, an http(s) address, ``-`` or an
        ``Article``); an article already analysed with the same engine,
        model, prompt, output language and endpoint costs no request."""
        article = source if isinstance(source, Article) else read_article(source)
        self.check_language(article)
        result = self.lookup(article)
        if result is not None:
            return self.finish(article, result, cached=True)
        return self.finish(article, self.engine.analyze(article, self.options.output_language))

    def check_language(self, article: Article) -> None:
        """Refuse (InputError, exit 3; the service's 422) an article in a language the engine has no
        rules for (``Capabilities.languages``), unless the caller named the language to use."""
        languages = self.engine.capabilities.languages
        if languages is None or self.options.output_language or article.language in languages:
            return
        known = " and ".join(language_name(code) for code in languages)
        raise InputError(f"{article.source}: the {self.engine.name} engine reads {known}; this article is "
                         f"{language_name(article.language)} ({article.language}). "
                         f"Use --engine llm for other languages")

    def _key(self, article: Article) -> CacheKey:
        e = self.engine
        return CacheKey(article.sha256, e.name, e.model, e.prompt_id, self.options.output_language,
                        getattr(e, "endpoint", None))

    def _cached(self) -> Cache | None:
        return self.cache if self.engine.capabilities.cacheable else None

    def lookup(self, article: Article) -> EngineResult | None:
        """The engine's earlier answer for ``article``, if the cache holds it."""
        cache = self._cached()
        stored = cache.get(self._key(article)) if cache is not None else None
        if stored is None:
            return None
        try:
            return EngineResult(
                draft=AnalysisDraft.model_validate(stored["draft"]),
                usage=Usage.model_validate(stored["usage"]) if stored.get("usage") else None,
                response_format=stored.get("response_format"),
                chunks=stored.get("chunks"),
            )
        except (ValidationError, KeyError, TypeError):
            return None  # written by a version with another schema: asked again

    def finish(self, article: Article, result: EngineResult, *, cached: bool = False) -> Analysis:
        """Store a fresh engine answer in the cache, ground it and build the Analysis."""
        cache, engine, language = self._cached(), self.engine, self.options.output_language
        if cache is not None and not cached:
            cache.put(self._key(article),
                      {"draft": result.draft.model_dump(mode="json"),
                       "usage": result.usage.model_dump() if result.usage else None,
                       "response_format": result.response_format, "chunks": result.chunks})
        claims, attributions, summary = ground(result.draft, article.text, article.language)
        return Analysis(
            provenance=Provenance(
                engine=engine.name, model=result.model or engine.model, prompt=engine.prompt_id,
                input_sha256=article.input_sha256, verifier_version=__version__,
                response_format=result.response_format, cached=cached,
                usage=result.usage, fixture=result.fixture, output_language=language,
                chunks=result.chunks, results_file=result.results_file,
            ),
            article=article.info(),
            claims=claims, attributions=attributions, summary=summary,
        )


def analyze(source: str | Article, engine: Engine, options: AnalyzeOptions | None = None) -> Analysis:
    """Analyse one source with ``engine`` (see ``Pipeline.analyze``)."""
    return Pipeline(engine, options).analyze(source)
