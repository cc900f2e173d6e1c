"""Pydantic schemas: what an engine returns (drafts) and what the tool outputs.

Two layers:

* ``AnalysisDraft`` is what an engine produces: quotes copied verbatim from the
  article, never character offsets.  Its JSON Schema is sent to the LLM as a
  strict structured-output schema.
* ``Analysis`` is the grounded result: every quote located in the article
  (``grounding.py``) with ``start``/``end`` character offsets, or flagged
  ``grounded: false``.  The command outputs (``ClaimsOutput``,
  ``AttributionsOutput``, ``SummaryOutput``) are views over it.

Offsets are Python string indices (Unicode code points) into the article text
as read by ``article.py``: decoded (UTF-8, a BOM dropped, or the detected
encoding), newlines normalised to ``\\n``, and the article body extracted
from HTML.  ``article_text[start:end] == text`` holds for every
grounded span.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field


class Modality(str, Enum):
    """How firmly a claim is put forward.

    * ``asserted``: stated as fact, by the article's own voice or by a speaker.
    * ``reported``: attributed to a source ("selon X", "X said", "according to")
      without the article or the source softening it.
    * ``hedged``: softened: French conditional ("aurait", "auraient"),
      "présumés", "prétendus", "reportedly", "allegedly", "may", "could".
    * ``conditional``: true only under a stated condition ("en cas de
      victoire", "if he wins").
    * ``denied``: the claim's content is rejected by its speaker (the claim
      text states what is denied; ``speaker`` is who denies it).
    """

    asserted = "asserted"
    reported = "reported"
    hedged = "hedged"
    conditional = "conditional"
    denied = "denied"


class QuoteKind(str, Enum):
    direct = "direct"
    indirect = "indirect"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------
# Draft: what an engine returns (quotes, no offsets)
# --------------------------------------------------------------------------


class SpeakerDraft(_Strict):
    name: str = Field(description="Speaker as named in the article: a person, an institution "
                      "('le Kremlin') or an anonymous source ('une source citée dans l'enquête').")
    role: Optional[str] = Field(description="Role or title given by the article, or null.")


class ClaimDraft(_Strict):
    text: str = Field(description="The claim as one self-contained sentence: pronouns and "
                      "phrases like 'the company' replaced by what they refer to.")
    modality: Modality
    speaker: Optional[str] = Field(description="Who asserts, reports or denies the claim; "
                                   "null when it is the article's own voice.")
    evidence: list[str] = Field(description="Verbatim quotes copied exactly from the article "
                                "that support this claim (at least one).")


class AttributionDraft(_Strict):
    speaker: SpeakerDraft
    content: str = Field(description="What the speaker said: the quoted words for a direct "
                         "quote, the reported content for indirect speech.")
    kind: QuoteKind
    cue: Optional[str] = Field(description="The reporting verb or phrase exactly as written "
                               "('a affirmé', 'selon', 'said'), or null.")
    is_denial: bool
    is_no_comment: bool = Field(description="True when the speaker declined or did not "
                                "answer requests for comment.")
    evidence: str = Field(description="Verbatim passage of the article containing the "
                          "attribution (speaker, cue and content where possible).")


class SummarySentenceDraft(_Strict):
    text: str
    citations: list[str] = Field(description="Verbatim quotes from the article that this "
                                 "summary sentence rests on (at least one).")


class AnalysisDraft(_Strict):
    """One structured answer per article: claims, attributions and a summary."""

    language: str = Field(description="ISO 639-1 code of the article's language, e.g. 'fr'.")
    claims: list[ClaimDraft]
    attributions: list[AttributionDraft]
    summary: list[SummarySentenceDraft]


# --------------------------------------------------------------------------
# Grounded output: the public contract
# --------------------------------------------------------------------------

MatchKind = Literal["exact", "normalized", "fuzzy"]


class Span(BaseModel):
    """A quote located in the article.  ``start``/``end`` are null when the
    quote could not be found (``match`` is then null too)."""

    start: Optional[int] = None
    end: Optional[int] = None
    text: str
    match: Optional[MatchKind] = None
    score: Optional[float] = Field(default=None, description="Similarity 0-100 for fuzzy matches.")
    quote: Optional[str] = Field(default=None, description="The quote as the engine gave it, "
                                 "when it differs from the located text.")

    @property
    def grounded(self) -> bool:
        return self.start is not None


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    requests: int = 0

    def add(self, other: "Usage") -> None:
        """Count ``other`` into this total."""
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.total_tokens += other.total_tokens
        self.requests += other.requests


class FixtureSource(BaseModel):
    """Where a replayed response came from."""

    kind: Literal["hand-annotated", "recorded"]
    model: Optional[str] = None
    date: Optional[str] = None
    author: Optional[str] = None
    path: Optional[str] = None


class Provenance(BaseModel):
    engine: str
    model: str
    prompt: str = Field(description="name@version of the prompt used.")
    input_sha256: str = Field(description="SHA-256 of the raw input bytes.")
    verifier_version: str
    response_format: Optional[str] = Field(default=None, description="json_schema or json_object.")
    cached: bool = False
    usage: Optional[Usage] = None
    fixture: Optional[FixtureSource] = None
    output_language: Optional[str] = None
    chunks: Optional[int] = Field(default=None, description="Requests a long article was split into "
                                  "(LLM engine); null when it was sent whole.")


class ArticleInfo(BaseModel):
    sha256: str = Field(description="SHA-256 of the analysed text (decoded, \\n newlines, HTML extracted), "
                                    "as UTF-8.")
    source: str = Field(description="File path, '-' for standard input, or the http(s) address as given.")
    language: str
    chars: int
    encoding: Optional[str] = Field(default=None, description="Encoding the input was decoded from (Python codec "
                                    "name: utf-8, utf-8-sig, cp1252...).")
    extracted: Optional[Literal["html"]] = Field(default=None, description="'html' when the text is the article "
                                                 "body extracted from an HTML page (offsets point into it).")
    final_url: Optional[str] = Field(default=None, description="For an address: where the page was fetched "
                                     "from, after redirects.")


class Speaker(BaseModel):
    name: str
    role: Optional[str] = None


class Claim(BaseModel):
    id: str
    text: str
    modality: Modality
    speaker: Optional[str] = None
    evidence: list[Span]
    grounded: bool


class Attribution(BaseModel):
    id: str
    speaker: Speaker
    content: str
    kind: QuoteKind
    cue: Optional[str] = None
    is_denial: bool = False
    is_no_comment: bool = False
    evidence: Span
    content_span: Optional[Span] = Field(default=None, description="For direct quotes: where "
                                         "the quoted words themselves are in the article.")
    grounded: bool


class SummarySentence(BaseModel):
    text: str
    citations: list[Span]
    grounded: bool


class Analysis(BaseModel):
    """The grounded analysis of one article; every command is a view over it."""

    provenance: Provenance
    article: ArticleInfo
    claims: list[Claim]
    attributions: list[Attribution]
    summary: list[SummarySentence]


class _Output(BaseModel):
    provenance: Provenance
    article: ArticleInfo
    ungrounded: int = Field(default=0, description="Items that could not be located in the article.")


class ClaimsOutput(_Output):
    claims: list[Claim]


class AttributionsOutput(_Output):
    attributions: list[Attribution]


class SummaryOutput(_Output):
    summary: list[SummarySentence]


# --------------------------------------------------------------------------
# diff: two versions of a story, claim by claim
# --------------------------------------------------------------------------

ChangeType = Literal["number", "date", "entity", "modality", "speaker", "negation", "term"]


class DiffStatus(str, Enum):
    """``unchanged``: same words; ``reworded``: same claim, other words, no
    detail differs; ``changed``: a typed detail differs; ``added`` /
    ``removed``: in one version only."""

    unchanged = "unchanged"
    reworded = "reworded"
    changed = "changed"
    added = "added"
    removed = "removed"


QUIET = ("unchanged", "reworded")
"""Statuses ``--only-changes`` hides."""


class DetailChange(BaseModel):
    type: ChangeType
    old: Optional[str] = None
    new: Optional[str] = None


class DiffPair(BaseModel):
    status: DiffStatus
    old: Optional[Claim] = Field(description="The claim in the old version (offsets into the old article).")
    new: Optional[Claim] = Field(description="The claim in the new version (offsets into the new article).")
    similarity: Optional[float] = Field(default=None, description="Alignment score 0-1 of a pair.")
    ambiguous: bool = Field(default=False, description="Paired with a score below the sure threshold "
                            "and not confirmed by a model.")
    adjudication: Optional[str] = Field(default=None, description="The model's reason when it settled "
                                        "an ambiguous pair (LLM engine).")
    changes: list[DetailChange] = Field(default_factory=list)


class PresenceStatus(str, Enum):
    kept = "kept"
    added = "added"
    removed = "removed"


class SpeakerPresence(BaseModel):
    """A speaker (source) and the versions that cite it."""

    speaker: str
    status: PresenceStatus
    old: list[str] = Field(default_factory=list, description="Attribution ids in the old version.")
    new: list[str] = Field(default_factory=list, description="Attribution ids in the new version.")


class StanceChange(BaseModel):
    """A denial or a refusal to comment, and whether both versions carry it."""

    kind: Literal["denial", "no_comment"]
    status: PresenceStatus
    speaker: str
    old: Optional[Attribution] = None
    new: Optional[Attribution] = None


class Version(BaseModel):
    provenance: Provenance
    article: ArticleInfo


class Adjudication(BaseModel):
    """The batched call that settled ambiguous pairs (LLM engine only)."""

    engine: str
    model: str
    prompt: str
    pairs: int = Field(description="Ambiguous pairs sent.")
    split: int = Field(description="Pairs the model judged to be different claims (now removed + added).")
    usage: Optional[Usage] = None
    fixture: Optional[FixtureSource] = None


class DiffMethod(BaseModel):
    aligner: str = Field(description="Embedding model used for alignment, or lexical only.")
    match_threshold: float
    sure_threshold: float
    adjudication: Optional[Adjudication] = None


class DiffOutput(BaseModel):
    old: Version
    new: Version
    method: DiffMethod
    counts: dict[str, int]
    pairs: list[DiffPair]
    speakers: list[SpeakerPresence]
    stances: list[StanceChange]


# --------------------------------------------------------------------------
# verify: claims checked against a source
# --------------------------------------------------------------------------


class Verdict(str, Enum):
    supported = "supported"
    contradicted = "contradicted"
    not_found = "not_found"


class VerifiedClaim(BaseModel):
    id: str
    text: str
    verdict: Verdict
    evidence: list[Span] = Field(description="Sentences of the source (offsets into it).")
    reason: str
    score: Optional[float] = Field(default=None, description="Retrieval score 0-1 of the best evidence.")
    claim: Optional[Claim] = Field(default=None, description="The claim as extracted, when CLAIMS is an article.")


class VerifyMethod(BaseModel):
    engine: str
    model: str
    prompt: Optional[str] = None
    retriever: str
    usage: Optional[Usage] = None
    fixture: Optional[FixtureSource] = None


class VerifyOutput(BaseModel):
    source: ArticleInfo
    claims_from: str = Field(description="Where the claims came from: a file path and its kind.")
    claims_provenance: Optional[Provenance] = Field(default=None, description="When the claims were "
                                                    "extracted from an article.")
    method: VerifyMethod
    counts: dict[str, int]
    claims: list[VerifiedClaim]


class VerdictDraft(_Strict):
    claim: int = Field(description="The claim's number: 1 for [C1].")
    verdict: Verdict
    evidence: list[int] = Field(description="Numbers of the source sentences the verdict rests on: 1 for [S1].")
    reason: str


class VerifyDraft(_Strict):
    """What the LLM returns for one batch of claims against one source."""

    verdicts: list[VerdictDraft]


class PairJudgement(_Strict):
    pair: int = Field(description="The pair's number: 1 for [P1].")
    same_claim: bool
    reason: str


class AdjudicateDraft(_Strict):
    """What the LLM returns for one batch of ambiguous diff pairs."""

    pairs: list[PairJudgement]


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


OUTPUT_SCHEMAS: dict[str, type[BaseModel]] = {
    "claims": ClaimsOutput,
    "who-said-what": AttributionsOutput,
    "summarize": SummaryOutput,
    "analysis": Analysis,
    "diff": DiffOutput,
    "verify": VerifyOutput,
    "batch-record": BatchRecord,
    "batch-summary": BatchSummary,
    "batch-estimate": BatchEstimate,
}
