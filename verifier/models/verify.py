"""verify: claims checked against a source; and the model's answer for one batch of claims."""

from __future__ import annotations

from enum import Enum
from typing import Optional

from pydantic import BaseModel, Field

from verifier.models.analysis import ArticleInfo, Claim, FixtureSource, Provenance, Span, Usage
from verifier.models.drafts import _Strict


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
