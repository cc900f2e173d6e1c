"""Grounding: turning an engine's draft into items checked against the article.

For each claim, attribution and summary sentence:

1. its quotes are located in the article (``analysis/locate``) and compared
   with the article's words (``analysis/fidelity``): a quote not found makes
   the item ``not_found``, a quote that differs in a fact makes it
   ``altered``;
2. its own words are checked against that evidence (``analysis/support``):
   a claim's text, a summary sentence, an indirect attribution's content
   and the speaker; a detail the evidence does not hold makes it
   ``unsupported``.

``grounded`` is true only for status ``grounded``; ``grounding.reasons``
says why not, in words, with the engine's and the article's values.
"""

from __future__ import annotations

from verifier.analysis.evidence import ArticleText
from verifier.analysis.locate import Grounder, substantial
from verifier.analysis.speakers import speaker_reasons
from verifier.analysis.support import paraphrase_reasons
from verifier.models import (
    AnalysisDraft, Attribution, Claim, Grounding, Reason, Span, Speaker, SummarySentence,
)

_MESSAGE = 240  # characters of a reason's message
_DIFFERENCE_WORDS = {"number": "a number", "date": "a date", "name": "a name", "negation": "a negation",
               "modality": "a hedge", "wording": "its wording"}


def quote_reasons(spans: list[Span]) -> tuple[list[Reason], list[Reason]]:
    """Reasons from the quotes themselves: (not found, altered)."""
    missing, altered = [], []
    for s in spans:
        given = s.quote or s.text
        if s.start is None and not given.strip():
            missing.append(Reason(kind="not_found", message="no quote given as evidence"))
        elif s.start is None and not substantial(given):
            missing.append(Reason(kind="not_found", engine=given,
                                  message=f"quote too short to stand as evidence: {_short(given)}"))
        elif s.start is None:
            missing.append(Reason(kind="not_found", engine=given,
                                  message=f"quote not found in the article: {_short(given)}"))
        for d in s.differences:
            altered.append(Reason(kind=d.kind, engine=d.engine, article=d.article,
                                  message=f"the quote differs from the article in {_DIFFERENCE_WORDS[d.kind]}: "
                                          f"{_short(d.engine or '—')} where the article has {_short(d.article or '—')}"))
    return missing, altered


def judged(spans: list[Span], unsupported: list[Reason]) -> Grounding:
    """The item's status from its quotes and the checks of its own words."""
    missing, altered = quote_reasons(spans)
    if not spans:
        missing = [Reason(kind="not_found", message="no quote given as evidence")]
    status = "not_found" if missing else "altered" if altered else "unsupported" if unsupported else "grounded"
    reasons = [r if len(r.message) <= _MESSAGE else r.model_copy(update={"message": r.message[:_MESSAGE - 1] + "…"})
               for r in missing + altered + unsupported]  # the values stay whole in ``engine``/``article``
    return Grounding(status=status, reasons=reasons)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"« {text} »" if len(text) <= limit else f"« {text[:limit - 1]}… »"


def ground(draft: AnalysisDraft, text: str, language: str = "fr"
           ) -> tuple[list[Claim], list[Attribution], list[SummarySentence]]:
    """Turn an engine's draft into grounded claims, attributions and summary
    (``language``: the article's)."""
    g, ctx = Grounder(text), ArticleText(text, language)

    claims: list[Claim] = []
    near: int | None = None
    for i, c in enumerate(draft.claims, 1):
        context = " ".join(filter(None, [c.text, c.speaker]))
        spans, near = g.locate_all(c.evidence, context, near)
        ev = ctx.evidence(spans)
        reasons = [] if ev is None else paraphrase_reasons(ctx, c.text, ev, c.modality.value, c.speaker) + \
            speaker_reasons(ctx, c.speaker, None, ev, hedged_claim=c.modality.value in ("hedged", "reported"))
        grounding = judged(spans, reasons)
        claims.append(Claim(id=f"c{i}", text=c.text, modality=c.modality, speaker=c.speaker, evidence=spans,
                            grounded=grounding.status == "grounded", grounding=grounding))

    attributions: list[Attribution] = []
    near = None
    for i, a in enumerate(draft.attributions, 1):
        context = " ".join(filter(None, [a.speaker.name, a.cue, a.content]))
        (span,), near = g.locate_all([a.evidence], context, near)
        spans, content_span = [span], None
        if a.kind.value == "direct":
            content_span = g.locate(a.content, a.evidence, span.start)
            spans.append(content_span)
        ev = ctx.evidence(spans)
        reasons = []
        if ev is not None:
            if a.kind.value == "indirect":
                stance = "denied" if a.is_denial else "reported"  # a denial's content is what is denied
                reasons += paraphrase_reasons(ctx, a.content, ev, stance, a.speaker.name)
            reasons += speaker_reasons(ctx, a.speaker.name, a.speaker.role, ev, a.cue)
        grounding = judged(spans, reasons)
        attributions.append(Attribution(
            id=f"a{i}", speaker=Speaker(name=a.speaker.name, role=a.speaker.role),
            content=a.content, kind=a.kind, cue=a.cue, is_denial=a.is_denial,
            is_no_comment=a.is_no_comment, evidence=span, content_span=content_span,
            grounded=grounding.status == "grounded", grounding=grounding,
        ))

    summary: list[SummarySentence] = []
    near = None
    for s in draft.summary:
        spans, near = g.locate_all(s.citations, s.text, near)
        ev = ctx.evidence(spans)
        grounding = judged(spans, [] if ev is None else paraphrase_reasons(ctx, s.text, ev))
        summary.append(SummarySentence(text=s.text, citations=spans, grounded=grounding.status == "grounded",
                                       grounding=grounding))
    return claims, attributions, summary
