"""Turning each finished or failed article into a ``BatchRecord`` line, and
keeping the run's totals (counts, tokens, cost) for its summary."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from verifier.batch.inputs import Item
from verifier.batch.ledger import Ledger
from verifier.batch.pricing import PriceTable
from verifier.batch.progress import BatchProgress
from verifier.errors import ConfigError, FixtureMissing, InputError, UpstreamError, redact
from verifier.ingest.article import Article
from verifier.models import Analysis, BatchFailure, BatchRecord, BatchSummary, Usage

_ERROR_TYPES = ((InputError, "input"), (ConfigError, "config"), (UpstreamError, "upstream"),
                (FixtureMissing, "fixture"))


def error_type(exc: BaseException) -> str:
    return next((name for kind, name in _ERROR_TYPES if isinstance(exc, kind)), "internal")


def error_text(exc: BaseException) -> str:
    """The one-line reason written to the results file: never the API key."""
    text = f"internal error: {type(exc).__name__}: {exc}" if error_type(exc) == "internal" else str(exc)
    return redact(text, [os.environ.get("OPENAI_API_KEY")])


def recorded_endpoint(endpoint: str | None) -> str | None:
    """An engine's base URL as records keep it: without ``user:pass@`` or a query."""
    if endpoint is None:
        return None
    from urllib.parse import urlsplit

    from verifier.ingest.addresses import safe_url

    try:
        return urlsplit(safe_url(endpoint))._replace(query="", fragment="").geturl()
    except ValueError:
        return None


class Recorder:
    def __init__(self, ledger: Ledger, summary: BatchSummary, prices: PriceTable, progress: BatchProgress,
                 output_language: str | None, *, batch_price: bool = False, priced: bool = True,
                 endpoint: str | None = None):
        self.ledger = ledger
        self.summary = summary
        self.prices = prices
        self.progress = progress
        self.output_language = output_language
        self.batch_price = batch_price
        self.priced = priced  # False for the offline engine: no requests, no cost
        self.endpoint = recorded_endpoint(endpoint)
        self.summary.cost_usd = 0.0

    def interrupt(self, note: str) -> bool:
        """A Ctrl-C (or SIGTERM): the first marks the run interrupted and says ``note``, True; a second
        one, False (stop waiting)."""
        if self.summary.interrupted:
            return False
        self.summary.interrupted = True
        self.progress.note(note)
        return True

    def _base(self, item: Item, input_sha256: str | None) -> dict:
        s = self.summary
        return dict(id=item.id, source=item.source, engine=s.engine, model=s.model, prompt=s.prompt,
                    output_language=self.output_language, endpoint=self.endpoint, input_sha256=input_sha256,
                    finished=datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def _cost(self, usage: Usage | None) -> float | None:
        if not self.priced or usage is None or usage.requests == 0:
            return 0.0
        return self.prices.cost(self.summary.model, usage.prompt_tokens, usage.completion_tokens,
                                batch=self.batch_price)

    def _count(self, usage: Usage | None, cost: float | None) -> None:
        if usage is not None:
            self.summary.usage.add(usage)
        if cost is None or self.summary.cost_usd is None:
            self.summary.cost_usd = None
        else:
            self.summary.cost_usd += cost
        self.progress.advance(usage.total_tokens if usage else 0, cost)

    def read(self, item: Item) -> Article | None:
        """The item's article, or None once its failure to be read is recorded."""
        try:
            return item.read()
        except InputError as exc:
            self.failed(item, exc, input_sha256=item.input_sha256())
            return None

    def done(self, item: Item, analysis: Analysis) -> None:
        cached = analysis.provenance.cached
        usage = None if cached else analysis.provenance.usage
        cost = self._cost(usage)
        self.ledger.append(BatchRecord(
            **self._base(item, analysis.provenance.input_sha256), status="done",
            article_sha256=analysis.article.sha256, cached=cached, usage=usage, cost_usd=cost, analysis=analysis))
        self.summary.done += 1
        self.summary.from_cache += cached
        self._count(usage, cost)

    def failed(self, item: Item, exc: BaseException, *, article_sha256: str | None = None,
               input_sha256: str | None = None) -> None:
        self.failure(item, error_type(exc), error_text(exc), getattr(exc, "usage", None),
                     article_sha256=article_sha256, input_sha256=input_sha256)

    def failure(self, item: Item, kind: str, text: str, usage: Usage | None = None, *,
                article_sha256: str | None = None, input_sha256: str | None = None) -> None:
        """A failure already reduced to plain data (``error_type``, ``error_text``), as a worker on
        another machine sends it back."""
        cost = self._cost(usage)
        self.ledger.append(BatchRecord(
            **self._base(item, input_sha256), status="failed", article_sha256=article_sha256,
            usage=usage, cost_usd=cost, error=text, error_type=kind))
        self.summary.failed.append(BatchFailure(id=item.id, error=text, error_type=kind))
        self._count(usage, cost)
