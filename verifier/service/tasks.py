"""What a worker process runs: one request through the library, answered as the CLI's JSON.

Each worker keeps its engines (and so the spaCy pipelines) warm for its
whole life: ``start`` loads the server's engine once, and an engine a
request names is built on first use and kept.  Every function takes plain
data (an article as ``{"text"}`` or ``{"url"}``, an ``EngineSpec``) and returns
text (JSON or HTML).  An error travels back to the server as plain data
(``portable``): an engine's own error types need not survive pickling, and
one that did not would break the whole pool.
"""

from __future__ import annotations

import functools
import os
import signal

from verifier.analysis.pipeline import AnalyzeOptions, Pipeline
from verifier.errors import ConfigError, FixtureMissing, InputError, UpstreamError, VerifierError
from verifier.ingest.article import Article, article_from_text, read_article
from verifier.service.settings import EngineSpec

_pipelines: dict[tuple, Pipeline] = {}
_config = {"use_cache": True, "allow_private": False}


def start(spec: EngineSpec, use_cache: bool, allow_private: bool) -> None:
    """A worker's initializer: Ctrl-C is the server's to handle; the server's engine is loaded now."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _config.update(use_cache=use_cache, allow_private=allow_private)
    pipeline(spec).engine.warm_up()


class WorkerFailure(VerifierError):
    """A bug in a worker, as one line: the exception's type and message."""


def portable(exc: BaseException) -> VerifierError:
    """``exc`` as the plain error type of its kind (input, configuration, upstream, fixture) with its
    message and token usage: it pickles whatever the original's constructor takes."""
    kind = next((k for k in (InputError, ConfigError, UpstreamError, FixtureMissing) if isinstance(exc, k)), None)
    if kind is not None:
        plain = kind(str(exc))
    elif isinstance(exc, VerifierError):
        plain = VerifierError(str(exc))
    else:
        plain = WorkerFailure(f"{type(exc).__name__}: {exc}")
    plain.usage = getattr(exc, "usage", None)
    return plain


def _plain_errors(fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - handed back as data
            raise portable(exc) from None
    return run


def ready() -> int:
    return os.getpid()


def pipeline(spec: EngineSpec, language: str | None = None, sentences: int | None = None) -> Pipeline:
    key = (spec, language, sentences)
    if key not in _pipelines:
        from verifier.engines import make_engine

        engine = make_engine(spec.name, model=spec.model, prompt=spec.prompt, summary_sentences=sentences)
        _pipelines[key] = Pipeline(engine, AnalyzeOptions(output_language=language,
                                                          use_cache=_config["use_cache"]))
    return _pipelines[key]


def article(source: dict, where: str = "text") -> Article:
    """``{"text": ...}`` or ``{"url": ...}`` as an Article (a URL through the address policy)."""
    if source.get("url") is not None:
        return read_article(source["url"], allow_private=_config["allow_private"])
    text = source.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: give exactly one of \"text\" or \"url\"")
    return article_from_text(text, f"<{where}>")


@_plain_errors
def view_json(view_name: str, source: dict, spec: EngineSpec, language: str | None = None,
              sentences: int | None = None) -> str:
    """``verifier <view_name> --json`` for one article (``analyze``: the whole Analysis)."""
    from verifier.analysis.views import view
    from verifier.render import to_json

    result = pipeline(spec, language, sentences).analyze(article(source))
    return to_json(result if view_name == "analyze" else view(view_name, result, sentences=sentences))


@_plain_errors
def diff_json(old: dict, new: dict, spec: EngineSpec) -> str:
    """``verifier diff OLD NEW --json``."""
    from verifier.compare.diff import diff
    from verifier.render import to_json

    p = pipeline(spec)
    return to_json(diff(article(old, "old"), article(new, "new"), p.engine, p.options))


@_plain_errors
def verify_json(claims, source: dict, spec: EngineSpec) -> str:
    """``verifier verify CLAIMS --against SOURCE --json`` for claims given as JSON data."""
    from verifier.compare.claims_input import claims_from_data
    from verifier.compare.verify import verify_claims
    from verifier.render import to_json

    items = claims_from_data(claims, "claims")
    return to_json(verify_claims(items, article(source, "source"), pipeline(spec).engine, claims_from="<request>"))


def job_item(task: str, item: dict, spec: EngineSpec, language: str | None) -> tuple:
    """One job item: ``("done", analysis JSON)`` or ``("failed", error, article_sha256, input_sha256)``,
    as a batch records it."""
    try:
        doc = article(item, str(item.get("custom_id", "item")))
    except InputError as exc:
        return "failed", portable(exc), None, None
    try:
        return "done", pipeline(spec, language).analyze(doc).model_dump_json()
    except Exception as exc:  # noqa: BLE001 - recorded with its reason
        return "failed", portable(exc), doc.sha256, doc.input_sha256


@_plain_errors
def report_html(source: dict, against: dict | None, spec: EngineSpec, language: str | None = None) -> str:
    """``verifier report ARTICLE [--against OTHER]``: the self-contained HTML page (``against``: the
    earlier version; the article is then the new one)."""
    from verifier.render.html import diff_report_html, report_html as page

    p = pipeline(spec, language)
    doc = article(source)
    if against is None:
        return page(doc.text, p.analyze(doc))
    from verifier.compare.diff import diff_with_analyses

    other = article(against, "against")
    old, new, compared = diff_with_analyses(other, doc, p.engine, p.options)
    return diff_report_html(other.text, old, doc.text, new, compared)


@_plain_errors
def watch_pass(db: str, urls: list[str], spec: EngineSpec, delay: float, allow_private: bool,
               seconds: float | None = None) -> tuple[list[str], list[str]]:
    """One pass of a watch (``verifier watch --once``) on the watch database ``db``: each new version's
    event as JSON (``verifier watch --json``'s lines), and one line per address that failed."""
    from pathlib import Path

    from verifier.watch import Store, WatchOptions, run_pass

    store = Store(Path(db))
    try:
        result = run_pass(store, urls, pipeline(spec).engine, WatchOptions(
            delay=delay, use_cache=_config["use_cache"], allow_private=allow_private, pass_seconds=seconds))
    finally:
        store.close()
    return [event.model_dump_json() for event in result.events], list(result.failures)
