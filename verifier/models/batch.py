"""verifier batch: one record per article, the run's summary, and the dry run's estimate."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field

from verifier.models.analysis import Analysis, Usage


class BatchRecord(BaseModel):
    """One line of ``verifier batch --out``: an article's analysis or why it failed.

    The file is append-only: a later line for the same ``id`` (a retried
    failure, a changed article) supersedes earlier ones."""

    id: str = Field(description="The article's id: its path, or the id given in a JSONL input.")
    source: str
    status: Literal["done", "failed"]
    article_sha256: Optional[str] = Field(default=None, description="Null when the input could not be read.")
    engine: str
    model: str
    prompt: str
    output_language: Optional[str] = None
    endpoint: Optional[str] = Field(default=None, description="The base URL the answers came from (without "
                                    "credentials); null for an engine that computes locally. A re-run against "
                                    "another endpoint is refused, as one with another model.")
    cached: bool = Field(default=False, description="Answered from the cache: no request made.")
    usage: Optional[Usage] = Field(default=None, description="Tokens spent on this article in this run.")
    cost_usd: Optional[float] = Field(default=None, description="Cost of this run's requests for this article, "
                                      "from the price table; null when the model has no price.")
    error: Optional[str] = None
    error_type: Optional[Literal["input", "config", "upstream", "fixture", "internal"]] = None
    input_sha256: Optional[str] = Field(default=None, description="SHA-256 of the input bytes; a re-run "
                                        "redoes an id whose input changed.")
    finished: str = Field(description="UTC time the record was written (ISO 8601).")
    analysis: Optional[Analysis] = None


class BatchFailure(BaseModel):
    id: str
    error: str
    error_type: str


class BatchSummary(BaseModel):
    """What a ``verifier batch`` run did (``--json``)."""

    out: str
    engine: str
    model: str
    prompt: str
    total: int = Field(description="Articles in the inputs.")
    already_done: int = Field(default=0, description="Finished in an earlier run: not sent again.")
    failed_before: int = Field(default=0, description="Failed in an earlier run and not retried "
                               "(--retry-failed retries them).")
    done: int = Field(default=0, description="Finished in this run, including from_cache.")
    from_cache: int = 0
    failed: list[BatchFailure] = Field(default_factory=list, description="Failed in this run, with the reason.")
    not_started: int = Field(default=0, description="Left for a re-run (interrupted or stopped).")
    usage: Usage = Field(default_factory=Usage)
    cost_usd: Optional[float] = Field(default=None, description="Null when some request's model has no price.")
    prices: Optional[str] = Field(default=None, description="Where the prices came from.")
    elapsed_seconds: float = 0.0
    interrupted: bool = False
    stopped: Optional[str] = Field(default=None, description="Why the batch stopped early (e.g. bad credentials).")
    batch_api: Optional[list[str]] = Field(default=None, description="Batch API batch ids (--batch-api).")


class BatchEstimate(BaseModel):
    """``verifier batch --dry-run``: what a run would send and cost; nothing is sent."""

    engine: str
    model: str
    prompt: str
    total: int
    already_done: int = 0
    failed_before: int = 0
    from_cache: int = 0
    unreadable: list[BatchFailure] = Field(default_factory=list)
    to_send: int = 0
    prompt_tokens: int = 0
    prompt_tokens_exact: bool = False
    tokenizer: str = ""
    completion_tokens: int = Field(default=0, description="An estimate: completion/prompt ratio observed in "
                                   "earlier results, else the documented default.")
    completion_basis: str = ""
    cost_usd: Optional[float] = None
    batch_cost_usd: Optional[float] = Field(default=None, description="The same at the Batch API price.")
    prices: Optional[str] = None


class BatchExport(BaseModel):
    """``verifier batch --export-requests``: the requests file written; nothing is sent."""

    requests_file: str
    engine: str
    model: str
    prompt: str
    total: int = Field(description="Articles in the inputs.")
    already_done: int = Field(default=0, description="Done in --out: no request written.")
    failed_before: int = Field(default=0, description="Failed in --out and not retried (--retry-failed "
                               "writes them).")
    articles: int = Field(default=0, description="Articles with request lines in the file.")
    lines: int = Field(default=0, description="Request lines: one per article, one per chunk of a long one.")
    duplicates: int = Field(default=0, description="Articles with the same text as another: they share its lines.")
    skipped: list[BatchFailure] = Field(default_factory=list, description="Unreadable or too long: no line.")
