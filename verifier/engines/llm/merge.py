"""One answer from the answers to a long article's chunks.

``merge`` joins the drafts of the chunks of one article, in order: a claim
or attribution already given by an earlier chunk (the overlap is read
twice) is dropped, and the per-chunk summaries are cut to ``SUMMARY_LIMIT``
sentences.  Drafts hold quotes, never offsets: grounding locates every
quote in the whole article, so nothing needs shifting.
"""

from __future__ import annotations

from collections import Counter

from verifier.models import AnalysisDraft, AttributionDraft, ClaimDraft, SummarySentenceDraft
from verifier.text.folding import fold

SUMMARY_LIMIT = 10


def merge(drafts: list[AnalysisDraft], summary_limit: int = SUMMARY_LIMIT) -> AnalysisDraft:
    """One draft from the drafts of consecutive chunks (see the module doc)."""
    claims: list[ClaimDraft] = []
    attributions: list[AttributionDraft] = []
    claim_texts: set[str] = set()
    claim_quotes: set[str] = set()
    said: set[tuple[str, str]] = set()
    said_where: set[str] = set()
    for draft in drafts:
        new_texts, new_quotes, new_said, new_where = set(), set(), set(), set()
        for c in draft.claims:
            quotes = {_norm(q) for q in c.evidence}
            if _norm(c.text) in claim_texts or (quotes and quotes <= claim_quotes):
                continue
            claims.append(c)
            new_texts.add(_norm(c.text))
            new_quotes |= quotes
        for a in draft.attributions:
            key = (_norm(a.speaker.name), _norm(a.content))
            if key in said or _norm(a.evidence) in said_where:
                continue
            attributions.append(a)
            new_said.add(key)
            new_where.add(_norm(a.evidence))
        # within one chunk nothing is dropped: only what an earlier chunk gave
        claim_texts |= new_texts
        claim_quotes |= new_quotes
        said |= new_said
        said_where |= new_where
    language = Counter(d.language for d in drafts).most_common(1)[0][0]  # ties: the first chunk's
    return AnalysisDraft(language=language, claims=claims, attributions=attributions,
                         summary=_summary([d.summary for d in drafts], summary_limit))


def _summary(parts: list[list[SummarySentenceDraft]], limit: int) -> list[SummarySentenceDraft]:
    """At most ``limit`` summary sentences, in article order: each chunk's
    first sentence, then each one's second, and so on; with more chunks than
    ``limit``, the first sentences of ``limit`` chunks spread evenly."""
    seen: set[str] = set()
    unique: list[list[SummarySentenceDraft]] = []
    for part in parts:
        unique.append([s for s in part if _norm(s.text) not in seen])
        seen |= {_norm(s.text) for s in part}
    if len(unique) > limit:
        picks = sorted({round(k * (len(unique) - 1) / max(1, limit - 1)) for k in range(limit)})
        unique = [unique[i][:1] if i in picks else [] for i in range(len(unique))]
    ranked = sorted(((rank, i) for i, part in enumerate(unique) for rank in range(len(part))))[:limit]
    chosen = sorted((i, rank) for rank, i in ranked)
    return [unique[i][rank] for i, rank in chosen]


def _norm(text: str) -> str:
    return fold(text)[0].strip(" .")
