"""The grounded analysis of one article (the public contract) and the three command views over it."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field

from verifier.models.drafts import Modality, QuoteKind

MatchKind = Literal["exact", "normalized", "fuzzy"]


DifferenceKind = Literal["number", "date", "name", "negation", "modality", "wording"]
ReasonKind = Literal["not_found", "number", "date", "name", "negation", "modality", "wording", "speaker"]
GroundingStatus = Literal["grounded", "altered", "unsupported", "not_found"]


class Difference(BaseModel):
    """A material difference between the engine's quote and the article's text."""

    kind: DifferenceKind
    engine: Optional[str] = Field(default=None, description="The engine's words (null: missing there).")
    article: Optional[str] = Field(default=None, description="The article's words (null: missing there).")


class Span(BaseModel):
    """A quote located in the article.  ``start``/``end`` are null when the
    quote could not be found (``match`` is then null too).  A located quote
    that differs from the article's words in a fact (``differences``) is
    ``altered``: ``text`` shows the article's words, ``quote`` the engine's."""

    start: Optional[int] = None
    end: Optional[int] = None
    text: str
    match: Optional[MatchKind] = None
    score: Optional[float] = Field(default=None, description="Similarity 0-100 for fuzzy matches.")
    quote: Optional[str] = Field(default=None, description="The quote as the engine gave it, "
                                 "when it differs from the located text.")
    differences: list[Difference] = Field(default_factory=list, description="Material differences "
                                          "between ``quote`` and ``text``: number, date, name, negation, "
                                          "modality or wording (typography, case, spacing, elisions, "
                                          "articles and small spelling variations are not listed).")

    @property
    def located(self) -> bool:
        return self.start is not None

    @property
    def grounded(self) -> bool:
        """Located, and the article's words as the engine quoted them."""
        return self.start is not None and not self.differences


class Reason(BaseModel):
    """Why an item is not grounded."""

    kind: ReasonKind
    message: str = Field(description="The reason in words.")
    engine: Optional[str] = Field(default=None, description="What the engine wrote.")
    article: Optional[str] = Field(default=None, description="What the article has instead, when known.")


class Grounding(BaseModel):
    """How an item was checked against the article.

    * ``grounded``: every quote located and faithful, the paraphrase supported;
    * ``not_found``: a quote is not in the article;
    * ``altered``: a quote is located but differs in a fact (see its ``differences``);
    * ``unsupported``: the quotes are faithful but the item's own words (claim
      text, summary sentence, reported content, speaker) state a number, date,
      name, negation or hedge its evidence does not, or name a speaker not tied to it.
    """

    status: GroundingStatus = "grounded"
    reasons: list[Reason] = Field(default_factory=list)


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
    results_file: Optional[str] = Field(default=None, description="The Batch API results file the answer was "
                                        "read from (verifier batch --import-results); model is then the one "
                                        "the results name. Null for an answer from the engine or the cache.")


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
    grounded: bool = Field(description="True only when every quote is the article's words and the "
                           "item says what they say (see ``grounding``).")
    grounding: Grounding = Field(default_factory=Grounding)


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
    grounded: bool = Field(description="True only when every quote is the article's words and the "
                           "item says what they say (see ``grounding``).")
    grounding: Grounding = Field(default_factory=Grounding)


class SummarySentence(BaseModel):
    text: str
    citations: list[Span]
    grounded: bool = Field(description="True only when every quote is the article's words and the "
                           "item says what they say (see ``grounding``).")
    grounding: Grounding = Field(default_factory=Grounding)


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
    ungrounded: int = Field(default=0, description="Items not grounded: a quote not found or altered, "
                            "or a paraphrase its evidence does not support.")


class ClaimsOutput(_Output):
    claims: list[Claim]


class AttributionsOutput(_Output):
    attributions: list[Attribution]


class SummaryOutput(_Output):
    summary: list[SummarySentence]
