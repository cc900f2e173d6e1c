"""What the two-version report shows, as plain data for its template: both
texts with their compared claims' evidence highlighted, each pair with its
labelled changes and the ids that link it to both sides, the sources and
the denials or refusals to comment in one version only."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from verifier.models import Analysis, Attribution, DiffOutput, DiffPair
from verifier.render.diff_view import counts_line, method_line
from verifier.render.html.highlight import Mark, highlight
from verifier.render.html.report import Link, claim_marks, provenance, short_source, span_links

CHANGE_WORDS = {"number": "number", "date": "date", "entity": "name", "modality": "hedge", "speaker": "speaker",
                "negation": "negation", "term": "wording"}
STANCE_WORDS = {"denial": "denial", "no_comment": "no comment"}


@dataclass
class ChangeView:
    label: str
    old: str
    new: str


@dataclass
class ClaimRef:
    text: str
    info: str
    links: list[Link]


@dataclass
class PairView:
    id: str
    status: str
    changes: list[ChangeView]
    old: ClaimRef | None
    new: ClaimRef | None
    note: str | None = None


@dataclass
class StanceView:
    kind: str
    status: str
    speaker: str
    old: str | None
    new: str | None


@dataclass
class SideView:
    label: str
    source: str
    text: str
    body: Markup
    provenance: list[str]
    language: str = ""


@dataclass
class DiffView:
    title: str
    old: SideView
    new: SideView
    pairs: list[PairView]
    counts: str
    method: str
    speakers: list[tuple[str, str, int, int]] = field(default_factory=list)
    stances: list[StanceView] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)


def _claim_ref(side: str, claim) -> ClaimRef | None:
    if claim is None:
        return None
    info = f"{claim.modality.value} · {claim.speaker or '(article)'}"
    return ClaimRef(claim.text, info, span_links(f"{side}-{claim.id}", claim.evidence))


def _pair_ids(pairs: list[PairView], raw: list[DiffPair], side: str) -> dict[str, list[str]]:
    """Claim id on ``side`` → the pairs it is in (a claim of a one-to-many pair is in several)."""
    out: dict[str, list[str]] = {}
    for view, p in zip(pairs, raw):
        claim = getattr(p, side)
        if claim is not None:
            out.setdefault(claim.id, []).append(view.id)
    return out


def _side(side: str, label: str, text: str, analysis: Analysis, raw: list[DiffPair],
          views: list[PairView]) -> SideView:
    ids = _pair_ids(views, raw, side)
    status = {}
    for view, p in zip(views, raw):
        claim = getattr(p, side)
        if claim is not None:
            status.setdefault(claim.id, view.status)
    marks: list[Mark] = []
    for c in analysis.claims:
        if c.id in ids:
            marks += claim_marks(c, f"{side}-", (f"st-{status[c.id]}",), (("data-pair", " ".join(ids[c.id])),))
    return SideView(label, short_source(analysis.article.source), text, highlight(text, marks), provenance(analysis),
                    analysis.article.language)


def _stance_text(a: Attribution | None) -> str | None:
    return None if a is None else a.content


def build_diff(old_text: str, old: Analysis, new_text: str, new: Analysis, report: DiffOutput,
               title: str | None = None) -> DiffView:
    views = []
    for n, p in enumerate(report.pairs, 1):
        note = None
        if p.adjudication:
            note = f"settled by the model: {p.adjudication}"
        elif p.ambiguous:
            note = "ambiguous pairing" + (f" (score {p.similarity:.2f})" if p.similarity is not None else "")
        views.append(PairView(f"p{n}", p.status.value,
                              [ChangeView(CHANGE_WORDS.get(c.type, c.type), c.old or "—", c.new or "—")
                               for c in p.changes],
                              _claim_ref("old", p.old), _claim_ref("new", p.new), note))
    return DiffView(
        title=title or f"Diff — {short_source(report.old.article.source)} → {short_source(report.new.article.source)}",
        old=_side("old", "Old version", old_text, old, report.pairs, views),
        new=_side("new", "New version", new_text, new, report.pairs, views),
        pairs=views, counts=counts_line(report.counts), method=method_line(report),
        speakers=[(s.speaker, s.status.value, len(s.old), len(s.new)) for s in report.speakers],
        stances=[StanceView(STANCE_WORDS[s.kind], s.status.value, s.speaker, _stance_text(s.old),
                            _stance_text(s.new)) for s in report.stances],
        left_out={k: n for k, n in report.ungrounded.items() if n},
    )
