"""The library entry point: article → engine (or cache) → grounding → Analysis.

>>> from verifier import analysis
>>> result = analysis.analyze_file("article.txt", engine="replay")
>>> [c.text for c in result.claims if c.grounded]
"""

from __future__ import annotations

from pydantic import ValidationError

from verifier import __version__
from verifier.ingest.article import Article, read_article
from verifier.analysis.cache import Cache, CacheKey
from verifier.engines import Engine, EngineResult, make_engine
from verifier.analysis.grounding import ground
from verifier.models import Analysis, AnalysisDraft, Provenance, Usage


def cache_key(article: Article, engine: Engine, output_language: str | None) -> CacheKey:
    return CacheKey(article.sha256, engine.name, engine.model, engine.prompt_id, output_language)


def cached_result(article: Article, engine: Engine, output_language: str | None,
                  cache: Cache | None) -> EngineResult | None:
    """The engine's earlier answer for this article, if the cache holds it."""
    stored = cache.get(cache_key(article, engine, output_language)) if cache and engine.cacheable else None
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


def analyze(article: Article, engine: Engine, *, output_language: str | None = None,
            cache: Cache | None = None) -> Analysis:
    """Analyse one article; with a cache, an article already analysed with the
    same engine, model, prompt and output language costs no request."""
    result = cached_result(article, engine, output_language, cache)
    if result is not None:
        return finish(article, engine, result, output_language, cached=True)
    result = engine.analyze(article, output_language)
    return finish(article, engine, result, output_language, cache=cache)


def finish(article: Article, engine: Engine, result: EngineResult, output_language: str | None, *,
           cached: bool = False, cache: Cache | None = None) -> Analysis:
    """Store a fresh engine answer in the cache, ground it and build the Analysis."""
    if cache is not None and engine.cacheable and not cached:
        cache.put(cache_key(article, engine, output_language),
                  {"draft": result.draft.model_dump(mode="json"),
                   "usage": result.usage.model_dump() if result.usage else None,
                   "response_format": result.response_format, "chunks": result.chunks})
    claims, attributions, summary = ground(result.draft, article.text)
    return Analysis(
        provenance=Provenance(
            engine=engine.name, model=engine.model, prompt=engine.prompt_id,
            input_sha256=article.input_sha256, verifier_version=__version__,
            response_format=result.response_format, cached=cached,
            usage=result.usage, fixture=result.fixture, output_language=output_language,
            chunks=result.chunks,
        ),
        article=article.info(),
        claims=claims, attributions=attributions, summary=summary,
    )


def analyze_file(source: str, *, engine: str | None = None, model: str | None = None,
                 prompt: str | None = None, output_language: str | None = None,
                 use_cache: bool = True) -> Analysis:
    """Read ``source`` (a path or ``-``) and analyse it."""
    article = read_article(source)
    built = make_engine(engine, model=model, prompt=prompt)
    return analyze(article, built, output_language=output_language, cache=Cache() if use_cache else None)
