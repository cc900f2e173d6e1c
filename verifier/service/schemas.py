"""What the routes accept (the answers are the CLI's own output models).

An article is ``{"text": ...}`` or ``{"url": ...}`` (exactly one), with an
optional ``language`` for the output (``--lang``).  ``engine``, ``model`` and
``prompt`` choose the engine as the CLI's options do (default: the server's).
"""

from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

TASKS = ("analyze", "summarize", "claims", "who-said-what")
Task = Literal["analyze", "summarize", "claims", "who-said-what"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ArticleIn(_Strict):
    text: Optional[str] = Field(default=None, description="The article's text (plain text, Markdown or HTML).")
    url: Optional[str] = Field(default=None, description="An http(s) address: the page is fetched and its "
                               "article body extracted. Private addresses are refused unless the operator "
                               "allows them.")

    @model_validator(mode="after")
    def _one_source(self):
        if (self.text is None) == (self.url is None):
            raise ValueError("give exactly one of \"text\" or \"url\"")
        if self.url is not None and not self.url.lower().startswith(("http://", "https://")):
            raise ValueError(f"{self.url}: \"url\" must be an http:// or https:// address")
        return self


class EngineChoice(_Strict):
    engine: Optional[str] = Field(default=None, description="offline | llm | replay (default: the server's).")
    model: Optional[str] = None
    prompt: Optional[str] = Field(default=None, description="Prompt name@version (llm, replay).")


class AnalyzeIn(ArticleIn, EngineChoice):
    language: Optional[str] = Field(default=None, description="As the CLI's --lang: the output language "
                                    "(llm) or the pipeline (offline); default: the article's.")
    sentences: Optional[int] = Field(default=None, ge=1, le=50, description="summarize: summary length.")


class DiffIn(EngineChoice):
    old: ArticleIn
    new: ArticleIn


class VerifyIn(EngineChoice):
    claims: Union[list[Union[str, dict[str, Any]]], dict[str, Any]] = Field(
        description="A list of claim texts, of objects with 'text', or the output of /v1/claims.")
    source: ArticleIn


class ReportIn(ArticleIn, EngineChoice):
    language: Optional[str] = Field(default=None, description="As the CLI's --lang.")
    against: Optional[ArticleIn] = Field(default=None, description="An earlier (or another outlet's) version, "
                                         "as `verifier report --against`: both side by side, claim by claim; "
                                         "the article is then the new version.")


class JobItemIn(_Strict):
    custom_id: str = Field(min_length=1, max_length=512)
    text: Optional[str] = None
    url: Optional[str] = None

    @model_validator(mode="after")
    def _one_source(self):
        ArticleIn(text=self.text, url=self.url)
        return self


class JobIn(EngineChoice):
    task: Task = "analyze"
    items: list[JobItemIn] = Field(min_length=1, max_length=100_000)
    webhook: Optional[str] = Field(default=None, description="POSTed the job's status when it ends.")
    language: Optional[str] = None

    @model_validator(mode="after")
    def _unique(self):
        seen = set()
        for item in self.items:
            if item.custom_id in seen:
                raise ValueError(f"custom_id {item.custom_id!r} appears twice; ids must be unique")
            seen.add(item.custom_id)
        if self.webhook is not None and not self.webhook.lower().startswith(("http://", "https://")):
            raise ValueError(f"{self.webhook}: \"webhook\" must be an http:// or https:// address")
        return self


class JobCounts(BaseModel):
    total: int
    done: int = 0
    failed: int = 0
    pending: int = 0


class JobOut(BaseModel):
    id: str
    object: Literal["job"] = "job"
    task: Task
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    engine: Optional[str] = None
    created_at: str
    finished_at: Optional[str] = None
    counts: JobCounts
    error: Optional[str] = Field(default=None, description="Why the whole job failed (status failed).")
    webhook: Optional[str] = None
    results_url: str


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str
    engine: str
    model: str
    prompt: str
    models_loaded: bool = Field(description="The worker processes have loaded the engine's models.")
    workers: int
    busy: int = Field(description="Analyses running or waiting.")
    queue: int = Field(description="Analyses that may wait before the service answers 429.")


class WatchIn(EngineChoice):
    urls: list[str] = Field(min_length=1, max_length=50, description="Article pages or RSS/Atom feeds (whose "
                            "items are followed), as `verifier watch URL...`.")
    every: Union[str, float] = Field(default="15m", description="Time between two passes: seconds, or "
                                     "90s, 15m, 2h; at least 60 s.")
    webhook: Optional[str] = Field(default=None, description="POSTed each new version's event (retried, "
                                   "signed with VERIFIER_WEBHOOK_SECRET when set).")

    @model_validator(mode="after")
    def _addresses(self):
        for url in [*self.urls, *([self.webhook] if self.webhook else [])]:
            if not url.lower().startswith(("http://", "https://")):
                raise ValueError(f"{url}: give http:// or https:// addresses")
        if len(set(self.urls)) != len(self.urls):
            raise ValueError("an address appears twice in \"urls\"")
        return self


class WatchOut(BaseModel):
    id: str
    object: Literal["watch"] = "watch"
    urls: list[str]
    every_seconds: float
    engine: Optional[str] = None
    created_at: str
    webhook: Optional[str] = None
    status: Literal["waiting", "running", "deleted"]
    passes: int = Field(description="Passes run so far.")
    events: int = Field(description="New versions found so far (first versions included).")
    last_pass_at: Optional[str] = None
    next_pass_at: Optional[str] = Field(default=None, description="When the next pass is due (UTC); null once "
                                        "deleted.")
    last_failures: list[str] = Field(default_factory=list, description="One line per address that failed "
                                     "in the last pass.")
    versions_url: str


class WatchVersions(BaseModel):
    id: str
    object: Literal["watch.versions"] = "watch.versions"
    sources: list[Any] = Field(description="One entry per article watched (a feed's items included), as "
                               "`verifier history URL --json`; an address not fetched yet is left out.")
