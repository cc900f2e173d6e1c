"""What the one-article report shows, as plain data for its template: the
highlighted text, the speakers' legend, the claims, the summary and the
items that failed grounding."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from markupsafe import Markup

from verifier.models import Analysis, Attribution, Claim
from verifier.render import fixture_origin, grounding_lines, span_label
from verifier.render.html.highlight import Mark, highlight
from verifier.render.html.speakers import SpeakerColour, assign

@dataclass
class Link:
    href: str
    label: str


@dataclass
class ItemView:
    """One claim, summary sentence or ungrounded item as the page lists it."""

    id: str
    text: str
    kind: str = ""
    badge: str = ""
    speaker: str | None = None
    links: list[Link] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


@dataclass
class ReportView:
    title: str
    text: str
    body: Markup
    legend: list[SpeakerColour]
    claims: list[ItemView]
    summary: list[ItemView]
    ungrounded: list[ItemView]
    counts: dict[str, int]
    provenance: list[str]
    language: str = ""


def stance_badge(a: Attribution) -> str | None:
    if a.is_denial:
        return "denial"
    if a.is_no_comment:
        return "no comment"
    return None


def attribution_info(a: Attribution) -> str:
    """Who said it, how, with which cue, in one line (tooltip and detail box)."""
    who = a.speaker.name + (f" ({a.speaker.role})" if a.speaker.role else "")
    parts = [who, f"{a.kind.value} quote" if a.kind.value == "direct" else "indirect speech"]
    if a.cue:
        parts.append(f"cue « {a.cue} »")
    badge = stance_badge(a)
    if badge:
        parts.append(badge)
    return " · ".join(parts)


def attribution_marks(a: Attribution, colour: SpeakerColour, *, badge: bool = True) -> list[Mark]:
    """The evidence (and the quoted words of a direct quote) of a grounded
    attribution; ``badge``: its denial or no-comment badge drawn after it."""
    info = attribution_info(a)
    common = (("title", info), ("data-info", info), ("data-speaker", a.speaker.name))
    stance = stance_badge(a)
    last = (("data-badge", stance),) if stance and badge else ()
    ref = a.id
    marks = [Mark(a.evidence.start, a.evidence.end, ref, "attribution", f"span-{ref}",
                  (f"sp-{colour.index}",), common, last)]
    q = a.content_span
    if q is not None and q.grounded:
        marks.append(Mark(q.start, q.end, ref, "quote", f"span-{ref}-quote", (), common))
    return marks


def claim_marks(c: Claim, prefix: str = "", classes: tuple[str, ...] = (),
                attrs: tuple[tuple[str, str], ...] = ()) -> list[Mark]:
    ref = prefix + c.id
    info = f"claim {c.id} · {c.modality.value}" + (f" · {c.speaker}" if c.speaker else "")
    return [Mark(s.start, s.end, ref, "claim", f"span-{ref}-{k}", classes or (f"mod-{c.modality.value}",),
                 (("title", info), ("data-info", info)) + attrs)
            for k, s in enumerate(c.evidence) if s.grounded]


def span_links(ref: str, spans) -> list[Link]:
    """Links to the located, faithful spans of item ``ref`` (``#span-c1-0``...), labelled by their offsets."""
    return [Link(f"#span-{ref}-{k}", span_label(s)) for k, s in enumerate(spans) if s.grounded]


def _ungrounded(kind: str, ref: str, text: str, item) -> ItemView:
    return ItemView(ref, text, kind=kind, badge=item.grounding.status,
                    reasons=[line.strip().removeprefix("✗ ") for line in grounding_lines(item.grounding)])


def build(text: str, analysis: Analysis, title: str | None = None) -> ReportView:
    grounded_attributions = [a for a in analysis.attributions if a.grounded and a.evidence.grounded]
    legend, colours = assign([a.speaker.name for a in grounded_attributions])
    marks: list[Mark] = []
    badged: set[tuple] = set()  # one badge per passage: two denials read off one sentence show one
    for a in grounded_attributions:
        key = (a.evidence.start, a.evidence.end, stance_badge(a))
        marks += attribution_marks(a, colours[a.speaker.name], badge=key not in badged)
        badged.add(key)
    claims, summary, ungrounded = [], [], []
    for c in analysis.claims:
        if c.grounded:
            marks += claim_marks(c)
            claims.append(ItemView(c.id, c.text, "claim", c.modality.value, c.speaker,
                                   span_links(c.id, c.evidence)))
        else:
            ungrounded.append(_ungrounded("claim", c.id, c.text, c))
    for i, s in enumerate(analysis.summary, 1):
        ref = f"s{i}"
        if s.grounded:
            marks += [Mark(span.start, span.end, ref, "cite", f"span-{ref}-{k}", (), ())
                      for k, span in enumerate(s.citations) if span.grounded]
            summary.append(ItemView(ref, s.text, "summary", links=span_links(ref, s.citations)))
        else:
            ungrounded.append(_ungrounded("summary sentence", ref, s.text, s))
    shown = {a.id for a in grounded_attributions}
    for a in analysis.attributions:
        if a.id not in shown:
            ungrounded.append(_ungrounded("attribution", a.id, f"{a.speaker.name}: {a.content}", a))
    counts = {"attributions": len(grounded_attributions), "claims": len(claims), "summary": len(summary),
              "not grounded": len(ungrounded)}
    return ReportView(title or f"Report — {short_source(analysis.article.source)}", text, highlight(text, marks), legend,
                      claims, summary, ungrounded, counts, provenance(analysis), analysis.article.language)


def short_source(source: str) -> str:
    """A file's name (its full path is in the footer), an address as given."""
    if "://" in source or source == "-":
        return source
    return PurePath(source).name or source


def provenance(output) -> list[str]:
    """Engine, model, prompt and the input's hash, one fact a line (page footer)."""
    p, a = output.provenance, output.article
    lines = [f"engine {p.engine} · model {p.model} · prompt {p.prompt} · verifier {p.verifier_version}",
             f"input sha256 {p.input_sha256}",
             f"article {a.source} · {a.language} · {a.chars} characters · text sha256 {a.sha256}"]
    if p.fixture:
        lines.append(f"fixture {fixture_origin(p.fixture)}")
    if p.cached:
        lines.append("analysis read from the cache")
    return lines
