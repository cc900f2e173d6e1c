"""The command outputs, as views over one ``Analysis``."""

from __future__ import annotations

from verifier.models import Analysis, AttributionsOutput, ClaimsOutput, SummaryOutput


def claims_view(a: Analysis) -> ClaimsOutput:
    return ClaimsOutput(provenance=a.provenance, article=a.article, claims=a.claims,
                        ungrounded=sum(not c.grounded for c in a.claims))


def attributions_view(a: Analysis) -> AttributionsOutput:
    return AttributionsOutput(provenance=a.provenance, article=a.article, attributions=a.attributions,
                              ungrounded=sum(not x.grounded for x in a.attributions))


def summary_view(a: Analysis, sentences: int | None = None) -> SummaryOutput:
    """The summary; ``sentences`` keeps the first N (the offline engine
    already chose N by score)."""
    summary = a.summary[:sentences] if sentences else a.summary
    return SummaryOutput(provenance=a.provenance, article=a.article, summary=summary,
                         ungrounded=sum(not s.grounded for s in summary))


def view(name: str, a: Analysis, sentences: int | None = None) -> ClaimsOutput | AttributionsOutput | SummaryOutput:
    if name == "summarize":
        return summary_view(a, sentences)
    return {"claims": claims_view, "who-said-what": attributions_view}[name](a)
