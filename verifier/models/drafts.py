"""What an engine returns for one article: quotes copied verbatim, never offsets (``AnalysisDraft``).

Its JSON Schema is sent to the LLM as a strict structured-output schema."""

from __future__ import annotations

from enum import Enum
from typing import Optional

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
