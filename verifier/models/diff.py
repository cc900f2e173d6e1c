"""diff: two versions of a story, claim by claim; and the model's answer when it settles ambiguous pairs."""

from __future__ import annotations

from enum import Enum
from typing import Literal, Optional

from pydantic import BaseModel, Field

from verifier.models.analysis import Attribution, ArticleInfo, Claim, FixtureSource, Provenance, Usage
from verifier.models.drafts import _Strict

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


class PairMatch(BaseModel):
    """Why two claims were paired: what they share and how each part scored."""

    entities: list[str] = Field(default_factory=list, description="Names both claims give (as the old one writes them).")
    numbers: list[str] = Field(default_factory=list, description="Numbers both claims give.")
    dates: list[str] = Field(default_factory=list, description="Dates both claims give (compatible: '2022' / 'fin 2022').")
    words: list[str] = Field(default_factory=list, description="Content words both claims use (same stem).")
    semantic: Optional[float] = Field(default=None, description="Embedding score 0-1 above the two articles' "
                                      "background (null without embeddings).")
    lexical: Optional[float] = Field(default=None, description="Shared content words over the shorter claim's, 0-1.")
    detail: Optional[float] = Field(default=None, description="Shared names, numbers and dates weighted by "
                                    "rarity in the two versions, 0-1.")


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
    match: Optional[PairMatch] = Field(default=None, description="What the alignment matched (pairs scored "
                                       "by the aligner; null for identical texts and one-sided claims).")
    one_to_many: Optional[Literal["old", "new"]] = Field(default=None, description="Set when this side's claim "
                                                        "is also in another pair: one version states in one claim "
                                                        "what the other states in several.")


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
    detail_weight: Optional[float] = Field(default=None, description="Weight of the shared names, numbers and "
                                           "dates (rarity-weighted) added to a pair's score.")
    one_to_many_threshold: Optional[float] = Field(default=None, description="Score a further pair of an already "
                                                   "paired claim needs (one-to-many).")
    adjudication: Optional[Adjudication] = None


class DiffOutput(BaseModel):
    old: Version
    new: Version
    method: DiffMethod
    counts: dict[str, int]
    pairs: list[DiffPair]
    speakers: list[SpeakerPresence]
    stances: list[StanceChange]
    ungrounded: dict[str, int] = Field(default_factory=dict, description="Claims of each version ('old', "
                                       "'new') left out of the comparison: not grounded in their article "
                                       "(a quote not found or altered, or a paraphrase its evidence does not "
                                       "support), so not facts of it.")


class PairJudgement(_Strict):
    pair: int = Field(description="The pair's number: 1 for [P1].")
    same_claim: bool
    reason: str


class AdjudicateDraft(_Strict):
    """What the LLM returns for one batch of ambiguous diff pairs."""

    pairs: list[PairJudgement]
