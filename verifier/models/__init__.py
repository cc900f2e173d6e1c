"""Pydantic schemas: what an engine returns (drafts) and what the tool outputs.

* ``drafts.py``: ``AnalysisDraft`` is what an engine produces: quotes copied
  verbatim from the article, never character offsets.  Its JSON Schema is
  sent to the LLM as a strict structured-output schema.
* ``analysis.py``: ``Analysis`` is the grounded result: every quote located
  in the article (``analysis/locate.py``) with ``start``/``end`` character
  offsets and compared with the article's words, every paraphrase checked
  against its evidence, each item ``grounded`` or not with the reasons
  (``Grounding``, ``analysis/grounding.py``).  The command outputs
  (``ClaimsOutput``, ``AttributionsOutput``, ``SummaryOutput``) are views
  over it.
* ``diff.py``, ``verify.py``: the outputs of the two comparisons, and the
  model's answers they ask for; ``batch.py``: a batch's records and summary.

Everything is importable from ``verifier.models``; ``OUTPUT_SCHEMAS`` names
each command's ``--json`` output (``verifier schema``).

Offsets are Python string indices (Unicode code points) into the article text
as read by ``ingest/article.py``: decoded (UTF-8, a BOM dropped, or the detected
encoding), newlines normalised to ``\\n``, and the article body extracted
from HTML.  ``article_text[start:end] == text`` holds for every
located span.
"""

from __future__ import annotations

from pydantic import BaseModel

from verifier.models.analysis import (
    Analysis, ArticleInfo, Attribution, AttributionsOutput, Claim, ClaimsOutput, Difference, DifferenceKind,
    FixtureSource, Grounding, GroundingStatus, MatchKind, Provenance, Reason, ReasonKind, Span, Speaker,
    SummaryOutput, SummarySentence, Usage,
)
from verifier.models.batch import BatchEstimate, BatchExport, BatchFailure, BatchRecord, BatchSummary
from verifier.models.diff import (
    QUIET, AdjudicateDraft, Adjudication, ChangeType, DetailChange, DiffMethod, DiffOutput, DiffPair, DiffStatus,
    PairJudgement, PresenceStatus, SpeakerPresence, StanceChange, Version,
)
from verifier.models.drafts import (
    AnalysisDraft, AttributionDraft, ClaimDraft, Modality, QuoteKind, SpeakerDraft, SummarySentenceDraft,
)
from verifier.models.verify import VerdictDraft, Verdict, VerifiedClaim, VerifyDraft, VerifyMethod, VerifyOutput
from verifier.models.watch import History, HistoryEntry, WatchEvent

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
    "batch-export": BatchExport,
    "watch-event": WatchEvent,
    "history": History,
}

__all__ = [
    "AdjudicateDraft", "Adjudication", "Analysis", "AnalysisDraft", "ArticleInfo", "Attribution",
    "AttributionDraft", "AttributionsOutput", "BatchEstimate", "BatchExport", "BatchFailure", "BatchRecord", "BatchSummary",
    "History", "HistoryEntry", "WatchEvent",
    "ChangeType", "Claim", "ClaimDraft", "ClaimsOutput", "DetailChange", "DiffMethod", "DiffOutput", "DiffPair",
    "DiffStatus", "Difference", "DifferenceKind", "FixtureSource", "Grounding", "GroundingStatus", "MatchKind", "Modality", "PairJudgement", "PresenceStatus", "Provenance",
    "QUIET", "QuoteKind", "Reason", "ReasonKind", "Span", "Speaker", "SpeakerDraft", "SpeakerPresence", "StanceChange", "SummaryOutput",
    "SummarySentence", "SummarySentenceDraft", "Usage", "Verdict", "VerdictDraft", "VerifiedClaim",
    "VerifyDraft", "VerifyMethod", "VerifyOutput", "Version", "OUTPUT_SCHEMAS",
]
