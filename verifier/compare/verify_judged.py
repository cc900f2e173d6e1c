"""Verification by an engine that judges (the LLM engine): claims judged in
batches, not one call per claim-sentence pair.

The source is split into numbered sentences ([S1] …); up to ``BATCH`` claims
([C1] …) go in one request with the ``verify`` prompt, and the reply
(``VerifyDraft``) must give exactly one verdict per claim with evidence
numbers that exist, or the model is asked again with the errors.  Evidence is
our own sentence spans, so every offset is exact by construction.
"""

from __future__ import annotations

from verifier.compare.claims_input import ClaimInput
from verifier.compare.judging import ask_in_batches, payload_key
from verifier.engines.base import JudgingEngine
from verifier.ingest.article import Article
from verifier.models import Span, VerifiedClaim, VerifyDraft, VerifyMethod

PROMPT = "verify@v1"
BATCH = 40


def request_key(source: Article, claims: list[str]) -> str:
    """The key of one request (and of its replay fixture)."""
    return payload_key({"source": source.sha256, "claims": claims})


def _check(n_claims: int, n_sents: int):
    def check(draft: VerifyDraft) -> None:
        numbers = [v.claim for v in draft.verdicts]
        if sorted(numbers) != list(range(1, n_claims + 1)):
            raise ValueError(f"give exactly one verdict for each claim C1..C{n_claims} (got {numbers})")
        for v in draft.verdicts:
            bad = [e for e in v.evidence if not 1 <= e <= n_sents]
            if bad:
                raise ValueError(f"claim {v.claim}: evidence {bad} is not a sentence number S1..S{n_sents}")
            if v.verdict.value != "not_found" and not v.evidence:
                raise ValueError(f"claim {v.claim}: a {v.verdict.value} verdict needs evidence sentences")
    return check


def check_by_judge(claims: list[ClaimInput], source: Article, sents: list[Span], judge: JudgingEngine, *,
                   prompt: str = PROMPT) -> tuple[list[VerifiedClaim], VerifyMethod]:
    """A verdict for each claim, citing ``sents`` (the source's sentences) by number."""
    numbered = "\n".join(f"[S{k}] {s.text}" for k, s in enumerate(sents, 1))
    result = ask_in_batches(
        claims, judge, prompt=prompt, schema=VerifyDraft, size=BATCH,
        values=lambda batch: {"source_id": source.sha256[:12], "sentences": numbered,
                              "claims": "\n".join(f"[C{k}] {c.text}" for k, c in enumerate(batch, 1))},
        key=lambda batch: request_key(source, [c.text for c in batch]),
        check=lambda batch: _check(len(batch), len(sents)))
    out: list[VerifiedClaim] = []
    for b, draft in enumerate(result.replies):
        batch = claims[b * BATCH:(b + 1) * BATCH]
        for v in sorted(draft.verdicts, key=lambda v: v.claim):
            c = batch[v.claim - 1]
            out.append(VerifiedClaim(id=f"k{b * BATCH + v.claim}", text=c.text, verdict=v.verdict,
                                     evidence=[sents[e - 1].model_copy() for e in dict.fromkeys(v.evidence)],
                                     reason=v.reason, claim=c.claim))
    method = VerifyMethod(engine=result.engine, model=result.model, prompt=result.prompt,
                          retriever="none (the whole source is sent)", usage=result.usage, fixture=result.fixture)
    return out, method
